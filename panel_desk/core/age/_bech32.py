"""Bech32 (BIP 173 checksum, no length limit) for ``age1…`` recipients and ``AGE-SECRET-KEY-1…`` keys."""

from __future__ import annotations

_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_CHARSET_REV = {c: i for i, c in enumerate(_CHARSET)}
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


# For each 5-bit value shifted out of the checksum, the XOR of the generators it selects: one table
# look-up per character instead of five tests (post-quantum recipients are ~2,000 characters long).
def _table_entry(top: int) -> int:
    entry = 0
    for i in range(5):
        if (top >> i) & 1:
            entry ^= _GENERATOR[i]
    return entry


_TABLE = tuple(_table_entry(top) for top in range(32))


def _polymod(values: list[int]) -> int:
    chk = 1
    table = _TABLE
    for v in values:
        chk = ((chk & 0x1FFFFFF) << 5) ^ v ^ table[chk >> 25]
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _convert_bits(data: bytes | list[int], from_bits: int, to_bits: int, pad: bool) -> list[int] | None:
    acc = 0
    bits = 0
    out: list[int] = []
    maxv = (1 << to_bits) - 1
    for value in data:
        acc = (acc << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((acc >> bits) & maxv)
    if pad:
        if bits:
            out.append((acc << (to_bits - bits)) & maxv)
    elif bits >= from_bits or ((acc << (to_bits - bits)) & maxv):
        return None
    return out


def encode(hrp: str, data: bytes) -> str:
    """Return the bech32 string for ``hrp`` and ``data``, in the case of ``hrp``."""
    lower = hrp.lower()
    values = _convert_bits(data, 8, 5, True) or []
    poly = _polymod([*_hrp_expand(lower), *values, 0, 0, 0, 0, 0, 0]) ^ 1
    checksum = [(poly >> 5 * (5 - i)) & 31 for i in range(6)]
    text = lower + "1" + "".join(_CHARSET[v] for v in values + checksum)
    return text.upper() if hrp.isupper() else text


def decode(text: str) -> tuple[str, bytes]:
    """Return ``(hrp, data)`` of a bech32 string; the hrp is returned lowercase.

    Raises ValueError for mixed case, bad characters, a bad checksum or bad padding.
    """
    if text.lower() != text and text.upper() != text:
        raise ValueError("mixed case")
    if any(not 33 <= ord(c) <= 126 for c in text):
        raise ValueError("invalid character")
    text = text.lower()
    pos = text.rfind("1")
    if pos < 1 or pos + 7 > len(text):
        raise ValueError("separator misplaced")
    hrp = text[:pos]
    try:
        values = [_CHARSET_REV[c] for c in text[pos + 1 :]]
    except KeyError:
        raise ValueError("invalid data character") from None
    if _polymod([*_hrp_expand(hrp), *values]) != 1:
        raise ValueError("invalid checksum")
    data = _convert_bits(values[:-6], 5, 8, False)
    if data is None:
        raise ValueError("invalid padding")
    return hrp, bytes(data)

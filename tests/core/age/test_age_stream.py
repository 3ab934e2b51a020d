"""Encrypt/decrypt round trips, armor, passphrases, progress and cancel, damage and the seekable reader."""

from __future__ import annotations

import io
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from panel_desk.core import age, errors
from panel_desk.core.age import _stream

CHUNK = age.CHUNK_SIZE
ENC = CHUNK + 16
BATCH = _stream.BLOCK_CHUNKS * CHUNK
IDENT = age.X25519Identity.generate()
SIZES = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, BATCH - 1, BATCH, BATCH + 1, 2 * BATCH + CHUNK + 7]


class _Trickle(io.RawIOBase):
    """A source that returns at most 1000 bytes per read, like a pipe."""

    def __init__(self, data: bytes) -> None:
        self._src = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def, override]
        data = self._src.read(min(len(b), 1000))
        b[: len(data)] = data
        return len(data)


@pytest.mark.parametrize("size", SIZES)
def test_round_trip_sizes(size: int) -> None:
    data = os.urandom(size)
    enc = age.encrypt_bytes([IDENT.recipient], data)
    payload = len(enc) - enc.index(b"\n", enc.index(b"\n---") + 1) - 1 - 16
    chunks = max(1, -(-size // CHUNK))
    assert payload == size + 16 * chunks  # a full final chunk stays full; empty only if all is empty
    assert age.decrypt_bytes([IDENT], enc) == data
    out = io.BytesIO()
    age.decrypt([IDENT], _Trickle(enc), out)
    assert out.getvalue() == data


@pytest.mark.parametrize("size", [0, 47, 48, 49, CHUNK + 1, 48 * 1024 * 3 + 5])
def test_armor_round_trip(size: int) -> None:
    data = os.urandom(size)
    text = age.encrypt_bytes([IDENT.recipient], data, armor=True)
    lines = text.decode("ascii").splitlines()
    assert lines[0] == "-----BEGIN AGE ENCRYPTED FILE-----"
    assert lines[-1] == "-----END AGE ENCRYPTED FILE-----"
    assert all(len(line) == 64 for line in lines[1:-2]) and 0 < len(lines[-2]) <= 64
    assert age.decrypt_bytes([IDENT], text) == data
    assert age.decrypt_bytes([IDENT], b"\r\n  " + text.replace(b"\n", b"\r\n") + b"\n\t ") == data


def test_armor_refuses_changes() -> None:
    text = age.encrypt_bytes([IDENT.recipient], b"hello", armor=True)
    for bad in (text + b"x", b"x" + text, text.replace(b"\n", b"\n\n", 2), text.lower()):
        with pytest.raises(age.ArmorError):
            age.decrypt_bytes([IDENT], bad)
    with pytest.raises(age.ArmorError):
        age.open_seekable([IDENT], io.BytesIO(text))


def test_several_recipients_and_no_match() -> None:
    others = [age.X25519Identity.generate() for _ in range(3)]
    enc = age.encrypt_bytes([o.recipient for o in others], b"data")
    for other in others:
        assert age.decrypt_bytes([IDENT, other], enc) == b"data"
    with pytest.raises(age.NoIdentityMatch) as info:
        age.decrypt_bytes([IDENT], enc)
    assert str(info.value) == "This file is not addressed to you: none of your keys can open it."
    assert isinstance(info.value, errors.PanelDeskError)


def test_passphrase() -> None:
    enc = age.encrypt_bytes([age.ScryptRecipient("correct horse", work_factor=10)], b"secret")
    assert age.header_stanza_types(io.BytesIO(enc)) == ["scrypt"]
    assert (
        age.decrypt_bytes([age.ScryptIdentity("wrong"), age.ScryptIdentity("correct horse")], enc)
        == b"secret"
    )
    with pytest.raises(errors.WrongPassphrase) as info:
        age.decrypt_bytes([age.ScryptIdentity("wrong")], enc)
    assert isinstance(info.value, age.NoIdentityMatch)
    with pytest.raises(age.NoIdentityMatch):
        age.decrypt_bytes([IDENT], enc)
    with pytest.raises(age.HeaderError):
        age.decrypt_bytes([age.ScryptIdentity("correct horse", max_work_factor=9)], enc)


def test_passphrase_default_work_factor_and_alone() -> None:
    assert age.ScryptRecipient("x").work_factor == 18
    assert age.ScryptIdentity("x").max_work_factor == 22
    with pytest.raises(ValueError):
        age.encrypt_bytes([age.ScryptRecipient("x", 4), IDENT.recipient], b"")
    with pytest.raises(ValueError):
        age.encrypt_bytes([], b"")


def test_progress_and_cancel() -> None:
    data = os.urandom(2 * BATCH + 5)
    seen: list[int] = []
    enc_out = io.BytesIO()
    age.encrypt([IDENT.recipient], io.BytesIO(data), enc_out, progress=seen.append)
    assert seen == [BATCH, 2 * BATCH, 2 * BATCH + 5]
    seen.clear()
    out = io.BytesIO()
    age.decrypt([IDENT], io.BytesIO(enc_out.getvalue()), out, progress=seen.append)
    assert seen == sorted(seen) and seen[0] == BATCH and seen[-1] == len(data) and out.getvalue() == data
    calls = iter([False, True])
    with pytest.raises(errors.Cancelled):
        age.decrypt([IDENT], io.BytesIO(enc_out.getvalue()), io.BytesIO(), cancel=lambda: next(calls))
    with pytest.raises(errors.Cancelled):
        age.encrypt([IDENT.recipient], io.BytesIO(data), io.BytesIO(), cancel=lambda: True)


def test_write_error_in_the_background_is_raised() -> None:
    class Full(io.BytesIO):
        def write(self, b) -> int:  # type: ignore[no-untyped-def, override]
            if self.tell() >= BATCH:
                raise OSError(28, "No space left on device")
            return super().write(b)

    enc = age.encrypt_bytes([IDENT.recipient], bytes(3 * BATCH))
    with pytest.raises(OSError):
        age.decrypt([IDENT], io.BytesIO(enc), Full())


def _split(enc: bytes) -> tuple[bytes, bytes]:
    start = enc.index(b"\n", enc.index(b"\n---") + 1) + 1 + 16
    return enc[:start], enc[start:]


def test_payload_damage_releases_only_verified_chunks() -> None:
    data = os.urandom(5 * CHUNK + 3)
    head, payload = _split(age.encrypt_bytes([IDENT.recipient], data))
    chunks = [payload[i : i + ENC] for i in range(0, len(payload), ENC)]
    cases = {
        "flip third": ([*chunks[:2], bytes([chunks[2][0] ^ 1]) + chunks[2][1:], *chunks[3:]], 2),
        "swap": ([chunks[1], chunks[0], *chunks[2:]], 0),
        "drop last": (chunks[:-1], 5),
        "drop middle": (chunks[:2] + chunks[3:], 2),
        "trailing": ([*chunks, b"x"], 5),
        "empty final": ([*chunks[:-1], chunks[-1][:16]], 5),
    }
    for name, (parts, good) in cases.items():
        out = io.BytesIO()
        with pytest.raises(age.PayloadError):
            age.decrypt([IDENT], io.BytesIO(head + b"".join(parts)), out)
        assert out.getvalue() == data[: good * CHUNK], name


# --- the seekable reader -------------------------------------------------------------------------

PLAIN = os.urandom(10 * CHUNK + 1234)
ENCRYPTED = age.encrypt_bytes([IDENT.recipient], PLAIN)


def test_seekable_basics() -> None:
    reader = age.open_seekable([IDENT], io.BytesIO(ENCRYPTED))
    assert reader.readable() and reader.seekable() and reader.size == len(PLAIN)
    assert reader.read() == PLAIN
    assert reader.read(10) == b""
    assert reader.seek(-5, io.SEEK_END) == len(PLAIN) - 5
    assert reader.read() == PLAIN[-5:]
    reader.seek(CHUNK - 2)
    assert reader.seek(4, io.SEEK_CUR) == CHUNK + 2 and reader.tell() == CHUNK + 2
    buf = bytearray(100)
    assert reader.readinto(buf) == 100 and bytes(buf) == PLAIN[CHUNK + 2 : CHUNK + 102]
    with pytest.raises(ValueError):
        reader.seek(-1)
    buffered = io.BufferedReader(reader)
    buffered.seek(3)
    assert buffered.read(7) == PLAIN[3:10]
    reader.close()
    with pytest.raises(ValueError):
        reader.read(1)


@pytest.mark.parametrize("size", [0, 1, CHUNK, CHUNK + 1, 3 * CHUNK])
def test_seekable_sizes(size: int) -> None:
    data = os.urandom(size)
    with age.open_seekable([IDENT], io.BytesIO(age.encrypt_bytes([IDENT.recipient], data))) as reader:
        assert reader.size == size and reader.read() == data


def test_seekable_decrypts_only_the_chunks_a_range_needs() -> None:
    reader = age.open_seekable([IDENT], io.BytesIO(ENCRYPTED))
    assert reader._chunks_decrypted == 1  # the final chunk, authenticated at open
    reader.seek(5 * CHUNK - 10)
    assert reader.read(20) == PLAIN[5 * CHUNK - 10 : 5 * CHUNK + 10]
    assert reader._chunks_decrypted == 3
    reader.seek(5 * CHUNK)
    reader.read(100)
    assert reader._chunks_decrypted == 3  # cached
    for i in range(10):
        reader.seek(i * CHUNK)
        reader.read(1)
    assert len(reader._cache) <= 8


def test_seekable_refuses_truncation_at_a_chunk_boundary() -> None:
    head, payload = _split(ENCRYPTED)
    with pytest.raises(age.PayloadError):
        age.open_seekable([IDENT], io.BytesIO(head + payload[: 4 * ENC]))
    with pytest.raises(age.PayloadError):
        age.open_seekable([IDENT], io.BytesIO(head + payload[:-3]))
    with pytest.raises(age.PayloadError):
        age.open_seekable([IDENT], io.BytesIO(head))
    with pytest.raises(age.HeaderError):
        age.open_seekable([IDENT], io.BytesIO(head[:-3]))


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.integers(0, len(PLAIN) + 10), st.integers(0, 3 * CHUNK))
def test_seekable_random_ranges(start: int, length: int) -> None:
    reader = age.open_seekable([IDENT], io.BytesIO(ENCRYPTED))
    reader.seek(start)
    assert reader.read(length) == PLAIN[start : start + length]
    touched = len(range(start // CHUNK, min(len(PLAIN), start + length - 1) // CHUNK + 1)) if length else 0
    assert reader._chunks_decrypted <= 1 + touched


SMALL_PLAIN = os.urandom(2 * CHUNK + 100)
SMALL = age.encrypt_bytes([IDENT.recipient], SMALL_PLAIN)


def _read_all_or_error(data: bytes) -> None:
    """Decrypt both ways; anything released must be a true prefix, and an error must be raised."""
    out = io.BytesIO()
    with pytest.raises(age.AgeError):
        age.decrypt([IDENT], io.BytesIO(data), out)
    assert SMALL_PLAIN.startswith(out.getvalue())
    try:
        reader = age.open_seekable([IDENT], io.BytesIO(data))
    except age.AgeError:
        return
    got = b""
    with pytest.raises(age.AgeError):
        while piece := reader.read(7000):
            got += piece
    assert SMALL_PLAIN.startswith(got)


@FAST
@given(st.integers(0, len(SMALL) - 1), st.integers(1, 255))
def test_any_flipped_byte_is_an_error(position: int, xor: int) -> None:
    damaged = bytearray(SMALL)
    damaged[position] ^= xor
    _read_all_or_error(bytes(damaged))


@FAST
@given(st.integers(0, len(SMALL) - 1))
def test_any_truncation_is_an_error(length: int) -> None:
    _read_all_or_error(SMALL[:length])

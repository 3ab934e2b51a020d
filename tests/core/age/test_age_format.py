"""Header, base64, bech32 and key handling of panel_desk.core.age (the strict parser's edges)."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from panel_desk.core import age, errors
from panel_desk.core.age import _bech32, _format
from panel_desk.core.age._format import Stanza

TESTKIT_IDENTITY = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0"


def test_core_imports_without_qt() -> None:
    code = "import sys; sys.modules['PySide6'] = None; import panel_desk.core.age"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 16, 32, 47, 48, 49, 100])
def test_b64_round_trip(n: int) -> None:
    data = os.urandom(n)
    text = _format.b64encode(data)
    assert b"=" not in text
    assert _format.b64decode(text) == data


@pytest.mark.parametrize(
    "text",
    [b"AA==", b"A", b"AB", b"AAA=", b"AA\nAA", b"AA AA", b"AAA-", b"AAA_", b"\xffAAA", b"AAB"],
)
def test_b64_refuses_padding_bad_characters_and_non_canonical(text: bytes) -> None:
    # b"AB" and b"AAB" carry non-zero trailing bits: non-canonical encodings of the same bytes.
    with pytest.raises(age.HeaderError):
        _format.b64decode(text)


def test_hkdf_matches_cryptography() -> None:
    for salt in (None, b"", os.urandom(16), os.urandom(64)):
        ikm, info = os.urandom(32), b"payload"
        want = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt or None, info=info).derive(ikm)
        assert _format.hkdf(ikm, salt, info) == want


def _header(stanzas: list[Stanza]) -> bytes:
    return _format.serialise_header(stanzas, bytes(16))


@pytest.mark.parametrize("body_len", [0, 1, 47, 48, 49, 96, 200])
def test_header_round_trip_body_lengths(body_len: int) -> None:
    stanza = Stanza("test", ("a", "b!~"), os.urandom(body_len))
    data = _header([stanza])
    parsed = _format.parse_header(data)
    assert parsed.length == len(data)
    assert [(s.type, s.args, s.body) for s in parsed.stanzas] == [(stanza.type, stanza.args, stanza.body)]
    _format.verify_mac(parsed, bytes(16))
    with pytest.raises(age.HmacError):
        _format.verify_mac(parsed, bytes(15) + b"\x01")


def test_full_body_line_needs_a_final_short_line() -> None:
    data = _header([Stanza("t", (), bytes(48))])
    assert b"\n\n---" in data  # a 64-column line, then an empty final line
    with pytest.raises(age.HeaderError):
        _format.parse_header(data.replace(b"\n\n---", b"\n---"))


def test_stanza_cap() -> None:
    twenty = _header([Stanza("t", (), b"")] * 20)
    assert len(_format.parse_header(twenty).stanzas) == 20
    with pytest.raises(ValueError):
        _header([Stanza("t", (), b"")] * 21)
    too_many = twenty.replace(b"-> t\n\n", b"-> t\n\n-> t\n\n", 1)
    with pytest.raises(age.HeaderError) as info:
        _format.parse_header(too_many)
    assert "20" in info.value.detail


def test_header_size_cap() -> None:
    big = Stanza("t", (), bytes(40_000))
    with pytest.raises(ValueError):
        _header([big, big])
    with pytest.raises(age.HeaderError):
        _format.read_header(io.BytesIO(b"age-encryption.org/v1\n-> t\n" + b"A" * 64 * 2000))
    with pytest.raises(age.HeaderError):
        _format.parse_header(b"age-encryption.org/v1\n" + b"x" * 70_000 + b"\n--- x\n")


@pytest.mark.parametrize(
    "damage",
    [
        (b"age-encryption.org/v1\n", b"age-encryption.org/v2\n"),
        (b"-> t a", b"->  t a"),
        (b"-> t a", b"-> t a "),
        (b"-> t a", b"-> t \x7fa"),
        (b"\n---", b"\n\n---"),
        (b"--- ", b"---  "),
        (b"--- ", b"---"),
    ],
)
def test_malformed_headers(damage: tuple[bytes, bytes]) -> None:
    data = _header([Stanza("t", ("a",), b"body")])
    bad = data.replace(*damage)
    assert bad != data
    with pytest.raises(age.HeaderError):
        _format.parse_header(bad)


def test_header_stanza_types_reads_only_the_header() -> None:
    a, b = age.X25519Identity.generate(), age.X25519Identity.generate()
    data = age.encrypt_bytes([a.recipient, b.recipient], b"x" * 100_000)
    assert age.header_stanza_types(io.BytesIO(data)) == ["X25519", "X25519"]
    armored = age.encrypt_bytes([age.ScryptRecipient("pw", work_factor=4)], b"x", armor=True)
    assert age.header_stanza_types(io.BytesIO(armored)) == ["scrypt"]
    with pytest.raises(age.HeaderError):
        age.header_stanza_types(io.BytesIO(b"not an age file"))


def test_bech32_checksum_and_case() -> None:
    assert _bech32.decode("A12UEL5L") == ("a", b"")
    assert _bech32.decode("a12uel5l") == ("a", b"")
    for bad in ("A12uEL5L", "a12uel5m", "12uel5l", "a1b2uel5l"):
        with pytest.raises(ValueError):
            _bech32.decode(bad)


def test_identity_strings_round_trip() -> None:
    ident = age.X25519Identity.parse(TESTKIT_IDENTITY)
    assert ident.to_string() == TESTKIT_IDENTITY
    assert age.X25519Identity.parse(TESTKIT_IDENTITY.lower()).to_bytes() == ident.to_bytes()
    assert age.X25519Identity.from_bytes(ident.to_bytes()).recipient == ident.recipient
    text = ident.recipient.to_string()
    assert text.startswith("age1") and text == text.lower()
    recipient = age.X25519Recipient.parse(text)
    assert recipient == ident.recipient and hash(recipient) == hash(ident.recipient)
    assert len(recipient.public_bytes) == 32
    assert {recipient, ident.recipient} == {recipient}
    assert TESTKIT_IDENTITY not in repr(ident)
    assert recipient != age.X25519Identity.generate().recipient


@pytest.mark.parametrize(
    "text",
    ["", "age1", "AGE-SECRET-KEY-1", TESTKIT_IDENTITY[:-1] + "1", "age" + TESTKIT_IDENTITY[14:]],
)
def test_bad_key_strings(text: str) -> None:
    with pytest.raises(errors.InvalidInput):
        age.X25519Identity.parse(text)
    with pytest.raises(errors.InvalidInput):
        age.X25519Recipient.parse(text)


def test_recipient_is_not_an_identity() -> None:
    recipient = age.X25519Identity.generate().recipient.to_string()
    with pytest.raises(errors.InvalidInput):
        age.X25519Identity.parse(recipient)
    with pytest.raises(errors.InvalidInput):
        age.X25519Identity.from_bytes(bytes(31))


def test_spec_key_example() -> None:
    """The X25519 identity and recipient examples of the C2SP age specification."""
    ident = age.X25519Identity.parse(
        "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX"
    )
    assert ident.to_bytes() == b"B" * 32
    assert ident.recipient.to_string() == "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj"

"""Edge cases of panel_desk.core.age not reached by the vectors: odd sources and sinks, limits, reprs."""

from __future__ import annotations

import io
import os

import pytest

from panel_desk.core import age, errors
from panel_desk.core.age import _armor, _format, _stream
from panel_desk.core.age._format import Stanza

IDENT = age.X25519Identity.generate()
CHUNK = age.CHUNK_SIZE


class _ReadOnly:
    """A source with read() but no readinto()."""

    def __init__(self, data: bytes) -> None:
        self._src = io.BytesIO(data)

    def read(self, n: int = -1) -> bytes:
        return self._src.read(min(n, 777) if n >= 0 else n)


class _PartialWriter(io.RawIOBase):
    """A raw sink that accepts at most 1000 bytes per write."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:  # type: ignore[no-untyped-def, override]
        piece = bytes(b[:1000])
        self.data += piece
        return len(piece)


def test_sources_without_readinto_and_partial_writers() -> None:
    data = os.urandom(3 * CHUNK + 5)
    sink = _PartialWriter()
    age.encrypt([IDENT.recipient], _ReadOnly(data), sink)  # type: ignore[arg-type]
    out = _PartialWriter()
    age.decrypt([IDENT], _ReadOnly(bytes(sink.data)), out)  # type: ignore[arg-type]
    assert out.data == data


def test_stanza_and_header_details() -> None:
    assert "3 bytes" in repr(Stanza("t", ("a",), b"abc"))
    for bad in ("", "a b", "\x7f"):
        with pytest.raises(ValueError):
            Stanza("t", (bad,), b"").to_bytes()
    good = _format.serialise_header([Stanza("t", ("a",), b"x")], bytes(16))
    with pytest.raises(age.HeaderError):
        _format.parse_header(good[:-1])
    mac_line = good[good.index(b"\n---") + 1 :]
    with pytest.raises(age.HeaderError):
        _format.parse_header(b"age-encryption.org/v1\n" + mac_line)
    with pytest.raises(age.HeaderError):
        _format.parse_header(b"age-encryption.org/v1\n-> t\n" + b"A" * 64 + b"\n")
    with pytest.raises(age.HeaderError) as info:
        age.decrypt_bytes([IDENT], b"age-encryption.org/v2\n-> t\n\n--- " + b"A" * 43 + b"\n")
    assert "newer" in str(info.value)


def test_scrypt_must_be_alone_when_decrypting() -> None:
    header = _format.serialise_header(
        [Stanza("scrypt", ("AAAAAAAAAAAAAAAAAAAAAA", "10"), bytes(32)), Stanza("X25519", ("x",), b"")],
        bytes(16),
    )
    with pytest.raises(age.HeaderError):
        age.decrypt_bytes([age.ScryptIdentity("pw")], header + bytes(32))


def test_recipient_and_passphrase_arguments() -> None:
    with pytest.raises(errors.InvalidInput):
        age.X25519Recipient(bytes(31))
    recipient = IDENT.recipient
    assert str(recipient) == recipient.to_string() and recipient.to_string() in repr(recipient)
    assert recipient != "age1..."
    with pytest.raises(ValueError):
        age.ScryptRecipient("")
    with pytest.raises(ValueError):
        age.ScryptRecipient("pw", work_factor=0)
    assert "pw" not in repr(age.ScryptRecipient("pw")) + repr(age.ScryptIdentity("pw"))


def test_every_error_has_a_sentence_for_a_person() -> None:
    for cls in (age.AgeError, age.NoIdentityMatch, age.HeaderError, age.HmacError, age.PayloadError):
        err = cls("technical detail")
        assert isinstance(err, errors.PanelDeskError)
        assert str(err).endswith(".") and "technical" not in str(err) and err.detail == "technical detail"
    assert isinstance(age.ArmorError(), age.AgeError)
    assert isinstance(age.WrongPassphrase(), errors.WrongPassphrase)


def _armored(data: bytes) -> bytes:
    return age.encrypt_bytes([IDENT.recipient], data, armor=True)


@pytest.mark.parametrize(
    "text",
    [
        b" " * 1100 + _armored(b"x"),
        b"\n-----BEGIN AGE ENCRYPTED FILE-----",
        _armored(b"x").replace(b"FILE-----\n", b"FILE-----x\n", 1),
        _armored(b"x") + b" " * 1100,
        _armored(b"x")[:-1] + b"\r\r\n",
        _armored(b"x")[:40],
    ],
    ids=["leading-whitespace", "only-whitespace", "bad-begin", "trailing-whitespace", "double-cr", "cut"],
)
def test_armor_limits(text: bytes) -> None:
    with pytest.raises(age.ArmorError):
        age.decrypt_bytes([IDENT], text)


def test_armor_streams_large_files_in_pieces() -> None:
    data = os.urandom(3 * 1024 * 1024 + 1)
    text = _armored(data)
    reader = _armor.ArmorReader(io.BytesIO(text))
    assert reader.readable()
    binary = reader.read()  # RawIOBase.read(-1) over readinto
    assert binary.startswith(b"age-encryption.org/v1\n")
    assert age.decrypt_bytes([IDENT], binary) == data
    out = io.BytesIO()
    age.decrypt([IDENT], io.BytesIO(text), out)
    assert out.getvalue() == data


def test_seekable_edges() -> None:
    plain = os.urandom(2 * CHUNK + 10)
    enc = age.encrypt_bytes([IDENT.recipient], plain)
    head_len = len(enc) - (2 * (CHUNK + 16) + 26)
    with pytest.raises(age.PayloadError):
        age.open_seekable([IDENT], io.BytesIO(enc[: head_len + 2 * (CHUNK + 16) + 5]))
    with pytest.raises(age.PayloadError):
        age.open_seekable([IDENT], io.BytesIO(enc[: head_len + 2 * (CHUNK + 16) + 16]))
    src = io.BytesIO(enc)
    reader = age.open_seekable([IDENT], src)
    with pytest.raises(ValueError):
        reader.seek(0, 7)
    assert reader.seek(5) == 5 and reader.seek(-2, io.SEEK_CUR) == 3
    assert reader.readall() == plain[3:]
    reader = age.open_seekable([IDENT], src)
    src.truncate(head_len + CHUNK)
    reader.seek(CHUNK + 1)
    with pytest.raises(age.PayloadError):
        reader.read(1)


def test_stream_internals_refuse_misuse() -> None:
    with pytest.raises(age.PayloadError):
        _stream.decrypt_payload(bytes(32), io.BytesIO(), b"", io.BytesIO())

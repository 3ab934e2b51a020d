"""The age v1 header: errors, strict canonical base64, stanza and header parsing and serialising.

Everything here fails closed: anything not exactly as age-encryption.org/v1 writes it is refused
with a :class:`HeaderError`, so a file has one and only one byte representation.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
from collections.abc import Sequence
from typing import BinaryIO

from panel_desk.core import errors

VERSION_LINE = b"age-encryption.org/v1"
MAX_STANZAS = 20
MAX_HEADER_SIZE = 64 * 1024
COLUMNS = 64
FILE_KEY_SIZE = 16
MAC_SIZE = 32

_B64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
# Stanza arguments are VCHAR: printable ASCII without space.
_VCHAR = bytes(range(33, 127))


# ---------------------------------------------------------------------------------------------
# Errors. The message (str(err)) is for a person; ``detail`` says what exactly was wrong.


class AgeError(errors.PanelDeskError):
    """An age-encrypted file could not be made or opened."""

    default_message = "This encrypted file could not be opened."

    def __init__(self, detail: str = "", message: str | None = None) -> None:
        super().__init__(message or self.default_message)
        self.detail = detail


class NoIdentityMatch(AgeError):
    """None of the given identities can open the file."""

    default_message = "This file is not addressed to you: none of your keys can open it."


class WrongPassphrase(NoIdentityMatch, errors.WrongPassphrase):
    """The passphrase does not open this passphrase-protected file."""

    default_message = "That passphrase does not open this file. Check it and try again."

    def __init__(self, detail: str = "", message: str | None = None) -> None:
        NoIdentityMatch.__init__(self, detail, message)


class HeaderError(AgeError):
    """The header is malformed, unsupported or over the limits."""

    default_message = (
        "This file is not a valid encrypted file, or its beginning is damaged. Ask the sender for a new copy."
    )


class WorkFactorTooHigh(HeaderError):
    """A passphrase-protected file asks for more scrypt work than the caller allows."""

    default_message = (
        "This file's passphrase protection is set so high that opening it could take a very "
        "long time and a great deal of memory, so it was refused. Ask the sender to make it again "
        "with normal settings."
    )

    def __init__(self, detail: str = "", message: str | None = None, *, work_factor: int = 0,
                 limit: int = 0) -> None:
        super().__init__(detail, message)
        self.work_factor = work_factor
        self.limit = limit


class HmacError(AgeError):
    """The header authentication code does not match: the header was changed."""

    default_message = "This file is damaged or was changed after it was made. Ask the sender for a new copy."


class PayloadError(AgeError):
    """The encrypted content is damaged, truncated, reordered or followed by extra data."""

    default_message = (
        "This file is damaged, incomplete or was changed after it was made. Ask the sender for a new copy."
    )


class ArmorError(AgeError):
    """The text (ASCII-armored) form of the file is malformed."""

    default_message = (
        "This text-encoded encrypted file is damaged or was altered (for example by an email "
        "program). Ask the sender for a new copy, preferably as an attachment."
    )


# ---------------------------------------------------------------------------------------------
# Base64, canonical and unpadded.


def b64encode(data: bytes) -> bytes:
    """Return the unpadded standard base64 encoding of ``data``."""
    return binascii.b2a_base64(data, newline=False).rstrip(b"=")


def b64decode(text: bytes) -> bytes:
    """Return the bytes of canonical unpadded base64 ``text``; raise :class:`HeaderError` otherwise."""
    if len(text) % 4 == 1 or text.translate(None, _B64_ALPHABET):
        raise HeaderError("invalid base64 (bad length, padding or character)")
    try:
        data = binascii.a2b_base64(text + b"=" * (-len(text) % 4), strict_mode=True)
    except binascii.Error as exc:
        raise HeaderError(f"invalid base64: {exc}") from None
    if b64encode(data) != text:
        raise HeaderError("non-canonical base64")
    return data


def wrap_body(body: bytes) -> bytes:
    """Return ``body`` as base64 lines of 64 columns, each ending in LF, the last one shorter."""
    text = b64encode(body)
    lines = [text[i : i + COLUMNS] for i in range(0, len(text), COLUMNS)]
    if not lines or len(lines[-1]) == COLUMNS:
        lines.append(b"")
    return b"".join(line + b"\n" for line in lines)


# ---------------------------------------------------------------------------------------------
# Stanzas and the header.


class Stanza:
    """One recipient stanza: a type, its arguments and its binary body."""

    __slots__ = ("args", "body", "type")

    def __init__(self, type: str, args: tuple[str, ...], body: bytes) -> None:
        self.type = type
        self.args = args
        self.body = body

    def __repr__(self) -> str:
        return f"Stanza({self.type!r}, {self.args!r}, <{len(self.body)} bytes>)"

    def to_bytes(self) -> bytes:
        """Return the stanza as it appears in a header."""
        words = [self.type, *self.args]
        for word in words:
            raw = word.encode("ascii")
            if not raw or raw.translate(None, _VCHAR):
                raise ValueError(f"invalid stanza argument {word!r}")
        return b"-> " + " ".join(words).encode("ascii") + b"\n" + wrap_body(self.body)


class Header:
    """A parsed header: its stanzas, MAC, the bytes the MAC covers and its total length."""

    __slots__ = ("length", "mac", "mac_input", "stanzas")

    def __init__(self, stanzas: tuple[Stanza, ...], mac: bytes, mac_input: bytes, length: int) -> None:
        self.stanzas = stanzas
        self.mac = mac
        self.mac_input = mac_input
        self.length = length


def hkdf(ikm: bytes, salt: bytes | None, info: bytes) -> bytes:
    """Return 32 bytes of HKDF-SHA-256 (RFC 5869; one expand block, so T(1) is the output).

    Written on the standard library's HMAC so importing this package stays fast; a test checks
    it against cryptography's HKDF.
    """
    prk = hmac.new(salt or bytes(32), ikm, hashlib.sha256).digest()
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()


def header_mac(file_key: bytes, mac_input: bytes) -> bytes:
    """Return the header HMAC-SHA-256 under the key derived from ``file_key``."""
    return hmac.new(hkdf(file_key, None, b"header"), mac_input, hashlib.sha256).digest()


def serialise_header(stanzas: Sequence[Stanza], file_key: bytes) -> bytes:
    """Return the complete header (MAC line included) for ``stanzas`` under ``file_key``."""
    if not 1 <= len(stanzas) <= MAX_STANZAS:
        raise ValueError(f"a header holds 1 to {MAX_STANZAS} recipient stanzas")
    mac_input = VERSION_LINE + b"\n" + b"".join(s.to_bytes() for s in stanzas) + b"---"
    header = mac_input + b" " + b64encode(header_mac(file_key, mac_input)) + b"\n"
    if len(header) > MAX_HEADER_SIZE:
        raise ValueError("header too large")
    return header


def verify_mac(header: Header, file_key: bytes) -> None:
    """Check the header MAC in constant time; raise :class:`HmacError` if it does not match."""
    if not hmac.compare_digest(header_mac(file_key, header.mac_input), header.mac):
        raise HmacError("header MAC mismatch")


def _find_header_end(buf: bytes | bytearray) -> int:
    """Return the length of the header at the start of ``buf``, or -1 if its end is not there yet.

    No stanza line can start with ``-`` (arguments follow ``->``, bodies are base64), so the first
    line starting with ``---`` is the MAC line.
    """
    start = buf.find(b"\n---")
    if start < 0:
        return -1
    end = buf.find(b"\n", start + 1)
    return -1 if end < 0 else end + 1


def parse_header(data: bytes) -> Header:
    """Parse a complete header (ending with the MAC line's LF); raise :class:`HeaderError` if invalid."""
    if len(data) > MAX_HEADER_SIZE:
        raise HeaderError("header larger than 64 KiB")
    if not data.endswith(b"\n"):
        raise HeaderError("header does not end with a line feed")
    lines = data[:-1].split(b"\n")
    if lines[0] != VERSION_LINE:
        if lines[0].startswith(b"age-encryption.org/"):
            raise HeaderError(
                f"unsupported version {lines[0][:40]!r}",
                "This file was made with a newer or different version of age and cannot be opened here.",
            )
        raise HeaderError("not an age file (bad version line)")
    stanzas: list[Stanza] = []
    i = 1
    n = len(lines)
    while i < n and lines[i].startswith(b"-> "):
        words = lines[i][3:].split(b" ")
        for word in words:
            if not word or word.translate(None, _VCHAR):
                raise HeaderError("empty or invalid stanza argument")
        body_parts: list[bytes] = []
        while True:
            i += 1
            if i >= n:
                raise HeaderError("stanza body does not end with a short line")
            line = lines[i]
            if len(line) > COLUMNS:
                raise HeaderError("stanza body line longer than 64 columns")
            body_parts.append(b64decode(line))
            if len(line) < COLUMNS:
                break
        i += 1
        if len(stanzas) == MAX_STANZAS:
            raise HeaderError(f"more than {MAX_STANZAS} recipient stanzas")
        stanzas.append(
            Stanza(
                words[0].decode("ascii"), tuple(w.decode("ascii") for w in words[1:]), b"".join(body_parts)
            )
        )
    if i != n - 1:
        raise HeaderError("malformed header line")
    if not stanzas:
        raise HeaderError("header has no recipient stanzas")
    mac_line = lines[i]
    parts = mac_line.split(b" ")
    if len(parts) != 2 or parts[0] != b"---":
        raise HeaderError("malformed MAC line")
    mac = b64decode(parts[1])
    if len(mac) != MAC_SIZE:
        raise HeaderError("MAC has the wrong length")
    mac_input = data[: len(data) - 1 - len(mac_line) + 3]
    return Header(tuple(stanzas), mac, mac_input, len(data))


def read_header(src: BinaryIO, prefix: bytes = b"") -> tuple[Header, bytes]:
    """Read and parse the header from ``src`` (after ``prefix``, bytes already read from it).

    Returns the header and the bytes read past its end. Raises :class:`HeaderError`.
    """
    buf = bytearray(prefix)
    while (end := _find_header_end(buf)) < 0:
        if len(buf) > MAX_HEADER_SIZE:
            raise HeaderError("header larger than 64 KiB or not an age file")
        more = src.read(16384)
        if not more:
            raise HeaderError("file ends inside the header" if buf else "file is empty")
        buf += more
    return parse_header(bytes(buf[:end])), bytes(buf[end:])

"""age v1 encryption (age-encryption.org/v1): encrypt, decrypt and seek in age files.

A small public recipe over private mechanics: keys and passphrases are ``X25519Identity`` /
``X25519Recipient``, the post-quantum hybrid ``HybridIdentity`` / ``HybridRecipient``
(``mlkem768x25519``, ``age1pq1…``) and ``ScryptIdentity`` / ``ScryptRecipient``; the verbs are :func:`encrypt`,
:func:`decrypt`, :func:`open_seekable` and :func:`header_stanza_types`. Files are readable by the
reference ``age`` tool and vice versa. Every failure is a subclass of :class:`AgeError` (itself a
:class:`panel_desk.core.errors.PanelDeskError`) whose message a person can act on.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable
from typing import BinaryIO

from ._armor import ArmorReader, ArmorWriter, looks_armored
from ._format import (
    FILE_KEY_SIZE,
    AgeError,
    ArmorError,
    Header,
    HeaderError,
    HmacError,
    NoIdentityMatch,
    PayloadError,
    WorkFactorTooHigh,
    WrongPassphrase,
    read_header,
    serialise_header,
    verify_mac,
)
from ._hybrid import HybridIdentity, HybridRecipient
from ._scrypt import ScryptIdentity, ScryptRecipient
from ._stream import (
    CHUNK_SIZE,
    NONCE_SIZE,
    SeekableReader,
    decrypt_payload,
    encrypt_payload,
    fill,
    payload_key,
)
from ._x25519 import X25519Identity, X25519Recipient

__all__ = [
    "CHUNK_SIZE",
    "HYBRID_STANZA",
    "AgeError",
    "ArmorError",
    "HeaderError",
    "HmacError",
    "HybridIdentity",
    "HybridRecipient",
    "Identity",
    "NoIdentityMatch",
    "PayloadError",
    "Recipient",
    "ScryptIdentity",
    "ScryptRecipient",
    "SeekableReader",
    "WorkFactorTooHigh",
    "WrongPassphrase",
    "X25519Identity",
    "X25519Recipient",
    "dearmor",
    "decrypt",
    "decrypt_bytes",
    "encrypt",
    "encrypt_bytes",
    "header_stanza_types",
    "is_armored",
    "open_seekable",
]

Recipient = X25519Recipient | HybridRecipient | ScryptRecipient
Identity = X25519Identity | HybridIdentity | ScryptIdentity
HYBRID_STANZA = "mlkem768x25519"

_HEAD_SIZE = 2048


def _read_head(src: BinaryIO) -> bytes:
    buf = bytearray(_HEAD_SIZE)
    n = fill(src, memoryview(buf))
    return bytes(buf[:n])


def _open_source(src: BinaryIO) -> tuple[BinaryIO, bytes]:
    """Return the binary source (un-armoring if needed) and the bytes already read from it."""
    head = _read_head(src)
    if looks_armored(head):
        return ArmorReader(src, head), b""  # type: ignore[return-value]
    return src, head


def _unwrap_file_key(identities: Iterable[Identity], header: Header) -> bytes:
    stanzas = header.stanzas
    if len(stanzas) != 1 and any(s.type == "scrypt" for s in stanzas):
        raise HeaderError("an scrypt stanza must be the only one")
    wrong_passphrase: WrongPassphrase | None = None
    for identity in identities:
        for stanza in stanzas:
            try:
                file_key = identity._unwrap(stanza)
            except WrongPassphrase as exc:
                wrong_passphrase = exc
                continue
            if file_key is not None:
                return file_key
    if wrong_passphrase is not None:
        raise wrong_passphrase
    raise NoIdentityMatch("no identity matched any recipient stanza")


def _open_header(identities: Iterable[Identity], src: BinaryIO, prefix: bytes) -> tuple[bytes, bytes]:
    """Read the header and payload nonce; return the payload key and the bytes read past the nonce."""
    header, rest = read_header(src, prefix)
    file_key = _unwrap_file_key(identities, header)
    verify_mac(header, file_key)
    if len(rest) < NONCE_SIZE:
        more = bytearray(NONCE_SIZE - len(rest))
        rest += more[: fill(src, memoryview(more))]
        if len(rest) < NONCE_SIZE:
            raise HeaderError("file ends before the payload nonce")
    return payload_key(file_key, rest[:NONCE_SIZE]), rest[NONCE_SIZE:]


def encrypt(
    recipients: Iterable[Recipient],
    src: BinaryIO,
    dst: BinaryIO,
    *,
    armor: bool = False,
    progress: Callable[[int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> None:
    """Encrypt everything read from ``src`` to ``recipients`` and write the age file to ``dst``.

    ``armor=True`` writes the PEM-style text form. ``progress(bytes_done)`` is called after each
    batch of plaintext; if ``cancel()`` returns True, :class:`panel_desk.core.errors.Cancelled` is
    raised (``dst`` then holds an incomplete file the caller should discard). Returns None.
    Raises ValueError for no recipients, more than 20, a passphrase mixed with other recipients,
    or post-quantum hybrid recipients mixed with classic ones (the age spec's rule: a file is
    only as safe as its weakest recipient, so age refuses to mix them).
    """
    recipients = list(recipients)
    if not recipients:
        raise ValueError("at least one recipient is needed")
    if len(recipients) > 1 and any(isinstance(r, ScryptRecipient) for r in recipients):
        raise ValueError("a passphrase must be the only recipient of a file")
    hybrid = [isinstance(r, HybridRecipient) for r in recipients]
    if any(hybrid) and not all(hybrid):
        raise ValueError("post-quantum (age1pq1) and classic recipients cannot share one file")
    file_key = os.urandom(FILE_KEY_SIZE)
    stanzas = [stanza for r in recipients for stanza in r._wrap(file_key)]
    header = serialise_header(stanzas, file_key)
    nonce = os.urandom(NONCE_SIZE)
    out: BinaryIO = ArmorWriter(dst) if armor else dst  # type: ignore[assignment]
    out.write(header + nonce)
    encrypt_payload(payload_key(file_key, nonce), src, out, progress, cancel)
    if isinstance(out, ArmorWriter):
        out.finish()


def encrypt_bytes(recipients: Iterable[Recipient], data: bytes, *, armor: bool = False) -> bytes:
    """Return ``data`` encrypted to ``recipients`` as an age file (armored text if ``armor``)."""
    dst = io.BytesIO()
    encrypt(recipients, io.BytesIO(data), dst, armor=armor)
    return dst.getvalue()


def decrypt(
    identities: Iterable[Identity],
    src: BinaryIO,
    dst: BinaryIO,
    *,
    progress: Callable[[int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> None:
    """Decrypt the age file read from ``src`` (binary or armored) and write the plaintext to ``dst``.

    Each 64 KiB chunk is written only once it is authenticated; if a later chunk fails, ``dst``
    holds the verified plaintext before it and the error is raised, so callers must discard
    ``dst`` on any error. Returns None. Raises :class:`NoIdentityMatch`, :class:`WrongPassphrase`,
    :class:`HeaderError`, :class:`HmacError`, :class:`PayloadError`, :class:`ArmorError` or
    :class:`panel_desk.core.errors.Cancelled`.
    """
    source, prefix = _open_source(src)
    key, rest = _open_header(identities, source, prefix)
    decrypt_payload(key, source, rest, dst, progress, cancel)


def decrypt_bytes(identities: Iterable[Identity], data: bytes) -> bytes:
    """Return the plaintext of the age file ``data``; raises as :func:`decrypt`."""
    dst = io.BytesIO()
    decrypt(identities, io.BytesIO(data), dst)
    return dst.getvalue()


def open_seekable(identities: Iterable[Identity], src: BinaryIO) -> SeekableReader:
    """Return a :class:`SeekableReader` over the plaintext of the binary age file ``src``.

    ``src`` must be seekable and start at offset 0. The header is parsed and its MAC checked now,
    and the final chunk is authenticated; other chunks are decrypted when read. Raises
    :class:`NoIdentityMatch`, :class:`WrongPassphrase`, :class:`HeaderError`, :class:`HmacError`,
    :class:`PayloadError`, or :class:`ArmorError` for an armored file (decrypt those with
    :func:`decrypt`).
    """
    src.seek(0)
    head = _read_head(src)
    if looks_armored(head):
        raise ArmorError(
            "armored files cannot be read seekably",
            "This is a text-encoded encrypted file, which cannot be opened piece by piece. "
            "Convert it with a full decryption first.",
        )
    header, _ = read_header(src, head)
    file_key = _unwrap_file_key(identities, header)
    verify_mac(header, file_key)
    src.seek(header.length)
    nonce = src.read(NONCE_SIZE)
    if len(nonce) != NONCE_SIZE:
        raise HeaderError("file ends before the payload nonce")
    return SeekableReader(src, payload_key(file_key, nonce), header.length + NONCE_SIZE)


def header_stanza_types(src: BinaryIO) -> list[str]:
    """Return the recipient stanza types of the age file ``src`` in order, e.g. ``["X25519"]``.

    Reads only the header (binary or armored); keys are not needed. Raises :class:`HeaderError`
    or :class:`ArmorError`.
    """
    source, prefix = _open_source(src)
    header, _ = read_header(source, prefix)
    return [stanza.type for stanza in header.stanzas]


def is_armored(head: bytes) -> bool:
    """Whether ``head``, the first bytes of a file, starts an ASCII-armored age file."""
    return looks_armored(head)


def dearmor(src: BinaryIO, dst: BinaryIO, *, block: int = 1 << 20) -> None:
    """Decode the armored age file ``src`` into its binary form in ``dst``.

    Raises ArmorError as soon as the text breaks a rule of the armor (nothing after it is written).
    """
    reader = ArmorReader(src)
    while data := reader.read(block):
        dst.write(data)

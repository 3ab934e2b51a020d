"""The scrypt passphrase recipient and identity (the ``scrypt`` stanza, which must be alone)."""

from __future__ import annotations

import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from ._format import (
    FILE_KEY_SIZE,
    HeaderError,
    Stanza,
    WorkFactorTooHigh,
    WrongPassphrase,
    b64decode,
    b64encode,
)

_LABEL = b"age-encryption.org/v1/scrypt"
_ZERO_NONCE = bytes(12)
_SALT_SIZE = 16
_WORK_FACTOR_RE = re.compile(r"[1-9][0-9]{0,2}")
DEFAULT_WORK_FACTOR = 18
DEFAULT_MAX_WORK_FACTOR = 22


def _derive(passphrase: str, salt: bytes, work_factor: int) -> bytes:
    kdf = Scrypt(salt=_LABEL + salt, length=32, n=1 << work_factor, r=8, p=1)
    return kdf.derive(passphrase.encode("utf-8"))


class ScryptRecipient:
    """Encrypts to a passphrase; scrypt cost 2**work_factor. It must be the file's only recipient."""

    __slots__ = ("_passphrase", "work_factor")

    def __init__(self, passphrase: str, work_factor: int = DEFAULT_WORK_FACTOR) -> None:
        if not passphrase:
            raise ValueError("the passphrase must not be empty")
        if not 1 <= work_factor <= 30:
            raise ValueError("work factor must be between 1 and 30")
        self._passphrase = passphrase
        self.work_factor = work_factor

    def __repr__(self) -> str:
        return f"ScryptRecipient(work_factor={self.work_factor})"

    def _wrap(self, file_key: bytes) -> list[Stanza]:
        salt = os.urandom(_SALT_SIZE)
        key = _derive(self._passphrase, salt, self.work_factor)
        body = ChaCha20Poly1305(key).encrypt(_ZERO_NONCE, file_key, None)
        return [Stanza("scrypt", (b64encode(salt).decode("ascii"), str(self.work_factor)), body)]


class ScryptIdentity:
    """Opens passphrase-protected files whose work factor is at most ``max_work_factor``."""

    __slots__ = ("_passphrase", "max_work_factor")

    def __init__(self, passphrase: str, max_work_factor: int = DEFAULT_MAX_WORK_FACTOR) -> None:
        self._passphrase = passphrase
        self.max_work_factor = max_work_factor

    def __repr__(self) -> str:
        return f"ScryptIdentity(max_work_factor={self.max_work_factor})"

    def _unwrap(self, stanza: Stanza) -> bytes | None:
        """Return the file key if the passphrase opens ``stanza``; None if it is not a scrypt stanza.

        Raises HeaderError for a malformed stanza, WorkFactorTooHigh (a HeaderError) for a work
        factor over the limit, and WrongPassphrase if the passphrase does not open it.
        """
        if stanza.type != "scrypt":
            return None
        if len(stanza.args) != 2:
            raise HeaderError("scrypt stanza must have exactly two arguments")
        salt = b64decode(stanza.args[0].encode("ascii"))
        if len(salt) != _SALT_SIZE:
            raise HeaderError("scrypt salt has the wrong length")
        if not _WORK_FACTOR_RE.fullmatch(stanza.args[1]):
            raise HeaderError("scrypt work factor is not a plain decimal number")
        work_factor = int(stanza.args[1])
        if work_factor > self.max_work_factor:
            raise WorkFactorTooHigh(
                f"scrypt work factor {work_factor} is over the limit {self.max_work_factor}",
                work_factor=work_factor,
                limit=self.max_work_factor,
            )
        if len(stanza.body) != FILE_KEY_SIZE + 16:
            raise HeaderError("scrypt stanza body has the wrong length")
        key = _derive(self._passphrase, salt, work_factor)
        try:
            return ChaCha20Poly1305(key).decrypt(_ZERO_NONCE, stanza.body, None)
        except InvalidTag:
            raise WrongPassphrase("scrypt stanza did not open with this passphrase") from None

"""The post-quantum hybrid recipient: ``age1pq1…`` / ``AGE-SECRET-KEY-PQ-1…`` and the ``mlkem768x25519`` stanza.

As the age spec (C2SP age, mlkem768x25519 recipient type) defines it: the KEM is MLKEM768-X25519
(X-Wing, HPKE KEM 0x647a), the file key is wrapped with HPKE base mode, HKDF-SHA256 and
ChaCha20-Poly1305, info ``age-encryption.org/mlkem768x25519`` and no additional data. The stanza is
``-> mlkem768x25519 <enc>`` (1120 bytes: the ML-KEM ciphertext and the X25519 share) with a 32-byte
body. An identity is the 32-byte X-Wing seed (expanded with SHAKE-256 to the ML-KEM seed and the
X25519 key); a recipient is the 1216-byte encapsulation key. HPKE comes from ``cryptography``.
Files with a hybrid recipient must not also be encrypted to classic recipients (the spec's rule,
enforced in :func:`panel_desk.core.age.encrypt`).
"""

from __future__ import annotations

import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.mlkem import MLKEM768PrivateKey, MLKEM768PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from panel_desk.core import errors

from . import _bech32
from ._format import FILE_KEY_SIZE, HeaderError, Stanza, b64decode, b64encode

STANZA_TYPE = "mlkem768x25519"
_INFO = b"age-encryption.org/mlkem768x25519"
_RECIPIENT_HRP = "age1pq"
_IDENTITY_HRP = "AGE-SECRET-KEY-PQ-"
SEED_SIZE = 32
_MLKEM_PUBLIC_SIZE = 1184
PUBLIC_SIZE = _MLKEM_PUBLIC_SIZE + 32
ENC_SIZE = 1088 + 32
_SUITE = hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)


class HybridRecipient:
    """A public ``age1pq1…`` recipient (ML-KEM-768 + X25519): safe against a future quantum computer."""

    __slots__ = ("_key", "public_bytes")

    def __init__(self, public_bytes: bytes) -> None:
        if len(public_bytes) != PUBLIC_SIZE:
            raise errors.InvalidInput(f"A post-quantum age recipient key must be {PUBLIC_SIZE} bytes long.")
        self.public_bytes: bytes = bytes(public_bytes)
        try:
            mlkem = MLKEM768PublicKey.from_public_bytes(self.public_bytes[:_MLKEM_PUBLIC_SIZE])
        except ValueError:
            raise errors.InvalidInput("That post-quantum age recipient is damaged (its ML-KEM key is invalid).") from None
        self._key = hpke.MLKEM768X25519PublicKey(
            mlkem, X25519PublicKey.from_public_bytes(self.public_bytes[_MLKEM_PUBLIC_SIZE:])
        )

    @classmethod
    def parse(cls, text: str) -> HybridRecipient:
        """Return the recipient for an ``age1pq1…`` string; raise InvalidInput if it is not one."""
        try:
            hrp, data = _bech32.decode(text.strip())
        except ValueError:
            hrp, data = "", b""
        if hrp != _RECIPIENT_HRP or len(data) != PUBLIC_SIZE:
            raise errors.InvalidInput(
                "That is not a valid post-quantum age recipient. It should start with 'age1pq1'; "
                "check it was copied completely."
            )
        return cls(data)

    def to_string(self) -> str:
        """Return the ``age1pq1…`` form (about 1,960 characters)."""
        return _bech32.encode(_RECIPIENT_HRP, self.public_bytes)

    def __str__(self) -> str:
        return self.to_string()

    def __repr__(self) -> str:
        return f"HybridRecipient({self.to_string()[:20]!r}…)"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, HybridRecipient):
            return NotImplemented
        return self.public_bytes == other.public_bytes

    def __hash__(self) -> int:
        return hash((HybridRecipient, self.public_bytes))

    def _wrap(self, file_key: bytes) -> list[Stanza]:
        sealed = _SUITE.encrypt(file_key, self._key, info=_INFO)
        enc, body = sealed[:ENC_SIZE], sealed[ENC_SIZE:]
        return [Stanza(STANZA_TYPE, (b64encode(enc).decode("ascii"),), body)]


def _expand(seed: bytes) -> tuple[MLKEM768PrivateKey, X25519PrivateKey]:
    expanded = hashlib.shake_256(seed).digest(96)
    return MLKEM768PrivateKey.from_seed_bytes(expanded[:64]), X25519PrivateKey.from_private_bytes(expanded[64:])


class HybridIdentity:
    """A private hybrid key (a 32-byte seed) that opens files addressed to its :attr:`recipient`."""

    __slots__ = ("_key", "_recipient", "_seed", "_x25519")

    def __init__(self, seed: bytes) -> None:
        if len(seed) != SEED_SIZE:
            raise errors.InvalidInput("A post-quantum age secret key must be 32 bytes long.")
        self._seed = bytes(seed)
        mlkem, x25519 = _expand(self._seed)
        self._key = hpke.MLKEM768X25519PrivateKey(mlkem, x25519)
        self._x25519 = x25519
        self._recipient = HybridRecipient(
            mlkem.public_key().public_bytes_raw() + x25519.public_key().public_bytes_raw()
        )

    @classmethod
    def generate(cls) -> HybridIdentity:
        """Return a new random identity."""
        return cls(os.urandom(SEED_SIZE))

    @classmethod
    def parse(cls, text: str) -> HybridIdentity:
        """Return the identity for an ``AGE-SECRET-KEY-PQ-1…`` string; raise InvalidInput otherwise."""
        try:
            hrp, data = _bech32.decode(text.strip())
        except ValueError:
            hrp, data = "", b""
        if hrp != _IDENTITY_HRP.lower() or len(data) != SEED_SIZE:
            raise errors.InvalidInput(
                "That is not a valid post-quantum age secret key. It should start with "
                "'AGE-SECRET-KEY-PQ-1'; check it was copied completely."
            )
        return cls(data)

    def to_bytes(self) -> bytes:
        """Return the 32-byte seed (a secret)."""
        return self._seed

    def to_string(self) -> str:
        """Return the ``AGE-SECRET-KEY-PQ-1…`` form (a secret: do not log it)."""
        return _bech32.encode(_IDENTITY_HRP, self._seed)

    @property
    def recipient(self) -> HybridRecipient:
        """The public recipient matching this identity."""
        return self._recipient

    def __repr__(self) -> str:
        return f"HybridIdentity(recipient={self._recipient.to_string()[:20]!r}…)"

    def _unwrap(self, stanza: Stanza) -> bytes | None:
        """Return the file key if ``stanza`` is addressed to this identity, else None.

        Raises HeaderError for a malformed stanza (wrong argument count, encapsulation length,
        body length, or an X25519 share of low order).
        """
        if stanza.type != STANZA_TYPE:
            return None
        if len(stanza.args) != 1:
            raise HeaderError("mlkem768x25519 stanza must have exactly one argument")
        enc = b64decode(stanza.args[0].encode("ascii"))
        if len(enc) != ENC_SIZE:
            raise HeaderError("mlkem768x25519 encapsulation has the wrong length")
        if len(stanza.body) != FILE_KEY_SIZE + 16:
            raise HeaderError("mlkem768x25519 stanza body has the wrong length")
        try:
            # HPKE's X-Wing combiner accepts an all-zero X25519 secret; the spec refuses it.
            self._x25519.exchange(X25519PublicKey.from_public_bytes(enc[ENC_SIZE - 32 :]))
        except ValueError:
            raise HeaderError("mlkem768x25519 X25519 share is a low-order point") from None
        try:
            return _SUITE.decrypt(enc + stanza.body, self._key, info=_INFO)
        except InvalidTag:
            return None

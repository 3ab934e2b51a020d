"""X25519 recipients and identities: ``age1…`` / ``AGE-SECRET-KEY-1…`` and the ``X25519`` stanza."""

from __future__ import annotations

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from panel_desk.core import errors

from . import _bech32
from ._format import FILE_KEY_SIZE, HeaderError, Stanza, b64decode, b64encode, hkdf

_LABEL = b"age-encryption.org/v1/X25519"
_ZERO_NONCE = bytes(12)
_RECIPIENT_HRP = "age"
_IDENTITY_HRP = "AGE-SECRET-KEY-"


def _raw_public(key: X25519PublicKey) -> bytes:
    return key.public_bytes_raw()


class X25519Recipient:
    """A public ``age1…`` recipient: files encrypted to it open with the matching identity."""

    __slots__ = ("_key", "public_bytes")

    def __init__(self, public_bytes: bytes) -> None:
        if len(public_bytes) != 32:
            raise errors.InvalidInput("An age recipient key must be 32 bytes long.")
        self.public_bytes: bytes = bytes(public_bytes)
        self._key = X25519PublicKey.from_public_bytes(self.public_bytes)

    @classmethod
    def parse(cls, text: str) -> X25519Recipient:
        """Return the recipient for an ``age1…`` string; raise InvalidInput if it is not one."""
        try:
            hrp, data = _bech32.decode(text.strip())
        except ValueError:
            hrp, data = "", b""
        if hrp != _RECIPIENT_HRP or len(data) != 32:
            raise errors.InvalidInput(
                "That is not a valid age recipient. It should start with 'age1'; check it was copied completely."
            )
        return cls(data)

    def to_string(self) -> str:
        """Return the ``age1…`` form."""
        return _bech32.encode(_RECIPIENT_HRP, self.public_bytes)

    def __str__(self) -> str:
        return self.to_string()

    def __repr__(self) -> str:
        return f"X25519Recipient({self.to_string()!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, X25519Recipient):
            return NotImplemented
        return self.public_bytes == other.public_bytes

    def __hash__(self) -> int:
        return hash((X25519Recipient, self.public_bytes))

    def _wrap(self, file_key: bytes) -> list[Stanza]:
        ephemeral = X25519PrivateKey.generate()
        share = _raw_public(ephemeral.public_key())
        shared = ephemeral.exchange(self._key)
        wrap_key = hkdf(shared, share + self.public_bytes, _LABEL)
        body = ChaCha20Poly1305(wrap_key).encrypt(_ZERO_NONCE, file_key, None)
        return [Stanza("X25519", (b64encode(share).decode("ascii"),), body)]


class X25519Identity:
    """A private X25519 key that opens files addressed to its :attr:`recipient`."""

    __slots__ = ("_key", "_recipient")

    def __init__(self, key: X25519PrivateKey) -> None:
        self._key = key
        self._recipient = X25519Recipient(_raw_public(key.public_key()))

    @classmethod
    def generate(cls) -> X25519Identity:
        """Return a new random identity."""
        return cls(X25519PrivateKey.generate())

    @classmethod
    def from_bytes(cls, secret: bytes) -> X25519Identity:
        """Return the identity for a 32-byte secret key; raise InvalidInput if it is not 32 bytes."""
        if len(secret) != 32:
            raise errors.InvalidInput("An age secret key must be 32 bytes long.")
        return cls(X25519PrivateKey.from_private_bytes(bytes(secret)))

    @classmethod
    def parse(cls, text: str) -> X25519Identity:
        """Return the identity for an ``AGE-SECRET-KEY-1…`` string; raise InvalidInput otherwise."""
        try:
            hrp, data = _bech32.decode(text.strip())
        except ValueError:
            hrp, data = "", b""
        if hrp != _IDENTITY_HRP.lower() or len(data) != 32:
            raise errors.InvalidInput(
                "That is not a valid age secret key. It should start with 'AGE-SECRET-KEY-1'; "
                "check it was copied completely."
            )
        return cls.from_bytes(data)

    def to_bytes(self) -> bytes:
        """Return the 32-byte secret key."""
        return self._key.private_bytes_raw()

    def to_string(self) -> str:
        """Return the ``AGE-SECRET-KEY-1…`` form (a secret: do not log it)."""
        return _bech32.encode(_IDENTITY_HRP, self.to_bytes())

    @property
    def recipient(self) -> X25519Recipient:
        """The public recipient matching this identity."""
        return self._recipient

    def __repr__(self) -> str:
        return f"X25519Identity(recipient={self._recipient.to_string()!r})"

    def _unwrap(self, stanza: Stanza) -> bytes | None:
        """Return the file key if ``stanza`` is addressed to this identity, else None.

        Raises HeaderError for a malformed X25519 stanza.
        """
        if stanza.type != "X25519":
            return None
        if len(stanza.args) != 1:
            raise HeaderError("X25519 stanza must have exactly one argument")
        share = b64decode(stanza.args[0].encode("ascii"))
        if len(share) != 32:
            raise HeaderError("X25519 share has the wrong length")
        if len(stanza.body) != FILE_KEY_SIZE + 16:
            raise HeaderError("X25519 stanza body has the wrong length")
        try:
            shared = self._key.exchange(X25519PublicKey.from_public_bytes(share))
        except ValueError:
            # OpenSSL refuses low-order points (an all-zero shared secret).
            raise HeaderError("X25519 share is a low-order point") from None
        if shared == bytes(32):  # pragma: no cover - OpenSSL already refuses it; kept as a second lock
            raise HeaderError("X25519 shared secret is all zero")
        wrap_key = hkdf(shared, share + self._recipient.public_bytes, _LABEL)
        try:
            return ChaCha20Poly1305(wrap_key).decrypt(_ZERO_NONCE, stanza.body, None)
        except InvalidTag:
            return None

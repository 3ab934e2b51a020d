"""A person's keys (the private identity file) and their shareable public card.

An identity is an X25519 key (age, for decryption), an Ed25519 key (for signing) and a random
key for the profile's encrypted database, kept in one file encrypted under the person's
passphrase with age's scrypt recipient. Its public half is a :class:`PublicCard`, self-signed,
with a short fingerprint people read to each other to confirm keys out of band.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import re
import secrets
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from panel_desk.core import age
from panel_desk.core.errors import InvalidInput, NotFound, PanelDeskError, WrongPassphrase
from panel_desk.core.files import write_atomic
from panel_desk.core.model import Member, Role, utcnow

__all__ = [
    "Identity",
    "PublicCard",
    "canonical_json",
    "format_fingerprint",
    "identity_passwd",
    "normalise_fingerprint",
]

IDENTITY_FORMAT = "panel-desk-identity"
CARD_FORMAT = "panel-desk-card"
FORMAT_VERSION = 1
DEFAULT_WORK_FACTOR = 18
MAX_WORK_FACTOR = 22
FINGERPRINT_DOMAIN = b"panel-desk fingerprint v1\n"
CARD_DOMAIN = b"panel-desk card v1\n"
FINGERPRINT_BYTES = 20  # 160 bits: 32 base32 characters, read aloud as 8 groups of 4
FINGERPRINT_LENGTH = 32
MAX_FILE_BYTES = 64 * 1024  # identity files and cards are small; refuse anything larger unread
STORE_KEY_BYTES = 32

_FINGERPRINT_RE = re.compile(r"^[A-Z2-7]{32}$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")

_CARD_ALTERED = ("This public card has been altered or damaged. Ask its owner for a new copy "
                 "and check the fingerprint with them.")


def canonical_json(value: object) -> bytes:
    """The one byte form of a JSON value that is signed: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str, length: int) -> bytes:
    """Strict standard base64 of exactly ``length`` bytes; ValueError otherwise."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise ValueError("is not base64") from None
    if len(raw) != length or _b64(raw) != text:
        raise ValueError(f"must be {length} bytes in canonical base64")
    return raw


def _fingerprint(x25519_public: bytes, ed25519_public: bytes) -> str:
    digest = hashlib.sha256(FINGERPRINT_DOMAIN + x25519_public + ed25519_public).digest()
    return base64.b32encode(digest[:FINGERPRINT_BYTES]).decode("ascii")


def format_fingerprint(fingerprint: str) -> str:
    """Return the fingerprint in groups of four for reading aloud (``"K7QM 2XPA …"``).

    Raises InvalidInput if it is not a fingerprint.
    """
    fp = normalise_fingerprint(fingerprint)
    return " ".join(fp[i:i + 4] for i in range(0, len(fp), 4))


def normalise_fingerprint(text: str) -> str:
    """Return the compact form of a fingerprint typed by a person (spaces, hyphens, lower case).

    Raises InvalidInput if what remains is not a fingerprint.
    """
    compact = re.sub(r"[\s\-]", "", str(text)).upper()
    if not _FINGERPRINT_RE.match(compact):
        raise InvalidInput(f"'{text}' is not a fingerprint. A fingerprint is {FINGERPRINT_LENGTH} "
                           "letters and digits, usually written in groups of four.")
    return compact


def _clean_text(value: str, what: str, *, required: bool) -> str:
    value = str(value).strip()
    if required and not value:
        raise ValueError(f"{what} must not be empty")
    if len(value) > 200 or _CONTROL_RE.search(value):
        raise ValueError(f"{what} must be one line of at most 200 characters")
    return value


def _read_small(path: Path, what: str) -> bytes:
    try:
        with Path(path).open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise NotFound(f"There is no file {path}. Check the name and try again.") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a folder, not {what}.") from None
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror}.") from None
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(f"{path} is not {what}: it is far too large.")
    return data


def _write_atomic(path: Path, data: bytes, *, mode: int = 0o600, exclusive: bool = False) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder, fsync and rename."""
    write_atomic(path, data, mode=mode, exclusive=exclusive)


# --- the public card ----------------------------------------------------------------------------


class PublicCard(BaseModel):
    """The public half of an identity: who someone is and the keys to write to them and check them.

    Build one with :attr:`Identity.card` or read one with :meth:`from_json` / :meth:`load`,
    which verify the self-signature.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)

    format: Literal["panel-desk-card"] = CARD_FORMAT
    version: Literal[1] = FORMAT_VERSION
    name: str
    role: Role
    organisation: str = ""
    acts_for: str = ""
    age_recipient: str = Field(description="age X25519 recipient, age1…")
    ed25519: str = Field(description="Ed25519 public key, base64")
    created_at: datetime
    self_signature: str = Field("", description="Ed25519 over the card without this field, base64")

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        return _clean_text(v, "the name", required=True)

    @field_validator("organisation", "acts_for")
    @classmethod
    def _line(cls, v: str) -> str:
        return _clean_text(v, "this field", required=False)

    @field_validator("age_recipient")
    @classmethod
    def _recipient(cls, v: str) -> str:
        try:
            parsed = age.X25519Recipient.parse(v)
        except (PanelDeskError, ValueError):
            raise ValueError("is not an age recipient") from None
        if parsed.to_string() != v:
            raise ValueError("is not an age recipient in canonical form")
        return v

    @field_validator("ed25519")
    @classmethod
    def _ed25519(cls, v: str) -> str:
        _unb64(v, 32)
        return v

    @field_validator("created_at")
    @classmethod
    def _aware(cls, v: datetime) -> datetime:
        if v.tzinfo is None:
            raise ValueError("must carry a time zone")
        return v

    # -- signing ---------------------------------------------------------------------------------

    def signed_bytes(self) -> bytes:
        """The bytes the self-signature covers: a domain prefix and the card without its signature."""
        return CARD_DOMAIN + canonical_json(self.model_dump(mode="json", exclude={"self_signature"}))

    @cached_property
    def _ed25519_key(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(_unb64(self.ed25519, 32))

    @cached_property
    def recipient(self) -> age.X25519Recipient:
        """The age recipient to encrypt to this person."""
        return age.X25519Recipient.parse(self.age_recipient)

    @cached_property
    def fingerprint(self) -> str:
        """Compact fingerprint (32 upper-case base32 characters) over both public keys."""
        return _fingerprint(self.recipient.public_bytes, _unb64(self.ed25519, 32))

    @property
    def formatted_fingerprint(self) -> str:
        """The fingerprint in groups of four, for reading aloud."""
        return format_fingerprint(self.fingerprint)

    @property
    def member(self) -> Member:
        """This person as a roster member."""
        return Member(fingerprint=self.fingerprint, name=self.name, role=self.role,
                      organisation=self.organisation, acts_for=self.acts_for)

    def verify(self, data: bytes, signature: bytes, domain: bytes) -> bool:
        """Return whether ``signature`` is this person's Ed25519 signature of ``domain + data``."""
        if not domain or len(signature) != 64:
            return False
        try:
            self._ed25519_key.verify(bytes(signature), bytes(domain) + bytes(data))
        except InvalidSignature:
            return False
        return True

    def _self_signed(self) -> bool:
        try:
            sig = _unb64(self.self_signature, 64)
        except ValueError:
            return False
        try:
            self._ed25519_key.verify(sig, self.signed_bytes())
        except InvalidSignature:
            return False
        return True

    # -- files -----------------------------------------------------------------------------------

    def to_json(self) -> bytes:
        """The card as a small, readable JSON file (UTF-8, ends with a newline)."""
        return (json.dumps(self.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes | str, source: str = "") -> PublicCard:
        """Read a card and check its self-signature.

        Raises InvalidInput when it is not a public card, or "This public card has been altered or
        damaged …" when the signature does not match.
        """
        where = f"{source} " if source else "This file "
        not_card = f"{where}is not a Panel Desk public card."
        if isinstance(data, str):
            data = data.encode("utf-8")
        if len(data) > MAX_FILE_BYTES:
            raise InvalidInput(not_card)
        try:
            raw = json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicates)
        except (UnicodeDecodeError, ValueError):
            raise InvalidInput(not_card) from None
        if not isinstance(raw, dict) or raw.get("format") != CARD_FORMAT:
            raise InvalidInput(not_card)
        if raw.get("version") != FORMAT_VERSION:
            raise InvalidInput(f"{where}is a public card from a newer version of Panel Desk. "
                               "Update Panel Desk to read it.")
        try:
            card = cls.model_validate(raw)
        except ValidationError:
            raise InvalidInput(_CARD_ALTERED) from None
        if not card._self_signed():
            raise InvalidInput(_CARD_ALTERED)
        return card

    @classmethod
    def load(cls, path: Path) -> PublicCard:
        """Read and check the card in ``path``. Raises NotFound or InvalidInput."""
        return cls.from_json(_read_small(Path(path), "a public card"), source=str(path))

    def save(self, path: Path) -> None:
        """Write the card to ``path`` atomically (readable by everyone: it holds no secret)."""
        _write_atomic(Path(path), self.to_json(), mode=0o644)


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


# --- the private identity -----------------------------------------------------------------------


class _IdentityFile(BaseModel):
    """The JSON held, encrypted, in an identity file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["panel-desk-identity"] = IDENTITY_FORMAT
    version: Literal[1] = FORMAT_VERSION
    name: str
    role: Role
    organisation: str = ""
    acts_for: str = ""
    created_at: datetime
    age_secret_key: str
    ed25519_private: str
    store_key: str


class Identity:
    """A person's private keys and the details on their public card.

    Make one with :meth:`create`, keep it with :meth:`save`, unlock it with :meth:`load`.
    """

    def __init__(self, *, name: str, role: Role, organisation: str, acts_for: str, created_at: datetime,
                 age_identity: age.X25519Identity, signing_key: Ed25519PrivateKey, store_key: bytes) -> None:
        self.name = name
        self.role = Role(role)
        self.organisation = organisation
        self.acts_for = acts_for
        self.created_at = created_at
        self.age_identity = age_identity
        self._signing_key = signing_key
        if len(store_key) != STORE_KEY_BYTES:
            raise ValueError("the store key must be 32 bytes")
        self.store_key = bytes(store_key)

    def __repr__(self) -> str:  # never show keys
        return f"<Identity {self.name!r} {self.role.value} {self.fingerprint}>"

    @classmethod
    def create(cls, name: str, role: Role | str, organisation: str, acts_for: str = "", *,
               now: datetime | None = None) -> Identity:
        """Return a new identity with fresh keys. Raises InvalidInput for an unusable name or role."""
        try:
            role = Role(role)
        except ValueError:
            raise InvalidInput(f"'{role}' is not a role. Use one of: {', '.join(r.value for r in Role)}.") from None
        try:
            name = _clean_text(name, "The name", required=True)
            organisation = _clean_text(organisation, "The organisation", required=False)
            acts_for = _clean_text(acts_for, "'Acts for'", required=False)
        except ValueError as exc:
            raise InvalidInput(f"{str(exc)[:1].upper()}{str(exc)[1:]}.") from None
        created = (now or utcnow()).replace(microsecond=0)
        return cls(name=name, role=role, organisation=organisation, acts_for=acts_for, created_at=created,
                   age_identity=age.X25519Identity.generate(), signing_key=Ed25519PrivateKey.generate(),
                   store_key=secrets.token_bytes(STORE_KEY_BYTES))

    # -- public half -----------------------------------------------------------------------------

    @cached_property
    def ed25519_public(self) -> bytes:
        """The raw 32-byte Ed25519 public key."""
        return self._signing_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @cached_property
    def card(self) -> PublicCard:
        """The self-signed public card (the same bytes every time for the same identity)."""
        unsigned = PublicCard(name=self.name, role=self.role, organisation=self.organisation,
                              acts_for=self.acts_for, age_recipient=self.age_identity.recipient.to_string(),
                              ed25519=_b64(self.ed25519_public), created_at=self.created_at)
        signature = self._signing_key.sign(unsigned.signed_bytes())
        return unsigned.model_copy(update={"self_signature": _b64(signature)})

    @property
    def fingerprint(self) -> str:
        """Compact fingerprint of the public card."""
        return self.card.fingerprint

    @property
    def member(self) -> Member:
        """This person as a roster member."""
        return self.card.member

    def sign(self, data: bytes, domain: bytes) -> bytes:
        """Return the 64-byte Ed25519 signature of ``domain + data``.

        ``domain`` names what is signed (e.g. ``b"panel-desk manifest v1\\n"``) so a signature
        made for one purpose can never be replayed for another. Raises ValueError if it is empty.
        """
        if not domain:
            raise ValueError("a signature needs a domain-separation prefix")
        return self._signing_key.sign(bytes(domain) + bytes(data))

    # -- the file --------------------------------------------------------------------------------

    def _to_json(self) -> bytes:
        seed = self._signing_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        doc = _IdentityFile(name=self.name, role=self.role, organisation=self.organisation,
                            acts_for=self.acts_for, created_at=self.created_at,
                            age_secret_key=self.age_identity.to_string(), ed25519_private=_b64(seed),
                            store_key=_b64(self.store_key))
        return canonical_json(doc.model_dump(mode="json"))

    def save(self, path: Path, passphrase: str, *, work_factor: int = DEFAULT_WORK_FACTOR,
             overwrite: bool = True) -> None:
        """Encrypt this identity under ``passphrase`` into ``path``, atomically, mode 0600.

        ``work_factor`` is scrypt's log2(N): 18 or more in use (smaller only in tests). With
        ``overwrite=False`` an existing file is refused. Raises InvalidInput or NotFound.
        """
        if not passphrase:
            raise InvalidInput("The passphrase is empty. Choose a passphrase of several words.")
        if not 1 <= work_factor <= MAX_WORK_FACTOR:
            raise ValueError(f"scrypt work factor must be between 1 and {MAX_WORK_FACTOR}")
        data = age.encrypt_bytes([age.ScryptRecipient(passphrase, work_factor=work_factor)], self._to_json())
        _write_atomic(Path(path), data, mode=0o600, exclusive=not overwrite)

    @classmethod
    def load(cls, path: Path, passphrase: str) -> Identity:
        """Unlock the identity file ``path`` with ``passphrase`` and return it.

        Raises WrongPassphrase, NotFound, or InvalidInput ("… is not a Panel Desk identity file …").
        """
        path = Path(path)
        return cls.from_bytes(_read_small(path, "a Panel Desk identity file"), passphrase, source=str(path))

    @classmethod
    def from_bytes(cls, data: bytes, passphrase: str, *, source: str = "This file") -> Identity:
        """Unlock the bytes of an identity file (e.g. one held inside a backup); raises as :meth:`load`."""
        path = source
        if len(data) > MAX_FILE_BYTES:
            raise InvalidInput(f"{source} is not a Panel Desk identity file: it is far too large.")
        not_identity = (f"{path} is not a Panel Desk identity file, or it is damaged. "
                        "Check you chose the right file (a public card is not an identity).")
        try:
            types = age.header_stanza_types(io.BytesIO(data))
        except age.AgeError:
            raise InvalidInput(not_identity) from None
        if types != ["scrypt"]:
            raise InvalidInput(not_identity)
        try:
            plain = age.decrypt_bytes([age.ScryptIdentity(passphrase, max_work_factor=MAX_WORK_FACTOR)], data)
        except WrongPassphrase:
            raise WrongPassphrase() from None
        except age.AgeError:
            raise InvalidInput(not_identity) from None
        try:
            raw = json.loads(plain.decode("utf-8"), object_pairs_hook=_no_duplicates)
        except (UnicodeDecodeError, ValueError):
            raise InvalidInput(not_identity) from None
        if not isinstance(raw, dict) or raw.get("format") != IDENTITY_FORMAT:
            raise InvalidInput(not_identity)
        if raw.get("version") != FORMAT_VERSION:
            raise InvalidInput(f"{path} was made by a newer version of Panel Desk. Update Panel Desk to use it.")
        try:
            doc = _IdentityFile.model_validate(raw)
            signing_key = Ed25519PrivateKey.from_private_bytes(_unb64(doc.ed25519_private, 32))
            return cls(name=doc.name, role=doc.role, organisation=doc.organisation, acts_for=doc.acts_for,
                       created_at=doc.created_at, age_identity=age.X25519Identity.parse(doc.age_secret_key),
                       signing_key=signing_key, store_key=_unb64(doc.store_key, STORE_KEY_BYTES))
        except (ValueError, PanelDeskError):  # pydantic's ValidationError is a ValueError
            raise InvalidInput(not_identity) from None

    @staticmethod
    def change_passphrase(path: Path, old: str, new: str, *, work_factor: int = DEFAULT_WORK_FACTOR) -> Identity:
        """Re-encrypt the identity file ``path`` under ``new``; keys and store key are unchanged.

        Returns the identity. Raises WrongPassphrase if ``old`` does not unlock it, InvalidInput
        for an empty new passphrase.
        """
        identity = Identity.load(path, old)
        identity.save(path, new, work_factor=work_factor)
        return identity

    def export_age_key(self, *, now: datetime | None = None) -> str:
        """The ``AGE-SECRET-KEY-1…`` key file text for the standard ``age`` tool, with comments."""
        created = (now or utcnow()).replace(microsecond=0).isoformat()
        return (f"# created: {created}\n"
                f"# public key: {self.age_identity.recipient.to_string()}\n"
                f"# Panel Desk identity of {self.name} ({self.fingerprint})\n"
                f"{self.age_identity.to_string()}\n")


def identity_passwd(path: Path, old: str, new: str, *, work_factor: int = DEFAULT_WORK_FACTOR) -> Identity:
    """Change the passphrase of the identity file ``path`` (see :meth:`Identity.change_passphrase`)."""
    return Identity.change_passphrase(path, old, new, work_factor=work_factor)

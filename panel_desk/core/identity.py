"""A person's keys (the private identity file) and their shareable public card.

An identity is an X25519 key (age, for decryption), an Ed25519 key (for signing) and a random
key for the profile's encrypted database, kept in one file encrypted under the person's
passphrase with age's scrypt recipient. Its public half is a :class:`PublicCard`, self-signed,
with a short fingerprint people read to each other to confirm keys out of band.

Post-quantum: identities made now also hold age's hybrid ML-KEM-768 + X25519 key
(``mlkem768x25519``) and an ML-DSA-65 signing key; their cards (format version 2) carry the hybrid
recipient and the ML-DSA public key, and the fingerprint covers every key. Files with only the
classic keys (version 1, made before) still open and their cards still load, with the same
fingerprint as before. :func:`age_recipients` picks the recipients for a set of cards: hybrid
when every card has one, otherwise classic for all (age never mixes the two in one file).
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
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA65PrivateKey, MLDSA65PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from panel_desk.core import age
from panel_desk.core.errors import InvalidInput, NotFound, PanelDeskError, WrongPassphrase
from panel_desk.core.files import write_atomic
from panel_desk.core.model import Member, Role, utcnow

__all__ = [
    "Identity",
    "PublicCard",
    "age_recipients",
    "canonical_json",
    "format_fingerprint",
    "identity_passwd",
    "normalise_fingerprint",
]

IDENTITY_FORMAT = "panel-desk-identity"
CARD_FORMAT = "panel-desk-card"
FORMAT_VERSION = 1  # classic keys only (made before post-quantum keys)
PQ_FORMAT_VERSION = 2  # with the hybrid age key and the ML-DSA-65 key
DEFAULT_WORK_FACTOR = 18
MAX_WORK_FACTOR = 20  # scrypt 2^20: about a second and 1 GiB; more is refused unopened
FINGERPRINT_DOMAIN = b"panel-desk fingerprint v1\n"
FINGERPRINT_DOMAIN_V2 = b"panel-desk fingerprint v2\n"
MLDSA65_PUBLIC_BYTES = 1952
MLDSA65_SIGNATURE_BYTES = 3309
ED25519_SIGNATURE_BYTES = 64
DUAL_SIGNATURE_BYTES = ED25519_SIGNATURE_BYTES + MLDSA65_SIGNATURE_BYTES
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


def _fingerprint(x25519_public: bytes, ed25519_public: bytes, pq_public: bytes = b"", mldsa_public: bytes = b"") -> str:
    if pq_public:
        data = FINGERPRINT_DOMAIN_V2 + x25519_public + ed25519_public + pq_public + mldsa_public
    else:
        data = FINGERPRINT_DOMAIN + x25519_public + ed25519_public
    digest = hashlib.sha256(data).digest()
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
    version: Literal[1, 2] = FORMAT_VERSION
    name: str
    role: Role
    organisation: str = ""
    acts_for: str = ""
    age_recipient: str = Field(description="age X25519 recipient, age1…")
    ed25519: str = Field(description="Ed25519 public key, base64")
    age_pq_recipient: str = Field("", description="age hybrid ML-KEM-768 + X25519 recipient, age1pq1… (v2)")
    mldsa65: str = Field("", description="ML-DSA-65 public key, base64 (v2)")
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

    @field_validator("age_pq_recipient")
    @classmethod
    def _pq_recipient(cls, v: str) -> str:
        if not v:
            return v
        try:
            age.HybridRecipient.parse(v)
        except (PanelDeskError, ValueError):
            raise ValueError("is not a post-quantum age recipient") from None
        if v != v.lower() or v != v.strip():  # bech32 decoding refuses bad padding; lower case is the one form
            raise ValueError("is not a post-quantum age recipient in canonical form")
        return v

    @field_validator("mldsa65")
    @classmethod
    def _mldsa65(cls, v: str) -> str:
        if v:
            MLDSA65PublicKey.from_public_bytes(_unb64(v, MLDSA65_PUBLIC_BYTES))
        return v

    @model_validator(mode="after")
    def _keys_match_version(self) -> PublicCard:
        has_pq = bool(self.age_pq_recipient) and bool(self.mldsa65)
        if self.version == FORMAT_VERSION and (self.age_pq_recipient or self.mldsa65):
            raise ValueError("a version 1 card carries no post-quantum keys")
        if self.version == PQ_FORMAT_VERSION and not has_pq:
            raise ValueError("a version 2 card carries both post-quantum keys")
        return self

    def _dump(self, *, exclude: set[str] | None = None) -> dict:
        """The card's JSON fields; a classic (version 1) card has exactly the fields it always had."""
        omit = set(exclude or ())
        if self.version == FORMAT_VERSION:
            omit |= {"age_pq_recipient", "mldsa65"}
        return self.model_dump(mode="json", exclude=omit)

    @field_validator("created_at")
    @classmethod
    def _aware(cls, v: datetime) -> datetime:
        if v.tzinfo is None:
            raise ValueError("must carry a time zone")
        return v

    # -- signing ---------------------------------------------------------------------------------

    def signed_bytes(self) -> bytes:
        """The bytes the self-signature covers: a domain prefix and the card without its signature."""
        return CARD_DOMAIN + canonical_json(self._dump(exclude={"self_signature"}))

    @cached_property
    def _ed25519_key(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(_unb64(self.ed25519, 32))

    @cached_property
    def recipient(self) -> age.X25519Recipient:
        """The classic age recipient of this person (X25519)."""
        return age.X25519Recipient.parse(self.age_recipient)

    @cached_property
    def pq_recipient(self) -> age.HybridRecipient | None:
        """The post-quantum hybrid age recipient (ML-KEM-768 + X25519), or None on a classic card."""
        return age.HybridRecipient.parse(self.age_pq_recipient) if self.age_pq_recipient else None

    @property
    def post_quantum(self) -> bool:
        """Whether this card carries post-quantum keys (hybrid age recipient and ML-DSA-65)."""
        return self.version == PQ_FORMAT_VERSION

    @cached_property
    def _mldsa_key(self) -> MLDSA65PublicKey | None:
        if not self.mldsa65:
            return None
        return MLDSA65PublicKey.from_public_bytes(_unb64(self.mldsa65, MLDSA65_PUBLIC_BYTES))

    @cached_property
    def fingerprint(self) -> str:
        """Compact fingerprint (32 upper-case base32 characters) over all the card's public keys."""
        pq = self.pq_recipient
        return _fingerprint(self.recipient.public_bytes, _unb64(self.ed25519, 32),
                            pq.public_bytes if pq else b"",
                            _unb64(self.mldsa65, MLDSA65_PUBLIC_BYTES) if self.mldsa65 else b"")

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

    def verify_pq(self, data: bytes, signature: bytes, domain: bytes) -> bool:
        """Return whether ``signature`` is this person's ML-DSA-65 signature of ``domain + data``.

        False on a classic card (it has no ML-DSA key).
        """
        key = self._mldsa_key
        if key is None or not domain or len(signature) != MLDSA65_SIGNATURE_BYTES:
            return False
        try:
            key.verify(bytes(signature), bytes(domain) + bytes(data))
        except InvalidSignature:
            return False
        return True

    def verify_dual(self, data: bytes, signature: bytes, domain: bytes) -> bool:
        """Check a signature made by :meth:`Identity.sign_dual` with the keys this card carries.

        A post-quantum card needs both its Ed25519 and its ML-DSA-65 signature (64 + 3,309 bytes,
        both valid): a bare Ed25519 signature is refused, so a forger who could break Ed25519
        alone gains nothing. A classic card needs its 64-byte Ed25519 signature.
        """
        signature = bytes(signature)
        if self.post_quantum:
            return (len(signature) == DUAL_SIGNATURE_BYTES
                    and self.verify(data, signature[:ED25519_SIGNATURE_BYTES], domain)
                    and self.verify_pq(data, signature[ED25519_SIGNATURE_BYTES:], domain))
        return len(signature) == ED25519_SIGNATURE_BYTES and self.verify(data, signature, domain)

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
        return (json.dumps(self._dump(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")

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
        if raw.get("version") not in (FORMAT_VERSION, PQ_FORMAT_VERSION):
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
    version: Literal[1, 2] = FORMAT_VERSION
    name: str
    role: Role
    organisation: str = ""
    acts_for: str = ""
    created_at: datetime
    age_secret_key: str
    ed25519_private: str
    store_key: str
    age_pq_secret_key: str = ""  # AGE-SECRET-KEY-PQ-1… (version 2)
    mldsa65_seed: str = ""  # base64 of the 32-byte ML-DSA-65 seed (version 2)

    @model_validator(mode="after")
    def _keys_match_version(self) -> _IdentityFile:
        has_pq = bool(self.age_pq_secret_key) and bool(self.mldsa65_seed)
        if (self.version == PQ_FORMAT_VERSION) != has_pq or (not has_pq and (self.age_pq_secret_key or self.mldsa65_seed)):
            raise ValueError("post-quantum keys do not match the version")
        return self


def age_recipients(cards: list[PublicCard] | tuple[PublicCard, ...]) -> list[age.Recipient]:
    """The age recipients to encrypt one file to ``cards``.

    Hybrid post-quantum recipients when every card carries one; otherwise every card's classic
    X25519 recipient, because age refuses to mix the two kinds in one file (a file is only as
    strong as its weakest recipient, so mixing would only pretend to protect).
    """
    if cards and all(card.pq_recipient is not None for card in cards):
        return [card.pq_recipient for card in cards]  # type: ignore[misc]
    return [card.recipient for card in cards]


class Identity:
    """A person's private keys and the details on their public card.

    Make one with :meth:`create`, keep it with :meth:`save`, unlock it with :meth:`load`.
    """

    def __init__(self, *, name: str, role: Role, organisation: str, acts_for: str, created_at: datetime,
                 age_identity: age.X25519Identity, signing_key: Ed25519PrivateKey, store_key: bytes,
                 pq_identity: age.HybridIdentity | None = None,
                 mldsa_key: MLDSA65PrivateKey | None = None) -> None:
        self.name = name
        self.role = Role(role)
        self.organisation = organisation
        self.acts_for = acts_for
        self.created_at = created_at
        self.age_identity = age_identity
        if (pq_identity is None) != (mldsa_key is None):
            raise ValueError("an identity has both post-quantum keys or neither")
        self.pq_identity = pq_identity
        self._mldsa_key = mldsa_key
        self._signing_key = signing_key
        if len(store_key) != STORE_KEY_BYTES:
            raise ValueError("the store key must be 32 bytes")
        self.store_key = bytes(store_key)

    def __repr__(self) -> str:  # never show keys
        return f"<Identity {self.name!r} {self.role.value} {self.fingerprint}>"

    @classmethod
    def create(cls, name: str, role: Role | str, organisation: str, acts_for: str = "", *,
               now: datetime | None = None, post_quantum: bool = True) -> Identity:
        """Return a new identity with fresh keys. Raises InvalidInput for an unusable name or role.

        With ``post_quantum`` (the default) it also holds a hybrid ML-KEM-768 + X25519 age key and
        an ML-DSA-65 signing key; ``post_quantum=False`` makes a classic identity as before.
        """
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
                   store_key=secrets.token_bytes(STORE_KEY_BYTES),
                   pq_identity=age.HybridIdentity.generate() if post_quantum else None,
                   mldsa_key=MLDSA65PrivateKey.generate() if post_quantum else None)

    # -- public half -----------------------------------------------------------------------------

    @cached_property
    def ed25519_public(self) -> bytes:
        """The raw 32-byte Ed25519 public key."""
        return self._signing_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def post_quantum(self) -> bool:
        """Whether this identity holds post-quantum keys (hybrid age key and ML-DSA-65)."""
        return self.pq_identity is not None

    @property
    def age_identities(self) -> list[age.Identity]:
        """Every age key of this person, to open files sealed to either kind of recipient."""
        return [self.pq_identity, self.age_identity] if self.pq_identity is not None else [self.age_identity]

    @cached_property
    def card(self) -> PublicCard:
        """The self-signed public card (the same bytes every time for the same identity)."""
        pq: dict = {}
        if self.pq_identity is not None and self._mldsa_key is not None:
            pq = {"version": PQ_FORMAT_VERSION, "age_pq_recipient": self.pq_identity.recipient.to_string(),
                  "mldsa65": _b64(self._mldsa_key.public_key().public_bytes_raw())}
        unsigned = PublicCard(name=self.name, role=self.role, organisation=self.organisation,
                              acts_for=self.acts_for, age_recipient=self.age_identity.recipient.to_string(),
                              ed25519=_b64(self.ed25519_public), created_at=self.created_at, **pq)
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

    def sign_dual(self, data: bytes, domain: bytes) -> bytes:
        """Return the Ed25519 signature of ``domain + data`` followed, for a post-quantum identity,
        by its ML-DSA-65 signature (64 or 64 + 3,309 bytes); check it with :meth:`PublicCard.verify_dual`.

        Raises ValueError if ``domain`` is empty.
        """
        pq = self.sign_pq(data, domain)
        return self.sign(data, domain) + (pq or b"")

    def sign_pq(self, data: bytes, domain: bytes) -> bytes | None:
        """Return the ML-DSA-65 signature of ``domain + data``, or None for a classic identity.

        Raises ValueError if ``domain`` is empty.
        """
        if not domain:
            raise ValueError("a signature needs a domain-separation prefix")
        if self._mldsa_key is None:
            return None
        return self._mldsa_key.sign(bytes(domain) + bytes(data))

    # -- the file --------------------------------------------------------------------------------

    def _to_json(self) -> bytes:
        seed = self._signing_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        pq: dict = {}
        if self.pq_identity is not None and self._mldsa_key is not None:
            pq = {"version": PQ_FORMAT_VERSION, "age_pq_secret_key": self.pq_identity.to_string(),
                  "mldsa65_seed": _b64(self._mldsa_key.private_bytes_raw())}
        doc = _IdentityFile(name=self.name, role=self.role, organisation=self.organisation,
                            acts_for=self.acts_for, created_at=self.created_at,
                            age_secret_key=self.age_identity.to_string(), ed25519_private=_b64(seed),
                            store_key=_b64(self.store_key), **pq)
        exclude = set() if pq else {"age_pq_secret_key", "mldsa65_seed"}
        return canonical_json(doc.model_dump(mode="json", exclude=exclude))

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

        Raises WrongPassphrase, NotFound, or InvalidInput ("… is not a Panel Desk identity file …",
        or "… asks for more work than Panel Desk allows …" for an scrypt work factor over 2^20).
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
        except age.WorkFactorTooHigh as exc:
            raise InvalidInput(
                f"{path}: this identity file asks for more work than Panel Desk allows "
                f"(2^{exc.work_factor}; at most 2^{MAX_WORK_FACTOR}) to unlock it, so it was not opened: "
                "that could take minutes and gigabytes of memory. Panel Desk makes its identity files "
                f"with 2^{DEFAULT_WORK_FACTOR}; use your own identity file, or ask whoever made this one "
                "to make it again with Panel Desk."
            ) from None
        except age.AgeError:
            raise InvalidInput(not_identity) from None
        try:
            raw = json.loads(plain.decode("utf-8"), object_pairs_hook=_no_duplicates)
        except (UnicodeDecodeError, ValueError):
            raise InvalidInput(not_identity) from None
        if not isinstance(raw, dict) or raw.get("format") != IDENTITY_FORMAT:
            raise InvalidInput(not_identity)
        if raw.get("version") not in (FORMAT_VERSION, PQ_FORMAT_VERSION):
            raise InvalidInput(f"{path} was made by a newer version of Panel Desk. Update Panel Desk to use it.")
        try:
            doc = _IdentityFile.model_validate(raw)
            signing_key = Ed25519PrivateKey.from_private_bytes(_unb64(doc.ed25519_private, 32))
            pq_identity = age.HybridIdentity.parse(doc.age_pq_secret_key) if doc.age_pq_secret_key else None
            mldsa_key = MLDSA65PrivateKey.from_seed_bytes(_unb64(doc.mldsa65_seed, 32)) if doc.mldsa65_seed else None
            return cls(name=doc.name, role=doc.role, organisation=doc.organisation, acts_for=doc.acts_for,
                       created_at=doc.created_at, age_identity=age.X25519Identity.parse(doc.age_secret_key),
                       signing_key=signing_key, store_key=_unb64(doc.store_key, STORE_KEY_BYTES),
                       pq_identity=pq_identity, mldsa_key=mldsa_key)
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

    def export_age_key(self, *, now: datetime | None = None, classic_only: bool = False) -> str:
        """The age key file text for the standard ``age`` tool, with comments.

        For a post-quantum identity it holds the ``AGE-SECRET-KEY-PQ-1…`` key (which age reads
        from version 1.3) and then the classic ``AGE-SECRET-KEY-1…`` key; ``classic_only`` leaves
        the first out, for older age tools (they cannot open post-quantum bundles).
        """
        created = (now or utcnow()).replace(microsecond=0).isoformat()
        lines = [f"# created: {created}", f"# Panel Desk identity of {self.name} ({self.fingerprint})"]
        if self.pq_identity is not None and not classic_only:
            lines += ["# post-quantum key (bundles sealed to post-quantum panels; needs age 1.3 or later):",
                      f"# public key: {self.pq_identity.recipient.to_string()}",
                      self.pq_identity.to_string(),
                      "# classic key:"]
        lines += [f"# public key: {self.age_identity.recipient.to_string()}", self.age_identity.to_string()]
        return "\n".join(lines) + "\n"


def identity_passwd(path: Path, old: str, new: str, *, work_factor: int = DEFAULT_WORK_FACTOR) -> Identity:
    """Change the passphrase of the identity file ``path`` (see :meth:`Identity.change_passphrase`)."""
    return Identity.change_passphrase(path, old, new, work_factor=work_factor)

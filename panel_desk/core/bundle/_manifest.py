"""The bundle's manifest: what it is, who made it, for whom, and a hash of every file.

``manifest.json`` is canonical JSON (sorted keys, no spaces, UTF-8) and ``manifest.sig`` is the
creator's Ed25519 signature over :data:`MANIFEST_DOMAIN` followed by those exact bytes.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from panel_desk.core.bundle._errors import Damaged, UnsupportedVersion
from panel_desk.core.errors import InvalidInput
from panel_desk.core.identity import canonical_json

MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
MANIFEST_DOMAIN = b"panel-desk manifest v1\n"
FORMAT_VERSION = 1
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
SIGNATURE_BYTES = 64

# Bounds of the manifest's JSON, checked before anything else looks at it: a signed manifest
# proves who made it, not that it is sane.
MAX_DEPTH = 16  # a response's answers are 5 levels deep
MAX_NODES = 100_000
MAX_STRING = 200_000  # characters in one string (a long rationale)
MAX_KEY = 100
MAX_INT = 2**53  # what every JSON reader represents exactly; far below SQLite's limit
MAX_REVISION = 10_000
MAX_FILES_LISTED = 1000
MAX_OFFSET = timedelta(hours=14)  # the widest real time zone

_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
_FP_RE = re.compile(r"^[A-Z2-7]{32}$")
_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
_MEDIA_TYPE_PATTERN = r"^[a-z0-9][a-z0-9.+-]{0,62}/[a-z0-9][a-z0-9.+-]{0,126}$"


class Kind(StrEnum):
    """What a bundle carries."""

    APPLICATION = "application"
    RESPONSE = "response"
    DECLARATION = "declaration"
    DRAFT_ADVICE = "draft-advice"
    SIGNOFF = "signoff"
    WITHDRAWAL = "withdrawal"
    HANDOVER = "handover"

    @property
    def label(self) -> str:
        """The kind in words, for a person."""
        return KIND_LABELS[self]


KIND_LABELS = {
    Kind.APPLICATION: "An application",
    Kind.RESPONSE: "A member's response",
    Kind.DECLARATION: "A declaration of interests",
    Kind.DRAFT_ADVICE: "A draft of the panel's advice",
    Kind.SIGNOFF: "A member's sign-off of the draft advice",
    Kind.WITHDRAWAL: "The withdrawal of an application",
    Kind.HANDOVER: "The handover of the secretariat's key",
}

Fingerprint = Annotated[str, Field(pattern=_FP_RE.pattern)]


class FileEntry(BaseModel):
    """One file carried in the bundle, with what it must hash to."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = Field(min_length=1, max_length=512)
    sha256: str
    size: int = Field(ge=0, le=MAX_INT)
    media_type: str = Field("application/octet-stream", pattern=_MEDIA_TYPE_PATTERN)
    title: str = Field("", max_length=500)

    @field_validator("sha256")
    @classmethod
    def _hex(cls, v: str) -> str:
        if not _SHA256_RE.match(v):
            raise ValueError("must be 64 lower-case hex digits")
        return v


class Manifest(BaseModel):
    """The signed description of a bundle."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: int = FORMAT_VERSION
    kind: Kind
    bundle_id: str = Field(pattern=_ID_PATTERN)
    application_id: str = Field(pattern=_ID_PATTERN)
    revision: int = Field(ge=1, le=MAX_REVISION)
    created_at: datetime
    expires_at: datetime | None = None
    creator: Fingerprint
    recipients: list[Fingerprint] = Field(min_length=1, max_length=20)
    form_id: str = Field("", max_length=64)
    form_version: int = Field(0, ge=0, le=MAX_REVISION)
    files: list[FileEntry] = Field(default_factory=list, max_length=MAX_FILES_LISTED)
    payload: dict[str, Any] = Field(default_factory=dict)

    @field_validator("created_at", "expires_at")
    @classmethod
    def _aware(cls, v: datetime | None) -> datetime | None:
        if v is not None:
            check_moment(v)
        return v

    def to_bytes(self) -> bytes:
        """The canonical bytes written as ``manifest.json`` and signed."""
        return canonical_json(self.model_dump(mode="json"))

    def file(self, path: str) -> FileEntry:
        """The entry for ``path``. Raises NotFound."""
        for f in self.files:
            if f.path == path:
                return f
        from panel_desk.core.errors import NotFound

        raise NotFound(f"This bundle has no file {path}.")


def check_moment(v: datetime) -> None:
    """Refuse a time without a zone or with an offset no real zone has.

    Whether the time itself is plausible is the clock check's business (``_dates``), which says
    so in words. Raises ValueError (pydantic turns it into a validation error).
    """
    offset = v.utcoffset()
    if offset is None:
        raise ValueError("must carry a time zone")
    if abs(offset) > MAX_OFFSET:
        raise ValueError("has a time zone offset no real place uses")


def check_shape(value: object) -> None:
    """Refuse JSON deeper, larger, longer or with bigger integers than any manifest needs.

    Walks without recursion, so no shape can exhaust the stack. Raises ValueError.
    """
    stack: list[tuple[object, int]] = [(value, 1)]
    nodes = 0
    while stack:
        item, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise ValueError("too many values")
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise ValueError("nested too deeply")
            if isinstance(item, dict):
                for key, child in item.items():
                    if not isinstance(key, str) or len(key) > MAX_KEY:
                        raise ValueError("a name is too long")
                    stack.append((child, depth + 1))
            else:
                stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, str):
            if len(item) > MAX_STRING:
                raise ValueError("a text is too long")
        elif isinstance(item, int) and not -MAX_INT <= item <= MAX_INT:  # True and False pass
            raise ValueError("a number is too large")
        # the rest is None (floats are refused while parsing)


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise ValueError("duplicate key")
        out[key] = value
    return out


def _no_floats(text: str) -> float:
    raise ValueError("floats are not used in manifests")


def parse_raw(data: bytes) -> dict:
    """Parse ``manifest.json`` bytes, which must be canonical, into a dict.

    Raises Damaged when it is not canonical JSON, UnsupportedVersion for another format version.
    """
    damaged = Damaged("This bundle's list of contents cannot be read. Ask the sender for a new copy.")
    if len(data) > MAX_MANIFEST_BYTES:
        raise damaged
    try:
        raw = json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_float=_no_floats,
                         parse_constant=_no_floats)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise damaged from None
    if not isinstance(raw, dict):
        raise damaged
    try:
        check_shape(raw)
    except ValueError:
        raise damaged from None
    if type(raw.get("format")) is not int or raw["format"] != FORMAT_VERSION:
        raise UnsupportedVersion()
    if canonical_json(raw) != data:
        raise damaged
    return raw


def validate(raw: dict) -> Manifest:
    """Validate a parsed, signature-checked manifest. Raises UnsupportedVersion or Damaged."""
    kind = raw.get("kind")
    if not isinstance(kind, str) or kind not in {k.value for k in Kind}:
        raise UnsupportedVersion("This bundle is of a kind this version of Panel Desk does not know. "
                                 "Update Panel Desk and try again.")
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError:
        raise Damaged("This bundle's list of contents is not valid. Ask the sender for a new copy.") from None
    if manifest.to_bytes() != canonical_json(raw):  # e.g. a date written two ways
        raise Damaged("This bundle's list of contents is not valid. Ask the sender for a new copy.")
    return manifest


# --- the structured payload of each kind -------------------------------------------------------


class Withdrawal(BaseModel):
    """The secretariat withdraws an application."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reason: str = Field(min_length=1)


class Handover(BaseModel):
    """The secretariat's key changes hands: signed by the old key, naming the new card."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    new_card: dict[str, Any]
    effective_at: datetime
    reason: str = Field(min_length=1, max_length=2000)

    @field_validator("effective_at")
    @classmethod
    def _aware(cls, v: datetime) -> datetime:
        if v.tzinfo is None:
            raise ValueError("must carry a time zone")
        return v


HANDOVER_APPLICATION_ID = "panel-secretariat"  # a handover is about the panel, not one application


def payload_model(kind: Kind) -> type[BaseModel]:
    """The model a kind's payload must validate as."""
    from panel_desk.core import model

    return {
        Kind.APPLICATION: model.Application,
        Kind.RESPONSE: model.Response,
        Kind.DECLARATION: model.ConflictDeclaration,
        Kind.DRAFT_ADVICE: model.DraftAdvice,
        Kind.SIGNOFF: model.SignOff,
        Kind.WITHDRAWAL: Withdrawal,
        Kind.HANDOVER: Handover,
    }[kind]


def payload_application_id(kind: Kind, payload: BaseModel) -> str:
    """The application a payload is about."""
    return payload.id if kind is Kind.APPLICATION else getattr(payload, "application_id", "")


# Which field of each kind's payload is the revision the bundle carries (a withdrawal has none).
_REVISION_FIELD = {
    Kind.APPLICATION: "revision",
    Kind.RESPONSE: "revision",
    Kind.DECLARATION: "application_revision",
    Kind.DRAFT_ADVICE: "revision",
    Kind.SIGNOFF: "draft_revision",
}


def check_payload(kind: Kind, payload: dict, application_id: str, files: list[FileEntry],
                  revision: int | None = None) -> BaseModel:
    """Validate ``payload`` for ``kind`` and its agreement with the bundle; return the model.

    The payload must be about ``application_id`` and, when ``revision`` is given, carry that
    revision: an application's or a response's own, the application revision a declaration is
    for, a draft's, or the draft revision a sign-off answers. Raises InvalidInput naming the
    problem (the caller turns it into its own error on opening).
    """
    from panel_desk.core.model import parse_model

    obj = parse_model(payload_model(kind), payload, f"the {kind.value} in the bundle")
    found = payload_application_id(kind, obj)
    if found and found != application_id:
        raise InvalidInput(f"The {kind.value} is about application {found}, not {application_id}.")
    field = _REVISION_FIELD.get(kind)
    if revision is not None and field is not None and getattr(obj, field) != revision:
        raise InvalidInput(f"The {kind.value} is revision {getattr(obj, field)}, but the bundle says revision {revision}.")
    if kind is Kind.APPLICATION:
        by_path = {f.path: f for f in files}
        for doc in obj.documents:
            carried = by_path.get(doc.path)
            if carried is None:
                raise InvalidInput(f"The application lists the document {doc.path}, which is not in the bundle.")
            if (doc.sha256 and doc.sha256 != carried.sha256) or (doc.size and doc.size != carried.size):
                raise InvalidInput(f"The document {doc.path} is not the one the application describes.")
    return obj

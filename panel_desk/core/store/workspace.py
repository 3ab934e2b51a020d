"""The Workspace: everything one person's profile holds, behind verbs a panel member would use.

A profile folder holds ``identity.age`` (the person's identity, under their passphrase),
``store.db`` (SQLCipher, keyed with the random store key inside the identity) and ``bundles/``
(every received or self-sealed bundle, kept sealed: documents are decrypted in memory only when
read). Every state-changing method appends to the hash-chained audit log in the same
transaction. After :meth:`Workspace.lock` every method raises :class:`errors.Locked`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO, Literal

from panel_desk.core.errors import PanelDeskError
from panel_desk.core.identity import Identity, PublicCard
from panel_desk.core.model import (
    Advice,
    Annotation,
    Application,
    ConflictDecision,
    ConflictDeclaration,
    DocumentRef,
    DraftAdvice,
    Member,
    Response,
    ResponseAnswers,
    Role,
    SignOff,
)

IDENTITY_FILE = "identity.age"
DATABASE_FILE = "store.db"
BUNDLES_DIR = "bundles"

Progress = Callable[[int, int], None]  # (done, total), as the window's progress bar takes it
CancelCheck = Callable[[], bool]
ImportStatus = Literal["imported", "duplicate", "superseded", "refused"]


class DeclarationNeeded(PanelDeskError):
    """A member tried to read an application's documents before declaring their interests."""

    def __init__(self, message: str = ("Declare your interests in this application before reading its "
                                       "documents.")) -> None:
        super().__init__(message)


class ApplicationStatus(StrEnum):
    """Where an application stands, for a member or for the secretariat (``.label`` in words)."""

    # member side
    INTERESTS_NEEDED = "interests-needed"
    IN_REVIEW = "in-review"
    RESPONSE_SENT = "response-sent"
    DRAFT_TO_REVIEW = "draft-to-review"
    SIGNED_OFF = "signed-off"
    # both
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    # secretariat side
    DRAFT = "draft"
    CIRCULATED = "circulated"
    RESPONSES_IN = "responses-in"
    ADVICE_DRAFTED = "advice-drafted"
    ADVICE_CIRCULATED = "advice-circulated"
    FINALISED = "finalised"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        """The status in words, for a person."""
        return STATUS_LABELS[self]


STATUS_LABELS = {
    ApplicationStatus.INTERESTS_NEEDED: "Declare your interests",
    ApplicationStatus.IN_REVIEW: "In review",
    ApplicationStatus.RESPONSE_SENT: "Response sent",
    ApplicationStatus.DRAFT_TO_REVIEW: "Draft advice to sign off",
    ApplicationStatus.SIGNED_OFF: "Signed off",
    ApplicationStatus.WITHDRAWN: "Withdrawn",
    ApplicationStatus.EXPIRED: "Expired",
    ApplicationStatus.DRAFT: "Not yet sent",
    ApplicationStatus.CIRCULATED: "Sent to the panel",
    ApplicationStatus.RESPONSES_IN: "Responses coming in",
    ApplicationStatus.ADVICE_DRAFTED: "Advice drafted",
    ApplicationStatus.ADVICE_CIRCULATED: "Draft advice sent for sign-off",
    ApplicationStatus.FINALISED: "Advice finalised",
    ApplicationStatus.PUBLISHED: "Advice published",
}


@dataclass(frozen=True)
class ImportResult:
    """What happened to one file given to :meth:`Workspace.import_bundle`.

    ``status``: ``imported`` (recorded), ``superseded`` (recorded, and it replaces an earlier
    revision, response, declaration or sign-off, which stays in the audit log), ``duplicate``
    (already held; nothing changed) or ``refused`` (nothing changed; ``message`` says why).
    ``message`` is a sentence for a person in every case.
    """

    path: Path
    kind: str  # the bundle's kind ("application", "response"…) or "" when it could not be told
    application_id: str
    status: ImportStatus
    message: str

    @property
    def refused(self) -> bool:
        return self.status == "refused"

    @property
    def recorded(self) -> bool:
        """Whether this import changed the profile."""
        return self.status in ("imported", "superseded")


@dataclass(frozen=True)
class ApplicationRow:
    """One line of the applications list."""

    id: str
    authority: str
    title: str
    revision: int
    status: ApplicationStatus
    advice_due: date
    provisions: str  # the provisions' citations, joined with "; "
    days_left: int  # until the advice is due (negative: overdue)

    @property
    def status_words(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class SearchHit:
    """One page that matches a search, with a snippet of its text.

    ``highlights`` are (start, end) offsets of the matched words within ``snippet``.
    """

    application_id: str
    document: str  # the document's path in the application, e.g. documents/application.pdf
    title: str
    page: int  # 1-based
    snippet: str
    highlights: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class AuditResult:
    """The outcome of checking the audit chain."""

    ok: bool
    entries: int
    first_broken: int | None  # the sequence number of the first entry that does not check
    message: str


def profile_exists(profile_dir: Path) -> bool:
    """Whether ``profile_dir`` holds a Panel Desk profile (an identity and a database)."""
    raise NotImplementedError


def init_profile(profile_dir: Path, identity_file: Path, passphrase: str,
                 trusted: Sequence[PublicCard] = (), *, now: datetime | None = None) -> Workspace:
    """Set up a new profile in ``profile_dir`` for the identity in ``identity_file``; return it open.

    Copies the identity file into the profile as ``identity.age``, creates the encrypted
    database keyed with the identity's store key, trusts ``trusted`` (and the person's own card)
    and, for the secretariat, puts the person on the roster. Raises WrongPassphrase, NotFound,
    InvalidInput (a profile already exists there; nothing is overwritten) or StoreError.
    """
    raise NotImplementedError


def open_profile(profile_dir: Path, passphrase: str) -> Workspace:
    """Unlock the profile in ``profile_dir`` with ``passphrase`` and return it open.

    Raises NotFound ("There is no Panel Desk profile in …. Run 'panel-desk init' first."),
    WrongPassphrase, or StoreError (another identity's or a damaged database, a newer schema,
    a disk problem).
    """
    raise NotImplementedError


class Workspace:
    """One person's open profile. Use it from one thread at a time (calls are serialised)."""

    profile_dir: Path
    identity: Identity
    me: Member

    @property
    def locked(self) -> bool:
        """Whether the workspace is locked (nothing decrypted is held)."""
        raise NotImplementedError

    @property
    def is_secretariat(self) -> bool:
        """Whether this is the secretariat's profile (rather than a panel member's)."""
        raise NotImplementedError

    # -- lifetime --------------------------------------------------------------------------------

    def lock(self) -> None:
        """Close the database, drop caches and open bundles, forget the keys and the identity.

        Afterwards every method except :meth:`unlock`, :meth:`close` and :attr:`locked` raises
        Locked.
        """
        raise NotImplementedError

    def unlock(self, passphrase: str) -> None:
        """Unlock again with the passphrase. Raises WrongPassphrase or StoreError."""
        raise NotImplementedError

    def close(self) -> None:
        """Close the workspace for good (as :meth:`lock`, without the chance to unlock)."""
        raise NotImplementedError

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- trust and roster ------------------------------------------------------------------------

    def trust(self, card: PublicCard) -> None:
        """Trust bundles signed by ``card`` (already trusted: no change)."""
        raise NotImplementedError

    def trusted(self) -> list[PublicCard]:
        """Every trusted card, the person's own first."""
        raise NotImplementedError

    def card(self, fingerprint: str) -> PublicCard:
        """The known card with that fingerprint (any spacing or case). Raises NotFound or InvalidInput."""
        raise NotImplementedError

    def roster_add(self, card: PublicCard, role: Role | None = None, acts_for: str = "") -> Member:
        """Put the card's owner on the roster (and trust them); return the member.

        ``role`` overrides the role on the card. Adding someone already on the roster updates
        their role. Raises InvalidInput.
        """
        raise NotImplementedError

    def roster(self) -> list[Member]:
        """Everyone on the roster, in the order they were added."""
        raise NotImplementedError

    def member(self, ref: str) -> Member:
        """The roster member with fingerprint ``ref`` (any spacing or case) or exactly that name.

        Raises NotFound, or InvalidInput when two members have that name.
        """
        raise NotImplementedError

    # -- bundles in ------------------------------------------------------------------------------

    def import_bundle(self, path: Path, *, progress: Progress | None = None, cancel: CancelCheck | None = None,
                      now: datetime | None = None) -> ImportResult:
        """Verify the bundle at ``path`` completely, then record it in one transaction.

        Returns an ImportResult; a bundle that is refused leaves the profile exactly as it was
        (status "refused" and the reason). Raises Cancelled (nothing changed), Locked or StoreError.
        """
        raise NotImplementedError

    def import_many(self, paths: Iterable[Path], *, progress: Progress | None = None,
                    cancel: CancelCheck | None = None, now: datetime | None = None) -> list[ImportResult]:
        """Import each file in turn; one bad file is reported as "refused" and never stops the rest.

        Raises Cancelled (files already imported stay imported), Locked or StoreError.
        """
        raise NotImplementedError

    # -- applications ----------------------------------------------------------------------------

    def applications(self, *, today: date | None = None, now: datetime | None = None) -> list[ApplicationRow]:
        """Every application held, soonest advice due first, with its status."""
        raise NotImplementedError

    def application(self, app_id: str) -> Application:
        """The latest revision of an application. Raises NotFound."""
        raise NotImplementedError

    def application_revisions(self, app_id: str) -> list[Application]:
        """Every revision held, oldest first. Raises NotFound."""
        raise NotImplementedError

    def status(self, app_id: str, *, now: datetime | None = None) -> ApplicationStatus:
        """Where the application stands, derived from what the profile holds. Raises NotFound."""
        raise NotImplementedError

    def put_application(self, app: Application, files: Mapping[str, Path | bytes], *, reason: str = "",
                        now: datetime | None = None) -> Application:
        """Secretariat: record a new application, or a new revision of one already held.

        ``files`` maps each document's path in the application (``documents/x.pdf``) to its file or
        bytes; documents not listed in ``app.documents`` are added with a title from their name.
        The content is sealed to the secretariat itself in ``bundles/`` so documents are read as
        members read them. Returns the application with its id, revision and documents filled in.
        Raises InvalidInput, NotFound or StoreError.
        """
        raise NotImplementedError

    def application_bundle_path(self, app_id: str) -> Path:
        """The sealed bundle that holds the latest revision. Raises NotFound."""
        raise NotImplementedError

    def documents(self, app_id: str) -> list[DocumentRef]:
        """The latest revision's documents (metadata only). Raises NotFound."""
        raise NotImplementedError

    def read_document(self, app_id: str, path: str) -> bytes:
        """A document's bytes, decrypted from the sealed bundle in memory only.

        Raises NotFound, DeclarationNeeded (a member who has not declared for this revision),
        InvalidInput (withdrawn or expired application) or a BundleError.
        """
        raise NotImplementedError

    def open_document(self, app_id: str, path: str) -> BinaryIO:
        """A read-only, seekable file over a document (decrypted lazily, in memory only)."""
        raise NotImplementedError

    def withdraw(self, app_id: str, reason: str, *, now: datetime | None = None) -> None:
        """Record that the application was withdrawn; its content is no longer used."""
        raise NotImplementedError

    def record_sent(self, kind: str, application_id: str, revision: int, recipients: Sequence[str],
                    bundle_id: str, *, now: datetime | None = None) -> None:
        """Record that a bundle of ``kind`` was sealed for ``recipients`` (fingerprints).

        The secretariat's status (sent to the panel, draft advice sent) is derived from this.
        """
        raise NotImplementedError

    def sent(self, application_id: str, kind: str | None = None) -> list[dict[str, Any]]:
        """Bundles sealed for others about this application, oldest first: dicts with kind,
        revision, recipients, bundle_id and sent_at."""
        raise NotImplementedError

    # -- member side -----------------------------------------------------------------------------

    def declaration(self, app_id: str, member: str | None = None) -> ConflictDeclaration | None:
        """The declaration for the application's current revision (mine unless ``member``), or None."""
        raise NotImplementedError

    def save_declaration(self, decl: ConflictDeclaration, *, now: datetime | None = None) -> None:
        """Record a declaration of interests (the member's own, or one received by the secretariat).

        Raises NotFound (unknown application) or InvalidInput (not for the current revision).
        """
        raise NotImplementedError

    def annotations(self, app_id: str, document: str | None = None) -> list[Annotation]:
        """Annotations on an application (on one document if given), by document, page and position."""
        raise NotImplementedError

    def save_annotation(self, ann: Annotation, *, now: datetime | None = None) -> Annotation:
        """Create or update an annotation; return it as stored (``updated_at`` set)."""
        raise NotImplementedError

    def delete_annotation(self, ann_id: str) -> Annotation:
        """Delete an annotation and return it (save it again to undo). Raises NotFound."""
        raise NotImplementedError

    def answers(self, app_id: str) -> ResponseAnswers:
        """The member's saved answers (empty answers if none yet)."""
        raise NotImplementedError

    def save_answers(self, app_id: str, answers: ResponseAnswers, *, now: datetime | None = None) -> None:
        """Save the answers at once (autosave: durable when this returns)."""
        raise NotImplementedError

    def record_response(self, response: Response, *, now: datetime | None = None) -> None:
        """Record a response: the member's own sent response, or one received by the secretariat."""
        raise NotImplementedError

    def responses(self, app_id: str, *, all_revisions: bool = False) -> list[Response]:
        """Responses held for the current revision: the latest per member (all if ``all_revisions``)."""
        raise NotImplementedError

    def record_signoff(self, s: SignOff, *, now: datetime | None = None) -> None:
        """Record a sign-off of a draft (own, or received by the secretariat)."""
        raise NotImplementedError

    def signoffs(self, app_id: str, draft_revision: int | None = None) -> list[SignOff]:
        """The latest sign-off per member for a draft revision (default: the latest draft)."""
        raise NotImplementedError

    def record_draft(self, d: DraftAdvice, *, now: datetime | None = None) -> None:
        """Record a draft advice (the secretariat's, or one received by a member)."""
        raise NotImplementedError

    def drafts(self, app_id: str) -> list[DraftAdvice]:
        """Every draft held, oldest first."""
        raise NotImplementedError

    def latest_draft(self, app_id: str) -> DraftAdvice | None:
        """The latest draft held, or None."""
        raise NotImplementedError

    # -- secretariat -----------------------------------------------------------------------------

    def declarations(self, app_id: str) -> list[ConflictDeclaration]:
        """Every member's latest declaration for the current revision."""
        raise NotImplementedError

    def record_decision(self, d: ConflictDecision, *, now: datetime | None = None) -> None:
        """Record the secretariat's decision on a member's interests (later ones replace earlier)."""
        raise NotImplementedError

    def decisions(self, app_id: str) -> list[ConflictDecision]:
        """Every decision recorded, oldest first."""
        raise NotImplementedError

    def record_publication(self, app_id: str, advice: Advice, *, published: bool = False,
                           now: datetime | None = None) -> None:
        """Record the finalised advice (``published``: it has been exported and signed)."""
        raise NotImplementedError

    def publication(self, app_id: str) -> Advice | None:
        """The finalised advice, or None."""
        raise NotImplementedError

    def put_secret(self, name: str, value: bytes) -> None:
        """Keep a small secret (e.g. the publication certificate key) in the encrypted store."""
        raise NotImplementedError

    def get_secret(self, name: str) -> bytes | None:
        """A secret kept with :meth:`put_secret`, or None."""
        raise NotImplementedError

    def set_setting(self, key: str, value: Any) -> None:
        """Keep a small JSON value under ``key``."""
        raise NotImplementedError

    def get_setting(self, key: str, default: Any = None) -> Any:
        """The value kept under ``key``, or ``default``."""
        raise NotImplementedError

    # -- search and audit ------------------------------------------------------------------------

    def search(self, query: str, *, app_id: str | None = None, limit: int = 50) -> list[SearchHit]:
        """Full-text search over the documents' pages (applications in use only). Raises InvalidInput
        for an empty query."""
        raise NotImplementedError

    def audit(self, action: str, obj: str, detail: dict | None = None) -> None:
        """Append an entry to the audit log (state-changing methods do this themselves)."""
        raise NotImplementedError

    def audit_log(self) -> list[dict[str, Any]]:
        """Every audit entry, oldest first: seq, at, actor, action, object, detail."""
        raise NotImplementedError

    def verify_audit(self) -> AuditResult:
        """Check the audit chain end to end and report the first broken entry."""
        raise NotImplementedError

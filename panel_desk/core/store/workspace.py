"""The Workspace: everything one person's profile holds, behind verbs a panel member would use.

A profile folder holds ``identity.age`` (the person's identity, under their passphrase),
``store.db`` (SQLCipher, keyed with the random store key inside the identity) and ``bundles/``
(every received or self-sealed bundle, kept sealed: documents are decrypted in memory only when
read). Every state-changing method appends to the hash-chained audit log in the same
transaction. After :meth:`Workspace.lock` every method raises :class:`errors.Locked`.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import json
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO, Literal, TypeVar

import sqlite_utils
from pydantic import BaseModel

from panel_desk.core.errors import InvalidInput, Locked, NotFound, PanelDeskError
from panel_desk.core.files import fsync_dir, private_folder
from panel_desk.core.identity import Identity, PublicCard, normalise_fingerprint
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
    parse_model,
    utcnow,
)
from panel_desk.core.store import _db, audit
from panel_desk.core.store import search as _search
from panel_desk.core.store._db import NOT_THIS_IDENTITY, StoreError, environment_errors
from panel_desk.core.store._schema import MIGRATIONS
from panel_desk.core.store.audit import AuditResult
from panel_desk.core.store.search import SearchHit

__all__ = [
    "ApplicationRow",
    "ApplicationStatus",
    "AuditResult",
    "DeclarationNeeded",
    "ImportResult",
    "SearchHit",
    "Workspace",
    "init_profile",
    "open_profile",
    "profile_exists",
]

IDENTITY_FILE = "identity.age"
DATABASE_FILE = "store.db"
BUNDLES_DIR = "bundles"
BUNDLE_SUFFIX = ".pdbundle"
ORPHAN_AGE_SECONDS = 3600  # leftovers of an interrupted import older than this are swept on open

Progress = Callable[[int, int], None]  # (done, total), as the window's progress bar takes it
CancelCheck = Callable[[], bool]
ImportStatus = Literal["imported", "duplicate", "superseded", "refused"]
_M = TypeVar("_M", bound=BaseModel)


class DeclarationNeeded(PanelDeskError):
    """A member tried to read an application's documents before declaring their interests."""

    def __init__(self, message: str = ("Declare your interests in this application before reading its "
                                       "documents.")) -> None:
        super().__init__(message)


class Refused(InvalidInput):
    """A record that cannot be accepted (stale, foreign, forged…); the message says why."""


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

    @property
    def reason(self) -> str:
        """The message (the reason, for a refusal)."""
        return self.message


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


# --- helpers ------------------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("times must carry a time zone")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _from_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _dump(model: BaseModel) -> str:
    return model.model_dump_json()


def _load(model: type[_M], text: str) -> _M:
    return model.model_validate_json(text)




def _write_new_file(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` (which must not exist) via a synced temporary file."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        _publish(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    fsync_dir(path.parent)


def _publish(source: Path, target: Path) -> None:
    """Give the synced file ``source`` the new name ``target`` (which must not exist yet).

    A hard link never replaces a file that appeared meanwhile and works while ``source`` is open;
    where the file system has no hard links (FAT), the file is renamed instead.
    """
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        if target.exists():
            raise FileExistsError(errno.EEXIST, "File exists", str(target)) from None
        os.rename(source, target)


def _unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _sha256(source: Path | bytes) -> tuple[str, int]:
    h = hashlib.sha256()
    if isinstance(source, bytes | bytearray | memoryview):
        h.update(source)
        return h.hexdigest(), len(source)
    size = 0
    with Path(source).open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def _title_from_path(path: str) -> str:
    stem = Path(path).stem.replace("_", " ").replace("-", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else path


def _is_pdf(path: str) -> bool:
    return path.lower().endswith(".pdf")


def _media_type(path: str) -> str:
    """The media type of a document, from its name (a listing's default is not trusted)."""
    import mimetypes

    return "application/pdf" if _is_pdf(path) else (mimetypes.guess_type(path)[0] or "application/octet-stream")


# --- opening and creating profiles --------------------------------------------------------------


def profile_exists(profile_dir: Path) -> bool:
    """Whether ``profile_dir`` holds a Panel Desk profile (an identity and a database)."""
    folder = Path(profile_dir)
    return (folder / IDENTITY_FILE).is_file() and (folder / DATABASE_FILE).is_file()


def init_profile(profile_dir: Path, identity_file: Path, passphrase: str,
                 trusted: Sequence[PublicCard] = (), *, now: datetime | None = None) -> Workspace:
    """Set up a new profile in ``profile_dir`` for the identity in ``identity_file``; return it open.

    Copies the identity file into the profile as ``identity.age``, creates the encrypted
    database keyed with the identity's store key and trusts ``trusted`` (and the person's own
    card). Raises WrongPassphrase, NotFound, InvalidInput (a profile already exists there;
    nothing is overwritten) or StoreError.
    """
    folder = Path(profile_dir)
    if (folder / IDENTITY_FILE).exists() or (folder / DATABASE_FILE).exists():
        raise InvalidInput(f"There is already a Panel Desk profile in {folder}. Nothing was changed.")
    identity = Identity.load(Path(identity_file), passphrase)
    identity_bytes = Path(identity_file).read_bytes()
    moment = now or utcnow()
    with environment_errors():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        private_folder(folder)  # an existing folder keeps its mode otherwise
        (folder / BUNDLES_DIR).mkdir(exist_ok=True, mode=0o700)
    db_path = folder / DATABASE_FILE
    db = _db.connect(db_path, identity.store_key)
    try:
        with environment_errors():
            os.chmod(db_path, 0o600)  # SQLite gives the -wal and -shm files the same mode
        _db.migrate(db, MIGRATIONS)
        ws = Workspace(folder, identity, db)
        with ws._write():
            db.execute("INSERT INTO meta (key, value) VALUES ('owner', ?), ('created_at', ?), ('role', ?)",
                       (identity.fingerprint, _iso(moment), identity.role.value))
            for card in (identity.card, *trusted):
                ws._trust(card, moment)
            ws._audit("profile.init", identity.fingerprint,
                      {"role": identity.role.value, "trusted": [c.fingerprint for c in trusted]}, moment)
        with environment_errors():
            _write_new_file(folder / IDENTITY_FILE, identity_bytes)
    except BaseException:
        db.conn.close()
        for suffix in ("", "-wal", "-shm"):
            _unlink(db_path.with_name(DATABASE_FILE + suffix))
        raise
    return ws


def no_profile_message(folder: Path) -> str:
    """What to tell someone whose chosen folder holds no profile."""
    return f"There is no Panel Desk profile in {folder}. Run 'panel-desk init' first."


def open_profile(profile_dir: Path, passphrase: str) -> Workspace:
    """Unlock the profile in ``profile_dir`` with ``passphrase`` and return it open.

    Raises NotFound ("There is no Panel Desk profile in …. Run 'panel-desk init' first."),
    WrongPassphrase, or StoreError (another identity's or a damaged database, a newer schema,
    a disk problem).
    """
    folder = Path(profile_dir)
    if not profile_exists(folder):
        raise NotFound(no_profile_message(folder))
    private_folder(folder)
    identity = Identity.load(folder / IDENTITY_FILE, passphrase)
    db = _open_db(folder, identity)
    return Workspace(folder, identity, db)


def _open_db(folder: Path, identity: Identity) -> sqlite_utils.Database:
    db = _db.connect(folder / DATABASE_FILE, identity.store_key)
    try:
        _db.migrate(db, MIGRATIONS)
        with environment_errors():
            row = db.execute("SELECT value FROM meta WHERE key = 'owner'").fetchone()
        if row is None or row[0] != identity.fingerprint:
            raise StoreError(NOT_THIS_IDENTITY)
    except BaseException:
        db.conn.close()
        raise
    return db


def _guarded(method):
    """Serialise the call, refuse it when locked, and turn environment errors into StoreError."""

    @functools.wraps(method)
    def wrapper(self: Workspace, *args, **kwargs):
        with self._session():
            return method(self, *args, **kwargs)

    return wrapper


class Workspace:
    """One person's open profile. Calls are serialised, so it may be used from worker threads.

    ``fingerprint`` and ``me`` (the person's public details) stay readable while locked; all
    else raises Locked until :meth:`unlock`.
    """

    def __init__(self, profile_dir: Path, identity: Identity, db: sqlite_utils.Database) -> None:
        self.profile_dir = Path(profile_dir)
        self.fingerprint = identity.fingerprint
        self.me: Member = identity.member
        self._role = identity.role
        self._identity: Identity | None = identity
        self._db: sqlite_utils.Database | None = db
        self._mutex = threading.RLock()
        self._depth = 0
        self._after_commit: list[Callable[[], None]] = []
        self._after_rollback: list[Callable[[], None]] = []
        self._opened: dict[str, Any] = {}  # bundle_id -> OpenedBundle (decrypts on demand)
        self._apps: dict[tuple[str, int], Application] = {}
        self._closed = False
        self._sweep()

    def __repr__(self) -> str:
        state = "locked" if self.locked else "open"
        return f"<Workspace {self.profile_dir} {self.fingerprint} {state}>"

    # -- lifetime --------------------------------------------------------------------------------

    @property
    def locked(self) -> bool:
        """Whether the workspace is locked (nothing decrypted is held)."""
        return self._db is None

    @property
    def identity(self) -> Identity:
        """The unlocked identity. Raises Locked."""
        if self._identity is None:
            raise Locked()
        return self._identity

    @property
    def is_secretariat(self) -> bool:
        """Whether this is the secretariat's profile (rather than a panel member's)."""
        return self._role is Role.SECRETARIAT

    @property
    def bundles_dir(self) -> Path:
        return self.profile_dir / BUNDLES_DIR

    def lock(self) -> None:
        """Close the database, drop caches and open bundles, forget the keys and the identity.

        Afterwards every method except :meth:`unlock`, :meth:`close`, :attr:`locked`,
        :attr:`fingerprint` and :attr:`me` raises Locked.
        """
        with self._mutex:
            self._drop_caches()
            if self._db is not None:
                with contextlib.suppress(Exception):
                    self._db.conn.close()
            self._db = None
            self._identity = None

    def unlock(self, passphrase: str) -> None:
        """Unlock again with the passphrase. Raises WrongPassphrase, Locked (closed) or StoreError."""
        with self._mutex:
            if self._closed:
                raise Locked("This profile was closed. Open it again.")
            if self._db is not None:
                return
            identity = Identity.load(self.profile_dir / IDENTITY_FILE, passphrase)
            if identity.fingerprint != self.fingerprint:
                raise StoreError(NOT_THIS_IDENTITY)
            self._db = _open_db(self.profile_dir, identity)
            self._identity = identity

    def close(self) -> None:
        """Close the workspace for good (as :meth:`lock`, without the chance to unlock)."""
        with self._mutex:
            self.lock()
            self._closed = True

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _drop_caches(self) -> None:
        for opened in self._opened.values():
            with contextlib.suppress(Exception):
                opened.close()
        self._opened.clear()
        self._apps.clear()

    def _sweep(self) -> None:
        """Remove what an interrupted import or seal left in bundles/ (old, unreferenced files)."""
        folder = self.bundles_dir
        if self._db is None or not folder.is_dir():
            return
        with environment_errors():
            known = {r[0] for r in self._db.execute("SELECT file FROM bundles WHERE file != ''")}
            cutoff = time.time() - ORPHAN_AGE_SECONDS
            for entry in os.scandir(folder):
                if entry.is_file() and entry.name not in known and entry.stat().st_mtime < cutoff:
                    _unlink(Path(entry.path))

    # -- transactions and the audit log ----------------------------------------------------------

    @contextlib.contextmanager
    def _session(self) -> Iterator[None]:
        """Hold the workspace for one step: serialised, refused when locked, environment errors plain."""
        with self._mutex:
            if self._db is None:
                raise Locked()
            with environment_errors():
                yield

    @property
    def _database(self) -> sqlite_utils.Database:
        if self._db is None:
            raise Locked()
        return self._db

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite_utils.Database]:
        """One transaction; nested uses join the outer one. Files are tidied after it ends."""
        db = self._database
        if self._depth:
            self._depth += 1
            try:
                yield db
            finally:
                self._depth -= 1
            return
        self._depth = 1
        self._after_commit, self._after_rollback = [], []
        try:
            with _db.transaction(db):
                yield db
        except BaseException:
            self._apps.clear()
            for undo in self._after_rollback:
                with contextlib.suppress(OSError):
                    undo()
            raise
        finally:
            self._depth = 0
        for tidy in self._after_commit:
            with contextlib.suppress(OSError):
                tidy()

    def _audit(self, action: str, obj: str, detail: dict | None = None, now: datetime | None = None) -> None:
        if not self._depth:
            raise RuntimeError("audit entries are written inside the change's transaction")
        audit.append(self._database, at=_iso(now or utcnow()), actor=self.fingerprint, action=action,
                     obj=obj, detail=detail)

    def _one(self, sql: str, params: Sequence = ()) -> tuple | None:
        return self._database.execute(sql, tuple(params)).fetchone()

    def _all(self, sql: str, params: Sequence = ()) -> list[tuple]:
        return self._database.execute(sql, tuple(params)).fetchall()

    @_guarded
    def audit(self, action: str, obj: str, detail: dict | None = None, *, now: datetime | None = None) -> None:
        """Append an entry to the audit log (state-changing methods do this themselves)."""
        if not action or not isinstance(action, str):
            raise InvalidInput("An audit entry needs an action.")
        with self._write():
            self._audit(action, obj, detail, now)

    @_guarded
    def audit_log(self) -> list[dict[str, Any]]:
        """Every audit entry, oldest first: seq, at, actor, action, object, detail."""
        return audit.entries(self._database)

    @_guarded
    def verify_audit(self) -> AuditResult:
        """Check the audit chain end to end and report the first broken entry."""
        return audit.verify(self._database)

    # -- trust and roster ------------------------------------------------------------------------

    def _trust(self, card: PublicCard, now: datetime) -> bool:
        row = self._one("SELECT trusted, card FROM cards WHERE fingerprint = ?", (card.fingerprint,))
        text = card.to_json().decode("utf-8")
        if row is not None and row[0] and row[1] == text:
            return False
        self._database.execute(
            "INSERT INTO cards (fingerprint, card, trusted, added_at) VALUES (?, ?, 1, ?) "
            "ON CONFLICT(fingerprint) DO UPDATE SET card = excluded.card, trusted = 1",
            (card.fingerprint, text, _iso(now)))
        return True

    @_guarded
    def trust(self, card: PublicCard, *, now: datetime | None = None) -> None:
        """Trust bundles signed by ``card`` (already trusted: no change)."""
        moment = now or utcnow()
        with self._write():
            if self._trust(card, moment):
                self._audit("card.trust", card.fingerprint, {"name": card.name, "role": card.role.value}, moment)

    @_guarded
    def trusted(self) -> list[PublicCard]:
        """Every trusted card, the person's own first."""
        rows = self._all("SELECT card FROM cards WHERE trusted = 1 ORDER BY fingerprint != ?, rowid",
                         (self.fingerprint,))
        return [PublicCard.from_json(r[0]) for r in rows]

    @_guarded
    def card(self, fingerprint: str) -> PublicCard:
        """The known card with that fingerprint (any spacing or case). Raises NotFound or InvalidInput."""
        fp = normalise_fingerprint(fingerprint)
        row = self._one("SELECT card FROM cards WHERE fingerprint = ?", (fp,))
        if row is None:
            raise NotFound(f"No one with the fingerprint {fingerprint} is known to this profile. "
                           "Add their public card first.")
        return PublicCard.from_json(row[0])

    @_guarded
    def roster_add(self, card: PublicCard, role: Role | str | None = None, acts_for: str = "", *,
                   now: datetime | None = None) -> Member:
        """Put the card's owner on the roster (and trust them); return the member.

        ``role`` overrides the role on the card. Adding someone already on the roster updates
        their role. Raises InvalidInput.
        """
        moment = now or utcnow()
        try:
            chosen = Role(role) if role is not None else card.role
        except ValueError:
            raise InvalidInput(f"'{role}' is not a role. Use one of: {', '.join(r.value for r in Role)}.") from None
        member = Member(fingerprint=card.fingerprint, name=card.name, role=chosen,
                        organisation=card.organisation, acts_for=acts_for or card.acts_for)
        with self._write() as db:
            self._trust(card, moment)
            existed = self._one("SELECT 1 FROM roster WHERE fingerprint = ?", (card.fingerprint,)) is not None
            db.execute(
                "INSERT INTO roster (fingerprint, name, role, organisation, acts_for, added_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(fingerprint) DO UPDATE SET name = excluded.name, "
                "role = excluded.role, organisation = excluded.organisation, acts_for = excluded.acts_for",
                (member.fingerprint, member.name, member.role.value, member.organisation, member.acts_for,
                 _iso(moment)))
            self._audit("roster.update" if existed else "roster.add", member.fingerprint,
                        {"role": member.role.value}, moment)
        return member

    def _members(self, where: str = "", params: Sequence = ()) -> list[Member]:
        rows = self._all(f"SELECT fingerprint, name, role, organisation, acts_for FROM roster {where} ORDER BY rowid",
                         params)
        return [Member(fingerprint=r[0], name=r[1], role=Role(r[2]), organisation=r[3], acts_for=r[4])
                for r in rows]

    @_guarded
    def roster(self) -> list[Member]:
        """Everyone on the roster, in the order they were added."""
        return self._members()

    @_guarded
    def member(self, ref: str) -> Member:
        """The roster member with fingerprint ``ref`` (any spacing or case) or exactly that name.

        Raises NotFound, or InvalidInput when two members have that name.
        """
        try:
            fp = normalise_fingerprint(ref)
        except InvalidInput:
            fp = None
        if fp is not None:
            found = self._members("WHERE fingerprint = ?", (fp,))
            if found:
                return found[0]
        found = self._members("WHERE name = ?", (str(ref).strip(),))
        if len(found) > 1:
            raise InvalidInput(f"{len(found)} members on the roster are called {ref}. Use the fingerprint instead.")
        if not found:
            raise NotFound(f"No one on the roster is called or has the fingerprint '{ref}'. "
                           "Use a member's exact name or fingerprint ('panel-desk roster list').")
        return found[0]

    def _roster_fingerprints(self) -> set[str]:
        return {r[0] for r in self._all("SELECT fingerprint FROM roster")}

    # -- bundles in ------------------------------------------------------------------------------

    def import_bundle(self, path: Path, *, progress: Progress | None = None, cancel: CancelCheck | None = None,
                      now: datetime | None = None) -> ImportResult:
        """Verify the bundle at ``path`` completely, then record it in one transaction.

        Returns an ImportResult; a bundle that is refused leaves the profile exactly as it was
        (status "refused" and the reason). Decryption, verification and text extraction run without
        holding the workspace, so other calls (from the window's thread) are not kept waiting.
        Raises Cancelled (nothing changed), Locked or StoreError.
        """
        if self._db is None:
            raise Locked()
        from panel_desk.core.store import _import

        return _import.import_one(self, Path(path), progress=progress, cancel=cancel, now=now)

    def import_many(self, paths: Iterable[Path], *, progress: Progress | None = None,
                    cancel: CancelCheck | None = None, now: datetime | None = None) -> list[ImportResult]:
        """Import each file in turn; one bad file is reported as "refused" and never stops the rest.

        After a cancel the files not yet imported are reported as refused ("you cancelled"); those
        already imported stay imported. Raises Locked or StoreError.
        """
        if self._db is None:
            raise Locked()
        from panel_desk.core.store import _import

        return _import.import_many(self, [Path(p) for p in paths], progress=progress, cancel=cancel, now=now)

    # -- applications ----------------------------------------------------------------------------

    def _app_record(self, app_id: str) -> dict[str, Any]:
        rows = list(self._database.query("SELECT * FROM applications WHERE id = ?", [str(app_id)]))
        if not rows:
            raise NotFound(f"There is no application {app_id} in this profile.")
        return rows[0]

    def _app(self, app_id: str, revision: int | None = None) -> Application:
        record = self._app_record(app_id)
        rev = record["revision"] if revision is None else revision
        cached = self._apps.get((app_id, rev))
        if cached is None:
            row = self._one("SELECT data FROM application_revisions WHERE application_id = ? AND revision = ?",
                            (app_id, rev))
            if row is None:
                raise NotFound(f"There is no revision {rev} of application {app_id} in this profile.")
            cached = self._apps[(app_id, rev)] = _load(Application, row[0])
        return cached.model_copy(deep=True)

    @_guarded
    def applications(self, *, today: date | None = None, now: datetime | None = None) -> list[ApplicationRow]:
        """Every application held, soonest advice due first, with its status."""
        moment = now or utcnow()
        day = today or date.today()
        out = []
        for r in self._database.query("SELECT * FROM applications ORDER BY advice_due, id"):
            due = date.fromisoformat(r["advice_due"])
            out.append(ApplicationRow(id=r["id"], authority=r["authority"], title=r["title"],
                                      revision=r["revision"], status=self._status(r, moment),
                                      advice_due=due, provisions=r["provisions"], days_left=(due - day).days))
        return out

    @_guarded
    def application(self, app_id: str) -> Application:
        """The latest revision of an application. Raises NotFound."""
        return self._app(app_id)

    @_guarded
    def application_revisions(self, app_id: str) -> list[Application]:
        """Every revision held, oldest first. Raises NotFound."""
        self._app_record(app_id)
        revs = [r[0] for r in self._all("SELECT revision FROM application_revisions WHERE application_id = ? "
                                        "ORDER BY revision", (app_id,))]
        return [self._app(app_id, rev) for rev in revs]

    @_guarded
    def status(self, app_id: str, *, now: datetime | None = None) -> ApplicationStatus:
        """Where the application stands, derived from what the profile holds. Raises NotFound."""
        return self._status(self._app_record(app_id), now or utcnow())

    def _status(self, r: dict[str, Any], now: datetime) -> ApplicationStatus:
        app_id, rev = r["id"], r["revision"]
        if r["withdrawn_at"]:
            return ApplicationStatus.WITHDRAWN
        if r["expires_at"] and now >= _from_iso(r["expires_at"]):
            return ApplicationStatus.EXPIRED
        draft = self._one("SELECT max(revision) FROM drafts WHERE application_id = ?", (app_id,))[0]
        if self.is_secretariat:
            pub = self._one("SELECT published FROM publications WHERE application_id = ?", (app_id,))
            if pub is not None:
                return ApplicationStatus.PUBLISHED if pub[0] else ApplicationStatus.FINALISED
            if draft is not None:
                sent = self._one("SELECT 1 FROM sent WHERE application_id = ? AND kind = 'draft-advice' "
                                 "AND revision = ?", (app_id, draft))
                return ApplicationStatus.ADVICE_CIRCULATED if sent else ApplicationStatus.ADVICE_DRAFTED
            if self._one("SELECT 1 FROM responses WHERE application_id = ? AND application_revision = ?",
                         (app_id, rev)):
                return ApplicationStatus.RESPONSES_IN
            if self._one("SELECT 1 FROM sent WHERE application_id = ? AND kind = 'application' AND revision = ?",
                         (app_id, rev)):
                return ApplicationStatus.CIRCULATED
            return ApplicationStatus.DRAFT
        me = self.fingerprint
        if draft is not None:
            signed = self._one("SELECT 1 FROM signoffs WHERE application_id = ? AND draft_revision = ? "
                               "AND member = ?", (app_id, draft, me))
            return ApplicationStatus.SIGNED_OFF if signed else ApplicationStatus.DRAFT_TO_REVIEW
        if self._one("SELECT 1 FROM responses WHERE application_id = ? AND application_revision = ? AND member = ?",
                     (app_id, rev, me)):
            return ApplicationStatus.RESPONSE_SENT
        if self._one("SELECT 1 FROM declarations WHERE application_id = ? AND revision = ? AND member = ?",
                     (app_id, rev, me)):
            return ApplicationStatus.IN_REVIEW
        return ApplicationStatus.INTERESTS_NEEDED

    def _require_secretariat(self, what: str) -> None:
        if not self.is_secretariat:
            raise InvalidInput(f"Only the secretariat can {what}. This profile belongs to a panel member.")

    @_guarded
    def put_application(self, app: Application, files: Mapping[str, Path | bytes], *, reason: str = "",
                        now: datetime | None = None) -> Application:
        """Secretariat: record a new application, or a new revision of one already held.

        ``files`` maps each document's path in the application (``documents/x.pdf``) to its file or
        bytes; documents not listed in ``app.documents`` are added with a title from their name.
        The content is sealed to the secretariat itself in ``bundles/`` so documents are read as
        members read them. Returns the application with its id, revision and documents filled in.
        Raises InvalidInput, NotFound or StoreError.
        """
        from panel_desk.core import bundle
        from panel_desk.core.store.textextract import pdf_pages

        self._require_secretariat("record applications")
        moment = (now or utcnow()).replace(microsecond=0)
        app = app.with_id()
        held = self._one("SELECT revision, withdrawn_at FROM applications WHERE id = ?", (app.id,))
        if held is not None and held[1]:
            raise InvalidInput(f"Application {app.id} was withdrawn; it cannot have a new revision.")
        revision = held[0] + 1 if held is not None else 1
        listed = {d.path: d for d in app.documents}
        missing = sorted(set(listed) - set(files))
        if missing:
            raise InvalidInput(f"These documents are listed but no file was given for them: {', '.join(missing)}.")
        documents, texts = [], {}
        for path, source in files.items():
            if not isinstance(source, bytes | bytearray | memoryview):
                source = Path(source)
                if not source.is_file():
                    raise NotFound(f"There is no file {source}.")
            digest, size = _sha256(source)
            base = listed.get(path)
            documents.append({"path": path, "title": base.title if base else _title_from_path(path),
                              "features": list(base.features) if base else [],
                              "media_type": _media_type(path),
                              "sha256": digest, "size": size})
            if _is_pdf(path):
                if isinstance(source, Path):
                    with source.open("rb") as f:
                        texts[path] = pdf_pages(f)
                else:
                    texts[path] = pdf_pages(bytes(source))
        fields = app.model_dump(mode="json")
        fields.update(revision=revision, documents=documents,
                      revision_reason=reason or (app.revision_reason if revision > 1 else ""))
        app = parse_model(Application, fields, "the application")
        with environment_errors():
            self.bundles_dir.mkdir(exist_ok=True, mode=0o700)
        name = f"{secrets.token_hex(16)}{BUNDLE_SUFFIX}"
        target = self.bundles_dir / name
        manifest = bundle.seal(bundle.Kind.APPLICATION, application_id=app.id, revision=revision,
                               payload=app.model_dump(mode="json"), files=dict(files),
                               titles={d.path: d.title for d in app.documents}, signer=self.identity,
                               recipients=[self.identity.card], out=target, now=moment)
        try:
            with self._write():
                self._after_rollback.append(lambda: _unlink(target))
                self._record_bundle(manifest, name, moment)
                self._record_application(app, manifest.bundle_id, None, texts, moment)
                self._audit("application.put", app.id, {"revision": revision, "bundle": manifest.bundle_id,
                                                        "documents": len(app.documents)}, moment)
        except BaseException:
            _unlink(target)
            raise
        return self._app(app.id)

    def _record_bundle(self, manifest, file_name: str, now: datetime) -> None:
        self._database.execute(
            "INSERT INTO bundles (bundle_id, kind, application_id, revision, creator, recipients, file, "
            "created_at, expires_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (manifest.bundle_id, manifest.kind.value, manifest.application_id, manifest.revision,
             manifest.creator, json.dumps(list(manifest.recipients)), file_name, _iso(manifest.created_at),
             _iso(manifest.expires_at) if manifest.expires_at else None, _iso(now)))

    def _record_application(self, app: Application, bundle_id: str, expires_at: datetime | None,
                            texts: Mapping[str, Sequence[str]], now: datetime) -> None:
        """Make ``app`` the current revision and index its documents' pages (inside a transaction)."""
        db = self._database
        provisions = "; ".join(p.citation for p in app.provisions)
        values = (app.revision, app.authority, app.title, app.dates.advice_due.isoformat(), provisions, bundle_id,
                  _iso(expires_at) if expires_at else None, _iso(now))
        if self._one("SELECT 1 FROM applications WHERE id = ?", (app.id,)):
            db.execute("UPDATE applications SET revision = ?, authority = ?, title = ?, advice_due = ?, "
                       "provisions = ?, bundle_id = ?, expires_at = ?, updated_at = ? WHERE id = ?",
                       (*values, app.id))
        else:
            db.execute("INSERT INTO applications (revision, authority, title, advice_due, provisions, bundle_id, "
                       "expires_at, updated_at, id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (*values, app.id, _iso(now)))
        db.execute("INSERT INTO application_revisions (application_id, revision, data, bundle_id, recorded_at) "
                   "VALUES (?, ?, ?, ?, ?)", (app.id, app.revision, _dump(app), bundle_id, _iso(now)))
        _search.drop(db, app.id)
        for doc in app.documents:
            pages = list(texts.get(doc.path, ()))
            db.execute("INSERT INTO documents (application_id, revision, path, title, page_count) VALUES (?, ?, ?, ?, ?)",
                       (app.id, app.revision, doc.path, doc.title, len(pages)))
            _search.index_pages(db, app.id, app.revision, doc.path, pages)

    def _withdraw(self, app_id: str, reason: str, now: datetime) -> None:
        """Mark withdrawn, drop the page index and the sealed content (inside a transaction)."""
        db = self._database
        db.execute("UPDATE applications SET withdrawn_at = ?, withdrawn_reason = ?, updated_at = ? WHERE id = ?",
                   (_iso(now), reason, _iso(now), app_id))
        _search.drop(db, app_id)
        rows = self._all("SELECT bundle_id, file FROM bundles WHERE application_id = ? AND kind = 'application' "
                         "AND file != ''", (app_id,))
        db.execute("UPDATE bundles SET file = '' WHERE application_id = ? AND kind = 'application'", (app_id,))
        for bundle_id, file_name in rows:
            opened = self._opened.pop(bundle_id, None)
            if opened is not None:
                opened.close()
            self._after_commit.append(lambda p=self.bundles_dir / file_name: _unlink(p))

    @_guarded
    def withdraw(self, app_id: str, reason: str, *, now: datetime | None = None) -> None:
        """Secretariat: record that the application was withdrawn; its content is no longer used.

        Raises NotFound or InvalidInput (no reason, already withdrawn).
        """
        self._require_secretariat("withdraw an application")
        moment = now or utcnow()
        record = self._app_record(app_id)
        if not str(reason).strip():
            raise InvalidInput("Give the reason the application is withdrawn.")
        if record["withdrawn_at"]:
            raise InvalidInput(f"Application {app_id} has already been withdrawn.")
        with self._write():
            self._withdraw(app_id, str(reason).strip(), moment)
            self._audit("application.withdraw", app_id, {"revision": record["revision"]}, moment)

    @_guarded
    def application_bundle_path(self, app_id: str) -> Path:
        """The sealed bundle that holds the latest revision. Raises NotFound."""
        record = self._app_record(app_id)
        row = self._one("SELECT file FROM bundles WHERE bundle_id = ?", (record["bundle_id"],))
        if row is None or not row[0]:
            raise NotFound(f"The content of application {app_id} is no longer held in this profile.")
        return self.bundles_dir / row[0]

    @_guarded
    def documents(self, app_id: str) -> list[DocumentRef]:
        """The latest revision's documents (metadata only). Raises NotFound."""
        return list(self._app(app_id).documents)

    def _usable(self, record: dict[str, Any], now: datetime) -> None:
        """Raise when the application's content may not be read now (withdrawn, expired, undeclared)."""
        if record["withdrawn_at"]:
            reason = record["withdrawn_reason"]
            raise InvalidInput(f"Application {record['id']} was withdrawn"
                               + (f" ({reason.rstrip('.')})" if reason else "")
                               + ". Its documents are no longer available.")
        if record["expires_at"] and now >= _from_iso(record["expires_at"]):
            when = _from_iso(record["expires_at"])
            raise InvalidInput(f"Application {record['id']} expired on {when:%d %B %Y}. Its documents can no longer "
                               "be read; ask the secretariat for a current copy.")
        if not self.is_secretariat and not self._declared(record["id"], record["revision"]):
            raise DeclarationNeeded()

    def _declared(self, app_id: str, revision: int) -> bool:
        return self._one("SELECT 1 FROM declarations WHERE application_id = ? AND revision = ? AND member = ?",
                         (app_id, revision, self.fingerprint)) is not None

    def _opened_bundle(self, bundle_id: str, now: datetime):
        from panel_desk.core import bundle

        opened = self._opened.get(bundle_id)
        if opened is None:
            row = self._one("SELECT file FROM bundles WHERE bundle_id = ?", (bundle_id,))
            if row is None or not row[0]:
                raise NotFound("The content of this application is no longer held in this profile.")
            opened = bundle.open_bundle(self.bundles_dir / row[0], self.identity, self.trusted(), now=now)
            self._opened[bundle_id] = opened
        return opened

    def _document(self, app_id: str, path: str, now: datetime | None):
        moment = now or utcnow()
        record = self._app_record(app_id)
        self._usable(record, moment)
        app = self._app(app_id)
        try:
            app.document(path)
        except KeyError:
            raise NotFound(f"Application {app_id} has no document {path}.") from None
        return self._opened_bundle(record["bundle_id"], moment)

    @_guarded
    def read_document(self, app_id: str, path: str, *, now: datetime | None = None) -> bytes:
        """A document's bytes, decrypted from the sealed bundle in memory only.

        Raises NotFound, DeclarationNeeded (a member who has not declared for this revision),
        InvalidInput (withdrawn or expired application) or a BundleError (the file was damaged).
        """
        return self._document(app_id, path, now).read(path)

    @_guarded
    def open_document(self, app_id: str, path: str, *, now: datetime | None = None) -> BinaryIO:
        """A read-only, seekable file over a document (decrypted lazily, in memory only).

        It stops working when the workspace is locked. Raises as :meth:`read_document`.
        """
        return self._document(app_id, path, now).open(path)

    @_guarded
    def record_sent(self, kind: str, application_id: str, revision: int, recipients: Sequence[str],
                    bundle_id: str, *, now: datetime | None = None) -> None:
        """Record that a bundle of ``kind`` was sealed for ``recipients`` (fingerprints).

        The secretariat's status (sent to the panel, draft advice sent) is derived from this.
        Raises NotFound (unknown application) or InvalidInput.
        """
        from panel_desk.core.bundle import Kind

        moment = now or utcnow()
        try:
            kind = Kind(kind).value
        except ValueError:
            raise InvalidInput(f"'{kind}' is not a kind of bundle.") from None
        self._app_record(application_id)
        fingerprints = [normalise_fingerprint(fp) for fp in recipients]
        with self._write() as db:
            db.execute("INSERT INTO sent (kind, application_id, revision, recipients, bundle_id, sent_at) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       (kind, application_id, int(revision), json.dumps(fingerprints), bundle_id, _iso(moment)))
            self._audit(f"sent.{kind}", application_id,
                        {"revision": int(revision), "bundle": bundle_id, "recipients": fingerprints}, moment)

    @_guarded
    def sent(self, application_id: str, kind: str | None = None) -> list[dict[str, Any]]:
        """Bundles sealed for others about this application, oldest first: dicts with kind,
        revision, recipients, bundle_id and sent_at."""
        sql = "SELECT kind, revision, recipients, bundle_id, sent_at FROM sent WHERE application_id = ?"
        params: list = [application_id]
        if kind is not None:
            sql += " AND kind = ?"
            params.append(str(kind))
        return [{"kind": r[0], "revision": r[1], "recipients": json.loads(r[2]), "bundle_id": r[3],
                 "sent_at": _from_iso(r[4])} for r in self._all(sql + " ORDER BY id", params)]

    @_guarded
    def panel(self, app_id: str) -> list[Member]:
        """The people the current revision was sent to, as far as this profile knows them.

        The secretariat knows whom it sent it to (its roster); a member knows the recipients of the
        bundle they received, but only those whose cards they hold. Raises NotFound.
        """
        record = self._app_record(app_id)
        if self.is_secretariat:
            row = self._one("SELECT recipients FROM sent WHERE application_id = ? AND kind = 'application' "
                            "AND revision = ? ORDER BY id DESC LIMIT 1", (app_id, record["revision"]))
        else:
            row = self._one("SELECT recipients FROM bundles WHERE bundle_id = ?", (record["bundle_id"],))
        fingerprints = json.loads(row[0]) if row else []
        roster = {m.fingerprint: m for m in self._members()}
        out = []
        for fp in fingerprints:
            if fp in roster:
                out.append(roster[fp])
                continue
            card = self._one("SELECT card FROM cards WHERE fingerprint = ?", (fp,))
            if card is not None:
                out.append(PublicCard.from_json(card[0]).member)
        return out

    # -- declarations ----------------------------------------------------------------------------

    @_guarded
    def declaration(self, app_id: str, member: str | None = None) -> ConflictDeclaration | None:
        """The latest declaration for the application's current revision (mine unless ``member``),
        or None (then only the cover may be shown). Raises NotFound."""
        record = self._app_record(app_id)
        fp = normalise_fingerprint(member) if member else self.fingerprint
        row = self._one("SELECT data FROM declarations WHERE application_id = ? AND revision = ? AND member = ? "
                        "ORDER BY id DESC LIMIT 1", (app_id, record["revision"], fp))
        return _load(ConflictDeclaration, row[0]) if row else None

    @_guarded
    def declarations(self, app_id: str) -> list[ConflictDeclaration]:
        """Every member's latest declaration for the current revision, in the order they came."""
        record = self._app_record(app_id)
        rows = self._all("SELECT data FROM declarations d WHERE application_id = ? AND revision = ? AND id = "
                         "(SELECT max(id) FROM declarations e WHERE e.application_id = d.application_id "
                         "AND e.revision = d.revision AND e.member = d.member) ORDER BY id",
                         (app_id, record["revision"]))
        return [_load(ConflictDeclaration, r[0]) for r in rows]

    def _store_declaration(self, decl: ConflictDeclaration, bundle_id: str | None, now: datetime) -> bool:
        """Record a declaration; return whether it replaces an earlier one. Raises Refused."""
        record = self._app_record(decl.application_id)
        _check_revision("declaration", decl.application_id, decl.application_revision, record["revision"])
        if record["withdrawn_at"]:
            raise Refused(f"Application {decl.application_id} has been withdrawn.")
        prior = self._one("SELECT declared_at FROM declarations WHERE application_id = ? AND revision = ? "
                          "AND member = ? ORDER BY id DESC LIMIT 1",
                          (decl.application_id, decl.application_revision, decl.member))
        if prior is not None and bundle_id is not None and _from_iso(prior[0]) >= decl.declared_at:
            raise Refused("This declaration is older than the one already recorded for this member. "
                          "Nothing was changed.")
        self._database.execute(
            "INSERT INTO declarations (application_id, revision, member, data, declared_at, bundle_id, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (decl.application_id, decl.application_revision, decl.member, _dump(decl), _iso(decl.declared_at),
             bundle_id, _iso(now)))
        self._audit("declaration.record", decl.application_id,
                    {"member": decl.member, "revision": decl.application_revision,
                     "none_to_declare": decl.none_to_declare, "interests": len(decl.interests),
                     "replaces_earlier": prior is not None, "bundle": bundle_id}, now)
        return prior is not None

    @_guarded
    def save_declaration(self, decl: ConflictDeclaration, *, now: datetime | None = None) -> None:
        """Record a declaration of interests (the member's own, or one the secretariat takes down).

        Raises NotFound (unknown application) or InvalidInput (not for the current revision, or a
        member recording someone else's).
        """
        if not self.is_secretariat and decl.member != self.fingerprint:
            raise InvalidInput("You can only record your own declaration of interests.")
        with self._write():
            self._store_declaration(decl, None, now or utcnow())

    # -- annotations and answers -----------------------------------------------------------------

    @_guarded
    def annotations(self, app_id: str, document: str | None = None) -> list[Annotation]:
        """Annotations on an application (on one document if given), by document, page and position."""
        self._app_record(app_id)
        sql, params = "SELECT data FROM annotations WHERE application_id = ?", [app_id]
        if document is not None:
            sql += " AND document = ?"
            params.append(document)
        items = [_load(Annotation, r[0]) for r in self._all(sql, params)]
        return sorted(items, key=lambda a: (a.document, a.page, a.rects[0][1] if a.rects else 0.0,
                                            a.rects[0][0] if a.rects else 0.0, a.created_at, a.id))

    @_guarded
    def save_annotation(self, ann: Annotation, *, now: datetime | None = None) -> Annotation:
        """Create or update an annotation; return it as stored (``updated_at`` set).

        Raises NotFound (unknown application or document).
        """
        moment = now or utcnow()
        app = self._app(ann.application_id)
        if ann.document not in {d.path for d in app.documents}:
            raise NotFound(f"Application {ann.application_id} has no document {ann.document}.")
        ann = ann.model_copy(update={"updated_at": moment})
        with self._write() as db:
            existed = self._one("SELECT 1 FROM annotations WHERE id = ?", (ann.id,)) is not None
            db.execute("INSERT INTO annotations (id, application_id, document, page, data, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET application_id = excluded.application_id, "
                       "document = excluded.document, page = excluded.page, data = excluded.data, "
                       "updated_at = excluded.updated_at",
                       (ann.id, ann.application_id, ann.document, ann.page, _dump(ann), _iso(moment)))
            self._audit("annotation.update" if existed else "annotation.add", ann.id,
                        {"application": ann.application_id, "document": ann.document, "page": ann.page}, moment)
        return ann

    @_guarded
    def delete_annotation(self, ann_id: str, *, now: datetime | None = None) -> Annotation:
        """Delete an annotation and return it (save it again to undo). Raises NotFound."""
        row = self._one("SELECT data FROM annotations WHERE id = ?", (str(ann_id),))
        if row is None:
            raise NotFound("That annotation no longer exists.")
        ann = _load(Annotation, row[0])
        with self._write() as db:
            db.execute("DELETE FROM annotations WHERE id = ?", (ann.id,))
            self._audit("annotation.delete", ann.id, {"application": ann.application_id}, now)
        return ann

    @_guarded
    def answers(self, app_id: str) -> ResponseAnswers:
        """The member's saved answers (empty answers if none yet). Raises NotFound."""
        self._app_record(app_id)
        row = self._one("SELECT data FROM answers WHERE application_id = ?", (app_id,))
        return _load(ResponseAnswers, row[0]) if row else ResponseAnswers()

    @_guarded
    def save_answers(self, app_id: str, answers: ResponseAnswers, *, now: datetime | None = None) -> None:
        """Save the answers at once (autosave: durable on disk when this returns). Raises NotFound."""
        moment = now or utcnow()
        self._app_record(app_id)
        answers = ResponseAnswers.model_validate(answers.model_dump())
        with self._write() as db:
            db.execute("INSERT INTO answers (application_id, data, updated_at) VALUES (?, ?, ?) "
                       "ON CONFLICT(application_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                       (app_id, _dump(answers), _iso(moment)))
            self._audit("answers.save", app_id, None, moment)

    # -- responses, drafts, sign-offs ------------------------------------------------------------

    def _store_response(self, response: Response, bundle_id: str | None, now: datetime) -> int | None:
        """Record a response; return the revision it replaces, if any. Raises Refused."""
        record = self._app_record(response.application_id)
        if record["withdrawn_at"]:
            raise Refused(f"Application {response.application_id} has been withdrawn.")
        _check_revision("response", response.application_id, response.application_revision, record["revision"])
        prior = self._one("SELECT id, revision FROM responses WHERE application_id = ? AND application_revision = ? "
                          "AND member = ? AND superseded_by IS NULL ORDER BY revision DESC LIMIT 1",
                          (response.application_id, response.application_revision, response.member))
        if prior is not None and response.revision <= prior[1]:
            raise Refused(f"Response number {prior[1]} from this member is already recorded; this is number "
                          f"{response.revision}, so it is not the latest. Nothing was changed.")
        db = self._database
        cur = db.execute(
            "INSERT INTO responses (application_id, application_revision, member, revision, data, bundle_id, "
            "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (response.application_id, response.application_revision, response.member, response.revision,
             _dump(response), bundle_id, _iso(now)))
        new_id = cur.lastrowid
        self._audit("response.record", response.application_id,
                    {"member": response.member, "revision": response.revision,
                     "application_revision": response.application_revision, "bundle": bundle_id}, now)
        if prior is None:
            return None
        db.execute("UPDATE responses SET superseded_by = ? WHERE id = ?", (new_id, prior[0]))
        self._audit("response.superseded", response.application_id,
                    {"member": response.member, "revision": prior[1], "by": response.revision}, now)
        return prior[1]

    @_guarded
    def record_response(self, response: Response, *, now: datetime | None = None) -> None:
        """Record a response: the member's own sent response, or one received by the secretariat.

        A later response from the same member replaces the earlier one (both stay in the audit log).
        Raises NotFound or InvalidInput (a stale or foreign response).
        """
        if not self.is_secretariat and response.member != self.fingerprint:
            raise InvalidInput("You can only record your own response.")
        with self._write():
            self._store_response(response, None, now or utcnow())

    @_guarded
    def responses(self, app_id: str, *, all_revisions: bool = False) -> list[Response]:
        """The latest response per member for the current revision, in the order they came; with
        ``all_revisions`` every response ever held, oldest first. Raises NotFound."""
        record = self._app_record(app_id)
        if all_revisions:
            rows = self._all("SELECT data FROM responses WHERE application_id = ? ORDER BY id", (app_id,))
        else:
            rows = self._all("SELECT data FROM responses WHERE application_id = ? AND application_revision = ? "
                             "AND superseded_by IS NULL ORDER BY id", (app_id, record["revision"]))
        return [_load(Response, r[0]) for r in rows]

    def _store_draft(self, d: DraftAdvice, bundle_id: str | None, now: datetime) -> bool:
        """Record a draft; return whether an earlier draft revision is held. Raises Refused."""
        record = self._app_record(d.application_id)
        if record["withdrawn_at"]:
            raise Refused(f"Application {d.application_id} has been withdrawn.")
        latest = self._one("SELECT max(revision) FROM drafts WHERE application_id = ?", (d.application_id,))[0]
        same = self._one("SELECT 1 FROM drafts WHERE application_id = ? AND revision = ?",
                         (d.application_id, d.revision))
        if latest is not None and d.revision < latest:
            raise Refused(f"Draft {d.revision} is older than draft {latest}, which is already held. "
                          "Nothing was changed.")
        if same and bundle_id is not None:
            raise Refused(f"Draft {d.revision} is already held. Nothing was changed.")
        if same and self._one("SELECT 1 FROM sent WHERE application_id = ? AND kind = 'draft-advice' "
                              "AND revision = ?", (d.application_id, d.revision)):
            raise Refused(f"Draft {d.revision} has already been sent for sign-off; save your changes as "
                          f"draft {d.revision + 1}.")
        self._database.execute(
            "INSERT INTO drafts (application_id, revision, data, bundle_id, recorded_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(application_id, revision) DO UPDATE SET data = excluded.data, recorded_at = excluded.recorded_at",
            (d.application_id, d.revision, _dump(d), bundle_id, _iso(now)))
        self._audit("draft.record", d.application_id, {"revision": d.revision, "bundle": bundle_id}, now)
        return latest is not None and d.revision > latest

    @_guarded
    def record_draft(self, d: DraftAdvice, *, now: datetime | None = None) -> None:
        """Record a draft advice (saving the same revision again replaces it until it is sent).

        Raises NotFound or InvalidInput (older than a draft held, or already sent).
        """
        with self._write():
            self._store_draft(d, None, now or utcnow())

    @_guarded
    def drafts(self, app_id: str) -> list[DraftAdvice]:
        """Every draft held, oldest first. Raises NotFound."""
        self._app_record(app_id)
        return [_load(DraftAdvice, r[0])
                for r in self._all("SELECT data FROM drafts WHERE application_id = ? ORDER BY revision", (app_id,))]

    @_guarded
    def latest_draft(self, app_id: str) -> DraftAdvice | None:
        """The latest draft held, or None. Raises NotFound."""
        self._app_record(app_id)
        row = self._one("SELECT data FROM drafts WHERE application_id = ? ORDER BY revision DESC LIMIT 1", (app_id,))
        return _load(DraftAdvice, row[0]) if row else None

    def _store_signoff(self, s: SignOff, bundle_id: str | None, now: datetime) -> bool:
        """Record a sign-off; return whether it replaces an earlier one. Raises Refused."""
        record = self._app_record(s.application_id)
        if record["withdrawn_at"]:
            raise Refused(f"Application {s.application_id} has been withdrawn.")
        latest = self._one("SELECT max(revision) FROM drafts WHERE application_id = ?", (s.application_id,))[0]
        if latest is None or s.draft_revision > latest:
            raise Refused(f"This sign-off is for draft {s.draft_revision} of the advice on {s.application_id}, "
                          "which this profile does not hold.")
        if s.draft_revision < latest:
            raise Refused(f"This sign-off is for draft {s.draft_revision}, but draft {latest} has since been sent. "
                          "Ask the member to sign off the latest draft.")
        prior = self._one("SELECT signed_at FROM signoffs WHERE application_id = ? AND draft_revision = ? "
                          "AND member = ? ORDER BY id DESC LIMIT 1", (s.application_id, s.draft_revision, s.member))
        if prior is not None and _from_iso(prior[0]) >= s.signed_at:
            raise Refused("A later sign-off from this member is already recorded. Nothing was changed.")
        self._database.execute(
            "INSERT INTO signoffs (application_id, draft_revision, member, data, signed_at, bundle_id, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (s.application_id, s.draft_revision, s.member, _dump(s), _iso(s.signed_at), bundle_id, _iso(now)))
        self._audit("signoff.record", s.application_id,
                    {"member": s.member, "draft": s.draft_revision, "kind": s.kind.value,
                     "replaces_earlier": prior is not None, "bundle": bundle_id}, now)
        return prior is not None

    @_guarded
    def record_signoff(self, s: SignOff, *, now: datetime | None = None) -> None:
        """Record a sign-off of the latest draft (own, or received by the secretariat).

        Raises NotFound or InvalidInput (no such draft, an older draft, an earlier sign-off).
        """
        if not self.is_secretariat and s.member != self.fingerprint:
            raise InvalidInput("You can only record your own sign-off.")
        with self._write():
            self._store_signoff(s, None, now or utcnow())

    @_guarded
    def signoffs(self, app_id: str, draft_revision: int | None = None) -> list[SignOff]:
        """The latest sign-off per member for a draft revision (default: the latest draft)."""
        self._app_record(app_id)
        if draft_revision is None:
            draft_revision = self._one("SELECT max(revision) FROM drafts WHERE application_id = ?", (app_id,))[0]
            if draft_revision is None:
                return []
        rows = self._all("SELECT data FROM signoffs s WHERE application_id = ? AND draft_revision = ? AND id = "
                         "(SELECT max(id) FROM signoffs t WHERE t.application_id = s.application_id "
                         "AND t.draft_revision = s.draft_revision AND t.member = s.member) ORDER BY id",
                         (app_id, int(draft_revision)))
        return [_load(SignOff, r[0]) for r in rows]

    # -- the secretariat's records ---------------------------------------------------------------

    @_guarded
    def record_decision(self, d: ConflictDecision, *, now: datetime | None = None) -> ConflictDecision:
        """Record the secretariat's decision on a member's interests (later ones replace earlier).

        Returns it as recorded (``decided_by`` filled in). Raises NotFound (application or member)
        or InvalidInput.
        """
        self._require_secretariat("decide on declared interests")
        moment = now or utcnow()
        self._app_record(d.application_id)
        member = self.member(d.member)
        d = d.model_copy(update={"member": member.fingerprint, "decided_by": d.decided_by or self.fingerprint})
        with self._write() as db:
            db.execute("INSERT INTO decisions (application_id, member, data, recorded_at) VALUES (?, ?, ?, ?)",
                       (d.application_id, d.member, _dump(d), _iso(moment)))
            self._audit("decision.record", d.application_id, {"member": d.member, "decision": d.decision.value},
                        moment)
        return d

    @_guarded
    def decisions(self, app_id: str) -> list[ConflictDecision]:
        """Every decision recorded, oldest first (a later one for a member replaces the earlier)."""
        self._app_record(app_id)
        return [_load(ConflictDecision, r[0])
                for r in self._all("SELECT data FROM decisions WHERE application_id = ? ORDER BY id", (app_id,))]

    @_guarded
    def record_publication(self, app_id: str, advice: Advice, *, published: bool = False,
                           now: datetime | None = None) -> None:
        """Record the finalised advice; ``published``: it has been exported and signed.

        Raises NotFound or InvalidInput (the advice is about another application).
        """
        self._require_secretariat("finalise the advice")
        moment = now or utcnow()
        self._app_record(app_id)
        if advice.application_id != app_id:
            raise InvalidInput(f"This advice is about application {advice.application_id}, not {app_id}.")
        with self._write() as db:
            db.execute("INSERT INTO publications (application_id, data, published, recorded_at) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT(application_id) DO UPDATE SET data = excluded.data, "
                       "published = max(published, excluded.published), recorded_at = excluded.recorded_at",
                       (app_id, _dump(advice), int(bool(published)), _iso(moment)))
            self._audit("advice.published" if published else "advice.finalised", app_id,
                        {"advice_revision": advice.advice_revision}, moment)

    @_guarded
    def publication(self, app_id: str) -> Advice | None:
        """The finalised advice, or None. Raises NotFound."""
        self._app_record(app_id)
        row = self._one("SELECT data FROM publications WHERE application_id = ?", (app_id,))
        return _load(Advice, row[0]) if row else None

    @_guarded
    def put_secret(self, name: str, value: bytes, *, now: datetime | None = None) -> None:
        """Keep a small secret (e.g. the publication certificate key) in the encrypted store."""
        if not name:
            raise InvalidInput("A secret needs a name.")
        with self._write() as db:
            db.execute("INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET "
                       "value = excluded.value", (name, bytes(value)))
            self._audit("secret.put", name, None, now)

    @_guarded
    def get_secret(self, name: str) -> bytes | None:
        """A secret kept with :meth:`put_secret`, or None."""
        row = self._one("SELECT value FROM secrets WHERE name = ?", (name,))
        return bytes(row[0]) if row else None

    @_guarded
    def set_setting(self, key: str, value: Any, *, now: datetime | None = None) -> None:
        """Keep a small JSON value (text, number, list, dict…) under ``key``. Raises InvalidInput."""
        try:
            text = json.dumps(value, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError):
            raise InvalidInput(f"The setting {key} cannot be saved: it is not a simple value.") from None
        if len(text) > 256 * 1024:
            raise InvalidInput(f"The setting {key} is too large to keep.")
        with self._write() as db:
            db.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
                       "value = excluded.value", (str(key), text))
            self._audit("setting.set", str(key), None, now)

    @_guarded
    def get_setting(self, key: str, default: Any = None) -> Any:
        """The value kept under ``key``, or ``default``."""
        row = self._one("SELECT value FROM settings WHERE key = ?", (str(key),))
        return json.loads(row[0]) if row else default

    # -- search ----------------------------------------------------------------------------------

    @_guarded
    def search(self, query: str, *, app_id: str | None = None, limit: int = 50,
               now: datetime | None = None) -> list[SearchHit]:
        """Full-text search over the documents' pages: every word must appear on the page
        ("quoted phrases" and prefix* words work). Only applications whose documents may be read
        now are searched. Returns hits best first, each with document, title, page and snippet.

        Raises InvalidInput (an empty query; with ``app_id``: withdrawn or expired),
        DeclarationNeeded or NotFound.
        """
        moment = now or utcnow()
        _search.match_expression(query)  # refuse an empty query before anything else
        if app_id is not None:
            self._usable(self._app_record(app_id), moment)
            ids = [app_id]
        else:
            ids = []
            for record in self._database.query("SELECT * FROM applications"):
                try:
                    self._usable(record, moment)
                except PanelDeskError:
                    continue
                ids.append(record["id"])
        return _search.search(self._database, query, application_ids=ids, limit=limit)


def _check_revision(what: str, app_id: str, revision: int, current: int) -> None:
    if revision < current:
        raise Refused(f"This {what} is about revision {revision} of application {app_id}, but revision {current} "
                      "has since been sent. It was not recorded; the current revision needs a new one.")
    if revision > current:
        raise Refused(f"This {what} is about revision {revision} of application {app_id}, which this profile "
                      "does not hold.")

"""The Workspace: everything one person's profile holds, behind verbs a panel member would use.

A profile folder holds ``identity.age`` (the person's identity, under their passphrase),
``store.db`` (SQLCipher, keyed with the random store key inside the identity) and ``bundles/``
(every received or self-sealed bundle, kept sealed: documents are decrypted in memory only when
read). Every state-changing method appends to the hash-chained audit log in the same
transaction. After :meth:`Workspace.lock` every method raises :class:`errors.Locked`.

The Workspace is a thin handle over focused parts that share one transaction object
(:class:`~panel_desk.core.store._tx.Tx`), as Anki's ``Collection`` delegates to ``decks`` and
``models``: ``ws.roster``, ``ws.applications``, ``ws.declarations``, ``ws.answers`` (annotations,
answers and responses), ``ws.advice`` (drafts, sign-offs, decisions, the publication) and
``ws.search``. The older flat names (``ws.roster_add``, ``ws.record_response``…) call the parts.
Several parts' changes can share one transaction: ``with ws.tx.write(): ...``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import secrets
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from panel_desk.core.errors import InvalidInput, Locked, NotFound
from panel_desk.core.files import fsync_dir, private_folder
from panel_desk.core.identity import Identity, PublicCard
from panel_desk.core.model import Member, Role, utcnow
from panel_desk.core.store import _db, _import, audit, headrecord
from panel_desk.core.store._db import NOT_THIS_IDENTITY, StoreError, environment_errors
from panel_desk.core.store._schema import MIGRATIONS
from panel_desk.core.store._tx import BUNDLES_DIR, Tx, guarded, iso, publish, unlink
from panel_desk.core.store.advice import Advice
from panel_desk.core.store.answers import Answers
from panel_desk.core.store.applications import Applications
from panel_desk.core.store.audit import AuditResult
from panel_desk.core.store.declarations import Declarations
from panel_desk.core.store.finder import Search
from panel_desk.core.store.results import (
    ApplicationRow,
    ApplicationStatus,
    CancelCheck,
    DeclarationNeeded,
    ImportResult,
    Progress,
    Refused,
)
from panel_desk.core.store.roster import Roster
from panel_desk.core.store.search import SearchHit

__all__ = [
    "ApplicationRow",
    "ApplicationStatus",
    "AuditResult",
    "DeclarationNeeded",
    "ImportResult",
    "Refused",
    "SearchHit",
    "Workspace",
    "init_profile",
    "open_profile",
    "profile_exists",
]

IDENTITY_FILE = "identity.age"
DATABASE_FILE = "store.db"
ORPHAN_AGE_SECONDS = 3600  # leftovers of an interrupted import older than this are swept on open

_F = TypeVar("_F", bound=Callable[..., Any])


def _write_new_file(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` (which must not exist) via a synced temporary file."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        publish(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    fsync_dir(path.parent)


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
        with ws.tx.write():
            db.execute("INSERT INTO meta (key, value) VALUES ('owner', ?), ('created_at', ?), ('role', ?)",
                       (identity.fingerprint, iso(moment), identity.role.value))
            ws.roster.trust_card(identity.card, moment)
            for card in trusted:  # on a member's profile, the cards given at init are the secretariat
                ws.roster.trust_card(card, moment, as_secretariat=identity.role is not Role.SECRETARIAT)
            ws.tx.audit("profile.init", identity.fingerprint,
                      {"role": identity.role.value, "trusted": [c.fingerprint for c in trusted]}, moment)
        with environment_errors():
            _write_new_file(folder / IDENTITY_FILE, identity_bytes)
    except BaseException:
        db.conn.close()
        for suffix in ("", "-wal", "-shm"):
            unlink(db_path.with_name(DATABASE_FILE + suffix))
        unlink(folder / headrecord.HEAD_FILE)  # the head record goes with the database
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
        with environment_errors():
            headrecord.check_at_unlock(folder, identity.store_key, db)  # lost changes are noticed (issue 12)
    except BaseException:
        db.conn.close()
        raise
    return db


def _via(part: str, method: _F) -> _F:
    """A Workspace method that calls ``method`` on the part named ``part`` (same name as before)."""

    @functools.wraps(method)
    def call(self: Workspace, *args, **kwargs):
        return method(getattr(self, part), *args, **kwargs)

    return call  # type: ignore[return-value]


class Workspace:
    """One person's open profile. Calls are serialised, so it may be used from worker threads.

    ``fingerprint`` and ``me`` (the person's public details) stay readable while locked; all
    else raises Locked until :meth:`unlock`. The records are kept by its parts (``roster``,
    ``applications``, ``declarations``, ``answers``, ``advice``, ``search``), which share ``tx``.
    """

    def __init__(self, profile_dir: Path, identity: Identity, db: sqlite_utils.Database) -> None:
        self.profile_dir = Path(profile_dir)
        self.fingerprint = identity.fingerprint
        self.me: Member = identity.member
        self.tx = Tx(self.profile_dir, identity, db)
        self.roster = Roster(self.tx)
        self.declarations = Declarations(self.tx)
        self.applications = Applications(self.tx, self.roster, self.declarations)
        self.answers = Answers(self.tx, self.applications)
        self.advice = Advice(self.tx, self.roster, self.declarations)
        self.search = Search(self.tx, self.applications)
        self._closed = False
        self._sweep()
        self._expire()

    def __repr__(self) -> str:
        state = "locked" if self.locked else "open"
        return f"<Workspace {self.profile_dir} {self.fingerprint} {state}>"

    # -- lifetime --------------------------------------------------------------------------------

    @property
    def locked(self) -> bool:
        """Whether the workspace is locked (nothing decrypted is held)."""
        return self.tx.db is None

    @property
    def identity(self) -> Identity:
        """The unlocked identity. Raises Locked."""
        return self.tx.identity

    @property
    def is_secretariat(self) -> bool:
        """Whether this is the secretariat's profile (rather than a panel member's)."""
        return self.tx.is_secretariat

    @property
    def bundles_dir(self) -> Path:
        return self.tx.bundles_dir

    def lock(self) -> None:
        """Close the database, drop caches and open bundles, forget the keys and the identity.

        Afterwards every method except :meth:`unlock`, :meth:`close`, :attr:`locked`,
        :attr:`fingerprint` and :attr:`me` raises Locked.
        """
        tx = self.tx
        with tx.mutex:
            tx.drop_caches()
            if tx.db is not None:
                with contextlib.suppress(Exception):
                    tx.db.conn.close()
            tx.db = None
            tx.identity_or_none = None

    def unlock(self, passphrase: str) -> None:
        """Unlock again with the passphrase. Raises WrongPassphrase, Locked (closed) or StoreError."""
        tx = self.tx
        with tx.mutex:
            if self._closed:
                raise Locked("This profile was closed. Open it again.")
            if tx.db is not None:
                return
            identity = Identity.load(self.profile_dir / IDENTITY_FILE, passphrase)
            if identity.fingerprint != self.fingerprint:
                raise StoreError(NOT_THIS_IDENTITY)
            tx.db = _open_db(self.profile_dir, identity)
            tx.identity_or_none = identity
            self._expire()

    def close(self) -> None:
        """Close the workspace for good (as :meth:`lock`, without the chance to unlock)."""
        with self.tx.mutex:
            self.lock()
            self._closed = True

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _sweep(self) -> None:
        """Remove what an interrupted import or seal left in bundles/ (old, unreferenced files)."""
        folder = self.bundles_dir
        if self.tx.db is None or not folder.is_dir():
            return
        with environment_errors():
            known = {r[0] for r in self.tx.db.execute("SELECT file FROM bundles WHERE file != ''")}
            cutoff = time.time() - ORPHAN_AGE_SECONDS
            for entry in os.scandir(folder):
                if entry.is_file() and entry.name not in known and entry.stat().st_mtime < cutoff:
                    unlink(Path(entry.path))

    def _expire(self) -> None:
        """Remove expired applications' documents from a member's profile (see Applications.expire)."""
        if self.tx.db is not None:
            self.applications.expire()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction for a verb that records several things: every record made inside joins it,
        so either all of them are kept or none is (files registered for undo are removed)."""
        with self.tx.session(), self.tx.write():
            yield

    # -- the audit log ---------------------------------------------------------------------------

    @guarded
    def audit(self, action: str, obj: str, detail: dict | None = None, *, now: datetime | None = None) -> None:
        """Append an entry to the audit log (state-changing methods do this themselves)."""
        if not action or not isinstance(action, str):
            raise InvalidInput("An audit entry needs an action.")
        with self.tx.write():
            self.tx.audit(action, obj, detail, now)

    @guarded
    def audit_log(self) -> list[dict[str, Any]]:
        """Every audit entry, oldest first: seq, at, actor, action, object, detail."""
        return audit.entries(self.tx.database)

    @guarded
    def verify_audit(self) -> AuditResult:
        """Check the audit chain end to end and report the first broken entry."""
        return audit.verify(self.tx.database)

    # -- bundles in ------------------------------------------------------------------------------

    def import_bundle(self, path: Path, *, progress: Progress | None = None, cancel: CancelCheck | None = None,
                      now: datetime | None = None) -> ImportResult:
        """Verify the bundle at ``path`` completely, then record it in one transaction.

        Returns an ImportResult; a bundle that is refused leaves the profile exactly as it was
        (status "refused" and the reason). Decryption, verification and text extraction run without
        holding the workspace, so other calls (from the window's thread) are not kept waiting.
        Raises Cancelled (nothing changed), Locked or StoreError.
        """
        if self.locked:
            raise Locked()
        return _import.import_one(self, Path(path), progress=progress, cancel=cancel, now=now)

    def import_many(self, paths: Iterable[Path], *, progress: Progress | None = None,
                    cancel: CancelCheck | None = None, now: datetime | None = None) -> list[ImportResult]:
        """Import each file in turn; one bad file is reported as "refused" and never stops the rest.

        After a cancel the files not yet imported are reported as refused ("you cancelled"); those
        already imported stay imported. Raises Locked or StoreError.
        """
        if self.locked:
            raise Locked()
        return _import.import_many(self, [Path(p) for p in paths], progress=progress, cancel=cancel, now=now)

    # -- the parts' verbs under their earlier flat names -----------------------------------------

    trust = _via("roster", Roster.trust)
    trusted = _via("roster", Roster.trusted)
    trusted_secretariat = _via("roster", Roster.trusted_secretariat)
    card = _via("roster", Roster.card)
    roster_add = _via("roster", Roster.add)
    member = _via("roster", Roster.member)

    application = _via("applications", Applications.get)
    application_revisions = _via("applications", Applications.revisions)
    status = _via("applications", Applications.status)
    put_application = _via("applications", Applications.put)
    withdraw = _via("applications", Applications.withdraw)
    application_bundle_path = _via("applications", Applications.bundle_path)
    documents = _via("applications", Applications.documents)
    read_document = _via("applications", Applications.read_document)
    open_document = _via("applications", Applications.open_document)
    record_sent = _via("applications", Applications.record_sent)
    sent = _via("applications", Applications.sent)
    panel = _via("applications", Applications.panel)
    expire = _via("applications", Applications.expire)

    declaration = _via("declarations", Declarations.get)
    save_declaration = _via("declarations", Declarations.save)

    annotations = _via("answers", Answers.annotations)
    save_annotation = _via("answers", Answers.save_annotation)
    delete_annotation = _via("answers", Answers.delete_annotation)
    save_answers = _via("answers", Answers.save)
    record_response = _via("answers", Answers.record_response)
    mark_read = _via("answers", Answers.mark_read)
    has_read = _via("answers", Answers.has_read)
    mark_visited = _via("answers", Answers.mark_visited)
    visited_sections = _via("answers", Answers.visited_sections)
    responses = _via("answers", Answers.responses)

    record_draft = _via("advice", Advice.record_draft)
    drafts = _via("advice", Advice.drafts)
    latest_draft = _via("advice", Advice.latest_draft)
    draft_held = _via("advice", Advice.draft_held)
    record_signoff = _via("advice", Advice.record_signoff)
    signoffs = _via("advice", Advice.signoffs)
    record_decision = _via("advice", Advice.record_decision)
    decisions = _via("advice", Advice.decisions)
    decision_basis = _via("advice", Advice.decision_basis)
    record_publication = _via("advice", Advice.record_publication)
    publication = _via("advice", Advice.publication)

    # -- secrets and settings --------------------------------------------------------------------

    @guarded
    def put_secret(self, name: str, value: bytes, *, now: datetime | None = None) -> None:
        """Keep a small secret (e.g. the publication certificate key) in the encrypted store."""
        if not name:
            raise InvalidInput("A secret needs a name.")
        with self.tx.write() as db:
            db.execute("INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET "
                       "value = excluded.value", (name, bytes(value)))
            self.tx.audit("secret.put", name, None, now)

    @guarded
    def get_secret(self, name: str) -> bytes | None:
        """A secret kept with :meth:`put_secret`, or None."""
        row = self.tx.one("SELECT value FROM secrets WHERE name = ?", (name,))
        return bytes(row[0]) if row else None

    @guarded
    def set_setting(self, key: str, value: Any, *, now: datetime | None = None) -> None:
        """Keep a small JSON value (text, number, list, dict…) under ``key``. Raises InvalidInput."""
        try:
            text = json.dumps(value, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError):
            raise InvalidInput(f"The setting {key} cannot be saved: it is not a simple value.") from None
        if len(text) > 256 * 1024:
            raise InvalidInput(f"The setting {key} is too large to keep.")
        with self.tx.write() as db:
            db.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
                       "value = excluded.value", (str(key), text))
            self.tx.audit("setting.set", str(key), None, now)

    @guarded
    def get_setting(self, key: str, default: Any = None) -> Any:
        """The value kept under ``key``, or ``default``."""
        row = self.tx.one("SELECT value FROM settings WHERE key = ?", (str(key),))
        return json.loads(row[0]) if row else default


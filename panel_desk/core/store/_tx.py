"""The transaction object every part of the store shares (as Anki's parts share one collection).

One :class:`Tx` per open profile holds the database connection, the identity, the lock that
serialises calls, the depth of the current write transaction and what to do with files after it
commits or rolls back, and the caches that are dropped when the profile is locked. Parts run
their reads in :meth:`Tx.session` (usually through :func:`guarded`) and their writes in
:meth:`Tx.write`, which nested calls join, so several parts' changes can share one transaction.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils
from pydantic import BaseModel

from panel_desk.core.errors import InvalidInput, Locked, NotFound
from panel_desk.core.identity import Identity
from panel_desk.core.model import Application, Role, utcnow
from panel_desk.core.store import _db, audit, headrecord
from panel_desk.core.store._db import environment_errors
from panel_desk.core.store.results import Refused

BUNDLES_DIR = "bundles"
BUNDLE_SUFFIX = ".pdbundle"

_M = TypeVar("_M", bound=BaseModel)
_F = TypeVar("_F", bound=Callable[..., Any])


# --- small conversions shared by the parts --------------------------------------------------------


def iso(moment: datetime) -> str:
    """A time as stored: UTC, ISO 8601 with microseconds. Raises ValueError for a naive time."""
    if moment.tzinfo is None:
        raise ValueError("times must carry a time zone")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def dump(model: BaseModel) -> str:
    return model.model_dump_json()


def load(model: type[_M], text: str) -> _M:
    return model.model_validate_json(text)


def unlink(path: Path) -> None:
    """Remove ``path`` if it is there."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def publish(source: Path, target: Path) -> None:
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


# --- the transaction object -------------------------------------------------------------------------


class Tx:
    """The open profile's connection, identity and write transaction, shared by every part."""

    def __init__(self, profile_dir: Path, identity: Identity, db: sqlite_utils.Database) -> None:
        self.profile_dir = Path(profile_dir)
        self.fingerprint = identity.fingerprint
        self.role: Role = identity.role
        self.identity_or_none: Identity | None = identity
        self.db: sqlite_utils.Database | None = db
        self.mutex = threading.RLock()
        self.depth = 0
        self.after_commit: list[Callable[[], None]] = []
        self.after_rollback: list[Callable[[], None]] = []
        self.opened: dict[str, Any] = {}  # bundle_id -> OpenedBundle (decrypts on demand)
        self.apps: dict[tuple[str, int], Application] = {}  # parsed application revisions

    @property
    def is_secretariat(self) -> bool:
        return self.role is Role.SECRETARIAT

    @property
    def bundles_dir(self) -> Path:
        return self.profile_dir / BUNDLES_DIR

    @property
    def identity(self) -> Identity:
        """The unlocked identity. Raises Locked."""
        if self.identity_or_none is None:
            raise Locked()
        return self.identity_or_none

    @property
    def database(self) -> sqlite_utils.Database:
        """The open database. Raises Locked."""
        if self.db is None:
            raise Locked()
        return self.db

    def drop_caches(self) -> None:
        for opened in self.opened.values():
            with contextlib.suppress(Exception):
                opened.close()
        self.opened.clear()
        self.apps.clear()

    @contextlib.contextmanager
    def session(self) -> Iterator[None]:
        """Hold the profile for one step: serialised, refused when locked, environment errors plain."""
        with self.mutex:
            if self.db is None:
                raise Locked()
            with environment_errors():
                yield

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """One transaction; nested uses join the outer one. Files are tidied after it ends."""
        db = self.database
        if self.depth:
            self.depth += 1
            try:
                yield db
            finally:
                self.depth -= 1
            return
        self.depth = 1
        self.after_commit, self.after_rollback = [], []
        try:
            with _db.transaction(db):
                yield db
        except BaseException:
            self.apps.clear()
            for undo in self.after_rollback:
                with contextlib.suppress(OSError):
                    undo()
            raise
        finally:
            self.depth = 0
        for tidy in self.after_commit:
            with contextlib.suppress(OSError):
                tidy()
        if self.identity_or_none is not None:  # the committed audit head, kept outside the database
            headrecord.after_commit(self.profile_dir, self.identity_or_none.store_key, db)

    def audit(self, action: str, obj: str, detail: dict | None = None, now: datetime | None = None) -> None:
        """Append an audit entry inside the change's transaction."""
        if not self.depth:
            raise RuntimeError("audit entries are written inside the change's transaction")
        audit.append(self.database, at=iso(now or utcnow()), actor=self.fingerprint, action=action,
                     obj=obj, detail=detail)

    def one(self, sql: str, params: Sequence = ()) -> tuple | None:
        return self.database.execute(sql, tuple(params)).fetchone()

    def all(self, sql: str, params: Sequence = ()) -> list[tuple]:
        return self.database.execute(sql, tuple(params)).fetchall()

    def app_record(self, app_id: str) -> dict[str, Any]:
        """The applications row for ``app_id``. Raises NotFound."""
        rows = list(self.database.query("SELECT * FROM applications WHERE id = ?", [str(app_id)]))
        if not rows:
            raise NotFound(f"There is no application {app_id} in this profile.")
        return rows[0]

    def require_secretariat(self, what: str) -> None:
        if not self.is_secretariat:
            raise InvalidInput(f"Only the secretariat can {what}. This profile belongs to a panel member.")


def guarded(method: _F) -> _F:
    """Serialise a part's call, refuse it when locked, and turn environment errors into StoreError."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self.tx.session():
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


class Part:
    """A focused part of the store, sharing the profile's :class:`Tx`."""

    def __init__(self, tx: Tx) -> None:
        self.tx = tx


def check_revision(what: str, app_id: str, revision: int, current: int) -> None:
    """Refuse a record about another revision of the application than the current one."""
    if revision < current:
        raise Refused(f"This {what} is about revision {revision} of application {app_id}, but revision {current} "
                      "has since been sent. It was not recorded; the current revision needs a new one.")
    if revision > current:
        raise Refused(f"This {what} is about revision {revision} of application {app_id}, which this profile "
                      "does not hold.")

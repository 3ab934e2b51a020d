"""The SQLCipher connection: keying, pragmas, schema migrations and environment errors.

Errors the computer causes (disk full, read-only folder, damaged file, another identity's key, a
database from a newer Panel Desk) become :class:`StoreError` with a plain message; anything else
that escapes is a bug and is left to surface as one.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator
from pathlib import Path

import sqlcipher3
import sqlite_utils
from sqlcipher3 import dbapi2

from panel_desk.core.errors import PanelDeskError


class StoreError(PanelDeskError):
    """The profile's database cannot be used because of the computer it is on (disk full,
    read-only folder, damaged file, another identity's profile, a newer Panel Desk).
    The message says what to do."""


NOT_THIS_IDENTITY = "This profile belongs to another identity or is damaged."
DISK_FULL = "The disk is full. Free some space and try again; what was saved before is safe."
READ_ONLY = "The profile folder cannot be written to. Check that it is not read-only and that you may write there."
DISK_ERROR = ("The computer could not read or write the profile (a disk error). "
              "Check the disk, then try again.")
BUSY = "The profile is in use by another Panel Desk. Close it, then try again."
CANNOT_OPEN = "The profile's database cannot be opened. Check that the profile folder exists and can be written to."

_BY_SQLITE_NAME = {
    "SQLITE_FULL": DISK_FULL,
    "SQLITE_READONLY": READ_ONLY,
    "SQLITE_CORRUPT": NOT_THIS_IDENTITY,
    "SQLITE_NOTADB": NOT_THIS_IDENTITY,
    "SQLITE_IOERR": DISK_ERROR,
    "SQLITE_CANTOPEN": CANNOT_OPEN,
    "SQLITE_BUSY": BUSY,
    "SQLITE_LOCKED": BUSY,
    "SQLITE_PERM": READ_ONLY,
    "SQLITE_AUTH": READ_ONLY,
}

_BY_ERRNO = {
    errno.ENOSPC: DISK_FULL,
    errno.EDQUOT: DISK_FULL,
    errno.EROFS: READ_ONLY,
    errno.EACCES: READ_ONLY,
    errno.EPERM: READ_ONLY,
    errno.EIO: DISK_ERROR,
}


def environment_message(exc: dbapi2.Error | OSError) -> str | None:
    """The plain message for an error the computer caused, or None for a bug."""
    if isinstance(exc, dbapi2.Error):
        name = str(getattr(exc, "sqlite_errorname", "") or "")
        base = "_".join(name.split("_")[:2])  # SQLITE_IOERR_WRITE -> SQLITE_IOERR
        return _BY_SQLITE_NAME.get(base)
    return _BY_ERRNO.get(exc.errno or -1)


@contextlib.contextmanager
def environment_errors() -> Iterator[None]:
    """Turn disk, permission and damage errors into StoreError; let bugs through unchanged."""
    try:
        yield
    except (dbapi2.Error, OSError) as exc:
        message = environment_message(exc)
        if message is None:
            raise
        raise StoreError(message) from exc


def connect(path: Path, key: bytes) -> sqlite_utils.Database:
    """Open (or create) the SQLCipher database at ``path`` keyed with the raw 32-byte ``key``.

    Sets WAL, synchronous FULL and an in-memory temp store, and checks the key can read it.
    Raises StoreError (another identity's key, damage, disk problems). The caller migrates.
    """
    if len(key) != 32:
        raise ValueError("the store key must be 32 bytes")
    conn = None
    with environment_errors():
        try:
            conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=5.0)
            # Before keying, or SQLCipher writes "hmac check failed" to stderr for a wrong key.
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute("PRAGMA temp_store = MEMORY")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(READ_ONLY)
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 5000")
        except BaseException:
            if conn is not None:
                conn.close()
            raise
    return sqlite_utils.Database(conn)


def user_version(db: sqlite_utils.Database) -> int:
    """The schema version the database is at."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """One write transaction (BEGIN IMMEDIATE … COMMIT), rolled back on any exception."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with contextlib.suppress(dbapi2.Error):
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def migrate(db: sqlite_utils.Database, migrations: list, *, target: int | None = None) -> int:
    """Bring the schema forward one step at a time (each step in its own transaction).

    ``migrations[n]`` takes the database from version n to n + 1. Returns the final version.
    Raises StoreError for a database newer than this program.
    """
    latest = len(migrations) if target is None else target
    version = user_version(db)
    if version > len(migrations):
        raise StoreError(f"This profile was saved by a newer version of Panel Desk (store version {version}; "
                         f"this one reads up to {len(migrations)}). Update Panel Desk to open it.")
    while version < latest:
        with transaction(db):
            migrations[version](db)
            db.execute(f"PRAGMA user_version = {version + 1:d}")
        version += 1
    return version

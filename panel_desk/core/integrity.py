"""Checking a profile for damage, and what to do when it has lost changes.

:func:`check_integrity` reads the whole database on its own connection (so the window can run it
in the background after unlock while the person works) and checks every page's seal (SQLCipher's
``cipher_integrity_check``), SQLite's structure (``integrity_check``), the audit chain and that
every bundle the database refers to is in the folder. The same checks run on each backup's copy
before it is written, and on a restored profile before it is put in place.

:func:`accept_loss` is the way on for someone told at unlock that their profile has lost its
most recent changes and who has no backup: it records the loss and opens the profile as it is.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlcipher3
import sqlite_utils
from sqlcipher3 import dbapi2

from panel_desk.core.errors import NotFound
from panel_desk.core.identity import Identity
from panel_desk.core.store import audit, headrecord
from panel_desk.core.store.workspace import (
    BUNDLES_DIR,
    DATABASE_FILE,
    IDENTITY_FILE,
    Workspace,
    no_profile_message,
    open_profile,
    profile_exists,
)

__all__ = ["IntegrityReport", "accept_loss", "check_database", "check_integrity", "damage_message"]

WHAT_TO_DO = ("Make no more changes in it: restore your most recent backup into a new, empty folder "
              "(panel-desk restore, or \"Restore from a backup\" on the first screen), and keep this "
              "folder until the restored profile works. Without a backup, tell the secretariat.")


@dataclass(frozen=True)
class IntegrityReport:
    """The outcome of checking a profile: ``ok``, the problems found (in words) and a message."""

    ok: bool
    problems: tuple[str, ...] = field(default=())
    audit_entries: int = 0

    @property
    def message(self) -> str:
        if self.ok:
            words = "1 entry" if self.audit_entries == 1 else f"{self.audit_entries} entries"
            return (f"The profile is intact: every part of its database checks, and its audit log "
                    f"({words}) is unbroken.")
        return damage_message(self.problems)


def damage_message(problems: tuple[str, ...] | list[str]) -> str:
    """The sentence that tells a person their profile is damaged, what was found and what to do."""
    found = "; ".join(p.rstrip(".") for p in problems)
    return f"This profile is damaged: {found}. {WHAT_TO_DO}"


def connect_raw(path: Path, key: bytes) -> sqlcipher3.Connection:
    """A plain keyed connection (no journal-mode change) for checking or copying a database."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=5.0)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{bytes(key).hex()}'\"")
        conn.execute("PRAGMA temp_store = MEMORY")
    except BaseException:
        conn.close()
        raise
    return conn


def check_database(conn: sqlcipher3.Connection) -> tuple[list[str], int]:
    """Check every page's seal, the structure and the audit chain on ``conn``.

    Returns (problems in words, audit entries). Never raises for damage: damage is a problem.
    """
    problems: list[str] = []
    entries = 0
    try:
        bad = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        if bad:
            problems.append(f"{len(bad)} part{'s' if len(bad) != 1 else ''} of its database "
                            f"{'do' if len(bad) != 1 else 'does'} not match the seal written with "
                            f"{'them' if len(bad) != 1 else 'it'} (changed or damaged on disk)")
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        if rows != [("ok",)]:
            problems.append("the database's structure is damaged (SQLite reports it malformed)")
        result = audit.verify(sqlite_utils.Database(conn))
        entries = result.entries
        if not result.ok:
            problems.append(result.message)
    except dbapi2.DatabaseError:
        problems.append("its database cannot be read to the end (it is damaged or not this profile's)")
    return problems, entries


def check_integrity(ws: Workspace) -> IntegrityReport:
    """Check the open profile ``ws`` for damage, on a connection of its own (safe in a worker thread
    while the workspace is used elsewhere). Raises Locked when the workspace is locked."""
    with ws.tx.session():
        key = ws.identity.store_key
        files = [r[0] for r in ws.tx.all("SELECT file FROM bundles WHERE file != ''")]
    conn = connect_raw(ws.profile_dir / DATABASE_FILE, key)
    try:
        problems, entries = check_database(conn)
    finally:
        conn.close()
    missing = [f for f in files if not (ws.profile_dir / BUNDLES_DIR / f).is_file()]
    if missing:
        problems.append(f"{len(missing)} stored bundle{'s are' if len(missing) != 1 else ' is'} missing "
                        "from its bundles folder")
    return IntegrityReport(ok=not problems, problems=tuple(problems), audit_entries=entries)


def accept_loss(profile_dir: Path, passphrase: str, *, now: datetime | None = None) -> Workspace:
    """Open a profile that has lost its most recent changes as it is, recording the loss.

    For someone with no backup to restore. Checks the passphrase first; returns the open
    workspace (the audit log gains a ``profile.loss-accepted`` entry naming how many entries were
    lost). Raises NotFound, WrongPassphrase or StoreError.
    """
    folder = Path(profile_dir)
    if not profile_exists(folder):
        raise NotFound(no_profile_message(folder))
    identity = Identity.load(folder / IDENTITY_FILE, passphrase)
    recorded = headrecord.read(folder, identity.store_key)
    with contextlib.suppress(FileNotFoundError):
        (folder / headrecord.HEAD_FILE).unlink()
    headrecord.forget(folder)
    ws = open_profile(folder, passphrase)
    try:
        with ws.tx.session():
            head = headrecord.database_head(ws.tx.database)
        lost = max(0, recorded[0] - head[0]) if recorded else 0
        ws.audit("profile.loss-accepted", ws.fingerprint, {"lost_entries": lost}, now=now)
    except BaseException:
        ws.close()
        raise
    return ws

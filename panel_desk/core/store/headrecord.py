"""A small encrypted record of the profile's last committed audit head, kept outside the database.

SQLite keeps the newest commits in the ``-wal`` file until a checkpoint. If the computer stops
hard and that file is lost or damaged, the database opens without its most recent changes and
nothing inside it can tell: the audit chain is intact, just shorter. So after every commit the
profile writes ``audit-head.bin`` beside the database (atomically: a reader sees the old record
or the new one), holding the last entry's number and hash, encrypted and authenticated with a
key derived from the store key. At unlock a database behind that record is refused with
"This profile has lost its most recent changes (N entries): restore from a backup".

Limits: a record that is missing (an older profile, or the file deleted) cannot show a loss; it
is written afresh from the database as it is. A record the store key cannot authenticate
(damaged) is treated as missing.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from pathlib import Path

import sqlite_utils
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from panel_desk.core.errors import PanelDeskError
from panel_desk.core.files import write_atomic
from panel_desk.core.store import audit
from panel_desk.core.store._db import StoreError

__all__ = ["HEAD_FILE", "Head", "LostChanges", "after_commit", "check_at_unlock", "database_head", "forget",
           "read", "write"]

HEAD_FILE = "audit-head.bin"
_MAGIC = b"PDHEAD1\n"
_NONCE = 12
_MAX_BYTES = 4096
_KDF_INFO = b"panel-desk audit head record v1"

# The last head written per profile folder in this process: a commit that did not move the head
# (none today: every change is audited) writes nothing.
_written: dict[str, tuple[int, str]] = {}
_lock = threading.Lock()


class LostChanges(StoreError):
    """The database is behind (or not the same as) the record of its last committed change."""

    def __init__(self, message: str, lost: int) -> None:
        super().__init__(message)
        self.lost = lost


Head = tuple[int, str]  # (sequence number of the last audit entry, its hash)


def _key(store_key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KDF_INFO).derive(bytes(store_key))


def database_head(db: sqlite_utils.Database) -> Head:
    """The last audit entry's number and hash in ``db`` ((0, GENESIS) when there is none)."""
    row = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else (0, audit.GENESIS)


def write(folder: Path, store_key: bytes, head: Head) -> None:
    """Write the record of ``head`` into ``folder`` atomically (mode 0600)."""
    nonce = os.urandom(_NONCE)
    body = json.dumps({"seq": head[0], "hash": head[1]}, separators=(",", ":")).encode("ascii")
    data = _MAGIC + nonce + ChaCha20Poly1305(_key(store_key)).encrypt(nonce, body, _MAGIC)
    write_atomic(Path(folder) / HEAD_FILE, data, mode=0o600)
    with _lock:
        _written[str(Path(folder))] = head


def read(folder: Path, store_key: bytes) -> Head | None:
    """The recorded head, or None when there is no record or it cannot be authenticated."""
    try:
        with (Path(folder) / HEAD_FILE).open("rb") as f:
            data = f.read(_MAX_BYTES + 1)
    except OSError:
        return None
    if len(data) > _MAX_BYTES or not data.startswith(_MAGIC):
        return None
    nonce, sealed = data[len(_MAGIC):len(_MAGIC) + _NONCE], data[len(_MAGIC) + _NONCE:]
    try:
        raw = json.loads(ChaCha20Poly1305(_key(store_key)).decrypt(nonce, sealed, _MAGIC))
        seq, digest = int(raw["seq"]), str(raw["hash"])
    except (InvalidTag, ValueError, KeyError, TypeError):
        return None
    return (seq, digest) if seq >= 0 and len(digest) == 64 else None


def after_commit(folder: Path, store_key: bytes, db: sqlite_utils.Database) -> None:
    """Record the database's head after a commit (the hook the workspace calls). Never raises
    for the disk: the commit stands, and the next commit writes the record again."""
    with contextlib.suppress(OSError, PanelDeskError):
        head = database_head(db)
        with _lock:
            if _written.get(str(Path(folder))) == head:
                return
        write(folder, store_key, head)


def forget(folder: Path) -> None:
    """Drop what this process remembers writing for ``folder`` (after a restore or a reset)."""
    with _lock:
        _written.pop(str(Path(folder)), None)


def lost_message(lost: int) -> str:
    words = "1 entry" if lost == 1 else f"{lost} entries"
    return (f"This profile has lost its most recent changes ({words}): restore from a backup. Restore it into "
            "a new folder (panel-desk restore FILE --profile NEW-FOLDER, or \"Restore from a backup\" when "
            "Panel Desk starts on a new profile folder); with no backup, 'panel-desk profile accept-loss' opens "
            "it as it is.")


def check_at_unlock(folder: Path, store_key: bytes, db: sqlite_utils.Database) -> None:
    """Compare the database with the record of its last commit (the hook the workspace calls at
    unlock). Raises LostChanges when the database is behind it or holds another history; writes
    the record when there is none, or when the database is ahead (a stop between a commit and
    its record)."""
    head = database_head(db)
    recorded = read(folder, store_key)
    if recorded is None or recorded == head:
        if recorded is None:
            with contextlib.suppress(OSError, PanelDeskError):
                write(folder, store_key, head)
        else:
            with _lock:
                _written[str(Path(folder))] = head
        return
    seq, digest = recorded
    if head[0] < seq:
        raise LostChanges(lost_message(seq - head[0]), seq - head[0])
    row = db.execute("SELECT hash FROM audit WHERE seq = ?", (seq,)).fetchone() if seq else None
    if seq and (row is None or row[0] != digest):
        raise LostChanges("This profile's database is not the one last saved here: its history differs from "
                          "the record of its last change. Restore from a backup into a new folder (panel-desk restore "
                          "FILE --profile NEW-FOLDER); with no backup, 'panel-desk profile accept-loss' opens it "
                          "as it is.", 0)
    with contextlib.suppress(OSError, PanelDeskError):
        write(folder, store_key, head)

"""The audit log: append-only entries, each holding the hash of the one before.

Every entry records when, who (the actor's fingerprint), what was done, to what, a small detail
(ids and counts, never content) and the previous entry's hash; its own hash covers all of that.
Changing, removing or reordering any entry breaks the chain from that entry on, and
:func:`verify` names the first entry that does not check. The last entry's sequence number and
hash are also kept in ``meta`` so cutting entries off the end is caught.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from panel_desk.core.identity import canonical_json

GENESIS = "0" * 64
DOMAIN = b"panel-desk audit v1\n"
HEAD_KEY = "audit_head"


@dataclass(frozen=True)
class AuditResult:
    """The outcome of checking the audit chain."""

    ok: bool
    entries: int
    first_broken: int | None  # the sequence number of the first entry that does not check
    message: str


def entry_hash(*, seq: int, at: str, actor: str, action: str, obj: str, detail: str, prev: str) -> str:
    """The hash an entry must carry (hex SHA-256 over a domain prefix and its fields)."""
    body = canonical_json({"seq": seq, "at": at, "actor": actor, "action": action, "object": obj,
                           "detail": detail, "prev": prev})
    return hashlib.sha256(DOMAIN + body).hexdigest()


def append(db: sqlite_utils.Database, *, at: str, actor: str, action: str, obj: str,
           detail: dict[str, Any] | None = None) -> int:
    """Append one entry inside the caller's transaction; return its sequence number."""
    row = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
    detail_json = json.dumps(detail or {}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = entry_hash(seq=seq, at=at, actor=actor, action=action, obj=obj, detail=detail_json, prev=prev)
    db.execute("INSERT INTO audit (seq, at, actor, action, object, detail, prev, hash) VALUES (?,?,?,?,?,?,?,?)",
               (seq, at, actor, action, obj, detail_json, prev, digest))
    db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
               (HEAD_KEY, f"{seq}:{digest}"))
    return seq


def entries(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every entry, oldest first (detail decoded)."""
    out = []
    for row in db.query("SELECT seq, at, actor, action, object, detail FROM audit ORDER BY seq"):
        row["detail"] = json.loads(row["detail"])
        out.append(row)
    return out


def verify(db: sqlite_utils.Database) -> AuditResult:
    """Check every entry's hash and link; report the first that does not check."""
    prev = GENESIS
    count = 0
    expected_seq = 1
    for row in db.execute("SELECT seq, at, actor, action, object, detail, prev, hash FROM audit ORDER BY seq"):
        seq, at, actor, action, obj, detail, stored_prev, stored_hash = row
        count += 1
        computed = entry_hash(seq=seq, at=at, actor=actor, action=action, obj=obj, detail=detail, prev=prev)
        if seq != expected_seq or stored_prev != prev or stored_hash != computed:
            return _broken(seq if seq == expected_seq else expected_seq, count)
        prev = stored_hash
        expected_seq += 1
    head = db.execute("SELECT value FROM meta WHERE key = ?", (HEAD_KEY,)).fetchone()
    if head is not None and head[0] != f"{count}:{prev}":
        return _broken(count + 1, count, cut=True)
    if head is None and count:
        return _broken(1, count)
    words = "1 entry" if count == 1 else f"{count} entries"
    return AuditResult(ok=True, entries=count, first_broken=None,
                       message=f"The audit log is intact: {words}, each linked to the one before.")


def _broken(seq: int, count: int, *, cut: bool = False) -> AuditResult:
    if cut:
        message = (f"The audit log has been cut short: entries after number {count} are missing. "
                   "Tell the secretariat; do not rely on this profile's history.")
    else:
        message = (f"The audit log has been changed: entry {seq} does not match the record of it. "
                   "Tell the secretariat; do not rely on this profile's history from that entry on.")
    return AuditResult(ok=False, entries=count, first_broken=seq, message=message)

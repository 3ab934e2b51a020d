"""The store's schema, as forward migrations: ``MIGRATIONS[n]`` takes version n to n + 1.

Never edit a migration that has shipped; add the next one (and its test in
``tests/core/store/test_store_schema.py``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlite_utils

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE cards (
    fingerprint TEXT PRIMARY KEY,
    card TEXT NOT NULL,
    trusted INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL
);

CREATE TABLE roster (
    fingerprint TEXT PRIMARY KEY REFERENCES cards(fingerprint),
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    organisation TEXT NOT NULL DEFAULT '',
    acts_for TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL
);

-- every bundle received or sealed to ourselves; file: its name under bundles/ ('' once removed)
CREATE TABLE bundles (
    bundle_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    application_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    creator TEXT NOT NULL,
    recipients TEXT NOT NULL,
    file TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    expires_at TEXT,
    recorded_at TEXT NOT NULL
);
CREATE INDEX bundles_application ON bundles(application_id, kind);

CREATE TABLE applications (
    id TEXT PRIMARY KEY,
    revision INTEGER NOT NULL,
    authority TEXT NOT NULL,
    title TEXT NOT NULL,
    advice_due TEXT NOT NULL,
    provisions TEXT NOT NULL,
    bundle_id TEXT NOT NULL REFERENCES bundles(bundle_id),
    expires_at TEXT,
    withdrawn_at TEXT,
    withdrawn_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE application_revisions (
    application_id TEXT NOT NULL REFERENCES applications(id),
    revision INTEGER NOT NULL,
    data TEXT NOT NULL,
    bundle_id TEXT NOT NULL REFERENCES bundles(bundle_id),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (application_id, revision)
);

CREATE TABLE documents (
    application_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    path TEXT NOT NULL,
    title TEXT NOT NULL,
    page_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (application_id, revision, path),
    FOREIGN KEY (application_id, revision) REFERENCES application_revisions(application_id, revision)
);

-- the text of every page of the documents in use, for search
CREATE VIRTUAL TABLE pages USING fts5(
    text, application_id UNINDEXED, revision UNINDEXED, document UNINDEXED, page UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE declarations (
    id INTEGER PRIMARY KEY,
    application_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    member TEXT NOT NULL,
    data TEXT NOT NULL,
    declared_at TEXT NOT NULL,
    bundle_id TEXT,
    recorded_at TEXT NOT NULL
);
CREATE INDEX declarations_application ON declarations(application_id, revision, member);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    application_id TEXT NOT NULL,
    member TEXT NOT NULL,
    data TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX decisions_application ON decisions(application_id);

CREATE TABLE annotations (
    id TEXT PRIMARY KEY,
    application_id TEXT NOT NULL,
    document TEXT NOT NULL,
    page INTEGER NOT NULL,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX annotations_application ON annotations(application_id, document, page);

CREATE TABLE answers (
    application_id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE responses (
    id INTEGER PRIMARY KEY,
    application_id TEXT NOT NULL,
    application_revision INTEGER NOT NULL,
    member TEXT NOT NULL,
    revision INTEGER NOT NULL,
    data TEXT NOT NULL,
    bundle_id TEXT,
    superseded_by INTEGER REFERENCES responses(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX responses_application ON responses(application_id, member);

CREATE TABLE drafts (
    application_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    data TEXT NOT NULL,
    bundle_id TEXT,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (application_id, revision)
);

CREATE TABLE signoffs (
    id INTEGER PRIMARY KEY,
    application_id TEXT NOT NULL,
    draft_revision INTEGER NOT NULL,
    member TEXT NOT NULL,
    data TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    bundle_id TEXT,
    recorded_at TEXT NOT NULL
);
CREATE INDEX signoffs_application ON signoffs(application_id, draft_revision, member);

-- bundles sealed for other people (the secretariat's status is derived from these)
CREATE TABLE sent (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    application_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    recipients TEXT NOT NULL,
    bundle_id TEXT NOT NULL,
    sent_at TEXT NOT NULL
);
CREATE INDEX sent_application ON sent(application_id, kind);

CREATE TABLE publications (
    application_id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    published INTEGER NOT NULL DEFAULT 0,
    recorded_at TEXT NOT NULL
);

CREATE TABLE secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL);

CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- append-only, hash-chained (see audit.py); the triggers stop mistakes, the chain catches tampering
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


def _v0_to_v1(db: sqlite_utils.Database) -> None:
    """The first schema: people, bundles, applications, the member's and the secretariat's records,
    page text for search, settings, secrets and the audit chain."""
    for statement in _split(_V1):
        db.execute(statement)


def _split(script: str) -> list[str]:
    """Statements of a script (executescript would commit the migration's transaction)."""
    out, current = [], []
    for line in script.splitlines():
        if line.strip().startswith("--") or not line.strip():
            continue
        current.append(line)
        joined = "\n".join(current)
        if joined.rstrip().endswith(";") and (not joined.lstrip().upper().startswith("CREATE TRIGGER")
                                              or joined.rstrip().upper().endswith("END;")):
            out.append(joined)
            current = []
    if current:
        raise ValueError("unterminated statement in schema script")
    return out


def _v1_to_v2(db: sqlite_utils.Database) -> None:
    """Why each card is trusted: 'secretariat' on a member's profile marks the card(s) the member chose
    to accept applications and draft advice from (until now every trusted card whose holder called
    themselves the secretariat was accepted, so those are the ones kept)."""
    db.execute("ALTER TABLE cards ADD COLUMN trusted_as TEXT NOT NULL DEFAULT ''")
    owner = db.execute("SELECT value FROM meta WHERE key = 'owner'").fetchone()
    role = db.execute("SELECT value FROM meta WHERE key = 'role'").fetchone()
    if owner is not None and (role is None or role[0] != "secretariat"):
        db.execute("UPDATE cards SET trusted_as = 'secretariat' WHERE trusted = 1 AND fingerprint != ? "
                   "AND json_extract(card, '$.role') = 'secretariat'", (owner[0],))


_V3 = """
-- the declaration a conflict decision was based on (a recused member never declares again, and the
-- register still shows what the decision was about)
ALTER TABLE decisions ADD COLUMN basis INTEGER REFERENCES declarations(id);

-- a member's reading progress
CREATE TABLE applications_read (application_id TEXT PRIMARY KEY REFERENCES applications(id));
CREATE TABLE sections_visited (
    application_id TEXT NOT NULL REFERENCES applications(id),
    section TEXT NOT NULL,
    PRIMARY KEY (application_id, section)
);
"""

_BASIS_PREFIX = "secretariat.decision-basis."


def _v2_to_v3(db: sqlite_utils.Database) -> None:
    """Domain facts leave the settings table: the basis of each conflict decision (settings
    ``secretariat.decision-basis.APP.MEMBER``) becomes ``decisions.basis``, and reading progress
    (``read:APP``, ``visited:APP:SECTION``) becomes ``applications_read`` and ``sections_visited``."""
    for statement in _split(_V3):
        db.execute(statement)
    held = {r[0] for r in db.execute("SELECT id FROM applications")}
    for key, value in db.execute("SELECT key, value FROM settings").fetchall():
        if key.startswith(_BASIS_PREFIX):
            app_id, _, member = key[len(_BASIS_PREFIX):].rpartition(".")
            _migrate_basis(db, app_id, member, json.loads(value))
        elif key.startswith("read:"):
            app_id = key[len("read:"):]
            if app_id in held and json.loads(value) == "yes":
                db.execute("INSERT OR IGNORE INTO applications_read (application_id) VALUES (?)", (app_id,))
        elif key.startswith("visited:"):
            app_id, _, section = key[len("visited:"):].partition(":")
            if app_id in held and section and json.loads(value) == "yes":
                db.execute("INSERT OR IGNORE INTO sections_visited (application_id, section) VALUES (?, ?)",
                           (app_id, section))
        else:
            continue
        db.execute("DELETE FROM settings WHERE key = ?", (key,))


def _migrate_basis(db: sqlite_utils.Database, app_id: str, member: str, basis: dict) -> None:
    """Point the member's latest decision at the declaration it was based on (recorded if missing)."""
    decision = db.execute("SELECT max(id) FROM decisions WHERE application_id = ? AND member = ?",
                          (app_id, member)).fetchone()[0]
    if decision is None:
        return
    revision = basis.get("application_revision")
    row = db.execute("SELECT id FROM declarations WHERE application_id = ? AND member = ? AND revision = ? "
                     "AND json_extract(data, '$.declared_at') = ? ORDER BY id DESC LIMIT 1",
                     (app_id, member, revision, basis.get("declared_at"))).fetchone()
    if row is None:  # not held as a record of its own: keep it as one, so the register can still show it
        declared_at = datetime.fromisoformat(basis["declared_at"]).astimezone(UTC)
        cur = db.execute("INSERT INTO declarations (application_id, revision, member, data, declared_at, bundle_id, "
                         "recorded_at) VALUES (?, ?, ?, ?, ?, NULL, ?)",
                         (app_id, revision, member, json.dumps(basis, separators=(",", ":"), ensure_ascii=False),
                          declared_at.isoformat(timespec="microseconds"), declared_at.isoformat(timespec="microseconds")))
        basis_id = cur.lastrowid
    else:
        basis_id = row[0]
    db.execute("UPDATE decisions SET basis = ? WHERE id = ?", (basis_id, decision))


def _v3_to_v4(db: sqlite_utils.Database) -> None:
    """Keys that no longer speak for their holder: a member's lost or replaced key, or the secretariat's
    key after a handover. Bundles a revoked key signed from ``revoked_at`` on are refused."""
    db.execute("CREATE TABLE revocations (fingerprint TEXT PRIMARY KEY, revoked_at TEXT NOT NULL, "
               "reason TEXT NOT NULL, replaced_by TEXT NOT NULL DEFAULT '', recorded_at TEXT NOT NULL)")


MIGRATIONS = [_v0_to_v1, _v1_to_v2, _v2_to_v3, _v3_to_v4]
SCHEMA_VERSION = len(MIGRATIONS)

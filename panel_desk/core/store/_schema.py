"""The store's schema, as forward migrations: ``MIGRATIONS[n]`` takes version n to n + 1.

Never edit a migration that has shipped; add the next one (and its test in
``tests/core/store/test_store_schema.py``).
"""

from __future__ import annotations

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


MIGRATIONS = [_v0_to_v1, _v1_to_v2]
SCHEMA_VERSION = len(MIGRATIONS)

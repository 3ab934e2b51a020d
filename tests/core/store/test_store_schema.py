"""The database: keying, pragmas, migrations and environment errors (panel_desk/core/store/_db.py, _schema.py)."""

from __future__ import annotations

import errno

import pytest
from sqlcipher3 import dbapi2
from store_helpers import PASS

from panel_desk.core.store import SCHEMA_VERSION, StoreError, _db, init_profile, open_profile
from panel_desk.core.store._schema import MIGRATIONS

KEY = bytes(range(32))


def _tables(db) -> set[str]:
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}


def check_v1(db) -> None:
    """Version 1: every table, the FTS5 page index and the audit log's guards."""
    expected = {"meta", "cards", "roster", "bundles", "applications", "application_revisions", "documents",
                "pages", "declarations", "decisions", "annotations", "answers", "responses", "drafts",
                "signoffs", "sent", "publications", "secrets", "settings", "audit", "audit_no_update",
                "audit_no_delete"}
    assert expected <= _tables(db)
    db.execute("INSERT INTO pages (text, application_id, revision, document, page) VALUES "
               "('café safeguarding', 'a', 1, 'd', 1)")
    assert db.execute("SELECT page FROM pages WHERE pages MATCH 'cafe'").fetchall() == [(1,)]
    db.execute("INSERT INTO audit VALUES (1, 't', 'a', 'x', 'o', '{}', 'p', 'h')")
    with pytest.raises(dbapi2.IntegrityError, match="append-only"):
        db.execute("UPDATE audit SET action = 'y'")
    with pytest.raises(dbapi2.IntegrityError, match="append-only"):
        db.execute("DELETE FROM audit")


def check_v2(db) -> None:
    """Version 2: why each card is trusted."""
    columns = {r[1] for r in db.execute("PRAGMA table_info(cards)")}
    assert "trusted_as" in columns


CHECKS = {1: check_v1, 2: check_v2}


def test_v2_keeps_a_members_secretariat_and_nothing_a_card_merely_claims(tmp_path):
    """A member's profile from before v2 trusted the cards given at init; of those, the ones that came
    from the secretariat stay trusted as it, and another trusted card (a member's) does not become it."""
    import json

    db = _db.connect(tmp_path / "s.db", KEY)
    _db.migrate(db, MIGRATIONS, target=1)
    db.execute("INSERT INTO meta (key, value) VALUES ('owner', 'ME'), ('role', 'expert')")
    for fp, role in (("ME", "expert"), ("SEC", "secretariat"), ("COLIN", "expert")):
        db.execute("INSERT INTO cards (fingerprint, card, trusted, added_at) VALUES (?, ?, 1, 't')",
                   (fp, json.dumps({"role": role})))
    db.conn.commit()
    _db.migrate(db, MIGRATIONS, target=2)
    got = dict(db.execute("SELECT fingerprint, trusted_as FROM cards").fetchall())
    assert got == {"ME": "", "SEC": "secretariat", "COLIN": ""}


def test_every_migration_has_a_test():
    assert len(MIGRATIONS) == SCHEMA_VERSION
    assert set(CHECKS) == set(range(1, SCHEMA_VERSION + 1))


@pytest.mark.parametrize("version", sorted(CHECKS))
def test_each_migration_step(tmp_path, version):
    db = _db.connect(tmp_path / "s.db", KEY)
    assert _db.migrate(db, MIGRATIONS, target=version - 1) == version - 1
    assert _db.user_version(db) == version - 1
    assert _db.migrate(db, MIGRATIONS, target=version) == version
    assert _db.user_version(db) == version
    CHECKS[version](db)
    db.conn.close()


def test_migrate_runs_from_nothing_to_the_latest_and_again_is_a_no_op(tmp_path):
    db = _db.connect(tmp_path / "s.db", KEY)
    assert _db.migrate(db, MIGRATIONS) == SCHEMA_VERSION
    assert _db.migrate(db, MIGRATIONS) == SCHEMA_VERSION
    db.conn.close()


def test_a_failed_migration_is_rolled_back(tmp_path):
    def broken(db):
        db.execute("CREATE TABLE half (x)")
        raise RuntimeError("bug in a migration")

    db = _db.connect(tmp_path / "s.db", KEY)
    with pytest.raises(RuntimeError):
        _db.migrate(db, [broken])
    assert _db.user_version(db) == 0 and "half" not in _tables(db)
    db.conn.close()


def test_a_database_newer_than_the_program_is_refused(people, tmp_path):
    init_profile(tmp_path / "p", people.rita.file, PASS).close()
    db = _db.connect(tmp_path / "p" / "store.db", people.rita.identity.store_key)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.conn.close()
    with pytest.raises(StoreError, match=r"newer version of Panel Desk .*Update Panel Desk to open it\."):
        open_profile(tmp_path / "p", PASS)


def test_pragmas_wal_full_sync_memory_temp_store(secretariat):
    db = secretariat.tx.db
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_the_key_is_the_identity_store_key(people, tmp_path):
    init_profile(tmp_path / "p", people.rita.file, PASS).close()
    db = _db.connect(tmp_path / "p" / "store.db", people.rita.identity.store_key)
    assert db.execute("SELECT value FROM meta WHERE key = 'owner'").fetchone()[0] == people.rita.fingerprint
    db.conn.close()
    with pytest.raises(StoreError, match="another identity"):
        _db.connect(tmp_path / "p" / "store.db", people.colin.identity.store_key)


def _sqlite_error(cls, name: str):
    exc = cls("message from SQLite")
    exc.sqlite_errorname = name
    return exc


@pytest.mark.parametrize(("exc", "words"), [
    (_sqlite_error(dbapi2.OperationalError, "SQLITE_FULL"), "The disk is full"),
    (_sqlite_error(dbapi2.OperationalError, "SQLITE_READONLY_DBMOVED"), "cannot be written to"),
    (_sqlite_error(dbapi2.DatabaseError, "SQLITE_CORRUPT"), "another identity or is damaged"),
    (_sqlite_error(dbapi2.DatabaseError, "SQLITE_NOTADB"), "another identity or is damaged"),
    (_sqlite_error(dbapi2.OperationalError, "SQLITE_IOERR_WRITE"), "disk error"),
    (_sqlite_error(dbapi2.OperationalError, "SQLITE_BUSY"), "in use by another Panel Desk"),
    (OSError(errno.ENOSPC, "No space left on device"), "The disk is full"),
    (OSError(errno.EROFS, "Read-only file system"), "cannot be written to"),
])
def test_environment_errors_become_plain_store_errors(exc, words):
    with pytest.raises(StoreError, match=words) as info, _db.environment_errors():
        raise exc
    assert info.value.__cause__ is exc


@pytest.mark.parametrize("exc", [
    _sqlite_error(dbapi2.OperationalError, "SQLITE_ERROR"),  # e.g. a typo in SQL: a bug
    _sqlite_error(dbapi2.IntegrityError, "SQLITE_CONSTRAINT_PRIMARYKEY"),
    _sqlite_error(dbapi2.ProgrammingError, ""),
    OSError(errno.ENOENT, "No such file"),
])
def test_bugs_are_not_disguised_as_environment_errors(exc):
    with pytest.raises(type(exc)), _db.environment_errors():
        raise exc


def test_a_real_sql_error_inside_the_workspace_surfaces_as_a_bug(secretariat):
    with pytest.raises(dbapi2.OperationalError):
        secretariat.tx.db.execute("SELECT nope FROM nowhere")

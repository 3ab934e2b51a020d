"""The database: keying, pragmas, migrations and environment errors (panel_desk/core/store/_db.py, _schema.py)."""

from __future__ import annotations

import errno

import pytest
from sqlcipher3 import dbapi2
from store_helpers import PASS

from panel_desk.core.errors import InvalidInput
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


def check_v3(db) -> None:
    """Version 3: the basis of each decision, and reading progress, in tables of their own."""
    assert "basis" in {r[1] for r in db.execute("PRAGMA table_info(decisions)")}
    assert {"applications_read", "sections_visited"} <= _tables(db)


def check_v4(db) -> None:
    """Version 4: revoked keys."""
    assert {"fingerprint", "revoked_at", "reason", "replaced_by"} <= {
        r[1] for r in db.execute("PRAGMA table_info(revocations)")}


CHECKS = {1: check_v1, 2: check_v2, 3: check_v3, 4: check_v4}


def _old_profile(monkeypatch, make):
    """Run ``make`` with the store at schema version 2 (before v3), as the code of that time did."""
    from panel_desk.core.store import roster, workspace

    with monkeypatch.context() as m:
        m.setattr(workspace, "MIGRATIONS", MIGRATIONS[:2])
        m.setattr(roster.Roster, "revocation", lambda self, fp: None)  # no revoked keys before v4
        make()


def test_v3_moves_decision_bases_and_reading_progress_out_of_the_settings(people, tmp_path, monkeypatch):
    """Profiles written before v3 kept these facts under composed settings keys: after opening with
    this version the register still shows what a recused member had declared, the member's reading
    progress is kept, and only real settings stay in the settings table."""
    from store_helpers import APP_ID, NOW, application, declaration, files_for, seal_application

    from panel_desk.core.model import ConflictDecision, Decision

    sec_dir, rita_dir = tmp_path / "sam", tmp_path / "rita"
    basis = declaration(people.rita, interest="Trustee of a fostering charity")

    def make():
        ws = init_profile(sec_dir, people.sam.file, PASS, now=NOW)
        ws.roster_add(people.rita.card, now=NOW)
        ws.roster_add(people.colin.card, now=NOW)
        ws.put_application(application(), files_for(), now=NOW)
        ws.save_declaration(basis, now=NOW)
        ws.save_declaration(declaration(people.colin), now=NOW)
        decided = ConflictDecision(application_id=APP_ID, member=people.rita.fingerprint, decision=Decision.RECUSED,
                                   reason="Trustee of a provider.", decided_by=people.sam.fingerprint, decided_at=NOW)
        with ws.tx.write() as db:  # as decide() then recorded it: a decision row, and the basis as a setting
            db.execute("INSERT INTO decisions (application_id, member, data, recorded_at) VALUES (?, ?, ?, ?)",
                       (APP_ID, people.rita.fingerprint, decided.model_dump_json(), NOW.isoformat()))
        ws.set_setting(f"secretariat.decision-basis.{APP_ID}.{people.rita.fingerprint}", basis.model_dump(mode="json"))
        ws.set_setting("auto_lock_minutes", 5)
        ws.put_application(application(), files_for(), now=NOW)  # revision 2: Rita, recused, never declares again
        ws.close()
        seal_application(people, tmp_path / "app.pdbundle")
        rita = init_profile(rita_dir, people.rita.file, PASS, [people.sam.card], now=NOW)
        rita.import_bundle(tmp_path / "app.pdbundle", now=NOW)
        rita.set_setting(f"read:{APP_ID}", "yes")
        rita.set_setting(f"visited:{APP_ID}:reasoning", "yes")
        rita.set_setting("visited:another-2026-0000:reasoning", "yes")  # an application no longer held
        rita.close()

    _old_profile(monkeypatch, make)

    ws = open_profile(sec_dir, PASS)
    assert ws.declarations(APP_ID) == []  # nobody has declared for revision 2
    assert ws.tx.db.execute("SELECT count(*) FROM declarations").fetchone()[0] == 2  # matched, not copied
    assert ws.decision_basis(APP_ID, people.rita.fingerprint) == basis
    assert ws.decision_basis(APP_ID, people.colin.fingerprint) is None
    assert ws.get_setting(f"secretariat.decision-basis.{APP_ID}.{people.rita.fingerprint}") is None
    assert ws.get_setting("auto_lock_minutes") == 5
    assert ws.verify_audit().ok
    ws.close()
    rita = open_profile(rita_dir, PASS)
    assert rita.has_read(APP_ID) and rita.visited_sections(APP_ID) == {"reasoning"}
    keys = [r[0] for r in rita.tx.db.execute("SELECT key FROM settings")]
    assert keys == []
    rita.close()


def test_v3_keeps_a_basis_it_holds_no_record_of_and_drops_what_belongs_to_nothing(tmp_path):
    import json

    db = _db.connect(tmp_path / "s.db", KEY)
    _db.migrate(db, MIGRATIONS, target=2)
    db.execute("INSERT INTO bundles (bundle_id, kind, application_id, revision, creator, recipients, created_at, "
               "recorded_at) VALUES ('b', 'application', 'app', 1, 'S', '[]', 't', 't')")
    db.execute("INSERT INTO applications (id, revision, authority, title, advice_due, provisions, bundle_id, "
               "created_at, updated_at) VALUES ('app', 1, 'A', 'T', '2027-01-01', '', 'b', 't', 't')")
    db.execute("INSERT INTO decisions (application_id, member, data, recorded_at) VALUES ('app', 'RITA', '{}', 't')")
    basis = {"application_id": "app", "application_revision": 1, "member": "RITA", "none_to_declare": True,
             "interests": [], "declared_at": "2026-11-23T12:00:00Z"}
    settings = {"secretariat.decision-basis.app.RITA": basis, "secretariat.decision-basis.app.NOBODY": basis,
                "read:app": "no", "read:gone": "yes", "visited:app:": "yes", "theme": "standard"}
    for key, value in settings.items():
        db.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (key, json.dumps(value)))
    db.conn.commit()
    _db.migrate(db, MIGRATIONS, target=3)
    row = db.execute("SELECT d.member, d.revision, d.declared_at, d.bundle_id FROM decisions c "
                     "JOIN declarations d ON d.id = c.basis").fetchall()
    assert row == [("RITA", 1, "2026-11-23T12:00:00.000000+00:00", None)]
    assert [r[0] for r in db.execute("SELECT key FROM settings")] == ["theme"]
    assert db.execute("SELECT count(*) FROM applications_read").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM sections_visited").fetchone()[0] == 0
    db.conn.close()


def test_a_decision_records_the_declaration_it_was_based_on(secretariat, people):
    from store_helpers import APP_ID, NOW, application, declaration, files_for

    from panel_desk.core.model import ConflictDecision, Decision

    secretariat.put_application(application(), files_for(), now=NOW)
    decided = ConflictDecision(application_id=APP_ID, member=people.rita.fingerprint, decision=Decision.RECUSED,
                               reason="Trustee.", decided_by=people.sam.fingerprint, decided_at=NOW)
    secretariat.record_decision(decided, now=NOW)  # recused before declaring: no basis
    assert secretariat.decision_basis(APP_ID, people.rita.fingerprint) is None
    first = declaration(people.rita, interest="Trustee of a fostering charity")
    secretariat.save_declaration(first, now=NOW)
    secretariat.record_decision(decided, now=NOW)
    secretariat.put_application(application(), files_for(), now=NOW)
    secretariat.record_decision(decided, now=NOW)  # decided again on revision 2, still undeclared
    assert secretariat.decision_basis(APP_ID, people.rita.fingerprint) == first


def test_reading_progress_is_kept_once_and_audited_once(member, app_bundle):
    from store_helpers import APP_ID, NOW

    member.import_bundle(app_bundle, now=NOW)
    assert not member.has_read(APP_ID) and member.visited_sections(APP_ID) == set()
    for _ in range(2):
        member.mark_read(APP_ID)
        member.mark_visited(APP_ID, "reasoning")
    assert member.has_read(APP_ID) and member.visited_sections(APP_ID) == {"reasoning"}
    assert [e["action"] for e in member.audit_log()].count("reading.visited") == 1
    with pytest.raises(InvalidInput, match="which section"):
        member.mark_visited(APP_ID, "")


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

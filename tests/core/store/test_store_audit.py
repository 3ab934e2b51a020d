"""The hash-chained audit log (panel_desk/core/store/audit.py)."""

from __future__ import annotations

import itertools
import json

import pytest
from store_helpers import APP_ID, NOW, PASS, later

from panel_desk.core.store import _db, audit, headrecord, init_profile, open_profile


@pytest.fixture
def logged(people, tmp_path):
    """A closed profile with seven audit entries; returns its folder."""
    folder = tmp_path / "p"
    ws = init_profile(folder, people.rita.file, PASS, now=NOW)
    for n in range(6):
        ws.audit(f"test.step{n}", APP_ID, {"n": n}, now=later(n))
    assert ws.verify_audit().entries == 7
    ws.close()
    return folder


def _tamper(folder, people, *statements):
    """Change the keyed database directly, as someone with the key and an SQL shell could."""
    db = _db.connect(folder / "store.db", people.rita.identity.store_key)
    db.execute("DROP TRIGGER audit_no_update")
    db.execute("DROP TRIGGER audit_no_delete")
    for sql, params in statements:
        db.execute(sql, params)
    db.conn.close()


def _verify(folder):
    ws = open_profile(folder, PASS)
    try:
        return ws.verify_audit()
    finally:
        ws.close()


def test_an_untouched_chain_verifies(logged):
    result = _verify(logged)
    assert result.ok and result.entries == 7 and result.first_broken is None
    assert result.message == "The audit log is intact: 7 entries, each linked to the one before."


def test_entries_record_time_actor_action_object_and_links(logged, people):
    ws = open_profile(logged, PASS)
    rows = ws.tx.db.execute("SELECT seq, at, actor, action, object, prev, hash FROM audit ORDER BY seq").fetchall()
    ws.close()
    assert rows[0][5] == audit.GENESIS
    for before, after in itertools.pairwise(rows):
        assert after[5] == before[6]
    assert {r[2] for r in rows} == {people.rita.fingerprint}
    assert rows[1][1] == "2026-11-23T12:00:00.000000+00:00" and rows[1][3:5] == ("test.step0", APP_ID)


def test_the_log_refuses_updates_and_deletes_through_sql(logged, people):
    db = _db.connect(logged / "store.db", people.rita.identity.store_key)
    with pytest.raises(Exception, match="append-only"):
        db.execute("UPDATE audit SET action = 'x' WHERE seq = 1")
    with pytest.raises(Exception, match="append-only"):
        db.execute("DELETE FROM audit WHERE seq = 7")
    db.conn.close()


def test_editing_the_oldest_entry_is_detected(logged, people):
    _tamper(logged, people, ("UPDATE audit SET detail = ? WHERE seq = 1", (json.dumps({"role": "secretariat"}),)))
    result = _verify(logged)
    assert not result.ok and result.first_broken == 1
    assert "entry 1 does not match" in result.message


def test_editing_a_middle_entry_is_detected(logged, people):
    _tamper(logged, people, ("UPDATE audit SET action = 'test.nothing-happened' WHERE seq = 4", ()))
    result = _verify(logged)
    assert not result.ok and result.first_broken == 4


def test_rehashing_an_edited_entry_breaks_the_next_link(logged, people):
    db = _db.connect(logged / "store.db", people.rita.identity.store_key)
    seq, at, actor, _action, obj, detail, prev = db.execute(
        "SELECT seq, at, actor, action, object, detail, prev FROM audit WHERE seq = 3").fetchone()
    db.conn.close()
    forged = audit.entry_hash(seq=seq, at=at, actor=actor, action="test.forged", obj=obj, detail=detail, prev=prev)
    _tamper(logged, people, ("UPDATE audit SET action = 'test.forged', hash = ? WHERE seq = 3", (forged,)))
    result = _verify(logged)
    assert not result.ok and result.first_broken == 4


def test_removing_an_entry_is_detected(logged, people):
    _tamper(logged, people, ("DELETE FROM audit WHERE seq = 5", ()))
    result = _verify(logged)
    assert not result.ok and result.first_broken == 5


def test_cutting_entries_off_the_end_is_detected(logged, people):
    _tamper(logged, people, ("DELETE FROM audit WHERE seq >= 6", ()))
    with pytest.raises(headrecord.LostChanges, match=r"lost its most recent changes \(2 entries\)"):
        open_profile(logged, PASS)  # the record kept outside the database sees it at unlock
    (logged / headrecord.HEAD_FILE).unlink()  # without that record, the chain's own head still tells
    result = _verify(logged)
    assert not result.ok and result.first_broken == 6
    assert "cut short" in result.message

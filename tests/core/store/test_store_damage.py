"""Damage is noticed (issue 12 item 7): lost -wal files and flipped pages are reported in words.

A killed process whose -wal file is then lost or damaged used to open without its last answers
while ``audit verify`` said "intact". The profile now keeps an encrypted record of its last
committed audit head outside the database; at unlock a database behind it is refused with how
many entries were lost. A flipped page that everyday queries never touch is found by the
integrity check that runs after unlock and before every backup.
"""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest
from store_helpers import APP_ID, NOW, PASS

from panel_desk.core import integrity
from panel_desk.core.errors import PanelDeskError
from panel_desk.core.store import StoreError, headrecord, open_profile

WRITER = r"""
import os, signal, sys
from panel_desk.core.model import ResponseAnswers
from panel_desk.core.store import open_profile

ws = open_profile(sys.argv[1], sys.argv[2])
for n in range(int(sys.argv[4])):
    ws.save_answers(sys.argv[3], ResponseAnswers.model_validate({"outcomes": {"rationale": f"saved {n}"}}))
os.kill(os.getpid(), signal.SIGKILL)
"""


def _killed_after_saving(folder, n: int) -> None:
    child = subprocess.run([sys.executable, "-c", WRITER, str(folder), PASS, APP_ID, str(n)],
                           capture_output=True, timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    assert (folder / "store.db-wal").stat().st_size > 0


@pytest.fixture
def imported(member, app_bundle):
    member.import_bundle(app_bundle, now=NOW)
    folder = member.profile_dir
    member.close()  # the last connection checkpoints: everything so far is in store.db
    return folder


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_and_a_deleted_wal_file_is_reported_as_lost_changes(imported):
    _killed_after_saving(imported, 3)
    (imported / "store.db-wal").unlink()
    (imported / "store.db-shm").unlink(missing_ok=True)
    with pytest.raises(headrecord.LostChanges) as info:
        open_profile(imported, PASS)
    assert info.value.lost == 3
    assert str(info.value).startswith("This profile has lost its most recent changes (3 entries): restore from a backup")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_and_a_damaged_wal_file_is_not_called_intact(imported):
    _killed_after_saving(imported, 4)
    wal = imported / "store.db-wal"
    data = bytearray(wal.read_bytes())
    data[len(data) // 2] ^= 0x5A
    wal.write_bytes(bytes(data))
    (imported / "store.db-shm").unlink(missing_ok=True)
    with pytest.raises(StoreError) as info:
        open_profile(imported, PASS)
    assert "lost its most recent changes" in str(info.value) or "damaged" in str(info.value)


def test_without_a_kill_nothing_is_reported(imported):
    with open_profile(imported, PASS) as ws:
        ws.save_answers(APP_ID, ws.answers(APP_ID), now=NOW)
        assert integrity.check_integrity(ws).ok
    with open_profile(imported, PASS) as ws:
        report = integrity.check_integrity(ws)
        assert report.ok and "intact" in report.message


def test_the_record_is_encrypted_and_a_stop_before_it_is_written_is_not_a_loss(imported):
    record = (imported / headrecord.HEAD_FILE).read_bytes()
    with open_profile(imported, PASS) as ws:
        seq, digest = headrecord.database_head(ws.tx.db)
        assert digest.encode() not in record and digest not in record.hex()
        # as if the process stopped between a commit and its record: the database is ahead
        headrecord.write(imported, ws.identity.store_key, (seq - 1, ws.tx.db.execute(
            "SELECT hash FROM audit WHERE seq = ?", (seq - 1,)).fetchone()[0]))
    with open_profile(imported, PASS) as ws:
        assert headrecord.read(imported, ws.identity.store_key) == (seq, digest)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_accept_loss_opens_the_profile_and_records_what_was_lost(imported):
    _killed_after_saving(imported, 2)
    (imported / "store.db-wal").unlink()
    (imported / "store.db-shm").unlink(missing_ok=True)
    ws = integrity.accept_loss(imported, PASS, now=NOW)
    try:
        entry = ws.audit_log()[-1]
        assert entry["action"] == "profile.loss-accepted" and entry["detail"] == {"lost_entries": 2}
    finally:
        ws.close()
    open_profile(imported, PASS).close()  # opens normally from then on


def test_a_flipped_page_is_reported_in_words_with_what_to_do(imported):
    db = imported / "store.db"
    original = db.read_bytes()
    for page in range(len(original) // 4096 - 1, 0, -1):
        data = bytearray(original)
        data[page * 4096 + 300] ^= 0xFF
        db.write_bytes(bytes(data))
        try:
            ws = open_profile(imported, PASS)
        except PanelDeskError:
            continue
        try:
            ws.applications(now=NOW)
            if not ws.verify_audit().ok:
                continue
        except PanelDeskError:
            continue
        finally:
            ws.close()
        break
    else:
        raise AssertionError("every page is read when the profile opens")
    with open_profile(imported, PASS) as ws:
        assert ws.verify_audit().ok  # the audit chain alone does not see it
        report = integrity.check_integrity(ws)
    assert not report.ok
    assert report.message.startswith("This profile is damaged: 1 part of its database does not match")
    assert "restore your most recent backup" in report.message

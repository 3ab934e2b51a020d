"""Backup and restore (issue 15 item 1): one encrypted file, restored and checked on a new laptop.

Real profiles, real SQLCipher, real age: a panel with an application sent, declarations,
answers, an annotation and responses is backed up, restored into a fresh folder and must answer
every query as the original did. A damaged or truncated backup is refused with nothing written.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from _workflow import EXAMPLE, NOW, PASSPHRASE, PEOPLE, answers, make_identity, make_panel

from panel_desk.core import backup, member, secretariat
from panel_desk.core.errors import WrongPassphrase
from panel_desk.core.model import Annotation, Role
from panel_desk.core.store import open_profile
from panel_desk.core.store._db import connect

MEMBERS = [name for name, *_ in PEOPLE[1:]]


@pytest.fixture
def panel(tmp_path):
    p = make_panel(tmp_path)
    yield p
    p.close()


def _busy_panel(panel) -> str:
    """An application sent to everyone, declared, answered, annotated and responded to."""
    app = secretariat.new_application(panel.sec, EXAMPLE, now=NOW)
    out = panel.out("application.pdbundle")
    secretariat.seal_application(panel.sec, app.id, out, now=NOW)
    for name in MEMBERS:
        ws = panel.ws(name)
        assert ws.import_bundle(out, now=NOW).recorded
        member.declare(ws, app.id, none=True, now=NOW)
        member.export_declaration(ws, app.id, panel.out(f"{name}-d.pdbundle"), now=NOW)
        assert panel.sec.import_bundle(panel.out(f"{name}-d.pdbundle"), now=NOW).recorded
    cara = panel.ws("Cara Okafor")
    cara.save_answers(app.id, answers("Cara"), now=NOW)
    doc = cara.documents(app.id)[0]
    cara.save_annotation(Annotation(application_id=app.id, document=doc.path, page=1, note="See the staffing table."), now=NOW)
    member.send_response(cara, app.id, panel.out("cara-r.pdbundle"), now=NOW)
    assert panel.sec.import_bundle(panel.out("cara-r.pdbundle"), now=NOW).recorded
    return app.id


def _queries(ws, app_id: str) -> dict:
    """What a person sees: every list, answer, annotation, audit entry, a document and a search."""
    docs = ws.documents(app_id)
    return {
        "applications": ws.applications(now=NOW),
        "application": ws.application(app_id),
        "documents": docs,
        "document": ws.read_document(app_id, docs[0].path, now=NOW),
        "answers": ws.answers(app_id),
        "annotations": ws.annotations(app_id),
        "declarations": ws.declarations(app_id),
        "responses": ws.responses(app_id),
        "roster": ws.roster(),
        "trusted": ws.trusted(),
        "search": ws.search("placement", now=NOW),
        "audit": ws.audit_log(),
    }


@pytest.mark.parametrize("who", ["Sam Secretary", "Cara Okafor"])
def test_restored_profile_answers_every_query_as_the_original(panel, tmp_path, who):
    app_id = _busy_panel(panel)
    ws = panel.ws(who)
    before = _queries(ws, app_id)
    out = tmp_path / "profile.pdbackup"
    result = backup.make_backup(ws, out, now=NOW)
    assert result.path == out and out.stat().st_mode & 0o777 == 0o600
    assert result.bundles == len(list(ws.bundles_dir.iterdir())) >= 1

    restored_dir = tmp_path / "new-laptop" / "profile"
    restored_dir.parent.mkdir()
    done = backup.restore_backup(out, restored_dir, PASSPHRASE, now=NOW)
    assert done.owner == ws.fingerprint and done.audit_entries == before["audit"][-1]["seq"]
    with open_profile(restored_dir, PASSPHRASE) as again:
        after = _queries(again, app_id)
    # the restore itself is the one new audit entry; everything before is the original's
    assert after.pop("audit")[:-1] == before.pop("audit")
    assert after == before
    with open_profile(restored_dir, PASSPHRASE) as again:
        assert again.audit_log()[-1]["action"] == "profile.restore"
        assert again.verify_audit().ok
    assert oct(restored_dir.stat().st_mode & 0o777) == oct(0o700)


def test_backup_is_consistent_while_a_write_transaction_is_open(panel, tmp_path):
    app_id = _busy_panel(panel)
    cara = panel.ws("Cara Okafor")
    committed = cara.answers(app_id)
    # another process-like writer holds a write transaction with uncommitted answers
    other = connect(cara.profile_dir / "store.db", cara.identity.store_key)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE answers SET data = 'half-written' WHERE application_id = ?", (app_id,))
    other.execute("INSERT INTO settings (key, value) VALUES ('uncommitted', '1')")
    out = tmp_path / "during.pdbackup"
    released = []

    def release(done, total):  # called while the copy is written: the transaction was open for the snapshot
        if not released:
            other.execute("ROLLBACK")
            other.conn.close()
            released.append(done)

    backup.make_backup(cara, out, now=NOW, progress=release)
    assert released
    target = tmp_path / "restored"
    backup.restore_backup(out, target, PASSPHRASE, now=NOW)
    with open_profile(target, PASSPHRASE) as again:
        assert again.answers(app_id) == committed
        assert again.get_setting("uncommitted") is None
        assert again.verify_audit().ok


def test_backup_in_the_same_thread_inside_a_transaction_holds_only_what_was_committed(panel, tmp_path):
    app_id = _busy_panel(panel)
    cara = panel.ws("Cara Okafor")
    committed = cara.answers(app_id)
    out = tmp_path / "inside.pdbackup"
    with pytest.raises(RuntimeError), cara.transaction():
        cara.save_answers(app_id, answers("Cara", outcomes="worsen"), now=NOW)
        backup.make_backup(cara, out, now=NOW)  # the copy must not hold the open transaction's change
        raise RuntimeError("abandon")
    backup.restore_backup(out, tmp_path / "r", PASSPHRASE, now=NOW)
    with open_profile(tmp_path / "r", PASSPHRASE) as again:
        assert again.answers(app_id) == committed


def flip_a_quiet_page(folder: Path):
    """Flip one byte in a page the everyday queries do not read; return the profile open again."""
    from panel_desk.core.errors import PanelDeskError

    db = folder / "store.db"
    original = db.read_bytes()
    for page in range(len(original) // 4096 - 1, 0, -1):
        data = bytearray(original)
        data[page * 4096 + 200] ^= 0xFF
        db.write_bytes(bytes(data))
        try:
            ws = open_profile(folder, PASSPHRASE)
        except PanelDeskError:
            continue
        try:
            ws.applications(now=NOW)
            ws.verify_audit()
        except PanelDeskError:
            ws.close()
            continue
        return ws
    raise AssertionError("every page is read when the profile opens")


def _made(panel, tmp_path) -> Path:
    _busy_panel(panel)
    out = tmp_path / "b.pdbackup"
    backup.make_backup(panel.sec, out, now=NOW)
    return out


def _nothing_written(parent: Path, target: Path) -> None:
    assert not target.exists() or not any(target.iterdir())
    assert not [p for p in parent.iterdir() if ".restore-" in p.name]


@pytest.mark.parametrize("where", [0.001, 0.3, 0.6, 0.999])
def test_one_flipped_byte_is_refused_with_nothing_written(panel, tmp_path, where):
    out = _made(panel, tmp_path)
    data = bytearray(out.read_bytes())
    data[int(len(data) * where)] ^= 0x01
    bad = tmp_path / "flipped.pdbackup"
    bad.write_bytes(bytes(data))
    target = tmp_path / "target"
    with pytest.raises((backup.BackupError, WrongPassphrase)) as info:
        backup.restore_backup(bad, target, PASSPHRASE, now=NOW)
    if isinstance(info.value, backup.BackupError):
        assert "nothing was" in str(info.value).lower()
    _nothing_written(tmp_path, target)


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.95, -1])
def test_truncated_backup_is_refused_with_nothing_written(panel, tmp_path, keep):
    out = _made(panel, tmp_path)
    data = out.read_bytes()
    bad = tmp_path / "short.pdbackup"
    bad.write_bytes(data[:keep] if keep == -1 else data[:int(len(data) * keep)])
    target = tmp_path / "target"
    target.mkdir()
    with pytest.raises(backup.BackupError, match=r"damaged or incomplete|not a Panel Desk backup"):
        backup.restore_backup(bad, target, PASSPHRASE, now=NOW)
    _nothing_written(tmp_path, target)


def test_restore_refuses_a_non_empty_folder_and_says_why(panel, tmp_path):
    out = _made(panel, tmp_path)
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    with pytest.raises(backup.BackupError, match=r"not empty .*notes.txt.*nothing there is overwritten"):
        backup.restore_backup(out, target, PASSPHRASE, now=NOW)
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]


def test_wrong_passphrase_and_another_identity_are_refused(panel, tmp_path):
    out = _made(panel, tmp_path)
    with pytest.raises(WrongPassphrase):
        backup.restore_backup(out, tmp_path / "t", "not the passphrase", now=NOW)
    stranger = make_identity(tmp_path, "Stranger", Role.EXPERT)
    with pytest.raises(backup.BackupError, match="not made for the recovery card"):
        backup.restore_backup(out, tmp_path / "t", recovery=stranger, now=NOW)
    assert not (tmp_path / "t").exists()


def test_recovery_card_opens_the_backup(panel, tmp_path):
    _busy_panel(panel)
    org = make_identity(tmp_path, "Records Office", Role.EXPERT)
    backup.set_recovery_card(panel.sec, org.card, now=NOW)
    assert backup.recovery_card(panel.sec) == org.card
    out = tmp_path / "with-recovery.pdbackup"
    result = backup.make_backup(panel.sec, out, now=NOW)
    assert result.recipients == (panel.sec.fingerprint, org.fingerprint)
    target = tmp_path / "org-copy"
    backup.restore_backup(out, target, recovery=org, now=NOW)
    # the restored profile is the owner's: it opens with the owner's passphrase
    with open_profile(target, PASSPHRASE) as again:
        assert again.fingerprint == panel.sec.fingerprint
        assert again.verify_audit().ok


def test_a_damaged_profile_is_not_backed_up(panel, tmp_path):
    _busy_panel(panel)
    ws = panel.sec
    folder = ws.profile_dir
    ws.close()
    reopened = flip_a_quiet_page(folder)
    try:
        assert reopened.applications(now=NOW) and reopened.verify_audit().ok  # it looks fine…
        with pytest.raises(backup.BackupError, match=r"damaged.*No backup was written"):
            backup.make_backup(reopened, tmp_path / "x.pdbackup", now=NOW)
    finally:
        reopened.close()
    assert not (tmp_path / "x.pdbackup").exists()
    assert not [p for p in folder.iterdir() if p.name.startswith(".backup-")]


def test_reminder_after_a_week_for_the_secretariat(panel, tmp_path):
    sec = panel.sec
    assert "never been backed up" in backup.backup_reminder(sec, now=NOW)
    assert backup.backup_reminder(panel.ws("Cara Okafor"), now=NOW) is None
    backup.make_backup(sec, tmp_path / "b.pdbackup", now=NOW)
    assert backup.backup_reminder(sec, now=NOW + timedelta(days=6)) is None
    assert "8 days ago" in backup.backup_reminder(sec, now=NOW + timedelta(days=8))
    sec.set_setting(backup.REMIND_DAYS_SETTING, 0)
    assert backup.backup_reminder(sec, now=NOW + timedelta(days=80)) is None


def test_no_plaintext_in_the_backup_or_left_behind(panel, tmp_path):
    from _workflow import SECRET

    _busy_panel(panel)
    out = tmp_path / "b.pdbackup"
    backup.make_backup(panel.ws("Cara Okafor"), out, now=NOW)
    assert SECRET.encode() not in out.read_bytes()
    for root, _dirs, files in os.walk(tmp_path):
        for name in files:
            assert SECRET.encode() not in (Path(root) / name).read_bytes(), name


def test_an_identity_too_large_inside_a_backup_is_refused_unread():
    from panel_desk.core.errors import InvalidInput
    from panel_desk.core.identity import MAX_FILE_BYTES, Identity

    with pytest.raises(InvalidInput, match="far too large"):
        Identity.from_bytes(b"x" * (MAX_FILE_BYTES + 1), PASSPHRASE)


def test_a_copy_left_by_a_stopped_backup_is_swept(panel, tmp_path):
    ws = panel.sec
    left = ws.profile_dir / ".backup-abandoned"
    left.mkdir()
    (left / "store.db").write_bytes(b"encrypted copy")
    os.utime(left, (0, 0))
    backup.make_backup(ws, tmp_path / "b.pdbackup", now=NOW)
    assert not left.exists()

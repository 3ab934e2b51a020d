"""The window's continuity: File › Back up…, File › Change passphrase…, the background integrity check,
the backup reminder and "Restore from a backup" on the first-run screen — real widgets, real profiles."""

from __future__ import annotations

from datetime import timedelta

from panel_desk.core import backup
from panel_desk.core.identity import Identity
from panel_desk.core.model import Role, utcnow
from panel_desk.core.store import init_profile, open_profile
from panel_desk.ui import continuity, tasks
from panel_desk.ui.app import AppFlow
from panel_desk.ui.main_window import MainWindow

WORK_FACTOR = 10
PASS = "violet harbour kettle meadow"


def _secretariat(tmp_path):
    sec = Identity.create("Sam Secretariat", Role.SECRETARIAT, "Panel secretariat")
    sec.save(tmp_path / "sec.age", PASS, work_factor=WORK_FACTOR)
    return init_profile(tmp_path / "profile", tmp_path / "sec.age", PASS)


def _flow(qtbot, tmp_path, ws):
    window = MainWindow(tmp_path / "profile")
    qtbot.addWidget(window)
    flow = AppFlow(window, tmp_path / "profile", work_factor=WORK_FACTOR)
    window.show()
    flow.opened(ws)
    return window, flow


def _close(flow):
    tasks.wait_for_all()
    flow.idle.remove()
    flow.ws.close()


def test_file_menu_backs_up_and_the_reminder_goes_away(qtbot, tmp_path):
    ws = _secretariat(tmp_path)
    window, flow = _flow(qtbot, tmp_path, ws)
    labels = [a.text() for a in window.file_menu.actions()]
    assert "&Back up…" in labels and "Change &passphrase…" in labels
    # a secretariat profile never backed up is reminded at once
    qtbot.waitUntil(lambda: flow.reminder_box is not None and flow.reminder_box.isVisible(), timeout=5000)
    assert "never been backed up" in flow.reminder_box.text()
    flow.backup_action.trigger()
    dialog = flow.backup_dialog
    assert not flow.reminder_box.isVisible()
    out = tmp_path / "sam.pdbackup"
    dialog.path.setText(str(out))
    dialog.remind.setValue(3)
    dialog.backup_button.click()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
    assert out.exists() and "Backed up the profile" in window.statusBar().currentMessage()
    assert ws.get_setting(backup.REMIND_DAYS_SETTING) == 3
    assert backup.backup_reminder(ws) is None
    assert "4 days ago" in backup.backup_reminder(ws, now=utcnow() + timedelta(days=4))
    _close(flow)


def test_the_actions_are_off_while_locked(qtbot, tmp_path):
    ws = _secretariat(tmp_path)
    _window, flow = _flow(qtbot, tmp_path, ws)
    assert flow.backup_action.isEnabled() and flow.passwd_action.isEnabled()
    flow.lock()
    assert not flow.backup_action.isEnabled() and not flow.passwd_action.isEnabled()
    assert continuity.open_backup_dialog(flow) is None
    flow.idle.remove()
    ws.close()


def test_change_passphrase_from_the_window(qtbot, tmp_path):
    ws = _secretariat(tmp_path)
    window, flow = _flow(qtbot, tmp_path, ws)
    flow.passwd_action.trigger()
    dialog = flow.passwd_dialog
    dialog.current.setText("not the passphrase")
    dialog.new.setText("a brand new passphrase here")
    dialog.again.setText("a brand new passphrase here")
    dialog.change_button.click()
    qtbot.waitUntil(lambda: dialog.change_button.isEnabled(), timeout=10000)
    assert "not right" in dialog.errors.accessibleName() and dialog.isVisible()
    dialog.current.setText(PASS)
    dialog.change_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    assert "Passphrase changed" in window.statusBar().currentMessage()
    _close(flow)
    open_profile(tmp_path / "profile", "a brand new passphrase here").close()


def test_damage_is_reported_after_unlock_in_the_background(qtbot, tmp_path):
    ws = _secretariat(tmp_path)
    for n in range(200):  # enough pages for one the window does not read at once
        ws.set_setting(f"filler-{n}", "x" * 500)
    folder = ws.profile_dir
    ws.close()
    db = folder / "store.db"
    original = db.read_bytes()
    from panel_desk.core.errors import PanelDeskError

    for page in range(len(original) // 4096 - 1, 0, -1):
        data = bytearray(original)
        data[page * 4096 + 300] ^= 0xFF
        db.write_bytes(bytes(data))
        try:
            opened = open_profile(folder, PASS)
        except PanelDeskError:
            continue
        break
    window, flow = _flow(qtbot, tmp_path, opened)
    qtbot.waitUntil(lambda: flow.integrity_report is not None, timeout=10000)
    assert not flow.integrity_report.ok
    assert flow.damage_box.isVisible() and flow.damage_box.text().startswith("This profile is damaged")
    assert "restore your most recent backup" in window.statusBar().currentMessage()
    _close(flow)


def test_first_run_restores_from_a_backup(qtbot, tmp_path):
    ws = _secretariat(tmp_path)
    ws.set_setting("kept", "yes")
    out = tmp_path / "sam.pdbackup"
    before = ws.audit_log()
    backup.make_backup(ws, out)
    ws.close()

    new = tmp_path / "new-laptop"
    window = MainWindow(new)
    qtbot.addWidget(window)
    flow = AppFlow(window, new, work_factor=WORK_FACTOR)
    window.show()
    first_run = flow.gate
    first_run.restore_button.click()
    dialog = first_run.restore_dialog
    dialog.path.setText(str(tmp_path / "missing.pdbackup"))
    dialog.passphrase.setText(PASS)
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: dialog.restore_button.isEnabled() and dialog._task is None, timeout=10000)
    assert dialog.isVisible() and "There is no file" in dialog.errors.accessibleName()
    assert not new.exists() or not any(new.iterdir())
    dialog.path.setText(str(out))
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: not window.gated(), timeout=20000)
    assert flow.ws.get_setting("kept") == "yes"
    assert flow.ws.audit_log()[:len(before)] == before
    _close(flow)


def test_unlock_says_when_the_profile_has_lost_its_latest_changes(qtbot, tmp_path):
    from panel_desk.core.store import headrecord
    from panel_desk.ui.onboarding import UnlockPage

    ws = _secretariat(tmp_path)
    key, (seq, _) = ws.identity.store_key, headrecord.database_head(ws.tx.db)
    ws.close()
    headrecord.write(tmp_path / "profile", key, (seq + 5, "e" * 64))  # five later commits that are not there
    window = MainWindow(tmp_path / "profile")
    qtbot.addWidget(window)
    flow = AppFlow(window, tmp_path / "profile", work_factor=WORK_FACTOR)
    window.show()
    page = flow.gate
    assert isinstance(page, UnlockPage)
    page.passphrase.setText(PASS)
    page.unlock_button.click()
    qtbot.waitUntil(page.error.isVisible, timeout=10000)
    assert page.error.text().startswith("This profile has lost its most recent changes (5 entries): "
                                        "restore from a backup")
    assert window.gated()

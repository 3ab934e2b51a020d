"""File › Trust a new secretariat card…: after a lost secretariat key, a member trusts the new card only
with the fingerprint read out to them, and the window says plainly what happened (real profiles)."""

from __future__ import annotations

from panel_desk.core.identity import Identity
from panel_desk.core.model import Role
from panel_desk.core.store import init_profile
from panel_desk.ui import keys_actions, tasks
from panel_desk.ui.app import AppFlow
from panel_desk.ui.main_window import MainWindow
from panel_desk.ui.qt import QtWidgets

WORK_FACTOR = 10
PASS = "violet harbour kettle meadow"


def test_a_member_trusts_a_new_secretariat_card_only_with_its_fingerprint(qtbot, tmp_path, monkeypatch):
    old = Identity.create("Sam Secretariat", Role.SECRETARIAT, "Panel secretariat")
    new = Identity.create("Nia Secretariat", Role.SECRETARIAT, "Panel secretariat")
    new.card.save(tmp_path / "nia.card.json")
    me = Identity.create("Cara Okafor", Role.CHILDRENS_COMMISSIONER, "Office of the Children's Commissioner")
    me.save(tmp_path / "me.age", PASS, work_factor=WORK_FACTOR)
    ws = init_profile(tmp_path / "profile", tmp_path / "me.age", PASS, trusted=[old.card])
    window = MainWindow(tmp_path / "profile")
    qtbot.addWidget(window)
    flow = AppFlow(window, tmp_path / "profile", work_factor=WORK_FACTOR)
    window.show()
    flow.opened(ws)
    shown = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "information", lambda _w, _t, text: shown.append(text))
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda _w, _t, text: shown.append(text))
    assert "Trust a new &secretariat card…" in [a.text() for a in window.file_menu.actions()]
    # the person picks the card and types the fingerprint in the window's own dialogs
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(tmp_path / "nia.card.json"), ""))
    monkeypatch.setattr(QtWidgets.QInputDialog, "getText", lambda *a, **k: ("WRONG FINGERPRINT", True))
    flow.trust_secretariat_action.trigger()
    assert "does not match Nia Secretariat's card" in shown[-1]
    assert [c.fingerprint for c in ws.trusted_secretariat()] == [old.fingerprint]
    monkeypatch.setattr(QtWidgets.QInputDialog, "getText", lambda *a, **k: (new.fingerprint.lower(), True))
    flow.trust_secretariat_action.trigger()
    assert shown[-1].startswith("You now accept applications and draft advice from Nia Secretariat")
    assert new.fingerprint in [c.fingerprint for c in ws.trusted_secretariat()]
    assert [r.fingerprint for r in ws.roster.revocations()] == [old.fingerprint]
    tasks.wait_for_all()
    flow.idle.remove()
    ws.close()
    assert keys_actions.trust_new_secretariat(flow) is None  # nothing to do once the profile is closed

"""First run, unlock and the idle lock: what the window shows before and around the work."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from panel_desk.core.identity import Identity
from panel_desk.core.model import Role
from panel_desk.ui.app import AppFlow, paths_from_argv
from panel_desk.ui.main_window import MainWindow
from panel_desk.ui.member.view import MemberView
from panel_desk.ui.onboarding import FirstRun, IdleLock, UnlockPage
from panel_desk.ui.qt import QtCore, QtGui, QtWidgets

sys.path.insert(0, str(Path(__file__).resolve().parent / "member"))

WORK_FACTOR = 10
PASS = "violet harbour kettle meadow"


def test_first_run_applies_the_cores_passphrase_rule(qtbot, tmp_path):
    """The window says what the command line says: the same rule, the same words."""
    from panel_desk.core.passphrase import TOO_SHORT, TOO_WEAK, assess

    first = FirstRun(tmp_path / "profile", work_factor=WORK_FACTOR)
    qtbot.addWidget(first)
    first.name.setText("Asha Patel")
    for typed, expected in (("short", TOO_SHORT), ("aaaaaaaaaaaaaaaa", TOO_WEAK), ("asha patel 2026", TOO_WEAK)):
        first.passphrase.setText(typed)
        assert first.strength.text() == f"Strength: {assess(typed, user_inputs=['Asha Patel']).words}"
        first.create_button.click()
        assert expected in first.errors.accessibleName()
        assert first.currentIndex() == 0
    first.passphrase.setText(PASS)
    assert first.strength.text() == "Strength: Very strong"


def test_idle_lock_fires_after_idle_time_and_input_postpones_it(qtbot):
    fired = []
    widget = QtWidgets.QLineEdit()
    qtbot.addWidget(widget)
    widget.show()
    idle = IdleLock(0.2 / 60, lambda: fired.append(True))  # 200 ms
    idle.start()
    for _ in range(4):
        qtbot.wait(80)
        QtWidgets.QApplication.sendEvent(widget, QtGui.QKeyEvent(QtCore.QEvent.Type.KeyPress,
                                                                  QtCore.Qt.Key.Key_A,
                                                                  QtCore.Qt.KeyboardModifier.NoModifier, "a"))
    assert fired == []
    qtbot.waitUntil(lambda: fired == [True], timeout=1000)
    idle.remove()


def test_paths_from_the_command_line():
    assert paths_from_argv(["panel-desk", "-platform", "offscreen", "/x/a.pdbundle"]) == [Path("/x/a.pdbundle")]
    assert paths_from_argv(None) == []


def test_later_runs_open_on_unlock_then_auto_lock_hides_the_work(qtbot, tmp_path):
    from panel_desk.core.store import init_profile

    me = Identity.create("Asha Patel", Role.CHILDRENS_COMMISSIONER, "Office of the Children's Commissioner")
    me.save(tmp_path / "me.age", PASS, work_factor=WORK_FACTOR)
    init_profile(tmp_path / "profile", tmp_path / "me.age", PASS).close()

    window = MainWindow(tmp_path / "profile")
    qtbot.addWidget(window)
    flow = AppFlow(window, tmp_path / "profile")
    window.show()
    page = flow.gate
    assert isinstance(page, UnlockPage) and window.gated()
    page.passphrase.setText("not it at all")
    page.unlock_button.click()
    qtbot.waitUntil(page.error.isVisible, timeout=10000)
    assert page.error.text() == "That passphrase is not right. Check it and try again."
    assert page.passphrase.text() == ""  # the wrong passphrase does not stay on screen
    page.passphrase.setText(PASS)
    page.unlock_button.click()
    qtbot.waitUntil(lambda: not window.gated(), timeout=10000)
    assert isinstance(flow.view, MemberView)
    assert flow.idle.minutes == 10  # the default

    flow.idle.set_minutes(0.1 / 60)  # the setting is whole minutes; the test does not wait one
    flow.idle.start()
    qtbot.waitUntil(lambda: window.gated(), timeout=2000)
    assert flow.ws.locked
    assert "idle minutes" in " ".join(lbl.text() for lbl in flow.gate.findChildren(QtWidgets.QLabel))
    flow.ws.close()


def test_a_secretariat_profile_opens_the_secretariat_view(qtbot, tmp_path):
    from panel_desk.core.store import init_profile

    sec = Identity.create("Sam Secretariat", Role.SECRETARIAT, "Panel secretariat")
    sec.save(tmp_path / "sec.age", PASS, work_factor=WORK_FACTOR)
    ws = init_profile(tmp_path / "profile", tmp_path / "sec.age", PASS)
    window = MainWindow(tmp_path / "profile")
    qtbot.addWidget(window)
    flow = AppFlow(window, tmp_path / "profile")
    flow.opened(ws)
    from panel_desk.ui.secretariat import SecretariatView

    assert isinstance(flow.view, SecretariatView)
    assert window.pages.currentWidget() is flow.view and flow.view.isVisibleTo(window)
    flow.idle.remove()
    ws.close()


def test_a_secretariat_view_that_cannot_be_built_is_an_error_not_the_members_view(qtbot, tmp_path, monkeypatch):
    """Before, an ImportError in the secretariat's screens quietly showed the secretariat the member's."""
    from panel_desk.core.store import init_profile

    sec = Identity.create("Sam Secretariat", Role.SECRETARIAT, "Panel secretariat")
    sec.save(tmp_path / "sec.age", PASS, work_factor=WORK_FACTOR)
    ws = init_profile(tmp_path / "profile", tmp_path / "sec.age", PASS)
    window = MainWindow(tmp_path / "profile")
    qtbot.addWidget(window)
    flow = AppFlow(window, tmp_path / "profile")
    monkeypatch.setitem(sys.modules, "panel_desk.ui.secretariat", None)  # as if it failed to import
    try:
        with pytest.raises(ImportError):
            flow.opened(ws)
        assert not isinstance(flow.view, MemberView)
    finally:
        ws.close()

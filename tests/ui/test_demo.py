"""The demo window: built in the background, opened as a member, switched between people."""

from __future__ import annotations

from datetime import date

import pytest

from panel_desk.core.demo.builder import build_demo_workspace
from panel_desk.core.logs import log_path
from panel_desk.ui.demo import DemoController, DemoNote
from panel_desk.ui.qt import Qt, QtWidgets


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "ws"
    return build_demo_workspace(folder, today=date(2026, 11, 23))


@pytest.fixture
def controller_factory(qtbot):
    made = []

    def make(folder):
        controller = DemoController(folder)
        made.append(controller)
        return controller

    yield make
    for controller in made:
        controller.close()


def _menu_labels(window) -> list[str]:
    menu = window.findChild(QtWidgets.QMenu, "demo-menu")
    return [a.text() for a in menu.actions() if a.text()]


def test_builds_in_the_background_then_opens_as_the_first_member(qtbot, tmp_path, controller_factory):
    controller = controller_factory(tmp_path / "fresh")
    with qtbot.waitSignal(controller.opened, timeout=20000) as opened:
        controller.start()
        assert controller.window is None  # the build runs off the GUI thread
    person = opened.args[0]
    assert person.name == "Tom Okafor" and person is controller.workspace.members[0]
    window = controller.window
    assert window.isVisible()
    assert "Tom Okafor" in window.windowTitle()
    assert "demo-tom" in window.statusBar().currentMessage()
    assert (tmp_path / "fresh" / "demo.json").exists()
    # unlocked: the member's three applications, waiting for a declaration
    assert not window.gated()
    assert window.applications.count() == 3
    assert controller.profile.me.name == "Tom Okafor" and not controller.profile.locked


def test_the_demo_menu_lists_everyone_and_switching_reopens_the_window(qtbot, built, controller_factory):
    controller = controller_factory(built.folder)
    with qtbot.waitSignal(controller.opened, timeout=5000):
        controller.start()  # the folder already holds a demo: reopened, not rebuilt
    first = controller.window
    labels = _menu_labels(first)
    assert labels[:6] == ["Switch to Priya Natarajan (Secretariat)", "Switch to Tom Okafor (Children's Commissioner)",
                          "Switch to Rachel Lindqvist (HM Chief Inspector)",
                          "Switch to Grace Adeyemi (Voluntary sector)", "Switch to David Pryce (Local government)",
                          "Switch to Aisha Rahman (Social work practice)"]
    assert "Show the demo passphrases" in labels
    assert controller.switch_actions["Tom Okafor"].isChecked()

    with qtbot.waitSignal(controller.opened, timeout=5000) as opened:
        controller.switch_actions["Rachel Lindqvist"].trigger()
    assert opened.args[0].name == "Rachel Lindqvist"
    second = controller.window
    assert second is not first and second.isVisible()
    qtbot.waitUntil(lambda: not first.isVisible(), timeout=2000)
    assert controller.switch_actions["Rachel Lindqvist"].isChecked()
    assert "Rachel Lindqvist" in second.windowTitle()
    assert "demo-rachel" in second.statusBar().currentMessage()
    assert controller.profile.me.name == "Rachel Lindqvist"
    with qtbot.waitSignal(controller.opened, timeout=5000):
        controller.switch_actions["Priya Natarajan"].trigger()
    assert controller.profile.is_secretariat and not controller.window.gated()


def test_the_note_shows_every_passphrase(qtbot, built, controller_factory):
    controller = controller_factory(built.folder)
    with qtbot.waitSignal(controller.opened, timeout=5000):
        controller.start()
    note = controller.window.findChild(DemoNote, "demo-note")
    assert note is not None and note.isVisible()
    assert note.height() < 100  # a slim banner above the work, not a side panel
    assert "Tom Okafor" in note.text.text()
    note.people_button.click()
    dialog = note.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    assert dialog.passphrases() == {p.name: p.passphrase for p in built.people}
    assert dialog.table.item(1, 0).text() == "Tom Okafor (you)\nChildren's Commissioner"
    # Tab leaves the table (no trap): the next stop is the Close button
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Tab)
    assert QtWidgets.QApplication.focusWidget() is not dialog.table
    dialog.reject()


def test_the_demo_shares_one_exchange_folder(qtbot, built, controller_factory):
    from panel_desk.core import exchange

    controller = controller_factory(built.folder)
    with qtbot.waitSignal(controller.opened, timeout=5000):
        controller.start()
    assert exchange.folder_of(controller.profile) == built.exchange.resolve()


def test_the_log_follows_the_person_and_holds_no_titles(qtbot, built, controller_factory):
    controller = controller_factory(built.folder)
    with qtbot.waitSignal(controller.opened, timeout=5000):
        controller.start()
    with qtbot.waitSignal(controller.opened, timeout=5000):
        controller.switch_to("Aisha Rahman")
    controller.close()
    written = log_path(built.person("Aisha Rahman").profile_dir).read_text()
    assert "demo.opened role=social-work-practice" in written
    assert "Wexmoor" not in written and "Aisha" not in written


def test_a_folder_that_is_not_a_demo_fails_with_a_message(qtbot, tmp_path, controller_factory):
    (tmp_path / "mine.txt").write_text("x")
    controller = controller_factory(tmp_path)
    with qtbot.waitSignal(controller.failed, timeout=10000) as failed:
        controller.start()
    assert "not empty" in failed.args[0]
    assert controller.window is None


def test_cancelling_the_build_emits_cancelled(qtbot, tmp_path, controller_factory):
    controller = controller_factory(tmp_path / "never")
    with qtbot.waitSignal(controller.cancelled, timeout=10000):
        controller.start()
        controller._task.cancel()
    assert controller.window is None


def test_panel_desk_demo_builds_opens_and_quits_when_told(tmp_path):
    """The README's run command ends in ``panel-desk demo``: run it as a real process (an
    ``app.exec()`` inside the test process would leave the application quitting for later tests)."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PANEL_DESK_SMOKE_QUIT_MS="50")
    result = subprocess.run([sys.executable, "-m", "panel_desk", "demo", "--dir", str(tmp_path / "demo")],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "demo" / "demo.json").exists()
    assert len(list((tmp_path / "demo" / "bundles").glob("*.pdbundle"))) == 3

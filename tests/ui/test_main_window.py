"""The window shell: layout, About, shortcuts and drag and drop."""

from __future__ import annotations

from panel_desk import __version__
from panel_desk.ui.main_window import AboutDialog, MainWindow
from panel_desk.ui.qt import QtCore, QtGui


def test_main_window_has_the_layout_later_screens_fill(qtbot, tmp_path):
    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    window.show()
    assert window.applications.accessibleName() == "Applications"
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == ["Overview", "Documents", "Assessment"]
    assert window.right.currentWidget() is window.empty
    window.show_application_tabs()
    assert window.right.currentWidget() is window.tabs
    assert str(tmp_path) in window.statusBar().currentMessage()


def test_about_shows_version_and_profile(qtbot, tmp_path):
    dialog = AboutDialog(None, tmp_path)
    qtbot.addWidget(dialog)
    assert f"Version {__version__}" in dialog.details.text()
    assert str(tmp_path) in dialog.details.text()


def test_open_button_and_shortcut_request_open(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.open_requested, timeout=1000):
        qtbot.mouseClick(window.open_button, QtCore.Qt.MouseButton.LeftButton)
    assert ("Open application", "Ctrl+O") in window.shortcuts()


def test_dropping_files_emits_their_paths(qtbot, tmp_path):
    window = MainWindow()
    qtbot.addWidget(window)
    mime = QtCore.QMimeData()
    target = tmp_path / "a.pdbundle"
    mime.setUrls([QtCore.QUrl.fromLocalFile(str(target))])
    event = QtGui.QDropEvent(QtCore.QPointF(10, 10), QtCore.Qt.DropAction.CopyAction, mime,
                             QtCore.Qt.MouseButton.LeftButton, QtCore.Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.files_dropped, timeout=1000) as blocker:
        window.dropEvent(event)
    assert blocker.args == [[str(target)]]


def test_a_gate_covers_the_work_and_tabs_can_be_filled(qtbot, tmp_path):
    from panel_desk.ui.qt import QtWidgets

    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    window.show()
    page = QtWidgets.QLabel("Overview page")
    window.set_tab(0, page)
    assert window.tabs.widget(0) is page and window.tabs.tabText(0) == "Overview"
    gate = QtWidgets.QLabel("Unlock")
    window.lock_action.setEnabled(True)
    window.show_gate(gate)
    # workspace actions (and so their shortcuts) are off behind a gate; Help and Quit stay usable
    assert window.gated() and not window.acceptDrops()
    assert not window.open_action.isEnabled() and not window.lock_action.isEnabled()
    assert window.quit_action.isEnabled() and window.about_action.isEnabled()
    window.show_gate(QtWidgets.QLabel("Unlock again"))  # a second gate keeps the states from before the first
    window.show_main()
    assert not window.gated() and window.acceptDrops()
    assert window.open_action.isEnabled() and window.lock_action.isEnabled()
    assert ("Lock now", "Ctrl+L") in window.shortcuts()


def test_a_role_view_can_replace_the_work_area(qtbot, tmp_path):
    from panel_desk.ui.qt import QtWidgets

    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    window.show()
    view = QtWidgets.QLabel("Secretariat")
    window.use_main(view)
    assert window.pages.currentWidget() is view and not window.gated()
    window.show_gate(QtWidgets.QLabel("Unlock"))
    window.show_main()
    assert window.pages.currentWidget() is view

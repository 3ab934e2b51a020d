"""Factories for the member's screens: a window over an in-memory workspace, and modal-dialog drivers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from member_fakes import FakeMember, FakeWorkspace

from panel_desk.ui.main_window import MainWindow
from panel_desk.ui.member import _parts
from panel_desk.ui.member._desk import MemberDesk
from panel_desk.ui.member.view import MemberView
from panel_desk.ui.qt import QtCore, QtWidgets


@pytest.fixture
def fake_ws(example_application) -> FakeWorkspace:
    ws = FakeWorkspace()
    ws.add_example(example_application, today=date.today())
    return ws


@pytest.fixture
def member_window(qtbot, fake_ws, tmp_path):
    """(window, view, workspace) for a member with one application, nothing declared yet."""
    window = MainWindow(tmp_path / "profile")
    qtbot.addWidget(window)
    window.resize(1280, 860)
    view = MemberView(MemberDesk(fake_ws, member=FakeMember()), window)
    window.show()
    qtbot.waitExposed(window)
    return window, view, fake_ws


@pytest.fixture
def save_to(monkeypatch, tmp_path):
    """Answer every 'Save as' dialog with a path in tmp_path; returns the list of paths asked."""
    asked: list[Path] = []

    def answer(parent, title, suggested, file_filter):
        path = tmp_path / "out" / Path(suggested).name
        path.parent.mkdir(exist_ok=True)
        asked.append(path)
        return path

    monkeypatch.setattr(_parts, "ask_save_path", answer)
    return asked


def with_dialog(qtbot, action: Callable[[QtWidgets.QDialog], None]) -> None:
    """Run ``action`` on the next modal dialog as soon as it is shown (its exec() blocks the test)."""
    def poll():
        dialog = QtWidgets.QApplication.activeModalWidget()
        if isinstance(dialog, QtWidgets.QDialog) and dialog.isVisible():
            action(dialog)
        else:
            QtCore.QTimer.singleShot(10, poll)

    QtCore.QTimer.singleShot(0, poll)




def click(qtbot, widget) -> None:
    """Click ``widget`` as a person would, once it is laid out and visible."""
    qtbot.waitUntil(lambda: widget.isVisible() and widget.height() > 0, timeout=2000)
    if isinstance(widget, (QtWidgets.QRadioButton, QtWidgets.QCheckBox)):
        # only the box and its words take the click, not the empty width beside them
        pos = QtCore.QPoint(8, widget.height() // 2)
        qtbot.mouseClick(widget, QtCore.Qt.MouseButton.LeftButton, pos=pos)
    else:
        qtbot.mouseClick(widget, QtCore.Qt.MouseButton.LeftButton)

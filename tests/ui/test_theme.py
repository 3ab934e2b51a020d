"""What cannot be used yet looks it, in both colour schemes: a disabled button or tab is drawn in
grey with a dashed edge, never like one that works (Undo in high contrast looked enabled)."""

from __future__ import annotations

import pytest

from panel_desk.ui import theme
from panel_desk.ui.qt import QtGui, QtWidgets


def _darkest(widget) -> int:
    img = widget.grab().toImage()
    return min(img.pixelColor(x, y).lightness() for x in range(img.width()) for y in range(img.height()))


@pytest.mark.parametrize("high_contrast", [False, True])
def test_a_disabled_button_does_not_look_enabled(qtbot, qapp, high_contrast):
    font, palette = qapp.font(), qapp.palette()
    theme.apply_theme(qapp, high_contrast=high_contrast)
    try:
        box = QtWidgets.QWidget()
        qtbot.addWidget(box)
        layout = QtWidgets.QHBoxLayout(box)
        on, off = QtWidgets.QPushButton("Undo"), QtWidgets.QPushButton("Undo")
        off.setEnabled(False)
        layout.addWidget(on)
        layout.addWidget(off)
        box.show()
        qtbot.waitExposed(box)
        assert _darkest(on) < 40  # near-black words
        assert _darkest(off) > 80  # grey words and edge: visibly not available
    finally:
        qapp.setStyleSheet("")
        qapp.setFont(font)
        qapp.setPalette(palette)


def test_enter_presses_a_focused_button_outside_dialogs(qtbot, qapp):
    theme.apply_theme(qapp)
    try:
        button = QtWidgets.QPushButton("Change")
        qtbot.addWidget(button)
        button.show()
        clicked = []
        button.clicked.connect(lambda: clicked.append(True))
        qtbot.keyClick(button, QtGui.QKeySequence("Return")[0].key())
        qtbot.waitUntil(lambda: clicked == [True], timeout=2000)
    finally:
        qapp.setStyleSheet("")

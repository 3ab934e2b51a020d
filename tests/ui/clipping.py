"""Finding clipped text on a screen: every visible label, button, tab and field placeholder shows
its whole text, and no widget is narrower than its minimum size hint.

Used by tests/ui/member/test_member_clipping.py and tests/ui/secretariat/test_secretariat_clipping.py.

Sizes: 1024×700 and 1440×900 at 100%, and 200% scale on a 1920×1080 screen. At 200%
(``QT_SCALE_FACTOR=2``) Qt lays a window out in device-independent pixels, and fonts, margins
and style metrics are all the same numbers as at 100%: a 1920×1080 screen is 960×540 of them.
So "200% on 1920×1080" is checked in-process as a 960×540 window (the equivalence is itself
checked in a subprocess by :func:`scale_factor_metrics`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from panel_desk.ui.qt import QtCore, QtWidgets

SIZES = {"1024x700": (1024, 700), "1440x900": (1440, 900), "200% of 1920x1080": (960, 540)}
SLACK = 1  # pixels of rounding


def settle(rounds: int = 6) -> None:
    """Let layouts (posted as events, nested scroll areas one after another) catch up with a resize."""
    for _ in range(rounds):
        QtWidgets.QApplication.sendPostedEvents()
        QtWidgets.QApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete.value)
        QtWidgets.QApplication.processEvents()


def _shown(w: QtWidgets.QWidget) -> bool:
    # one scrolled out of view in a scroll area still has to fit its own box, so it is checked
    return w.isVisible() and w.width() > 0 and w.height() > 0


def _name(w: QtWidgets.QWidget) -> str:
    text = ""
    for attr in ("text", "placeholderText"):
        if hasattr(w, attr):
            text = getattr(w, attr)() or text
    return f"{type(w).__name__}({w.objectName() or w.accessibleName() or text[:50]!r})"


def _label_problem(label: QtWidgets.QLabel) -> str | None:
    if not label.text() or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    if label.sizePolicy().horizontalPolicy() == QtWidgets.QSizePolicy.Policy.Ignored and not label.wordWrap():
        return None
    rect = label.contentsRect()
    margin = label.margin() * 2
    if label.wordWrap():
        need = label.heightForWidth(label.width())
        if need > label.height() + SLACK:
            return f"needs {need} px of height, has {label.height()}"
        return None
    hint = label.sizeHint()
    if hint.width() > rect.width() + margin + (label.width() - rect.width()) + SLACK:
        return f"needs {hint.width()} px of width, has {label.width()}"
    if hint.height() > label.height() + SLACK:
        return f"needs {hint.height()} px of height, has {label.height()}"
    return None


def _button_problem(button: QtWidgets.QAbstractButton) -> str | None:
    if not button.text():
        return None
    need = button.minimumSizeHint()
    if isinstance(button, (QtWidgets.QCheckBox, QtWidgets.QRadioButton)):
        need = button.sizeHint()
    if need.width() > button.width() + SLACK:
        return f"needs {need.width()} px of width for {button.text()!r}, has {button.width()}"
    text_width = button.fontMetrics().horizontalAdvance(button.text().replace("&&", "\0").replace("&", ""))
    if text_width > button.width():
        return f"its words need {text_width} px, it has {button.width()}"
    return None


def _tabs_problem(bar: QtWidgets.QTabBar) -> list[str]:
    out = []
    whole = bar.rect()
    for i in range(bar.count()):
        if not bar.isTabVisible(i):
            continue
        r = bar.tabRect(i)
        hint = bar.tabSizeHint(i)
        if r.width() + SLACK < hint.width():
            out.append(f"tab {bar.tabText(i)!r} is {r.width()} px, needs {hint.width()} (elided)")
        elif not whole.contains(r):
            out.append(f"tab {bar.tabText(i)!r} is outside the tab bar (behind the scroll arrows)")
    return out


def _placeholder_problem(edit: QtWidgets.QLineEdit) -> str | None:
    if edit.text() or not edit.placeholderText():
        return None
    need = edit.fontMetrics().horizontalAdvance(edit.placeholderText()) + 16  # the frame and text margins
    if edit.isClearButtonEnabled():
        need += 20
    if need > edit.width() + SLACK:
        return f"placeholder {edit.placeholderText()!r} needs {need} px, has {edit.width()}"
    return None


def _widest(page: QtWidgets.QWidget) -> str:
    """The control whose minimum width makes ``page`` wider than its window (followed down to a leaf)."""
    need, path, w = page.minimumSizeHint().width(), [], page
    while True:
        children = [c for c in w.findChildren(QtWidgets.QWidget, options=QtCore.Qt.FindChildOption.FindDirectChildrenOnly)
                    if c.isVisible() and not isinstance(c, QtWidgets.QScrollBar)]
        if not children:
            break
        w = max(children, key=lambda c: c.minimumSizeHint().width())
        path.append(f"{_name(w)} {w.minimumSizeHint().width()}")
    return f"the page needs {need} px: " + " > ".join(path[-3:])


def problems(root: QtWidgets.QWidget, where: str) -> list[str]:
    """Every clipped text and squeezed widget among ``root`` and its visible descendants."""
    out: list[str] = []
    widgets = [root, *root.findChildren(QtWidgets.QWidget)]
    for w in widgets:
        if not _shown(w) or isinstance(w, (QtWidgets.QMenu, QtWidgets.QMenuBar)):
            continue
        problem = None
        if isinstance(w, QtWidgets.QLabel):
            problem = _label_problem(w)
        elif isinstance(w, QtWidgets.QAbstractButton) and not isinstance(w, QtWidgets.QToolButton):
            problem = _button_problem(w)
        elif isinstance(w, QtWidgets.QTabBar):
            out.extend(f"{where}: {p}" for p in _tabs_problem(w))
        elif isinstance(w, QtWidgets.QLineEdit) and not isinstance(w.parent(), QtWidgets.QAbstractSpinBox):
            problem = _placeholder_problem(w)
        elif type(w) is QtWidgets.QScrollArea and w.widgetResizable() and w.horizontalScrollBar().isVisible():
            problem = f"is a page wider than its window: it scrolls sideways ({_widest(w.widget())})"
        if problem is None and w.parentWidget() is not None and w.parentWidget().layout() is not None:
            policy = w.sizePolicy().horizontalPolicy()
            hint = w.minimumSizeHint()
            if (policy != QtWidgets.QSizePolicy.Policy.Ignored and hint.isValid()
                    and w.minimumWidth() == 0 and w.width() + SLACK < hint.width()
                    and not isinstance(w, (QtWidgets.QScrollBar, QtWidgets.QSplitterHandle))):
                problem = f"is {w.width()} px wide, narrower than its minimum size hint {hint.width()}"
        if problem:
            out.append(f"{where}: {_name(w)} {problem}")
    return out


def check_window(window: QtWidgets.QWidget, where: str, size: tuple[int, int]) -> list[str]:
    window.resize(*size)
    settle()
    found = []
    if window.width() > size[0] + SLACK or window.height() > size[1] + SLACK:
        found.append(f"{where}: the window is {window.width()}×{window.height()}, wider or taller than "
                     f"{size[0]}×{size[1]} (its minimum is {window.minimumSizeHint().width()}×"
                     f"{window.minimumSizeHint().height()})")
    found.extend(problems(window, where))
    if (found or os.environ.get("PANEL_DESK_CLIP_SHOTS_ALL")) and os.environ.get("PANEL_DESK_CLIP_SHOTS"):
        # PANEL_DESK_CLIP_SHOTS=DIR saves each screen with a problem (…_ALL=1: every screen) to look at
        folder = os.environ["PANEL_DESK_CLIP_SHOTS"]
        os.makedirs(folder, exist_ok=True)
        window.grab().save(os.path.join(folder, "".join(c if c.isalnum() else "-" for c in where) + ".png"))
    return found


def check_everywhere(window: QtWidgets.QWidget, screens, *, dialogs=()) -> list[str]:
    """For each size, show each screen (``screens``: (name, show-callable)) and collect problems."""
    found: list[str] = []
    for size_name, size in SIZES.items():
        for screen_name, show in screens:
            show()
            found.extend(check_window(window, f"{screen_name} at {size_name}", size))
    return found


def check_dialog(dialog: QtWidgets.QDialog, where: str) -> list[str]:
    """A dialog at its own size (it grows with its content) and at its narrowest (with the height
    its wrapped words need there: no window system holds a window to its height-for-width)."""
    settle()
    found = problems(dialog, where)
    narrowest = dialog.minimumSizeHint().width()
    height = dialog.heightForWidth(narrowest) if dialog.hasHeightForWidth() else -1
    dialog.resize(narrowest, max(height, dialog.minimumSizeHint().height()))
    settle()
    found.extend(problems(dialog, f"{where} at its smallest"))
    return found


_PROBE = """
import json, sys
from panel_desk.ui.qt import QtWidgets, QtGui
app = QtWidgets.QApplication(sys.argv)
from panel_desk.ui import theme
theme.apply_theme(app)
w = QtWidgets.QPushButton("Declare your interests")
w.show()
app.processEvents()
print(json.dumps({"ratio": w.devicePixelRatioF(), "hint": [w.sizeHint().width(), w.sizeHint().height()],
                  "text": w.fontMetrics().horizontalAdvance(w.text())}))
"""


def scale_factor_metrics(factor: str) -> dict:
    """Metrics of one button in a fresh process with ``QT_SCALE_FACTOR=factor``."""
    env = dict(os.environ, QT_SCALE_FACTOR=factor, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, timeout=60,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture
def themed(qapp):
    """The app's own look (font, palette, style sheet: the sizes people see), undone afterwards."""
    from panel_desk.ui import theme

    font, palette = qapp.font(), qapp.palette()
    theme.apply_theme(qapp)
    yield qapp
    qapp.setStyleSheet("")
    qapp.setFont(font)
    qapp.setPalette(palette)

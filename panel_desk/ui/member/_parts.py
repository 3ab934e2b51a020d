"""Small pieces the member's screens share: link buttons, details, field labels, file choosers."""

from __future__ import annotations

import textwrap
from pathlib import Path

from panel_desk.ui import theme, widgets
from panel_desk.ui.qt import Qt, QtCore, QtWidgets, Signal
from panel_desk.ui.widgets import StatusTag, paragraph, scrolling

LINK_STYLE = f"""
QPushButton {{ color: {theme.LINK}; text-decoration: underline; border: 0; background: transparent;
              text-align: left; padding: 2px 0; }}
QPushButton:hover {{ color: #003078; }}
QPushButton:focus {{ color: #0b0c0c; background: {theme.FOCUS}; border: 0; border-bottom: 3px solid #0b0c0c;
                    text-decoration: none; }}
"""

PAGE_MARGINS = (40, 28, 40, 32)
READING_WIDTH = 780


def link_button(label: str, accessible: str = "") -> QtWidgets.QPushButton:
    """A button that looks like a GOV.UK link (for 'Change', task names, prompts' links)."""
    b = QtWidgets.QPushButton(label)
    b.setStyleSheet(LINK_STYLE)
    b.setCursor(Qt.CursorShape.PointingHandCursor)
    b.setAccessibleName(accessible or label)
    b.setSizePolicy(QtWidgets.QSizePolicy.Policy.Maximum, QtWidgets.QSizePolicy.Policy.Fixed)
    return b


def primary_button(label: str, accessible: str = "") -> QtWidgets.QPushButton:
    b = QtWidgets.QPushButton(label)
    b.setProperty("role", "primary")
    b.setAccessibleName(accessible or label)
    b.setSizePolicy(QtWidgets.QSizePolicy.Policy.Maximum, QtWidgets.QSizePolicy.Policy.Fixed)
    return b


def secondary_button(label: str, accessible: str = "") -> QtWidgets.QPushButton:
    b = QtWidgets.QPushButton(label)
    b.setAccessibleName(accessible or label)
    b.setSizePolicy(QtWidgets.QSizePolicy.Policy.Maximum, QtWidgets.QSizePolicy.Policy.Fixed)
    return b


def page_layout(widget: QtWidgets.QWidget) -> QtWidgets.QVBoxLayout:
    layout = QtWidgets.QVBoxLayout(widget)
    layout.setContentsMargins(*PAGE_MARGINS)
    layout.setSpacing(14)
    return layout


class ReadingColumn(QtWidgets.QWidget):
    """Holds one widget at most ``width`` wide, left-aligned, and shows or hides with it.

    A widget capped with ``setMaximumWidth`` straight in a vertical layout is asked its height for
    the layout's whole width, then squeezed into its cap: wrapped text lost its last lines at wide
    windows. In a horizontal layout the cap is applied before the height is asked for.
    """

    def __init__(self, inner: QtWidgets.QWidget, width: int) -> None:
        super().__init__()
        self.inner = inner
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        inner.setMaximumWidth(width)
        layout.addWidget(inner, 1)
        layout.addStretch(0)
        if inner.isHidden():
            self.hide()
        inner.installEventFilter(self)

    def _follow(self) -> None:
        # a widget without a parent that is shown becomes a window of its own: only once placed
        if self.parentWidget() is not None or self.inner.isHidden():
            self.setHidden(self.inner.isHidden())

    def eventFilter(self, obj, event) -> bool:
        if obj is self.inner and event.type() in (QtCore.QEvent.Type.ShowToParent, QtCore.QEvent.Type.HideToParent):
            self._follow()
        return False

    def event(self, event) -> bool:
        if event.type() == QtCore.QEvent.Type.ParentChange:
            self._follow()
        return super().event(event)


class Columns(QtWidgets.QWidget):
    """Two blocks side by side when the page is at least ``breakpoint`` wide, one above the other
    when it is not."""

    def __init__(self, first: QtWidgets.QWidget, second: QtWidgets.QWidget, breakpoint: int = 900) -> None:
        super().__init__()
        self.first, self.second, self.breakpoint = first, second, breakpoint
        self.grid = QtWidgets.QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(32)
        self.grid.setVerticalSpacing(24)
        self.side_by_side: bool | None = None
        self._place(False)

    def _place(self, side: bool) -> None:
        if side == self.side_by_side:
            return
        self.side_by_side = side
        self.grid.removeWidget(self.first)
        self.grid.removeWidget(self.second)
        self.grid.addWidget(self.first, 0, 0)
        self.grid.addWidget(self.second, 0, 1) if side else self.grid.addWidget(self.second, 1, 0)
        self.grid.setColumnStretch(0, 1)
        self.grid.setColumnStretch(1, 1 if side else 0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place(self.width() >= self.breakpoint)


def reading(widget: QtWidgets.QWidget, width: int = READING_WIDTH) -> QtWidgets.QWidget:
    """``widget`` in a column of reading width (about 75 characters a line)."""
    return ReadingColumn(widget, width)


def page_scroll(widget: QtWidgets.QWidget, name: str) -> QtWidgets.QScrollArea:
    """A page in a scroll area (usable at 200% scale) that a keyboard user can also scroll.

    The scroll area is a Tab stop (arrows and Page Up/Down scroll what has no control to focus,
    such as the cover's summary), so it carries a name and the focus frame; a constant transparent
    border keeps the page from reflowing as focus arrives.
    """
    area = scrolling(widget)
    area.setObjectName("page-scroll")
    area.setAccessibleName(name)
    area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    area.setStyleSheet("QScrollArea#page-scroll { border: 3px solid transparent; }"
                       " QScrollArea#page-scroll:focus { border: 3px solid #0b0c0c; }")
    return area


class ErrorSummary(widgets.ErrorSummary):
    """The error summary (its keyboard behaviour is now the shared one, on every page)."""


def error_label() -> QtWidgets.QLabel:
    label = QtWidgets.QLabel("")
    label.setProperty("role", "error")
    label.setWordWrap(True)
    label.hide()
    return label


def publish_tag(publishable: bool) -> StatusTag:
    from panel_desk.ui.member import text as words

    return StatusTag(words.PUBLISHABLE if publishable else words.INTERNAL, "blue" if publishable else "purple")


class Details(QtWidgets.QWidget):
    """GOV.UK's 'details': a summary line that opens to show more."""

    toggled = Signal(bool)

    def __init__(self, summary: str, parent=None) -> None:
        super().__init__(parent)
        self.summary = summary
        self.button = QtWidgets.QToolButton()
        self.button.setText(textwrap.fill(summary, 84))
        self.button.setMinimumWidth(120)  # re-wrapped to the width it gets (resizeEvent), never wider
        self.button.setCheckable(True)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setArrowType(Qt.ArrowType.RightArrow)
        self.button.setAccessibleName(summary)
        self.button.setStyleSheet(
            f"QToolButton {{ color: {theme.LINK}; border: 0; background: transparent; text-decoration: underline;"
            f" text-align: left; }} QToolButton:focus {{ color: #0b0c0c; background: {theme.FOCUS};"
            " border-bottom: 3px solid #0b0c0c; }")
        self.button.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed)
        self.body = QtWidgets.QFrame()
        self.body.setStyleSheet(f"QFrame#details-body {{ border-left: 5px solid {theme.BORDER}; }}")
        self.body.setObjectName("details-body")
        self.body_layout = QtWidgets.QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(18, 4, 8, 8)
        self.body.hide()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.button)
        layout.addWidget(self.body)
        self.button.toggled.connect(self._toggle)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # a tool button's words do not wrap by themselves: wrap them to the room there is
        room = max(80, self.width() - 48)  # the arrow and the margins
        chars = max(16, min(84, room // max(1, self.button.fontMetrics().averageCharWidth())))
        wrapped = textwrap.fill(self.summary, chars)
        while chars > 16 and max(self.button.fontMetrics().horizontalAdvance(line)
                                 for line in wrapped.splitlines()) > room:
            chars -= 4
            wrapped = textwrap.fill(self.summary, chars)
        if wrapped != self.button.text():
            self.button.setText(wrapped)

    def _toggle(self, open_: bool) -> None:
        self.button.setArrowType(Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow)
        self.body.setVisible(open_)
        self.toggled.emit(open_)

    def add(self, widget: QtWidgets.QWidget) -> None:
        self.body_layout.addWidget(widget)

    def is_open(self) -> bool:
        return self.button.isChecked()


class SuccessPanel(QtWidgets.QFrame):
    """GOV.UK's confirmation panel: a green box with the headline."""

    def __init__(self, title: str, body: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setStyleSheet(f"QFrame#success-panel {{ background: {theme.SUCCESS}; }}"
                           " QFrame#success-panel QLabel { color: #ffffff; }")
        self.setObjectName("success-panel")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        self.title = QtWidgets.QLabel(title)
        self.title.setProperty("role", "h1")
        self.title.setWordWrap(True)
        self.body = paragraph(body)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        self.setAccessibleName(f"{title}. {body}")

    def set_text(self, title: str, body: str) -> None:
        self.title.setText(title)
        self.body.setText(body)
        self.setAccessibleName(f"{title}. {body}")


# --- file choosers (tests replace these; dialogs cannot be driven offscreen) ---------------------


def ask_save_path(parent, title: str, suggested: Path, file_filter: str) -> Path | None:
    """Ask where to save; None when the person cancels."""
    path, _ = QtWidgets.QFileDialog.getSaveFileName(parent, title, str(suggested), file_filter)
    return Path(path) if path else None


def ask_open_paths(parent, title: str, start: Path, file_filter: str) -> list[Path]:
    paths, _ = QtWidgets.QFileDialog.getOpenFileNames(parent, title, str(start), file_filter)
    return [Path(p) for p in paths]


def ask_open_path(parent, title: str, start: Path, file_filter: str) -> Path | None:
    path, _ = QtWidgets.QFileDialog.getOpenFileName(parent, title, str(start), file_filter)
    return Path(path) if path else None


def safe_name(text: str) -> str:
    """``Tom Okafor`` as it can stand in a file name on any system."""
    import re

    return re.sub(r"[^\w.-]+", "-", text).strip("-.") or "member"


def default_folder() -> Path:
    docs = QtCore.QStandardPaths.writableLocation(QtCore.QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs else Path.home()

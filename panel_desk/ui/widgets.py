"""Small widgets in the GOV.UK manner: headings, status tags, summary lists, banners, error summary."""

from __future__ import annotations

from collections.abc import Iterable

from panel_desk.ui import theme
from panel_desk.ui.qt import Qt, QtCore, QtWidgets, Signal


def heading(text: str, level: int = 1) -> QtWidgets.QLabel:
    label = QtWidgets.QLabel(text)
    label.setProperty("role", f"h{level}")
    label.setWordWrap(True)
    label.setAccessibleName(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def paragraph(text: str, role: str = "", *, max_width: int | None = 760) -> QtWidgets.QLabel:
    """A wrapped, selectable label; reading panes keep lines to about 75 characters (760 px at 11 pt).

    Pass ``max_width=None`` inside containers that already bound the width (banners, summary lists),
    where a fixed cap would clip the wrapped text.
    """
    label = QtWidgets.QLabel(text)
    label.setWordWrap(True)
    if max_width is not None:
        label.setMaximumWidth(max_width)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if role:
        label.setProperty("role", role)
    return label


class StatusTag(QtWidgets.QLabel):
    """A status in words, with colour as an extra (never the only signal)."""

    def __init__(self, text: str = "", colour: str = "grey", parent=None) -> None:
        super().__init__(parent)
        self.set_status(text, colour)

    def set_status(self, text: str, colour: str = "grey") -> None:
        self.setText(text.upper() if len(text) < 30 else text)
        self.setAccessibleName(f"Status: {text}")
        self.setStyleSheet(theme.tag_style(colour))
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Maximum, QtWidgets.QSizePolicy.Policy.Fixed)


class SummaryList(QtWidgets.QWidget):
    """Key–value rows, as GOV.UK's summary list (the cover of an application)."""

    def __init__(self, rows: Iterable[tuple[str, str]] = (), parent=None) -> None:
        super().__init__(parent)
        self._grid = QtWidgets.QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(24)
        self._grid.setVerticalSpacing(10)
        self._grid.setColumnStretch(1, 1)
        self.set_rows(rows)

    def set_rows(self, rows: Iterable[tuple[str, str]]) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            if item.widget():
                item.widget().hide()  # until it is deleted, it would show under the new rows
                item.widget().deleteLater()
        for i, (key, value) in enumerate(rows):
            k = QtWidgets.QLabel(key)
            k.setProperty("role", "h3")
            k.setWordWrap(True)  # a long key wraps rather than squeezing the answer beside it
            k.setMaximumWidth(260)
            k.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            v = paragraph(value, max_width=None)
            v.setAccessibleName(f"{key}: {value}")
            self._grid.addWidget(k, i, 0)
            self._grid.addWidget(v, i, 1)

    def cell(self, row: int, column: int) -> QtWidgets.QLabel:
        """The label of a row's key (column 0) or value (column 1)."""
        return self._grid.itemAtPosition(row, column).widget()


class Banner(QtWidgets.QFrame):
    """A notification banner (e.g. the statutory clock when the 6-week minimum is not met)."""

    def __init__(self, title: str, text: str, kind: str = "warning", parent=None) -> None:
        super().__init__(parent)
        self.setProperty("role", kind)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        self.title = heading(title, 3)
        self.text = paragraph(text, max_width=None)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        self.setAccessibleName(f"{title}. {text}")


def typing_in(window: QtWidgets.QWidget | None) -> bool:
    """Whether the person is typing in a text field of ``window`` now (nothing may take focus)."""
    focus = QtWidgets.QApplication.focusWidget()
    editing = (QtWidgets.QLineEdit, QtWidgets.QPlainTextEdit, QtWidgets.QTextEdit, QtWidgets.QAbstractSpinBox)
    return isinstance(focus, editing) and (window is None or focus.window() is window)


class ErrorSummary(QtWidgets.QFrame):
    """'There is a problem': every error as a link that moves focus to its field.

    It takes focus when it appears (so a screen reader reads it), except while the person is typing
    in a field: an autosave that fails must not swallow the keys that follow. Its links follow it in
    the Tab order, and Enter or Space on a link moves to the field, on every page.
    """

    linkActivated = Signal(str)

    FOCUS_STYLE = (f"QFrame[role=\"error-summary\"]:focus {{ border: 4px solid #0b0c0c; }}"
                   f" QLabel:focus {{ background: {theme.FOCUS}; border-bottom: 3px solid #0b0c0c; }}")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setProperty("role", "error-summary")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setStyleSheet(self.FOCUS_STYLE)
        self._layout = QtWidgets.QVBoxLayout(self)
        self._layout.setContentsMargins(16, 12, 16, 12)
        self._layout.addWidget(heading("There is a problem", 2))
        self._links: list[QtWidgets.QLabel] = []
        self._targets: dict[str, QtWidgets.QWidget] = {}
        self.hide()

    def set_errors(self, errors: list[tuple[str, QtWidgets.QWidget | None]]) -> None:
        for link in self._links:
            link.deleteLater()
        self._links.clear()
        self._targets.clear()
        for i, (message, widget) in enumerate(errors):
            key = str(i)
            if widget is not None:
                self._targets[key] = widget
            label = QtWidgets.QLabel(f'<a href="{key}" style="color:{theme.ERROR}">{message}</a>')
            label.setProperty("role", "error")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByKeyboard
                                          | Qt.TextInteractionFlag.LinksAccessibleByMouse)
            label.setAccessibleName(message)
            label.linkActivated.connect(self._go)
            self._layout.addWidget(label)
            self._links.append(label)
        self.setVisible(bool(errors))
        self.setAccessibleName("There is a problem: " + "; ".join(m for m, _ in errors))
        previous = self
        for i, link in enumerate(self._links):
            QtWidgets.QWidget.setTabOrder(previous, link)
            previous = link
            link.setProperty("error_key", str(i))
            link.installEventFilter(self)
        if errors and not typing_in(self.window()):
            QtCore.QTimer.singleShot(0, self, self._take_focus)  # the context object: no call after deletion

    def _take_focus(self) -> None:
        if self.isVisible() and not typing_in(self.window()):
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, obj, event) -> bool:
        # A label given focus by Tab has no current link, so Enter did nothing: the whole line is the link.
        if (event.type() == QtCore.QEvent.Type.KeyPress and obj in self._links
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)):
            self._go(obj.property("error_key"))
            return True
        return super().eventFilter(obj, event)

    def _go(self, key: str) -> None:
        widget = self._targets.get(key)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
        self.linkActivated.emit(key)


def grow_to_fit(window: QtWidgets.QWidget) -> None:
    """Make a dialog at least as big as its content now needs (after an error summary appeared or a
    row was added), never past the screen; it never shrinks under the person's hands."""
    layout = window.layout()
    if layout is not None:
        layout.activate()
    width = max(window.width(), window.sizeHint().width())
    height = window.heightForWidth(width) if window.hasHeightForWidth() else -1
    height = max(window.height(), height, window.sizeHint().height() if height < 0 else 0)
    screen = window.screen()
    if screen is not None:
        room = screen.availableGeometry()
        width, height = min(width, room.width()), min(height, room.height())
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)


def scrolling(widget: QtWidgets.QWidget) -> QtWidgets.QScrollArea:
    """Wrap a page in a scroll area so it stays usable at 200% scale."""
    area = QtWidgets.QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


class FlowLayout(QtWidgets.QLayout):
    """Items left to right, wrapping onto the next row when the width runs out (a toolbar that
    never makes the window wider than its widest control)."""

    def __init__(self, parent=None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QtWidgets.QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self):
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QtCore.QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect) -> None:
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self):
        width = sum(i.sizeHint().width() for i in self._visible()) + self._spacing * max(0, len(self._visible()) - 1)
        height = max((i.sizeHint().height() for i in self._visible()), default=0)
        m = self.contentsMargins()
        return QtCore.QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self):
        size = QtCore.QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QtCore.QSize(m.left() + m.right(), m.top() + m.bottom())

    def _visible(self) -> list:
        return [i for i in self._items if i.widget() is None or not i.widget().isHidden()]

    def _place(self, rect, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, row_height = area.x(), area.y(), 0
        for item in self._visible():
            hint = item.sizeHint()
            w = min(hint.width(), max(area.width(), item.minimumSize().width()))
            if x > area.x() and x + w > area.right() + 1:
                x, y = area.x(), y + row_height + self._spacing
                row_height = 0
            if move:
                item.setGeometry(QtCore.QRect(QtCore.QPoint(x, y), QtCore.QSize(w, hint.height())))
            x += w + self._spacing
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y() + m.bottom()

"""Pieces the secretariat's screens share: page frame, confirmation panel, clock, tables, file choosers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from panel_desk.core import rules
from panel_desk.ui import theme
from panel_desk.ui.qt import Qt, QtCore, QtGui, QtWidgets
from panel_desk.ui.secretariat import _words as w
from panel_desk.ui.widgets import Banner, SummaryList, heading, paragraph, scrolling


class _Body(QtWidgets.QWidget):
    """A page's content: asks for the height its wrapped text needs at the width it is given.

    QScrollArea sizes its widget from sizeHint, which ignores word wrap, so wrapped labels in
    summary lists were cut off, above all at 200% scale.
    """

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def event(self, event) -> bool:
        handled = super().event(event)
        if event.type() == QtCore.QEvent.Type.LayoutRequest:
            self._fit()
        return handled

    def _fit(self) -> None:
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth():
            needed = layout.totalHeightForWidth(self.width())
            if needed != self.minimumHeight():
                self.setMinimumHeight(needed)


class Page(QtWidgets.QWidget):
    """A scrolling page with generous margins; ``body`` is its vertical layout."""

    def __init__(self, title: str, intro: str = "") -> None:
        super().__init__()
        inner = _Body()
        self.body = QtWidgets.QVBoxLayout(inner)
        self.body.setContentsMargins(32, 24, 32, 24)
        self.body.setSpacing(14)
        self.title = heading(title, 2)
        self.body.addWidget(self.title)
        if intro:
            self.body.addWidget(paragraph(intro))
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll = scrolling(inner)
        outer.addWidget(self.scroll)

    def finish(self) -> None:
        self.body.addStretch(1)


def button(text: str, name: str | None = None, role: str = "") -> QtWidgets.QPushButton:
    b = QtWidgets.QPushButton(text)
    b.setAccessibleName(name or text.rstrip("…"))
    if role:
        b.setProperty("role", role)
    b.setAutoDefault(False)
    return b


def row(*widgets: QtWidgets.QWidget) -> QtWidgets.QHBoxLayout:
    layout = QtWidgets.QHBoxLayout()
    layout.setSpacing(12)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    return layout


class ConfirmationPanel(QtWidgets.QFrame):
    """GOV.UK's confirmation: what was done, the file, where it was saved, to whom, what next."""

    def __init__(self) -> None:
        super().__init__()
        self.setProperty("role", "success")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        self.title = heading("", 2)
        self.details = SummaryList()
        self.next = paragraph("")
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        self.next_heading = heading("What happens next", 3)
        layout.addWidget(self.next_heading)
        layout.addWidget(self.next)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.hide()

    def show_result(self, title: str, rows: Sequence[tuple[str, str]], next_steps: str) -> None:
        self.title.setText(title)
        # Let long folder names wrap at their slashes rather than widen the page (200% scale).
        self.details.set_rows([(k, v.replace("/", "/\u200b").replace("\\", "\\\u200b")) for k, v in rows])
        self.next.setText(next_steps)
        self.setAccessibleName(f"{title}. " + ". ".join(f"{k}: {v}" for k, v in rows) + f". {next_steps}")
        self.show()
        self.setFocus(Qt.FocusReason.OtherFocusReason)


def file_rows(path: Path, addressed: Sequence[str] | None = None, in_exchange: bool = False) -> list[tuple[str, str]]:
    path = Path(path)
    where = f"The exchange folder, {path.parent}" if in_exchange else str(path.parent)
    rows = [("File name", path.name), ("Where it was saved", where)]
    if addressed is not None:
        rows.append(("Addressed to", ", ".join(addressed) if addressed else "No one"))
    return rows


class ClockStrip(QtWidgets.QFrame):
    """The statutory clock of the chosen application, shown above every tab."""

    def __init__(self) -> None:
        super().__init__()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(32, 12, 32, 4)
        layout.setSpacing(8)
        self.title = heading(w.CHOOSE_APPLICATION, 1)
        self.title.setObjectName("application-title")
        layout.addWidget(self.title)
        self.subtitle = paragraph("", "caption")
        self.subtitle.setMaximumWidth(16777215)
        self.subtitle.hide()
        layout.addWidget(self.subtitle)
        self.facts = QtWidgets.QHBoxLayout()
        self.facts.setSpacing(32)
        self._labels: dict[str, QtWidgets.QLabel] = {}
        for key in (w.CLOCK_ASKED, w.CLOCK_DUE, w.CLOCK_EARLIEST):
            box = QtWidgets.QVBoxLayout()
            box.setSpacing(2)
            k = QtWidgets.QLabel(key)
            k.setProperty("role", "caption")
            v = QtWidgets.QLabel("—")
            v.setProperty("role", "h3")
            v.setWordWrap(True)  # so the three facts fit side by side at 200% scale
            k.setWordWrap(True)
            v.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.addWidget(k)
            box.addWidget(v)
            box.addStretch(1)  # the three facts line up at the top
            self._labels[key] = v
            self.facts.addLayout(box, 1)  # equal shares: the facts wrap only when the window is narrow
        self.facts_holder = QtWidgets.QWidget()
        self.facts_holder.setLayout(self.facts)
        self.facts.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.facts_holder)
        # in a short window (200% scale on a laptop) the three facts fold into one wrapped line
        self.facts_line = paragraph("", max_width=None)
        self.facts_line.setObjectName("clock-facts-line")
        self.facts_line.hide()
        layout.addWidget(self.facts_line)
        self.compact = False
        self.why = paragraph("", "caption", max_width=None)  # why "Advice due" can be after "Earliest date"
        self.why.setObjectName("clock-why")
        self.why.hide()
        layout.addWidget(self.why)
        self.banner = Banner(w.CLOCK_SHORT_TITLE, "")
        self.banner.text.setMaximumWidth(16777215)  # a capped width breaks the banner's wrapped height
        self.banner.setObjectName("clock-banner")
        layout.addWidget(self.banner)
        self.banner.hide()

    def show_clock(self, title: str, clock, subtitle: str = "") -> None:
        self.title.setText(title)
        self.title.setAccessibleName(title)
        self.subtitle.setText(subtitle)
        self.subtitle.setVisible(bool(subtitle) and not self.compact)
        values = {
            w.CLOCK_ASKED: rules.format_date(clock.asked),
            w.CLOCK_DUE: f"{rules.format_date(clock.due)}\n{clock.days_left}",
            w.CLOCK_EARLIEST: rules.format_date(clock.earliest),
        }
        for key, value in values.items():
            self._labels[key].setText(value)
            self._labels[key].setAccessibleName(f"{key}: {value}")
        self.facts_line.setText(" · ".join(f"{key}: {value.replace(chr(10), ', ')}" for key, value in values.items()))
        self._shown = True
        self._apply_compact()
        due, earliest = getattr(clock, "due", None), getattr(clock, "earliest", None)
        later = due is not None and earliest is not None and due > earliest
        self.why.setText(w.CLOCK_WHY if later else "")
        self.why.setVisible(later)
        if clock.short_message:
            self.banner.text.setText(clock.short_message)
            self.banner.setAccessibleName(f"{w.CLOCK_SHORT_TITLE}. {clock.short_message}")
            self.banner.show()
        else:
            self.banner.hide()

    def set_compact(self, compact: bool) -> None:
        """One line of facts and no subtitle (a short window), or the full strip."""
        if compact != self.compact:
            self.compact = compact
            self._apply_compact()

    def _apply_compact(self) -> None:
        shown = getattr(self, "_shown", False)
        self.facts_holder.setVisible(not (self.compact and shown))
        self.facts_line.setVisible(self.compact and shown)
        if self.compact:
            self.subtitle.hide()
        else:
            self.subtitle.setVisible(bool(self.subtitle.text()))
        role = "h2" if self.compact else "h1"
        if self.title.property("role") != role:
            self.title.setProperty("role", role)
            self.title.style().unpolish(self.title)
            self.title.style().polish(self.title)

    def clear(self) -> None:
        self._shown = False
        self._apply_compact()
        self.title.setText(w.CHOOSE_APPLICATION)
        self.subtitle.hide()
        for label in self._labels.values():
            label.setText("—")
        self.why.hide()
        self.banner.hide()

    def value(self, key: str) -> str:
        return self._labels[key].text()


def table(headers: Sequence[str], name: str, stretch: Sequence[int] = (-1,)) -> QtWidgets.QTableWidget:
    """A read-only table whose ``stretch`` columns share the width and wrap; the others fit their text."""
    t = QtWidgets.QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(list(headers))
    t.setAccessibleName(name)
    t.verticalHeader().hide()
    t.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
    t.setWordWrap(True)
    t.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
    header = t.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
    wide = {c % len(headers) for c in stretch}
    for c in range(len(headers)):
        mode = QtWidgets.QHeaderView.ResizeMode
        header.setSectionResizeMode(c, mode.Stretch if c in wide else mode.ResizeToContents)
    header.setMinimumSectionSize(140)  # wrapped text columns stay readable when the window is narrow
    header.sectionResized.connect(lambda *_: (t.resizeRowsToContents(), fit_height(t)))
    return t


def fill(t: QtWidgets.QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    t.setRowCount(0)
    for values in rows:
        r = t.rowCount()
        t.insertRow(r)
        for c, value in enumerate(values):
            item = QtWidgets.QTableWidgetItem(str(value))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            item.setToolTip(str(value))
            t.setItem(r, c, item)
    t.resizeRowsToContents()
    fit_height(t)


def fit_height(t: QtWidgets.QTableWidget) -> None:
    """Show every row: the page scrolls, not the table (one scroll bar is easier to use)."""
    t.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    height = t.horizontalHeader().sizeHint().height() + 2 * t.frameWidth() + 4
    height += sum(t.rowHeight(r) for r in range(t.rowCount()))
    if t.horizontalHeader().length() > t.viewport().width() > 0:  # too narrow: it scrolls sideways
        height += t.horizontalScrollBar().sizeHint().height()
    t.setFixedHeight(height)


def fit_dialog(dialog: QtWidgets.QDialog) -> None:
    """Grow a dialog to the height its wrapped text needs (after an error summary appears)."""
    layout = dialog.layout()
    if layout is not None and layout.hasHeightForWidth():
        needed = layout.totalHeightForWidth(dialog.width())
        if needed > dialog.height():
            dialog.resize(dialog.width(), needed)


def tag_item(t: QtWidgets.QTableWidget, r: int, c: int, words: str, colour: str) -> None:
    """A status in a table cell: words first, colour as an extra."""
    item = t.item(r, c)
    if item is None:
        item = QtWidgets.QTableWidgetItem(words)
        t.setItem(r, c, item)
    fg, bg = theme.TAG_COLOURS.get(colour, theme.TAG_COLOURS["grey"])
    item.setForeground(QtGui.QColor(fg))
    item.setBackground(QtGui.QColor(bg))
    font = item.font()
    font.setBold(True)
    item.setFont(font)


class FileChooser:
    """File dialogs, replaceable in tests (the view holds one; tests give it answers).

    Each dialog starts in the last folder used (kept in the profile once ``ws`` is set), else in
    Documents; never in the program's folder.
    """

    def __init__(self, parent: QtWidgets.QWidget, ws=None) -> None:
        self.parent = parent
        self.ws = ws

    def _start(self) -> str:
        from panel_desk.ui.exchange import start_folder

        return str(start_folder(self.ws))

    def _used(self, path: Path | None) -> Path | None:
        from panel_desk.ui.exchange import remember_folder

        remember_folder(self.ws, path)
        return path

    def open_file(self, title: str, filter: str) -> Path | None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self.parent, title, self._start(), filter)
        return self._used(Path(path)) if path else None

    def open_files(self, title: str, filter: str) -> list[Path]:
        paths, _ = QtWidgets.QFileDialog.getOpenFileNames(self.parent, title, self._start(), filter)
        if paths:
            self._used(Path(paths[0]))
        return [Path(p) for p in paths]

    def folder(self, title: str) -> Path | None:
        path = QtWidgets.QFileDialog.getExistingDirectory(self.parent, title, self._start())
        return self._used(Path(path)) if path else None

    def save_file(self, title: str, suggested: str, filter: str) -> Path | None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self.parent, title, str(Path(self._start()) / suggested),
                                                        filter)
        return self._used(Path(path)) if path else None


def send_path(files, ws, kind: str, app_id: str, title: str, suggested: str, filter: str) -> tuple[Path | None, bool]:
    """Where a file the secretariat sends goes: ``(path, in_exchange_folder)``.

    Straight into the exchange folder when there is one (no dialog); else where the person
    chooses. ``(None, False)`` when they cancel.
    """
    from panel_desk.core import exchange
    from panel_desk.core.errors import PanelDeskError

    try:
        if ws is not None and exchange.folder_of(ws) is not None:
            return exchange.outgoing_path(ws, kind, app_id), True
    except PanelDeskError:
        pass  # the folder went away (a USB stick taken out): ask instead
    return files.save_file(title, suggested, filter), False


def next_words(words: str, in_exchange: bool) -> str:
    """What happens next after saving a file for others: the exchange folder does the sending."""
    if in_exchange:
        return ("Saved to the exchange folder: everyone named above who uses the same folder receives it "
                "by itself; send it to anyone who does not. " + words.split(". ", 1)[-1])
    return words

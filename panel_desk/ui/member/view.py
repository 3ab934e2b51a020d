"""The member's window: the applications list, and the Overview, Documents and Assessment tabs."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from panel_desk.core.display import shown
from panel_desk.core.errors import PanelDeskError
from panel_desk.ui import tasks
from panel_desk.ui import text as shell_text
from panel_desk.ui.member import _parts
from panel_desk.ui.member import text as words
from panel_desk.ui.member._desk import AppRow, MemberDesk
from panel_desk.ui.member.assessment import AssessmentPage
from panel_desk.ui.member.documents import DocumentsPage
from panel_desk.ui.member.overview import OverviewPage
from panel_desk.ui.qt import Qt, QtCore, QtWidgets, Signal
from panel_desk.ui.widgets import Banner, StatusTag

OVERVIEW, DOCUMENTS, ASSESSMENT = 0, 1, 2

_log = logging.getLogger(__name__)


def throttled(progress, every: float = 0.05):
    """``progress`` called at most every ``every`` seconds (and always at the end).

    A 100 MB import reports each 64 KiB chunk; a signal per chunk would flood the GUI thread.
    """
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= every or done >= total:
            last[0] = now
            progress(done, total)

    return report


class ApplicationItem(QtWidgets.QWidget):
    """One application in the list: authority, title, status tag, days left."""

    def __init__(self, row: AppRow, parent=None) -> None:
        super().__init__(parent)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(3)
        authority = QtWidgets.QLabel(row.authority)
        authority.setProperty("role", "h3")
        authority.setWordWrap(True)
        title = QtWidgets.QLabel(row.title)
        title.setWordWrap(True)
        self.tag = StatusTag(row.status, row.colour)
        self.tag.setWordWrap(True)  # "Draft advice to sign off" is wider than the list at 200%
        days = QtWidgets.QLabel(row.days_left)
        days.setProperty("role", "caption")
        short = row.provisions if len(row.provisions) <= 90 else row.provisions[:88].rsplit(" ", 1)[0] + "…"
        provisions = QtWidgets.QLabel(short)
        provisions.setProperty("role", "caption")
        provisions.setWordWrap(True)
        for w in (authority, title, self.tag, days, provisions):
            w.setTextFormat(Qt.TextFormat.PlainText)  # a signed title is shown, never read as markup
            w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(w)

    def fit(self, width: int) -> int:
        """Lay out for ``width`` pixels; return the height needed. The status tag wraps only when
        its words do not fit on one line (at 200% scale, or in a narrow list)."""
        margins = self.layout().contentsMargins()
        room = width - margins.left() - margins.right()
        self.tag.setWordWrap(self.tag.fontMetrics().horizontalAdvance(self.tag.text()) + 24 > room)
        self.setFixedWidth(width)
        return self.layout().totalHeightForWidth(width)


class MemberView(QtCore.QObject):
    """Fills the shell's list and tabs for a panel member, and opens application files."""

    imported = Signal(object)  # the core's ImportResult

    def __init__(self, desk: MemberDesk, window) -> None:
        super().__init__(window)
        self.desk = desk
        self.window = window
        self.app_id = ""
        self.overview = OverviewPage(desk)
        self.documents = DocumentsPage(desk)
        self.assessment = AssessmentPage(desk)
        window.set_tab(OVERVIEW, self.overview)
        window.set_tab(DOCUMENTS, self.documents)
        window.set_tab(ASSESSMENT, self.assessment)
        window.tabs.setCurrentIndex(OVERVIEW)
        self.notice = Banner("", "", "banner")
        self.notice.setObjectName("import-notice")
        self.notice.hide()
        window.left_layout.insertWidget(1, self.notice)
        self.overview.declared.connect(self._declared)
        self.assessment.declareRequested.connect(self._declare_from_tasks)
        self.assessment.documentsRequested.connect(lambda: window.tabs.setCurrentIndex(DOCUMENTS))
        self.assessment.featureRequested.connect(self._show_feature)
        self.assessment.statusChanged.connect(self.refresh_list)
        self.documents.annotationsChanged.connect(self._annotations_changed)
        self.documents.documentOpened.connect(lambda _p: self.assessment.opened.add(self.app_id))
        window.applications.currentRowChanged.connect(self._chosen)
        window.tabs.currentChanged.connect(self._tab_changed)
        window.applications.setMinimumWidth(220)
        window.applications.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        window.applications.viewport().installEventFilter(self)
        window.applications.setStyleSheet(
            "QListWidget::item { border-bottom: 1px solid #b1b4b6; }"
            " QListWidget::item:selected { background: #f3f2f1; border-left: 5px solid #1d70b8; color: #0b0c0c; }")
        window.open_requested.connect(self.choose_files)
        window.files_dropped.connect(lambda paths: self.open_files([Path(p) for p in paths]))
        self._task: tasks.Task | None = None
        self._queue: list[Path] = []
        self._report: list[tuple[str, str, bool]] = []  # (file, what happened, refused)
        self.refresh_list()
        if window.applications.count():
            window.applications.setCurrentRow(0)

    # -- the list -------------------------------------------------------------------------------

    def refresh_list(self) -> None:
        lst = self.window.applications
        current = self.app_id
        lst.blockSignals(True)
        lst.clear()
        for row in self.desk.rows():
            item = QtWidgets.QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, row.accessible)
            item.setToolTip(row.accessible)
            widget = ApplicationItem(row)
            lst.addItem(item)
            lst.setItemWidget(item, widget)
            if row.id == current:
                lst.setCurrentItem(item)
        self._fit_items()
        lst.blockSignals(False)

    def _fit_items(self) -> None:
        """Size every row to the list's width (again whenever the list is resized)."""
        lst = self.window.applications
        width = max(160, lst.viewport().width() - 2)
        for i in range(lst.count()):
            item = lst.item(i)
            widget = lst.itemWidget(item)
            if isinstance(widget, ApplicationItem):
                item.setSizeHint(QtCore.QSize(width, widget.fit(width)))

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QtCore.QEvent.Type.Resize and obj is self.window.applications.viewport():
            self._fit_items()
        return False

    def _chosen(self, row: int) -> None:
        if row < 0:
            return
        self.notice.hide()  # the note about the last file opened has been read by now
        self.select(self.window.applications.item(row).data(Qt.ItemDataRole.UserRole))

    def select(self, app_id: str) -> None:
        """Show ``app_id`` in the tabs (cover only until the member has declared)."""
        self.assessment.flush()
        self.app_id = app_id
        for i in range(self.window.applications.count()):
            item = self.window.applications.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == app_id and self.window.applications.currentItem() is not item:
                self.window.applications.blockSignals(True)
                self.window.applications.setCurrentItem(item)
                self.window.applications.blockSignals(False)
        self.overview.set_application(app_id)
        self.assessment.set_application(app_id)
        self._gate()
        self.window.show_application_tabs(True)

    def _gate(self) -> None:
        declared = self.desk.declaration(self.app_id) is not None
        tabs = self.window.tabs
        tabs.setTabEnabled(DOCUMENTS, declared)
        tabs.setTabToolTip(DOCUMENTS, "" if declared else words.COVER_HIDDEN)
        if declared:
            self.documents.set_application(self.app_id)
        else:
            self.documents.app_id = ""
            self.documents.viewer.clear()
            if tabs.currentIndex() == DOCUMENTS:
                tabs.setCurrentIndex(OVERVIEW)

    def _tab_changed(self, index: int) -> None:
        if index == ASSESSMENT and self.app_id and self.assessment.currentIndex() == 0:
            self.assessment.refresh()

    def _declared(self) -> None:
        self._gate()
        self.assessment.set_application(self.app_id)
        self.refresh_list()

    def _declare_from_tasks(self) -> None:
        self.window.tabs.setCurrentIndex(OVERVIEW)
        self.overview.declare()

    def _show_feature(self, feature) -> None:
        self.window.tabs.setCurrentIndex(DOCUMENTS)
        self.documents.show_feature(feature)

    def _annotations_changed(self) -> None:
        step = self.assessment.currentWidget()
        if step in self.assessment.steps.values():
            step.flush()

    # -- opening files --------------------------------------------------------------------------

    def choose_files(self) -> None:
        paths = _parts.ask_open_paths(self.window, "Open application", _parts.default_folder(),
                                      shell_text.OPEN_BUNDLE_FILTER)
        if paths:
            self.open_files(paths)

    def open_files(self, paths: list[Path]) -> None:
        """Import each file in turn, in the background, with progress and Cancel.

        Each file gets a line in the notice (what happened, or why it was refused); a refusal
        never stops the files after it.
        """
        if self._task is None and not self._queue:
            self._report = []  # a new batch: a new report
        self._queue.extend(paths)
        if self._task is None:
            self._next()

    def _next(self) -> None:
        if not self._queue:
            return
        path = self._queue.pop(0)

        def work(progress, cancelled):
            return self.desk.import_bundle(path, throttled(progress), cancelled)

        self._task = tasks.run_with_progress(self.window, words.IMPORTING, work,
                                             on_done=lambda r: self._imported(path, r),
                                             on_error=lambda e: self._failed(path, e))
        self._task.signals.failed.connect(lambda _e: self._cancelled_maybe())

    def _cancelled_maybe(self) -> None:
        if self._task is not None and self._task.cancelled():
            self._task = None
            self._queue.clear()

    def _report_line(self, path: Path, message: str, refused: bool) -> None:
        """Add a file's line to the notice, which lists every file of the batch so far."""
        self._report.append((shown(path.name), shown(message), refused))
        several = len(self._report) > 1
        lines = [f"{name}: {text}" if several or bad else text for name, text, bad in self._report]
        any_refused = any(bad for _n, _t, bad in self._report)
        self._show_notice(words.PROBLEM_OPENING if any_refused else "", "\n".join(lines),
                          "warning" if any_refused else "success")

    def _imported(self, path: Path, result) -> None:
        if getattr(result, "refused", False):
            self._task = None
            self._report_line(path, result.message, True)
            self.imported.emit(result)
            self._next()
            return
        self._report_line(path, result.message, False)
        self.refresh_list()
        # The rest on the next turn of the event loop: each step stays short, so the window keeps
        # painting (the first showing of the tabs alone can take a few tens of milliseconds).
        QtCore.QTimer.singleShot(0, lambda: self._show_imported(result))

    def _show_imported(self, result) -> None:
        self._task = None
        app_id = getattr(result, "application_id", "")
        if app_id:
            self.select(app_id)
            if str(getattr(result, "kind", "")) == "draft-advice":
                self.window.tabs.setCurrentIndex(ASSESSMENT)
                self.assessment.show_draft()
        self.imported.emit(result)
        self._next()

    def _failed(self, path: Path, exc: BaseException) -> None:
        """A file that could not be imported: say so on its line and go on with the next."""
        self._task = None
        if not isinstance(exc, PanelDeskError):  # a fault of ours: logged, reported, not fatal
            _log.error("importing a file failed unexpectedly", exc_info=(type(exc), exc, exc.__traceback__))
            exc = PanelDeskError(words.IMPORT_FAULT)
        self._report_line(path, str(exc), True)
        self._next()

    def _show_notice(self, title: str, body: str, kind: str) -> None:
        self.notice.text.setTextFormat(Qt.TextFormat.PlainText)  # a signed title is not markup
        self.notice.title.setText(title)
        self.notice.title.setVisible(bool(title))
        self.notice.text.setText(body)
        self.notice.setProperty("role", kind)
        self.notice.style().unpolish(self.notice)
        self.notice.style().polish(self.notice)
        self.notice.setAccessibleName(f"{title}. {body}" if title else body)
        self.notice.show()

    # -- state for lock and unlock ---------------------------------------------------------------

    def place(self) -> dict:
        return {"app": self.app_id, "tab": self.window.tabs.currentIndex(),
                "step": self.assessment.currentIndex()}

    def restore(self, place: dict) -> None:
        """Back to where :meth:`place` was taken (after unlocking)."""
        if place.get("app"):
            self.select(place["app"])
            self.window.tabs.setCurrentIndex(place["tab"])
            self.assessment.setCurrentIndex(place["step"])

    def flush(self) -> None:
        self.assessment.flush()


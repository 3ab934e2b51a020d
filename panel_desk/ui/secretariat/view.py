"""The secretariat's central area: applications on the left, the clock on top, one tab per task."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from panel_desk.core.errors import PanelDeskError
from panel_desk.ui.exchange import ExchangeWatcher
from panel_desk.ui.qt import Qt, QtGui, QtWidgets, Signal
from panel_desk.ui.secretariat import _words as w
from panel_desk.ui.secretariat._desk import Desk
from panel_desk.ui.secretariat._parts import ClockStrip, FileChooser, button
from panel_desk.ui.secretariat.applications import ApplicationPage, split_sentences
from panel_desk.ui.secretariat.conflicts import ConflictsPage
from panel_desk.ui.secretariat.consolidation import ConsolidationPage
from panel_desk.ui.secretariat.drafting import DraftingPage
from panel_desk.ui.secretariat.imports import ImportsPage
from panel_desk.ui.secretariat.publish import PublishPage
from panel_desk.ui.secretariat.roster import RosterPage
from panel_desk.ui.tasks import run_with_progress
from panel_desk.ui.widgets import ErrorSummary, heading, paragraph

LIST_SETTING = "layout.applications"  # whether the applications list is shown (View menu)


class SecretariatView(QtWidgets.QWidget):
    """What the secretariat sees: ``SecretariatView(workspace, window)``.

    ``window`` is the MainWindow: the view adds File › Import… to its menu, reports in its status
    bar and imports files dropped on it.
    """

    application_changed = Signal(str)

    def __init__(self, workspace, window: QtWidgets.QMainWindow | None = None, *, desk: Desk | None = None,
                 files: FileChooser | None = None) -> None:
        super().__init__()
        self.desk = desk or Desk(workspace)
        self.window_ = window
        self.files = files or FileChooser(self, self.desk.ws)
        self.app_id: str | None = None
        self.task = None

        # -- left: applications --
        left = self.list_panel = QtWidgets.QWidget()  # the window's View › Applications list folds it
        left.setMinimumWidth(220)
        left_layout = QtWidgets.QVBoxLayout(left)
        left_layout.setContentsMargins(16, 16, 8, 16)
        left_layout.setSpacing(10)
        apps_heading = heading(w.APPLICATIONS, 2)
        left_layout.addWidget(apps_heading)
        self.app_errors = ErrorSummary()
        self.app_errors.setObjectName("import-folder-errors")
        left_layout.addWidget(self.app_errors)
        self.applications = QtWidgets.QListWidget()
        self.applications.setAccessibleName(w.APPLICATIONS)
        self.applications.setAccessibleDescription("Choose an application to work on it.")
        self.applications.setWordWrap(True)
        self.applications.setSpacing(4)
        apps_heading.setBuddy(self.applications)
        self.applications.currentItemChanged.connect(self._chosen)
        self.empty = paragraph(w.NO_APPLICATIONS, "hint")
        left_layout.addWidget(self.empty)
        left_layout.addWidget(self.applications, 1)
        self.import_folder_button = button(w.IMPORT_FOLDER_BUTTON, "Import an application folder", "primary")
        self.import_folder_button.setToolTip(w.IMPORT_FOLDER.rstrip("…"))
        self.import_folder_button.clicked.connect(self.choose_folder)
        left_layout.addWidget(self.import_folder_button)

        # -- right: clock and tabs --
        self.clock = ClockStrip()
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Secretariat tasks")
        # every tab stays in view (no scroll arrows hiding Publish); the words are short enough
        self.tabs.tabBar().setUsesScrollButtons(False)
        self.tabs.tabBar().setExpanding(False)
        self.roster = RosterPage(self.desk, self.files)
        self.application = ApplicationPage(self.desk, self.files)
        self.imports = ImportsPage(self.desk, self.files)
        self.conflicts = ConflictsPage(self.desk)
        self.consolidation = ConsolidationPage(self.desk, self.files)
        self.drafting = DraftingPage(self.desk, self.files)
        self.publish = PublishPage(self.desk, self.files)
        for page, label in ((self.application, w.TAB_APPLICATION), (self.roster, w.TAB_ROSTER),
                            (self.imports, w.TAB_IMPORTS), (self.conflicts, w.TAB_CONFLICTS),
                            (self.consolidation, w.TAB_CONSOLIDATION), (self.drafting, w.TAB_DRAFTING),
                            (self.publish, w.TAB_PUBLISH)):
            self.tabs.addTab(page, label)
            page.setAccessibleName(label)
        self.tabs.currentChanged.connect(self._tab_shown)
        right = QtWidgets.QWidget()
        right_layout = QtWidgets.QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(4)
        right_layout.addWidget(self.clock)
        right_layout.addWidget(self.tabs, 1)

        splitter = QtWidgets.QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([310, 970])
        splitter.setChildrenCollapsible(False)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        for page in (self.roster, self.application, self.conflicts, self.drafting):
            page.changed.connect(self.refresh)
        self.imports.imported.connect(lambda _rows: self.refresh())
        self._hook_window(window)
        self.refresh()
        self._remember_list(window)
        self.exchange = ExchangeWatcher(self.desk.ws, self)
        self.exchange.synced.connect(self.show_synced)
        self.exchange.sync_soon()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # a short window (200% scale on a 1080-pixel screen) leaves the tabs the room
        self.clock.set_compact(self.height() < 620)

    def _remember_list(self, window) -> None:
        """Fold the applications list as this person last left it, and remember each change."""
        action = getattr(window, "list_action", None)
        if action is None:
            return
        try:
            visible = self.desk.ws.get_setting(LIST_SETTING, True) is not False
        except PanelDeskError:
            visible = True
        self.list_panel.setVisible(visible)
        action.blockSignals(True)
        action.setChecked(visible)
        action.blockSignals(False)
        action.toggled.connect(self._list_toggled)

    def _list_toggled(self, visible: bool) -> None:
        self.list_panel.setVisible(visible)
        with contextlib.suppress(PanelDeskError):
            self.desk.ws.set_setting(LIST_SETTING, visible)

    def show_synced(self, lines: list) -> None:
        """What the exchange folder brought: in the import report; a word in the status bar if new."""
        self.imports.show_report(self.desk.sync_rows(lines))
        imported = sum(1 for line in lines if line.outcome == "imported")
        if imported:
            self.say(w.FROM_EXCHANGE.format(n=imported))

    # -- the main window -------------------------------------------------------------------------

    def _hook_window(self, window) -> None:
        if window is None:
            return
        menu = window.file_menu
        for action in menu.actions():  # a view made again after unlocking replaces the earlier one's action
            if action.objectName() == "secretariat-import":
                menu.removeAction(action)
        self.import_action = QtGui.QAction(w.IMPORT_MENU, self)
        self.import_action.setObjectName("secretariat-import")
        self.import_action.setShortcut(QtGui.QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.import_files_from_menu)
        first = menu.actions()[0] if menu.actions() else None
        menu.insertAction(first, self.import_action) if first else menu.addAction(self.import_action)
        window.files_dropped.connect(self.import_files)

    def say(self, message: str) -> None:
        if self.window_ is not None:
            self.window_.statusBar().showMessage(message, 10000)

    def import_files_from_menu(self) -> None:
        self.tabs.setCurrentWidget(self.imports)
        self.imports.choose_files()

    def flush(self) -> None:
        """Save what is being typed now (the window calls this before it locks)."""
        self.drafting.flush()

    def open_files(self, paths: list) -> None:
        """Files given on the command line or before unlocking: imported as if dropped."""
        self.import_files(paths)

    def import_files(self, paths: list) -> None:
        """Files dropped on the window, or chosen: folders are applications, files are imports."""
        folders = [Path(p) for p in paths if Path(p).is_dir()]
        files = [Path(p) for p in paths if not Path(p).is_dir()]
        for folder in folders:
            self.import_folder(folder)
        if files:
            self.tabs.setCurrentWidget(self.imports)
            self.imports.import_files(files)

    # -- applications ----------------------------------------------------------------------------

    def refresh(self) -> None:
        current = self.app_id
        apps = self.desk.applications()
        self.applications.blockSignals(True)
        self.applications.clear()
        for app in apps:
            status = self.desk.status(app.id)
            item = QtWidgets.QListWidgetItem(f"{app.authority}\n{app.title[:60]}{'…' if len(app.title) > 60 else ''}\n"
                                             f"Revision {app.revision} · {status}")
            item.setData(Qt.ItemDataRole.UserRole, app.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{app.authority}, {app.title}. {status}.")
            self.applications.addItem(item)
            if app.id == current:
                self.applications.setCurrentItem(item)
        self.applications.blockSignals(False)
        self.empty.setVisible(not apps)
        self.applications.setVisible(bool(apps))
        if current is None and apps:
            self.applications.setCurrentRow(0)
        else:
            self.select(current)

    def _chosen(self, item, _previous=None) -> None:
        self.select(item.data(Qt.ItemDataRole.UserRole) if item is not None else None)

    def select(self, app_id: str | None) -> None:
        """Show ``app_id`` everywhere: clock, cover, register, answers, draft."""
        self.app_id = app_id
        app = self.desk.application(app_id) if app_id else None
        if app is None:
            self.clock.clear()
        else:
            self.clock.show_clock(app.authority, self.desk.clock(app), f"{app.title} · revision {app.revision}")
        self.application.set_application(app)
        self.roster.set_application(app_id)
        self.conflicts.set_application(app_id)
        self.drafting.set_application(app_id)
        self.publish.set_application(app_id)
        if self.tabs.currentWidget() is self.consolidation:
            self.consolidation.set_application(app_id)
        else:
            self.consolidation.app_id = app_id
        if app_id:
            self.application_changed.emit(app_id)

    def _tab_shown(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.consolidation:
            self.consolidation.set_application(self.app_id)
        elif self.tabs.currentWidget() is self.drafting:
            self.drafting.refresh_signoffs()

    def choose_folder(self) -> None:
        folder = self.files.folder(w.IMPORT_FOLDER.rstrip("…"))
        if folder is not None:
            self.import_folder(folder)

    def import_folder(self, folder: Path) -> None:
        desk = self.desk

        def work(_progress, _cancelled):  # on a pool thread: no widgets here
            return desk.new_application(folder)

        def done(app) -> None:
            self.app_errors.set_errors([])
            self.app_id = app.id
            self.refresh()
            self.tabs.setCurrentWidget(self.application)
            self.say(f"{w.IMPORTED_APP}: {app.authority}")

        def failed(exc) -> None:
            if not isinstance(exc, PanelDeskError):
                raise exc
            # Name files inside the folder by their own names: the folder is the one just chosen.
            message = str(exc).replace(f"{folder}{os.sep}", "")
            self.app_errors.set_errors([(m, self.import_folder_button) for m in split_sentences(message)])

        self.task = run_with_progress(self, w.IMPORT_FOLDER.rstrip("…"), work, on_done=done, on_error=failed)

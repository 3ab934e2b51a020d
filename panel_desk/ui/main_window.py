"""The main window: applications on the left, the chosen application's tabs on the right."""

from __future__ import annotations

import platform
import sys
from pathlib import Path
from typing import ClassVar

from panel_desk import __version__
from panel_desk.ui import text, theme
from panel_desk.ui.qt import QT_VERSION, Qt, QtGui, QtWidgets, Signal
from panel_desk.ui.widgets import heading, paragraph


class AboutDialog(QtWidgets.QDialog):
    """Help › About: versions and where the profile lives."""

    def __init__(self, parent=None, profile: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {text.APP_NAME}")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(12)
        layout.addWidget(heading(text.APP_NAME, 1))
        layout.addWidget(paragraph(text.ABOUT))
        details = [
            f"Version {__version__}",
            f"Qt {QT_VERSION}, Python {platform.python_version()} on {sys.platform}",
            f"Profile folder: {profile}" if profile else "No profile open",
        ]
        self.details = paragraph("\n".join(details), "caption")
        self.details.setObjectName("about-details")
        layout.addWidget(self.details)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Close).setAccessibleName("Close About")
        layout.addWidget(buttons)


class GuideDialog(QtWidgets.QDialog):
    """Help › Guide to the work: the panel's process in a few plain steps."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(text.GUIDE_TITLE)
        self.setObjectName("guide-dialog")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(10)
        layout.addWidget(heading(text.GUIDE_TITLE, 1))
        body = QtWidgets.QWidget()
        body_layout = QtWidgets.QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 12, 0)
        for title, words in text.GUIDE:
            body_layout.addWidget(heading(title, 3))
            body_layout.addWidget(paragraph(words))
        body_layout.addStretch(1)
        area = QtWidgets.QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        area.setWidget(body)
        layout.addWidget(area, 1)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Close).setAccessibleName("Close the guide")
        layout.addWidget(buttons)
        self.resize(640, 520)


class Placeholder(QtWidgets.QWidget):
    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(heading(title, 2))
        layout.addWidget(paragraph(body, "hint"))
        layout.addStretch(1)


class MainWindow(QtWidgets.QMainWindow):
    """The shell every role shares. Views for each role fill the tabs."""

    files_dropped = Signal(list)
    open_requested = Signal()
    lock_requested = Signal()
    settings_requested = Signal()

    def __init__(self, profile: Path | None = None) -> None:
        super().__init__()
        self.profile = profile
        self.setWindowTitle(text.APP_NAME)
        self.setAcceptDrops(True)
        self.resize(1200, 780)

        self.applications = QtWidgets.QListWidget()
        self.applications.setAccessibleName("Applications")
        self.applications.setAccessibleDescription("The applications you have received. Choose one to open it.")
        left = QtWidgets.QWidget()
        left_layout = self.left_layout = QtWidgets.QVBoxLayout(left)
        left_layout.setContentsMargins(16, 16, 8, 16)
        left_heading = heading("Applications", 2)
        left_heading.setBuddy(self.applications)
        left_layout.addWidget(left_heading)
        left_layout.addWidget(self.applications, 1)

        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setAccessibleName("Application")
        self.tabs.setDocumentMode(True)
        # The app's style sheet draws the selected tab white, after (so over) its yellow focus style:
        # a keyboard user on the tab bar saw no focus. The tab bar's own sheet takes precedence.
        self.tabs.tabBar().setStyleSheet(
            f"QTabBar::tab:focus {{ background: {theme.FOCUS}; color: #0b0c0c; border-bottom: 3px solid #0b0c0c; }}")
        self.tabs.addTab(Placeholder(text.TAB_OVERVIEW, "The cover of the application."), text.TAB_OVERVIEW)
        self.tabs.addTab(Placeholder(text.TAB_DOCUMENTS, "The application's documents."), text.TAB_DOCUMENTS)
        self.tabs.addTab(Placeholder(text.TAB_ASSESSMENT, "Your assessment."), text.TAB_ASSESSMENT)

        empty = QtWidgets.QWidget()
        empty_layout = QtWidgets.QVBoxLayout(empty)
        empty_layout.setContentsMargins(48, 48, 48, 48)
        empty_layout.addWidget(heading(text.NO_APPLICATION, 1))
        empty_layout.addWidget(paragraph(text.NO_APPLICATION_HINT))
        self.open_button = QtWidgets.QPushButton("Open application…")
        self.open_button.setProperty("role", "primary")
        self.open_button.setAccessibleName("Open application")
        self.open_button.clicked.connect(self.open_requested)
        empty_layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        empty_layout.addStretch(1)
        self.empty = empty

        self.right = QtWidgets.QStackedWidget()
        self.right.addWidget(empty)
        self.right.addWidget(self.tabs)

        splitter = QtWidgets.QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 950])
        splitter.setChildrenCollapsible(False)
        self.main = splitter
        # Ctrl+Tab / Ctrl+Shift+Tab move between the tabs from anywhere in the member's layout: the
        # tab widget's own handling works only while focus is inside it, not from the list.
        self.next_tab_action = self._tab_action("Next tab", "Ctrl+Tab", 1)
        self.previous_tab_action = self._tab_action("Previous tab", "Ctrl+Shift+Tab", -1)
        # The whole window shows either the work (the splitter) or a gate: first run, unlock.
        self.pages = QtWidgets.QStackedWidget()
        self.pages.addWidget(splitter)
        self.setCentralWidget(self.pages)

        self._build_menus()
        self.statusBar().showMessage(f"Profile: {profile}" if profile else "No profile open")

    # --- menus --------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.open_action = self._action(self.file_menu, "&Open application…", QtGui.QKeySequence.StandardKey.Open,
                                        self.open_requested.emit)
        self.file_menu.addSeparator()
        self.settings_action = self._action(self.file_menu, "&Settings…", "Ctrl+,", self.settings_requested.emit)
        self.settings_action.setEnabled(False)
        self.lock_action = self._action(self.file_menu, "&Lock now", "Ctrl+L", self.lock_requested.emit)
        self.lock_action.setEnabled(False)
        self.file_menu.addSeparator()
        self.quit_action = self._action(self.file_menu, "&Quit", QtGui.QKeySequence.StandardKey.Quit, self.close)
        self.view_menu = bar.addMenu("&View")
        self.list_action = QtGui.QAction("&Applications list", self)
        self.list_action.setCheckable(True)
        self.list_action.setChecked(True)
        self.list_action.setShortcut(QtGui.QKeySequence("Ctrl+Shift+A"))
        self.list_action.toggled.connect(self.set_list_visible)
        self.view_menu.addAction(self.list_action)
        self.help_menu = bar.addMenu("&Help")
        self.guide_action = self._action(self.help_menu, "&Guide to the work", None, self.show_guide)
        self.shortcuts_action = self._action(self.help_menu, "&Keyboard shortcuts", "F1", self.show_shortcuts)
        self.about_action = self._action(self.help_menu, f"&About {text.APP_NAME}", None, self.show_about)

    def list_panel(self) -> QtWidgets.QWidget | None:
        """The applications list's side of the work area (the member's, or the role view's own)."""
        if isinstance(self.main, QtWidgets.QSplitter):
            return self.main.widget(0)
        return getattr(self.main, "list_panel", None)

    def set_list_visible(self, visible: bool) -> None:
        """Show the applications list, or fold it away to give the work the room (View menu, Ctrl+Shift+A)."""
        panel = self.list_panel()
        if panel is not None:
            panel.setVisible(visible)
        if self.list_action.isChecked() != visible:
            self.list_action.setChecked(visible)

    def show_guide(self) -> None:
        GuideDialog(self).exec()

    def _action(self, menu, label, shortcut, slot) -> QtGui.QAction:
        action = QtGui.QAction(label, self)
        if shortcut is not None:
            action.setShortcut(QtGui.QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _tab_action(self, label: str, keys: str, step: int) -> QtGui.QAction:
        action = QtGui.QAction(label, self)
        action.setShortcut(QtGui.QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda: self.step_tab(step))
        self.main.addAction(action)
        return action

    def step_tab(self, step: int) -> None:
        """Show the next (or previous) enabled tab, wrapping round."""
        if self.right.currentWidget() is not self.tabs:
            return
        n = self.tabs.count()
        i = self.tabs.currentIndex()
        for _ in range(n):
            i = (i + step) % n
            if self.tabs.isTabEnabled(i):
                self.tabs.setCurrentIndex(i)
                return

    def shortcuts(self) -> list[tuple[str, str]]:
        """Every action with a shortcut, as (what it does, keys)."""
        out = []
        for action in self.findChildren(QtGui.QAction):
            if not action.shortcut().isEmpty():
                label = action.text().replace("&", "").rstrip("…")
                out.append((label, action.shortcut().toString(QtGui.QKeySequence.SequenceFormat.NativeText)))
        return sorted(set(out))

    # The keys every screen answers to, beside the menus' shortcuts (listed in Help › Keyboard shortcuts).
    KEY_BASICS: ClassVar[list[tuple[str, str]]] = [
        ("Move to the next or previous control", "Tab, Shift+Tab"),
        ("Press the button or follow the link that has focus", "Space"),
        ("Follow the link that has focus (Enter works as Space does, outside dialogs)", "Enter"),
        ("Choose in a list, among options, or between tabs on the tab bar", "Arrow keys"),
        ("Save a dialog (its highlighted button)", "Enter"),
        ("Close a dialog without saving", "Esc"),
    ]

    # The Documents tab's own keys (shortcuts of the page, not menu actions), listed in the same box.
    DOCUMENT_KEYS: ClassVar[list[tuple[str, tuple[str, ...]]]] = [
        ("Documents: find words in the document", ("Ctrl+F",)),
        ("Documents: next result (Enter in the find box does the same)", ("F3",)),
        ("Documents: previous result", ("Shift+F3",)),
        ("Documents: highlight the found text and add a note", ("Ctrl+M",)),
        ("Documents: zoom in, zoom out, fit the page to the width", ("Ctrl++", "Ctrl+-", "Ctrl+0")),
    ]

    def show_shortcuts(self) -> None:
        native = QtGui.QKeySequence.SequenceFormat.NativeText
        documents = [(what, ", ".join(QtGui.QKeySequence(k).toString(native) for k in keys))
                     for what, keys in self.DOCUMENT_KEYS]
        rows = "".join(f"<tr><td>{what}</td><td><b>{keys}</b></td></tr>"
                       for what, keys in [*self.shortcuts(), *documents, *self.KEY_BASICS])
        box = QtWidgets.QMessageBox(self)
        box.setObjectName("shortcuts-box")
        box.setWindowTitle("Keyboard shortcuts")
        box.setText(f"<table cellspacing=8>{rows}</table>")
        self._shortcuts_box = box
        box.exec()

    def show_about(self) -> None:
        AboutDialog(self, self.profile).exec()

    # --- drag and drop ------------------------------------------------------------------------

    def dragEnterEvent(self, event: QtGui.QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QtGui.QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)

    def set_tab(self, index: int, widget: QtWidgets.QWidget) -> None:
        """Replace the placeholder of tab ``index`` with a role's page."""
        label = self.tabs.tabText(index)
        old = self.tabs.widget(index)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, widget, label)
        if old is not None:
            old.deleteLater()

    def use_main(self, widget: QtWidgets.QWidget) -> None:
        """Make ``widget`` the work area instead of the member layout (the secretariat's view)."""
        if widget is self.main:
            return
        old = self.main
        self.pages.insertWidget(0, widget)
        self.pages.removeWidget(old)
        old.hide()
        old.setParent(None)
        self._keep_old_main = old  # its list and tabs may still be referenced by tests and views
        self.main = widget
        self.pages.setCurrentWidget(widget)

    def _gate_actions(self) -> list[QtGui.QAction]:
        """Actions that act on the workspace, so are off while a gate covers the window."""
        keep = {self.quit_action}
        return [a for a in self.file_menu.actions() if a not in keep and not a.isSeparator()]

    def show_gate(self, widget: QtWidgets.QWidget) -> None:
        """Cover the whole window with ``widget`` (first run, unlock); the work stays underneath.

        The File menu's workspace actions are switched off (their shortcuts too); Help and any
        Demo menu stay usable.
        """
        if self.pages.indexOf(widget) < 0:
            self.pages.addWidget(widget)
        self.pages.setCurrentWidget(widget)
        if not hasattr(self, "_gated_states"):
            self._gated_states = {a: a.isEnabled() for a in self._gate_actions()}
            for action in self._gated_states:
                action.setEnabled(False)
        self.setAcceptDrops(False)

    def show_main(self) -> None:
        for i in reversed(range(self.pages.count())):
            w = self.pages.widget(i)
            if w is self.main:
                continue
            self.pages.removeWidget(w)
            w.deleteLater()
        self.pages.setCurrentWidget(self.main)
        for action, enabled in getattr(self, "_gated_states", {}).items():
            action.setEnabled(enabled)
        self.__dict__.pop("_gated_states", None)
        self.setAcceptDrops(True)

    def gated(self) -> bool:
        return self.pages.currentWidget() is not self.main

    def show_application_tabs(self, visible: bool = True) -> None:
        self.right.setCurrentWidget(self.tabs if visible else self.empty)

"""The demo: build a throw-away workspace off the GUI thread, then open the window as a panel member.

``run_demo(folder)`` makes (or reopens) a demo workspace, opens the main window unlocked as the
first member, and adds a *Demo* menu to switch to anyone else ("Switch to Tom Okafor (Children's
Commissioner)"), which reopens the window on that person's profile, and a note listing everyone's
demo passphrase.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from panel_desk.core import logs
from panel_desk.core.demo.builder import (
    MANIFEST,
    DemoPerson,
    DemoWorkspace,
    build_demo_workspace,
    load_demo_workspace,
)
from panel_desk.core.errors import Cancelled, PanelDeskError
from panel_desk.ui import text
from panel_desk.ui.qt import Qt, QtCore, QtGui, QTimer, QtWidgets, Signal
from panel_desk.ui.tasks import ProgressDialog, run_in_background
from panel_desk.ui.widgets import paragraph

# Words people read (kept together for review).
BUILDING = "Making the demo workspace"
BUILD_FAILED = "The demo could not be made"
DEMO_MENU = "&Demo"
SWITCH_TO = "Switch to {label}"
SHOW_NOTE = "Show the demo passphrases"
SHOW_BANNER = "Show the demo banner"
NOTE_TITLE = "Demo workspace"
BANNER = "Demo: you are {name}, {role}. Everything here is fictional; Demo › Switch to… shows someone else's view."
PEOPLE_BUTTON = "People and passphrases…"
PEOPLE_TITLE = "Demo people and passphrases"
NOTE_BODY = ("Everything here is fictional: the authorities, the people and their documents. You are "
             "{name}, {role}. Use Demo › Switch to… to see the panel as someone else. The passphrases "
             "below are not secret and unlock only this demo.")
WINDOW_TITLE = "{app} — demo, as {name}"


def unlock(person: DemoPerson):
    """Open ``person``'s profile with their demo passphrase and return the Workspace.

    Raises WrongPassphrase, NotFound or StoreError (a demo folder damaged by hand).
    """
    from panel_desk.core.store import open_profile

    return open_profile(person.profile_dir, person.passphrase)


def open_window(person: DemoPerson, workspace, geometry: QtCore.QByteArray | None = None) -> QtWidgets.QMainWindow:
    """The main window for ``person``, showing their view of the already unlocked ``workspace``.

    Goes through the app's own flow (``AppFlow.opened``), so the demo shows exactly what the
    person would see after unlocking; without a workspace, the window opens at the unlock page.
    """
    from panel_desk.ui.app import AppFlow
    from panel_desk.ui.main_window import MainWindow

    window = MainWindow(person.profile_dir)
    window.flow = AppFlow(window, person.profile_dir)
    if workspace is not None:
        window.flow.opened(workspace)
    if geometry is not None:
        window.restoreGeometry(geometry)  # before show(), so the switch does not move the window
    window.show()
    return window


def _share_exchange_folder(ws: DemoWorkspace, profile) -> None:
    """A demo made before the exchange folder existed gets one, shared by everyone in it."""
    from panel_desk.core import exchange

    if exchange.folder_of(profile) is None:
        ws.exchange.mkdir(exist_ok=True)
        exchange.set_folder(profile, ws.exchange)


class DemoPeopleDialog(QtWidgets.QDialog):
    """Everyone in the demo and their passphrase (the banner's button opens it)."""

    def __init__(self, ws: DemoWorkspace, current: DemoPerson, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(PEOPLE_TITLE)
        self.setObjectName("demo-people")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        note = paragraph(NOTE_BODY.format(name=current.name, role=current.role.label), "hint")
        layout.addWidget(note)
        self.table = QtWidgets.QTableWidget(len(ws.people), 2)
        self.table.setAccessibleName("Demo people and passphrases")
        self.table.setHorizontalHeaderLabels(["Person", "Passphrase"])
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move inside it
        for row, p in enumerate(ws.people):
            who = QtWidgets.QTableWidgetItem(f"{p.name}{' (you)' if p == current else ''}\n{p.role.label}")
            who.setData(Qt.ItemDataRole.AccessibleTextRole, f"{p.name}, {p.role.label}")
            self.table.setItem(row, 0, who)
            self.table.setItem(row, 1, QtWidgets.QTableWidgetItem(p.passphrase))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSizeAdjustPolicy(QtWidgets.QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        layout.addWidget(self.table)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Close).setAccessibleName("Close the demo people")
        layout.addWidget(buttons)

    def passphrases(self) -> dict[str, str]:
        """``{name: passphrase}`` as shown."""
        return {self.table.item(r, 0).text().split("\n")[0].removesuffix(" (you)"): self.table.item(r, 1).text()
                for r in range(self.table.rowCount())}


class DemoNote(QtWidgets.QFrame):
    """A slim banner above the work: who you are in the demo, and a button for everyone's passphrase."""

    def __init__(self, ws: DemoWorkspace, current: DemoPerson, parent=None) -> None:
        super().__init__(parent)
        self.workspace, self.current = ws, current
        self.setObjectName("demo-note")
        self.setProperty("role", "banner")
        self.setAccessibleName(NOTE_TITLE)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(16, 6, 16, 6)
        layout.setSpacing(12)
        self.text = paragraph(BANNER.format(name=current.name, role=current.role.label), max_width=None)
        self.text.setMinimumWidth(200)  # wraps onto two lines in a narrow window, never widens it
        self.text.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
        layout.addWidget(self.text, 1)
        self.people_button = QtWidgets.QPushButton(PEOPLE_BUTTON)
        self.people_button.setAccessibleName(PEOPLE_TITLE)
        self.people_button.clicked.connect(self.show_people)
        layout.addWidget(self.people_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Maximum)
        self.dialog: DemoPeopleDialog | None = None

    def hasHeightForWidth(self) -> bool:  # the text wraps: height follows width
        return True

    def heightForWidth(self, width: int) -> int:
        button = self.people_button.sizeHint()
        text_width = max(50, width - button.width() - 12 - 32)
        return max(button.height(), self.text.heightForWidth(text_width)) + 12

    def show_people(self) -> None:
        self.dialog = DemoPeopleDialog(self.workspace, self.current, self.window())
        self.dialog.open()

    def passphrases(self) -> dict[str, str]:
        """``{name: passphrase}`` as the people dialog shows them."""
        return {p.name: p.passphrase for p in self.workspace.people}

    def toggleViewAction(self) -> QtGui.QAction:  # the Demo menu's "Show the demo note"
        action = QtGui.QAction(SHOW_NOTE, self)
        action.setCheckable(True)
        action.setChecked(True)
        action.toggled.connect(self.setVisible)
        return action


class DemoController(QtCore.QObject):
    """Builds the demo, opens the window as one person at a time, and switches between people."""

    opened = Signal(object)  # the DemoPerson the window now belongs to
    failed = Signal(str)  # a message a person can act on
    cancelled = Signal()

    def __init__(self, folder: Path, parent=None) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self.workspace: DemoWorkspace | None = None
        self.person: DemoPerson | None = None
        self.window: QtWidgets.QMainWindow | None = None
        self.profile = None  # the unlocked store, when there is one
        self.note: DemoNote | None = None
        self.switch_actions: dict[str, QtGui.QAction] = {}
        self._task = None

    # --- building -----------------------------------------------------------------------------

    def start(self) -> None:
        """Reopen the demo in the folder, or build one there in the background."""
        if (self.folder / MANIFEST).exists():
            try:
                self._built(load_demo_workspace(self.folder))
            except PanelDeskError as exc:
                self._failed(exc)
            return
        dialog = ProgressDialog(None, BUILDING)
        dialog.setMinimumDuration(0)
        self._dialog = dialog

        def build(progress, cancelled):
            return build_demo_workspace(self.folder, progress=progress, cancelled=cancelled)

        def finish(callback):
            def wrapped(value):
                dialog.reset()
                dialog.deleteLater()
                self._task = None
                callback(value)
            return wrapped

        self._task = run_in_background(build, on_done=finish(self._built), on_error=finish(self._failed),
                                       on_progress=dialog.update_progress)
        dialog.canceled.connect(self._task.cancel)

    def _built(self, ws: DemoWorkspace) -> None:
        self.workspace = ws
        logs.log_event("demo.ready", n_people=len(ws.people), n_applications=len(ws.application_ids))
        self.open_as(ws.members[0])

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            self.cancelled.emit()
        elif isinstance(exc, PanelDeskError):
            self.failed.emit(str(exc))
        elif isinstance(exc, OSError):
            self.failed.emit(f"{exc.strerror or exc}: {exc.filename or self.folder}. Choose another folder.")
        else:
            raise exc

    # --- one person at a time -------------------------------------------------------------------

    def open_as(self, person: DemoPerson) -> QtWidgets.QMainWindow:
        """Close the current window and open one on ``person``'s profile, unlocked."""
        assert self.workspace is not None
        geometry = self.window.saveGeometry() if self.window is not None else None
        self._close_current()
        self.profile = unlock(person)
        _share_exchange_folder(self.workspace, self.profile)
        window = open_window(person, self.profile, geometry)
        window.setWindowTitle(WINDOW_TITLE.format(app=text.APP_NAME, name=person.name))
        self.person, self.window = person, window
        self._add_demo_menu(window, person)
        logs.log_event("demo.opened", role=person.role.value)
        self.opened.emit(person)
        return window

    def switch_to(self, name: str) -> QtWidgets.QMainWindow:
        """Reopen the window as the person called ``name``."""
        assert self.workspace is not None
        return self.open_as(self.workspace.person(name))

    def _close_current(self) -> None:
        if self.window is not None:
            self.window.flow.close()  # saves what was being typed, closes the profile and its log
        elif self.profile is not None:
            self.profile.close()
        if self.window is not None:
            self.window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            self.window.close()
            self.window = None
        self.profile = None

    def close(self) -> None:
        """Close the window and the profile (at exit, and in tests)."""
        self._close_current()

    def _add_demo_menu(self, window: QtWidgets.QMainWindow, person: DemoPerson) -> None:
        assert self.workspace is not None
        menu = QtWidgets.QMenu(DEMO_MENU, window)
        menu.setObjectName("demo-menu")
        group = QtGui.QActionGroup(menu)
        self.switch_actions = {}
        for p in self.workspace.people:
            action = QtGui.QAction(SWITCH_TO.format(label=p.label), menu)
            action.setCheckable(True)
            action.setChecked(p == person)
            # queued: the window that owns this menu is closed by the switch
            action.triggered.connect(lambda _checked=False, name=p.name: QTimer.singleShot(0, lambda: self.switch_to(name)))
            group.addAction(action)
            menu.addAction(action)
            self.switch_actions[p.name] = action
        menu.addSeparator()
        self.note = DemoNote(self.workspace, person, window)
        _put_above_the_work(window, self.note)
        people = QtGui.QAction(SHOW_NOTE, menu)
        people.triggered.connect(self.note.show_people)
        menu.addAction(people)
        toggle = self.note.toggleViewAction()
        toggle.setText(SHOW_BANNER)
        menu.addAction(toggle)
        bar = window.menuBar()
        help_menu = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
        if help_menu is not None:
            bar.insertMenu(help_menu, menu)
        else:
            bar.addMenu(menu)
        window.statusBar().showMessage(f"Demo: {person.label}. Passphrase: {person.passphrase}")


def _put_above_the_work(window: QtWidgets.QMainWindow, banner: QtWidgets.QWidget) -> None:
    """Put ``banner`` in a slim row above the window's work (not a side panel that costs width)."""
    central = window.takeCentralWidget()
    holder = QtWidgets.QWidget()
    holder.setObjectName("demo-holder")
    layout = QtWidgets.QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(banner)
    layout.addWidget(central, 1)
    window.setCentralWidget(holder)
    central.show()  # taken out of the window, it was hidden
    holder.show()
    banner.show()


def run_demo(folder: Path | None) -> int:
    """Open the window on a demo workspace in ``folder`` (a new temporary folder if None).

    Returns the application's exit status. ``PANEL_DESK_SMOKE_QUIT_MS`` quits that many
    milliseconds after the window opens (smoke tests of the packaged app).
    """
    from panel_desk.ui.app import make_app

    app = make_app()
    folder = Path(folder) if folder is not None else Path(tempfile.mkdtemp(prefix="panel-desk-demo-"))
    controller = DemoController(folder)

    def failed(message: str) -> None:
        QtWidgets.QMessageBox.warning(None, BUILD_FAILED, message)
        app.exit(1)

    controller.failed.connect(failed)
    controller.cancelled.connect(lambda: app.exit(0))
    quit_ms = os.environ.get("PANEL_DESK_SMOKE_QUIT_MS", "")
    if quit_ms.isdigit():
        controller.opened.connect(lambda _p: QTimer.singleShot(int(quit_ms), app.quit))
    QTimer.singleShot(0, controller.start)
    code = app.exec()
    controller.close()
    return code

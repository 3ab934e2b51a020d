"""Starting the window: the QApplication, the theme, and the flow first run → unlock → work → lock."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from panel_desk.ui import text

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"  # beside the code when frozen too


def make_app(argv: list[str] | None = None):
    """Return the QApplication (created once), themed."""
    from panel_desk.ui.qt import QtGui, QtWidgets
    from panel_desk.ui.theme import apply_theme

    app = QtWidgets.QApplication.instance()
    if app is None:
        app = QtWidgets.QApplication(argv or [sys.argv[0]])
        app.setApplicationName(text.APP_NAME)
        app.setOrganizationName("Panel Desk")
        app.setDesktopFileName("panel-desk")
        apply_theme(app, high_contrast=os.environ.get("PANEL_DESK_HIGH_CONTRAST") == "1")
    if app.windowIcon().isNull():  # every window's icon; the desktop file names the same one
        icon = QtGui.QIcon()
        for png in sorted(ICONS.glob("io.github.paneldesk.PanelDesk-*.png")):
            icon.addFile(str(png))
        app.setWindowIcon(icon)
    return app


class AppFlow:
    """Decides what the window shows: first run, unlock, the member's or the secretariat's view.

    ``work_factor`` is the scrypt work factor for a new identity (the real default unless a test
    passes a smaller one). ``open_paths`` are files to open once the profile is unlocked (the
    command line's arguments).
    """

    def __init__(self, window, profile: Path, *, work_factor: int | None = None,
                 open_paths: list[Path] | None = None, today=None) -> None:
        from panel_desk.core.identity import DEFAULT_WORK_FACTOR

        self.window = window
        self.profile = Path(profile)
        self.work_factor = work_factor or DEFAULT_WORK_FACTOR
        self.pending = [Path(p) for p in open_paths or []]
        self.today = today
        self.ws = None
        self.view = None
        self.idle = None
        self._place: dict | None = None
        self.settings = None
        self.log_handler = None
        window.lock_requested.connect(self.lock)
        window.settings_requested.connect(self.show_settings)
        from panel_desk.core.store import profile_exists
        from panel_desk.ui import continuity, keys_actions

        continuity.install(self)  # hook: File › Back up…, File › Change passphrase…
        keys_actions.install(self)  # File › Trust a new secretariat card…
        if profile_exists(self.profile):
            self.show_unlock()
        else:
            self.show_first_run()

    # -- gates ----------------------------------------------------------------------------------

    def show_first_run(self):
        from panel_desk.ui.onboarding import FirstRun

        page = FirstRun(self.profile, work_factor=self.work_factor)
        page.finished.connect(self.opened)
        self.window.show_gate(page)
        self.gate = page
        return page

    def show_unlock(self, reason: str = ""):
        from panel_desk.core.store import open_profile
        from panel_desk.ui.onboarding import UnlockPage

        if self.ws is None:
            profile = self.profile
            page = UnlockPage(lambda p: open_profile(profile, p), reason=reason)
            page.unlocked.connect(self.opened)
        else:
            ws = self.ws

            def unlock(passphrase: str):
                ws.unlock(passphrase)
                return ws

            page = UnlockPage(unlock, who=ws.me.name, reason=reason)
            page.unlocked.connect(self.unlocked)
        self.window.show_gate(page)
        self.gate = page
        return page

    # -- open -----------------------------------------------------------------------------------

    def opened(self, ws) -> None:
        """The profile is open: show the person's view and open any files given on the command line."""
        from panel_desk.core import logs
        from panel_desk.ui.onboarding import IdleLock

        self.ws = ws
        self.log_handler = logs.setup_logging(self.profile)
        logs.log_event("profile-opened", role=ws.me.role.value)
        self.settings = self.load_settings()
        self.view = self._make_view(ws)
        if ws.is_secretariat:  # the member's view fills the shell's own tabs instead
            self.window.use_main(self.view)
        self.window.show_main()
        self.window.lock_action.setEnabled(True)
        self.window.settings_action.setEnabled(True)
        self.window.statusBar().showMessage(f"{ws.me.name} ({ws.me.role_label}). Profile: {self.profile}")
        self.idle = IdleLock(self.auto_lock_minutes(), self.lock_after_idle, self.window)
        self.idle.start()
        if self.pending:
            paths, self.pending = self.pending, []
            self.view.open_files(paths)
        from panel_desk.ui import continuity
        continuity.after_unlock(self, first=True)  # hook: integrity check off the GUI thread, backup reminder

    def _make_view(self, ws):
        if ws.is_secretariat:
            from panel_desk.ui.secretariat import SecretariatView

            return SecretariatView(ws, self.window)
        from panel_desk.ui.member._desk import MemberDesk
        from panel_desk.ui.member.view import MemberView

        return MemberView(MemberDesk(ws, today=self.today), self.window)

    # -- settings -------------------------------------------------------------------------------

    def load_settings(self):
        """The profile's typed settings (defaults, with a status-bar note, if they cannot be read)."""
        from panel_desk.core import settings

        value, problem = settings.load_or_defaults(settings.store_of(self.ws))
        if problem:
            self.window.statusBar().showMessage(problem, 10000)
        self.apply_settings(value)
        return value

    def apply_settings(self, value) -> None:
        from panel_desk.ui.qt import QtWidgets
        from panel_desk.ui.theme import apply_theme

        app = QtWidgets.QApplication.instance()
        if app is not None and getattr(app, "_panel_desk_high_contrast", None) != value.high_contrast:
            apply_theme(app, high_contrast=value.high_contrast)
            app._panel_desk_high_contrast = value.high_contrast
        if self.idle is not None:
            self.idle.set_minutes(value.auto_lock_minutes)

    def show_settings(self) -> None:
        from panel_desk.core import settings
        from panel_desk.ui.settings_dialog import SettingsDialog

        if self.ws is None or self.window.gated():
            return
        dialog = SettingsDialog(self.settings, self.window)
        if dialog.exec():
            self.settings = dialog.result_settings()
            settings.save(settings.store_of(self.ws), self.settings)
            self.apply_settings(self.settings)
            self.window.statusBar().showMessage("Settings saved.", 5000)

    def auto_lock_minutes(self) -> float:
        """The idle time before locking, from the profile's settings (10 minutes by default)."""
        return float(self.settings.auto_lock_minutes)

    # -- lock -----------------------------------------------------------------------------------

    def lock(self, reason: str = "") -> None:
        """Hide everything, save what is being typed, and lock the store."""
        if self.ws is None or self.window.gated():
            return
        from panel_desk.ui.qt import QtWidgets

        for dialog in self.window.findChildren(QtWidgets.QDialog):
            if dialog.isVisible():
                dialog.reject()
        self.view.flush()
        self._place = None if self.ws.is_secretariat else self.view.place()  # the member's view returns to its place
        if self.idle is not None:
            self.idle.stop()
        self.window.lock_action.setEnabled(False)
        self.ws.lock()
        self.show_unlock(reason)

    def lock_after_idle(self) -> None:
        from panel_desk.ui.member import text as words

        minutes = self.idle.minutes if self.idle is not None else 10
        shown = int(minutes) if minutes >= 1 else minutes
        self.lock(words.LOCKED_AFTER_IDLE.format(minutes=shown))

    def close(self) -> None:
        """Save what is being typed, close the workspace and the log (the window is closing)."""
        from panel_desk.core import logs

        if self.ws is not None and not self.ws.locked:
            if self.view is not None:
                self.view.flush()
            self.ws.close()
        if self.log_handler is not None:
            logs.stop_logging(self.log_handler)
            self.log_handler = None

    def unlocked(self, ws) -> None:
        """Back to the same place as before locking."""
        self.window.show_main()
        self.window.lock_action.setEnabled(True)
        if self.idle is not None:
            self.idle.start()
        place, self._place = self._place, None
        if place:
            self.view.restore(place)
        from panel_desk.ui import continuity
        continuity.after_unlock(self)  # hook: integrity check off the GUI thread


def paths_from_argv(argv: list[str] | None) -> list[Path]:
    """Files named on the command line (anything that is not an option)."""
    return [Path(a) for a in (argv or [])[1:] if not a.startswith("-") and Path(a).suffix]


def run_app(profile: Path, argv: list[str] | None = None) -> int:
    """Open the main window on ``profile`` and run until it closes; files in ``argv`` are opened."""
    from panel_desk.ui.main_window import MainWindow

    app = make_app(argv)
    window = MainWindow(profile)
    flow = AppFlow(window, profile, open_paths=paths_from_argv(argv))
    window.flow = flow
    window.show()
    smoke_quit(app)
    code = app.exec()
    flow.close()
    return code


def smoke_quit(app) -> None:
    """Quit after PANEL_DESK_SMOKE_QUIT_MS milliseconds (the packaging smoke test and benchmarks)."""
    ms = os.environ.get("PANEL_DESK_SMOKE_QUIT_MS", "")
    if ms.isdigit():
        from panel_desk.ui.qt import QTimer

        QTimer.singleShot(int(ms), app.quit)

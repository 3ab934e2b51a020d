"""Starting the window: the QApplication, the theme, and the flow first run → unlock → work → lock."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from panel_desk.ui import text


def make_app(argv: list[str] | None = None):
    """Return the QApplication (created once), themed."""
    from panel_desk.ui.qt import QtWidgets
    from panel_desk.ui.theme import apply_theme

    app = QtWidgets.QApplication.instance()
    if app is None:
        app = QtWidgets.QApplication(argv or [sys.argv[0]])
        app.setApplicationName(text.APP_NAME)
        app.setOrganizationName("Panel Desk")
        app.setDesktopFileName("panel-desk")
        apply_theme(app, high_contrast=os.environ.get("PANEL_DESK_HIGH_CONTRAST") == "1")
    return app


def _store():
    from panel_desk.core import store

    return store


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
        window.lock_requested.connect(self.lock)
        if _store().profile_exists(self.profile):
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
        from panel_desk.ui.onboarding import UnlockPage

        if self.ws is None:
            store, profile = _store(), self.profile
            page = UnlockPage(lambda p: store.open_profile(profile, p), reason=reason)
            page.unlocked.connect(self.opened)
        else:
            ws = self.ws

            def unlock(passphrase: str):
                ws.unlock(passphrase)
                return ws

            page = UnlockPage(unlock, who=getattr(getattr(ws, "me", None), "name", ""), reason=reason)
            page.unlocked.connect(self.unlocked)
        self.window.show_gate(page)
        self.gate = page
        return page

    # -- open -----------------------------------------------------------------------------------

    def opened(self, ws) -> None:
        """The profile is open: show the person's view and open any files given on the command line."""
        from panel_desk.ui.onboarding import IdleLock

        self.ws = ws
        self.view = self._make_view(ws)
        self.window.show_main()
        self.window.lock_action.setEnabled(True)
        self.window.statusBar().showMessage(f"{ws.me.name} ({ws.me.role_label}). Profile: {self.profile}")
        self.idle = IdleLock(self.auto_lock_minutes(), self.lock_after_idle, self.window)
        self.idle.start()
        if self.pending and hasattr(self.view, "open_files"):
            paths, self.pending = self.pending, []
            self.view.open_files(paths)

    def _make_view(self, ws):
        if getattr(ws, "is_secretariat", False):
            try:
                from panel_desk.ui.secretariat import SecretariatView
            except ImportError:
                pass
            else:
                return SecretariatView(ws, self.window)
        from panel_desk.ui.member._desk import MemberDesk
        from panel_desk.ui.member.view import MemberView

        return MemberView(MemberDesk(ws, today=self.today), self.window)

    def auto_lock_minutes(self) -> float:
        """The idle time before locking: the ``auto_lock_minutes`` key, else the typed settings' value."""
        from panel_desk.core import settings

        value = self.ws.get_setting("auto_lock_minutes", None)
        if value is None:
            value = settings.load_or_defaults(settings.store_of(self.ws))[0].auto_lock_minutes
        try:
            value = float(value)
        except (TypeError, ValueError):
            value = 10.0
        return value if value > 0 else 10.0

    # -- lock -----------------------------------------------------------------------------------

    def lock(self, reason: str = "") -> None:
        """Hide everything, save what is being typed, and lock the store."""
        if self.ws is None or self.window.gated():
            return
        from panel_desk.ui.qt import QtWidgets

        for dialog in self.window.findChildren(QtWidgets.QDialog):
            if dialog.isVisible():
                dialog.reject()
        if hasattr(self.view, "flush"):
            self.view.flush()
        self._place = self.view.place() if hasattr(self.view, "place") else None
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

    def unlocked(self, ws) -> None:
        """Back to the same place as before locking."""
        self.window.show_main()
        self.window.lock_action.setEnabled(True)
        if self.idle is not None:
            self.idle.start()
        place, self._place = self._place, None
        if place and hasattr(self.view, "restore"):
            self.view.restore(place)


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
    code = app.exec()
    if flow.ws is not None and not getattr(flow.ws, "locked", True):
        flow.view.flush() if hasattr(flow.view, "flush") else None
        flow.ws.close()
    return code


def run_demo(folder: Path | None) -> int:
    """Open the window on a fresh demo workspace."""
    return run_app(folder or Path.cwd())

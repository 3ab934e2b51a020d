"""The window's side of the exchange folder (see :mod:`panel_desk.core.exchange`), and where file
dialogs start.

:class:`ExchangeWatcher` watches the person's exchange folder (a file-system watcher, and a poll
every :data:`POLL_MS` for synced or network folders whose changes the system does not report) and
runs :func:`core.exchange.sync` off the GUI thread; the view shows the lines it reports.

:func:`outgoing` decides where a file the person sends is written: straight into the exchange
folder when they have one (no dialog), else where they choose, starting in the last folder used.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from panel_desk.core import exchange
from panel_desk.core.errors import PanelDeskError
from panel_desk.ui.qt import QtCore, QtWidgets, Signal
from panel_desk.ui.tasks import run_in_background

POLL_MS = 30_000
LAST_FOLDER = "last_folder"  # profile setting: the folder of the last file chosen or saved

# Words people read.
SAVED_TO_EXCHANGE = "Saved to the exchange folder ({folder}) as {name}."
SAVED_TO_FILE = "Saved to {path} — send it to {to}."


def documents_folder() -> Path:
    docs = QtCore.QStandardPaths.writableLocation(QtCore.QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def start_folder(ws) -> Path:
    """Where a file dialog starts: the last folder used, else Documents (never the program's folder)."""
    last = None
    if ws is not None:
        try:
            last = ws.get_setting(LAST_FOLDER, None)
        except PanelDeskError:
            last = None
    if isinstance(last, str) and last and Path(last).is_dir():
        return Path(last)
    return documents_folder()


def remember_folder(ws, path: Path | None) -> None:
    """Keep the folder of ``path`` (a file, or a folder) as where the next dialog starts."""
    if ws is None or path is None:
        return
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    try:
        if ws.get_setting(LAST_FOLDER, None) != str(folder):
            ws.set_setting(LAST_FOLDER, str(folder))
    except PanelDeskError:
        pass


def outgoing(ws, parent, title: str, kind: str, application_id: str, suggested_name: str,
             file_filter: str, ask) -> tuple[Path | None, bool]:
    """Where to write a file the person sends: ``(path, in_exchange_folder)``; ``(None, False)`` if
    they cancelled the dialog.

    With an exchange folder: a new name there, no dialog. Without: ``ask(parent, title, suggested,
    filter)`` (the view's save dialog), starting in the last folder used.
    """
    try:
        if exchange.folder_of(ws) is not None:
            return exchange.outgoing_path(ws, kind, application_id), True
    except PanelDeskError:
        pass  # a folder that went away (a USB stick taken out): ask instead
    path = ask(parent, title, start_folder(ws) / suggested_name, file_filter)
    if path is not None:
        remember_folder(ws, path)
    return path, False


def saved_words(path: Path, in_exchange: bool, to: str) -> str:
    """"Saved to the exchange folder…" or "Saved to FILE — send it to …"; never "sent"."""
    if in_exchange:
        return SAVED_TO_EXCHANGE.format(folder=path.parent, name=path.name)
    return SAVED_TO_FILE.format(path=path, to=to)


def written(ws, path: Path, in_exchange: bool) -> None:
    if in_exchange:
        with contextlib.suppress(PanelDeskError):
            exchange.remember_written(ws, path)


class ExchangeWatcher(QtCore.QObject):
    """Imports what arrives in the exchange folder; ``synced`` carries the lines of each sync that
    found something (a list of :class:`core.exchange.SyncLine`)."""

    synced = Signal(list)
    failed = Signal(str)

    def __init__(self, ws, parent=None, poll_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self.ws = ws
        self.task = None
        self._again = False
        self.watcher = QtCore.QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(lambda _p: self.sync_soon())
        self.timer = QtCore.QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.sync_now)
        self._debounce = QtCore.QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(500)  # a file still being copied in changes the folder many times
        self._debounce.timeout.connect(self.sync_now)
        self.refresh_folder()

    def folder(self) -> Path | None:
        try:
            return exchange.folder_of(self.ws)
        except PanelDeskError:
            return None

    def refresh_folder(self) -> Path | None:
        """Watch the folder now kept in the profile (Settings may have changed it); return it."""
        folder = self.folder()
        watched = self.watcher.directories()
        if watched != ([str(folder)] if folder is not None else []):
            if watched:
                self.watcher.removePaths(watched)
            if folder is not None and folder.is_dir():
                self.watcher.addPath(str(folder))
        self.timer.start()  # also notices a folder chosen later in Settings
        return folder

    def sync_soon(self) -> None:
        self._debounce.start()

    def sync_now(self) -> None:
        """Sync in the background (once at a time; a change meanwhile syncs again after)."""
        if self.refresh_folder() is None:
            return
        if self.task is not None:
            self._again = True
            return
        ws = self.ws

        def work(_progress, cancelled):
            return exchange.sync(ws, cancel=cancelled)

        self.task = run_in_background(work, on_done=self._done, on_error=self._error)

    def _finished(self) -> None:
        self.task = None
        if self._again:
            self._again = False
            self.sync_soon()

    def _done(self, lines) -> None:
        self._finished()
        if lines:
            self.synced.emit(list(lines))

    def _error(self, exc: BaseException) -> None:
        self._finished()
        if not isinstance(exc, PanelDeskError):
            raise exc
        self.failed.emit(str(exc))

    def stop(self) -> None:
        self.timer.stop()
        self._debounce.stop()
        if self.task is not None:
            self.task.cancel()


def choose_exchange_folder(parent, ws) -> Path | None:
    """Ask for a folder and keep it as the exchange folder; None if the person cancelled."""
    start = exchange.folder_of(ws) or start_folder(ws)
    chosen = QtWidgets.QFileDialog.getExistingDirectory(parent, "Choose your exchange folder", str(start))
    if not chosen:
        return None
    return exchange.set_folder(ws, Path(chosen))

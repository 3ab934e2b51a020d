"""Running core work off the GUI thread, with progress and Cancel.

``run_in_background(fn, ...)`` runs ``fn(progress, cancelled)`` on Qt's thread pool and hands the
result or the exception back on the GUI thread. **Never touch a widget inside ``fn``**: it runs on
another thread; report through ``progress(done, total)`` and read ``cancelled()`` instead. The core
raises ``errors.Cancelled`` when ``cancelled()`` turns true.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from panel_desk.core.errors import Cancelled, PanelDeskError
from panel_desk.ui.qt import QtCore, QtWidgets, Signal

Progress = Callable[[int, int], None]
PROGRESS_INTERVAL = 0.05  # seconds between progress signals


class _Signals(QtCore.QObject):
    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(object)


class Task(QtCore.QRunnable):
    """One piece of core work; keep a reference while it runs (``BackgroundTask.running``)."""

    def __init__(self, fn: Callable[[Progress, Callable[[], bool]], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.signals = _Signals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _throttled_progress(self) -> Progress:
        """Emit progress at most every 50 ms (and always the last step): a signal per 64 KiB chunk
        floods the GUI thread's event queue and stalls the window."""
        last = [0.0]

        def progress(done: int, total: int = 0) -> None:
            now = time.monotonic()
            if now - last[0] >= PROGRESS_INTERVAL or (total and done >= total):
                last[0] = now
                self.signals.progress.emit(int(done), int(total))

        return progress

    def run(self) -> None:  # on a pool thread
        try:
            result = self.fn(self._throttled_progress(), self._cancel.is_set)
        except BaseException as exc:  # handed to the GUI thread, which decides
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


_running: set[Task] = set()


def run_in_background(fn, *, on_done=None, on_error=None, on_progress=None) -> Task:
    """Start ``fn(progress, cancelled)`` on the thread pool; callbacks run on the GUI thread."""
    task = Task(fn)
    _running.add(task)

    def finish(cb, value):
        _running.discard(task)
        if cb is not None:
            cb(value)

    task.signals.done.connect(lambda r: finish(on_done, r))
    task.signals.failed.connect(lambda e: finish(on_error or _reraise, e))
    if on_progress is not None:
        task.signals.progress.connect(on_progress)
    QtCore.QThreadPool.globalInstance().start(task)
    return task


def _reraise(exc: BaseException) -> None:
    raise exc


def wait_for_all(timeout_ms: int = 30000) -> bool:
    """Wait for every background task (used at exit and in tests)."""
    return QtCore.QThreadPool.globalInstance().waitForDone(timeout_ms)


class ProgressDialog(QtWidgets.QProgressDialog):
    """A modal progress bar with Cancel, fed by a Task's progress signal."""

    def __init__(self, parent: QtWidgets.QWidget | None, label: str) -> None:
        super().__init__(label, "Cancel", 0, 0, parent)
        self.setWindowTitle(label)
        self.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
        self.setMinimumDuration(200)  # quick work shows no flash of a dialog
        self.setAutoClose(True)
        self.setAccessibleName(label)
        cancel = QtWidgets.QPushButton("Cancel")
        cancel.setAccessibleName(f"Cancel: {label}")
        self.setCancelButton(cancel)

    def update_progress(self, done: int, total: int) -> None:
        if total > 0:
            scale = max(1, total // 1_000_000)  # QProgressDialog takes ints; keep numbers small
            self.setMaximum(total // scale)
            self.setValue(min(done, total) // scale)


def run_with_progress(parent, label: str, fn, *, on_done, on_error=None) -> Task:
    """Run ``fn`` in the background behind a progress dialog with Cancel.

    A ``Cancelled`` error closes the dialog quietly; any other PanelDeskError goes to ``on_error``
    (default: a message box with its plain message).
    """
    dialog = ProgressDialog(parent, label)

    def done(result):
        dialog.reset()
        dialog.deleteLater()
        on_done(result)

    def failed(exc):
        dialog.reset()
        dialog.deleteLater()
        if isinstance(exc, Cancelled):
            return
        if on_error is not None:
            on_error(exc)
        elif isinstance(exc, PanelDeskError):
            QtWidgets.QMessageBox.warning(parent, label, str(exc))
        else:
            raise exc

    task = run_in_background(fn, on_done=done, on_error=failed, on_progress=dialog.update_progress)
    dialog.canceled.connect(task.cancel)
    return task

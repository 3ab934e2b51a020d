"""Starting the window: the QApplication, the theme, and the first screen."""

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


def run_app(profile: Path, argv: list[str] | None = None) -> int:
    """Open the main window on ``profile`` and run until it closes."""
    from panel_desk.ui.main_window import MainWindow

    app = make_app(argv)
    window = MainWindow(profile)
    window.show()
    return app.exec()


def run_demo(folder: Path | None) -> int:
    """Open the window on a fresh demo workspace."""
    return run_app(folder or Path.cwd())

"""Imports: members' responses, declarations and sign-offs, many at once, with a report in words."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from panel_desk.core.errors import PanelDeskError
from panel_desk.ui.qt import Signal
from panel_desk.ui.secretariat import _words as w
from panel_desk.ui.secretariat._desk import Desk, ImportRow
from panel_desk.ui.secretariat._parts import Page, button, fill, fit_height, row, table, tag_item
from panel_desk.ui.tasks import run_with_progress
from panel_desk.ui.widgets import ErrorSummary, heading, paragraph

_log = logging.getLogger(__name__)


class ImportsPage(Page):
    imported = Signal(list)

    def __init__(self, desk: Desk, files) -> None:
        super().__init__(w.IMPORTS_TITLE, w.IMPORTS_INTRO)
        self.desk = desk
        self.files = files
        self.task = None
        self.rows: list[ImportRow] = []
        self.errors = ErrorSummary()
        self.body.insertWidget(1, self.errors)
        self.choose = button(w.IMPORT_FILES, "Choose files to import", "primary")
        self.choose.clicked.connect(self.choose_files)
        self.body.addLayout(row(self.choose))
        self.body.addWidget(heading(w.REPORT_TITLE, 3))
        self.summary = paragraph("Nothing imported yet.")
        self.summary.setObjectName("import-summary")
        self.body.addWidget(self.summary)
        self.table = table(["File", "What it was", "Result"], "Import report")
        self.body.addWidget(self.table)
        self.finish()

    def choose_files(self) -> None:
        paths = self.files.open_files(w.IMPORT_FILES.rstrip("…"), w.IMPORT_FILTER)
        if paths:
            self.import_files(paths)

    def import_files(self, paths: Sequence[str | Path]) -> None:
        paths = [Path(p) for p in paths]
        desk = self.desk

        def work(progress, cancelled):  # on a pool thread: no widgets here
            return desk.import_many(paths, progress, cancelled)

        self.task = run_with_progress(self, w.IMPORTING, work, on_done=self.show_report, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        """The batch could not run at all (the profile locked, the disk full…): say so in words.

        A refused file never comes here: it is a row of the report, and the rest go on.
        """
        if not isinstance(exc, PanelDeskError):  # a fault of ours: logged, reported, not fatal
            _log.error("importing files failed unexpectedly", exc_info=(type(exc), exc, exc.__traceback__))
            exc = PanelDeskError(w.IMPORT_FAULT)
        self.errors.set_errors([(str(exc), self.choose)])

    def show_report(self, rows: list[ImportRow]) -> None:
        self.errors.set_errors([])
        self.rows = rows
        fill(self.table, [(r.file, r.what, r.result) for r in rows])
        for i, r in enumerate(rows):
            colour = "red" if r.refused else ("yellow" if r.result.startswith("Already") else "green")
            tag_item(self.table, i, 2, r.result, colour)
        self.table.resizeRowsToContents()  # the tagged results are bold: measure the rows again
        fit_height(self.table)
        done = sum(1 for r in rows if r.result == "Imported")
        had = sum(1 for r in rows if r.result.startswith("Already"))
        refused = sum(1 for r in rows if r.refused)
        parts = [f"{done} imported"]
        if had:
            parts.append(f"{had} already had")
        if refused:
            parts.append(f"{refused} refused")
        self.summary.setText(", ".join(parts) + ".")
        self.summary.setAccessibleName(self.summary.text())
        self.imported.emit(rows)

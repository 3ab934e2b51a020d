"""Drafting the panel's advice: the editor (saved as you type), circulation, sign-off and finalising."""

from __future__ import annotations

from pathlib import Path

from panel_desk.core.errors import PanelDeskError
from panel_desk.ui.exchange import written
from panel_desk.ui.qt import Qt, QtCore, QtWidgets, Signal
from panel_desk.ui.secretariat import _words as w
from panel_desk.ui.secretariat._desk import Desk
from panel_desk.ui.secretariat._parts import (
    ConfirmationPanel,
    Page,
    button,
    file_rows,
    next_words,
    row,
    send_path,
)
from panel_desk.ui.secretariat.readiness import gate
from panel_desk.ui.tasks import run_with_progress
from panel_desk.ui.widgets import Banner, ErrorSummary, StatusTag, heading, paragraph

AUTOSAVE_MS = 800


class DraftingPage(Page):
    changed = Signal()

    def __init__(self, desk: Desk, files) -> None:
        super().__init__(w.DRAFT_TITLE, w.DRAFT_INTRO)
        self.desk = desk
        self.files = files
        self.app_id: str | None = None
        self.task = None
        self.confirm: QtWidgets.QMessageBox | None = None
        self._loading = False
        self.errors = ErrorSummary()
        self.body.insertWidget(1, self.errors)
        self.final_banner = Banner(w.FINAL_TITLE, w.FINAL_TEXT, kind="success")
        self.final_banner.setObjectName("final-banner")
        self.final_banner.hide()
        self.body.insertWidget(2, self.final_banner)
        self.confirmation = ConfirmationPanel()
        self.confirmation.setObjectName("circulate-confirmation")
        self.body.insertWidget(3, self.confirmation)

        self.prefill_button = button(w.PREFILL, role="")
        self.prefill_button.clicked.connect(self.prefill)
        self.saved = QtWidgets.QLabel("")
        self.saved.setProperty("role", "caption")
        self.saved.setObjectName("save-state")
        self.body.addLayout(row(self.prefill_button, self.saved))

        self.reason_label = heading(w.DRAFT_REASON, 3)
        self.reason_hint = paragraph(w.DRAFT_REASON_HINT, "hint")
        self.reason = QtWidgets.QLineEdit()
        self.reason.setAccessibleName(w.DRAFT_REASON)
        self.reason.textChanged.connect(self._edited)
        self.reason_label.setBuddy(self.reason)
        for widget in (self.reason_label, self.reason_hint, self.reason):
            self.body.addWidget(widget)
            widget.hide()
        self.fields: dict[str, QtWidgets.QPlainTextEdit] = {}
        self.field_errors: dict[str, QtWidgets.QLabel] = {}
        for key, label_text, height in (("summary", w.F_SUMMARY, 110), ("outcomes", w.F_OUTCOMES, 150),
                                        ("monitoring", w.F_MONITORING, 150), ("conditions", w.F_CONDITIONS, 110),
                                        ("other_advice", w.F_OTHER, 90)):
            label = heading(label_text, 3)
            edit = QtWidgets.QPlainTextEdit()
            edit.setObjectName(f"draft-{key}")
            edit.setAccessibleName(label_text)
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(height)
            edit.setMaximumWidth(900)
            edit.textChanged.connect(self._edited)
            label.setBuddy(edit)
            error = paragraph("", "error")
            error.hide()
            self.body.addWidget(label)
            self.body.addWidget(error)
            self.body.addWidget(edit)
            self.fields[key] = edit
            self.field_errors[key] = error
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.save)

        self.circulate_button = button(w.CIRCULATE + "…", w.CIRCULATE, "primary")
        self.circulate_button.clicked.connect(self.choose_circulate_file)
        self.body.addLayout(row(self.circulate_button))
        self.circulate_why = paragraph("", "hint")
        self.circulate_why.setObjectName("circulate-why")
        self.circulate_why.hide()
        self.body.addWidget(self.circulate_why)

        self.body.addWidget(heading(w.SIGNOFF_TITLE, 2))
        self.signoff_box = QtWidgets.QWidget()
        self.signoff_layout = QtWidgets.QGridLayout(self.signoff_box)
        self.signoff_layout.setContentsMargins(0, 0, 0, 0)
        self.signoff_layout.setHorizontalSpacing(16)
        self.signoff_layout.setColumnStretch(2, 1)
        self.body.addWidget(self.signoff_box)
        self.signoff_rows: list = []
        self.finalise_button = button(w.FINALISE + "…", w.FINALISE, "primary")
        self.finalise_button.clicked.connect(self.ask_finalise)
        self.body.addLayout(row(self.finalise_button))
        self.finalise_why = paragraph("", "hint")
        self.finalise_why.setObjectName("finalise-why")
        self.finalise_why.hide()
        self.body.addWidget(self.finalise_why)
        self.finish()
        self.setEnabled(False)

    # -- loading and saving ---------------------------------------------------------------------

    def set_application(self, app_id: str | None) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.save()
        if app_id != self.app_id:
            self.confirmation.hide()
            self.errors.set_errors([])
        self.app_id = app_id
        self.setEnabled(app_id is not None)
        if app_id is None:
            return
        self._load(self.desk.latest_draft(app_id))
        self.refresh_signoffs()
        self.refresh_steps()

    def refresh_steps(self) -> None:
        """Circulate and Finalise are enabled only when the process allows, with the reasons beside them."""
        if self.app_id is None:
            return
        ready = self.desk.readiness(self.app_id)
        gate(self.circulate_button, self.circulate_why, ready.step("circulate"))
        gate(self.finalise_button, self.finalise_why, ready.step("finalise"))

    def _load(self, draft) -> None:
        self._loading = True
        try:
            values = {
                "summary": draft.summary if draft else "",
                "outcomes": draft.outcomes if draft else "",
                "monitoring": draft.monitoring if draft else "",
                "conditions": "\n".join(draft.conditions) if draft else "",
                "other_advice": draft.other_advice if draft else "",
            }
            for key, value in values.items():
                if self.fields[key].toPlainText() != value:
                    self.fields[key].setPlainText(value)
        finally:
            self._loading = False
        self.saved.setText(w.SAVED if draft else "")
        status = self.desk.advice_status(self.app_id)
        self._lock(status.finalised)
        self._show_reason(status.circulated and not status.finalised)

    def _show_reason(self, visible: bool) -> None:
        """Once a draft is circulated its text is locked: a change makes a new draft, with a reason."""
        for widget in (self.reason_label, self.reason_hint, self.reason):
            widget.setVisible(visible)

    def values(self) -> dict:
        conditions = [line.strip() for line in self.fields["conditions"].toPlainText().splitlines() if line.strip()]
        return {
            "summary": self.fields["summary"].toPlainText().strip(),
            "outcomes": self.fields["outcomes"].toPlainText().strip(),
            "monitoring": self.fields["monitoring"].toPlainText().strip(),
            "conditions": conditions,
            "other_advice": self.fields["other_advice"].toPlainText().strip(),
        }

    def _edited(self) -> None:
        if self._loading or self.app_id is None:
            return
        self.saved.setText(w.SAVING)
        self._timer.start()

    def flush(self) -> None:
        """Save an edit still waiting for the autosave timer."""
        if self._timer.isActive():
            self.save()

    def save(self) -> bool:
        """Save the draft now (the timer calls this a moment after typing stops)."""
        self._timer.stop()
        if self.app_id is None:
            return False
        reason = self.reason.text().strip() if self.reason.isVisible() else ""
        try:
            self.desk.save_draft(self.app_id, **self.values(), reason=reason)
        except PanelDeskError as exc:
            self.saved.setText(w.NOT_SAVED)
            self.errors.set_errors([(str(exc), self.reason if self.reason.isVisible() else None)])
            return False
        self.errors.set_errors([])
        self.saved.setText(w.SAVED)
        self.saved.setAccessibleName("The draft is saved")
        self.refresh_steps()
        return True

    def prefill(self) -> None:
        try:
            draft = self.desk.prefill(self.app_id)
        except PanelDeskError as exc:
            self.errors.set_errors([(str(exc), self.prefill_button)])
            return
        self._loading = True
        try:
            for key in ("summary", "outcomes", "monitoring", "other_advice"):
                value = getattr(draft, key)
                if value and not self.fields[key].toPlainText().strip():
                    self.fields[key].setPlainText(value)
            if draft.conditions and not self.fields["conditions"].toPlainText().strip():
                self.fields["conditions"].setPlainText("\n".join(draft.conditions))
        finally:
            self._loading = False
        self.save()

    # -- circulation ---------------------------------------------------------------------------

    def _check(self) -> bool:
        values = self.values()
        problems = []
        for key, message in (("summary", "Write a summary of the application"),
                             ("outcomes", "Write the panel's advice on outcomes for children"),
                             ("monitoring", "Write the panel's advice on monitoring arrangements")):
            missing = not values[key]
            self.field_errors[key].setText(message)
            self.field_errors[key].setVisible(missing)
            if missing:
                problems.append((message, self.fields[key]))
        self.errors.set_errors(problems)
        return not problems

    def choose_circulate_file(self) -> None:
        if not self._check():
            return
        path, in_exchange = send_path(self.files, self.desk.ws, "draft-advice", self.app_id, w.CIRCULATE,
                                      f"{self.app_id}-draft-advice.pdbundle", w.SEAL_FILTER)
        if path is not None:
            self.circulate_to(path, in_exchange)

    def circulate_to(self, path: Path, in_exchange: bool = False) -> None:
        if not self._check() or (self._timer.isActive() and not self.save()):  # unsaved edits only: no record twice
            return
        app_id, desk = self.app_id, self.desk

        def work(_progress, _cancelled):  # on a pool thread: no widgets here
            return desk.circulate(app_id, path)

        def done(recipients) -> None:
            written(desk.ws, path, in_exchange)
            self.confirmation.show_result(w.CIRCULATED_TITLE, file_rows(path, [m.name for m in recipients], in_exchange),
                                          next_words(w.CIRCULATED_NEXT, in_exchange))
            self.reason.clear()
            self._show_reason(True)
            self.refresh_signoffs()
            self.refresh_steps()
            self.changed.emit()

        self.task = run_with_progress(self, w.CIRCULATING, work, on_done=done, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, PanelDeskError):
            raise exc
        self.errors.set_errors([(str(exc), None)])

    # -- sign-off and finalising -------------------------------------------------------------------

    def refresh_signoffs(self) -> None:
        while self.signoff_layout.count():
            item = self.signoff_layout.takeAt(0)
            if item.widget():
                item.widget().hide()  # gone now, not only when the loop deletes it
                item.widget().deleteLater()
        try:
            rows = self.desk.signoffs(self.app_id)
        except PanelDeskError:
            rows = []
        self.signoff_rows = rows
        if not rows:
            self.signoff_layout.addWidget(paragraph("The draft has not been circulated yet.", "hint"), 0, 0, 1, 3)
            return
        for i, r in enumerate(rows):
            name = QtWidgets.QLabel(r.name)
            name.setProperty("role", "h3")
            tag = StatusTag(r.status, r.colour)
            tag.setObjectName(f"signoff-{i}")
            self.signoff_layout.addWidget(name, i, 0, Qt.AlignmentFlag.AlignTop)
            self.signoff_layout.addWidget(tag, i, 1, Qt.AlignmentFlag.AlignTop)
            if r.text:
                # Shown exactly as written: plain text, no markup, no trimming.
                statement = QtWidgets.QLabel()
                statement.setTextFormat(Qt.TextFormat.PlainText)
                statement.setText(r.text)
                statement.setWordWrap(True)
                statement.setMaximumWidth(640)
                statement.setObjectName(f"signoff-text-{i}")
                statement.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                statement.setAccessibleName(f"{r.name}: {r.status}. {r.text}")
                self.signoff_layout.addWidget(statement, i, 2)

    def ask_finalise(self) -> None:
        if self._timer.isActive():
            self.save()
        self.confirm = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Question, w.FINALISE, w.FINALISE_CONFIRM,
                                             QtWidgets.QMessageBox.StandardButton.NoButton, self)
        yes = self.confirm.addButton(w.FINALISE, QtWidgets.QMessageBox.ButtonRole.AcceptRole)
        yes.setAccessibleName(w.FINALISE)
        no = self.confirm.addButton("Keep editing", QtWidgets.QMessageBox.ButtonRole.RejectRole)
        no.setAccessibleName("Keep editing")
        self.confirm.setDefaultButton(no)
        self.confirm.accepted.connect(self.finalise)
        self.confirm.open()

    def finalise(self) -> None:
        try:
            self.desk.finalise(self.app_id)
        except PanelDeskError as exc:
            self.errors.set_errors([(m, None) for m in _sentences(str(exc))])
            return
        self.errors.set_errors([])
        self._lock(True)
        self.changed.emit()

    def _lock(self, final: bool) -> None:
        for edit in self.fields.values():
            edit.setReadOnly(final)
        self.prefill_button.setEnabled(not final)
        self.final_banner.setVisible(final)
        self.refresh_steps()


def _sentences(message: str) -> list[str]:
    from panel_desk.ui.secretariat.applications import split_sentences

    return split_sentences(message)

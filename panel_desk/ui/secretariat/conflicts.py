"""Conflicts register: every declaration of interests and the secretariat's decision on it."""

from __future__ import annotations

from panel_desk.core.errors import PanelDeskError
from panel_desk.core.model import Decision
from panel_desk.ui.qt import Qt, QtWidgets, Signal
from panel_desk.ui.secretariat import _words as w
from panel_desk.ui.secretariat._desk import ConflictRow, Desk
from panel_desk.ui.secretariat._parts import Page, button, fill, fit_dialog, row, table, tag_item
from panel_desk.ui.widgets import ErrorSummary, SummaryList, heading, paragraph

_DECISION_COLOURS = {
    Decision.NO_ACTION: "green",
    Decision.DECLARED: "blue",
    Decision.READ_ONLY: "yellow",
    Decision.RECUSED: "red",
}


class DecideDialog(QtWidgets.QDialog):
    """Record how a member's interests are handled; the reason is required."""

    def __init__(self, conflict: ConflictRow, parent=None) -> None:
        super().__init__(parent)
        self.conflict = conflict
        title = w.DECIDE_TITLE.format(name=conflict.name)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(560)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(12)
        self.errors = ErrorSummary()
        layout.addWidget(self.errors)
        layout.addWidget(heading(title, 2))
        layout.addWidget(SummaryList([("Role", conflict.role), ("Interests", conflict.interests),
                                      ("Declared", conflict.declared_at)]))
        choice_label = heading(w.DECIDE_CHOICE, 3)
        layout.addWidget(choice_label)
        self.choice_error = paragraph(w.DECIDE_NO_CHOICE, "error")
        self.choice_error.hide()
        layout.addWidget(self.choice_error)
        self.group = QtWidgets.QButtonGroup(self)
        self.radios: dict[Decision, QtWidgets.QRadioButton] = {}
        for d in Decision:
            radio = QtWidgets.QRadioButton(d.label)
            radio.setAccessibleName(d.label)
            radio.setObjectName(f"decision-{d.value}")
            self.group.addButton(radio)
            self.radios[d] = radio
            layout.addWidget(radio)
            if conflict.decision is d:
                radio.setChecked(True)
        reason_label = heading(w.DECIDE_REASON, 3)
        layout.addWidget(reason_label)
        layout.addWidget(paragraph(w.DECIDE_REASON_HINT, "hint"))
        self.reason_error = paragraph(w.DECIDE_NO_REASON, "error")
        self.reason_error.hide()
        layout.addWidget(self.reason_error)
        self.reason = QtWidgets.QPlainTextEdit(conflict.reason)
        self.reason.setAccessibleName(w.DECIDE_REASON)
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(120)
        reason_label.setBuddy(self.reason)
        layout.addWidget(self.reason)
        self.ok = button(w.DECIDE_OK, role="primary")
        self.cancel = button("Cancel")
        self.ok.clicked.connect(self.check_and_accept)
        self.cancel.clicked.connect(self.reject)
        layout.addLayout(row(self.ok, self.cancel))

    def decision(self) -> Decision | None:
        return next((d for d, r in self.radios.items() if r.isChecked()), None)

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()

    def check_and_accept(self) -> None:
        errors = []
        if self.decision() is None:
            errors.append((w.DECIDE_NO_CHOICE, self.radios[Decision.NO_ACTION]))
        if not self.reason_text():
            errors.append((w.DECIDE_NO_REASON, self.reason))
        self.choice_error.setVisible(self.decision() is None)
        self.reason_error.setVisible(not self.reason_text())
        self.errors.set_errors(errors)
        fit_dialog(self)
        if not errors:
            self.accept()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        fit_dialog(self)


class ConflictsPage(Page):
    changed = Signal()

    def __init__(self, desk: Desk) -> None:
        super().__init__(w.CONFLICTS_TITLE, w.CONFLICTS_INTRO)
        self.desk = desk
        self.app_id: str | None = None
        self.rows: list[ConflictRow] = []
        self.dialog: DecideDialog | None = None
        self.errors = ErrorSummary()
        self.body.insertWidget(1, self.errors)
        self.empty = paragraph(w.NO_DECLARATIONS, "hint")
        self.body.addWidget(self.empty)
        self.table = table(["Member", "Interests", "Declared", "Decision", "Reason"], w.CONFLICTS_TITLE,
                           stretch=(1, 4))
        self.table.itemActivated.connect(lambda _item: self.decide_selected())
        self.body.addWidget(self.table)
        self.decide_button = button(w.DECIDE, "Record a decision on the chosen member's interests", "primary")
        self.decide_button.clicked.connect(self.decide_selected)
        self.body.addLayout(row(self.decide_button))
        self.finish()

    def set_application(self, app_id: str | None) -> None:
        self.app_id = app_id
        self.refresh()

    def refresh(self) -> None:
        self.rows = self.desk.conflicts(self.app_id) if self.app_id else []
        fill(self.table, [(f"{r.name}\n{r.role}", r.interests, r.declared_at.replace(" at ", "\nat "),
                           r.status or w.NO_DECISION, r.reason) for r in self.rows])
        for i, r in enumerate(self.rows):
            colour = "yellow" if r.needs_decision else _DECISION_COLOURS.get(r.decision, "grey")
            tag_item(self.table, i, 3, "", colour)
        self.empty.setVisible(not self.rows)
        self.table.setVisible(bool(self.rows))
        self.decide_button.setEnabled(bool(self.rows))
        if self.rows and self.table.currentRow() < 0:
            self.table.selectRow(0)

    def decide_selected(self) -> None:
        r = self.table.currentRow()
        if r < 0 or r >= len(self.rows):
            self.errors.set_errors([("Choose a member in the register first", self.table)])
            return
        self.open_decision(self.rows[r])

    def open_decision(self, conflict: ConflictRow) -> DecideDialog:
        self.dialog = DecideDialog(conflict, self)
        self.dialog.accepted.connect(lambda: self._record(conflict, self.dialog))
        self.dialog.open()
        return self.dialog

    def _record(self, conflict: ConflictRow, dialog: DecideDialog) -> None:
        try:
            self.desk.decide(self.app_id, conflict.member, dialog.decision(), dialog.reason_text())
        except PanelDeskError as exc:
            self.errors.set_errors([(str(exc), self.table)])
            return
        self.errors.set_errors([])
        self.refresh()
        self.changed.emit()


__all__ = ["ConflictsPage", "DecideDialog", "Qt"]

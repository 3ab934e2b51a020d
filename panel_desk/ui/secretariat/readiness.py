"""The process checklist: where the application stands and what stands before each next step.

It shows :func:`panel_desk.core.process.readiness` as it is — the same words ``panel-desk status``
prints — and holds no rule of its own. Buttons elsewhere use :func:`gate` to be disabled with the
reasons beside them.
"""

from __future__ import annotations

from panel_desk.core.process import Readiness, Step
from panel_desk.ui.qt import Qt, QtWidgets
from panel_desk.ui.widgets import SummaryList, heading, paragraph

DONE, READY, BLOCKED = "Done", "Ready", "Cannot do yet"


def step_words(step: Step) -> str:
    """The step's status in words."""
    if step.done:
        return DONE
    return READY if step.allowed else BLOCKED


def gate(button: QtWidgets.QAbstractButton, why: QtWidgets.QLabel, step: Step | None) -> None:
    """Enable ``button`` only when ``step`` may be taken, and say beside it why not."""
    if step is None:
        button.setEnabled(False)
        why.hide()
        return
    allowed = step.allowed and not step.done
    button.setEnabled(allowed)
    if allowed:
        why.hide()
        button.setToolTip("")
        return
    text = "Done." if step.done else " ".join(step.reasons)
    why.setText(text)
    why.show()
    button.setToolTip(text)
    button.setAccessibleDescription(text)


class ReadinessPanel(QtWidgets.QFrame):
    """A card listing the phase, the deadlines, each member's standing and each step with its reasons
    (summary lists, as the application's cover: words that wrap at any width)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setObjectName("readiness")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(heading("Where this application stands", 3))
        self.phase = paragraph("", max_width=None)
        self.phase.setObjectName("readiness-phase")
        layout.addWidget(self.phase)
        self.deadlines = paragraph("", "hint", max_width=None)
        layout.addWidget(self.deadlines)
        self.members_heading = heading("Panel members", 3)
        layout.addWidget(self.members_heading)
        self.members = SummaryList()
        layout.addWidget(self.members)
        layout.addWidget(heading("Next steps", 3))
        self.steps = SummaryList()
        self.steps.setObjectName("readiness-steps")
        layout.addWidget(self.steps)
        self.step_tags: dict[str, QtWidgets.QLabel] = {}  # the step's status in words
        self.step_reasons: dict[str, QtWidgets.QLabel] = {}  # the step, then each reason on a line

    def show_readiness(self, ready: Readiness | None) -> None:
        self.step_tags.clear()
        self.step_reasons.clear()
        if ready is None:
            self.phase.setText("")
            self.deadlines.setText("")
            self.members.set_rows([])
            self.steps.set_rows([])
            return
        self.phase.setText(f"{ready.phase.label}. Revision {ready.revision}.")
        self.deadlines.setText(" ".join(ready.deadlines))
        self.members_heading.setVisible(bool(ready.members))
        self.members.setVisible(bool(ready.members))
        self.members.set_rows([(m.member.name, m.words) for m in ready.members])
        for i in range(len(ready.members)):  # names are the sender's words: never markup
            self.members.cell(i, 0).setTextFormat(Qt.TextFormat.PlainText)
            self.members.cell(i, 1).setTextFormat(Qt.TextFormat.PlainText)
        rows = []
        for step in ready.steps:
            lines = [] if step.done else [*step.reasons, *step.notes]
            rows.append((step_words(step), "\n".join([step.label, *(f"• {r}" for r in lines)])))
        self.steps.set_rows(rows)
        for i, step in enumerate(ready.steps):
            key, value = (self.steps.cell(i, 0), self.steps.cell(i, 1))
            key.setObjectName(f"step-{step.id.value}")
            value.setObjectName(f"step-{step.id.value}-reasons")
            self.step_tags[step.id.value] = key
            self.step_reasons[step.id.value] = value

"""The process checklist: where the application stands and what stands before each next step.

It shows :func:`panel_desk.core.process.readiness` as it is — the same words ``panel-desk status``
prints — and holds no rule of its own. Buttons elsewhere use :func:`gate` to be disabled with the
reasons beside them.
"""

from __future__ import annotations

from panel_desk.core.process import Readiness, Step
from panel_desk.ui.qt import Qt, QtWidgets
from panel_desk.ui.widgets import StatusTag, heading, paragraph

DONE, READY, BLOCKED = "Done", "Ready", "Cannot do yet"


def step_words(step: Step) -> tuple[str, str]:
    """The step's status tag: words and colour."""
    if step.done:
        return DONE, "green"
    if step.allowed:
        return READY, "blue"
    return BLOCKED, "grey"


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
    """A card listing the phase, the deadlines, each member's standing and each step with its reasons."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setObjectName("readiness")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(heading("Where this application stands", 3))
        self.phase = paragraph("")
        self.phase.setObjectName("readiness-phase")
        layout.addWidget(self.phase)
        self.deadlines = paragraph("", "hint")
        layout.addWidget(self.deadlines)
        self.members_heading = heading("Panel members", 3)
        layout.addWidget(self.members_heading)
        self.members = QtWidgets.QGridLayout()
        self.members.setColumnStretch(1, 1)
        self.members.setHorizontalSpacing(16)
        layout.addLayout(self.members)
        layout.addWidget(heading("Next steps", 3))
        self.steps = QtWidgets.QGridLayout()
        self.steps.setColumnStretch(1, 1)
        self.steps.setHorizontalSpacing(16)
        layout.addLayout(self.steps)
        self.step_tags: dict[str, StatusTag] = {}
        self.step_reasons: dict[str, QtWidgets.QLabel] = {}

    @staticmethod
    def _clear(grid: QtWidgets.QGridLayout) -> None:
        while grid.count():
            item = grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()

    def show_readiness(self, ready: Readiness | None) -> None:
        self._clear(self.members)
        self._clear(self.steps)
        self.step_tags.clear()
        self.step_reasons.clear()
        if ready is None:
            self.phase.setText("")
            self.deadlines.setText("")
            return
        self.phase.setText(f"{ready.phase.label}. Revision {ready.revision}.")
        self.deadlines.setText(" ".join(ready.deadlines))
        self.members_heading.setVisible(bool(ready.members))  # parented in __init__
        for i, m in enumerate(ready.members):
            name = QtWidgets.QLabel(m.member.name)
            name.setTextFormat(Qt.TextFormat.PlainText)
            owes = paragraph(m.words)
            owes.setTextFormat(Qt.TextFormat.PlainText)
            owes.setAccessibleName(f"{m.member.name}: {m.words}")
            self.members.addWidget(name, i, 0, Qt.AlignmentFlag.AlignTop)
            self.members.addWidget(owes, i, 1)
        for i, step in enumerate(ready.steps):
            words, colour = step_words(step)
            tag = StatusTag(words, colour)
            tag.setObjectName(f"step-{step.id.value}")
            label = QtWidgets.QLabel(step.label)
            label.setProperty("role", "h4")
            lines = [] if step.done else [*step.reasons, *step.notes]
            reasons = paragraph("\n".join(f"• {r}" for r in lines), "hint")
            reasons.setTextFormat(Qt.TextFormat.PlainText)
            reasons.setObjectName(f"step-{step.id.value}-reasons")
            reasons.setAccessibleName(f"{step.label}: {words}. " + " ".join(lines))
            self.steps.addWidget(tag, 2 * i, 0, Qt.AlignmentFlag.AlignTop)
            self.steps.addWidget(label, 2 * i, 1)
            self.steps.addWidget(reasons, 2 * i + 1, 1)
            reasons.setVisible(bool(lines))  # once parented: a parentless widget shown becomes a window
            self.step_tags[step.id.value] = tag
            self.step_reasons[step.id.value] = reasons

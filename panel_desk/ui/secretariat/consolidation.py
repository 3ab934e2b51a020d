"""Members' answers side by side: ratings per question, rationales, cited passages, conditions."""

from __future__ import annotations

from pathlib import Path

from panel_desk.core.errors import PanelDeskError
from panel_desk.ui.qt import Qt, QtWidgets
from panel_desk.ui.secretariat import _words as w
from panel_desk.ui.secretariat._desk import ConsolidationView, Desk, MemberAnswer
from panel_desk.ui.secretariat._parts import Page, button, fill, row, table
from panel_desk.ui.widgets import ErrorSummary, StatusTag, heading, paragraph

CARDS_PER_ROW = 3


def _answer_card(a: MemberAnswer) -> QtWidgets.QFrame:
    card = QtWidgets.QFrame()
    card.setProperty("role", "card")
    card.setMinimumWidth(220)
    layout = QtWidgets.QVBoxLayout(card)
    layout.setContentsMargins(14, 12, 14, 12)
    layout.setSpacing(6)
    layout.addWidget(heading(a.name, 3))
    layout.addWidget(paragraph(f"{a.role}\n{a.rating} · confidence {a.confidence.lower()}", "caption"))
    rationale = QtWidgets.QLabel()
    rationale.setTextFormat(Qt.TextFormat.PlainText)
    rationale.setText(a.rationale or "No rationale given.")
    rationale.setWordWrap(True)
    rationale.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    layout.addWidget(rationale)
    if a.evidence:
        layout.addWidget(paragraph(w.CITED, "h3"))
        for document, page, quote in a.evidence:
            cite = QtWidgets.QLabel()
            cite.setTextFormat(Qt.TextFormat.PlainText)
            cite.setText(f"{document}, page {page}" + (f"\n“{quote}”" if quote else ""))
            cite.setWordWrap(True)
            cite.setProperty("role", "hint")
            layout.addWidget(cite)
    layout.addStretch(1)
    card.setAccessibleName(f"{a.name}: {a.rating}, confidence {a.confidence}. {a.rationale}")
    return card


class ConsolidationPage(Page):
    def __init__(self, desk: Desk, files) -> None:
        super().__init__(w.CONSOLIDATION_TITLE)
        self.desk = desk
        self.files = files
        self.app_id: str | None = None
        self.view: ConsolidationView | None = None
        self.errors = ErrorSummary()
        self.body.insertWidget(1, self.errors)
        self.csv_button = button(w.EXPORT_CSV, "Export answers as CSV")
        self.json_button = button(w.EXPORT_JSON, "Export answers as JSON")
        self.csv_button.clicked.connect(lambda: self.choose_export("csv"))
        self.json_button.clicked.connect(lambda: self.choose_export("json"))
        self.body.addLayout(row(self.csv_button, self.json_button))
        self.content = QtWidgets.QWidget()
        self.content_layout = QtWidgets.QVBoxLayout(self.content)
        self.content_layout.setContentsMargins(0, 0, 0, 0)
        self.content_layout.setSpacing(14)
        self.body.addWidget(self.content)
        self.matrices: dict[str, QtWidgets.QTableWidget] = {}
        self.finish()

    def set_application(self, app_id: str | None) -> None:
        self.app_id = app_id
        self.refresh()

    def _clear(self) -> None:
        while self.content_layout.count():
            item = self.content_layout.takeAt(0)
            if item.widget():
                item.widget().hide()  # gone now, not only when the loop deletes it
                item.widget().deleteLater()
            elif item.layout():
                _delete_layout(item.layout())
        self.matrices.clear()

    def refresh(self) -> None:
        self._clear()
        self.view = None
        if not self.app_id:
            return
        try:
            self.view = self.desk.consolidate(self.app_id)
        except PanelDeskError as exc:
            self.content_layout.addWidget(paragraph(str(exc), "hint"))
            return
        v = self.view
        add = self.content_layout.addWidget
        status = []
        if v.not_responded:
            status.append(f"{w.NOT_RESPONDED}: " + ", ".join(v.not_responded))
        for name, reason in v.excluded:
            status.append(f"{w.EXCLUDED}: {name} ({reason})")
        if status:
            box = QtWidgets.QFrame()
            box.setProperty("role", "warning")
            box_layout = QtWidgets.QVBoxLayout(box)
            box_layout.setContentsMargins(16, 10, 16, 10)
            for line in status:
                label = paragraph(line)
                label.setAccessibleName(line)
                box_layout.addWidget(label)
            box.setObjectName("who-is-missing")
            add(box)
        if not v.questions or not any(q.answers for q in v.questions):
            add(paragraph(w.NO_RESPONSES, "hint"))
        for q in v.questions:
            if not q.answers:
                continue
            add(heading(q.title, 2))
            matrix = table(["Member", "Role", "Rating", "Confidence"], f"{q.title}: ratings", stretch=(3,))
            fill(matrix, [(a.name, a.role, a.rating, a.confidence) for a in q.answers])
            matrix.setObjectName(f"matrix-{q.id}")
            self.matrices[q.id] = matrix
            add(matrix)
            cards = QtWidgets.QGridLayout()
            cards.setHorizontalSpacing(12)
            cards.setVerticalSpacing(12)
            for i, a in enumerate(q.answers):
                cards.addWidget(_answer_card(a), i // CARDS_PER_ROW, i % CARDS_PER_ROW, Qt.AlignmentFlag.AlignTop)
            for c in range(CARDS_PER_ROW):
                cards.setColumnStretch(c, 1)
            holder = QtWidgets.QWidget()
            holder.setLayout(cards)
            add(holder)
        if v.conditions:
            add(heading(w.CONDITIONS_PROPOSED, 2))
            conditions = table(["Member", "Condition"], w.CONDITIONS_PROPOSED, stretch=(1,))
            fill(conditions, v.conditions)
            conditions.setObjectName("conditions")
            add(conditions)
        if v.other_advice:
            add(heading(w.OTHER_ADVICE, 2))
            for name, text in v.other_advice:
                label = QtWidgets.QLabel()
                label.setTextFormat(Qt.TextFormat.PlainText)
                label.setText(f"{name}: {text}")
                label.setWordWrap(True)
                label.setMaximumWidth(760)
                add(label)
        for b in (self.csv_button, self.json_button):
            b.setEnabled(self.view.source is not None)

    def choose_export(self, kind: str) -> None:
        if self.view is None:
            return
        label = w.EXPORT_CSV if kind == "csv" else w.EXPORT_JSON
        filter = "CSV files (*.csv)" if kind == "csv" else "JSON files (*.json)"
        path = self.files.save_file(label.rstrip("…"), f"{self.app_id}-answers.{kind}", filter)
        if path is not None:
            self.export(path, kind)

    def export(self, path: Path, kind: str) -> None:
        try:
            self.desk.export_consolidation(self.view, path, kind)
        except (PanelDeskError, OSError) as exc:
            self.errors.set_errors([(str(exc), None)])
            return
        self.errors.set_errors([])
        self.window().statusBar().showMessage(f"Saved {Path(path).name} in {Path(path).parent}", 8000) \
            if isinstance(self.window(), QtWidgets.QMainWindow) else None


def _delete_layout(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget():
            item.widget().hide()  # gone now, not only when the loop deletes it
            item.widget().deleteLater()
        elif item.layout():
            _delete_layout(item.layout())


__all__ = ["ConsolidationPage", "StatusTag"]

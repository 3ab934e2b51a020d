"""Agreeing the panel's draft advice: the draft beside the member's own answers; concur or dissent."""

from __future__ import annotations

from panel_desk.core.errors import PanelDeskError
from panel_desk.core.forms import Form
from panel_desk.core.model import Attribution, SignOffKind
from panel_desk.ui.member import _parts
from panel_desk.ui.member import text as words
from panel_desk.ui.member._desk import MemberDesk, Sent
from panel_desk.ui.member._parts import error_label, link_button, page_layout, primary_button, reading
from panel_desk.ui.member.answer_words import answers_rows
from panel_desk.ui.qt import QtWidgets, Signal
from panel_desk.ui.widgets import SummaryList, heading, paragraph


class SignOffPage(QtWidgets.QWidget):
    back = Signal()
    sent = Signal(object)  # Sent

    def __init__(self, desk: MemberDesk, parent=None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.app_id = ""
        inner = QtWidgets.QWidget()
        layout = page_layout(inner)
        self.back_link = link_button(words.BACK_TO_TASKS)
        self.back_link.clicked.connect(self.back)
        layout.addWidget(self.back_link)
        self.errors = _parts.ErrorSummary()
        layout.addWidget(reading(self.errors))
        self.title = heading(words.DRAFT_TITLE, 1)
        layout.addWidget(self.title)
        layout.addWidget(reading(paragraph(words.DRAFT_BODY)))
        left_box, right_box = QtWidgets.QWidget(), QtWidgets.QWidget()
        left = QtWidgets.QVBoxLayout(left_box)
        left.setContentsMargins(0, 0, 0, 0)
        self.draft_heading = heading("Draft", 2)
        left.addWidget(self.draft_heading)
        self.draft = SummaryList()
        self.draft.setAccessibleName("The draft advice")
        left.addWidget(self.draft)
        left.addStretch(1)
        right = QtWidgets.QVBoxLayout(right_box)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(heading(words.YOUR_ANSWERS, 2))
        self.mine = SummaryList()
        self.mine.setAccessibleName(words.YOUR_ANSWERS)
        right.addWidget(self.mine)
        right.addStretch(1)
        # side by side when there is room; the draft above your answers when not (a narrow window or
        # 200% scale squeezed each to one or two words a line)
        self.columns = _parts.Columns(left_box, right_box)
        layout.addWidget(self.columns)
        layout.addWidget(heading("Your answer", 2))
        self.choice_error = error_label()
        layout.addWidget(self.choice_error)
        self.concur = QtWidgets.QRadioButton(words.CONCUR)
        self.comment = QtWidgets.QRadioButton(words.COMMENT)
        self.dissent = QtWidgets.QRadioButton(words.DISSENT)
        self.group = QtWidgets.QButtonGroup(self)
        for r in (self.concur, self.comment, self.dissent):
            r.setAccessibleName(r.text())
            self.group.addButton(r)
            layout.addWidget(r)
        self.text_label = QtWidgets.QLabel(words.COMMENT_LABEL)
        self.text_label.setProperty("role", "h3")
        self.text_error = error_label()
        self.text = QtWidgets.QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(120)
        self.text.setAccessibleName(words.COMMENT_LABEL)
        self.text_label.setBuddy(self.text)
        self.attribute_label = QtWidgets.QLabel(words.ATTRIBUTE)
        self.attribute_label.setProperty("role", "h3")
        self.by_name = QtWidgets.QRadioButton(words.BY_NAME)
        self.by_role = QtWidgets.QRadioButton(words.BY_ROLE)
        self.by_name.setAccessibleName(words.BY_NAME)
        self.by_role.setAccessibleName(words.BY_ROLE)
        self.by_name.setChecked(True)
        self.attr_group = QtWidgets.QButtonGroup(self)
        self.attr_group.addButton(self.by_name)
        self.attr_group.addButton(self.by_role)
        self.text_box = QtWidgets.QWidget()
        tb = QtWidgets.QVBoxLayout(self.text_box)
        tb.setContentsMargins(28, 0, 0, 0)
        for w in (self.text_label, self.text_error, self.text, self.attribute_label, self.by_name, self.by_role):
            tb.addWidget(w)
        self.text_box.hide()
        layout.addWidget(reading(self.text_box))
        self.group.buttonToggled.connect(self._chosen)
        self.send_button = primary_button(words.SEND_SIGNOFF)
        self.send_button.clicked.connect(self.send)
        layout.addWidget(self.send_button)
        layout.addStretch(1)
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(_parts.page_scroll(inner, "The panel's draft advice"))

    def load(self, app_id: str, form: Form) -> None:
        self.app_id = app_id
        draft = self.desk.latest_draft(app_id)
        app = self.desk.application(app_id)
        self.title.setText(f"{words.DRAFT_TITLE}: {app.authority}")
        if draft is not None:
            self.draft_heading.setText(f"Draft {draft.revision}")
            self.draft.set_rows([
                ("Summary", draft.summary),
                ("Outcomes for children", draft.outcomes),
                ("Monitoring arrangements", draft.monitoring),
                ("Conditions", "\n".join(f"• {c}" for c in draft.conditions) or "None"),
                ("Other advice", draft.other_advice or "None"),
            ])
        self.mine.set_rows(answers_rows(form, self.desk.answers(app_id)))
        self.errors.set_errors([])

    def _chosen(self, button, on: bool) -> None:
        if not on:
            return
        needs_text = button is not self.concur
        self.text_box.setVisible(needs_text)
        label = words.DISSENT_LABEL if button is self.dissent else words.COMMENT_LABEL
        self.text_label.setText(label)
        self.text.setAccessibleName(label)

    def kind(self) -> SignOffKind | None:
        if self.concur.isChecked():
            return SignOffKind.CONCUR
        if self.comment.isChecked():
            return SignOffKind.COMMENT
        if self.dissent.isChecked():
            return SignOffKind.DISSENT
        return None

    def send(self) -> None:
        kind = self.kind()
        text = self.text.toPlainText().strip() if kind is not SignOffKind.CONCUR else ""
        problems = []
        self.choice_error.hide()
        self.text_error.hide()
        if kind is None:
            problems.append((words.ERR_SIGNOFF_CHOOSE, self.concur))
            self.choice_error.setText(words.ERR_SIGNOFF_CHOOSE)
            self.choice_error.show()
        elif kind is not SignOffKind.CONCUR and not text:
            msg = words.ERR_SIGNOFF_DISSENT if kind is SignOffKind.DISSENT else words.ERR_SIGNOFF_COMMENT
            problems.append((msg, self.text))
            self.text_error.setText(msg)
            self.text_error.show()
        self.errors.set_errors(problems)
        if problems:
            return
        suggested = f"signoff-{self.app_id}-{_parts.safe_name(self.desk.identity.card.name)}.pdbundle"
        out, in_exchange = self.desk.outgoing(self, words.SEND_SIGNOFF, "signoff", self.app_id, suggested,
                                              _parts.ask_save_path)
        if out is None:
            return
        attribute = Attribution.ROLE if self.by_role.isChecked() else Attribution.NAME
        try:
            sent: Sent = self.desk.sign_off(self.app_id, kind, text, attribute, out, in_exchange)
        except PanelDeskError as exc:
            self.errors.set_errors([(str(exc), None)])
            return
        self.sent.emit(sent)


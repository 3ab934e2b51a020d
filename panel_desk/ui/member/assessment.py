"""The Assessment tab: a GOV.UK task list, one step per form section, check your answers, confirmation.

Every question step is built from the form (``forms/…``): its question, guidance, prompts and
fields. Answers autosave (debounced) as they are typed; nothing waits for a Save button.
"""

from __future__ import annotations

from panel_desk.core.forms import FieldKind, Form, FormField, Section
from panel_desk.core.model import FEATURE_LABELS, Evidence, Feature, ResponseAnswers
from panel_desk.ui import tasks
from panel_desk.ui.member import _parts
from panel_desk.ui.member import text as words
from panel_desk.ui.member._desk import MemberDesk, Sent, when
from panel_desk.ui.member._parts import (
    Details,
    SuccessPanel,
    error_label,
    link_button,
    page_layout,
    primary_button,
    publish_tag,
    reading,
    secondary_button,
)
from panel_desk.ui.qt import Qt, QtCore, QtWidgets, Signal
from panel_desk.ui.widgets import StatusTag, heading, paragraph

AUTOSAVE_MS = 600  # within the 1 s the issue allows
QUESTION_SECTIONS = ("outcomes", "monitoring")
STATUS_COLOURS = {words.CANNOT_START: "grey", words.NOT_STARTED: "grey", words.IN_PROGRESS: "blue",
                  words.COMPLETED: "green", words.INCOMPLETE: "red"}


# --- answers <-> form fields ----------------------------------------------------------------------


def field_value(answers: ResponseAnswers, section: Section, field: FormField):
    """The value of one form field in ``answers`` (question fields live under the question)."""
    if section.id in QUESTION_SECTIONS:
        value = getattr(answers.answer(section.id), field.id, None)
    else:
        value = getattr(answers, field.id, None)
    return getattr(value, "value", value)


def with_field(answers: ResponseAnswers, section: Section, field_id: str, value) -> ResponseAnswers:
    """A copy of ``answers`` with one field changed."""
    data = answers.model_dump()
    if section.id in QUESTION_SECTIONS:
        data[section.id][field_id] = value
    else:
        data[field_id] = value
    return ResponseAnswers.model_validate(data)


def is_empty(value) -> bool:
    return value in (None, "", []) or value == ()


def value_words(field: FormField, value) -> str:
    if is_empty(value):
        return words.NOT_ANSWERED
    if field.kind is FieldKind.CHOICE:
        return next((c.label for c in field.choices if c.value == value), str(value))
    if field.kind is FieldKind.LIST:
        return "\n".join(f"• {v}" for v in value)
    if field.kind is FieldKind.EVIDENCE:
        return "\n".join(f"{e.document}, page {e.page}: “{e.quote}”" for e in value)
    return str(value)


def section_status(section: Section, answers: ResponseAnswers, visited: bool) -> str:
    values = [field_value(answers, section, f) for f in section.fields]
    required = [field_value(answers, section, f) for f in section.fields if f.required]
    if all(is_empty(v) for v in values):
        return words.COMPLETED if visited and not required else words.NOT_STARTED
    if any(is_empty(v) for v in required):
        return words.IN_PROGRESS
    if not required and not visited:
        return words.IN_PROGRESS
    return words.COMPLETED


def section_title(section: Section) -> str:
    return f"{section.number} {section.title}" if section.number else section.title


# --- the task list --------------------------------------------------------------------------------


class TaskRow(QtWidgets.QFrame):
    def __init__(self, title: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("task-row")
        self.setStyleSheet("QFrame#task-row { border-bottom: 1px solid #b1b4b6; }")
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 10)
        self.link = link_button(title)
        self.plain = QtWidgets.QLabel(title)
        self.tag = StatusTag(words.NOT_STARTED)
        layout.addWidget(self.link)
        layout.addWidget(self.plain)
        layout.addStretch(1)
        layout.addWidget(self.tag)
        self.title = title

    def set_status(self, status: str) -> None:
        self.tag.set_status(status, STATUS_COLOURS.get(status, "grey"))
        can = status != words.CANNOT_START
        self.link.setVisible(can)
        self.plain.setVisible(not can)
        self.link.setAccessibleName(f"{self.title}. {status}")

    @property
    def status(self) -> str:
        return self.tag.accessibleName().removeprefix("Status: ")


class TaskListPage(QtWidgets.QWidget):
    chosen = Signal(str)  # task key: declare, read, <section id>, check, draft

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._layout = page_layout(self)
        self.title = heading(words.TASKS_TITLE, 1)
        self.caption = paragraph("", "caption")
        self.summary = paragraph("")
        self._layout.addWidget(self.caption)
        self._layout.addWidget(self.title)
        self._layout.addWidget(self.summary)
        self.rows: dict[str, TaskRow] = {}
        self._rows_box = QtWidgets.QVBoxLayout()
        self._rows_box.setSpacing(0)
        box = QtWidgets.QWidget()
        box.setLayout(self._rows_box)
        self._layout.addWidget(reading(box))
        self._layout.addStretch(1)

    def set_tasks(self, tasks_: list[tuple[str, str]]) -> None:
        for row in self.rows.values():
            row.deleteLater()
        self.rows = {}
        for key, title in tasks_:
            row = TaskRow(title)
            row.link.clicked.connect(lambda _=False, k=key: self.chosen.emit(k))
            self._rows_box.addWidget(row)
            self.rows[key] = row

    def set_status(self, key: str, status: str) -> None:
        self.rows[key].set_status(status)


# --- a question step ------------------------------------------------------------------------------


class FieldWidget(QtWidgets.QWidget):
    """One form field: label, hint, its own error message, and the control."""

    changed = Signal()

    def __init__(self, field: FormField, parent=None) -> None:
        super().__init__(parent)
        self.field = field
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 8)
        layout.setSpacing(6)
        top = QtWidgets.QHBoxLayout()
        self.label = QtWidgets.QLabel(field.label)
        self.label.setProperty("role", "h3")
        self.label.setWordWrap(True)
        top.addWidget(self.label, 1)
        top.addWidget(publish_tag(field.publishable))
        layout.addLayout(top)
        if field.hint:
            layout.addWidget(paragraph(field.hint, "hint"))
        self.error = error_label()
        layout.addWidget(self.error)
        self.focus_target: QtWidgets.QWidget
        self._evidence: list[tuple[QtWidgets.QCheckBox, Evidence]] = []
        if field.kind is FieldKind.CHOICE:
            self.group = QtWidgets.QButtonGroup(self)
            self.group.setExclusive(True)
            self.radios: dict[str, QtWidgets.QRadioButton] = {}
            for choice in field.choices:
                radio = QtWidgets.QRadioButton(choice.label)
                radio.setAccessibleName(f"{field.label} {choice.label}")
                if choice.hint:
                    radio.setAccessibleDescription(choice.hint)
                    radio.setToolTip(choice.hint)
                self.group.addButton(radio)
                self.radios[choice.value] = radio
                layout.addWidget(radio)
                if choice.hint:
                    hint = paragraph(choice.hint, "hint")
                    hint.setContentsMargins(26, 0, 0, 0)
                    layout.addWidget(hint)
            self.group.buttonToggled.connect(lambda _b, on: on and self.changed.emit())
            self.focus_target = next(iter(self.radios.values()))
        elif field.kind is FieldKind.EVIDENCE:
            self.evidence_box = QtWidgets.QVBoxLayout()
            self.no_evidence = paragraph(words.NO_EVIDENCE, "hint")
            layout.addWidget(self.no_evidence)
            layout.addLayout(self.evidence_box)
            self.focus_target = self.no_evidence
        else:
            self.edit = QtWidgets.QPlainTextEdit()
            self.edit.setTabChangesFocus(True)
            self.edit.setAccessibleName(field.label)
            self.edit.setMinimumHeight(120 if field.kind is FieldKind.TEXT else 96)
            self.edit.setMaximumWidth(_parts.READING_WIDTH)
            self.edit.textChanged.connect(self.changed)
            layout.addWidget(self.edit)
            self.focus_target = self.edit
        self.label.setBuddy(self.focus_target)

    def set_evidence_options(self, options: list[Evidence], chosen: list[Evidence]) -> None:
        for box, _e in self._evidence:
            box.deleteLater()
        self._evidence = []
        ids = {e.annotation_id for e in chosen}
        for e in options:
            box = QtWidgets.QCheckBox(f"{e.document}, page {e.page}: “{e.quote}”")
            box.setAccessibleName(f"Cite {e.document} page {e.page}: {e.quote}")
            box.setChecked(e.annotation_id in ids)
            box.toggled.connect(lambda _on: self.changed.emit())
            self.evidence_box.addWidget(box)
            self._evidence.append((box, e))
        self.no_evidence.setVisible(not options)
        if self._evidence:
            self.focus_target = self._evidence[0][0]
            self.label.setBuddy(self.focus_target)

    def value(self):
        kind = self.field.kind
        if kind is FieldKind.CHOICE:
            return next((v for v, r in self.radios.items() if r.isChecked()), "")
        if kind is FieldKind.EVIDENCE:
            return [e for box, e in self._evidence if box.isChecked()]
        text = self.edit.toPlainText()
        if kind is FieldKind.LIST:
            return [line.strip() for line in text.splitlines() if line.strip()]
        return text.strip()

    def set_value(self, value) -> None:
        kind = self.field.kind
        self.blockSignals(True)
        try:
            if kind is FieldKind.CHOICE:
                self.group.setExclusive(False)
                for v, r in self.radios.items():
                    r.setChecked(v == value)
                self.group.setExclusive(True)
            elif kind is FieldKind.LIST:
                text = "\n".join(value or [])
                if self.value() != list(value or []):
                    self.edit.setPlainText(text)
            elif kind is FieldKind.TEXT and self.edit.toPlainText().strip() != (value or ""):
                self.edit.setPlainText(value or "")
        finally:
            self.blockSignals(False)

    def set_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self.setStyleSheet("FieldWidget { border-left: 5px solid #d4351c; }" if message else "")


class QuestionStep(QtWidgets.QWidget):
    """One section of the form: question, guidance, prompts (details), fields; autosaves."""

    saved = Signal()
    done = Signal()
    back = Signal()
    featureRequested = Signal(object)  # Feature

    def __init__(self, desk: MemberDesk, section: Section, parent=None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.section = section
        self.app_id = ""
        self._loading = False
        inner = QtWidgets.QWidget()
        layout = page_layout(inner)
        self.errors = _parts.ErrorSummary()
        layout.addWidget(reading(self.errors))
        self.back_link = link_button(words.BACK_TO_TASKS, words.BACK_TO_TASKS)
        self.back_link.clicked.connect(self.back)
        layout.addWidget(self.back_link)
        if section.number:
            layout.addWidget(paragraph(section.number, "caption"))
        self.title = heading(section.title, 1)
        layout.addWidget(self.title)
        if section.question:
            layout.addWidget(reading(heading(section.question, 2)))
        if section.guidance:
            layout.addWidget(reading(paragraph(" ".join(section.guidance.split()))))
        self.prompts: list[Details] = []
        if section.prompts:
            layout.addWidget(heading(words.PROMPTS, 3))
            for prompt in section.prompts:
                details = Details(prompt.text)
                feature = Feature(prompt.feature)
                link = link_button(words.SEE_FEATURE.format(feature=FEATURE_LABELS[feature].lower()))
                link.clicked.connect(lambda _=False, f=feature: self.featureRequested.emit(f))
                details.add(link)
                details.link = link
                self.prompts.append(details)
                layout.addWidget(reading(details))
        self.fields: dict[str, FieldWidget] = {}
        for f in section.fields:
            w = FieldWidget(f)
            w.changed.connect(self._changed)
            self.fields[f.id] = w
            layout.addWidget(reading(w))
        buttons = QtWidgets.QHBoxLayout()
        self.continue_button = primary_button(words.SAVE_CONTINUE)
        self.continue_button.clicked.connect(self.save_and_continue)
        self.save_state = QtWidgets.QLabel("")
        self.save_state.setProperty("role", "caption")
        self.save_state.setAccessibleName("Saving state")
        buttons.addWidget(self.continue_button)
        buttons.addSpacing(16)
        buttons.addWidget(self.save_state)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.scroll = _parts.page_scroll(inner, section_title(section))
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)
        self.timer = QtCore.QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.save_now)
        self.errors.linkActivated.connect(self._scroll_to_focus)

    def load(self, app_id: str) -> None:
        self.app_id = app_id
        self._loading = True
        try:
            answers = self.desk.answers(app_id)
            evidence_options = [a.as_evidence() for a in self.desk.annotations(app_id)]
            for f in self.section.fields:
                w = self.fields[f.id]
                value = field_value(answers, self.section, f)
                if f.kind is FieldKind.EVIDENCE:
                    w.set_evidence_options(evidence_options, value or [])
                else:
                    w.set_value(value)
                w.set_error("")
            self.errors.set_errors([])
            self.save_state.setText("")
        finally:
            self._loading = False

    def _changed(self) -> None:
        if self._loading:
            return
        self.save_state.setText(words.SAVING)
        self.timer.start()

    def collect(self, answers: ResponseAnswers) -> ResponseAnswers:
        data = answers.model_dump()
        target = data[self.section.id] if self.section.id in QUESTION_SECTIONS else data
        for f in self.section.fields:
            value = self.fields[f.id].value()
            if f.kind is FieldKind.EVIDENCE:
                value = [e.model_dump() for e in value]
            if f.id == "confidence" and value == "":
                value = None
            target[f.id] = value
        return ResponseAnswers.model_validate(data)

    def save_now(self) -> None:
        """Write this step's fields into the saved answers (the autosave)."""
        self.timer.stop()
        if not self.app_id:
            return
        answers = self.collect(self.desk.answers(self.app_id))
        self.desk.save_answers(self.app_id, answers)
        self.save_state.setText(words.SAVED)
        self.saved.emit()

    def flush(self) -> None:
        if self.timer.isActive():
            self.save_now()

    def problems(self) -> list[tuple[str, QtWidgets.QWidget]]:
        out = []
        for f in self.section.fields:
            w = self.fields[f.id]
            missing = f.required and is_empty(w.value())
            w.set_error(f.error_missing if missing else "")
            if missing:
                out.append((f.error_missing, w.focus_target))
        return out

    def save_and_continue(self) -> None:
        self.save_now()
        problems = self.problems()
        self.errors.set_errors(problems)
        if problems:
            self.scroll.verticalScrollBar().setValue(0)
            return
        self.desk.mark_visited(self.app_id, self.section.id)
        self.done.emit()

    def _scroll_to_focus(self, _key: str) -> None:
        w = QtWidgets.QApplication.focusWidget()
        if w is not None and self.isAncestorOf(w):
            self.scroll.ensureWidgetVisible(w)


# --- read the application -----------------------------------------------------------------------


class ReadStep(QtWidgets.QWidget):
    back = Signal()
    openDocuments = Signal()
    done = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = page_layout(self)
        self.back_link = link_button(words.BACK_TO_TASKS)
        self.back_link.clicked.connect(self.back)
        layout.addWidget(self.back_link)
        layout.addWidget(heading(words.TASK_READ, 1))
        layout.addWidget(reading(paragraph(words.READ_BODY)))
        self.documents = paragraph("")
        layout.addWidget(reading(self.documents))
        self.open_button = secondary_button(words.OPEN_DOCUMENTS)
        self.open_button.clicked.connect(self.openDocuments)
        layout.addWidget(self.open_button)
        self.read_button = primary_button(words.MARK_READ)
        self.read_button.clicked.connect(self.done)
        layout.addWidget(self.read_button)
        layout.addStretch(1)

    def set_documents(self, titles: list[str]) -> None:
        self.documents.setText("\n".join(f"• {t}" for t in titles))


# --- check your answers ---------------------------------------------------------------------------


class CheckPage(QtWidgets.QWidget):
    """Every answer with a Change link back to its step; then Send."""

    change = Signal(str, str)  # section id, field id
    back = Signal()
    send = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.inner = QtWidgets.QWidget()
        self._layout = page_layout(self.inner)
        self.scroll = _parts.page_scroll(self.inner, words.CHECK_TITLE)
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)
        self.change_links: dict[tuple[str, str], QtWidgets.QPushButton] = {}
        self.send_button: QtWidgets.QPushButton | None = None
        self.errors = _parts.ErrorSummary()

    def show_answers(self, form: Form, answers: ResponseAnswers, problems: list[str], last_sent) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
            elif item.layout():
                _clear(item.layout())
        self.change_links = {}
        back = link_button(words.BACK_TO_TASKS)
        back.clicked.connect(self.back)
        self._layout.addWidget(back)
        self.errors = _parts.ErrorSummary()
        self._layout.addWidget(reading(self.errors))
        self._layout.addWidget(heading(words.CHECK_TITLE, 1))
        for section in form.sections:
            self._layout.addWidget(heading(section_title(section), 2))
            grid = QtWidgets.QGridLayout()
            grid.setHorizontalSpacing(20)
            grid.setVerticalSpacing(12)
            grid.setColumnStretch(1, 1)
            for row, f in enumerate(section.fields):
                key = QtWidgets.QLabel(f.label)
                key.setProperty("role", "h3")
                key.setWordWrap(True)
                key.setMaximumWidth(260)
                key.setAlignment(Qt.AlignmentFlag.AlignTop)
                value = paragraph(value_words(f, field_value(answers, section, f)))
                value.setMaximumWidth(460)
                value.setAccessibleName(f"{f.label}: {value.text()}")
                tag = publish_tag(f.publishable)
                change = link_button(words.CHANGE, f"{words.CHANGE} {f.label.lower()} ({section.title})")
                change.clicked.connect(lambda _=False, s=section.id, fid=f.id: self.change.emit(s, fid))
                self.change_links[(section.id, f.id)] = change
                grid.addWidget(key, row, 0, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(value, row, 1, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(tag, row, 2, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(change, row, 3, Qt.AlignmentFlag.AlignTop)
            box = QtWidgets.QWidget()
            box.setLayout(grid)
            box.setMaximumWidth(1100)
            self._layout.addWidget(box)
        if last_sent is not None:
            self._layout.addWidget(reading(paragraph(words.SEND_AGAIN_NOTE.format(
                revision=getattr(last_sent, "revision", 1), when=when(getattr(last_sent, "submitted_at", ""))),
                "hint")))
        self._layout.addWidget(heading("Now send your response", 2))
        self._layout.addWidget(reading(paragraph(
            "By sending you confirm that these are your views. Your response is signed with your key "
            "and only the secretariat can open it.")))
        self.send_button = primary_button(words.SEND)
        self.send_button.clicked.connect(self.send)
        self._layout.addWidget(self.send_button)
        self._layout.addStretch(1)
        self.errors.set_errors([(p, None) for p in problems])
        self.send_button.setEnabled(not problems)


def _clear(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget():
            item.widget().deleteLater()
        elif item.layout():
            _clear(item.layout())


class ConfirmationPage(QtWidgets.QWidget):
    back = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = page_layout(self)
        self.panel = SuccessPanel(words.SENT_TITLE)
        layout.addWidget(reading(self.panel))
        self.details = paragraph("")
        self.details.setAccessibleName("What was sent")
        layout.addWidget(reading(self.details))
        self.next_heading = heading(words.NEXT_STEPS, 2)
        layout.addWidget(self.next_heading)
        self.next_body = paragraph(words.NEXT_STEPS_BODY)
        layout.addWidget(reading(self.next_body))
        self.back_button = secondary_button(words.BACK_TO_TASKS)
        self.back_button.clicked.connect(self.back)
        layout.addWidget(self.back_button)
        layout.addStretch(1)

    def show_sent(self, title: str, headline: str, details: str, next_steps: str) -> None:
        self.panel.set_text(title, headline)
        self.details.setText(details)
        self.next_body.setText(next_steps)


# --- the tab --------------------------------------------------------------------------------------


class AssessmentPage(QtWidgets.QStackedWidget):
    """The task list and its steps for one application."""

    declareRequested = Signal()
    documentsRequested = Signal()
    featureRequested = Signal(object)
    statusChanged = Signal()

    def __init__(self, desk: MemberDesk, parent=None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.form = desk.form()
        self.app_id = ""
        self.tasks = TaskListPage()
        self.tasks.chosen.connect(self.open_task)
        self.addWidget(_parts.page_scroll(self.tasks, words.TASKS_TITLE))
        self.read = ReadStep()
        self.read.back.connect(self.show_tasks)
        self.read.openDocuments.connect(self.documentsRequested)
        self.read.done.connect(self._read_done)
        self.addWidget(self.read)
        self.steps: dict[str, QuestionStep] = {}
        for section in self.form.sections:
            step = QuestionStep(desk, section)
            step.back.connect(self.show_tasks)
            step.done.connect(lambda s=section.id: self._step_done(s))
            step.saved.connect(self.statusChanged)
            step.featureRequested.connect(self.featureRequested)
            self.steps[section.id] = step
            self.addWidget(step)
        self.check = CheckPage()
        self.check.back.connect(self.show_tasks)
        self.check.change.connect(self.change_field)
        self.check.send.connect(self.send_response)
        self.addWidget(self.check)
        self.confirmation = ConfirmationPage()
        self.confirmation.back.connect(self.show_tasks)
        self.addWidget(self.confirmation)
        self.signoff = None  # built on demand (draft advice)
        self.opened: set[str] = set()  # applications whose documents were opened in this session
        self._task: tasks.Task | None = None
        keys = [("declare", words.TASK_DECLARE), ("read", words.TASK_READ)]
        keys += [(s.id, section_title(s)) for s in self.form.sections]
        keys += [("check", words.TASK_CHECK)]
        self._task_keys = keys

    # -- navigation -----------------------------------------------------------------------------

    def set_application(self, app_id: str) -> None:
        self.flush()
        self.app_id = app_id
        keys = list(self._task_keys)
        if self.desk.draft_held(app_id) is not None:  # its content opens only after declaring
            keys.append(("draft", "Agree the panel's draft advice"))
        self.tasks.set_tasks(keys)
        app = self.desk.application(app_id)
        self.tasks.caption.setText(app.authority)
        self.read.set_documents([d.title for d in self.desk.documents(app_id)] if self.declared() else [])
        self.refresh()
        self.show_tasks()

    def declared(self) -> bool:
        return bool(self.app_id) and self.desk.declaration(self.app_id) is not None

    def statuses(self) -> dict[str, str]:
        if not self.app_id:
            return {}
        declared = self.declared()
        out = {"declare": words.COMPLETED if declared else words.NOT_STARTED}
        if not declared:
            for key, _t in self._task_keys[1:]:
                out[key] = words.CANNOT_START
            if "draft" in self.tasks.rows:
                out["draft"] = words.CANNOT_START
            return out
        out["read"] = (words.COMPLETED if self.desk.has_read(self.app_id) else
                       words.IN_PROGRESS if self.app_id in self.opened else words.NOT_STARTED)
        answers = self.desk.answers(self.app_id)
        visited = self.desk.visited_sections(self.app_id)
        for s in self.form.sections:
            out[s.id] = section_status(s, answers, s.id in visited)
        problems = self.desk.response_problems(self.app_id)
        last = self.desk.last_sent(self.app_id)
        if problems:
            out["check"] = words.CANNOT_START
        elif last is not None and getattr(last, "answers", None) == answers:
            out["check"] = words.COMPLETED
        elif last is not None:
            out["check"] = words.IN_PROGRESS
        else:
            out["check"] = words.NOT_STARTED
        if "draft" in self.tasks.rows:
            out["draft"] = words.NOT_STARTED
        return out

    def refresh(self) -> None:
        statuses = self.statuses()
        for key, status in statuses.items():
            if key in self.tasks.rows:
                self.tasks.set_status(key, status)
        done = sum(1 for s in statuses.values() if s == words.COMPLETED)
        self.tasks.summary.setText(f"You have completed {done} of {len(statuses)} sections.")

    def show_tasks(self) -> None:
        self.flush()
        self.refresh()
        self.setCurrentIndex(0)

    def open_task(self, key: str) -> None:
        self.flush()
        if key == "declare":
            self.declareRequested.emit()
        elif key == "read":
            self.setCurrentWidget(self.read)
        elif key == "check":
            self.show_check()
        elif key == "draft":
            self.show_draft()
        elif key in self.steps:
            self.open_step(key)

    def open_step(self, section_id: str) -> QuestionStep:
        step = self.steps[section_id]
        step.load(self.app_id)
        self.setCurrentWidget(step)
        step.scroll.verticalScrollBar().setValue(0)
        return step

    def change_field(self, section_id: str, field_id: str) -> None:
        step = self.open_step(section_id)
        target = step.fields[field_id].focus_target
        QtCore.QTimer.singleShot(0, lambda: (target.setFocus(Qt.FocusReason.OtherFocusReason),
                                             step.scroll.ensureWidgetVisible(target)))

    def _read_done(self) -> None:
        self.desk.mark_read(self.app_id)
        self.show_tasks()

    def _step_done(self, section_id: str) -> None:
        ids = [s.id for s in self.form.sections]
        i = ids.index(section_id)
        if i + 1 < len(ids):
            self.open_step(ids[i + 1])
        else:
            self.show_check()
        self.statusChanged.emit()

    def flush(self) -> None:
        for step in self.steps.values():
            step.flush()

    def show_check(self) -> None:
        self.flush()
        answers = self.desk.answers(self.app_id)
        self.check.show_answers(self.form, answers, self.desk.response_problems(self.app_id),
                                self.desk.last_sent(self.app_id))
        self.setCurrentWidget(self.check)

    # -- sending --------------------------------------------------------------------------------

    def send_response(self) -> None:
        app = self.desk.application(self.app_id)
        suggested = _parts.default_folder() / f"response-{app.id}.pdbundle"
        out = _parts.ask_save_path(self, words.SEND, suggested, "Panel Desk files (*.pdbundle)")
        if out is None:
            return
        if out.suffix != ".pdbundle":
            out = out.with_name(out.name + ".pdbundle")

        def work(progress, cancelled):
            return self.desk.send_response(self.app_id, out, progress, cancelled)

        self._task = tasks.run_with_progress(self, words.SENDING, work, on_done=self._sent,
                                             on_error=self._send_failed)

    def _sent(self, sent: Sent) -> None:
        self._task = None
        app = self.desk.application(self.app_id)
        self.confirmation.show_sent(
            words.SENT_TITLE, f"Revision {sent.revision} of your response",
            words.SENT_BODY.format(revision=sent.revision, authority=app.authority, to=sent.to,
                                   name=sent.path.name, folder=sent.path.parent),
            words.NEXT_STEPS_BODY)
        self.setCurrentWidget(self.confirmation)
        self.refresh()
        self.statusChanged.emit()

    def _send_failed(self, exc: BaseException) -> None:
        self._task = None
        if self.currentWidget() is self.check:
            self.check.errors.set_errors([(str(exc), None)])
        else:
            QtWidgets.QMessageBox.warning(self, words.SEND, str(exc))

    # -- draft advice ---------------------------------------------------------------------------

    def show_draft(self) -> None:
        from panel_desk.ui.member.signoff import SignOffPage

        if not self.declared():  # the draft carries other members' reasoning
            self.declareRequested.emit()
            return
        if self.signoff is None:
            self.signoff = SignOffPage(self.desk)
            self.signoff.back.connect(self.show_tasks)
            self.signoff.sent.connect(self._signed)
            self.addWidget(self.signoff)
        self.signoff.load(self.app_id, self.form)
        self.setCurrentWidget(self.signoff)

    def _signed(self, sent: Sent) -> None:
        self.confirmation.show_sent(
            words.SIGNOFF_SENT_TITLE, f"Your answer on draft {sent.revision}",
            words.SIGNOFF_SENT_BODY.format(revision=sent.revision, to=sent.to, name=sent.path.name,
                                           folder=sent.path.parent),
            words.SIGNOFF_NEXT)
        self.setCurrentWidget(self.confirmation)
        self.statusChanged.emit()


def answers_rows(form: Form, answers: ResponseAnswers) -> list[tuple[str, str]]:
    """(section, words) for each section: the member's own publishable answers beside the draft."""
    rows = []
    for section in form.sections:
        parts = []
        for f in section.fields:
            if f.kind is FieldKind.EVIDENCE or not f.publishable:
                continue
            label = f.label.split(" (")[0].rstrip("?")
            parts.append(f"{label}: {value_words(f, field_value(answers, section, f))}")
        rows.append((section_title(section), "\n".join(parts)))
    return rows

"""The Overview tab: the application's cover, the statutory clock, and the interests gate."""

from __future__ import annotations

from panel_desk.core import rules
from panel_desk.core.model import INTEREST_LABELS, Application, Interest, InterestType
from panel_desk.ui.member import _parts
from panel_desk.ui.member import text as words
from panel_desk.ui.member._desk import MemberDesk, when
from panel_desk.ui.member._parts import (
    error_label,
    link_button,
    page_layout,
    primary_button,
    reading,
    secondary_button,
)
from panel_desk.ui.qt import Qt, QtWidgets, Signal
from panel_desk.ui.widgets import Banner, StatusTag, SummaryList, heading, paragraph


def cover_rows(app: Application, today, panel_size: int, protection: str = "") -> list[tuple[str, str]]:
    """The cover of an application as summary-list rows (what a member may see before declaring)."""
    d = app.dates
    provisions = "\n\n".join(
        f"{p.citation}\n{p.change.value.capitalize()}"
        + (f": {p.replacement}" if p.replacement else "")
        + f"\nParliamentary procedure: {p.parliamentary_procedure.value}"
        for p in app.provisions)
    trial = f"{app.trial_months} months" + (f", extension of {app.extension_months} months" if app.extension_months else "")
    rows = [
        ("Applicant authority", app.authority),
        ("Title", app.title),
        ("Provisions", provisions),
        ("Proposed trial", trial),
        ("Application received", rules.format_date(d.received)),
        ("Panel asked", rules.format_date(d.panel_asked)),
        ("Advice due", f"{rules.format_date(d.advice_due)} ({rules.days_left_words(d.advice_due, today).lower()})"),
        ("Regulations intended", rules.format_date(d.regulations_intended)),
        ("Revision", str(app.revision) + (f": {app.revision_reason}" if app.revision_reason else "")),
    ]
    panel = "The Children's Commissioner and HM Chief Inspector (permanent members), and members appointed for this application."
    if panel_size:
        panel += f" This application was sent to {panel_size} people, including you."
    rows.append((words.PANEL, panel))
    if protection:
        rows.append(("Encryption", protection[:1].upper() + protection[1:] + "."))
    return rows


class InterestRow(QtWidgets.QWidget):
    removed = Signal(object)

    def __init__(self, number: int, parent=None) -> None:
        super().__init__(parent)
        layout = QtWidgets.QGridLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        self.type = QtWidgets.QComboBox()
        self.type.setAccessibleName(f"Type of interest {number}")
        for t in InterestType:
            self.type.addItem(INTEREST_LABELS[t], t.value)
        self.type.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.type.setMinimumContentsLength(14)
        self.text = QtWidgets.QLineEdit()
        self.text.setAccessibleName(f"{words.INTEREST_TEXT} {number}")
        self.text.setPlaceholderText(words.INTEREST_TEXT)
        self.text.setMinimumWidth(280)
        self.remove = link_button(words.REMOVE_INTEREST, f"Remove interest {number}")
        self.remove.clicked.connect(lambda: self.removed.emit(self))
        layout.addWidget(self.type, 0, 0)
        layout.addWidget(self.text, 0, 1)
        layout.addWidget(self.remove, 0, 2)
        layout.setColumnStretch(1, 1)

    def interest(self) -> Interest | None:
        text = self.text.text().strip()
        return Interest(type=InterestType(self.type.currentData()), text=text) if text else None


class DeclarationDialog(QtWidgets.QDialog):
    """Interest types with free text, or 'I have no interests to declare'."""

    def __init__(self, parent, app: Application) -> None:
        super().__init__(parent)
        self.setWindowTitle(words.DECLARATION_TITLE)
        self.setMinimumWidth(640)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(12)
        self.errors = _parts.ErrorSummary()
        layout.addWidget(self.errors)
        layout.addWidget(paragraph(app.authority, "caption"))
        layout.addWidget(heading(words.DECLARATION_TITLE, 1))
        layout.addWidget(reading(paragraph(words.DECLARATION_BODY)))
        self.choice_error = error_label()
        layout.addWidget(self.choice_error)
        self.none = QtWidgets.QRadioButton(words.NO_INTERESTS)
        self.none.setAccessibleName(words.NO_INTERESTS)
        self.some = QtWidgets.QRadioButton(words.HAS_INTERESTS)
        self.some.setAccessibleName(words.HAS_INTERESTS)
        layout.addWidget(self.none)
        layout.addWidget(self.some)
        self.interests_box = QtWidgets.QWidget()
        box = QtWidgets.QVBoxLayout(self.interests_box)
        box.setContentsMargins(28, 0, 0, 0)
        self.text_error = error_label()
        box.addWidget(self.text_error)
        self.rows_layout = QtWidgets.QVBoxLayout()
        box.addLayout(self.rows_layout)
        self.add = secondary_button(words.ADD_INTEREST)
        self.add.clicked.connect(self.add_row)
        box.addWidget(self.add, 0, Qt.AlignmentFlag.AlignLeft)
        self.interests_box.hide()
        layout.addWidget(self.interests_box)
        self.rows: list[InterestRow] = []
        self.some.toggled.connect(self._some)
        buttons = QtWidgets.QHBoxLayout()
        self.save = primary_button(words.SAVE_DECLARATION)
        self.save.setDefault(True)
        self.save.clicked.connect(self.check_and_accept)
        cancel = secondary_button("Cancel")
        cancel.clicked.connect(self.reject)
        buttons.addWidget(self.save)
        buttons.addWidget(cancel)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def _some(self, on: bool) -> None:
        self.interests_box.setVisible(on)
        if on and not self.rows:
            self.add_row()

    def add_row(self) -> InterestRow:
        row = InterestRow(len(self.rows) + 1)
        row.removed.connect(self._remove)
        self.rows.append(row)
        self.rows_layout.addWidget(row)
        row.text.setFocus()
        return row

    def _remove(self, row: InterestRow) -> None:
        self.rows.remove(row)
        row.deleteLater()

    def interests(self) -> list[Interest]:
        return [i for i in (r.interest() for r in self.rows) if i is not None]

    def check_and_accept(self) -> None:
        problems = []
        self.choice_error.hide()
        self.text_error.hide()
        if not (self.none.isChecked() or self.some.isChecked()):
            problems.append((words.ERR_DECLARATION_CHOOSE, self.none))
            self.choice_error.setText(words.ERR_DECLARATION_CHOOSE)
            self.choice_error.show()
        elif self.some.isChecked() and (not self.interests() or any(r.interest() is None for r in self.rows)):
            target = next((r.text for r in self.rows if r.interest() is None), self.add)
            problems.append((words.ERR_INTEREST_TEXT, target))
            self.text_error.setText(words.ERR_INTEREST_TEXT)
            self.text_error.show()
        self.errors.set_errors(problems)
        if not problems:
            self.accept()


class OverviewPage(QtWidgets.QWidget):
    """The cover; the declaration status and its buttons."""

    declared = Signal()

    def __init__(self, desk: MemberDesk, parent=None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.app_id = ""
        inner = QtWidgets.QWidget()
        layout = page_layout(inner)
        self.caption = paragraph("", "caption")
        self.title = heading("", 1)
        self.status = StatusTag("")
        layout.addWidget(self.caption)
        layout.addWidget(reading(self.title))
        layout.addWidget(self.status)
        self.banner_holder = QtWidgets.QVBoxLayout()
        layout.addLayout(self.banner_holder)
        self.banner: Banner | None = None
        self.gate = QtWidgets.QFrame()
        self.gate.setProperty("role", "banner")
        gl = QtWidgets.QVBoxLayout(self.gate)
        gl.setContentsMargins(20, 16, 20, 16)
        self.gate_text = paragraph("")
        gl.addWidget(self.gate_text)
        gb = QtWidgets.QHBoxLayout()
        self.declare_button = primary_button(words.DECLARE)
        self.declare_button.clicked.connect(self.declare)
        self.send_button = secondary_button(words.SEND_DECLARATION, "Send declaration to the secretariat")
        self.send_button.clicked.connect(self.send_declaration)
        gb.addWidget(self.declare_button)
        gb.addWidget(self.send_button)
        gb.addStretch(1)
        gl.addLayout(gb)
        self.send_result = paragraph("", "hint")
        self.send_result.hide()
        gl.addWidget(self.send_result)
        layout.addWidget(reading(self.gate))
        layout.addWidget(heading("The application", 2))
        self.cover = SummaryList()
        layout.addWidget(reading(self.cover))
        self.summary_heading = heading("Summary", 2)
        self.summary = paragraph("")
        layout.addWidget(self.summary_heading)
        layout.addWidget(reading(self.summary))
        layout.addStretch(1)
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(_parts.page_scroll(inner, "The cover of the application"))

    def set_application(self, app_id: str) -> None:
        self.app_id = app_id
        app = self.desk.application(app_id)
        self.caption.setText(app.authority)
        self.title.setText(app.title)
        self.title.setAccessibleName(app.title)
        check = rules.notice_check(app.dates.panel_asked, app.dates.regulations_intended)
        if self.banner is not None:
            self.banner.hide()
            self.banner.setParent(None)
            self.banner.deleteLater()
            self.banner = None
        if not check.meets_minimum:
            self.banner = Banner(words.NOTICE_SHORT_TITLE, check.message(), "warning")
            self.banner.setObjectName("notice-banner")
            self.banner_holder.addWidget(reading(self.banner))
        self.cover.set_rows(cover_rows(app, self.desk.today(), self.desk.panel_size(app_id),
                                       self.desk.bundle_protection(app_id)))
        self.refresh()

    def refresh(self) -> None:
        app = self.desk.application(self.app_id)
        decl = self.desk.declaration(self.app_id)
        row = next((r for r in self.desk.rows() if r.id == self.app_id), None)
        if row is not None:
            self.status.set_status(row.status, row.colour)
        if decl is None:
            self.gate_text.setText(words.DECLARE_AGAIN if app.revision > 1 else words.COVER_HIDDEN)
            self.declare_button.setText(words.DECLARE)
            self.declare_button.setProperty("role", "primary")
            self.send_button.hide()
            self.summary_heading.hide()
            self.summary.hide()
        else:
            text = words.DECLARED.format(when=when(decl.declared_at), revision=decl.application_revision)
            if decl.none_to_declare:
                text += " " + words.DECLARED_NONE
            else:
                text += " " + "; ".join(f"{i.type.label}: {i.text}" for i in decl.interests) + "."
            self.gate_text.setText(text)
            self.declare_button.setText("Change your declaration")
            self.declare_button.setProperty("role", "")
            self.send_button.show()
            self.summary_heading.show()
            self.summary.setText(app.summary)
            self.summary.show()
        self.declare_button.style().unpolish(self.declare_button)
        self.declare_button.style().polish(self.declare_button)

    def declare(self) -> None:
        app = self.desk.application(self.app_id)
        dialog = DeclarationDialog(self, app)
        dialog.setObjectName("declaration-dialog")
        self._dialog = dialog  # kept: its error summary may still have a focus timer pending
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        self.desk.declare(self.app_id, none=dialog.none.isChecked(),
                          interests=[] if dialog.none.isChecked() else dialog.interests())
        self.refresh()
        self.declared.emit()

    def send_declaration(self) -> None:
        suggested = _parts.default_folder() / f"declaration-{self.app_id}.pdbundle"
        out = _parts.ask_save_path(self, words.SEND_DECLARATION.rstrip("…"), suggested, "Panel Desk files (*.pdbundle)")
        if out is None:
            return
        try:
            path = self.desk.export_declaration(self.app_id, out)
        except Exception as exc:  # a PanelDeskError's message is for the person
            from panel_desk.core.errors import PanelDeskError

            if not isinstance(exc, PanelDeskError):
                raise
            self.send_result.setText(str(exc))
        else:
            self.send_result.setText(words.DECLARATION_SENT.format(path=path))
        self.send_result.show()

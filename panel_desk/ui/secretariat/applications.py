"""The chosen application: its cover, its problems, sealing it for the panel, revisions, withdrawal."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from panel_desk.core import rules
from panel_desk.core.errors import PanelDeskError
from panel_desk.core.model import Application
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
from panel_desk.ui.secretariat.readiness import ReadinessPanel
from panel_desk.ui.tasks import run_with_progress
from panel_desk.ui.widgets import Banner, ErrorSummary, StatusTag, SummaryList, heading, paragraph


def _qdate(d: date) -> QtCore.QDate:
    return QtCore.QDate(d.year, d.month, d.day)


def _pydate(q: QtCore.QDate) -> date:
    return date(q.year(), q.month(), q.day())


def cover_rows(app: Application) -> list[tuple[str, str]]:
    provisions = "\n\n".join(
        f"{p.citation}\n{p.change.value.capitalize()}; {p.parliamentary_procedure.value} procedure"
        + (f"\n{p.replacement}" if p.replacement else "")
        for p in app.provisions)
    trial = f"{app.trial_months} months" + (f", extension of {app.extension_months} months" if app.extension_months else "")
    return [
        ("Authority", app.authority),
        ("Title", app.title),
        ("Provisions", provisions),
        ("Trial", trial),
        ("Received", rules.format_date(app.dates.received)),
        ("Intended date of the regulations", rules.format_date(app.dates.regulations_intended)),
        ("Revision", str(app.revision) + (f": {app.revision_reason}" if app.revision_reason else "")),
        ("Documents", "\n".join(d.title for d in app.documents) or "None"),
    ]


class ApplicationPage(Page):
    changed = Signal()

    def __init__(self, desk: Desk, files) -> None:
        super().__init__(w.TAB_APPLICATION)
        self.desk = desk
        self.files = files
        self.app: Application | None = None
        self.task = None
        self.errors = ErrorSummary()
        self.body.insertWidget(1, self.errors)
        self.confirmation = ConfirmationPanel()
        self.confirmation.setObjectName("application-confirmation")
        self.body.insertWidget(2, self.confirmation)

        status_row = QtWidgets.QHBoxLayout()
        status_row.addWidget(QtWidgets.QLabel("Status:"))
        self.status = StatusTag("Not yet sent")
        status_row.addWidget(self.status)
        status_row.addStretch(1)
        self.body.addLayout(status_row)
        card = QtWidgets.QFrame()
        card.setProperty("role", "card")
        card_layout = QtWidgets.QVBoxLayout(card)
        card_layout.setContentsMargins(20, 16, 20, 16)
        card_layout.addWidget(heading("The application", 3))
        self.cover = SummaryList()
        card_layout.addWidget(self.cover)
        self.body.addWidget(card)
        self.readiness = ReadinessPanel()
        self.body.addWidget(self.readiness)
        self.warnings = Banner("Check before sending", "")
        self.warnings.setObjectName("application-warnings")
        self.body.addWidget(self.warnings)
        self.warnings.hide()

        # -- send to the panel --
        self.body.addWidget(heading(w.SEND_TITLE, 2))
        members_label = heading(w.MEMBERS_LABEL, 3)
        self.body.addWidget(members_label)
        self.body.addWidget(paragraph(w.MEMBERS_HINT, "hint"))
        self.members_box = QtWidgets.QWidget()
        self.members_box.setAccessibleName(w.MEMBERS_LABEL)
        self.members_layout = QtWidgets.QVBoxLayout(self.members_box)
        self.members_layout.setContentsMargins(0, 0, 0, 0)
        self.member_checks: dict[str, QtWidgets.QCheckBox] = {}
        self.member_details: list[QtWidgets.QLabel] = []
        self.body.addWidget(self.members_box)
        self.members_error = paragraph("", "error")
        self.members_error.hide()
        self.body.addWidget(self.members_error)

        self.body.addWidget(heading(w.ADVICE_DUE, 3))
        self.due = paragraph("")
        self.due.setObjectName("advice-due")
        self.body.addWidget(self.due)
        self.expiry_on = QtWidgets.QCheckBox(w.SET_EXPIRY)
        self.expiry_on.setAccessibleName(w.SET_EXPIRY)
        self.expiry = QtWidgets.QDateEdit()
        self.expiry.setCalendarPopup(True)
        self.expiry.setDisplayFormat("d MMMM yyyy")
        self.expiry.setAccessibleName(w.EXPIRY)
        self.expiry.setEnabled(False)
        self.expiry_on.toggled.connect(self.expiry.setEnabled)
        self.body.addLayout(row(self.expiry_on, self.expiry))
        self.seal_button = button(w.SEAL, role="primary")
        self.seal_button.clicked.connect(self.choose_seal_file)
        self.body.addLayout(row(self.seal_button))
        self.seal_why = paragraph("", "hint")
        self.seal_why.setObjectName("seal-why")
        self.seal_why.hide()
        self.body.addWidget(self.seal_why)

        # -- revisions and withdrawal --
        self.body.addWidget(heading("Change or withdraw the application", 2))
        reason_label = heading(w.REVISION_REASON, 3)
        self.revision_reason = QtWidgets.QLineEdit()
        self.revision_reason.setAccessibleName(w.REVISION_REASON)
        reason_label.setBuddy(self.revision_reason)
        self.body.addWidget(reason_label)
        self.body.addWidget(self.revision_reason)
        self.revision_button = button(w.NEW_REVISION, "Import a new revision of this application")
        self.revision_button.clicked.connect(self.choose_revision)
        self.body.addLayout(row(self.revision_button))
        withdraw_label = heading(w.WITHDRAW_REASON, 3)
        self.withdraw_reason = QtWidgets.QLineEdit()
        self.withdraw_reason.setAccessibleName(w.WITHDRAW_REASON)
        withdraw_label.setBuddy(self.withdraw_reason)
        self.body.addWidget(withdraw_label)
        self.body.addWidget(self.withdraw_reason)
        self.withdraw_button = button(w.WITHDRAW + "…", w.WITHDRAW, "warning")
        self.withdraw_button.clicked.connect(self.choose_withdraw_file)
        self.body.addLayout(row(self.withdraw_button))
        self.finish()
        self.setEnabled(False)

    # -- showing ----------------------------------------------------------------------------------

    def set_application(self, app: Application | None) -> None:
        changed = app is None or self.app is None or app.id != self.app.id
        self.app = app
        self.setEnabled(app is not None)
        if changed:
            self.confirmation.hide()
            self.errors.set_errors([])
        if app is None:
            return
        self.title.setText(f"{app.authority}: the application")
        self.cover.set_rows(cover_rows(app))
        words = self.desk.status(app.id)
        self.status.set_status(words, _colour(words))
        problems = self.desk.problems(app)
        warnings = [p.message for p in problems if not p.blocking]
        blocking = [p for p in problems if p.blocking]
        self.warnings.text.setText("\n".join(warnings))
        self.warnings.setVisible(bool(warnings))
        if blocking and changed:
            self.errors.set_errors([(p.message, None) for p in blocking])
        due = f"{rules.format_date(app.dates.advice_due)}. {w.ADVICE_DUE_HINT}"
        self.due.setText(due)
        self.due.setAccessibleName(f"{w.ADVICE_DUE}: {due}")
        self.expiry.setDate(_qdate(app.dates.regulations_intended))
        self._fill_members()
        ready = self.desk.readiness(app.id)
        self.readiness.show_readiness(ready)
        send = ready.step("send")
        # a revision already sent may be sent again (to a member added later); blocked only by its reasons
        self.seal_button.setEnabled(send.allowed)
        self.seal_why.setText(" ".join(send.reasons))
        self.seal_why.setVisible(bool(send.reasons))

    def _fill_members(self) -> None:
        for widget in (*self.member_checks.values(), *self.member_details):
            widget.hide()  # gone now, not only when the loop deletes it
            widget.deleteLater()
        self.member_checks.clear()
        self.member_details = []
        recused = self.desk.recused(self.app.id)
        for m in self.desk.panel_roster():
            # The box holds the name only (a check box cannot wrap); role, organisation and any recusal
            # are a wrapped line under it, so a long one never widens the page. Read out together.
            details = m.role_label + (f", {m.organisation}" if m.organisation else "")
            if m.fingerprint in recused:
                details += f". {recused[m.fingerprint]}"
            check = QtWidgets.QCheckBox(m.name)
            check.setAccessibleName(f"{m.name}, {details}")
            detail = paragraph(details, "hint", max_width=None)
            detail.setTextFormat(Qt.TextFormat.PlainText)
            detail.setIndent(28)  # under the name, past the box
            if m.fingerprint in recused:
                check.setEnabled(False)
            else:
                check.setChecked(True)
            self.members_layout.addWidget(check)
            self.members_layout.addWidget(detail)
            self.member_checks[m.fingerprint] = check
            self.member_details.append(detail)
        # Made after the page, the boxes would come last in the window's Tab order: put them before the expiry.
        previous = self.expiry_on.previousInFocusChain()
        for check in self.member_checks.values():
            QtWidgets.QWidget.setTabOrder(previous, check)
            previous = check

    def chosen_members(self) -> list[str]:
        return [fp for fp, c in self.member_checks.items() if c.isEnabled() and c.isChecked()]

    # -- sealing ---------------------------------------------------------------------------------

    def choose_seal_file(self) -> None:
        if not self._check_members():
            return
        suggested = f"{self.app.id}-r{self.app.revision}.pdbundle"
        path, in_exchange = send_path(self.files, self.desk.ws, "application", self.app.id, w.SEAL, suggested,
                                      w.SEAL_FILTER)
        if path is not None:
            self.seal_to(path, in_exchange)

    def _check_members(self) -> bool:
        ok = bool(self.chosen_members())
        self.members_error.setText(w.NO_MEMBERS)
        self.members_error.setVisible(not ok)
        first = next(iter(self.member_checks.values()), self.seal_button)
        self.errors.set_errors([] if ok else [(w.NO_MEMBERS, first)])
        return ok

    def seal_to(self, path: Path, in_exchange: bool = False) -> None:
        if not self._check_members():
            return
        app_id, to = self.app.id, self.chosen_members()
        expires = _pydate(self.expiry.date()) if self.expiry_on.isChecked() else None
        desk = self.desk

        def work(progress, cancelled):  # on a pool thread: no widgets here
            return desk.seal(app_id, path, to, expires=expires, progress=progress, cancelled=cancelled)

        def done(recipients) -> None:
            written(desk.ws, path, in_exchange)
            rows = file_rows(path, [m.name for m in recipients], in_exchange)
            if expires is not None:
                rows.append(("Opens until", rules.format_date(expires)))
            self.confirmation.show_result(w.SEALED_TITLE, rows, next_words(w.SEALED_NEXT, in_exchange))
            self.changed.emit()

        self.task = run_with_progress(self, w.SEALING, work, on_done=done, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, PanelDeskError):
            raise exc
        self.errors.set_errors([(m, None) for m in split_sentences(str(exc))])

    # -- revision and withdrawal -----------------------------------------------------------------

    def choose_revision(self) -> None:
        reason = self.revision_reason.text().strip()
        if not reason:
            self.errors.set_errors([(w.REVISION_NO_REASON, self.revision_reason)])
            return
        folder = self.files.folder(w.NEW_REVISION.rstrip("…"))
        if folder is not None:
            self.new_revision(folder, reason)

    def new_revision(self, folder: Path, reason: str) -> None:
        try:
            app = self.desk.new_revision(self.app.id, folder, reason)
        except PanelDeskError as exc:
            self.errors.set_errors([(m, None) for m in split_sentences(str(exc))])
            return
        self.revision_reason.clear()
        self.errors.set_errors([])
        self.set_application(app)
        self.changed.emit()

    def choose_withdraw_file(self) -> None:
        reason = self.withdraw_reason.text().strip()
        if not reason:
            self.errors.set_errors([(w.WITHDRAW_NO_REASON, self.withdraw_reason)])
            return
        path, in_exchange = send_path(self.files, self.desk.ws, "withdrawal", self.app.id, w.WITHDRAW,
                                      f"{self.app.id}-withdrawn.pdbundle", w.SEAL_FILTER)
        if path is not None:
            self.withdraw_to(path, reason, in_exchange)

    def withdraw_to(self, path: Path, reason: str, in_exchange: bool = False) -> None:
        try:
            recipients = self.desk.withdraw(self.app.id, path, reason)
        except PanelDeskError as exc:
            self.errors.set_errors([(str(exc), None)])
            return
        self.errors.set_errors([])
        self.withdraw_reason.clear()
        written(self.desk.ws, path, in_exchange)
        rows = [*file_rows(path, [m.name for m in recipients], in_exchange), ("Reason", reason)]
        self.confirmation.show_result(w.WITHDRAWN_TITLE, rows, next_words(w.WITHDRAWN_NEXT, in_exchange))
        self.changed.emit()


def split_sentences(message: str) -> list[str]:
    """One line per problem: the core joins every problem it finds into sentences."""
    import re

    parts = [p.strip() for p in re.split(r"(?<!e\.g\.)(?<!i\.e\.)(?<=\.)\s+(?=\S)", message) if p.strip()]
    return parts or [message]


def _colour(words: str) -> str:
    from panel_desk.ui.secretariat._desk import status_colour

    return status_colour(words)

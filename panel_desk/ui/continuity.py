"""The window's face on the profile's continuity: File › Back up…, File › Change passphrase…, the
background integrity check after unlock, the reminder when the last backup is old, and
"Restore from a backup" on the first-run screen.

Every rule is in the core (panel_desk.core.backup, .integrity, .passphrase); this module only
asks, runs the core off the GUI thread and shows the result in words.

Hooks elsewhere (kept to single lines so they survive others' edits):
``AppFlow.__init__`` calls :func:`install`, ``AppFlow.opened`` and ``AppFlow.unlocked`` call
:func:`after_unlock`, and ``FirstRun._build_details`` calls :func:`add_restore_button`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from panel_desk.core.errors import Locked, PanelDeskError
from panel_desk.core.identity import PublicCard
from panel_desk.ui import tasks
from panel_desk.ui.qt import QtWidgets
from panel_desk.ui.widgets import ErrorSummary, heading, paragraph

BACKUP_TITLE = "Back up the profile"
BACKUP_INTRO = ("A backup is one encrypted file holding everything in this profile. It can be opened with "
                "your identity and passphrase (and, if you choose one, with your organisation's recovery card). "
                "Keep it somewhere other than this computer.")
BACKUP_FILE = "Backup file"
RECOVERY_LABEL = "Recovery card"
RECOVERY_NONE = "None: only you can open the backups."
REMIND_LABEL = "Remind me when the last backup is older than"
CHECK_TITLE = "This profile is damaged"
REMINDER_TITLE = "Time for a backup"
PASSWD_TITLE = "Change passphrase"
PASSWD_INTRO = ("Your keys and everything in the profile stay as they are; only the passphrase that unlocks "
                "them changes. Other copies of your identity file keep the old passphrase.")
RESTORE_TITLE = "Restore from a backup"
RESTORE_INTRO = ("Rebuild your profile on this computer from a backup file made with File › Back up… "
                 "Everything in it is checked before it is used.")


def install(flow) -> None:
    """Add File › Back up… and File › Change passphrase… (before Settings) to the flow's window."""
    from panel_desk.ui.qt import QtGui

    window = flow.window
    flow.backup_action = QtGui.QAction("&Back up…", window)
    flow.backup_action.triggered.connect(lambda: open_backup_dialog(flow))
    flow.passwd_action = QtGui.QAction("Change &passphrase…", window)
    flow.passwd_action.triggered.connect(lambda: open_passwd_dialog(flow))
    for action in (flow.backup_action, flow.passwd_action):
        window.file_menu.insertAction(window.settings_action, action)
    flow.integrity_report = None
    flow.reminder_box = None


def _usable(flow) -> bool:
    return flow.ws is not None and not flow.ws.locked and not flow.window.gated()


# --- after unlock: integrity check in the background, backup reminder ------------------------------


def after_unlock(flow, *, first: bool = False) -> tasks.Task | None:
    """Check the profile for damage off the GUI thread; on the first unlock, remind about backups."""
    from panel_desk.core import backup, integrity

    ws = flow.ws
    if ws is None or ws.locked:
        return None
    if first:
        try:
            reminder = backup.backup_reminder(ws)
        except PanelDeskError:
            reminder = None
        if reminder:
            show_reminder(flow, reminder)

    def done(report) -> None:
        flow.integrity_report = report
        if not report.ok:
            flow.window.statusBar().showMessage(report.message)
            box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Warning, CHECK_TITLE, report.message,
                                        QtWidgets.QMessageBox.StandardButton.Ok, flow.window)
            box.setAccessibleName(CHECK_TITLE)
            box.open()
            flow.damage_box = box

    def failed(exc) -> None:
        if isinstance(exc, Locked):
            return  # locked again meanwhile: checked at the next unlock
        if not isinstance(exc, PanelDeskError):
            raise exc
        flow.window.statusBar().showMessage(str(exc))

    return tasks.run_in_background(lambda _p, _c: integrity.check_integrity(ws), on_done=done, on_error=failed)


def show_reminder(flow, message: str) -> None:
    box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Information, REMINDER_TITLE, message,
                                QtWidgets.QMessageBox.StandardButton.NoButton, flow.window)
    box.setAccessibleName(REMINDER_TITLE)
    now = box.addButton("Back up now…", QtWidgets.QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Later", QtWidgets.QMessageBox.ButtonRole.RejectRole)
    now.clicked.connect(lambda: open_backup_dialog(flow))
    box.open()
    flow.reminder_box = box


# --- File › Back up… ------------------------------------------------------------------------------


class BackupDialog(QtWidgets.QDialog):
    """Where to write the backup, the recovery card and the reminder; Back up runs off the GUI thread."""

    def __init__(self, flow) -> None:
        from panel_desk.core import backup

        super().__init__(flow.window)
        self.flow = flow
        self.ws = flow.ws
        self.result = None
        self._task = None
        layout, self.errors = _frame(self, BACKUP_TITLE, BACKUP_INTRO)

        layout.addWidget(QtWidgets.QLabel(BACKUP_FILE))
        row = QtWidgets.QHBoxLayout()
        self.path = QtWidgets.QLineEdit(str(Path.home() / f"panel-desk-backup-{date.today():%Y-%m-%d}.pdbackup"))
        self.path.setAccessibleName(BACKUP_FILE)
        browse = QtWidgets.QPushButton("Choose…")
        browse.setAccessibleName("Choose where to write the backup")
        browse.clicked.connect(self._choose_file)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout.addLayout(row)

        layout.addWidget(QtWidgets.QLabel(RECOVERY_LABEL))
        self.card: PublicCard | None = backup.recovery_card(self.ws)
        self.card_label = paragraph("", "hint")
        self.card_label.setAccessibleName(RECOVERY_LABEL)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.card_label, 1)
        choose = QtWidgets.QPushButton("Choose card…")
        choose.setAccessibleName("Choose the organisation's recovery card")
        choose.clicked.connect(self._choose_card)
        self.remove_card = QtWidgets.QPushButton("Remove")
        self.remove_card.setAccessibleName("Remove the recovery card")
        self.remove_card.clicked.connect(lambda: self.set_card(None))
        row.addWidget(choose)
        row.addWidget(self.remove_card)
        layout.addLayout(row)
        self._show_card()

        self.remind = QtWidgets.QSpinBox()
        self.remind.setRange(0, 90)
        self.remind.setSuffix(" days")
        self.remind.setSpecialValueText("Never remind me")
        days = self.ws.get_setting(backup.REMIND_DAYS_SETTING, backup.DEFAULT_REMIND_DAYS)
        self.remind.setValue(days if isinstance(days, int) else backup.DEFAULT_REMIND_DAYS)
        self.remind.setAccessibleName(REMIND_LABEL)
        if self.ws.is_secretariat:
            layout.addWidget(QtWidgets.QLabel(REMIND_LABEL))
            layout.addWidget(self.remind)
        self.working = paragraph("", "hint")
        layout.addWidget(self.working)
        buttons = QtWidgets.QDialogButtonBox()
        self.backup_button = buttons.addButton("Back up", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _choose_file(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, BACKUP_TITLE, self.path.text(),
                                                        "Panel Desk backups (*.pdbackup)")
        if path:
            self.path.setText(path)

    def _choose_card(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "Choose the recovery card", str(Path.home()),
                                                        "Public cards (*.card *.json);;All files (*)")
        if path:
            self.set_card(Path(path))

    def set_card(self, path: Path | None) -> bool:
        if path is None:
            self.card = None
        else:
            try:
                self.card = PublicCard.load(path)
            except PanelDeskError as exc:
                self.errors.set_errors([(str(exc), None)])
                return False
        self._show_card()
        return True

    def _show_card(self) -> None:
        if self.card is None:
            self.card_label.setText(RECOVERY_NONE)
        else:
            self.card_label.setText(f"{self.card.name} ({self.card.organisation or 'no organisation'}), "
                                    f"fingerprint {self.card.formatted_fingerprint}")
        self.remove_card.setEnabled(self.card is not None)

    def start(self) -> None:
        from panel_desk.core import backup

        if self._task is not None:
            return
        text = self.path.text().strip()
        if not text:
            self.errors.set_errors([("Choose where to write the backup.", self.path)])
            return
        if hasattr(self.flow.view, "flush"):
            self.flow.view.flush()  # what is being typed is saved first, so the backup holds it
        out, ws, card, days = Path(text).expanduser(), self.ws, self.card, self.remind.value()
        try:
            if backup.recovery_card(ws) != card:
                backup.set_recovery_card(ws, card)
            if ws.is_secretariat and ws.get_setting(backup.REMIND_DAYS_SETTING, backup.DEFAULT_REMIND_DAYS) != days:
                ws.set_setting(backup.REMIND_DAYS_SETTING, days)
        except PanelDeskError as exc:
            self.errors.set_errors([(str(exc), None)])
            return
        self.backup_button.setEnabled(False)
        self.working.setText("Checking the profile and writing the backup…")

        def done(result) -> None:
            self._task = None
            self.result = result
            self.flow.window.statusBar().showMessage(result.message)
            self.accept()

        def failed(exc) -> None:
            self._task = None
            self.backup_button.setEnabled(True)
            self.working.setText("")
            if not isinstance(exc, PanelDeskError):
                raise exc
            self.errors.set_errors([(str(exc), None)])

        self._task = tasks.run_in_background(lambda progress, _c: backup.make_backup(ws, out, progress=progress),
                                             on_done=done, on_error=failed)


def open_backup_dialog(flow) -> BackupDialog | None:
    if not _usable(flow):
        return None
    if flow.reminder_box is not None:
        flow.reminder_box.close()
    dialog = BackupDialog(flow)
    dialog.open()
    flow.backup_dialog = dialog
    return dialog


# --- File › Change passphrase… --------------------------------------------------------------------


def _frame(dialog: QtWidgets.QDialog, title: str, intro: str) -> tuple[QtWidgets.QVBoxLayout, ErrorSummary]:
    """A dialog's shared top: its title (also read out), the error summary and the introduction."""
    dialog.setWindowTitle(title)
    dialog.setAccessibleName(title)
    layout = QtWidgets.QVBoxLayout(dialog)
    layout.setContentsMargins(24, 24, 24, 24)
    layout.setSpacing(12)
    layout.addWidget(heading(title, 1))
    errors = ErrorSummary()
    layout.addWidget(errors)
    layout.addWidget(paragraph(intro))
    return layout, errors


def _password_field(label: str) -> QtWidgets.QLineEdit:
    edit = QtWidgets.QLineEdit()
    edit.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
    edit.setAccessibleName(label)
    return edit


class PassphraseDialog(QtWidgets.QDialog):
    """The current passphrase and the new one twice; the change runs off the GUI thread."""

    def __init__(self, flow) -> None:
        super().__init__(flow.window)
        self.flow = flow
        self._task = None
        layout, self.errors = _frame(self, PASSWD_TITLE, PASSWD_INTRO)
        form = QtWidgets.QFormLayout()
        self.current = _password_field("Current passphrase")
        self.new = _password_field("New passphrase")
        self.again = _password_field("New passphrase again")
        for edit in (self.current, self.new, self.again):
            form.addRow(edit.accessibleName(), edit)
        layout.addLayout(form)
        self.working = paragraph("", "hint")
        layout.addWidget(self.working)
        buttons = QtWidgets.QDialogButtonBox()
        self.change_button = buttons.addButton("Change passphrase", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        self.again.returnPressed.connect(self.start)
        layout.addWidget(buttons)

    def start(self) -> None:
        from panel_desk.core.passphrase import change_passphrase

        if self._task is not None:
            return
        old, new = self.current.text(), self.new.text()
        problems = []
        if not old:
            problems.append(("Type your current passphrase.", self.current))
        if not new:
            problems.append(("Type the new passphrase.", self.new))
        elif self.again.text() != new:
            problems.append(("The two new passphrases are different. Type the new one again in both boxes.",
                             self.again))
        if problems:
            self.errors.set_errors(problems)
            return
        flow = self.flow
        profile, ws, work_factor = flow.profile, flow.ws, flow.work_factor
        self.change_button.setEnabled(False)
        self.working.setText("Changing the passphrase…")

        def done(_identity) -> None:
            self._task = None
            for edit in (self.current, self.new, self.again):
                edit.clear()
            flow.window.statusBar().showMessage("Passphrase changed. Use the new one from now on.")
            self.accept()

        def failed(exc) -> None:
            self._task = None
            self.change_button.setEnabled(True)
            self.working.setText("")
            if not isinstance(exc, PanelDeskError):
                raise exc
            self.errors.set_errors([(str(exc), self.current)])

        self._task = tasks.run_in_background(
            lambda _p, _c: change_passphrase(profile, old, new, ws=ws, work_factor=work_factor),
            on_done=done, on_error=failed)


def open_passwd_dialog(flow) -> PassphraseDialog | None:
    if not _usable(flow):
        return None
    dialog = PassphraseDialog(flow)
    dialog.open()
    flow.passwd_dialog = dialog
    return dialog


# --- first run: Restore from a backup ---------------------------------------------------------------


class RestoreDialog(QtWidgets.QDialog):
    """The backup file and the owner's passphrase; restores into the first-run profile folder, checked,
    then opens it. ``restored`` holds the open workspace afterwards."""

    def __init__(self, profile: Path, parent=None) -> None:
        super().__init__(parent)
        self.profile = Path(profile)
        self.restored = None
        self._task = None
        layout, self.errors = _frame(self, RESTORE_TITLE, RESTORE_INTRO)
        row = QtWidgets.QHBoxLayout()
        self.path = QtWidgets.QLineEdit()
        self.path.setAccessibleName(BACKUP_FILE)
        browse = QtWidgets.QPushButton("Choose…")
        browse.setAccessibleName("Choose the backup file")
        browse.clicked.connect(self._choose)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout.addWidget(QtWidgets.QLabel(BACKUP_FILE))
        layout.addLayout(row)
        self.passphrase = _password_field("Your passphrase")
        layout.addWidget(QtWidgets.QLabel("Your passphrase (the one you used on the old computer)"))
        layout.addWidget(self.passphrase)
        self.working = paragraph("", "hint")
        layout.addWidget(self.working)
        buttons = QtWidgets.QDialogButtonBox()
        self.restore_button = buttons.addButton("Restore", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        self.passphrase.returnPressed.connect(self.start)
        layout.addWidget(buttons)

    def _choose(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, RESTORE_TITLE, str(Path.home()),
                                                        "Panel Desk backups (*.pdbackup);;All files (*)")
        if path:
            self.path.setText(path)

    def start(self) -> None:
        from panel_desk.core import backup
        from panel_desk.core.store import open_profile

        if self._task is not None:
            return
        text, secret = self.path.text().strip(), self.passphrase.text()
        problems = []
        if not text:
            problems.append(("Choose the backup file.", self.path))
        if not secret:
            problems.append(("Type your passphrase.", self.passphrase))
        if problems:
            self.errors.set_errors(problems)
            return
        source, profile = Path(text).expanduser(), self.profile
        self.restore_button.setEnabled(False)
        self.working.setText("Restoring and checking the profile…")

        def work(_p, _c):
            profile.parent.mkdir(parents=True, exist_ok=True)
            backup.restore_backup(source, profile, secret)
            return open_profile(profile, secret)

        def done(ws) -> None:
            self._task = None
            self.passphrase.clear()
            self.restored = ws
            self.accept()

        def failed(exc) -> None:
            self._task = None
            self.restore_button.setEnabled(True)
            self.working.setText("")
            if not isinstance(exc, PanelDeskError):
                raise exc
            self.errors.set_errors([(str(exc), None)])

        self._task = tasks.run_in_background(work, on_done=done, on_error=failed)


def add_restore_button(first_run, layout) -> QtWidgets.QPushButton:
    """Put "Restore from a backup" on the first-run screen; a restored profile finishes first run."""
    button = QtWidgets.QPushButton(RESTORE_TITLE + "…")
    button.setAccessibleName(RESTORE_TITLE)

    def open_dialog() -> None:
        dialog = RestoreDialog(first_run.profile, first_run)
        dialog.accepted.connect(lambda: first_run.finished.emit(dialog.restored))
        dialog.open()
        first_run.restore_dialog = dialog

    button.clicked.connect(open_dialog)
    layout.addWidget(paragraph("Already have a profile on another computer? Restore it from a backup.", "hint"))
    layout.addWidget(button)
    first_run.restore_button = button
    return button

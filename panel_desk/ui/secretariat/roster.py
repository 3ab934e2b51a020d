"""Roster: members from their public cards, checked by fingerprint, and each panel's composition."""

from __future__ import annotations

from pathlib import Path

from panel_desk.core.errors import PanelDeskError
from panel_desk.core.identity import PublicCard
from panel_desk.core.model import Role
from panel_desk.ui.qt import Qt, QtWidgets, Signal
from panel_desk.ui.secretariat import _words as w
from panel_desk.ui.secretariat._desk import Desk, fingerprint_words
from panel_desk.ui.secretariat._parts import Page, button, fill, fit_dialog, row, table
from panel_desk.ui.widgets import ErrorSummary, StatusTag, SummaryList, heading, paragraph


class ConfirmCardDialog(QtWidgets.QDialog):
    """Show who a card belongs to and its fingerprint in groups, to read out before adding."""

    def __init__(self, card: PublicCard, parent=None) -> None:
        super().__init__(parent)
        self.card = card
        self.setWindowTitle(w.CONFIRM_CARD_TITLE)
        self.setAccessibleName(w.CONFIRM_CARD_TITLE)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(14)
        layout.addWidget(heading(w.CONFIRM_CARD_TITLE, 2))
        layout.addWidget(SummaryList([
            ("Name", card.name),
            ("Role on the card", card.role.label),
            ("Organisation", card.organisation or "Not given"),
            ("Acts for", card.acts_for or "Not given"),
        ]))
        layout.addWidget(paragraph(w.CONFIRM_CARD_INTRO.format(name=card.name)))
        groups = fingerprint_words(card.fingerprint)
        self.fingerprint = QtWidgets.QLabel(groups)
        self.fingerprint.setObjectName("fingerprint")
        self.fingerprint.setStyleSheet("font-family: monospace; font-size: 16pt; font-weight: 700; padding: 8px;"
                                       " border: 2px solid #0b0c0c;")
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint.setAccessibleName("Fingerprint: " + ", ".join(groups.split()))
        layout.addWidget(self.fingerprint)
        role_label = QtWidgets.QLabel("Role on the panel")
        role_label.setProperty("role", "h3")
        self.role = QtWidgets.QComboBox()
        self.role.setAccessibleName("Role on the panel")
        for r in Role:
            self.role.addItem(r.label, r)
        self.role.setCurrentIndex(list(Role).index(card.role))
        role_label.setBuddy(self.role)
        layout.addWidget(role_label)
        layout.addWidget(self.role)
        self.add = button(w.CONFIRM_ADD.format(name=card.name), role="primary")
        self.add.setDefault(True)
        self.cancel = button("Cancel, the groups do not match", "Cancel")
        self.add.clicked.connect(self.accept)
        self.cancel.clicked.connect(self.reject)
        layout.addLayout(row(self.add, self.cancel))

    def chosen_role(self) -> Role:
        return self.role.currentData()


REPLACE_KEY = "Replace a lost key…"
CHOOSE_MEMBER = "Choose the member whose key was lost in the list first."
ASK_REASON = "Why is {name}'s key being replaced? (For example: laptop lost on 3 March.) It is kept in the record."
RESEAL_FOLDER = "Folder for the applications sealed again for {name}"
REPLACED = ("{name}'s old key is revoked: files it signs from now on are refused. Their new key is on the roster "
            "in its place, and {count} open application(s) were sealed again for it in {folder}. Check the new "
            "fingerprint with them by phone, then send them the files.")


class RosterPage(Page):
    changed = Signal()

    def __init__(self, desk: Desk, files) -> None:
        super().__init__(w.ROSTER_TITLE, w.ROSTER_INTRO)
        self.desk = desk
        self.files = files
        self.app_id: str | None = None
        self.confirm_dialog: ConfirmCardDialog | None = None
        self.errors = ErrorSummary()
        self.body.insertWidget(1, self.errors)
        self.add_button = button(w.ADD_MEMBER, "Add a member from their public card", "primary")
        self.add_button.clicked.connect(self.choose_card)
        self.replace_button = button(REPLACE_KEY, "Replace the key of the member chosen in the list")
        self.replace_button.clicked.connect(self.replace_key)
        self.body.addLayout(row(self.add_button, self.replace_button))
        self.message = paragraph("")
        self.message.setObjectName("roster-message")
        self.message.hide()
        self.body.addWidget(self.message)
        self.table = table(["Name", "Role", "Organisation", "Acts for", "Fingerprint"], "Panel members",
                           stretch=(2, 3))
        self.body.addWidget(self.table)
        # Technical detail is available, not in the way (UX.md): fingerprints behind a "details" switch.
        self.show_fingerprints = QtWidgets.QCheckBox("Show fingerprints")
        self.show_fingerprints.setAccessibleName("Show fingerprints")
        self.show_fingerprints.toggled.connect(lambda on: self.table.setColumnHidden(4, not on))
        self.body.addWidget(self.show_fingerprints)
        self.table.setColumnHidden(4, True)
        self.body.addWidget(heading(w.COMPOSITION_TITLE, 3))
        self.composition_tag = StatusTag()
        self.body.addWidget(self.composition_tag)
        self.composition = paragraph("")
        self.composition.setObjectName("composition")
        self.body.addWidget(self.composition)
        self.finish()

    def set_application(self, app_id: str | None) -> None:
        self.app_id = app_id
        self.refresh()

    def refresh(self) -> None:
        members = self.desk.roster()
        fill(self.table, [(m.name, m.role_label, m.organisation, m.acts_for, fingerprint_words(m.fingerprint))
                          for m in members])
        if not self.app_id:
            self.composition_tag.hide()
            self.composition.setText(w.COMPOSITION_NO_APP)
            return
        problems = self.desk.composition(self.app_id)
        self.composition_tag.show()
        if problems:
            self.composition_tag.set_status("Seats missing", "red")
            self.composition.setText("\n".join(problems))
        else:
            self.composition_tag.set_status("Complete", "green")
            self.composition.setText(w.COMPOSITION_OK)
        self.composition.setAccessibleName(self.composition.text())

    def choose_card(self) -> None:
        path = self.files.open_file(w.ADD_MEMBER.rstrip("…"), w.CARD_FILTER)
        if path is not None:
            self.add_card(path)

    def add_card(self, path: Path) -> None:
        """Read the card; a damaged or altered one is refused with the core's plain message."""
        self.message.hide()
        try:
            card = self.desk.load_card(path)
        except PanelDeskError as exc:
            self.errors.set_errors([(str(exc), self.add_button)])
            return
        self.errors.set_errors([])
        self.confirm_dialog = ConfirmCardDialog(card, self)
        self.confirm_dialog.accepted.connect(lambda: self._add(card, self.confirm_dialog.chosen_role()))
        self.confirm_dialog.open()
        fit_dialog(self.confirm_dialog)

    def replace_key(self) -> None:
        """A member's laptop was lost: revoke their key from now, put their new card in its place and
        seal every open application again for the new key (the core's verbs, in that order)."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        members = self.desk.roster()
        if not rows or rows[0].row() >= len(members):
            self.errors.set_errors([(CHOOSE_MEMBER, self.table)])
            return
        old = members[rows[0].row()]
        path = self.files.open_file(f"{old.name}'s new public card", w.CARD_FILTER)
        if path is None:
            return
        reason, ok = QtWidgets.QInputDialog.getText(self, REPLACE_KEY.rstrip("…"), ASK_REASON.format(name=old.name))
        if not ok:
            return
        folder = self.files.folder(RESEAL_FOLDER.format(name=old.name))
        if folder is None:
            return
        try:
            card = self.desk.load_card(path)
            sealed = self.desk.replace_key(old.fingerprint, card, reason, Path(folder))
        except PanelDeskError as exc:
            self.errors.set_errors([(str(exc), self.replace_button)])
            return
        self.errors.set_errors([])
        self.message.setText(REPLACED.format(name=old.name, count=len(sealed), folder=folder))
        self.message.show()
        self.refresh()
        self.changed.emit()

    def _add(self, card: PublicCard, role: Role) -> None:
        already = any(m.fingerprint == card.fingerprint for m in self.desk.roster())
        try:
            self.desk.add_member(card, role)
        except PanelDeskError as exc:
            self.errors.set_errors([(str(exc), self.add_button)])
            return
        self.message.setText((w.ALREADY if already else w.ADDED).format(name=card.name))
        self.message.show()
        self.refresh()
        self.changed.emit()

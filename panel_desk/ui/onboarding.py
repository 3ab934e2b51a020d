"""First run (create keys, check fingerprints, set up the profile), unlock, and locking after idle time.

The slow parts (scrypt when saving or unlocking an identity, creating the store) run off the GUI
thread. ``work_factor`` is passed in explicitly: the default is the identity's real one, and only
tests pass something smaller.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from panel_desk.core.errors import PanelDeskError
from panel_desk.core.identity import DEFAULT_WORK_FACTOR, Identity, PublicCard
from panel_desk.core.model import ROLE_LABELS, Role
from panel_desk.ui import tasks
from panel_desk.ui.member import _parts
from panel_desk.ui.member import text as words
from panel_desk.ui.member._parts import error_label, page_layout, primary_button, reading, secondary_button
from panel_desk.ui.qt import Qt, QtCore, QtGui, QtWidgets, Signal
from panel_desk.ui.widgets import heading, paragraph, scrolling

MIN_PASSPHRASE = 12


def passphrase_strength(passphrase: str) -> int:
    """0 (too short) to 4 (very strong): a rough estimate from length, words and kinds of character."""
    if len(passphrase) < MIN_PASSPHRASE:
        return 0
    pool = 0
    for pattern, size in ((r"[a-z]", 26), (r"[A-Z]", 26), (r"[0-9]", 10), (r"[^a-zA-Z0-9]", 33)):
        if re.search(pattern, passphrase):
            pool += size
    bits = len(passphrase) * math.log2(max(pool, 2))
    distinct_words = len(set(re.findall(r"[A-Za-z]{3,}", passphrase.lower())))
    if len(set(passphrase)) < 6:
        return 1
    if distinct_words >= 4 and len(passphrase) >= 20:
        return 4
    if bits >= 90:
        return 3
    if bits >= 60:
        return 2
    return 1


def field(label: str, widget: QtWidgets.QWidget, hint: str = "") -> tuple[QtWidgets.QWidget, QtWidgets.QLabel]:
    """A labelled field with its own error line; returns (the block, the error label)."""
    box = QtWidgets.QWidget()
    layout = QtWidgets.QVBoxLayout(box)
    layout.setContentsMargins(0, 6, 0, 6)
    layout.setSpacing(4)
    lab = QtWidgets.QLabel(label)
    lab.setProperty("role", "h3")
    lab.setBuddy(widget)
    widget.setAccessibleName(label)
    layout.addWidget(lab)
    if hint:
        layout.addWidget(paragraph(hint, "hint"))
    err = error_label()
    layout.addWidget(err)
    layout.addWidget(widget)
    widget.setMaximumWidth(520)
    return box, err


def fingerprint_label(text: str, name: str) -> QtWidgets.QLabel:
    label = QtWidgets.QLabel(text)
    font = QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(font.pointSizeF(), 15))
    font.setBold(True)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet("QLabel { background: #f3f2f1; padding: 12px 16px; letter-spacing: 1px; }")
    label.setAccessibleName(f"{name}: {text}")
    label.setSizePolicy(QtWidgets.QSizePolicy.Policy.Maximum, QtWidgets.QSizePolicy.Policy.Fixed)
    return label


# --- first run ------------------------------------------------------------------------------------


class FirstRun(QtWidgets.QStackedWidget):
    """Three steps: who you are and your passphrase; your fingerprint and card; the secretariat's card."""

    finished = Signal(object)  # the open Workspace

    def __init__(self, profile: Path, *, work_factor: int = DEFAULT_WORK_FACTOR,
                 init_profile: Callable | None = None, parent=None) -> None:
        super().__init__(parent)
        self.profile = Path(profile)
        self.work_factor = work_factor
        self._init_profile = init_profile
        self.identity: Identity | None = None
        self.secretariat_card: PublicCard | None = None
        self._task: tasks.Task | None = None
        self.setAccessibleName(words.WELCOME)
        self._build_details()
        self._build_fingerprint()
        self._build_secretariat()

    # step 1
    def _build_details(self) -> None:
        page = QtWidgets.QWidget()
        layout = page_layout(page)
        self.errors = _parts.ErrorSummary()
        layout.addWidget(reading(self.errors))
        layout.addWidget(heading(words.WELCOME, 1))
        layout.addWidget(reading(paragraph(words.WELCOME_BODY)))
        self.name = QtWidgets.QLineEdit()
        self.role = QtWidgets.QComboBox()
        for role in Role:
            self.role.addItem(ROLE_LABELS[role], role.value)
        self.role.setCurrentIndex(self.role.findData(Role.EXPERT.value))
        self.organisation = QtWidgets.QLineEdit()
        self.passphrase = QtWidgets.QLineEdit()
        self.passphrase.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.passphrase2 = QtWidgets.QLineEdit()
        self.passphrase2.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.strength = QtWidgets.QLabel("")
        self.strength.setProperty("role", "caption")
        self.strength.setAccessibleName("Passphrase strength")
        self.passphrase.textChanged.connect(self._strength)
        self.errs: dict[str, QtWidgets.QLabel] = {}
        for key, label, widget, hint in (
                ("name", words.YOUR_NAME, self.name, ""),
                ("role", words.YOUR_ROLE, self.role, words.YOUR_ROLE_HINT),
                ("organisation", words.YOUR_ORG, self.organisation, ""),
                ("passphrase", words.PASSPHRASE, self.passphrase, words.PASSPHRASE_HINT)):
            box, err = field(label, widget, hint)
            self.errs[key] = err
            layout.addWidget(box)
            if key == "passphrase":
                layout.addWidget(self.strength)
        box, err = field(words.PASSPHRASE_AGAIN, self.passphrase2)
        self.errs["passphrase2"] = err
        layout.addWidget(box)
        self.create_button = primary_button(words.CREATE_IDENTITY)
        self.create_button.clicked.connect(self.create_identity)
        self.passphrase2.returnPressed.connect(self.create_button.click)
        self.working = paragraph("", "hint")
        layout.addWidget(self.create_button)
        layout.addWidget(self.working)
        from panel_desk.ui.continuity import add_restore_button
        add_restore_button(self, layout)  # hook: "Restore from a backup" (issue 15)
        layout.addStretch(1)
        self.addWidget(scrolling(page))

    def _strength(self, text: str) -> None:
        level = passphrase_strength(text)
        self.strength.setText(f"Strength: {words.STRENGTH[level]}" if text else "")
        colour = {0: "#d4351c", 1: "#d4351c", 2: "#505a5f", 3: "#00703c", 4: "#00703c"}[level]
        self.strength.setStyleSheet(f"QLabel {{ color: {colour}; font-weight: 700; }}")

    def _problems(self) -> list[tuple[str, QtWidgets.QWidget]]:
        out = []
        for err in self.errs.values():
            err.hide()

        def add(key, message, widget):
            self.errs[key].setText(message)
            self.errs[key].show()
            out.append((message, widget))

        if not self.name.text().strip():
            add("name", words.ERR_NAME, self.name)
        p = self.passphrase.text()
        if len(p) < MIN_PASSPHRASE:
            add("passphrase", words.ERR_PASSPHRASE, self.passphrase)
        elif passphrase_strength(p) < 2:
            add("passphrase", words.ERR_PASSPHRASE_WEAK, self.passphrase)
        elif self.passphrase2.text() != p:
            add("passphrase2", words.ERR_PASSPHRASE_MATCH, self.passphrase2)
        return out

    def create_identity(self) -> None:
        problems = self._problems()
        self.errors.set_errors(problems)
        if problems:
            return
        try:
            self.identity = Identity.create(self.name.text(), Role(self.role.currentData()), self.organisation.text())
        except PanelDeskError as exc:
            self.errors.set_errors([(str(exc), self.name)])
            return
        self.fingerprint.setText(self.identity.card.formatted_fingerprint)
        self.fingerprint.setAccessibleName(f"Your fingerprint: {self.identity.card.formatted_fingerprint}")
        self.setCurrentIndex(1)
        self.save_card_button.setFocus()

    # step 2
    def _build_fingerprint(self) -> None:
        page = QtWidgets.QWidget()
        layout = page_layout(page)
        layout.addWidget(heading(words.FINGERPRINT_TITLE, 1))
        layout.addWidget(reading(paragraph(words.FINGERPRINT_BODY)))
        self.fingerprint = fingerprint_label("", "Your fingerprint")
        layout.addWidget(self.fingerprint)
        self.save_card_button = secondary_button(words.SAVE_CARD, "Save my public card")
        self.save_card_button.clicked.connect(self.save_card)
        layout.addWidget(self.save_card_button)
        self.card_saved = paragraph("", "hint")
        layout.addWidget(reading(self.card_saved))
        self.to_secretariat = primary_button(words.NEXT)
        self.to_secretariat.clicked.connect(lambda: self.setCurrentIndex(2))
        layout.addWidget(self.to_secretariat)
        layout.addStretch(1)
        self.addWidget(scrolling(page))

    def save_card(self) -> None:
        assert self.identity is not None
        suggested = _parts.default_folder() / f"{re.sub(r'[^a-z0-9]+', '-', self.identity.name.lower())}.card"
        out = _parts.ask_save_path(self, words.SAVE_CARD.rstrip("…"), suggested, words.CARD_FILTER)
        if out is None:
            return
        try:
            self.identity.card.save(out)
        except PanelDeskError as exc:
            self.card_saved.setText(str(exc))
            return
        self.card_saved.setText(words.CARD_SAVED.format(path=out))

    # step 3
    def _build_secretariat(self) -> None:
        page = QtWidgets.QWidget()
        layout = page_layout(page)
        self.errors3 = _parts.ErrorSummary()
        layout.addWidget(reading(self.errors3))
        layout.addWidget(heading(words.SECRETARIAT_TITLE, 1))
        layout.addWidget(reading(paragraph(words.SECRETARIAT_BODY)))
        self.card_error = error_label()
        layout.addWidget(self.card_error)
        self.choose_card = secondary_button(words.CHOOSE_CARD, "Choose the secretariat's card")
        self.choose_card.clicked.connect(self.pick_card)
        layout.addWidget(self.choose_card)
        self.side = QtWidgets.QWidget()
        grid = QtWidgets.QGridLayout(self.side)
        grid.setContentsMargins(0, 8, 0, 8)
        grid.setHorizontalSpacing(24)
        self.their_name = heading("", 3)
        grid.addWidget(heading("You", 3), 0, 0)
        grid.addWidget(self.their_name, 0, 1)
        self.mine_fp = fingerprint_label("", "Your fingerprint")
        self.theirs_fp = fingerprint_label("", words.THEIR_FINGERPRINT)
        grid.addWidget(self.mine_fp, 1, 0)
        grid.addWidget(self.theirs_fp, 1, 1)
        grid.setColumnStretch(2, 1)
        self.side.hide()
        layout.addWidget(self.side)
        self.confirm_error = error_label()
        layout.addWidget(self.confirm_error)
        self.confirm = QtWidgets.QCheckBox(words.CONFIRM_MATCH)
        self.confirm.setAccessibleName(words.CONFIRM_MATCH)
        layout.addWidget(self.confirm)
        self.finish_button = primary_button(words.FINISH_SETUP)
        self.finish_button.clicked.connect(self.finish)
        layout.addWidget(self.finish_button)
        self.finishing = paragraph("", "hint")
        layout.addWidget(self.finishing)
        layout.addStretch(1)
        self.addWidget(scrolling(page))

    def pick_card(self) -> None:
        path = _parts.ask_open_path(self, words.CHOOSE_CARD.rstrip("…"), _parts.default_folder(), words.CARD_FILTER)
        if path is not None:
            self.set_secretariat_card(path)

    def set_secretariat_card(self, path: Path) -> bool:
        self.card_error.hide()
        try:
            card = PublicCard.load(Path(path))
        except PanelDeskError as exc:
            self.card_error.setText(str(exc))
            self.card_error.show()
            return False
        if card.role is not Role.SECRETARIAT:
            self.card_error.setText(words.ERR_NOT_SECRETARIAT.format(name=card.name))
            self.card_error.show()
            return False
        self.secretariat_card = card
        assert self.identity is not None
        self.their_name.setText(f"{card.name}, {card.organisation}" if card.organisation else card.name)
        self.mine_fp.setText(self.identity.card.formatted_fingerprint)
        self.theirs_fp.setText(card.formatted_fingerprint)
        self.theirs_fp.setAccessibleName(f"{words.THEIR_FINGERPRINT}: {card.formatted_fingerprint}")
        self.side.show()
        self.confirm.setChecked(False)
        return True

    def finish(self) -> None:
        problems = []
        self.confirm_error.hide()
        if self.secretariat_card is None:
            problems.append((words.ERR_CARD, self.choose_card))
        elif not self.confirm.isChecked():
            problems.append((words.ERR_CONFIRM, self.confirm))
            self.confirm_error.setText(words.ERR_CONFIRM)
            self.confirm_error.show()
        self.errors3.set_errors(problems)
        if problems or self._task is not None:
            return
        identity, card, passphrase = self.identity, self.secretariat_card, self.passphrase.text()
        profile, work_factor = self.profile, self.work_factor
        init = self._init_profile or _store_init_profile

        def work(progress, cancelled):
            profile.mkdir(parents=True, exist_ok=True)
            identity_file = profile / ".new-identity.age"
            identity.save(identity_file, passphrase, work_factor=work_factor, overwrite=False)
            try:
                return init(profile, identity_file, passphrase, [card])
            finally:
                identity_file.unlink(missing_ok=True)

        self.finish_button.setEnabled(False)
        self.finishing.setText(words.SETUP_WORKING + "…")

        def done(ws):
            self._task = None
            self.passphrase.clear()
            self.passphrase2.clear()
            self.finished.emit(ws)

        def failed(exc):
            self._task = None
            self.finish_button.setEnabled(True)
            self.finishing.setText("")
            if not isinstance(exc, PanelDeskError):
                raise exc
            self.errors3.set_errors([(str(exc), None)])

        self._task = tasks.run_in_background(work, on_done=done, on_error=failed)


def _store_init_profile(profile: Path, identity_file: Path, passphrase: str, trusted: list[PublicCard]):
    from panel_desk.core.store import init_profile

    return init_profile(profile, identity_file, passphrase, trusted)


# --- unlock ---------------------------------------------------------------------------------------


class UnlockPage(QtWidgets.QWidget):
    """'Unlock Panel Desk': the passphrase, checked off the GUI thread; a plain message when wrong."""

    unlocked = Signal(object)  # whatever ``unlock(passphrase)`` returned (the Workspace)

    def __init__(self, unlock: Callable[[str], object], *, who: str = "", reason: str = "", parent=None) -> None:
        super().__init__(parent)
        self._unlock = unlock
        self._task: tasks.Task | None = None
        self.setAccessibleName(words.UNLOCK_TITLE)
        layout = page_layout(self)
        layout.setContentsMargins(80, 64, 80, 48)
        self.errors = _parts.ErrorSummary()
        layout.addWidget(reading(self.errors))
        layout.addWidget(heading(words.UNLOCK_TITLE, 1))
        if reason:
            layout.addWidget(reading(paragraph(reason)))
        layout.addWidget(reading(paragraph(words.UNLOCK_BODY)))
        if who:
            layout.addWidget(paragraph(words.UNLOCK_WHO.format(name=who), "hint"))
        self.passphrase = QtWidgets.QLineEdit()
        self.passphrase.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        box, self.error = field("Passphrase", self.passphrase)
        layout.addWidget(box)
        self.unlock_button = primary_button(words.UNLOCK)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.passphrase.returnPressed.connect(self.try_unlock)
        layout.addWidget(self.unlock_button)
        self.working = paragraph("", "hint")
        layout.addWidget(self.working)
        layout.addStretch(1)
        QtCore.QTimer.singleShot(0, self.passphrase.setFocus)

    def try_unlock(self) -> None:
        if self._task is not None:
            return
        passphrase = self.passphrase.text()
        if not passphrase:
            self._error(words.ERR_UNLOCK_EMPTY)
            return
        self.unlock_button.setEnabled(False)
        self.working.setText(words.UNLOCKING)
        self._task = tasks.run_in_background(lambda _p, _c: self._unlock(passphrase),
                                             on_done=self._done, on_error=self._failed)

    def _done(self, result) -> None:
        self._task = None
        self.passphrase.clear()
        self.unlocked.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self._task = None
        self.unlock_button.setEnabled(True)
        self.working.setText("")
        if not isinstance(exc, PanelDeskError):
            raise exc
        self._error(str(exc))
        self.passphrase.selectAll()

    def _error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.errors.set_errors([(message, self.passphrase)])


# --- idle lock ------------------------------------------------------------------------------------


class IdleLock(QtCore.QObject):
    """Calls ``on_idle`` after ``minutes`` without keyboard or mouse input anywhere in the app."""

    _INPUT: ClassVar = {QtCore.QEvent.Type.KeyPress, QtCore.QEvent.Type.MouseButtonPress, QtCore.QEvent.Type.MouseMove,
              QtCore.QEvent.Type.Wheel, QtCore.QEvent.Type.TouchBegin}

    def __init__(self, minutes: float, on_idle: Callable[[], None], parent=None) -> None:
        super().__init__(parent)
        self.timer = QtCore.QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(on_idle)
        self.set_minutes(minutes)
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: float) -> None:
        self.minutes = minutes
        self.timer.setInterval(max(1, round(minutes * 60_000)))

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def eventFilter(self, obj, event) -> bool:
        if event.type() in self._INPUT and self.timer.isActive():
            self.timer.start()
        return False

    def remove(self) -> None:
        self.timer.stop()
        app = QtWidgets.QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

"""File › Settings: auto-lock minutes, the export folder and the colours."""

from __future__ import annotations

from pathlib import Path

from panel_desk.core.settings import Settings, Theme
from panel_desk.ui.exchange import documents_folder
from panel_desk.ui.qt import QtWidgets
from panel_desk.ui.widgets import ErrorSummary, heading, paragraph

TITLE = "Settings"
LOCK_LABEL = "Lock Panel Desk after this many minutes without use"
LOCK_HINT = "Locking hides everything and forgets your keys until you type your passphrase."
FOLDER_LABEL = "Folder for files you send and export"
FOLDER_HINT = "Leave empty to be asked each time."
THEME_LABEL = "Colours"
THEME_CHOICES = {Theme.STANDARD: "Standard", Theme.HIGH_CONTRAST: "High contrast (black on white, thicker borders)"}
FOLDER_MISSING = "The export folder does not exist. Choose a folder that exists, or leave it empty."
EXCHANGE_LABEL = "Exchange folder"
EXCHANGE_HINT = ("A shared or synced folder, or a USB stick, that you and the secretariat both use. What you "
                 "send is saved there under a name saying what it is; what arrives for you is imported by "
                 "itself. Leave empty to save and send files yourself.")
EXCHANGE_MISSING = "The exchange folder does not exist. Choose a folder that exists, or leave it empty."


class SettingsDialog(QtWidgets.QDialog):
    """Edits a copy of the settings; :meth:`result_settings` gives the new ones after Save."""

    def __init__(self, current: Settings, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setAccessibleName(TITLE)
        self._current = current
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(12)
        layout.addWidget(heading(TITLE, 1))
        self.errors = ErrorSummary()
        layout.addWidget(self.errors)

        self.lock_minutes = QtWidgets.QSpinBox()
        self.lock_minutes.setRange(1, 240)
        self.lock_minutes.setSuffix(" minutes")
        self.lock_minutes.setValue(current.auto_lock_minutes)
        self.lock_minutes.setAccessibleName(LOCK_LABEL)
        self._field(layout, LOCK_LABEL, LOCK_HINT, self.lock_minutes)

        row = QtWidgets.QHBoxLayout()
        self.folder = QtWidgets.QLineEdit(str(current.export_folder or ""))
        self.folder.setAccessibleName(FOLDER_LABEL)
        self.browse = QtWidgets.QPushButton("Choose folder…")
        self.browse.setAccessibleName("Choose the folder for files you send and export")
        self.browse.clicked.connect(self._choose)
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse)
        holder = QtWidgets.QWidget()
        holder.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        self._field(layout, FOLDER_LABEL, FOLDER_HINT, holder, buddy=self.folder)

        row = QtWidgets.QHBoxLayout()
        self.exchange = QtWidgets.QLineEdit(str(current.exchange_folder or ""))
        self.exchange.setAccessibleName(EXCHANGE_LABEL)
        self.exchange_browse = QtWidgets.QPushButton("Choose folder…")
        self.exchange_browse.setAccessibleName("Choose the exchange folder")
        self.exchange_browse.clicked.connect(self._choose_exchange)
        row.addWidget(self.exchange, 1)
        row.addWidget(self.exchange_browse)
        holder = QtWidgets.QWidget()
        holder.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        self._field(layout, EXCHANGE_LABEL, EXCHANGE_HINT, holder, buddy=self.exchange)

        box = QtWidgets.QGroupBox(THEME_LABEL)
        box_layout = QtWidgets.QVBoxLayout(box)
        self.theme_buttons: dict[Theme, QtWidgets.QRadioButton] = {}
        for theme, label in THEME_CHOICES.items():
            button = QtWidgets.QRadioButton(label)
            button.setAccessibleName(f"{THEME_LABEL}: {label}")
            button.setChecked(theme is current.theme)
            box_layout.addWidget(button)
            self.theme_buttons[theme] = button
        layout.addWidget(box)

        buttons = QtWidgets.QDialogButtonBox()
        self.save_button = buttons.addButton("Save settings", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setProperty("role", "primary")
        self.save_button.setAccessibleName("Save settings")
        cancel = buttons.addButton(QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel without saving")
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._result = current

    def _field(self, layout, label: str, hint: str, widget, buddy=None) -> None:
        title = QtWidgets.QLabel(label)
        title.setProperty("role", "h3")
        title.setBuddy(buddy or widget)
        layout.addWidget(title)
        hint_label = paragraph(hint, "hint")
        hint_label.setMinimumWidth(420)  # wraps instead of widening the dialog
        layout.addWidget(hint_label)
        layout.addWidget(widget)

    def _choose(self) -> None:
        chosen = QtWidgets.QFileDialog.getExistingDirectory(self, FOLDER_LABEL, self.folder.text() or str(documents_folder()))
        if chosen:
            self.folder.setText(chosen)

    def _choose_exchange(self) -> None:
        chosen = QtWidgets.QFileDialog.getExistingDirectory(self, EXCHANGE_LABEL,
                                                            self.exchange.text() or str(documents_folder()))
        if chosen:
            self.exchange.setText(chosen)

    def _save(self) -> None:
        folder_text = self.folder.text().strip()
        folder = Path(folder_text).expanduser() if folder_text else None
        exchange_text = self.exchange.text().strip()
        exchange = Path(exchange_text).expanduser().resolve() if exchange_text else None
        problems = []
        if folder is not None and not folder.is_dir():
            problems.append((FOLDER_MISSING, self.folder))
        if exchange is not None and not exchange.is_dir():
            problems.append((EXCHANGE_MISSING, self.exchange))
        if problems:
            self.errors.set_errors(problems)
            return
        theme = next(t for t, b in self.theme_buttons.items() if b.isChecked())
        self._result = self._current.model_copy(update={
            "auto_lock_minutes": self.lock_minutes.value(), "export_folder": folder, "theme": theme,
            "exchange_folder": exchange})
        self.accept()

    def result_settings(self) -> Settings:
        return self._result

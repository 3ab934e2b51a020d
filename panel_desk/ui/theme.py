"""The look: a calm GOV.UK-like palette, legible type and the yellow focus style (UX.md)."""

from __future__ import annotations

from panel_desk.ui.qt import QtCore, QtGui, QtWidgets

TEXT = "#0b0c0c"
SECONDARY = "#505a5f"
LINK = "#1d70b8"
SUCCESS = "#00703c"
ERROR = "#d4351c"
BORDER = "#b1b4b6"
FOCUS = "#ffdd00"
LIGHT = "#f3f2f1"
WARNING_BG = "#fff7bf"
DISABLED = "#6f777b"  # text of what cannot be used yet, with a dashed border (also in high contrast)

# Status tags: colour is extra, the words carry the meaning.
TAG_COLOURS = {
    "grey": ("#383f43", "#eeefef"),
    "blue": ("#0c2d4a", "#bbd4ea"),
    "green": ("#005a30", "#cce2d8"),
    "yellow": ("#594d00", "#fff7bf"),
    "red": ("#2a0b06", "#f4cdc6"),
    "purple": ("#491644", "#efdfed"),
}


def stylesheet(high_contrast: bool = False) -> str:
    """The application style sheet. High contrast: black on white, thicker borders."""
    text, secondary, border = (TEXT, SECONDARY, BORDER) if not high_contrast else ("#000000", "#000000", "#000000")
    bw = 1 if not high_contrast else 2
    return f"""
    QWidget {{ color: {text}; }}
    QMainWindow, QDialog {{ background: #ffffff; }}
    QLabel[role="h1"] {{ font-size: 20pt; font-weight: 700; }}
    QLabel[role="h2"] {{ font-size: 15pt; font-weight: 700; }}
    QLabel[role="h3"] {{ font-size: 12pt; font-weight: 700; }}
    QLabel[role="caption"] {{ color: {secondary}; }}
    QLabel[role="hint"] {{ color: {secondary}; }}
    QLabel[role="error"] {{ color: {ERROR}; font-weight: 700; }}
    QFrame[role="card"] {{ border: {bw}px solid {border}; background: #ffffff; }}
    QFrame[role="banner"] {{ border: {bw + 2}px solid {LINK}; background: #ffffff; }}
    QFrame[role="warning"] {{ border-left: 6px solid {ERROR}; background: {WARNING_BG}; }}
    QFrame[role="error-summary"] {{ border: 4px solid {ERROR}; background: #ffffff; }}
    QFrame[role="success"] {{ border: 4px solid {SUCCESS}; background: #ffffff; }}
    QPushButton {{ padding: 6px 14px; border: {bw}px solid {border}; border-radius: 0; background: {LIGHT}; }}
    QPushButton[role="primary"] {{ background: {SUCCESS}; color: #ffffff; border: 0; border-bottom: 2px solid #002d18; font-weight: 700; }}
    QPushButton[role="warning"] {{ background: {ERROR}; color: #ffffff; border: 0; font-weight: 700; }}
    QPushButton:checked {{ border-bottom: 4px solid {LINK}; background: #ffffff; }}
    QPushButton:disabled {{ color: {DISABLED}; background: #e8e8e8; border: {bw}px dashed {DISABLED}; }}
    QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QSpinBox, QDateEdit, QListView, QTreeView, QTableView {{
        border: {bw + 1}px solid {text}; background: #ffffff; selection-background-color: {LINK}; selection-color: #ffffff; }}
    QLineEdit, QComboBox, QSpinBox, QDateEdit {{ padding: 4px; }}
    *:focus {{ outline: none; }}
    QPushButton:focus, QToolButton:focus, QCheckBox:focus, QRadioButton:focus, QTabBar::tab:focus {{
        background: {FOCUS}; color: #0b0c0c; border: 0; border-bottom: 3px solid #0b0c0c; }}
    QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QComboBox:focus, QSpinBox:focus, QDateEdit:focus,
    QListView:focus, QTreeView:focus, QTableView:focus {{ border: 3px solid #0b0c0c; outline: 3px solid {FOCUS}; }}
    QTabBar::tab {{ padding: 8px 16px; border: {bw}px solid {border}; border-bottom: 0; background: {LIGHT}; margin-right: 2px; }}
    QTabBar::tab:selected {{ background: #ffffff; font-weight: 700; }}
    QTabBar::tab:disabled {{ color: {DISABLED}; background: #e8e8e8; border: {bw}px dashed {DISABLED}; border-bottom: 0; }}
    QStatusBar {{ color: {secondary}; }}
    """


def apply_theme(app: QtWidgets.QApplication, *, high_contrast: bool = False, base_point_size: float = 11.0) -> None:
    """Set the font, palette and style sheet on the application."""
    app.setStyle("Fusion")
    font = QtGui.QFont(app.font())
    families = QtGui.QFontDatabase.families()
    for family in ("Noto Sans", "DejaVu Sans", "Liberation Sans", "Arial"):
        if family in families:
            font.setFamily(family)
            break
    font.setPointSizeF(base_point_size)
    app.setFont(font)
    palette = app.palette()
    palette.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor("#ffffff"))
    palette.setColor(QtGui.QPalette.ColorRole.WindowText, QtGui.QColor(TEXT))
    palette.setColor(QtGui.QPalette.ColorRole.Base, QtGui.QColor("#ffffff"))
    palette.setColor(QtGui.QPalette.ColorRole.Text, QtGui.QColor(TEXT if not high_contrast else "#000000"))
    palette.setColor(QtGui.QPalette.ColorRole.Highlight, QtGui.QColor(LINK))
    palette.setColor(QtGui.QPalette.ColorRole.HighlightedText, QtGui.QColor("#ffffff"))
    palette.setColor(QtGui.QPalette.ColorRole.Link, QtGui.QColor(LINK))
    app.setPalette(palette)
    app.setStyleSheet(stylesheet(high_contrast))
    if app.property("panel_desk_enter_presses") is None:
        app.installEventFilter(_ENTER)
        app.setProperty("panel_desk_enter_presses", True)


class EnterPresses(QtCore.QObject):
    """Enter follows the focused link or presses the focused button, as in a web page (Qt does it only
    for Space outside dialogs; inside dialogs Qt's own default-button rule stays)."""

    def eventFilter(self, obj, event) -> bool:
        if (event.type() == QtCore.QEvent.Type.KeyPress
                and event.key() in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter)
                and event.modifiers() in (QtCore.Qt.KeyboardModifier.NoModifier, QtCore.Qt.KeyboardModifier.KeypadModifier)
                and isinstance(obj, QtWidgets.QPushButton) and obj.isEnabled()
                and not isinstance(obj.window(), QtWidgets.QDialog)):
            obj.animateClick()
            return True
        return False


_ENTER = EnterPresses()


def tag_style(colour: str) -> str:
    """Style sheet for a status tag label of the given colour name."""
    fg, bg = TAG_COLOURS.get(colour, TAG_COLOURS["grey"])
    return f"QLabel {{ color: {fg}; background: {bg}; padding: 2px 8px; font-weight: 700; }}"

"""File › Trust a new secretariat card…: a member's way on after the secretariat's key was lost.

The window asks for the new card and for the fingerprint the secretariat read out by phone, then
calls the core verb (:func:`panel_desk.core.keys.trust_new_secretariat`) and says plainly what
happened. A handover needs nothing here: importing it says so in the import notice.
"""

from __future__ import annotations

from pathlib import Path

from panel_desk.core.errors import PanelDeskError
from panel_desk.ui.qt import QtGui, QtWidgets

TITLE = "Trust a new secretariat card"
ASK_FINGERPRINT = ("Type the fingerprint the secretariat read out to you by phone or in person for {name}. "
                   "Panel Desk checks it against the card before trusting it.")
DONE = ("You now accept applications and draft advice from {name} ({fingerprint}). Files signed with the "
        "previous secretariat key from now on are refused.")
NOT_FOR_SECRETARIAT = "This is the secretariat's own profile: it trusts only its own key."


def install(flow) -> None:
    window = flow.window
    flow.trust_secretariat_action = QtGui.QAction("Trust a new &secretariat card…", window)
    flow.trust_secretariat_action.triggered.connect(lambda: trust_new_secretariat(flow))
    window.file_menu.insertAction(window.settings_action, flow.trust_secretariat_action)


def trust_new_secretariat(flow, *, card_path: Path | None = None, fingerprint: str | None = None) -> str | None:
    """Ask for the card and the fingerprint (unless given), trust it, and say what happened.
    Returns the message shown, or None when the person cancelled."""
    from panel_desk.core import keys
    from panel_desk.core.identity import PublicCard, format_fingerprint

    window, ws = flow.window, flow.ws
    if ws is None or ws.locked or window.gated():
        return None
    if ws.is_secretariat:
        QtWidgets.QMessageBox.information(window, TITLE, NOT_FOR_SECRETARIAT)
        return NOT_FOR_SECRETARIAT
    if card_path is None:
        chosen, _ = QtWidgets.QFileDialog.getOpenFileName(window, TITLE, str(Path.home()),
                                                          "Public cards (*.json *.card);;All files (*)")
        if not chosen:
            return None
        card_path = Path(chosen)
    try:
        card = PublicCard.load(card_path)
        if fingerprint is None:
            typed, ok = QtWidgets.QInputDialog.getText(window, TITLE, ASK_FINGERPRINT.format(name=card.name))
            if not ok:
                return None
            fingerprint = typed
        keys.trust_new_secretariat(ws, card, fingerprint, reason="the secretariat's key was lost")
    except PanelDeskError as exc:
        QtWidgets.QMessageBox.warning(window, TITLE, str(exc))
        return str(exc)
    said = DONE.format(name=card.name, fingerprint=format_fingerprint(card.fingerprint))
    QtWidgets.QMessageBox.information(window, TITLE, said)
    return said

"""The small family of errors a person can act on.

Every error raised for something the user can fix derives from :class:`PanelDeskError` and
carries a plain-English message fit to show in a dialog or on one line of a terminal. Anything
else that escapes is a bug.
"""

from __future__ import annotations


class PanelDeskError(Exception):
    """Something the user can act on; ``str(err)`` is a complete sentence for a person."""


class InvalidInput(PanelDeskError):
    """A file or value the user supplied is not acceptable (the message says what to change)."""


class NotFound(PanelDeskError):
    """A file, application or person named by the user does not exist."""


class Locked(PanelDeskError):
    """The workspace is locked: unlock it with the passphrase to continue."""

    def __init__(self, message: str = "Panel Desk is locked. Unlock it with your passphrase to continue.") -> None:
        super().__init__(message)


class WrongPassphrase(PanelDeskError):
    """The passphrase did not unlock the identity."""

    def __init__(self, message: str = "That passphrase is not right. Check it and try again.") -> None:
        super().__init__(message)


class Cancelled(PanelDeskError):
    """The user cancelled a long operation; nothing was changed."""

    def __init__(self, message: str = "Cancelled. Nothing was changed.") -> None:
        super().__init__(message)

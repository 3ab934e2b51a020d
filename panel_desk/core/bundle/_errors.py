"""Why a bundle was refused: a small family of typed errors with messages a person can act on."""

from __future__ import annotations

from panel_desk.core.errors import PanelDeskError


class BundleError(PanelDeskError):
    """A bundle could not be sealed or opened; nothing was imported."""

    default_message = "This bundle could not be opened. Ask the sender for a new copy."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)


class NotAddressedToYou(BundleError):
    """None of the reader's keys can open the bundle."""

    default_message = ("This bundle is not addressed to you: it was sealed for other people. "
                       "If you expected it, ask the secretariat to send it to you.")


class Damaged(BundleError):
    """The bundle was changed, cut short or corrupted after it was sealed."""

    default_message = ("This file was changed or damaged after it was signed. "
                       "Ask the sender for a new copy.")


class UntrustedSigner(BundleError):
    """The bundle is signed by someone not in the reader's trusted list."""

    default_message = ("This bundle was signed by someone you have not been asked to trust. "
                       "Check with the secretariat before using it.")


class RecipientMismatch(BundleError):
    """The bundle's list of recipients does not match who it was encrypted to."""

    default_message = ("This bundle was not sent to the people it says it was sent to. "
                       "Ask the sender for a new copy.")


class Expired(BundleError):
    """The bundle's validity has ended."""

    default_message = "This bundle has expired. Ask the sender for a current copy."


class UnsupportedVersion(BundleError):
    """The bundle was made by a version of Panel Desk this one cannot read."""

    default_message = ("This bundle was made by a newer version of Panel Desk. "
                       "Update Panel Desk and try again.")


class UnsafeContent(BundleError):
    """The bundle's contents are shaped in a way that could harm the computer or mislead the reader."""

    default_message = ("This bundle contains something unsafe and has not been opened. "
                       "Tell the secretariat.")


class WrongKind(BundleError):
    """The bundle is of a different kind from what was expected here."""

    default_message = "This is not the kind of bundle expected here."


class WrongDate(BundleError):
    """The bundle is dated implausibly: ahead of this computer's clock, or before the panel existed."""

    default_message = ("This bundle's date cannot be right. Check the date and time on this computer, "
                       "and ask the sender to check theirs and send a new copy.")

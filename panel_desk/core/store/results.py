"""What the store's calls return and refuse with: plain types that import nothing from the store.

A leaf module, so the parts of the store and the import code share these types without
importing each other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from panel_desk.core.errors import InvalidInput, PanelDeskError
from panel_desk.core.model import Labelled

__all__ = [
    "ApplicationRow",
    "ApplicationStatus",
    "CancelCheck",
    "DeclarationNeeded",
    "ImportResult",
    "ImportStatus",
    "Progress",
    "Refused",
]

Progress = Callable[[int, int], None]  # (done, total), as the window's progress bar takes it
CancelCheck = Callable[[], bool]
ImportStatus = Literal["imported", "duplicate", "superseded", "refused"]


class DeclarationNeeded(PanelDeskError):
    """A member tried to read an application's documents before declaring their interests."""

    def __init__(self, message: str = ("Declare your interests in this application before reading its "
                                       "documents.")) -> None:
        super().__init__(message)


class Refused(InvalidInput):
    """A record that cannot be accepted (stale, foreign, forged…); the message says why."""


class ApplicationStatus(Labelled):
    """Where an application stands, for a member or for the secretariat (``.label`` in words)."""

    # member side
    INTERESTS_NEEDED = "interests-needed", "Declare your interests"
    IN_REVIEW = "in-review", "In review"
    RESPONSE_SENT = "response-sent", "Response sent"
    DRAFT_TO_REVIEW = "draft-to-review", "Draft advice to sign off"
    SIGNED_OFF = "signed-off", "Signed off"
    # both
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"
    # secretariat side
    DRAFT = "draft", "Not yet sent"
    CIRCULATED = "circulated", "Sent to the panel"
    RESPONSES_IN = "responses-in", "Responses coming in"
    ADVICE_DRAFTED = "advice-drafted", "Advice drafted"
    ADVICE_CIRCULATED = "advice-circulated", "Draft advice sent for sign-off"
    FINALISED = "finalised", "Advice finalised"
    PUBLISHED = "published", "Advice published"


@dataclass(frozen=True)
class ImportResult:
    """What happened to one file given to :meth:`Workspace.import_bundle`.

    ``status``: ``imported`` (recorded), ``superseded`` (recorded, and it replaces an earlier
    revision, response, declaration or sign-off, which stays in the audit log), ``duplicate``
    (already held; nothing changed) or ``refused`` (nothing changed; ``message`` says why).
    ``message`` is a sentence for a person in every case.
    """

    path: Path
    kind: str  # the bundle's kind ("application", "response"…) or "" when it could not be told
    application_id: str
    status: ImportStatus
    message: str

    @property
    def refused(self) -> bool:
        return self.status == "refused"

    @property
    def recorded(self) -> bool:
        """Whether this import changed the profile."""
        return self.status in ("imported", "superseded")

    @property
    def reason(self) -> str:
        """The message (the reason, for a refusal)."""
        return self.message


@dataclass(frozen=True)
class ApplicationRow:
    """One line of the applications list."""

    id: str
    authority: str
    title: str
    revision: int
    status: ApplicationStatus
    advice_due: date
    provisions: str  # the provisions' citations, joined with "; "
    days_left: int  # until the advice is due (negative: overdue)

    @property
    def status_words(self) -> str:
        return self.status.label

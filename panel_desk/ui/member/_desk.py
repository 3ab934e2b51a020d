"""The one place the member's screens call the core (the store and ``core.member``).

Every member screen talks to :class:`MemberDesk`, which calls the core and hands back the core's
own objects or small rows of words ready to show. No rule lives here: status, problems, revisions
and signing are the core's; this module only translates shapes, so a change in the core's API has
one home in the ui.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from panel_desk.core import member as _member
from panel_desk.core import rules
from panel_desk.core.display import shown, shown_model
from panel_desk.core.errors import PanelDeskError
from panel_desk.core.forms import Form, load_form
from panel_desk.core.model import (
    Annotation,
    Application,
    Attribution,
    ConflictDeclaration,
    DocumentRef,
    DraftAdvice,
    Interest,
    ResponseAnswers,
    SignOffKind,
)

Progress = Callable[[int, int], None]


def when(value) -> str:
    """``23 November 2026 at 14:05`` for a time, ``23 November 2026`` for a date."""
    if isinstance(value, datetime):
        local = value.astimezone() if value.tzinfo else value
        return f"{rules.format_date(local.date())} at {local:%H:%M}"
    if isinstance(value, date):
        return rules.format_date(value)
    return str(value or "")


@dataclass
class AppRow:
    """One line of the applications list."""

    id: str
    authority: str
    title: str
    status: str
    colour: str
    days_left: str
    provisions: str

    @property
    def accessible(self) -> str:
        return f"{self.authority}. {self.title}. Status: {self.status}. {self.days_left}. {self.provisions}"


@dataclass
class Hit:
    """One search result in the application."""

    document: str
    page: int  # 1-based
    snippet: str


@dataclass
class Sent:
    """What a send wrote: for the confirmation panel."""

    path: Path
    revision: int
    to: str
    in_exchange: bool = False  # written into the exchange folder (no dialog)

    @property
    def saved(self) -> str:
        """"Saved to the exchange folder…" or "Saved to FILE — send it to …" (never "sent")."""
        from panel_desk.ui.exchange import saved_words

        return saved_words(self.path, self.in_exchange, self.to)


def status_colour(status) -> str:
    """The tag colour for a member's application status (the words carry the meaning)."""
    from panel_desk.core.store import ApplicationStatus as S

    return {S.INTERESTS_NEEDED: "yellow", S.IN_REVIEW: "blue", S.RESPONSE_SENT: "green",
            S.DRAFT_TO_REVIEW: "blue", S.SIGNED_OFF: "green", S.WITHDRAWN: "red", S.EXPIRED: "red"}.get(status, "grey")


class MemberDesk:
    """A panel member's verbs over one unlocked workspace."""

    def __init__(self, workspace, *, today: Callable[[], date] | None = None) -> None:
        self.ws = workspace
        self._today = today or date.today

    def today(self) -> date:
        return self._today()

    @property
    def identity(self):
        return self.ws.identity

    @property
    def fingerprint(self) -> str:
        return self.ws.fingerprint

    def form(self) -> Form:
        return load_form()

    # -- settings -----------------------------------------------------------------------------

    def setting(self, key: str, default=None):
        value = self.ws.get_setting(key, default)
        return default if value is None else value

    def set_setting(self, key: str, value) -> None:
        self.ws.set_setting(key, value)

    def auto_lock_minutes(self) -> int:
        raw = self.setting("auto_lock_minutes", 10)
        try:
            minutes = int(raw)
        except (TypeError, ValueError):
            minutes = 10
        return max(1, minutes)

    # -- applications -------------------------------------------------------------------------

    def import_bundle(self, path: Path, progress: Progress, cancelled: Callable[[], bool]):
        return self.ws.import_bundle(Path(path), progress=progress, cancel=cancelled)

    def application(self, app_id: str) -> Application:
        """The application as shown: its texts with hidden characters made visible (never stored)."""
        return shown_model(self.ws.application(app_id))

    def rows(self) -> list[AppRow]:
        self.ws.expire()  # an application past its expiry leaves this laptop (the list then says "Expired")
        out = []
        for row in self.ws.applications(today=self.today()):
            out.append(AppRow(id=row.id, authority=shown(row.authority), title=shown(row.title), status=row.status.label,
                              colour=status_colour(row.status),
                              days_left=rules.days_left_words(row.advice_due, self.today()),
                              provisions=shown(row.provisions)))
        return out

    # -- interests ------------------------------------------------------------------------------

    def declaration(self, app_id: str) -> ConflictDeclaration | None:
        """The declaration for the application's current revision, or None (then: cover only)."""
        return self.ws.declaration(app_id)

    def declare(self, app_id: str, *, none: bool, interests: Sequence[Interest]) -> ConflictDeclaration:
        return _member.declare(self.ws, app_id, none=none, interests=[(i.type, i.text) for i in interests])

    def export_declaration(self, app_id: str, out: Path) -> Path:
        return Path(_member.export_declaration(self.ws, app_id, Path(out)))

    def panel_size(self, app_id: str) -> int:
        """How many people the application was sent to (the age recipients of its bundle), 0 if unknown."""
        from panel_desk.core import bundle

        try:
            return bundle.inspect(self.ws.application_bundle_path(app_id)).recipients
        except PanelDeskError:  # no longer held, or damaged: an unknown count is simply not shown
            return 0

    def bundle_protection(self, app_id: str) -> str:
        """Which kind of encryption the application's bundle uses, in words; "" if unknown."""
        from panel_desk.core import bundle

        try:
            return bundle.inspect(self.ws.application_bundle_path(app_id)).protection
        except Exception:  # shown as words only; an unknown kind is simply not shown
            return ""

    # -- documents ------------------------------------------------------------------------------

    def documents(self, app_id: str) -> list[DocumentRef]:
        return self.ws.documents(app_id)

    def read_document(self, app_id: str, path: str) -> bytes:
        return self.ws.read_document(app_id, path)

    def open_document(self, app_id: str, path: str) -> BinaryIO:
        """A seekable file over the document, decrypted lazily in memory (close it after use)."""
        return self.ws.open_document(app_id, path)

    def search(self, query: str, app_id: str) -> list[Hit]:
        hits = []
        for h in self.ws.search(query, app_id=app_id):
            hits.append(Hit(document=h.document, page=int(h.page), snippet=" ".join(h.snippet.split())))
        return hits

    # -- annotations ----------------------------------------------------------------------------

    def annotations(self, app_id: str, document: str | None = None) -> list[Annotation]:
        return list(self.ws.annotations(app_id, document))

    def save_annotation(self, annotation: Annotation) -> Annotation:
        return self.ws.save_annotation(annotation)

    def delete_annotation(self, annotation: Annotation) -> None:
        self.ws.delete_annotation(annotation.id)

    # -- answers --------------------------------------------------------------------------------

    def answers(self, app_id: str) -> ResponseAnswers:
        return self.ws.answers(app_id)

    def save_answers(self, app_id: str, answers: ResponseAnswers) -> None:
        self.ws.save_answers(app_id, answers)

    def has_read(self, app_id: str) -> bool:
        return self.ws.has_read(app_id)

    def mark_read(self, app_id: str) -> None:
        self.ws.mark_read(app_id)

    def visited_sections(self, app_id: str) -> set[str]:
        return self.ws.visited_sections(app_id)

    def mark_visited(self, app_id: str, section: str) -> None:
        self.ws.mark_visited(app_id, section)

    def response_problems(self, app_id: str) -> list[str]:
        return [str(p) for p in _member.response_problems(self.ws, app_id)]

    def responses(self, app_id: str) -> list:
        mine = self.fingerprint
        return [r for r in self.ws.responses(app_id, all_revisions=True) if r.member == mine]

    def last_sent(self, app_id: str):
        sent = self.responses(app_id)
        return sent[-1] if sent else None

    def secretariat_name(self, app_id: str) -> str:
        """Who a response is sealed for, in words ("Sam Jones, the secretariat")."""
        try:
            card = _member.secretariat_card(self.ws, app_id)
        except PanelDeskError:  # shown as words only: fall back to the role
            return "the secretariat"
        return f"{card.name}, the secretariat"

    def outgoing(self, parent, title: str, kind: str, app_id: str, suggested_name: str, ask) -> tuple[Path | None, bool]:
        """Where a file sent about ``app_id`` goes: the exchange folder, or where the person chooses."""
        from panel_desk.ui.exchange import outgoing

        return outgoing(self.ws, parent, title, kind, app_id, suggested_name, "Panel Desk files (*.pdbundle)", ask)

    def written(self, path: Path, in_exchange: bool) -> None:
        from panel_desk.ui.exchange import written

        written(self.ws, path, in_exchange)

    def send_response(self, app_id: str, out: Path, progress: Progress, cancelled: Callable[[], bool],
                      in_exchange: bool = False) -> Sent:
        response = _member.send_response(self.ws, app_id, Path(out), progress=lambda n: progress(n, max(n, 1)),
                                         cancel=cancelled)
        self.written(Path(out), in_exchange)
        return Sent(path=Path(out), revision=response.revision, to=self.secretariat_name(app_id),
                    in_exchange=in_exchange)

    # -- draft advice ---------------------------------------------------------------------------

    def latest_draft(self, app_id: str) -> DraftAdvice | None:
        return self.ws.latest_draft(app_id)

    def draft_held(self, app_id: str) -> int | None:
        return self.ws.draft_held(app_id)

    def sign_off(self, app_id: str, kind: SignOffKind, text: str, attribute: Attribution, out: Path,
                 in_exchange: bool = False) -> Sent:
        signoff = _member.sign_off(self.ws, app_id, kind, text=text, attribute=attribute, out=Path(out))
        self.written(Path(out), in_exchange)
        return Sent(path=Path(out), revision=signoff.draft_revision, to=self.secretariat_name(app_id),
                    in_exchange=in_exchange)

"""A panel member's work on an application: declare interests, send a response, sign off the draft.

Each verb takes the open :class:`~panel_desk.core.store.Workspace` first, records what it did and,
where something travels, seals a signed bundle for the secretariat alone. Errors are
:class:`~panel_desk.core.errors.PanelDeskError` with a message a person can act on; time is
passed in (``now=``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from panel_desk.core import bundle
from panel_desk.core.errors import InvalidInput, NotFound
from panel_desk.core.files import removed_on_failure
from panel_desk.core.forms import DEFAULT_FORM
from panel_desk.core.model import (
    Application,
    Attribution,
    ConflictDeclaration,
    DraftAdvice,
    Interest,
    InterestType,
    Response,
    SignOff,
    SignOffKind,
    utcnow,
)

__all__ = [
    "declare",
    "export_declaration",
    "response_problems",
    "secretariat_card",
    "send_response",
    "sign_off",
]

MAX_INTERESTS = 50


def _is_withdrawn(ws, app_id: str) -> bool:
    from panel_desk.core.store import ApplicationStatus

    return ws.status(app_id) is ApplicationStatus.WITHDRAWN


def secretariat_card(ws, app_id: str):
    """The public card of the secretariat that sent ``app_id`` (whom responses are sealed for).

    The card this member chose to trust as the secretariat; if several are trusted, the one that
    signed the application. Raises InvalidInput when there is none.
    """
    revoked = {r.fingerprint for r in ws.roster.revocations()}  # a key handed over or replaced
    cards = [c for c in ws.trusted_secretariat() if c.fingerprint != ws.identity.fingerprint
             and c.fingerprint not in revoked]
    if len(cards) == 1:
        return cards[0]
    if not cards:
        raise InvalidInput("You do not trust a secretariat yet, so there is no one to send this to. Add the "
                           "secretariat's public card to your profile first.")
    with bundle.open_bundle(ws.application_bundle_path(app_id), ws.identity, ws.trusted()) as opened:
        return opened.signer


# --- interests ---------------------------------------------------------------------------------------


def _interests(items: Iterable[tuple[InterestType | str, str]]) -> list[Interest]:
    out = []
    for kind, text in items:
        try:
            kind = InterestType(kind)
        except ValueError:
            raise InvalidInput(f"'{kind}' is not a type of interest. Use one of: "
                               f"{', '.join(t.value for t in InterestType)}.") from None
        if not str(text).strip():
            raise InvalidInput(f"Describe your {kind.label.lower()} interest in words.")
        out.append(Interest(type=kind, text=str(text)))
    if len(out) > MAX_INTERESTS:
        raise InvalidInput(f"Declare at most {MAX_INTERESTS} interests; group related ones together.")
    return out


def declare(ws, app_id: str, *, none: bool = False, interests: Iterable[tuple[InterestType | str, str]] = (),
            now: datetime | None = None) -> ConflictDeclaration:
    """Record your declaration of interests for the current revision of ``app_id``; return it.

    Either ``none=True`` (no interests to declare) or at least one ``(type, text)`` interest.
    A later declaration replaces the earlier one. Raises InvalidInput or NotFound.
    """
    app = ws.application(app_id)
    items = _interests(interests)
    if none and items:
        raise InvalidInput("Either declare your interests or say you have none, not both.")
    if not none and not items:
        raise InvalidInput("Declare at least one interest, or say you have no interests to declare.")
    decl = ConflictDeclaration(application_id=app.id, application_revision=app.revision,
                               member=ws.identity.fingerprint, none_to_declare=none, interests=items,
                               declared_at=now or utcnow())
    ws.save_declaration(decl, now=now)
    return decl


def _current_declaration(ws, app: Application) -> ConflictDeclaration:
    decl = ws.declaration(app.id)
    if decl is None or decl.application_revision != app.revision:
        raise InvalidInput(f"Declare your interests in revision {app.revision} of {app.id} first "
                           f"(panel-desk declare {app.id} --none, or --interest TYPE TEXT).")
    return decl


def export_declaration(ws, app_id: str, out: Path, *, now: datetime | None = None) -> Path:
    """Seal your declaration for the current revision for the secretariat alone; return ``out``.

    Raises InvalidInput (nothing declared yet for this revision, no secretariat trusted) or NotFound.
    """
    app = ws.application(app_id)
    if _is_withdrawn(ws, app.id):
        raise InvalidInput("This application has been withdrawn, so there is no need to declare interests in it.")
    decl = _current_declaration(ws, app)
    card = secretariat_card(ws, app.id)
    manifest = bundle.seal(bundle.Kind.DECLARATION, application_id=app.id, revision=app.revision,
                           payload=decl.model_dump(mode="json"), files={}, signer=ws.identity, recipients=[card],
                           out=Path(out), now=now)
    with removed_on_failure(out), ws.transaction():
        ws.record_sent("declaration", app.id, app.revision, [card.fingerprint], manifest.bundle_id, now=now)
    return Path(out)


# --- the response --------------------------------------------------------------------------------------


def response_problems(ws, app_id: str) -> list[str]:
    """What stops your response to ``app_id`` being sent, one sentence each (empty: ready).

    Raises NotFound for an unknown application.
    """
    app = ws.application(app_id)
    if _is_withdrawn(ws, app.id):
        return ["This application has been withdrawn, so there is nothing to answer."]
    problems = []
    decl = ws.declaration(app.id)
    if decl is None or decl.application_revision != app.revision:
        problems.append(f"Declare your interests in revision {app.revision} of the application")
    answers = ws.answers(app.id)
    problems.extend(answers.missing())
    documents = {d.path for d in app.documents}
    for question, words in (("outcomes", "outcomes"), ("monitoring", "monitoring")):
        for i, e in enumerate(answers.answer(question).evidence, start=1):  # type: ignore[arg-type]
            if e.document not in documents:
                problems.append(f"Passage {i} you cite on {words} is in '{e.document}', which is not a document "
                                "of this application")
    return problems


def send_response(ws, app_id: str, out: Path, *, now: datetime | None = None,
                  progress: Callable[[int], None] | None = None, cancel: Callable[[], bool] | None = None) -> Response:
    """Seal your saved answers to ``app_id`` as a signed response for the secretariat alone.

    Needs a declaration for the current revision and a complete set of answers. A later send is
    a new response revision that supersedes the earlier one. Returns the response recorded.
    Raises InvalidInput listing everything still missing, or NotFound.
    """
    app = ws.application(app_id)
    problems = response_problems(ws, app.id)
    if problems:
        raise InvalidInput("Your response cannot be sent yet: " + "; ".join(p.rstrip(".") for p in problems) + ".")
    card = secretariat_card(ws, app.id)
    me = ws.identity.fingerprint
    earlier = [r.revision for r in ws.responses(app.id, all_revisions=True) if r.member == me]
    response = Response(application_id=app.id, application_revision=app.revision, member=me,
                        revision=max(earlier, default=0) + 1, form_id=DEFAULT_FORM[0], form_version=DEFAULT_FORM[1],
                        answers=ws.answers(app.id), submitted_at=now or utcnow(),
                        declaration=_current_declaration(ws, app))
    manifest = bundle.seal(bundle.Kind.RESPONSE, application_id=app.id, revision=response.revision,
                           payload=response.model_dump(mode="json"), files={}, signer=ws.identity,
                           recipients=[card], out=Path(out), form=DEFAULT_FORM, now=now, progress=progress,
                           cancel=cancel)  # Cancel stops it before anything is written or recorded
    with removed_on_failure(out), ws.transaction():
        ws.record_response(response, now=now)
        ws.record_sent("response", app.id, response.revision, [card.fingerprint], manifest.bundle_id, now=now)
    return response


# --- sign-off ---------------------------------------------------------------------------------------------


def _latest_draft(ws, app_id: str) -> DraftAdvice:
    draft = ws.latest_draft(app_id)
    if draft is None:
        raise NotFound("No draft advice has arrived for this application yet. Import the draft the "
                       "secretariat sent you first.")
    return draft


def sign_off(ws, app_id: str, kind: SignOffKind | str, *, text: str = "",
             attribute: Attribution | str = Attribution.NAME, out: Path, now: datetime | None = None) -> SignOff:
    """Answer the latest draft advice: concur, concur with a comment, or dissent (published as written).

    ``attribute`` says whether a comment or dissent carries your name or your role. Seals the
    sign-off for the secretariat alone and returns it. Raises InvalidInput or NotFound.
    """
    app = ws.application(app_id)
    if _is_withdrawn(ws, app.id):
        raise InvalidInput("This application has been withdrawn, so there is no advice to sign off.")
    draft = _latest_draft(ws, app.id)
    declaration = _current_declaration(ws, app)  # the draft carries other members' reasoning
    try:
        kind = SignOffKind(kind)
        attribute = Attribution(attribute)
    except ValueError as exc:
        raise InvalidInput(f"{exc}. Use concur, comment or dissent, and name or role.") from None
    text = (text or "").strip()
    if kind is SignOffKind.COMMENT and not text:
        raise InvalidInput("Write your comment, or concur without one.")
    if kind is SignOffKind.DISSENT and not text:
        raise InvalidInput("Write the statement of your dissent; it is published as you write it.")
    if kind is SignOffKind.CONCUR and text:
        raise InvalidInput("A plain concurrence has no text; concur with a comment to add one.")
    signoff = SignOff(application_id=app.id, draft_revision=draft.revision, member=ws.identity.fingerprint,
                      kind=kind, text=text, attribute=attribute, signed_at=now or utcnow(), declaration=declaration)
    card = secretariat_card(ws, app.id)
    manifest = bundle.seal(bundle.Kind.SIGNOFF, application_id=app.id, revision=draft.revision,
                           payload=signoff.model_dump(mode="json"), files={}, signer=ws.identity, recipients=[card],
                           out=Path(out), now=now)
    with removed_on_failure(out), ws.transaction():
        ws.record_signoff(signoff, now=now)
        ws.record_sent("signoff", app.id, draft.revision, [card.fingerprint], manifest.bundle_id, now=now)
    return signoff

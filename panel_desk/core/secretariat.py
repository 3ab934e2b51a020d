"""The secretariat's work on an application: accept it, send it, decide conflicts, consolidate,
draft the advice, circulate it for sign-off and finalise it.

Each verb takes the open :class:`~panel_desk.core.store.Workspace` first, returns the domain
object it made and raises a :class:`~panel_desk.core.errors.PanelDeskError` whose message a
person can act on. Time is passed in (``now=``). Internal notes never leave: the draft-advice
bundle and the finalised :class:`~panel_desk.core.model.Advice` are built from publishable text
only.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from panel_desk.core import bundle, rules
from panel_desk.core import consolidate as _cons
from panel_desk.core import process as _process
from panel_desk.core.appdir import load_application_dir
from panel_desk.core.errors import InvalidInput, NotFound
from panel_desk.core.files import removed_on_failure
from panel_desk.core.forms import DEFAULT_FORM, load_form
from panel_desk.core.model import (
    Advice,
    AdviceDissent,
    AdviceInterest,
    AdviceMember,
    Application,
    Attribution,
    ConflictDecision,
    ConflictDeclaration,
    Decision,
    DraftAdvice,
    Member,
    Participation,
    Role,
    SignOff,
    SignOffKind,
    parse_model,
    utcnow,
)

__all__ = [
    "AdviceStatus",
    "ConflictRow",
    "SignOffRow",
    "advice_status",
    "application_warnings",
    "attribution",
    "build_advice",
    "circulate",
    "conflicts",
    "consolidate",
    "decide",
    "draft_advice",
    "final_advice",
    "finalise",
    "new_application",
    "new_revision",
    "panel",
    "prefill_draft",
    "seal_application",
    "to_csv",
    "to_json",
    "withdraw",
]

to_csv = _cons.to_csv
to_json = _cons.to_json
Consolidation = _cons.Consolidation
DRAFT_FIELDS = ("summary", "outcomes", "monitoring", "conditions", "other_advice")
DEFAULT_WITHDRAWAL_REASON = "The application has been withdrawn."

Progress = Callable[[int], None]
CancelCheck = Callable[[], bool]


# --- the panel for one application ------------------------------------------------------------------


def panel(ws, app_id: str) -> list[_cons.PanelSeat]:
    """Every roster member but the secretariat, with their latest conflicts decision on ``app_id``."""
    return _cons.panel_seats(ws.roster(), ws.decisions(app_id))



def _cards(ws, members: Sequence[Member]) -> list:
    return [ws.card(m.fingerprint) for m in members]


def revoked_keys(ws) -> list[tuple[str, datetime]]:
    """The keys the secretariat has revoked, as every bundle it sends carries them (signed)."""
    return [(r.fingerprint, r.revoked_at) for r in ws.roster.revocations()]


# --- applications -------------------------------------------------------------------------------------


def application_warnings(app: Application) -> list[str]:
    """Problems the secretariat may proceed past (notice shorter than 6 weeks), in words."""
    return [p.message for p in rules.application_problems(app) if not p.blocking]


def _blocking(app: Application, source: Path) -> None:
    blocking = [p.message for p in rules.application_problems(app) if p.blocking]
    if blocking:
        raise InvalidInput(f"The application in {source} cannot be accepted: " + " ".join(blocking))


def new_application(ws, folder: Path, *, reason: str = "", now: datetime | None = None) -> Application:
    """Record the application in ``folder`` (``application.toml`` and ``documents/*.pdf``).

    When the folder's ``id`` names an application already held, this records a new revision of it
    and ``reason`` is required. Returns the stored application (id and revision filled in);
    :func:`application_warnings` says what it may still lack (e.g. 6 weeks' notice). Raises
    InvalidInput listing every blocking problem (trial too long, profit-making, a feature not
    covered…), or NotFound.
    """
    folder = Path(folder)
    app, files = load_application_dir(folder)
    _blocking(app, folder)
    reason = reason.strip()
    if app.id:
        try:
            held = ws.application(app.id)
        except NotFound:
            held = None
        if held is not None and not reason:
            raise InvalidInput(f"There is already an application {app.id} (revision {held.revision}). To record "
                               f"this folder as revision {held.revision + 1}, give the reason for the change.")
    return _put(ws, app, files, reason, now)


def _put(ws, app: Application, files, reason: str, now: datetime | None) -> Application:
    with ws.transaction():  # the application and the record of its warnings, together or not at all
        stored = ws.put_application(app, files, reason=reason, now=now)
        warnings = application_warnings(stored)
        if warnings:  # the audit chain lives in the encrypted store, so the words may be kept
            ws.audit("application.warnings", stored.id, {"revision": stored.revision, "warnings": warnings}, now=now)
    return stored


def _not_withdrawn(ws, app: Application, doing: str) -> None:
    from panel_desk.core.store import ApplicationStatus

    if ws.status(app.id) is ApplicationStatus.WITHDRAWN:
        raise InvalidInput(f"Application {app.id} has been withdrawn, so {doing}.")


def new_revision(ws, app_id: str, folder: Path, *, reason: str, now: datetime | None = None) -> Application:
    """Record ``folder`` as the next revision of application ``app_id``; ``reason`` is required.

    Raises NotFound (no such application), InvalidInput (no reason, or blocking problems).
    """
    held = ws.application(app_id)
    if not reason.strip():
        raise InvalidInput(f"Give the reason for revision {held.revision + 1} of {app_id}; members see it.")
    folder = Path(folder)
    app, files = load_application_dir(folder)
    if app.id and app.id != app_id:
        raise InvalidInput(f"{folder} is application {app.id}, not {app_id}.")
    app = app.model_copy(update={"id": app_id})
    _blocking(app, folder)
    return _put(ws, app, files, reason.strip(), now)


def role_claim_warning(card, role: Role) -> str | None:
    """Words for the secretariat when a card claims another role than the one it is given: the
    roster's role is the one that counts, and the card's claim is never authority."""
    if card.role is role:
        return None
    return (f"{card.name}'s card says they are '{card.role.label}', but you are adding them as "
            f"'{role.label}'. The roster's role is the one Panel Desk uses; check with them if this is a mistake.")


def _resolve(ws, refs: Sequence[str]) -> list[Member]:
    out: list[Member] = []
    for ref in refs:
        m = ws.member(ref)
        if m.fingerprint not in {x.fingerprint for x in out}:
            out.append(m)
    return out


def seal_application(ws, app_id: str, out: Path, *, to: Sequence[str] | None = None,
                     expires_at: datetime | None = None, now: datetime | None = None,
                     progress: Progress | None = None, cancel: CancelCheck | None = None) -> list[Member]:
    """Seal the current revision of ``app_id`` for the panel and write the bundle to ``out``.

    Addresses every roster member (not the secretariat) who is not recused from this application,
    or only the members named in ``to`` (a fingerprint or an exact name each). Returns the members
    it was sealed for. Raises InvalidInput when a permanent seat is empty, a named member is
    recused or is the secretariat, or the application has blocking problems; NotFound for an
    unknown application or member; Cancelled.
    """
    app = ws.application(app_id)
    _not_withdrawn(ws, app, "it cannot be sent to the panel")
    blocking = [p.message for p in rules.application_problems(app) if p.blocking]
    if blocking:
        raise InvalidInput(f"Application {app.id} cannot be sent: " + " ".join(blocking))
    seats = panel(ws, app.id)
    readers = [s.member for s in seats if s.may_read]
    problems = rules.composition_problems(readers)
    if problems:
        raise InvalidInput("The panel for this application is not complete. " + " ".join(p.message for p in problems))
    if to:
        chosen = _resolve(ws, to)
        by_fp = {s.member.fingerprint: s for s in seats}
        for m in chosen:
            seat = by_fp.get(m.fingerprint)
            if seat is None:
                raise InvalidInput(f"{m.name} is the secretariat, not a panel member. Name panel members only.")
            if not seat.may_read:
                raise InvalidInput(f"{m.name} is recused from this application and cannot be sent it.")
        recipients = chosen
    else:
        recipients = readers
    # Openers, not bytes: each document is decrypted from the stored bundle as it is sealed, so
    # an application of a gigabyte is never held in memory (issue 13, "Numbers").
    files = {d.path: functools.partial(ws.open_document, app.id, d.path) for d in app.documents}
    manifest = bundle.seal(bundle.Kind.APPLICATION, application_id=app.id, revision=app.revision,
                           payload=app.model_dump(mode="json"), files=files,
                           titles={d.path: d.title for d in app.documents}, signer=ws.identity,
                           recipients=_cards(ws, recipients), out=Path(out), expires_at=expires_at,
                           form=DEFAULT_FORM, now=now, progress=progress, cancel=cancel, revoked=revoked_keys(ws))
    with removed_on_failure(out):
        ws.record_sent("application", app.id, app.revision, [m.fingerprint for m in recipients], manifest.bundle_id,
                       now=now)
    return recipients


def withdraw(ws, app_id: str, out: Path, reason: str = DEFAULT_WITHDRAWAL_REASON, *,
             now: datetime | None = None) -> list[Member]:
    """Withdraw ``app_id``: record it and seal a signed withdrawal for every member who may read it.

    Returns the members it was sealed for. Raises NotFound or InvalidInput.
    """
    app = ws.application(app_id)
    _not_withdrawn(ws, app, "there is nothing more to withdraw")
    reason = (reason or "").strip() or DEFAULT_WITHDRAWAL_REASON
    recipients = [s.member for s in panel(ws, app.id) if s.may_read]
    if not recipients:
        raise InvalidInput("There is no one on the panel to tell. Add members to the roster first.")
    manifest = bundle.seal(bundle.Kind.WITHDRAWAL, application_id=app.id, revision=app.revision,
                           payload={"reason": reason}, files={}, signer=ws.identity,
                           recipients=_cards(ws, recipients), out=Path(out), now=now, revoked=revoked_keys(ws))
    with removed_on_failure(out), ws.transaction():
        ws.withdraw(app.id, reason, now=now)
        ws.record_sent("withdrawal", app.id, app.revision, [m.fingerprint for m in recipients], manifest.bundle_id,
                       now=now)
    return recipients


# --- conflicts of interest --------------------------------------------------------------------------


@dataclass(frozen=True)
class ConflictRow:
    """One line of the conflicts register: a member, what they declared, and the decision."""

    application_id: str
    member: Member
    declaration: ConflictDeclaration | None
    decision: ConflictDecision | None

    @property
    def interests_words(self) -> str:
        if self.declaration is None:
            return "Has not declared"
        if self.declaration.none_to_declare:
            return "No interests to declare"
        return "; ".join(f"{i.type.label}: {i.text}" for i in self.declaration.interests)

    @property
    def status(self) -> str:
        """Where this member stands, in words."""
        if self.decision is not None:
            return self.decision.decision.label
        if self.declaration is None:
            return "Waiting for a declaration"
        if self.declaration.none_to_declare:
            return "No interests to declare"
        return "Decision needed"

    @property
    def needs_decision(self) -> bool:
        return self.decision is None and self.declaration is not None and not self.declaration.none_to_declare


def conflicts(ws, app_id: str | None = None) -> list[ConflictRow]:
    """The conflicts register: every panel member of each application (or of ``app_id``) with their
    declaration for the current revision (None: not declared yet) and the secretariat's decision."""
    ids = [app_id] if app_id else [row.id for row in ws.applications()]
    rows: list[ConflictRow] = []
    for aid in ids:
        app = ws.application(aid)
        seats = panel(ws, app.id)
        declared = {d.member: d for d in _register_declarations(ws, app.id, seats)}
        for seat in seats:
            rows.append(ConflictRow(app.id, seat.member, declared.pop(seat.member.fingerprint, None), seat.decision))
        for fp, decl in declared.items():  # declared, then taken off the roster: still on the register
            rows.append(ConflictRow(app.id, Member(fingerprint=fp, name=f"Not on the roster ({fp[:8]})",
                                                   role=Role.EXPERT), decl, None))
    return rows


def decide(ws, app_id: str, member_ref: str, decision: Decision | str, reason: str, *,
           now: datetime | None = None) -> ConflictDecision:
    """Record how a member's declared interests are handled for ``app_id``; return the decision.

    ``member_ref`` is a fingerprint or exact name. A member may be recused before declaring; any
    other decision needs their declaration first. Raises NotFound or InvalidInput.
    """
    app = ws.application(app_id)
    member = ws.member(member_ref)
    if member.role is Role.SECRETARIAT:
        raise InvalidInput(f"{member.name} is the secretariat, not a panel member.")
    try:
        decision = Decision(decision)
    except ValueError:
        raise InvalidInput(f"'{decision}' is not a decision. Use one of: "
                           f"{', '.join(d.value for d in Decision)}.") from None
    if not reason.strip():
        raise InvalidInput("Give the reason for the decision; it is published in the register of interests.")
    declared = ws.declaration(app.id, member.fingerprint)
    if decision is not Decision.RECUSED and declared is None:
        raise InvalidInput(f"{member.name} has not declared their interests in revision {app.revision} of "
                           f"{app.id} yet. Import their declaration first (or recuse them).")
    d = ConflictDecision(application_id=app.id, member=member.fingerprint, decision=decision, reason=reason.strip(),
                         decided_by=ws.identity.fingerprint, decided_at=now or utcnow())
    # The decision records the declaration it was based on: a recused member receives no later revision,
    # so cannot declare again, and the register of interests still has to show what it was about.
    with ws.transaction():
        d = ws.record_decision(d, now=now)
    return d


def _register_declarations(ws, app_id: str, seats: Sequence[_cons.PanelSeat]) -> list[ConflictDeclaration]:
    """Declarations for the current revision, and for a member decided on who has not declared again
    (a recused member never receives the new revision) the declaration the decision was based on."""
    declarations = list(ws.declarations(app_id))
    have = {d.member for d in declarations}
    for seat in seats:
        fp = seat.member.fingerprint
        if seat.decision is not None and fp not in have:
            basis = ws.decision_basis(app_id, fp)
            if basis is not None:
                declarations.append(basis)
    return declarations


# --- consolidation ------------------------------------------------------------------------------------


def consolidate(ws, app_id: str) -> _cons.Consolidation:
    """All members' answers to the current revision side by side (see :mod:`panel_desk.core.consolidate`).

    Read-only and recused members' answers are excluded and listed with the reason. Raises NotFound.
    """
    app = ws.application(app_id)
    return _cons.build(app, load_form(*DEFAULT_FORM), panel(ws, app.id), ws.responses(app.id, all_revisions=True))


# --- drafting -----------------------------------------------------------------------------------------


def _draft_data(source: Path | dict) -> tuple[dict, str]:
    if isinstance(source, dict):
        return dict(source), "the draft"
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound(f"There is no file {path}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"Cannot read {path}: {getattr(exc, 'strerror', None) or exc}.") from None
    try:
        return tomllib.loads(text), str(path)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{path}: this is not valid TOML ({exc}).") from None


def _locked_revision(ws, app_id: str) -> int:
    """The highest draft revision that can no longer change (circulated or finalised), or 0."""
    sent = [s["revision"] for s in ws.sent(app_id, "draft-advice")]
    final = ws.publication(app_id)
    return max([*sent, final.advice_revision if final else 0], default=0)


def draft_advice(ws, app_id: str, from_toml: Path | dict | None = None, *, reason: str = "",
                 now: datetime | None = None, **fields: Any) -> DraftAdvice:
    """Save the draft of the panel's advice from a TOML file or dict (``summary``, ``outcomes``,
    ``monitoring``, ``conditions``, ``other_advice``, optionally ``reason``) or from keyword fields.

    While the latest draft has not been circulated it is updated in place; once circulated or
    finalised its text is locked and a change becomes a new revision, which needs a ``reason``.
    Returns the saved draft. Raises InvalidInput naming each unknown or invalid field, or NotFound.
    """
    app = ws.application(app_id)
    data, source = _draft_data(from_toml) if from_toml is not None else ({}, "the draft")
    data.update(fields)
    unknown = sorted(set(data) - set(DRAFT_FIELDS) - {"reason"})
    if unknown:
        raise InvalidInput(f"{source}: '{unknown[0]}' is not part of a draft advice; use "
                           f"{', '.join(DRAFT_FIELDS)}.")
    reason = (reason or str(data.pop("reason", "") or "")).strip()
    latest = ws.latest_draft(app.id)
    locked = _locked_revision(ws, app.id)
    if latest is None:
        revision = 1
    elif latest.revision > locked:
        revision = latest.revision
        reason = reason or latest.reason
    else:
        revision = latest.revision + 1
        if not reason:
            raise InvalidInput(f"Draft {latest.revision} has been sent to the panel, so its text is locked. Give the "
                               f"reason for the change to make draft {revision}.")
    draft = parse_model(DraftAdvice, {**data, "application_id": app.id, "revision": revision, "reason": reason,
                                      "created_at": now or utcnow()}, source)
    ws.record_draft(draft, now=now)
    return draft


def prefill_draft(ws, app_id: str) -> DraftAdvice:
    """A first draft made from members' publishable text only (rationales, conditions, other
    advice of members whose answers count); not saved. Raises NotFound."""
    latest = ws.latest_draft(app_id)
    locked = _locked_revision(ws, app_id)
    revision = 1 if latest is None else (latest.revision if latest.revision > locked else latest.revision + 1)
    return _cons.prefill(consolidate(ws, app_id), revision=revision)


def circulate(ws, app_id: str, out: Path, *, now: datetime | None = None) -> list[Member]:
    """Seal the latest draft for every member who may take part (not read-only, not recused).

    Returns those members. Raises InvalidInput (no draft, or something missing from it) or NotFound.
    """
    app = ws.application(app_id)
    _not_withdrawn(ws, app, "there is no advice to circulate")
    draft = ws.latest_draft(app.id)
    if draft is None:
        raise InvalidInput(f"There is no draft advice for {app.id} yet. Write one with 'advice draft'.")
    missing = draft.missing()
    if missing:
        raise InvalidInput(f"Draft {draft.revision} is not ready to send: " + "; ".join(missing) + ".")
    recipients = [s.member for s in panel(ws, app.id) if s.takes_part]
    if not recipients:
        raise InvalidInput("No member may take part in this advice, so there is no one to send the draft to.")
    step = _process.readiness(ws, app.id, now=now).step(_process.StepId.CIRCULATE)
    if not step.done and step.reasons:
        raise InvalidInput(f"Draft {draft.revision} cannot be circulated yet. " + " ".join(step.reasons))
    payload = draft.model_dump(mode="json")  # the draft's own fields: no member's notes are in it
    manifest = bundle.seal(bundle.Kind.DRAFT_ADVICE, application_id=app.id, revision=draft.revision,
                           payload=payload, files={}, signer=ws.identity, recipients=_cards(ws, recipients),
                           out=Path(out), now=now, revoked=revoked_keys(ws))
    with removed_on_failure(out):
        ws.record_sent("draft-advice", app.id, draft.revision, [m.fingerprint for m in recipients],
                       manifest.bundle_id, now=now)
    return recipients


# --- sign-off and finalising --------------------------------------------------------------------------


@dataclass(frozen=True)
class SignOffRow:
    """Where one member stands on the circulated draft."""

    member: Member
    signoff: SignOff | None

    @property
    def fingerprint(self) -> str:
        return self.member.fingerprint

    @property
    def name(self) -> str:
        return self.member.name

    @property
    def kind(self) -> str:
        """concur, comment, dissent, or empty when they have not replied."""
        return self.signoff.kind.value if self.signoff else ""

    @property
    def text(self) -> str:
        return self.signoff.text if self.signoff else ""

    @property
    def attribute(self) -> str:
        return self.signoff.attribute.value if self.signoff else ""

    @property
    def words(self) -> str:
        if self.signoff is None:
            return "Not replied"
        return {SignOffKind.CONCUR: "Concurred", SignOffKind.COMMENT: "Concurred with a comment",
                SignOffKind.DISSENT: "Dissented"}[self.signoff.kind]


@dataclass(frozen=True)
class AdviceStatus:
    """The state of the advice: the latest draft, whether it was sent and finalised, and who replied."""

    application_id: str
    draft_revision: int | None
    circulated: bool
    finalised: bool
    rows: tuple[SignOffRow, ...]

    @property
    def waiting_for(self) -> list[Member]:
        return [r.member for r in self.rows if r.signoff is None]

    @property
    def words(self) -> str:
        """The state in one sentence."""
        if self.finalised:
            return f"Advice finalised from draft {self.draft_revision}."
        if self.draft_revision is None:
            return "No draft yet."
        if not self.circulated:
            return f"Draft {self.draft_revision} not yet sent to the panel."
        replied = sum(1 for r in self.rows if r.signoff is not None)
        return f"Draft {self.draft_revision} sent to the panel: {replied} of {len(self.rows)} replied."


def advice_status(ws, app_id: str) -> AdviceStatus:
    """Who has concurred, commented, dissented or not replied on the latest circulated draft.

    Raises NotFound.
    """
    app = ws.application(app_id)
    latest = ws.latest_draft(app.id)
    sent = sorted(s["revision"] for s in ws.sent(app.id, "draft-advice"))
    final = ws.publication(app.id)
    revision = latest.revision if latest else None
    circulated = bool(sent) and revision == sent[-1]
    finalised = final is not None and revision == final.advice_revision
    signoffs = {s.member: s for s in ws.signoffs(app.id, revision)} if circulated else {}
    rows = tuple(SignOffRow(seat.member, signoffs.get(seat.member.fingerprint))
                 for seat in panel(ws, app.id) if seat.takes_part)
    return AdviceStatus(application_id=app.id, draft_revision=revision, circulated=circulated,
                        finalised=finalised, rows=rows)


def attribution(member: Member, attribute: Attribution) -> str:
    """How a dissent or comment is attributed: the member's name, or their role in words."""
    if attribute is Attribution.NAME:
        return member.name
    if member.role is Role.CHILDRENS_COMMISSIONER:
        return "Staff of the Children's Commissioner"
    if member.role is Role.CHIEF_INSPECTOR:
        return "Staff of HM Chief Inspector"
    return f"Panel member ({member.role.label.lower()})"


def participation(members: Sequence[_process.MemberOwes]) -> list[Participation]:
    """What the records show of each member's part: the facts every process statement is made from.

    A member counts as having declared first when their declaration for the revision advised on is
    dated no later than their answers and their sign-off (the member's laptop does not open the
    application, nor seal answers or a sign-off, before they declare; the secretariat refuses either
    without a declaration).
    """
    out = []
    for m in members:
        if not m.sent and m.declaration is None and m.response is None and m.decision is None:
            continue  # on the roster, but never part of this application
        decl = m.declaration
        first = decl is not None and all(
            decl.declared_at <= when for when in (
                m.response.submitted_at if m.response else None,
                m.signoff.signed_at if m.signoff else None) if when is not None)
        out.append(Participation(name=m.member.name, role=m.member.role, organisation=m.member.organisation,
                                 acts_for=m.member.acts_for, decision=m.decision, declared=decl is not None,
                                 declared_first=first, answered=m.response is not None,
                                 signoff=m.signoff.kind if m.signoff else None))
    return out


def build_advice(app: Application, draft: DraftAdvice, seats: Sequence[_cons.PanelSeat],
                 declarations: Sequence[ConflictDeclaration], signoffs: Sequence[SignOff], *,
                 now: datetime, participation: Sequence[Participation] = ()) -> Advice:
    """The publishable advice from the draft, the panel, the register of interests and the sign-offs.

    Members who took part are listed with their roles; every declaration appears with how it was
    handled; dissents and comments are reproduced exactly as written, attributed as each member
    chose. Nothing else from the members (no internal note, rating or confidence) is read.
    """
    by_fp = {s.member.fingerprint: s for s in seats}
    declared = {d.member: d for d in declarations}
    took_part = [s.member for s in seats if s.takes_part]
    members = [AdviceMember(name=m.name, role=m.role, organisation=m.organisation, acts_for=m.acts_for)
               for m in took_part]
    interests = []
    for seat in seats:
        decl = declared.get(seat.member.fingerprint)
        if decl is None:
            continue
        d = seat.decision
        interests.append(AdviceInterest(member=seat.member.name, role=seat.member.role,
                                        none_to_declare=decl.none_to_declare, interests=list(decl.interests),
                                        decision=d.decision if d else None, reason=d.reason if d else ""))
    dissents, comments = [], []
    for s in signoffs:
        seat = by_fp.get(s.member)
        if seat is None or not seat.takes_part or s.draft_revision != draft.revision or s.kind is SignOffKind.CONCUR:
            continue
        entry = AdviceDissent(attributed_to=attribution(seat.member, s.attribute), statement=s.text)
        (dissents if s.kind is SignOffKind.DISSENT else comments).append(entry)
    return Advice(application_id=app.id, application_revision=app.revision, advice_revision=draft.revision,
                  authority=app.authority, title=app.title, provisions=list(app.provisions),
                  trial_months=app.trial_months, extension_months=app.extension_months, dates=app.dates,
                  date_of_advice=now.date(), summary=draft.summary, outcomes=draft.outcomes,
                  monitoring=draft.monitoring, conditions=list(draft.conditions), other_advice=draft.other_advice,
                  members=members, interests=interests, dissents=dissents, comments=comments,
                  participation=list(participation), finalised_at=now)


def finalise(ws, app_id: str, *, now: datetime | None = None) -> Advice:
    """Lock the circulated draft's text and record the finalised advice; return it.

    Needs: the latest draft circulated, a reply from every member who may take part, a
    declaration from each of them and a decision on every declared interest. A later change needs
    a new draft revision with a reason (see :func:`draft_advice`). Raises InvalidInput saying what
    is still needed, or NotFound.
    """
    now = now or utcnow()
    app = ws.application(app_id)
    status = advice_status(ws, app.id)
    draft = ws.latest_draft(app.id)
    if draft is None:
        raise InvalidInput(f"There is no draft advice for {app.id} yet.")
    if status.finalised:
        raise InvalidInput(f"Draft {draft.revision} is already the finalised advice. To change it, make a new draft "
                           "revision with a reason and circulate it.")
    ready = _process.readiness(ws, app.id, now=now)
    step = ready.step(_process.StepId.FINALISE)
    if step.reasons:
        raise InvalidInput("The advice cannot be finalised yet. " + " ".join(step.reasons))
    seats = panel(ws, app.id)
    declarations = _register_declarations(ws, app.id, seats)
    signoffs = [r.signoff for r in status.rows if r.signoff is not None]
    advice = build_advice(app, draft, seats, declarations, signoffs, now=now,
                          participation=participation(ready.members))
    ws.record_publication(app.id, advice, now=now)
    return advice


def final_advice(ws, app_id: str) -> Advice:
    """The finalised advice for ``app_id``, ready to export.

    Raises InvalidInput when it has not been finalised, or when the draft or the application changed
    since; NotFound.
    """
    app = ws.application(app_id)
    advice = ws.publication(app.id)
    if advice is None:
        raise InvalidInput("This advice has not been finalised yet. Circulate the draft, collect every "
                           "member's sign-off, then run 'panel-desk advice finalise'.")
    if advice.application_revision != app.revision:
        raise InvalidInput(f"Revision {app.revision} of the application arrived after the advice on revision "
                           f"{advice.application_revision} was finalised. Send it to the panel and advise again.")
    latest = ws.latest_draft(app.id)
    if latest is not None and latest.revision > advice.advice_revision:
        raise InvalidInput(f"Draft {latest.revision} was made after the advice was finalised. Circulate it and "
                           "finalise again, or publish nothing until then.")
    return advice

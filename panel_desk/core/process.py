"""The panel's process for one application, read from what the profile has recorded.

:func:`readiness` says where an application stands (its :class:`Phase`), what each panel member
still owes for the current revision (declaration, conflict decision, response, sign-off of the
current draft), and, for each next step of the secretariat's — send, circulate, finalise,
publish — whether it may be taken now and, if not, exactly what stands in the way, in words. The
verbs in :mod:`panel_desk.core.secretariat` refuse with the same reasons, the window shows them as
a checklist beside disabled buttons and ``panel-desk status`` prints them: one source for all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from panel_desk.core import rules
from panel_desk.core.consolidate import panel_seats
from panel_desk.core.model import (
    ConflictDeclaration,
    Decision,
    Labelled,
    Member,
    Response,
    SignOff,
    utcnow,
)

__all__ = ["MemberOwes", "Phase", "Readiness", "Step", "readiness"]

CREDENTIALS_SECRET = "publication-credentials"  # as panel_desk.core.publish keeps them (not imported: heavy)


class Phase(Labelled):
    PREPARED = "prepared", "Prepared, not yet sent to the panel"
    SENT = "sent", "Sent to the panel"
    ANSWERING = "answering", "Members answering"
    DRAFT_CIRCULATED = "draft-circulated", "Draft advice circulated"
    SIGNING_OFF = "signing-off", "Members signing off the draft"
    FINALISED = "finalised", "Advice finalised"
    PUBLISHED = "published", "Advice published"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"


class StepId(Labelled):
    # a member's own
    DECLARE = "declare", "Declare your interests"
    RESPOND = "respond", "Send your answers to Q1 and Q2"
    SIGN_OFF = "sign-off", "Sign off the draft advice"
    # the secretariat's
    SEND = "send", "Send the application to the panel"
    CIRCULATE = "circulate", "Circulate the draft advice"
    FINALISE = "finalise", "Finalise the advice"
    PUBLISH = "publish", "Publish the signed advice"


@dataclass(frozen=True)
class Step:
    """One next step: whether it may be taken now, and why not (each reason one sentence)."""

    id: StepId
    done: bool
    reasons: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # things worth knowing that do not block (a member has not answered…)

    @property
    def allowed(self) -> bool:
        return not self.reasons

    @property
    def label(self) -> str:
        return self.id.label


@dataclass(frozen=True)
class MemberOwes:
    """One panel member's standing on the current revision."""

    member: Member
    decision: Decision | None
    sent: bool  # the current revision was sent to them
    declaration: ConflictDeclaration | None  # for the current revision
    response: Response | None  # latest, for the current revision
    signoff: SignOff | None  # for the latest circulated draft
    draft_sent: bool  # the latest circulated draft was sent to them

    @property
    def takes_part(self) -> bool:
        return self.decision not in (Decision.READ_ONLY, Decision.RECUSED)

    @property
    def needs_decision(self) -> bool:
        return (self.decision is None and self.declaration is not None
                and not self.declaration.none_to_declare)

    def owed(self) -> list[str]:
        """What this member still owes, in words (empty: nothing)."""
        if self.decision is Decision.RECUSED:
            return []
        out = []
        if self.declaration is None:
            out.append("declaration of interests")
        if self.takes_part:
            if self.response is None:
                out.append("answers to Q1 and Q2")
            if self.draft_sent and self.signoff is None:
                out.append("sign-off of the draft advice")
        return out

    @property
    def words(self) -> str:
        if self.decision is Decision.RECUSED:
            return "Recused"
        owed = self.owed()
        prefix = "Read only. " if self.decision is Decision.READ_ONLY else ""
        if self.needs_decision:
            prefix += "Interests declared: decision needed. "
        if not owed:
            return (prefix + "Nothing outstanding").strip()
        return prefix + "Waiting for " + rules.and_list(owed)


@dataclass(frozen=True)
class Readiness:
    """Where an application stands and what stands between now and each next step."""

    application_id: str
    title: str
    revision: int
    phase: Phase
    members: tuple[MemberOwes, ...]
    steps: tuple[Step, ...]
    deadlines: tuple[str, ...] = field(default=())

    def step(self, step: StepId | str) -> Step:
        return next(s for s in self.steps if s.id == StepId(step))

    @property
    def next_step(self) -> Step | None:
        """The first step not yet done (None when the advice is published, or the application ended)."""
        if self.phase in (Phase.WITHDRAWN, Phase.EXPIRED):
            return None
        return next((s for s in self.steps if not s.done), None)

    @property
    def blocked(self) -> bool:
        step = self.next_step
        return step is not None and not step.allowed

    def lines(self) -> list[str]:
        """The whole picture as plain lines (what ``panel-desk status`` prints)."""
        out = [f"{self.title} ({self.application_id}), revision {self.revision}: {self.phase.label}."]
        out.extend(self.deadlines)
        if self.members:
            out.append("Panel members:")
            out.extend(f"  {m.member.name}: {m.words}" for m in self.members)
        for s in self.steps:
            if s.done:
                out.append(f"[done] {s.label}")
                continue
            out.append(f"[{'ready' if s.allowed else 'blocked'}] {s.label}")
            out.extend(f"    - {r}" for r in s.reasons)
            out.extend(f"    (note) {n}" for n in s.notes)
        return out


def _names(members: Sequence[MemberOwes]) -> str:
    return rules.and_list(m.member.name for m in members)


def _latest_decisions(ws, app_id: str) -> dict[str, Decision]:
    out: dict[str, Decision] = {}
    for d in ws.decisions(app_id):
        out[d.member] = d.decision
    return out


def _deadlines(app, today: date, phase: Phase) -> tuple[str, ...]:
    d = app.dates
    earliest = rules.earliest_regulations(d.panel_asked)
    counting = phase not in (Phase.PUBLISHED, Phase.WITHDRAWN, Phase.EXPIRED)  # no clock once it has ended
    left = f": {rules.days_left_words(d.advice_due, today)}" if counting else ""
    lines = [f"Advice due {rules.format_date(d.advice_due)}{left}."]
    notice = rules.notice_check(d.panel_asked, d.regulations_intended)
    lines.append(f"Regulations intended {rules.format_date(d.regulations_intended)}; the earliest the 6-week rule "
                 f"allows is {rules.format_date(earliest)}." + ("" if notice.meets_minimum else
                                                                 " " + notice.message()))
    return tuple(lines)


def readiness(ws, app_id: str, *, now: datetime | None = None) -> Readiness:
    """What the secretariat's profile records about ``app_id``, and what each next step needs.

    Raises NotFound. On a member's profile the steps are the secretariat's and are not shown;
    use :func:`member_readiness` there.
    """
    from panel_desk.core.store import ApplicationStatus

    moment = now or utcnow()
    app = ws.application(app_id)
    status = ws.status(app.id, now=moment)
    decisions = _latest_decisions(ws, app.id)
    roster = [m for m in ws.roster() if m.role.value != "secretariat"]
    sent_app = [s for s in ws.sent(app.id, "application") if s["revision"] == app.revision]
    sent_to = {fp for s in sent_app for fp in s["recipients"]}
    declarations = {d.member: d for d in ws.declarations(app.id)}
    responses = {r.member: r for r in ws.responses(app.id)}
    draft = ws.latest_draft(app.id)
    sent_drafts = ws.sent(app.id, "draft-advice")
    circulated = draft is not None and any(s["revision"] == draft.revision for s in sent_drafts)
    draft_to = {fp for s in sent_drafts if draft is not None and s["revision"] == draft.revision
                for fp in s["recipients"]}
    signoffs = {s.member: s for s in ws.signoffs(app.id, draft.revision)} if circulated else {}
    members = tuple(MemberOwes(member=m, decision=decisions.get(m.fingerprint), sent=m.fingerprint in sent_to,
                               declaration=declarations.get(m.fingerprint), response=responses.get(m.fingerprint),
                               signoff=signoffs.get(m.fingerprint), draft_sent=m.fingerprint in draft_to)
                    for m in roster)
    final = ws.publication(app.id)
    finalised = final is not None and draft is not None and final.advice_revision == draft.revision \
        and final.application_revision == app.revision
    published = status is ApplicationStatus.PUBLISHED and finalised

    if status is ApplicationStatus.WITHDRAWN:
        phase = Phase.WITHDRAWN
    elif status is ApplicationStatus.EXPIRED:
        phase = Phase.EXPIRED
    elif published:
        phase = Phase.PUBLISHED
    elif finalised:
        phase = Phase.FINALISED
    elif circulated:
        phase = Phase.SIGNING_OFF if signoffs else Phase.DRAFT_CIRCULATED
    elif sent_app:
        phase = Phase.ANSWERING if responses else Phase.SENT
    else:
        phase = Phase.PREPARED

    ended = phase in (Phase.WITHDRAWN, Phase.EXPIRED)
    ended_reason = (f"The application has been {'withdrawn' if phase is Phase.WITHDRAWN else 'closed: it expired'}.",)

    # -- send
    send_reasons: list[str] = []
    if ended:
        send_reasons.extend(ended_reason)
    else:
        send_reasons.extend(p.message for p in rules.application_problems(app) if p.blocking)
        readers = [s.member for s in panel_seats(ws.roster(), ws.decisions(app.id)) if s.may_read]
        send_reasons.extend(p.message for p in rules.composition_problems(readers))
    send = Step(StepId.SEND, done=bool(sent_app), reasons=() if sent_app else tuple(send_reasons))

    # -- circulate
    taking_part = [m for m in members if m.takes_part]
    circ: list[str] = []
    notes: list[str] = []
    if ended:
        circ.extend(ended_reason)
    if not sent_app:
        circ.append(f"Revision {app.revision} has not been sent to the panel yet.")
    circ.extend(_declaration_reasons(members, app.revision))
    if draft is None:
        circ.append("There is no draft advice yet.")
    else:
        circ.extend(f"Draft {draft.revision}: {m}." for m in draft.missing())
    if not taking_part:
        circ.append("No member may take part in this advice.")
    silent = [m for m in taking_part if m.response is None]
    if silent:
        notes.append(f"No answers yet from {_names(silent)}; the published advice will say they did not respond.")
    circulate_done = circulated
    circulate = Step(StepId.CIRCULATE, done=circulate_done, reasons=() if circulate_done else tuple(circ),
                     notes=() if circulate_done else tuple(notes))

    # -- finalise
    fin: list[str] = []
    if ended:
        fin.extend(ended_reason)
    if draft is None:
        fin.append("There is no draft advice yet.")
    elif not circulated:
        fin.append(f"Draft {draft.revision} has not been circulated to the panel for sign-off.")
    else:
        waiting = [m for m in taking_part if m.draft_sent and m.signoff is None]
        if waiting:
            fin.append(f"Waiting for {_names(waiting)} to sign off draft {draft.revision}.")
        fin.extend(_declaration_reasons(members, app.revision))
    finalise = Step(StepId.FINALISE, done=finalised, reasons=() if finalised else tuple(dict.fromkeys(fin)))

    # -- publish
    pub: list[str] = []
    if ended:
        pub.extend(ended_reason)
    if not finalised:
        pub.append("The advice has not been finalised.")
    if ws.is_secretariat and ws.get_secret(CREDENTIALS_SECRET) is None:
        pub.append("There is no publication certificate yet: create one (or import a PKCS#12 file) first.")
    publish = Step(StepId.PUBLISH, done=published, reasons=() if published else tuple(pub))

    return Readiness(application_id=app.id, title=app.title, revision=app.revision, phase=phase, members=members,
                     steps=(send, circulate, finalise, publish), deadlines=_deadlines(app, moment.date(), phase))


def _declaration_reasons(members: Sequence[MemberOwes], revision: int) -> list[str]:
    out = []
    undeclared = [m for m in members if m.takes_part and m.sent and m.declaration is None]
    if undeclared:
        out.append(f"Waiting for {_names(undeclared)} to declare their interests in revision {revision} "
                   "(or record that they are recused).")
    for m in members:
        if m.needs_decision:
            out.append(f"Decide how {m.member.name}'s declared interests are handled.")
    return out


def member_readiness(ws, app_id: str, *, now: datetime | None = None) -> Readiness:
    """A panel member's own standing on ``app_id``: declare, answer, sign off (their steps, not the
    secretariat's). Raises NotFound."""
    from panel_desk.core import member as _member
    from panel_desk.core.store import ApplicationStatus

    moment = now or utcnow()
    app = ws.application(app_id)
    status = ws.status(app.id, now=moment)
    ended = status in (ApplicationStatus.WITHDRAWN, ApplicationStatus.EXPIRED)
    phase = {ApplicationStatus.WITHDRAWN: Phase.WITHDRAWN, ApplicationStatus.EXPIRED: Phase.EXPIRED}.get(
        status, Phase.SENT)
    decl = ws.declaration(app.id)
    declared = decl is not None and decl.application_revision == app.revision
    ended_reason = ("The application has ended: " + status.label.lower() + ".",) if ended else ()
    declare = Step(StepId.DECLARE, done=declared, reasons=ended_reason)
    sent = [r for r in ws.responses(app.id) if r.member == ws.fingerprint]
    problems = () if ended else tuple(_member.response_problems(ws, app.id))
    respond = Step(StepId.RESPOND, done=bool(sent), reasons=ended_reason + tuple(p.rstrip(".") + "." for p in problems))
    held = ws.draft_held(app.id)
    sign: list[str] = list(ended_reason)
    done = False
    if held is None:
        sign.append("No draft advice has arrived yet.")
    elif not declared:
        sign.append("Declare your interests before reading the draft advice.")
    else:
        done = any(s.member == ws.fingerprint for s in ws.signoffs(app.id, held))
    signoff = Step(StepId.SIGN_OFF, done=done, reasons=() if done else tuple(sign))
    return Readiness(application_id=app.id, title=app.title, revision=app.revision, phase=phase, members=(),
                     steps=(declare, respond, signoff), deadlines=_deadlines(app, moment.date(), phase))

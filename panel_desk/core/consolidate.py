"""All members' answers to one application side by side, and who is left out and why.

Pure functions of the application, the form, the panel and the responses (the secretariat module
gathers them from the store). A member whose answers do not count — read-only, recused, or
answering an earlier revision — is listed as excluded with the reason, never dropped silently.
The CSV and JSON exports are the secretariat's working papers: they carry internal notes in a
column labelled as such, and nothing here is ever published as it stands.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from panel_desk.core.forms import Form, Section
from panel_desk.core.model import (
    Application,
    ConflictDecision,
    Decision,
    DraftAdvice,
    Evidence,
    Member,
    Response,
    Role,
)

__all__ = [
    "CSV_COLUMNS",
    "Consolidation",
    "Excluded",
    "MemberAnswer",
    "PanelSeat",
    "Proposal",
    "QuestionSummary",
    "build",
    "panel_seats",
    "prefill",
    "to_csv",
    "to_json",
]

INCLUDED = "included"
EXCLUDED = "excluded"
NO_RESPONSE = "no response"
INTERNAL_NOTE_COLUMN = "internal_note (secretariat only, never publish)"
CSV_COLUMNS = ("application", "question", "member", "role", "rating", "confidence", "rationale",
               "evidence", "status", "reason", INTERNAL_NOTE_COLUMN)


@dataclass(frozen=True)
class PanelSeat:
    """A panel member as they stand for one application: their latest conflicts decision, if any."""

    member: Member
    decision: ConflictDecision | None = None

    @property
    def takes_part(self) -> bool:
        """Whether their answers and sign-off count towards the advice."""
        return self.decision is None or self.decision.decision.takes_part

    @property
    def may_read(self) -> bool:
        return self.decision is None or self.decision.decision.may_read

    @property
    def exclusion_reason(self) -> str:
        """Why their answers do not count (empty when they do)."""
        if self.takes_part or self.decision is None:
            return ""
        if self.decision.decision is Decision.RECUSED:
            return f"Recused from this application: {self.decision.reason}"
        return f"May read but takes no part in the advice: {self.decision.reason}"


def panel_seats(roster: Iterable[Member], decisions: Iterable[ConflictDecision]) -> list[PanelSeat]:
    """Every roster member but the secretariat, with their latest decision (later ones replace earlier)."""
    latest: dict[str, ConflictDecision] = {}
    for d in sorted(decisions, key=lambda d: d.decided_at):
        latest[d.member] = d
    return [PanelSeat(m, latest.get(m.fingerprint)) for m in roster if m.role is not Role.SECRETARIAT]


@dataclass(frozen=True)
class MemberAnswer:
    """One member's answer to one question, and whether it counts."""

    member: Member
    question: str
    status: str  # included, excluded, no response
    reason: str = ""
    rating: str = ""
    rating_label: str = ""
    confidence: str = ""
    rationale: str = ""
    internal_note: str = ""
    evidence: tuple[Evidence, ...] = ()
    response_revision: int | None = None
    submitted_at: datetime | None = None

    @property
    def included(self) -> bool:
        return self.status == INCLUDED


@dataclass(frozen=True)
class QuestionSummary:
    """One question: every member's row and the ratings of those whose answers count."""

    id: str
    number: str
    title: str
    question: str
    ratings: tuple[tuple[str, str], ...]  # (value, label) in the form's order
    confidences: tuple[tuple[str, str], ...]
    answers: tuple[MemberAnswer, ...]

    @property
    def included(self) -> list[MemberAnswer]:
        return [a for a in self.answers if a.included]

    def matrix(self) -> dict[str, dict[str, list[str]]]:
        """Rating → confidence → names of the members (included only), every cell present."""
        grid = {r: {c: [] for c, _ in self.confidences} for r, _ in self.ratings}
        for a in self.included:
            grid[a.rating][a.confidence].append(a.member.name)
        return grid

    def counts(self) -> dict[str, int]:
        """Rating → how many members whose answers count chose it."""
        return {r: sum(len(v) for v in cells.values()) for r, cells in self.matrix().items()}

    def label(self, rating: str) -> str:
        return dict(self.ratings).get(rating, rating)


@dataclass(frozen=True)
class Proposal:
    """A condition or other advice one member proposed (publishable text)."""

    member: Member
    text: str


@dataclass(frozen=True)
class Excluded:
    member: Member
    reason: str


@dataclass(frozen=True)
class Consolidation:
    """Everything the panel said about one application revision, side by side."""

    application: Application
    form_id: str
    form_version: int
    questions: tuple[QuestionSummary, ...]
    conditions: tuple[Proposal, ...]
    other_advice: tuple[Proposal, ...]
    excluded: tuple[Excluded, ...]
    not_responded: tuple[Member, ...]
    taking_part: tuple[Member, ...] = field(default=())

    def question(self, question_id: str) -> QuestionSummary:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)


def _latest_responses(responses: Iterable[Response]) -> dict[str, Response]:
    """Each member's latest response (a later revision supersedes an earlier one)."""
    latest: dict[str, Response] = {}
    for r in responses:
        held = latest.get(r.member)
        if held is None or (r.application_revision, r.revision, r.submitted_at) > (
                held.application_revision, held.revision, held.submitted_at):
            latest[r.member] = r
    return latest


def _status(seat: PanelSeat, response: Response | None, app: Application) -> tuple[str, str]:
    if not seat.takes_part:
        return EXCLUDED, seat.exclusion_reason
    if response is None:
        return NO_RESPONSE, "Has not sent a response yet."
    if response.application_revision != app.revision:
        return EXCLUDED, (f"Answered revision {response.application_revision} of the application; "
                          f"revision {app.revision} has been sent since. Ask for a new response.")
    return INCLUDED, ""


def _question_sections(form: Form) -> list[Section]:
    return list(form.questions)


def build(app: Application, form: Form, seats: Iterable[PanelSeat], responses: Iterable[Response]) -> Consolidation:
    """Consolidate ``responses`` to ``app`` for the panel ``seats``.

    Every seat gets one row per question: included, excluded (with the reason) or no response.
    A response from someone no longer on the panel is excluded with that reason.
    """
    seats = list(seats)
    latest = _latest_responses(r for r in responses if r.application_id == app.id)
    on_panel = {s.member.fingerprint for s in seats}
    strangers = [fp for fp in latest if fp not in on_panel]
    for fp in strangers:  # a response from someone since removed from the roster is still shown
        seats.append(PanelSeat(Member(fingerprint=fp, name=f"Unknown member {fp[:8]}", role=Role.EXPERT)))
    statuses = {}
    for s in seats:
        fp = s.member.fingerprint
        if fp in strangers:
            statuses[fp] = (EXCLUDED, "Not on the roster, so this answer does not count.")
        else:
            statuses[fp] = _status(s, latest.get(fp), app)

    questions = []
    for section in _question_sections(form):
        rating_field = section.field("rating")
        confidence_field = section.field("confidence")
        labels = {c.value: c.label for c in rating_field.choices}
        rows = []
        for s in seats:
            fp = s.member.fingerprint
            status, reason = statuses[fp]
            response = latest.get(fp)
            if response is None:
                rows.append(MemberAnswer(member=s.member, question=section.id, status=status, reason=reason))
                continue
            a = response.answers.answer(section.id)  # type: ignore[arg-type]
            rows.append(MemberAnswer(
                member=s.member, question=section.id, status=status, reason=reason, rating=a.rating,
                rating_label=labels.get(a.rating, a.rating),
                confidence=a.confidence.value if a.confidence else "", rationale=a.rationale,
                internal_note=a.internal_note, evidence=tuple(a.evidence), response_revision=response.revision,
                submitted_at=response.submitted_at))
        questions.append(QuestionSummary(
            id=section.id, number=section.number, title=section.title, question=section.question,
            ratings=tuple((c.value, c.label) for c in rating_field.choices),
            confidences=tuple((c.value, c.label) for c in confidence_field.choices), answers=tuple(rows)))

    conditions, other = [], []
    excluded, not_responded, taking_part = [], [], []
    for s in seats:
        fp = s.member.fingerprint
        status, reason = statuses[fp]
        if status == EXCLUDED:
            excluded.append(Excluded(s.member, reason))
            continue
        taking_part.append(s.member)
        if status == NO_RESPONSE:
            not_responded.append(s.member)
            continue
        answers = latest[fp].answers
        conditions.extend(Proposal(s.member, c) for c in answers.conditions)
        if answers.other_advice:
            other.append(Proposal(s.member, answers.other_advice))
    return Consolidation(application=app, form_id=form.id, form_version=form.version, questions=tuple(questions),
                         conditions=tuple(conditions), other_advice=tuple(other), excluded=tuple(excluded),
                         not_responded=tuple(not_responded), taking_part=tuple(taking_part))


# --- exports --------------------------------------------------------------------------------------


def _evidence_words(evidence: Iterable[Evidence]) -> str:
    parts = []
    for e in evidence:
        quote = f': "{e.quote}"' if e.quote else ""
        parts.append(f"{e.document} page {e.page}{quote}")
    return "; ".join(parts)


def _cell(value: str) -> str:
    """Text a spreadsheet will show as text, never run as a formula (members wrote it)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def to_csv(cons: Consolidation, *, internal_notes: bool = True) -> str:
    """One row per member per question (:data:`CSV_COLUMNS`), for the secretariat only.

    Internal notes fill the column named as never to be published; pass ``internal_notes=False``
    to leave the column out altogether.
    """
    columns = CSV_COLUMNS if internal_notes else CSV_COLUMNS[:-1]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for q in cons.questions:
        for a in q.answers:
            row = [cons.application.id, q.id, a.member.name, a.member.role.value, a.rating, a.confidence,
                   a.rationale, _evidence_words(a.evidence), a.status, a.reason]
            if internal_notes:
                row.append(a.internal_note)
            writer.writerow([_cell(str(v)) for v in row])
    return buf.getvalue()


def _member_json(m: Member) -> dict:
    return {"fingerprint": m.fingerprint, "name": m.name, "role": m.role.value, "organisation": m.organisation}


def to_json(cons: Consolidation, *, internal_notes: bool = True) -> str:
    """The consolidation as JSON for the secretariat's own tools (internal notes labelled as such)."""
    questions = []
    for q in cons.questions:
        rows = []
        for a in q.answers:
            row = {"member": _member_json(a.member), "status": a.status, "reason": a.reason, "rating": a.rating,
                   "confidence": a.confidence, "rationale": a.rationale,
                   "evidence": [{"document": e.document, "page": e.page, "quote": e.quote} for e in a.evidence],
                   "response_revision": a.response_revision}
            if internal_notes:
                row["internal_note_never_publish"] = a.internal_note
            rows.append(row)
        questions.append({"id": q.id, "number": q.number, "title": q.title, "question": q.question,
                          "matrix": q.matrix(), "counts": q.counts(), "answers": rows})
    data = {
        "application": {"id": cons.application.id, "revision": cons.application.revision,
                        "authority": cons.application.authority, "title": cons.application.title},
        "form": {"id": cons.form_id, "version": cons.form_version},
        "questions": questions,
        "conditions": [{"member": p.member.name, "text": p.text} for p in cons.conditions],
        "other_advice": [{"member": p.member.name, "text": p.text} for p in cons.other_advice],
        "excluded": [{"member": _member_json(e.member), "reason": e.reason} for e in cons.excluded],
        "not_responded": [_member_json(m) for m in cons.not_responded],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --- a first draft from what members wrote for publication -----------------------------------------


def _distribution(q: QuestionSummary) -> str:
    counts = [(q.label(r), n) for r, n in q.counts().items() if n]
    total = sum(n for _, n in counts)
    if not total:
        return ""
    people = "member" if total == 1 else "members"
    parts = ", ".join(f"{label.lower()} ({n})" for label, n in counts)
    return f"Of the {total} {people} whose answers count: {parts}."


def prefill(cons: Consolidation, *, revision: int = 1) -> DraftAdvice:
    """A starting draft from members' publishable text only: rationales, conditions, other advice.

    Never reads an internal note, a confidence or a cited passage, and only answers that count.
    """
    texts: dict[str, str] = {}
    for q in cons.questions:
        paras = [_distribution(q)] + [a.rationale for a in q.included if a.rationale]
        texts[q.id] = "\n\n".join(p for p in paras if p)
    conditions: list[str] = []
    for p in cons.conditions:
        if p.text not in conditions:
            conditions.append(p.text)
    other = "\n\n".join(p.text for p in cons.other_advice)
    return DraftAdvice(application_id=cons.application.id, revision=revision,
                       summary=cons.application.summary,
                       outcomes=texts.get("outcomes", ""), monitoring=texts.get("monitoring", ""),
                       conditions=conditions, other_advice=other)

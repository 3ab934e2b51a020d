"""The one place the secretariat's screens call the core (store, secretariat, publish).

Every screen talks to :class:`Desk`, which calls the core and hands back the core's own objects
or small rows of words ready to show. No rule lives here: composition, problems, exclusion and
status are the core's; this module only translates shapes, so a change in the core's API has
one home in the ui.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from panel_desk.core import rules
from panel_desk.core.errors import InvalidInput, PanelDeskError
from panel_desk.core.identity import PublicCard, format_fingerprint
from panel_desk.core.model import Application, Decision, Member, Role

Progress = Callable[[int, int], None]
CREDENTIALS_SECRET = "publication-credentials"
NOT_FINAL = "The advice is not final yet. Finalise it on the Drafting tab, then export it."
NO_CERTIFICATE = ("There is no publication certificate yet, so the advice cannot be signed. "
                  "Create one with 'panel-desk ca init', or import your organisation's certificate "
                  "with 'panel-desk ca import-p12 FILE'.")


def _secretariat():
    return importlib.import_module("panel_desk.core.secretariat")


def _publish():
    return importlib.import_module("panel_desk.core.publish")


def _value(obj, *names, default=None):
    """The first attribute or key of ``obj`` among ``names`` (the core's result objects)."""
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return default


def _text(value) -> str:
    """An enum's label or value, or the text of anything else."""
    if value is None:
        return ""
    label = getattr(value, "label", None)
    if isinstance(label, str):
        return label
    return str(getattr(value, "value", value))


def fingerprint_words(fp: str) -> str:
    try:
        return format_fingerprint(fp)
    except Exception:  # shown only; a malformed one is shown as it is
        return fp


# --- rows of words ---------------------------------------------------------------------------------


@dataclass
class ImportRow:
    file: str
    what: str
    result: str
    refused: bool


@dataclass
class ConflictRow:
    member: str  # fingerprint
    name: str
    role: str
    interests: str
    declared_at: str
    decision: Decision | None
    reason: str


@dataclass
class Clock:
    asked: date
    due: date
    earliest: date
    days_left: str
    short_message: str  # empty when the 6-week minimum is met


@dataclass
class SignOffRow:
    name: str
    status: str  # concurred / commented / dissented / not replied
    colour: str
    text: str = ""
    attribution: str = ""


@dataclass
class MemberAnswer:
    name: str
    role: str
    rating: str = ""
    confidence: str = ""
    rationale: str = ""
    evidence: list[tuple[str, str, str]] = field(default_factory=list)  # document, page, quote


@dataclass
class QuestionView:
    id: str
    title: str
    answers: list[MemberAnswer]


@dataclass
class ConsolidationView:
    questions: list[QuestionView]
    conditions: list[tuple[str, str]]  # member, condition
    other_advice: list[tuple[str, str]]  # member, text
    not_responded: list[str]
    excluded: list[tuple[str, str]]  # member, reason
    source: object = None  # the core's Consolidation, for its CSV and JSON


QUESTION_TITLES = {"outcomes": "Q1: Outcomes for children", "monitoring": "Q2: Monitoring arrangements"}


def rating_words(rating: str) -> str:
    return (rating or "").replace("_", " ").capitalize() or "Not answered"


def when(value) -> str:
    if isinstance(value, datetime):
        return f"{rules.format_date(value.date())} at {value:%H:%M}"
    if isinstance(value, date):
        return rules.format_date(value)
    return str(value or "")


def status_colour(words: str) -> str:
    w = words.lower()
    if any(k in w for k in ("withdrawn", "refused", "dissent", "overdue")):
        return "red"
    if any(k in w for k in ("final", "published", "imported", "concurred", "complete")):
        return "green"
    if any(k in w for k in ("sealed", "sent", "circulated", "draft")):
        return "blue"
    if any(k in w for k in ("already", "comment")):
        return "yellow"
    return "grey"


class Desk:
    """The secretariat's verbs over one open workspace."""

    def __init__(self, workspace, *, today: Callable[[], date] | None = None) -> None:
        self.ws = workspace
        self._today = today or date.today

    def today(self) -> date:
        return self._today()

    # -- roster -----------------------------------------------------------------------------------

    def roster(self) -> list[Member]:
        return list(self.ws.roster())

    def panel_roster(self) -> list[Member]:
        """Members who can sit on a panel (everyone but the secretariat)."""
        return [m for m in self.roster() if Role(m.role) is not Role.SECRETARIAT]

    @staticmethod
    def load_card(path: Path) -> PublicCard:
        """Read a public card; raises the core's plain error when its self-signature fails."""
        return PublicCard.load(Path(path))

    def add_member(self, card: PublicCard, role: Role) -> Member:
        return self.ws.roster_add(card, role=role, acts_for=card.acts_for)

    def member(self, ref: str) -> Member | None:
        try:
            return self.ws.member(ref)
        except PanelDeskError:
            return None

    def name_of(self, ref: str) -> str:
        m = self.member(ref)
        return m.name if m is not None else fingerprint_words(ref)

    def composition(self, app_id: str | None) -> list[str]:
        members = self.addressed_members(app_id) if app_id else self.panel_roster()
        return [p.message for p in rules.composition_problems(members)]

    def addressed_members(self, app_id: str) -> list[Member]:
        recused = self.recused(app_id)
        return [m for m in self.panel_roster() if m.fingerprint not in recused]

    # -- applications --------------------------------------------------------------------------

    def applications(self) -> list[Application]:
        return [self.application(row.id) for row in self.ws.applications(today=self.today())]

    def application(self, app_id: str) -> Application:
        return self.ws.application(app_id)

    def status(self, app_id: str) -> str:
        """The application's status in the store's own words."""
        return _text(self.ws.status(app_id))

    def new_application(self, folder: Path) -> Application:
        result = _secretariat().new_application(self.ws, Path(folder))
        if isinstance(result, Application):
            return result
        return self.application(result if isinstance(result, str) else _value(result, "id"))

    def new_revision(self, app_id: str, folder: Path, reason: str) -> Application:
        result = _secretariat().new_revision(self.ws, app_id, Path(folder), reason=reason)
        return result if isinstance(result, Application) else self.application(app_id)

    def problems(self, app: Application) -> list[rules.Problem]:
        return rules.application_problems(app)

    def clock(self, app: Application) -> Clock:
        d = app.dates
        check = rules.notice_check(d.panel_asked, d.regulations_intended)
        return Clock(asked=d.panel_asked, due=d.advice_due, earliest=rules.earliest_regulations(d.panel_asked),
                     days_left=rules.days_left_words(d.advice_due, self.today()),
                     short_message="" if check.meets_minimum else check.message())

    def seal(self, app_id: str, out: Path, to: Sequence[str], *, advice_due: date | None,
             expires: date | None, progress: Progress, cancelled: Callable[[], bool]):
        return _secretariat().seal_application(self.ws, app_id, Path(out), to=list(to), advice_due=advice_due,
                                               expires=expires, progress=progress, cancel=cancelled)

    def withdraw(self, app_id: str, out: Path, reason: str):
        return _secretariat().withdraw(self.ws, app_id, Path(out), reason=reason)

    # -- imports --------------------------------------------------------------------------------

    def import_many(self, paths: Sequence[Path], progress: Progress, cancelled: Callable[[], bool]) -> list[ImportRow]:
        results = self.ws.import_many([Path(p) for p in paths], progress=progress, cancel=cancelled)
        rows = []
        for path, r in zip(paths, results, strict=False):
            status = _text(_value(r, "status", default="")).lower()
            reason = _text(_value(r, "message", "reason", default=""))
            kind = _text(_value(r, "kind", "what", default=""))
            what = _KIND_WORDS.get(kind.lower(), kind.capitalize() or "Not a Panel Desk file")
            if status == "imported":
                rows.append(ImportRow(Path(_value(r, "path", default=path)).name, what, "Imported", False))
            elif status == "superseded":
                rows.append(ImportRow(Path(_value(r, "path", default=path)).name, what,
                                      "Imported; it replaces the earlier one", False))
            elif status == "duplicate":
                rows.append(ImportRow(Path(_value(r, "path", default=path)).name, what, "Already had it", False))
            else:
                rows.append(ImportRow(Path(_value(r, "path", default=path)).name, what,
                                      f"Refused: {reason}" if reason else "Refused", True))
        return rows

    # -- conflicts ------------------------------------------------------------------------------

    def decisions(self, app_id: str) -> dict[str, object]:
        out = {}
        for d in self.ws.decisions(app_id):
            out[d.member] = d  # later decisions replace earlier ones
        return out

    def recused(self, app_id: str) -> dict[str, str]:
        """Fingerprint → reason, for members recused from this application."""
        return {fp: d.reason for fp, d in self.decisions(app_id).items() if Decision(d.decision) is Decision.RECUSED}

    def conflicts(self, app_id: str) -> list[ConflictRow]:
        decisions = self.decisions(app_id)
        rows = []
        for decl in self.ws.declarations(app_id):
            m = self.member(decl.member)
            d = decisions.get(decl.member)
            interests = ("No interests to declare" if decl.none_to_declare else
                         "\n".join(f"{i.type.label}: {i.text}" for i in decl.interests))
            rows.append(ConflictRow(member=decl.member, name=m.name if m else fingerprint_words(decl.member),
                                    role=m.role_label if m else "", interests=interests,
                                    declared_at=when(decl.declared_at),
                                    decision=Decision(d.decision) if d else None, reason=d.reason if d else ""))
        return rows

    def decide(self, app_id: str, member: str, decision: Decision, reason: str):
        return _secretariat().decide(self.ws, app_id, member, decision, reason)

    # -- consolidation --------------------------------------------------------------------------

    def consolidate(self, app_id: str) -> ConsolidationView:
        c = _secretariat().consolidate(self.ws, app_id)
        return consolidation_view(c, self.member)

    @staticmethod
    def export_consolidation(view: ConsolidationView, path: Path, kind: str) -> None:
        data = view.source.to_csv() if kind == "csv" else view.source.to_json()
        Path(path).write_text(data, encoding="utf-8") if isinstance(data, str) else Path(path).write_bytes(data)

    # -- drafting -------------------------------------------------------------------------------

    def latest_draft(self, app_id: str):
        return self.ws.latest_draft(app_id)

    def prefill(self, app_id: str):
        return _secretariat().prefill_draft(self.ws, app_id)

    def save_draft(self, app_id: str, *, summary: str, outcomes: str, monitoring: str,
                   conditions: list[str], other_advice: str):
        return _secretariat().draft_advice(self.ws, app_id, summary=summary, outcomes=outcomes,
                                           monitoring=monitoring, conditions=conditions,
                                           other_advice=other_advice)

    def circulate(self, app_id: str, out: Path):
        return _secretariat().circulate(self.ws, app_id, Path(out))

    def signoffs(self, app_id: str) -> list[SignOffRow]:
        status = _secretariat().advice_status(self.ws, app_id)
        rows = []
        for entry in _value(status, "members", "rows", default=[]) or []:
            ref = _value(entry, "member", "fingerprint", default="")
            name = _value(entry, "name", default="") or self.name_of(ref)
            kind = _text(_value(entry, "kind", "status", "answer", default="")).lower()
            words, colour = _SIGNOFF_WORDS.get(kind, ("Not replied", "grey"))
            rows.append(SignOffRow(name=name, status=words, colour=colour,
                                   text=_value(entry, "text", "statement", default="") or "",
                                   attribution=_text(_value(entry, "attribute", "attribution", default=""))))
        return rows

    def is_final(self, app_id: str) -> bool:
        try:
            return self.final_advice(app_id) is not None
        except PanelDeskError:
            return False

    def finalise(self, app_id: str):
        return _secretariat().finalise(self.ws, app_id)

    # -- publication ----------------------------------------------------------------------------

    def export_advice(self, app_id: str, pdf: Path, html: Path, progress: Progress, cancelled: Callable[[], bool]):
        """Export the finalised advice, signed. Refuses in words when it is not final or there is no certificate."""
        advice = self.final_advice(app_id)
        if advice is None:
            raise InvalidInput(NOT_FINAL)
        stored = self.ws.get_secret(CREDENTIALS_SECRET)
        if not stored:
            raise InvalidInput(NO_CERTIFICATE)
        creds = importlib.import_module("panel_desk.core.publish.ca").PublicationCredentials.from_bytes(stored)
        return _publish().export_advice(advice, creds, pdf_out=Path(pdf), html_out=Path(html),
                                        progress=progress, cancel=cancelled)

    def final_advice(self, app_id: str):
        try:
            advice = _secretariat().final_advice(self.ws, app_id)
        except (ImportError, AttributeError):
            advice = None
        return advice if advice is not None else self.ws.publication(app_id)

    def verify_pdf(self, path: Path):
        return _publish().verify_pdf(Path(path))


_KIND_WORDS = {
    "application": "Application",
    "response": "Response",
    "declaration": "Declaration of interests",
    "signoff": "Sign-off",
    "sign-off": "Sign-off",
    "draft-advice": "Draft advice",
    "withdrawal": "Withdrawal",
}

_SIGNOFF_WORDS = {
    "concur": ("Concurred", "green"),
    "concurred": ("Concurred", "green"),
    "comment": ("Concurred with a comment", "yellow"),
    "commented": ("Concurred with a comment", "yellow"),
    "dissent": ("Dissented", "red"),
    "dissented": ("Dissented", "red"),
}


def consolidation_view(c, member_of: Callable[[str], Member | None]) -> ConsolidationView:
    """The core's Consolidation as rows of words for the screen."""
    entries = _value(c, "members", "rows", "entries", default=[]) or []
    per_q: dict[str, list[MemberAnswer]] = {"outcomes": [], "monitoring": []}
    conditions, other, not_responded, excluded = [], [], [], []
    for e in entries:
        ref = _value(e, "member", "fingerprint", default="")
        m = ref if isinstance(ref, Member) else member_of(ref)
        name = _value(e, "name", default="") or (m.name if m else fingerprint_words(ref))
        role = _text(_value(e, "role", default="")) or (m.role_label if m else "")
        reason = _value(e, "excluded_reason", "exclusion", "excluded", default=None)
        if reason:
            excluded.append((name, reason if isinstance(reason, str) else _text(_value(e, "reason", default=""))))
            continue
        answers = _value(e, "answers", "response", default=None)
        if answers is None:
            not_responded.append(name)
            continue
        for q in per_q:
            a = answers.answer(q) if hasattr(answers, "answer") else _value(answers, q)
            per_q[q].append(MemberAnswer(
                name=name, role=role, rating=rating_words(a.rating),
                confidence=_text(a.confidence).capitalize() if a.confidence else "Not given",
                rationale=a.rationale,
                evidence=[(ev.document, str(ev.page), ev.quote) for ev in a.evidence]))
        conditions.extend((name, text) for text in answers.conditions)
        if answers.other_advice:
            other.append((name, answers.other_advice))
    for ref in _value(c, "not_responded", "missing", default=[]) or []:
        m = ref if isinstance(ref, Member) else member_of(ref)
        name = m.name if m else fingerprint_words(ref)
        if name not in not_responded:
            not_responded.append(name)
    questions = [QuestionView(q, QUESTION_TITLES[q], answers) for q, answers in per_q.items()]
    return ConsolidationView(questions, conditions, other, not_responded, excluded, c)

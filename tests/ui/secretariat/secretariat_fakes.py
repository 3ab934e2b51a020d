"""A stand-in Desk over plain lists, with real models, for screen tests that need no store.

It keeps the shapes the real Desk returns, so the screens are driven exactly as they are in use;
the real-data test (test_secretariat_real.py) drives the same screens over the real core.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from panel_desk.core.appdir import load_application_dir
from panel_desk.core.errors import InvalidInput, NotFound
from panel_desk.core.model import (
    Answer,
    Confidence,
    ConflictDecision,
    ConflictDeclaration,
    Decision,
    DraftAdvice,
    Evidence,
    Interest,
    InterestType,
    Member,
    ResponseAnswers,
    Role,
)
from panel_desk.ui.secretariat._desk import (
    ConsolidationView,
    Desk,
    ImportRow,
    SignOffRow,
    consolidation_view,
)

SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screens"


@dataclass
class _Entry:
    member: str
    answers: ResponseAnswers | None = None
    excluded: str = ""


@dataclass
class _Consolidation:
    members: list[_Entry]

    def to_csv(self) -> str:
        return "member,rating\n" + "".join(f"{e.member},{e.answers.outcomes.rating if e.answers else ''}\n"
                                           for e in self.members)

    def to_json(self) -> str:
        return "[]"


@dataclass
class FakeDesk(Desk):
    today_: date = date(2026, 11, 23)
    members: list[Member] = field(default_factory=list)
    apps: dict = field(default_factory=dict)
    declarations_: list[ConflictDeclaration] = field(default_factory=list)
    decisions_: list[ConflictDecision] = field(default_factory=list)
    responses_: dict[str, ResponseAnswers] = field(default_factory=dict)
    draft: DraftAdvice | None = None
    signoffs_: list[SignOffRow] = field(default_factory=list)
    final: bool = False
    sealed: list = field(default_factory=list)
    import_plan: dict[str, ImportRow] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(None, today=lambda: self.today_)
        self.ws = self  # Desk's own conflicts() reads declarations() and decisions() through ws

    def roster(self):
        return list(self.members)

    def add_member(self, card, role):
        m = Member(fingerprint=card.fingerprint, name=card.name, role=role, organisation=card.organisation,
                   acts_for=card.acts_for)
        self.members = [x for x in self.members if x.fingerprint != m.fingerprint] + [m]
        return m

    def member(self, ref):
        return next((m for m in self.members if m.fingerprint == ref), None)

    def applications(self):
        return list(self.apps.values())

    def application(self, app_id):
        if app_id not in self.apps:
            raise NotFound(f"There is no application {app_id}.")
        return self.apps[app_id]

    def status(self, app_id):
        return "Final" if self.final else ("Sent to the panel" if self.sealed else "Not yet sent")

    def new_application(self, folder):
        app, _files = load_application_dir(Path(folder))
        app = app.model_copy(update={"id": "wexmoor-2026-0001"})
        self.apps[app.id] = app
        return app

    def new_revision(self, app_id, folder, reason):
        app, _ = load_application_dir(Path(folder))
        old = self.apps[app_id]
        app = app.model_copy(update={"id": app_id, "revision": old.revision + 1, "revision_reason": reason})
        self.apps[app_id] = app
        return app

    def seal(self, app_id, out, to, *, advice_due, expires, progress, cancelled):
        progress(1, 2)
        Path(out).write_bytes(b"sealed")
        progress(2, 2)
        self.sealed.append((app_id, Path(out), list(to), advice_due, expires))
        return Path(out)

    def withdraw(self, app_id, out, reason):
        Path(out).write_bytes(b"withdrawn")

    def import_many(self, paths, progress, cancelled):
        rows = []
        for i, p in enumerate(paths):
            progress(i + 1, len(paths))
            rows.append(self.import_plan.get(Path(p).name, ImportRow(Path(p).name, "Not a Panel Desk file",
                                                                      "Refused: this is not a Panel Desk file.", True)))
        return rows

    def decisions(self, app_id):
        return {d.member: d for d in self.decisions_}

    def declarations(self, app_id):  # what Desk.conflicts reads through self.ws
        return list(self.declarations_)

    def decide(self, app_id, member, decision, reason):
        self.decisions_.append(ConflictDecision(application_id=app_id, member=member, decision=decision,
                                                reason=reason))

    def consolidate(self, app_id) -> ConsolidationView:
        recused = self.recused(app_id)
        entries = []
        for m in self.panel_roster():
            if m.fingerprint in recused:
                entries.append(_Entry(m.fingerprint, excluded="recused: " + recused[m.fingerprint]))
            else:
                entries.append(_Entry(m.fingerprint, self.responses_.get(m.fingerprint)))
        return consolidation_view(_Consolidation(entries), self.member)

    def latest_draft(self, app_id):
        return self.draft

    def prefill(self, app_id):
        r = next(iter(self.responses_.values()), ResponseAnswers())
        return DraftAdvice(application_id=app_id, summary=self.apps[app_id].summary,
                           outcomes=r.outcomes.rationale, monitoring=r.monitoring.rationale,
                           conditions=list(r.conditions), other_advice=r.other_advice)

    def save_draft(self, app_id, **values):
        if self.final:
            raise InvalidInput("The advice is final; its text cannot be changed.")
        self.draft = DraftAdvice(application_id=app_id, **values)

    def circulate(self, app_id, out):
        Path(out).write_bytes(b"draft")

    def signoffs(self, app_id):
        return list(self.signoffs_)

    def is_final(self, app_id):
        return self.final

    def finalise(self, app_id):
        self.final = True

    def export_advice(self, app_id, pdf, html, progress, cancelled):
        if not self.final:
            raise InvalidInput("The advice is not final yet. Finalise it on the Drafting tab, then export it.")
        progress(1, 1)
        Path(pdf).write_bytes(b"%PDF-1.7")
        Path(html).write_text("<html></html>")

    def get_secret(self, name):
        return None

    def verify_pdf(self, path):
        return {"valid": True, "signer": "Panel secretariat", "signed_at": "23 November 2026",
                "trusted": False, "covers_whole_document": True}


def sample_answers(rating: str, monitoring: str, rationale: str, quote: str, conditions=()) -> ResponseAnswers:
    return ResponseAnswers(
        outcomes=Answer(rating=rating, confidence=Confidence.MEDIUM, rationale=rationale,
                        evidence=[Evidence(document="documents/application.pdf", page=3, quote=quote)]),
        monitoring=Answer(rating=monitoring, confidence=Confidence.HIGH,
                          rationale="Quarterly audits of 10% of children are proportionate, but the "
                                    "department should also see how many children asked to return to an IRO."),
        conditions=list(conditions), other_advice="")


def declaration(app_id: str, member: str, *, interest: str = "") -> ConflictDeclaration:
    at = datetime(2026, 10, 9, 14, 30, tzinfo=UTC)
    if interest:
        return ConflictDeclaration(application_id=app_id, application_revision=1, member=member,
                                   interests=[Interest(type=InterestType.PRIOR_INVOLVEMENT, text=interest)],
                                   declared_at=at)
    return ConflictDeclaration(application_id=app_id, application_revision=1, member=member, none_to_declare=True,
                               declared_at=at)


__all__ = ["Decision", "FakeDesk", "Role", "declaration", "sample_answers"]

"""A stand-in Desk over plain lists, for screen tests that need no store.

Rules stay the core's: the panel, the conflicts register, consolidation and sign-off status are
built with the core's own pure functions and dataclasses; only the storage is a list here. The
real-data test (test_secretariat_real.py) drives the same screens over a real profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from panel_desk.core import consolidate as cons
from panel_desk.core import secretariat as sec
from panel_desk.core.appdir import load_application_dir
from panel_desk.core.errors import InvalidInput, NotFound
from panel_desk.core.forms import DEFAULT_FORM, load_form
from panel_desk.core.model import (
    Answer,
    Confidence,
    ConflictDecision,
    ConflictDeclaration,
    DraftAdvice,
    Evidence,
    Interest,
    InterestType,
    Member,
    Response,
    ResponseAnswers,
    SignOff,
)
from panel_desk.ui.secretariat._desk import (
    ConsolidationView,
    Desk,
    ImportRow,
    conflict_rows,
    consolidation_view,
)

SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screens"


@dataclass
class FakeDesk(Desk):
    today_: date = date(2026, 11, 23)
    members: list[Member] = field(default_factory=list)
    apps: dict = field(default_factory=dict)
    declarations_: list[ConflictDeclaration] = field(default_factory=list)
    decisions_: list[ConflictDecision] = field(default_factory=list)
    responses_: list[Response] = field(default_factory=list)
    draft: DraftAdvice | None = None
    signoffs_: list[SignOff] = field(default_factory=list)
    circulated: bool = False
    final: bool = False
    sealed: list = field(default_factory=list)
    import_plan: dict[str, ImportRow] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(None, today=lambda: self.today_)

    def roster(self):
        return list(self.members)

    def add_member(self, card, role):
        m = Member(fingerprint=card.fingerprint, name=card.name, role=role, organisation=card.organisation,
                   acts_for=card.acts_for)
        self.members = [x for x in self.members if x.fingerprint != m.fingerprint] + [m]
        return m

    def member(self, ref):
        return next((m for m in self.members if m.fingerprint == ref), None)

    def seats(self, app_id):
        return cons.panel_seats(self.panel_roster(), self.decisions_)

    def applications(self):
        return list(self.apps.values())

    def application(self, app_id):
        if app_id not in self.apps:
            raise NotFound(f"There is no application {app_id}.")
        return self.apps[app_id]

    def status(self, app_id):
        return "Advice finalised" if self.final else ("Sent to the panel" if self.sealed else "Not yet sent")

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

    def seal(self, app_id, out, to, *, expires, progress, cancelled):
        progress(1, 2)
        Path(out).write_bytes(b"sealed")
        progress(2, 2)
        self.sealed.append((app_id, Path(out), list(to), expires))
        return [self.member(fp) for fp in to]

    def withdraw(self, app_id, out, reason):
        Path(out).write_bytes(b"withdrawn")
        return self.addressed_members(app_id)

    def import_many(self, paths, progress, cancelled):
        rows = []
        for i, p in enumerate(paths):
            progress(i + 1, len(paths))
            rows.append(self.import_plan.get(Path(p).name, ImportRow(Path(p).name, "Not a Panel Desk file",
                                                                      "Refused: this is not a Panel Desk file.", True)))
        return rows

    def conflicts(self, app_id):
        declared = {d.member: d for d in self.declarations_}
        return conflict_rows([sec.ConflictRow(app_id, s.member, declared.get(s.member.fingerprint), s.decision)
                              for s in self.seats(app_id)])

    def decide(self, app_id, member, decision, reason):
        self.decisions_.append(ConflictDecision(application_id=app_id, member=member, decision=decision,
                                                reason=reason))

    def _consolidation(self, app_id):
        return cons.build(self.apps[app_id], load_form(*DEFAULT_FORM), self.seats(app_id), self.responses_)

    def consolidate(self, app_id) -> ConsolidationView:
        return consolidation_view(self._consolidation(app_id))

    def latest_draft(self, app_id):
        return self.draft

    def prefill(self, app_id):
        return cons.prefill(self._consolidation(app_id))

    def save_draft(self, app_id, reason="", **values):
        if self.final:
            raise InvalidInput("The advice is final; its text cannot be changed.")
        if self.circulated and not reason:
            raise InvalidInput("Draft 1 has been sent to the panel, so its text is locked. Give the reason for "
                               "the change to make draft 2.")
        self.draft = DraftAdvice(application_id=app_id, reason=reason, **values)

    def circulate(self, app_id, out):
        Path(out).write_bytes(b"draft")
        self.circulated = True
        return [s.member for s in self.seats(app_id) if s.takes_part]

    def advice_status(self, app_id):
        by = {s.member: s for s in self.signoffs_}
        rows = tuple(sec.SignOffRow(s.member, by.get(s.member.fingerprint)) for s in self.seats(app_id)
                     if s.takes_part)
        return sec.AdviceStatus(app_id, 1 if self.draft else None, self.circulated, self.final, rows)

    def finalise(self, app_id):
        self.final = True

    def export_advice(self, app_id, pdf, html, progress, cancelled):
        if not self.final:
            raise InvalidInput("This advice has not been finalised yet. Circulate the draft, collect every "
                               "member's sign-off, then finalise it.")
        progress(1, 1)
        Path(pdf).write_bytes(b"%PDF-1.7")
        Path(html).write_text("<html></html>")

    def verify_pdf(self, path):
        from panel_desk.core.publish.verify import VerifyReport  # pyHanko is slow to import: only here

        return VerifyReport(signed=True, signer="Panel secretariat", signed_at=datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
                            intact=True, valid=True, covers_whole_file=True, trust_checked=True, trusted=True)


def response(app_id: str, member: str, rating: str, monitoring: str, rationale: str, quote: str,
             conditions=()) -> Response:
    answers = ResponseAnswers(
        outcomes=Answer(rating=rating, confidence=Confidence.MEDIUM, rationale=rationale,
                        evidence=[Evidence(document="documents/application.pdf", page=3, quote=quote)]),
        monitoring=Answer(rating=monitoring, confidence=Confidence.HIGH,
                          rationale="Quarterly audits of 10% of children are proportionate, but the "
                                    "department should also see how many children asked to return to an IRO."),
        conditions=list(conditions), other_advice="")
    return Response(application_id=app_id, application_revision=1, member=member, answers=answers)


def declaration(app_id: str, member: str, *, interest: str = "") -> ConflictDeclaration:
    at = datetime(2026, 10, 9, 14, 30, tzinfo=UTC)
    if interest:
        return ConflictDeclaration(application_id=app_id, application_revision=1, member=member,
                                   interests=[Interest(type=InterestType.PRIOR_INVOLVEMENT, text=interest)],
                                   declared_at=at)
    return ConflictDeclaration(application_id=app_id, application_revision=1, member=member, none_to_declare=True,
                               declared_at=at)

"""Consolidation and the finalised advice as pure functions of the panel, responses and sign-offs."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from panel_desk.core import consolidate as cons
from panel_desk.core.appdir import load_application_dir
from panel_desk.core.forms import load_form
from panel_desk.core.model import (
    Answer,
    Attribution,
    ConflictDecision,
    ConflictDeclaration,
    Decision,
    DraftAdvice,
    Evidence,
    Interest,
    InterestType,
    Member,
    Response,
    ResponseAnswers,
    Role,
    SignOff,
    SignOffKind,
)
from panel_desk.core.secretariat import attribution, build_advice

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "application"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SECRET = "INTERNAL-MARKER-7f3a"


def _fp(letter: str) -> str:
    return letter * 32


SAM = Member(fingerprint=_fp("S"), name="Sam Secretary", role=Role.SECRETARIAT)
CARA = Member(fingerprint=_fp("C"), name="Cara Okafor", role=Role.CHILDRENS_COMMISSIONER, acts_for="Children's Commissioner")
IAN = Member(fingerprint=_fp("I"), name="Ian Moss", role=Role.CHIEF_INSPECTOR)
EVE = Member(fingerprint=_fp("E"), name="Eve Hart", role=Role.EXPERT)
PAT = Member(fingerprint=_fp("P"), name="Pat Lowe", role=Role.SOCIAL_WORK_PRACTICE)
ROSTER = [SAM, CARA, IAN, EVE, PAT]


@pytest.fixture(scope="module")
def app():
    application, _ = load_application_dir(EXAMPLE)
    return application.model_copy(update={"id": "wexmoor-2026-ab12"})


def _answers(who: str, outcomes: str = "improve", monitoring: str = "sufficient", conditions=()) -> ResponseAnswers:
    return ResponseAnswers(
        outcomes=Answer(rating=outcomes, confidence="high", rationale=f"{who} on outcomes.",
                        internal_note=f"{SECRET} {who}",
                        evidence=[Evidence(document="documents/application.pdf", page=2, quote=f"{who} quote")]),
        monitoring=Answer(rating=monitoring, confidence="medium", rationale=f"{who} on monitoring.",
                          internal_note=f"{SECRET} {who} mon"),
        conditions=list(conditions), other_advice=f"{who} other advice.")


def _response(m: Member, answers: ResponseAnswers, *, app_rev: int = 1, rev: int = 1) -> Response:
    return Response(application_id="wexmoor-2026-ab12", application_revision=app_rev, member=m.fingerprint,
                    revision=rev, answers=answers, submitted_at=NOW)


def _decision(m: Member, d: Decision, reason: str) -> ConflictDecision:
    return ConflictDecision(application_id="wexmoor-2026-ab12", member=m.fingerprint, decision=d, reason=reason,
                            decided_at=NOW)


@pytest.fixture
def consolidation(app):
    seats = cons.panel_seats(ROSTER, [_decision(EVE, Decision.RECUSED, "Advised Wexmoor on this application."),
                                      _decision(IAN, Decision.DECLARED, "A regulatory interest; takes part.")])
    responses = [
        _response(CARA, _answers("Cara", "worsen"), rev=1),
        _response(CARA, _answers("Cara", "improve", "sufficient_with_conditions", ["Report quarterly."]), rev=2),
        _response(IAN, _answers("Ian", "improve", "sufficient_with_conditions", ["Report quarterly.", "Audit 10%."])),
        _response(EVE, _answers("Eve", "improve_significantly")),
    ]
    return cons.build(app, load_form(), seats, responses)


def test_the_secretariat_is_not_a_seat_and_later_decisions_replace_earlier():
    later = ConflictDecision(application_id="a-1-x", member=EVE.fingerprint, decision=Decision.READ_ONLY,
                             reason="Reconsidered.", decided_at=NOW.replace(hour=13))
    seats = cons.panel_seats(ROSTER, [later, _decision(EVE, Decision.RECUSED, "First view.")])
    assert [s.member for s in seats] == [CARA, IAN, EVE, PAT]
    eve = seats[2]
    assert eve.decision.decision is Decision.READ_ONLY and eve.may_read and not eve.takes_part
    assert eve.exclusion_reason == "May read but takes no part in the advice: Reconsidered."


def test_each_member_has_one_row_per_question_with_status(consolidation):
    q1 = consolidation.question("outcomes")
    assert [(a.member.name, a.status) for a in q1.answers] == [
        ("Cara Okafor", "included"), ("Ian Moss", "included"), ("Eve Hart", "excluded"), ("Pat Lowe", "no response")]
    eve = q1.answers[2]
    assert eve.reason == "Recused from this application: Advised Wexmoor on this application."
    assert eve.rating == "improve_significantly"  # shown, never silently dropped
    assert q1.answers[0].rating == "improve" and q1.answers[0].response_revision == 2  # later response supersedes


def test_ratings_matrix_counts_only_answers_that_count(consolidation):
    q1 = consolidation.question("outcomes")
    assert q1.matrix()["improve"] == {"high": ["Cara Okafor", "Ian Moss"], "medium": [], "low": []}
    assert q1.counts() == {"improve_significantly": 0, "improve": 2, "no_material_change": 0, "worsen": 0,
                           "worsen_significantly": 0, "cannot_judge": 0}
    q2 = consolidation.question("monitoring")
    assert q2.matrix()["sufficient_with_conditions"]["medium"] == ["Cara Okafor", "Ian Moss"]


def test_excluded_not_responded_conditions_and_other_advice(consolidation):
    assert [(e.member.name, e.reason.split(":")[0]) for e in consolidation.excluded] == [
        ("Eve Hart", "Recused from this application")]
    assert consolidation.not_responded == (PAT,)
    assert [(p.member.name, p.text) for p in consolidation.conditions] == [
        ("Cara Okafor", "Report quarterly."), ("Ian Moss", "Report quarterly."), ("Ian Moss", "Audit 10%.")]
    assert [p.text for p in consolidation.other_advice] == ["Cara other advice.", "Ian other advice."]


def test_an_answer_to_an_earlier_revision_is_excluded_with_the_reason(app):
    revised = app.model_copy(update={"revision": 2})
    c = cons.build(revised, load_form(), cons.panel_seats([CARA, IAN], []), [_response(CARA, _answers("Cara"))])
    assert c.excluded[0].member == CARA
    assert c.excluded[0].reason.startswith("Answered revision 1 of the application; revision 2 has been sent since.")
    assert c.not_responded == (IAN,)


def test_a_response_from_someone_off_the_roster_is_shown_as_excluded(app):
    c = cons.build(app, load_form(), cons.panel_seats([CARA], []), [_response(EVE, _answers("Eve"))])
    assert c.excluded[0].reason == "Not on the roster, so this answer does not count."


def test_csv_has_one_row_per_member_per_question(consolidation):
    rows = list(csv.DictReader(io.StringIO(cons.to_csv(consolidation))))
    assert len(rows) == 4 * 2
    assert list(rows[0]) == list(cons.CSV_COLUMNS)
    eve = [r for r in rows if r["member"] == "Eve Hart"]
    assert {r["status"] for r in eve} == {"excluded"} and all(r["reason"].startswith("Recused") for r in eve)
    cara = next(r for r in rows if r["member"] == "Cara Okafor" and r["question"] == "outcomes")
    assert cara["role"] == "childrens-commissioner" and cara["rating"] == "improve" and cara["confidence"] == "high"
    assert cara["evidence"] == 'documents/application.pdf page 2: "Cara quote"'
    assert cara["application"] == "wexmoor-2026-ab12"
    # internal notes appear only in the column labelled as never to be published
    for r in rows:
        for column, value in r.items():
            if SECRET in value:
                assert column == cons.INTERNAL_NOTE_COLUMN
    assert SECRET not in cons.to_csv(consolidation, internal_notes=False)


def test_csv_cells_never_run_as_spreadsheet_formulas(app):
    answers = _answers("x").model_copy(update={"outcomes": Answer(rating="improve", confidence="low",
                                                                  rationale="=HYPERLINK(\"http://x\")")})
    c = cons.build(app, load_form(), cons.panel_seats([CARA], []), [_response(CARA, answers)])
    row = next(csv.DictReader(io.StringIO(cons.to_csv(c))))
    assert row["rationale"] == "'=HYPERLINK(\"http://x\")"


def test_json_carries_the_matrix_and_labels_internal_notes(consolidation):
    data = json.loads(cons.to_json(consolidation))
    q1 = data["questions"][0]
    assert q1["id"] == "outcomes" and q1["counts"]["improve"] == 2
    assert data["excluded"][0]["member"]["name"] == "Eve Hart"
    assert data["not_responded"][0]["name"] == "Pat Lowe"
    assert q1["answers"][0]["internal_note_never_publish"].startswith(SECRET)
    assert SECRET not in cons.to_json(consolidation, internal_notes=False)


def test_prefill_uses_publishable_text_of_included_members_only(consolidation):
    draft = cons.prefill(consolidation, revision=3)
    text = draft.model_dump_json()
    assert SECRET not in text and "quote" not in text
    assert "Eve" not in text  # recused: her answers do not count
    assert draft.revision == 3 and draft.summary == consolidation.application.summary
    assert draft.outcomes.startswith("Of the 2 members whose answers count: improve (2).")
    assert "Cara on outcomes." in draft.outcomes and "Ian on outcomes." in draft.outcomes
    assert draft.conditions == ["Report quarterly.", "Audit 10%."]  # de-duplicated, in order
    assert draft.other_advice == "Cara other advice.\n\nIan other advice."


# --- the finalised advice ---------------------------------------------------------------------------


def _declaration(m: Member, *interests: Interest) -> ConflictDeclaration:
    return ConflictDeclaration(application_id="wexmoor-2026-ab12", application_revision=1, member=m.fingerprint,
                               none_to_declare=not interests, interests=list(interests), declared_at=NOW)


def test_build_advice_members_register_and_dissents_exactly_as_written(app):
    seats = cons.panel_seats(ROSTER, [_decision(EVE, Decision.RECUSED, "Advised Wexmoor."),
                                      _decision(IAN, Decision.DECLARED, "Takes part; published.")])
    declarations = [_declaration(CARA), _declaration(IAN, Interest(type=InterestType.REGULATORY, text="Inspects Wexmoor.")),
                    _declaration(EVE, Interest(type=InterestType.PRIOR_INVOLVEMENT, text="Advised Wexmoor.")),
                    _declaration(PAT)]
    draft = DraftAdvice(application_id="wexmoor-2026-ab12", revision=2, summary="S.", outcomes="O.",
                        monitoring="M.", conditions=["C."], other_advice="")
    statement = "I dissent: the route back  is \"too slow\" — see §4.\n\nSecond paragraph."
    signoffs = [
        SignOff(application_id="wexmoor-2026-ab12", draft_revision=2, member=CARA.fingerprint, kind=SignOffKind.CONCUR),
        SignOff(application_id="wexmoor-2026-ab12", draft_revision=2, member=IAN.fingerprint,
                kind=SignOffKind.COMMENT, text="Good work.", attribute=Attribution.ROLE),
        SignOff(application_id="wexmoor-2026-ab12", draft_revision=2, member=PAT.fingerprint,
                kind=SignOffKind.DISSENT, text=statement, attribute=Attribution.NAME),
        SignOff(application_id="wexmoor-2026-ab12", draft_revision=1, member=CARA.fingerprint,
                kind=SignOffKind.DISSENT, text="Old dissent on draft 1."),
        SignOff(application_id="wexmoor-2026-ab12", draft_revision=2, member=EVE.fingerprint,
                kind=SignOffKind.DISSENT, text="Recused, must not appear."),
    ]
    advice = build_advice(app, draft, seats, declarations, signoffs, now=NOW)
    assert [m.name for m in advice.members] == ["Cara Okafor", "Ian Moss", "Pat Lowe"]
    assert [(d.attributed_to, d.statement) for d in advice.dissents] == [("Pat Lowe", statement)]
    assert [(c.attributed_to, c.statement) for c in advice.comments] == [("Staff of HM Chief Inspector", "Good work.")]
    register = {i.member: i for i in advice.interests}
    assert register["Eve Hart"].decision is Decision.RECUSED and register["Eve Hart"].reason == "Advised Wexmoor."
    assert register["Ian Moss"].interests[0].text == "Inspects Wexmoor."
    assert register["Cara Okafor"].none_to_declare and register["Cara Okafor"].decision is None
    assert advice.advice_revision == 2 and advice.date_of_advice == NOW.date() and advice.conditions == ["C."]
    assert advice.authority == "Wexmoor County Council"


@pytest.mark.parametrize(("member", "attribute", "expected"), [
    (CARA, Attribution.NAME, "Cara Okafor"),
    (CARA, Attribution.ROLE, "Staff of the Children's Commissioner"),
    (IAN, Attribution.ROLE, "Staff of HM Chief Inspector"),
    (PAT, Attribution.ROLE, "Panel member (social work practice)"),
    (EVE, Attribution.ROLE, "Panel member (other relevant expertise)"),
])
def test_attribution(member, attribute, expected):
    assert attribution(member, attribute) == expected

"""What the published advice says about its process is computed from recorded facts: for each case in
which a claim would be false, the wording changes (issue: "no sentence asserts what the records do
not show")."""

from __future__ import annotations

from publish_samples import sample_advice

from panel_desk.core.model import Decision, Participation, Role, SignOffKind
from panel_desk.core.publish import _document


def _p(name, **over) -> Participation:
    base = {"name": name, "role": Role.EXPERT, "organisation": "Org", "declared": True, "declared_first": True,
            "answered": True, "signoff": SignOffKind.CONCUR}
    base.update(over)
    return Participation(**base)


def _said(*parts):
    return _document.process_statements(sample_advice(participation=list(parts)))


def test_when_everyone_declared_first_answered_and_replied_the_advice_says_so():
    said = _said(_p("Ann"), _p("Bo"))
    assert said.interests_intro.startswith("Every member declared their interests in the application before giving "
                                           "any answer and before replying to the draft advice.")
    assert said.members_intro == "Two members of the panel were asked for their advice on this application. " \
                                 "Ann and Bo answered both questions."
    assert [row[3] for row in said.members_table] == ["Answered Q1 and Q2; concurred with the final draft"] * 2


def test_a_late_declaration_ends_the_every_member_claim():
    said = _said(_p("Ann"), _p("Bo", declared_first=False))
    assert "Every member" not in said.interests_intro
    assert "Ann declared their interests before giving any answer" in said.interests_intro
    assert "Bo declared their interests only after answering or replying to the draft." in said.interests_intro


def test_a_missing_declaration_is_named():
    said = _said(_p("Ann"), _p("Cy", declared=False, declared_first=False, decision=Decision.RECUSED,
                               answered=False, signoff=None))
    assert "Every member" not in said.interests_intro
    assert "Cy made no declaration of interests" in said.interests_intro
    assert said.members_table[1][3] == "Recused because of their interests: took no part"
    assert "did not answer" not in said.members_intro  # a recused member owed no answer


def test_who_did_not_answer_or_reply_and_who_dissented_are_said_as_recorded():
    said = _said(_p("Ann", signoff=SignOffKind.DISSENT), _p("Bo", answered=False),
                 _p("Di", signoff=None), _p("Ed", decision=Decision.READ_ONLY, answered=False, signoff=None))
    assert "Ann and Di answered both questions. Bo did not answer. Di did not reply to the final draft." \
        in said.members_intro
    parts = {row[0]: row[3] for row in said.members_table}
    assert parts["Ann"] == "Answered Q1 and Q2; dissented from the final draft"
    assert parts["Bo"] == "Did not answer Q1 and Q2; concurred with the final draft"
    assert parts["Di"] == "Answered Q1 and Q2; did not reply to the final draft"
    assert parts["Ed"].startswith("Could read the application but took no part")


def test_an_advice_without_recorded_facts_makes_no_claim_about_declaring_first():
    said = _document.process_statements(sample_advice())
    assert "before" not in said.interests_intro and said.members_table == ()

"""A member's verbs on real profiles: declare, export the declaration, respond, sign off."""

from __future__ import annotations

import pytest
from _workflow import NOW, SECRET, answers, make_identity, make_panel

from panel_desk.core import bundle, member, secretariat
from panel_desk.core.errors import InvalidInput, NotFound
from panel_desk.core.model import (
    Attribution,
    Evidence,
    InterestType,
    ResponseAnswers,
    Role,
    SignOffKind,
)

MEMBERS = ("Cara Okafor", "Ian Moss", "Eve Hart", "Pat Lowe")


@pytest.fixture
def panel(tmp_path):
    p = make_panel(tmp_path)
    yield p
    p.close()


@pytest.fixture
def app_id(panel):
    from _workflow import EXAMPLE

    app = secretariat.new_application(panel.sec, EXAMPLE, now=NOW)
    out = panel.out("application.pdbundle")
    secretariat.seal_application(panel.sec, app.id, out, now=NOW)
    for name in MEMBERS:
        assert panel.ws(name).import_bundle(out, now=NOW).recorded
    return app.id


def _recipients(path) -> int:
    return bundle.inspect(path).recipients


# --- declaring --------------------------------------------------------------------------------------


def test_declare_none_for_the_current_revision(panel, app_id):
    cara = panel.ws("Cara Okafor")
    decl = member.declare(cara, app_id, none=True, now=NOW)
    assert decl.none_to_declare and decl.application_revision == 1 and decl.member == panel.fp("Cara Okafor")
    assert cara.declaration(app_id) == decl


def test_declare_interests_and_a_later_declaration_replaces_the_earlier(panel, app_id):
    eve = panel.ws("Eve Hart")
    member.declare(eve, app_id, none=True, now=NOW)
    decl = member.declare(eve, app_id, interests=[("prior-involvement", "I advised Wexmoor on this bid."),
                                                   (InterestType.EMPLOYMENT, "My partner works for Wexmoor.")], now=NOW)
    assert [i.type for i in decl.interests] == [InterestType.PRIOR_INVOLVEMENT, InterestType.EMPLOYMENT]
    assert eve.declaration(app_id).interests == decl.interests


@pytest.mark.parametrize(("kwargs", "message"), [
    ({}, "Declare at least one interest, or say you have no interests to declare."),
    ({"none": True, "interests": [("personal", "x")]}, "Either declare your interests or say you have none, not both."),
    ({"interests": [("hobby", "x")]}, "'hobby' is not a type of interest. Use one of: employment, financial,"),
    ({"interests": [("personal", "  ")]}, "Describe your personal interest in words."),
])
def test_declare_refusals_say_what_to_do(panel, app_id, kwargs, message):
    with pytest.raises(InvalidInput) as err:
        member.declare(panel.ws("Cara Okafor"), app_id, **kwargs)
    assert str(err.value).startswith(message)


def test_declare_for_an_unknown_application(panel, app_id):
    with pytest.raises(NotFound):
        member.declare(panel.ws("Cara Okafor"), "nowhere-2026-0000", none=True)


def test_export_declaration_is_for_the_secretariat_alone(panel, app_id):
    eve = panel.ws("Eve Hart")
    out = panel.out("eve-declaration.pdbundle")
    with pytest.raises(InvalidInput, match="Declare your interests in revision 1"):
        member.export_declaration(eve, app_id, out)
    member.declare(eve, app_id, interests=[("prior-involvement", "I advised Wexmoor.")], now=NOW)
    assert member.export_declaration(eve, app_id, out, now=NOW) == out
    assert _recipients(out) == 1
    refused = panel.ws("Cara Okafor").import_bundle(out, now=NOW)
    assert refused.refused and "not addressed to you" in refused.message
    assert panel.sec.import_bundle(out, now=NOW).recorded
    held = panel.sec.declarations(app_id)
    assert [(d.member, d.interests[0].text) for d in held] == [(panel.fp("Eve Hart"), "I advised Wexmoor.")]


def test_with_two_secretariat_cards_trusted_the_one_that_sent_the_application_is_used(panel, app_id, tmp_path):
    other = make_identity(tmp_path, "Another Secretariat", Role.SECRETARIAT)
    cara = panel.ws("Cara Okafor")
    cara.trust(other.card)
    assert member.secretariat_card(cara, app_id).fingerprint == panel.fp("Sam Secretary")


# --- responding -------------------------------------------------------------------------------------


def test_response_problems_name_what_is_missing(panel, app_id):
    cara = panel.ws("Cara Okafor")
    problems = member.response_problems(cara, app_id)
    assert problems[0] == "Declare your interests in revision 1 of the application"
    assert "Choose how children's outcomes are likely to be affected" in problems
    member.declare(cara, app_id, none=True, now=NOW)
    cara.save_answers(app_id, answers("Cara"))
    assert member.response_problems(cara, app_id) == []
    bad = answers("Cara").model_copy(deep=True)
    bad.outcomes.evidence = [Evidence(document="documents/elsewhere.pdf", page=2)]
    cara.save_answers(app_id, bad)
    assert member.response_problems(cara, app_id) == [
        "Passage 1 you cite on outcomes is in 'documents/elsewhere.pdf', which is not a document of this application"]


def test_send_response_refuses_until_complete(panel, app_id):
    cara = panel.ws("Cara Okafor")
    member.declare(cara, app_id, none=True, now=NOW)
    cara.save_answers(app_id, ResponseAnswers())
    with pytest.raises(InvalidInput, match=r"^Your response cannot be sent yet: Choose how children's outcomes"):
        member.send_response(cara, app_id, panel.out("r.pdbundle"))
    assert not panel.out("r.pdbundle").exists()


def test_cancelling_a_response_writes_and_records_nothing(panel, app_id):
    from panel_desk.core.errors import Cancelled

    cara = panel.ws("Cara Okafor")
    member.declare(cara, app_id, none=True, now=NOW)
    cara.save_answers(app_id, answers("Cara", "improve"))
    before = [e["action"] for e in cara.audit_log()]
    seen = []
    with pytest.raises(Cancelled):
        member.send_response(cara, app_id, panel.out("r.pdbundle"), now=NOW, progress=seen.append,
                             cancel=lambda: True)
    assert not panel.out("r.pdbundle").exists()
    assert [e["action"] for e in cara.audit_log()] == before and cara.responses(app_id) == []
    member.send_response(cara, app_id, panel.out("r.pdbundle"), now=NOW, progress=seen.append, cancel=lambda: False)
    assert panel.out("r.pdbundle").exists() and seen


def test_send_response_for_the_secretariat_only_and_a_later_one_supersedes(panel, app_id):
    cara = panel.ws("Cara Okafor")
    member.declare(cara, app_id, none=True, now=NOW)
    cara.save_answers(app_id, answers("Cara", "worsen"))
    first = member.send_response(cara, app_id, panel.out("r1.pdbundle"), now=NOW)
    assert (first.revision, first.application_revision, first.member) == (1, 1, panel.fp("Cara Okafor"))
    assert _recipients(panel.out("r1.pdbundle")) == 1
    with bundle.open_bundle(panel.out("r1.pdbundle"), panel.identities["Sam Secretary"],
                            [panel.identities["Cara Okafor"].card]) as opened:
        assert opened.manifest.recipients == [panel.fp("Sam Secretary")]
        assert opened.manifest.kind is bundle.Kind.RESPONSE
        assert opened.payload.answers.outcomes.internal_note.startswith(SECRET)  # for the secretariat's eyes
    refused = panel.ws("Ian Moss").import_bundle(panel.out("r1.pdbundle"), now=NOW)
    assert refused.refused

    cara.save_answers(app_id, answers("Cara", "improve"))
    second = member.send_response(cara, app_id, panel.out("r2.pdbundle"), now=NOW)
    assert second.revision == 2
    assert panel.sec.import_bundle(panel.out("r1.pdbundle"), now=NOW).recorded
    assert panel.sec.import_bundle(panel.out("r2.pdbundle"), now=NOW).status in ("imported", "superseded")
    [held] = panel.sec.responses(app_id)
    assert held.revision == 2 and held.answers.outcomes.rating == "improve"


# --- signing off -----------------------------------------------------------------------------------


def _circulate(panel, app_id) -> None:
    for name in MEMBERS:
        ws = panel.ws(name)
        member.declare(ws, app_id, none=True, now=NOW)
        member.export_declaration(ws, app_id, panel.out(f"{name}-decl.pdbundle"), now=NOW)
        assert panel.sec.import_bundle(panel.out(f"{name}-decl.pdbundle"), now=NOW).recorded
    secretariat.draft_advice(panel.sec, app_id, {"summary": "S.", "outcomes": "O.", "monitoring": "M."}, now=NOW)
    secretariat.circulate(panel.sec, app_id, panel.out("draft.pdbundle"), now=NOW)
    for name in MEMBERS:
        assert panel.ws(name).import_bundle(panel.out("draft.pdbundle"), now=NOW).recorded


def test_sign_off_needs_a_draft(panel, app_id):
    member.declare(panel.ws("Pat Lowe"), app_id, none=True, now=NOW)
    with pytest.raises(NotFound, match="No draft advice has arrived"):
        member.sign_off(panel.ws("Pat Lowe"), app_id, SignOffKind.CONCUR, out=panel.out("s.pdbundle"))


def test_an_undeclared_member_can_neither_read_the_draft_nor_sign_it_off(panel, app_id):
    """The draft carries other members' reasoning: the interests gate holds for it as for documents."""
    from panel_desk.core.model import ConflictDeclaration
    from panel_desk.core.store import ApplicationStatus, DeclarationNeeded

    pat = panel.ws("Pat Lowe")
    for name in MEMBERS:  # the secretariat takes every declaration down (Pat's by telephone, say)
        panel.sec.save_declaration(ConflictDeclaration(application_id=app_id, application_revision=1,
                                                       member=panel.ws(name).fingerprint, none_to_declare=True,
                                                       declared_at=NOW), now=NOW)
    secretariat.draft_advice(panel.sec, app_id, {"summary": "S.", "outcomes": "O.", "monitoring": "M."}, now=NOW)
    secretariat.circulate(panel.sec, app_id, panel.out("d1.pdbundle"), now=NOW)
    assert pat.import_bundle(panel.out("d1.pdbundle"), now=NOW).recorded  # kept sealed, not shown
    assert pat.status(app_id, now=NOW) is ApplicationStatus.INTERESTS_NEEDED
    with pytest.raises(DeclarationNeeded):
        pat.latest_draft(app_id)
    with pytest.raises(DeclarationNeeded):
        pat.drafts(app_id)
    out = panel.out("s.pdbundle")
    with pytest.raises(DeclarationNeeded):
        member.sign_off(pat, app_id, SignOffKind.CONCUR, out=out, now=NOW)
    assert not out.exists()
    member.declare(pat, app_id, none=True, now=NOW)
    assert pat.status(app_id, now=NOW) is ApplicationStatus.DRAFT_TO_REVIEW
    signed = member.sign_off(pat, app_id, SignOffKind.CONCUR, out=out, now=NOW)
    assert signed.declaration is not None and signed.declaration.none_to_declare


@pytest.mark.parametrize(("kind", "text", "message"), [
    ("concur", "Nice.", "A plain concurrence has no text"),
    ("comment", "", "Write your comment, or concur without one."),
    ("dissent", " ", "Write the statement of your dissent; it is published as you write it."),
    ("agree", "", "Use concur, comment or dissent"),
])
def test_sign_off_refusals(panel, app_id, kind, text, message):
    _circulate(panel, app_id)
    with pytest.raises(InvalidInput, match=message):
        member.sign_off(panel.ws("Pat Lowe"), app_id, kind, text=text, out=panel.out("s.pdbundle"))


def test_dissent_is_sealed_for_the_secretariat_as_written(panel, app_id):
    _circulate(panel, app_id)
    statement = 'I dissent. The route back is "too slow".\n\nChildren must be asked every six months.'
    s = member.sign_off(panel.ws("Pat Lowe"), app_id, "dissent", text=statement, attribute=Attribution.ROLE,
                        out=panel.out("pat-signoff.pdbundle"), now=NOW)
    assert (s.kind, s.text, s.attribute, s.draft_revision) == (SignOffKind.DISSENT, statement, Attribution.ROLE, 1)
    assert _recipients(panel.out("pat-signoff.pdbundle")) == 1
    assert panel.sec.import_bundle(panel.out("pat-signoff.pdbundle"), now=NOW).recorded
    [held] = panel.sec.signoffs(app_id, 1)
    assert held.text == statement


def test_nothing_to_sign_off_once_withdrawn(panel, app_id):
    _circulate(panel, app_id)
    out = panel.out("withdrawal.pdbundle")
    secretariat.withdraw(panel.sec, app_id, out, "The authority withdrew it.", now=NOW)
    assert panel.ws("Pat Lowe").import_bundle(out, now=NOW).recorded
    with pytest.raises(InvalidInput, match="has been withdrawn"):
        member.sign_off(panel.ws("Pat Lowe"), app_id, "concur", out=panel.out("s.pdbundle"), now=NOW)
    assert not panel.out("s.pdbundle").exists()


def test_a_sealed_file_the_profile_cannot_record_is_removed(panel, app_id):
    """The store refuses a second sign-off made at the same moment; no unrecorded bundle is left behind."""
    _circulate(panel, app_id)
    pat = panel.ws("Pat Lowe")
    member.sign_off(pat, app_id, "concur", out=panel.out("first.pdbundle"), now=NOW)
    with pytest.raises(InvalidInput, match="A later sign-off from this member is already recorded"):
        member.sign_off(pat, app_id, "dissent", text="No.", out=panel.out("second.pdbundle"), now=NOW)
    assert panel.out("first.pdbundle").exists() and not panel.out("second.pdbundle").exists()

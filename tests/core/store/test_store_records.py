"""What the workspace records for members and the secretariat (panel_desk/core/store/workspace.py)."""

from __future__ import annotations

from datetime import date

import pytest
from store_helpers import (
    APP_ID,
    DOC,
    DOC2,
    NOW,
    TODAY,
    answers,
    application,
    declaration,
    draft,
    files_for,
    later,
    pdf,
    response,
    signoff,
)

from panel_desk.core.errors import InvalidInput, NotFound
from panel_desk.core.identity import format_fingerprint
from panel_desk.core.model import Advice, Annotation, ConflictDecision, Decision, Role
from panel_desk.core.store import ApplicationStatus


@pytest.fixture
def held(secretariat):
    secretariat.put_application(application(), files_for(), now=NOW)
    return secretariat


@pytest.fixture
def reading(member, app_bundle, people):
    """Rita has imported the application and declared."""
    member.import_bundle(app_bundle, now=NOW)
    member.save_declaration(declaration(people.rita), now=NOW)
    return member


# --- roster and trust ----------------------------------------------------------------------------


def test_roster_members_are_found_by_fingerprint_in_any_spacing_or_by_exact_name(secretariat, people):
    rita = secretariat.member(format_fingerprint(people.rita.fingerprint).lower())
    assert rita.name == "Rita Reader" and rita.role is Role.CHILDRENS_COMMISSIONER
    assert secretariat.member("Colin Colleague").fingerprint == people.colin.fingerprint
    with pytest.raises(NotFound, match="No one on the roster"):
        secretariat.member("Colin")
    assert [m.name for m in secretariat.roster()] == ["Rita Reader", "Colin Colleague"]


def test_roster_add_overrides_the_role_and_a_second_add_updates(secretariat, people):
    m = secretariat.roster_add(people.olive.card, role="local-government", acts_for="", now=NOW)
    assert m.role is Role.LOCAL_GOVERNMENT
    assert secretariat.roster_add(people.olive.card, role=Role.EXPERT, now=NOW).role is Role.EXPERT
    assert [m.name for m in secretariat.roster()].count("Olive Outsider") == 1
    assert people.olive.fingerprint in {c.fingerprint for c in secretariat.trusted()}
    with pytest.raises(InvalidInput, match="not a role"):
        secretariat.roster_add(people.olive.card, role="king")
    actions = [e["action"] for e in secretariat.audit_log()]
    assert actions.count("roster.add") == 3 and actions.count("roster.update") == 1


def test_two_members_with_one_name_must_be_named_by_fingerprint(secretariat, people, tmp_path):
    from store_helpers import Person

    twin = Person(tmp_path, "twin", "Rita Reader", Role.EXPERT)
    secretariat.roster_add(twin.card, now=NOW)
    with pytest.raises(InvalidInput, match="Use the fingerprint instead"):
        secretariat.member("Rita Reader")
    assert secretariat.member(twin.fingerprint).role is Role.EXPERT


def test_cards_are_looked_up_and_trust_is_idempotent(member, people):
    assert member.card(people.sam.fingerprint).name == "Sam Secretariat"
    with pytest.raises(NotFound, match="Add their public card first"):
        member.card(people.olive.fingerprint)
    with pytest.raises(InvalidInput, match="is not a fingerprint"):
        member.card("nonsense")
    entries = len(member.audit_log())
    member.trust(people.sam.card, now=NOW)
    assert len(member.audit_log()) == entries


# --- applications (secretariat) ------------------------------------------------------------------


def test_put_application_gives_an_id_revision_and_document_details(secretariat, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "extra_notes.pdf").write_bytes(pdf("Extra notes on the axolotl trial"))
    draft_app = application(app_id="", documents={DOC: "The application"})
    stored = secretariat.put_application(draft_app, {DOC: pdf("Page one"), "documents/extra_notes.pdf":
                                                     folder / "extra_notes.pdf"}, now=NOW)
    assert stored.id.startswith("northshire-2026-") and stored.revision == 1
    assert [(d.path, d.title) for d in stored.documents] == [(DOC, "The application"),
                                                            ("documents/extra_notes.pdf", "Extra notes")]
    assert all(len(d.sha256) == 64 and d.size > 0 for d in stored.documents)
    assert secretariat.application_bundle_path(stored.id).is_file()
    assert secretariat.read_document(stored.id, "documents/extra_notes.pdf") == (folder / "extra_notes.pdf").read_bytes()
    assert [h.title for h in secretariat.search("axolotl")] == ["Extra notes"]
    revised = stored.model_copy(update={"documents": stored.documents[:1]})
    second = secretariat.put_application(revised, {DOC: pdf("Page one, revised")}, reason="New dates", now=NOW)
    assert (second.revision, second.revision_reason) == (2, "New dates")
    assert [d.path for d in secretariat.documents(stored.id)] == [DOC]
    assert secretariat.search("axolotl") == []


def test_put_application_refuses_missing_files_and_members(secretariat, member, tmp_path):
    with pytest.raises(InvalidInput, match="no file was given"):
        secretariat.put_application(application(), {DOC: pdf("x")}, now=NOW)
    with pytest.raises(NotFound, match="There is no file"):
        secretariat.put_application(application(documents={}), {DOC: tmp_path / "missing.pdf"}, now=NOW)
    with pytest.raises(InvalidInput, match="Only the secretariat"):
        member.put_application(application(), files_for(), now=NOW)
    assert secretariat.applications() == []


def test_the_secretariat_status_follows_what_has_happened(held, people):
    def status():
        return held.status(APP_ID, now=NOW)

    assert status() is ApplicationStatus.DRAFT
    held.record_sent("application", APP_ID, 1, [people.rita.fingerprint], "bundle-1", now=NOW)
    assert status() is ApplicationStatus.CIRCULATED
    assert held.sent(APP_ID)[0]["recipients"] == [people.rita.fingerprint]
    held.record_response(response(people.rita), now=NOW)
    assert status() is ApplicationStatus.RESPONSES_IN
    held.record_draft(draft(1), now=NOW)
    assert status() is ApplicationStatus.ADVICE_DRAFTED
    held.record_sent("draft-advice", APP_ID, 1, [people.rita.fingerprint], "bundle-2", now=NOW)
    assert status() is ApplicationStatus.ADVICE_CIRCULATED
    app = held.application(APP_ID)
    advice = Advice(application_id=APP_ID, application_revision=1, authority=app.authority, title=app.title,
                    provisions=app.provisions, trial_months=24, dates=app.dates, date_of_advice=TODAY,
                    summary="S", outcomes="O", monitoring="M", finalised_at=NOW)
    held.record_publication(APP_ID, advice, now=NOW)
    assert status() is ApplicationStatus.FINALISED
    assert held.publication(APP_ID) == advice
    held.record_publication(APP_ID, advice, published=True, now=NOW)
    assert status() is ApplicationStatus.PUBLISHED
    assert status().label == "Advice published"
    held.withdraw(APP_ID, "The council withdrew.", now=NOW)
    assert status() is ApplicationStatus.WITHDRAWN
    with pytest.raises(InvalidInput, match="already been withdrawn"):
        held.withdraw(APP_ID, "again")
    with pytest.raises(InvalidInput, match="cannot have a new revision"):
        held.put_application(application(), files_for(), now=NOW)
    with pytest.raises(InvalidInput, match="not a kind of bundle"):
        held.record_sent("parcel", APP_ID, 1, [], "b")


def test_every_status_has_words():
    assert all(s.label and s.label[0].isupper() for s in ApplicationStatus)


def test_applications_list_soonest_due_first_with_days_left(secretariat):
    secretariat.put_application(application("later-2026-aaaa", advice_due=date(2027, 1, 10)), files_for(), now=NOW)
    secretariat.put_application(application("sooner-2026-bbbb", advice_due=date(2026, 11, 20)), files_for(), now=NOW)
    rows = secretariat.applications(today=TODAY, now=NOW)
    assert [(r.id, r.days_left) for r in rows] == [("sooner-2026-bbbb", -3), ("later-2026-aaaa", 48)]
    assert rows[0].provisions == "The Fostering Services (England) Regulations 2011, regulation 23"
    assert rows[0].status_words == "Not yet sent"


def test_unknown_applications_and_documents_are_not_found(held):
    with pytest.raises(NotFound, match="There is no application nope-2026-0000 in this profile"):
        held.application("nope-2026-0000")
    with pytest.raises(NotFound, match="has no document"):
        held.read_document(APP_ID, "documents/other.pdf")


# --- the member's work ---------------------------------------------------------------------------


def test_declarations_are_for_the_current_revision_and_ones_own(reading, people):
    assert reading.declaration(APP_ID).none_to_declare
    with pytest.raises(InvalidInput, match=r"revision 2 of application .* which this profile does not hold"):
        reading.save_declaration(declaration(people.rita, revision=2), now=NOW)
    with pytest.raises(InvalidInput, match="only record your own"):
        reading.save_declaration(declaration(people.colin), now=NOW)
    reading.save_declaration(declaration(people.rita, interest="I was a foster carer there"), now=later(1))
    assert reading.declaration(APP_ID).interests[0].text == "I was a foster carer there"


def test_annotations_are_saved_listed_in_reading_order_and_deleted_with_undo(reading):
    low = Annotation(application_id=APP_ID, document=DOC, page=1, rects=[(10, 500, 90, 510)], note="Lower")
    high = Annotation(application_id=APP_ID, document=DOC, page=1, rects=[(10, 100, 90, 110)], note="Higher")
    other = Annotation(application_id=APP_ID, document=DOC2, page=1, note="Risk")
    for a in (low, high, other):
        stored = reading.save_annotation(a, now=later(2))
        assert stored.updated_at == later(2)
    assert [a.note for a in reading.annotations(APP_ID)] == ["Higher", "Lower", "Risk"]
    assert [a.note for a in reading.annotations(APP_ID, DOC2)] == ["Risk"]
    edited = reading.save_annotation(high.model_copy(update={"note": "Higher, edited"}), now=later(3))
    assert reading.annotations(APP_ID, DOC)[0].note == "Higher, edited" and edited.created_at == high.created_at
    removed = reading.delete_annotation(low.id)
    assert removed.note == "Lower" and len(reading.annotations(APP_ID)) == 2
    with pytest.raises(NotFound):
        reading.delete_annotation(low.id)
    reading.save_annotation(removed)  # undo
    assert len(reading.annotations(APP_ID)) == 3
    with pytest.raises(NotFound, match="has no document"):
        reading.save_annotation(Annotation(application_id=APP_ID, document="documents/nope.pdf", page=1))


def test_answers_are_saved_at_once(reading):
    assert reading.answers(APP_ID).outcomes.rating == ""
    reading.save_answers(APP_ID, answers("First draft of the rationale"), now=NOW)
    assert reading.answers(APP_ID).outcomes.rationale == "First draft of the rationale"
    reading.save_answers(APP_ID, answers("Second"), now=NOW)
    assert reading.answers(APP_ID).outcomes.rationale == "Second"
    with pytest.raises(NotFound):
        reading.save_answers("nope-2026-0000", answers())


def test_member_responses_and_signoffs_are_their_own(reading, people):
    reading.record_response(response(people.rita), now=NOW)
    assert reading.status(APP_ID, now=NOW) is ApplicationStatus.RESPONSE_SENT
    with pytest.raises(InvalidInput, match="only record your own response"):
        reading.record_response(response(people.colin), now=NOW)
    with pytest.raises(InvalidInput, match="not the latest"):
        reading.record_response(response(people.rita), now=NOW)
    reading.record_response(response(people.rita, 2), now=NOW)
    assert [r.revision for r in reading.responses(APP_ID)] == [2]
    with pytest.raises(InvalidInput, match="does not hold"):
        reading.record_signoff(signoff(people.rita), now=NOW)
    with pytest.raises(InvalidInput, match="only record your own sign-off"):
        reading.record_signoff(signoff(people.colin), now=NOW)


def test_drafts_can_be_resaved_until_sent(held, people):
    held.record_draft(draft(1), now=NOW)
    held.record_draft(draft(1).model_copy(update={"summary": "Better summary"}), now=NOW)
    assert held.latest_draft(APP_ID).summary == "Better summary"
    held.record_sent("draft-advice", APP_ID, 1, [people.rita.fingerprint], "b", now=NOW)
    with pytest.raises(InvalidInput, match="already been sent for sign-off; save your changes as draft 2"):
        held.record_draft(draft(1), now=NOW)
    held.record_draft(draft(2), now=NOW)
    with pytest.raises(InvalidInput, match="older than draft 2"):
        held.record_draft(draft(1), now=NOW)
    assert held.signoffs(APP_ID) == []
    held.record_signoff(signoff(people.rita, draft_revision=2), now=NOW)
    assert [s.member for s in held.signoffs(APP_ID)] == [people.rita.fingerprint]
    assert held.signoffs(APP_ID, 1) == []


def test_decisions_name_roster_members(held, people):
    d = held.record_decision(ConflictDecision(application_id=APP_ID, member=format_fingerprint(people.rita.fingerprint),
                                              decision=Decision.READ_ONLY, reason="Former employee"), now=NOW)
    assert d.member == people.rita.fingerprint and d.decided_by == people.sam.fingerprint
    held.record_decision(ConflictDecision(application_id=APP_ID, member="Rita Reader", decision=Decision.RECUSED,
                                          reason="Closer than we thought"), now=NOW)
    assert [x.decision for x in held.decisions(APP_ID)] == [Decision.READ_ONLY, Decision.RECUSED]
    with pytest.raises(NotFound):
        held.record_decision(ConflictDecision(application_id=APP_ID, member=people.olive.fingerprint,
                                              decision=Decision.RECUSED, reason="r"))


def test_the_secretariat_sees_each_members_latest_declaration(held, people):
    held.save_declaration(declaration(people.rita), now=NOW)
    held.save_declaration(declaration(people.colin, interest="Trustee of a local charity"), now=NOW)
    held.save_declaration(declaration(people.rita, interest="Consulted on the proposal"), now=NOW)
    assert [(d.member, d.none_to_declare) for d in held.declarations(APP_ID)] == [
        (people.colin.fingerprint, False), (people.rita.fingerprint, False)]
    assert held.declaration(APP_ID, people.colin.fingerprint).interests[0].text == "Trustee of a local charity"
    assert held.declaration(APP_ID) is None  # the secretariat declares nothing itself


def test_secrets_and_settings(member):
    assert member.get_secret("publication-key") is None
    member.put_secret("publication-key", b"\x00secret\xff")
    assert member.get_secret("publication-key") == b"\x00secret\xff"
    assert member.get_setting("auto_lock_minutes", 10) == 10
    member.set_setting("auto_lock_minutes", 5)
    member.set_setting("settings", '{"schema_version": 2}')
    assert member.get_setting("auto_lock_minutes") == 5
    assert member.get_setting("settings") == '{"schema_version": 2}'
    with pytest.raises(InvalidInput, match="not a simple value"):
        member.set_setting("bad", object())
    from panel_desk.core import settings as st

    st.save(st.store_of(member), st.Settings(auto_lock_minutes=30))
    assert st.load(st.store_of(member)).auto_lock_minutes == 30


def test_every_change_is_in_the_audit_log(reading, people):
    reading.save_answers(APP_ID, answers(), now=NOW)
    reading.put_secret("k", b"v")
    reading.audit("export.declaration", APP_ID, {"file": "declaration.pdbundle"}, now=NOW)
    actions = [e["action"] for e in reading.audit_log()]
    assert actions == ["profile.init", "bundle.import", "declaration.record", "answers.save", "secret.put",
                       "export.declaration"]
    assert all(e["actor"] == people.rita.fingerprint for e in reading.audit_log())
    with pytest.raises(InvalidInput):
        reading.audit("", "x")


def test_the_panel_an_application_was_sent_to(held, member, people, app_bundle):
    assert held.panel(APP_ID) == []
    held.record_sent("application", APP_ID, 1, [people.rita.fingerprint, people.colin.fingerprint], "b", now=NOW)
    assert [m.name for m in held.panel(APP_ID)] == ["Rita Reader", "Colin Colleague"]
    member.import_bundle(app_bundle, now=NOW)
    assert [m.name for m in member.panel(APP_ID)] == ["Rita Reader"]  # Colin's card is not known to Rita
    member.trust(people.colin.card, now=NOW)
    assert [m.role for m in member.panel(APP_ID)] == [Role.CHILDRENS_COMMISSIONER, Role.EXPERT]

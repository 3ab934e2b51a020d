"""The secretariat's verbs on real profiles, from accepting an application to the finalised advice."""

from __future__ import annotations

import json
import re

import pytest
from _workflow import EXAMPLE, NOW, PEOPLE, SECRET, answers, copy_example, make_identity, make_panel

from panel_desk.core import bundle, consolidate, member, secretariat
from panel_desk.core.errors import InvalidInput, NotFound
from panel_desk.core.model import Attribution, Decision, Role, SignOffKind

MEMBERS = ("Cara Okafor", "Ian Moss", "Eve Hart", "Pat Lowe")


@pytest.fixture
def panel(tmp_path):
    p = make_panel(tmp_path)
    yield p
    p.close()


def _send(panel, folder=EXAMPLE, to=MEMBERS) -> str:
    app = secretariat.new_application(panel.sec, folder, now=NOW)
    out = panel.out("application.pdbundle")
    secretariat.seal_application(panel.sec, app.id, out, now=NOW)
    for name in to:
        assert panel.ws(name).import_bundle(out, now=NOW).recorded
    return app.id


def _declare_all(panel, app_id, *, eve_interest=True) -> None:
    for name in MEMBERS:
        ws = panel.ws(name)
        if name == "Eve Hart" and eve_interest:
            member.declare(ws, app_id, interests=[("prior-involvement", "I advised Wexmoor on this bid.")], now=NOW)
        else:
            member.declare(ws, app_id, none=True, now=NOW)
        out = panel.out(f"{name}-declaration.pdbundle")
        member.export_declaration(ws, app_id, out, now=NOW)
        assert panel.sec.import_bundle(out, now=NOW).recorded


def _respond(panel, app_id, names=MEMBERS) -> None:
    ratings = {"Cara Okafor": ("improve", "sufficient_with_conditions", ["Report quarterly to the department."]),
               "Ian Moss": ("improve", "sufficient", []),
               "Eve Hart": ("improve_significantly", "sufficient", []),
               "Pat Lowe": ("worsen", "insufficient", ["Audit every case for the first year."])}
    for name in names:
        o, m, c = ratings[name]
        ws = panel.ws(name)
        ws.save_answers(app_id, answers(name, o, m, c))
        out = panel.out(f"{name}-response.pdbundle")
        member.send_response(ws, app_id, out, now=NOW)
        assert panel.sec.import_bundle(out, now=NOW).recorded


# --- accepting applications -------------------------------------------------------------------------


def test_new_application_returns_it_with_an_id(panel):
    app = secretariat.new_application(panel.sec, EXAMPLE, now=NOW)
    assert re.fullmatch(r"wexmoor-2026-[0-9a-f]{4}", app.id) and app.revision == 1
    assert len(app.documents) == 3
    assert panel.sec.application(app.id).authority == "Wexmoor County Council"
    assert secretariat.application_warnings(app) == []


def test_blocking_problems_are_all_listed_in_words(panel, tmp_path):
    folder = copy_example(tmp_path)
    toml = folder / "application.toml"
    text = toml.read_text().replace("trial_months = 24", "trial_months = 48")
    text = re.sub(r'evaluation = """.*?"""', 'evaluation = ""', text, flags=re.DOTALL)
    toml.write_text(text.replace('reference = "Section 25B', 'reference = "Profit-making restrictions; Section 25B'))
    with pytest.raises(InvalidInput) as err:
        secretariat.new_application(panel.sec, folder)
    message = str(err.value)
    assert "A trial can last at most 36 months (3 years)." in message
    assert "The power cannot be used to revisit them." in message
    assert "The application does not cover: evaluation." in message
    assert panel.sec.applications() == []


def test_short_notice_is_a_warning_not_a_refusal(panel, tmp_path):
    folder = copy_example(tmp_path)
    toml = folder / "application.toml"
    toml.write_text(toml.read_text().replace("regulations_intended = 2027-01-18", "regulations_intended = 2026-11-01")
                    .replace("advice_due = 2026-12-07", "advice_due = 2026-10-30"))
    app = secretariat.new_application(panel.sec, folder)
    assert secretariat.application_warnings(app) == [
        "The panel was asked 27 days before the regulations are due. The minimum is 42 days, so this is 15 days short."]
    [entry] = [e for e in panel.sec.audit_log() if e["action"] == "application.warnings"]
    assert entry["object"] == app.id and entry["detail"]["warnings"] == secretariat.application_warnings(app)


def test_a_new_revision_needs_a_reason(panel, tmp_path):
    first = secretariat.new_application(panel.sec, EXAMPLE, now=NOW)
    folder = copy_example(tmp_path)
    toml = folder / "application.toml"
    toml.write_text(f'id = "{first.id}"\n' + toml.read_text().replace("trial_months = 24", "trial_months = 18"))
    with pytest.raises(InvalidInput, match=rf"There is already an application {first.id} \(revision 1\)"):
        secretariat.new_application(panel.sec, folder)
    second = secretariat.new_application(panel.sec, folder, reason="The trial is shorter.", now=NOW)
    assert (second.id, second.revision, second.trial_months) == (first.id, 2, 18)
    third = secretariat.new_revision(panel.sec, first.id, EXAMPLE, reason="Back to 24 months.", now=NOW)
    assert (third.revision, third.trial_months) == (3, 24)
    with pytest.raises(InvalidInput, match="Give the reason for revision 4"):
        secretariat.new_revision(panel.sec, first.id, EXAMPLE, reason=" ")


# --- sealing for the panel --------------------------------------------------------------------------


def test_seal_addresses_every_member_not_recused(panel):
    app = secretariat.new_application(panel.sec, EXAMPLE, now=NOW)
    secretariat.decide(panel.sec, app.id, "Eve Hart", Decision.RECUSED, "Advised Wexmoor on this bid.", now=NOW)
    out = panel.out("app.pdbundle")
    sent = secretariat.seal_application(panel.sec, app.id, out, now=NOW)
    assert [m.name for m in sent] == ["Cara Okafor", "Ian Moss", "Pat Lowe"]
    assert bundle.inspect(out).recipients == 3
    refused = panel.ws("Eve Hart").import_bundle(out, now=NOW)
    assert refused.refused and "not addressed to you" in refused.message
    assert panel.ws("Pat Lowe").import_bundle(out, now=NOW).recorded
    assert panel.sec.sent(app.id, "application")[-1]["recipients"] == [panel.fp(n) for n in
                                                                        ("Cara Okafor", "Ian Moss", "Pat Lowe")]


def test_seal_to_named_members_by_name_or_fingerprint(panel):
    app = secretariat.new_application(panel.sec, EXAMPLE, now=NOW)
    fp = panel.fp("Ian Moss")
    spaced = " ".join(fp[i:i + 4] for i in range(0, 32, 4)).lower()
    sent = secretariat.seal_application(panel.sec, app.id, panel.out("a.pdbundle"), to=["Cara Okafor", spaced],
                                        now=NOW)
    assert [m.name for m in sent] == ["Cara Okafor", "Ian Moss"]
    with pytest.raises(NotFound):
        secretariat.seal_application(panel.sec, app.id, panel.out("b.pdbundle"), to=["Cara"])
    with pytest.raises(NotFound, match="No one on the roster is called"):
        secretariat.seal_application(panel.sec, app.id, panel.out("b.pdbundle"), to=["Sam Secretary"])
    secretariat.decide(panel.sec, app.id, "Pat Lowe", Decision.RECUSED, "Conflict.", now=NOW)
    with pytest.raises(InvalidInput, match=re.escape("Pat Lowe is recused from this application and cannot be sent it.")):
        secretariat.seal_application(panel.sec, app.id, panel.out("b.pdbundle"), to=["Pat Lowe"])
    assert not panel.out("b.pdbundle").exists()


def test_seal_refuses_a_panel_without_both_permanent_seats(tmp_path):
    people = [PEOPLE[0], PEOPLE[3], PEOPLE[4]]  # the secretariat and two appointed members
    p = make_panel(tmp_path, people)
    try:
        app = secretariat.new_application(p.sec, EXAMPLE, now=NOW)
        with pytest.raises(InvalidInput) as err:
            secretariat.seal_application(p.sec, app.id, p.out("a.pdbundle"))
        assert str(err.value) == (
            "The panel for this application is not complete. No one on the panel sits for the Children's "
            "Commissioner. Add a member with that role. No one on the panel sits for the HM Chief Inspector. "
            "Add a member with that role.")
    finally:
        p.close()


def test_withdraw_tells_every_member_who_may_read(panel):
    app_id = _send(panel)
    out = panel.out("withdrawal.pdbundle")
    told = secretariat.withdraw(panel.sec, app_id, out, "The authority withdrew it.", now=NOW)
    assert len(told) == 4
    result = panel.ws("Cara Okafor").import_bundle(out, now=NOW)
    assert result.recorded and result.kind == "withdrawal"
    assert member.response_problems(panel.ws("Cara Okafor"), app_id) == [
        "This application has been withdrawn, so there is nothing to answer."]
    for verb in (secretariat.seal_application, secretariat.withdraw, secretariat.circulate):
        with pytest.raises(InvalidInput, match=f"Application {app_id} has been withdrawn, so "):
            verb(panel.sec, app_id, panel.out("again.pdbundle"))
    assert not panel.out("again.pdbundle").exists()


# --- conflicts -----------------------------------------------------------------------------------------


def test_conflicts_register_and_decisions(panel):
    app_id = _send(panel)
    rows = secretariat.conflicts(panel.sec, app_id)
    assert [(r.member.name, r.status) for r in rows] == [(n, "Waiting for a declaration") for n in MEMBERS]
    with pytest.raises(InvalidInput, match="Eve Hart has not declared their interests in revision 1"):
        secretariat.decide(panel.sec, app_id, "Eve Hart", Decision.DECLARED, "Takes part.")
    _declare_all(panel, app_id)
    rows = {r.member.name: r for r in secretariat.conflicts(panel.sec)}
    assert rows["Eve Hart"].needs_decision and rows["Eve Hart"].status == "Decision needed"
    assert rows["Eve Hart"].interests_words == "Prior involvement with this application: I advised Wexmoor on this bid."
    assert rows["Cara Okafor"].status == "No interests to declare"
    d = secretariat.decide(panel.sec, app_id, panel.fp("Eve Hart"), "recused", "She advised on the bid.", now=NOW)
    assert d.decision is Decision.RECUSED and d.decided_by == panel.fp("Sam Secretary")
    row = next(r for r in secretariat.conflicts(panel.sec, app_id) if r.member.name == "Eve Hart")
    assert row.status == "Recused; no access" and row.decision.reason == "She advised on the bid."


@pytest.mark.parametrize(("ref", "decision", "reason", "error", "message"), [
    ("Nobody", "recused", "x", NotFound, "No one on the roster is called or has the fingerprint 'Nobody'"),
    ("Sam Secretary", "recused", "x", NotFound, "No one on the roster is called"),
    ("Eve Hart", "banished", "x", InvalidInput, "'banished' is not a decision. Use one of: no-action, declared,"),
    ("Eve Hart", "recused", "  ", InvalidInput, "Give the reason for the decision"),
])
def test_decide_refusals(panel, ref, decision, reason, error, message):
    app_id = _send(panel)
    with pytest.raises(error, match=message):
        secretariat.decide(panel.sec, app_id, ref, decision, reason)


# --- consolidation --------------------------------------------------------------------------------------


def test_consolidation_excludes_recused_and_read_only_members_with_the_reason(panel):
    app_id = _send(panel)
    _declare_all(panel, app_id)
    _respond(panel, app_id, ("Cara Okafor", "Ian Moss", "Eve Hart"))
    secretariat.decide(panel.sec, app_id, "Eve Hart", Decision.RECUSED, "She advised on the bid.", now=NOW)
    cons = secretariat.consolidate(panel.sec, app_id)
    q1 = cons.question("outcomes")
    assert [(a.member.name, a.status) for a in q1.answers] == [
        ("Cara Okafor", "included"), ("Ian Moss", "included"), ("Eve Hart", "excluded"), ("Pat Lowe", "no response")]
    assert cons.excluded[0].reason == "Recused from this application: She advised on the bid."
    assert [m.name for m in cons.not_responded] == ["Pat Lowe"]
    assert q1.counts()["improve"] == 2 and q1.counts()["improve_significantly"] == 0
    rows = secretariat.to_csv(cons).splitlines()
    assert len(rows) == 1 + 4 * 2


# --- drafting, circulating, signing off, finalising -------------------------------------------------------


def _to_sign_off(panel) -> str:
    app_id = _send(panel)
    _declare_all(panel, app_id)
    secretariat.decide(panel.sec, app_id, "Eve Hart", Decision.RECUSED, "She advised on the bid.", now=NOW)
    _respond(panel, app_id, ("Cara Okafor", "Ian Moss", "Pat Lowe"))
    return app_id


def _draft_file(panel, **extra) -> dict:
    data = {"summary": "Wexmoor asks to change the IRO duties.", "outcomes": "Likely to improve.",
            "monitoring": "Sufficient with conditions.", "conditions": ["Report quarterly."], "other_advice": ""}
    data.update(extra)
    return data


def test_draft_from_a_toml_file_and_its_refusals(panel, tmp_path):
    app_id = _to_sign_off(panel)
    path = tmp_path / "draft.toml"
    path.write_text('summary = "S."\noutcomes = "O."\nmonitoring = "M."\nconditions = ["C."]\n')
    draft = secretariat.draft_advice(panel.sec, app_id, path, now=NOW)
    assert (draft.revision, draft.conditions) == (1, ["C."])
    path.write_text('summary = "S."\noutcome = "O."\n')
    with pytest.raises(InvalidInput, match=r"draft.toml: 'outcome' is not part of a draft advice; use summary,"):
        secretariat.draft_advice(panel.sec, app_id, path)
    path.write_text('summary = "S.\n')
    with pytest.raises(InvalidInput, match=re.escape("draft.toml: this is not valid TOML")):
        secretariat.draft_advice(panel.sec, app_id, path)
    with pytest.raises(NotFound):
        secretariat.draft_advice(panel.sec, app_id, tmp_path / "missing.toml")


def test_a_draft_changes_in_place_until_circulated_then_needs_a_reason(panel):
    app_id = _to_sign_off(panel)
    secretariat.draft_advice(panel.sec, app_id, _draft_file(panel), now=NOW)
    again = secretariat.draft_advice(panel.sec, app_id, outcomes="Better words.", summary="S.", monitoring="M.", now=NOW)
    assert again.revision == 1 and panel.sec.latest_draft(app_id).outcomes == "Better words."
    secretariat.circulate(panel.sec, app_id, panel.out("d1.pdbundle"), now=NOW)
    with pytest.raises(InvalidInput, match="Draft 1 has been sent to the panel, so its text is locked"):
        secretariat.draft_advice(panel.sec, app_id, _draft_file(panel))
    d2 = secretariat.draft_advice(panel.sec, app_id, _draft_file(panel), reason="Tightened Q2.", now=NOW)
    assert (d2.revision, d2.reason) == (2, "Tightened Q2.")


def test_prefill_is_publishable_text_of_members_who_count(panel):
    app_id = _to_sign_off(panel)
    draft = secretariat.prefill_draft(panel.sec, app_id)
    assert draft.revision == 1 and SECRET not in draft.model_dump_json()
    assert "Eve Hart" not in draft.outcomes and "Cara Okafor: outcomes are likely to improve." in draft.outcomes
    assert draft.conditions == ["Report quarterly to the department.", "Audit every case for the first year."]


def test_circulate_to_members_taking_part_only(panel):
    app_id = _to_sign_off(panel)
    with pytest.raises(InvalidInput, match="There is no draft advice"):
        secretariat.circulate(panel.sec, app_id, panel.out("d.pdbundle"))
    secretariat.draft_advice(panel.sec, app_id, summary="S.", now=NOW)
    with pytest.raises(InvalidInput, match="Draft 1 is not ready to send: Write the panel's advice on outcomes"):
        secretariat.circulate(panel.sec, app_id, panel.out("d.pdbundle"))
    secretariat.decide(panel.sec, app_id, "Pat Lowe", Decision.READ_ONLY, "A close colleague leads the trial.",
                       now=NOW)
    secretariat.draft_advice(panel.sec, app_id, _draft_file(panel), now=NOW)
    sent = secretariat.circulate(panel.sec, app_id, panel.out("d.pdbundle"), now=NOW)
    assert [m.name for m in sent] == ["Cara Okafor", "Ian Moss"]
    for name in ("Eve Hart", "Pat Lowe"):
        refused = panel.ws(name).import_bundle(panel.out("d.pdbundle"), now=NOW)
        assert refused.refused and "not addressed to you" in refused.message


def test_internal_notes_never_leave(panel):
    app_id = _to_sign_off(panel)
    secretariat.draft_advice(panel.sec, app_id, secretariat.prefill_draft(panel.sec, app_id).model_dump(
        include={"summary", "outcomes", "monitoring", "conditions", "other_advice"}), now=NOW)
    out = panel.out("draft.pdbundle")
    secretariat.circulate(panel.sec, app_id, out, now=NOW)
    with bundle.open_bundle(out, panel.identities["Cara Okafor"], [panel.identities["Sam Secretary"].card]) as opened:
        assert SECRET not in json.dumps(opened.manifest.model_dump(mode="json"))
        assert opened.manifest.files == []
    for name in ("Cara Okafor", "Ian Moss", "Pat Lowe"):
        assert panel.ws(name).import_bundle(out, now=NOW).recorded
        signoff = panel.out(f"{name}-signoff.pdbundle")
        member.sign_off(panel.ws(name), app_id, SignOffKind.CONCUR, out=signoff, now=NOW)
        assert panel.sec.import_bundle(signoff, now=NOW).recorded
    advice = secretariat.finalise(panel.sec, app_id, now=NOW)
    assert SECRET not in advice.model_dump_json()
    cons = secretariat.consolidate(panel.sec, app_id)
    assert SECRET not in secretariat.to_csv(cons, internal_notes=False)
    assert SECRET not in secretariat.to_json(cons, internal_notes=False)
    notes = [row[consolidate.INTERNAL_NOTE_COLUMN] for row in _csv_rows(secretariat.to_csv(cons))]
    assert sum(SECRET in n for n in notes) == 3 * 2  # the secretariat's own working paper, labelled


def _csv_rows(text: str) -> list[dict]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(text)))


def test_status_finalise_and_the_lock(panel):
    app_id = _to_sign_off(panel)
    with pytest.raises(InvalidInput, match="This advice has not been finalised yet"):
        secretariat.final_advice(panel.sec, app_id)
    assert secretariat.advice_status(panel.sec, app_id).words == "No draft yet."
    secretariat.draft_advice(panel.sec, app_id, _draft_file(panel), now=NOW)
    assert secretariat.advice_status(panel.sec, app_id).words == "Draft 1 not yet sent to the panel."
    with pytest.raises(InvalidInput, match="Draft 1 has not been circulated to the panel for sign-off"):
        secretariat.finalise(panel.sec, app_id)
    out = panel.out("draft.pdbundle")
    secretariat.circulate(panel.sec, app_id, out, now=NOW)
    statement = "I dissent: the route back is too slow for children who change placement."
    replies = {"Cara Okafor": (SignOffKind.CONCUR, "", Attribution.NAME),
               "Ian Moss": (SignOffKind.COMMENT, "Monitoring should include case audits.", Attribution.ROLE),
               "Pat Lowe": (SignOffKind.DISSENT, statement, Attribution.NAME)}
    for name, (kind, text, attribute) in replies.items():
        ws = panel.ws(name)
        assert ws.import_bundle(out, now=NOW).recorded
        path = panel.out(f"{name}-signoff.pdbundle")
        member.sign_off(ws, app_id, kind, text=text, attribute=attribute, out=path, now=NOW)
        if name != "Pat Lowe":
            assert panel.sec.import_bundle(path, now=NOW).recorded
    status = secretariat.advice_status(panel.sec, app_id)
    assert status.words == "Draft 1 sent to the panel: 2 of 3 replied."
    assert [(r.name, r.words) for r in status.rows] == [
        ("Cara Okafor", "Concurred"), ("Ian Moss", "Concurred with a comment"), ("Pat Lowe", "Not replied")]
    with pytest.raises(InvalidInput, match=re.escape("Waiting for Pat Lowe to sign off draft 1.")):
        secretariat.finalise(panel.sec, app_id)
    assert panel.sec.import_bundle(panel.out("Pat Lowe-signoff.pdbundle"), now=NOW).recorded

    advice = secretariat.finalise(panel.sec, app_id, now=NOW)
    assert [m.name for m in advice.members] == ["Cara Okafor", "Ian Moss", "Pat Lowe"]
    assert [(d.attributed_to, d.statement) for d in advice.dissents] == [("Pat Lowe", statement)]
    assert [(c.attributed_to, c.statement) for c in advice.comments] == [
        ("Staff of HM Chief Inspector", "Monitoring should include case audits.")]
    register = {i.member: i for i in advice.interests}
    assert register["Eve Hart"].decision is Decision.RECUSED and register["Eve Hart"].role is Role.EXPERT
    assert set(register) == set(MEMBERS)
    assert secretariat.final_advice(panel.sec, app_id) == advice
    assert secretariat.advice_status(panel.sec, app_id).words == "Advice finalised from draft 1."
    with pytest.raises(InvalidInput, match="already the finalised advice"):
        secretariat.finalise(panel.sec, app_id)

    # the text is locked: a change is a new revision with a reason, and the old final no longer stands
    with pytest.raises(InvalidInput, match="its text is locked"):
        secretariat.draft_advice(panel.sec, app_id, _draft_file(panel, outcomes="Changed."))
    secretariat.draft_advice(panel.sec, app_id, _draft_file(panel, outcomes="Changed."), reason="Typo.", now=NOW)
    with pytest.raises(InvalidInput, match="Draft 2 was made after the advice was finalised"):
        secretariat.final_advice(panel.sec, app_id)

    # draft 2 goes round again; the earlier sign-offs do not count for it
    out2 = panel.out("draft2.pdbundle")
    secretariat.circulate(panel.sec, app_id, out2, now=NOW)
    assert secretariat.advice_status(panel.sec, app_id).words == "Draft 2 sent to the panel: 0 of 3 replied."
    later = NOW.replace(hour=14)
    for name in ("Cara Okafor", "Ian Moss", "Pat Lowe"):
        ws = panel.ws(name)
        assert ws.import_bundle(out2, now=later).recorded
        path = panel.out(f"{name}-signoff-2.pdbundle")
        member.sign_off(ws, app_id, SignOffKind.CONCUR, out=path, now=later)
        assert panel.sec.import_bundle(path, now=later).recorded
    second = secretariat.finalise(panel.sec, app_id, now=later)
    assert (second.advice_revision, second.outcomes, second.dissents) == (2, "Changed.", [])
    assert secretariat.final_advice(panel.sec, app_id) == second

    # a new revision of the application means the finalised advice no longer answers it
    secretariat.new_revision(panel.sec, app_id, EXAMPLE, reason="The authority changed its plan.", now=later)
    with pytest.raises(InvalidInput, match="Revision 2 of the application arrived after the advice on revision 1"):
        secretariat.final_advice(panel.sec, app_id)


def test_circulating_needs_every_declared_interest_decided(panel):
    app_id = _send(panel)
    _declare_all(panel, app_id)
    _respond(panel, app_id)
    secretariat.draft_advice(panel.sec, app_id, _draft_file(panel), now=NOW)
    out = panel.out("draft.pdbundle")
    with pytest.raises(InvalidInput, match=re.escape("Decide how Eve Hart's declared interests are handled.")):
        secretariat.circulate(panel.sec, app_id, out, now=NOW)
    assert not out.exists()
    secretariat.decide(panel.sec, app_id, "Eve Hart", Decision.DECLARED, "Published; she takes part.", now=NOW)
    assert [m.name for m in secretariat.circulate(panel.sec, app_id, out, now=NOW)] == [
        "Cara Okafor", "Ian Moss", "Eve Hart", "Pat Lowe"]


# --- what the secretariat's import refuses, with real bundles ---------------------------------------------


def test_import_refuses_a_forged_signer(panel, tmp_path):
    """Someone with the secretariat's card and a member's name, but not the member's keys."""
    app_id = _send(panel)
    forger = make_identity(tmp_path, "Cara Okafor", Role.CHILDRENS_COMMISSIONER)
    out = panel.out("forged.pdbundle")
    bundle.seal(bundle.Kind.DECLARATION, application_id=app_id, revision=1,
                payload={"application_id": app_id, "application_revision": 1, "member": forger.fingerprint,
                         "none_to_declare": True, "declared_at": NOW.isoformat()},
                files={}, signer=forger, recipients=[panel.identities["Sam Secretary"].card], out=out, now=NOW)
    result = panel.sec.import_bundle(out, now=NOW)
    assert result.refused and "not been asked to trust" in result.message
    assert panel.sec.declarations(app_id) == []


def test_import_refuses_a_bundle_addressed_to_someone_else(panel, tmp_path):
    app_id = _send(panel)
    cara = panel.ws("Cara Okafor")
    member.declare(cara, app_id, none=True, now=NOW)
    other = make_identity(tmp_path, "Other Secretariat", Role.SECRETARIAT)
    out = panel.out("misaddressed.pdbundle")
    decl = cara.declaration(app_id)
    bundle.seal(bundle.Kind.DECLARATION, application_id=app_id, revision=1, payload=decl.model_dump(mode="json"),
                files={}, signer=panel.identities["Cara Okafor"], recipients=[other.card], out=out, now=NOW)
    result = panel.sec.import_bundle(out, now=NOW)
    assert result.refused and "not addressed to you" in result.message


def test_import_refuses_a_damaged_bundle(panel):
    app_id = _send(panel)
    cara = panel.ws("Cara Okafor")
    member.declare(cara, app_id, none=True, now=NOW)
    out = panel.out("decl.pdbundle")
    member.export_declaration(cara, app_id, out, now=NOW)
    data = bytearray(out.read_bytes())
    data[-40] ^= 0x01
    out.write_bytes(bytes(data))
    result = panel.sec.import_bundle(out, now=NOW)
    assert result.refused and "changed or damaged" in result.message
    assert panel.sec.declarations(app_id) == []


def test_import_of_the_same_response_twice_is_a_duplicate(panel):
    app_id = _send(panel)
    _declare_all(panel, app_id)
    _respond(panel, app_id, ("Cara Okafor",))
    again = panel.sec.import_bundle(panel.out("Cara Okafor-response.pdbundle"), now=NOW)
    assert again.status == "duplicate"
    assert len(panel.sec.responses(app_id)) == 1


def test_import_refuses_a_response_to_a_revision_since_replaced(panel, tmp_path):
    app_id = _send(panel)
    _declare_all(panel, app_id, eve_interest=False)
    cara = panel.ws("Cara Okafor")
    cara.save_answers(app_id, answers("Cara"))
    stale = panel.out("stale.pdbundle")
    member.send_response(cara, app_id, stale, now=NOW)
    secretariat.new_revision(panel.sec, app_id, EXAMPLE, reason="New risk assessment.", now=NOW)
    result = panel.sec.import_bundle(stale, now=NOW)
    assert result.refused and "revision" in result.message
    assert panel.sec.responses(app_id) == []


def test_import_refuses_a_response_to_an_application_it_does_not_hold(panel, tmp_path):
    # a second secretariat's application, answered by Cara, sealed to this secretariat by mistake
    app_id = _send(panel)
    cara = panel.ws("Cara Okafor")
    _declare_all(panel, app_id, eve_interest=False)
    cara.save_answers(app_id, answers("Cara"))
    out = panel.out("foreign.pdbundle")
    response = member.send_response(cara, app_id, out, now=NOW)
    foreign = response.model_copy(update={"application_id": "elsewhere-2026-0000"})
    forged = panel.out("foreign2.pdbundle")
    bundle.seal(bundle.Kind.RESPONSE, application_id="elsewhere-2026-0000", revision=1,
                payload=foreign.model_dump(mode="json"), files={}, signer=panel.identities["Cara Okafor"],
                recipients=[panel.identities["Sam Secretary"].card], out=forged, now=NOW)
    result = panel.sec.import_bundle(forged, now=NOW)
    assert result.refused and "elsewhere-2026-0000" in result.message


def test_import_refuses_a_member_writing_in_someone_elses_name(panel):
    """Ian is trusted and on the roster, but signs a declaration that claims to be Cara's."""
    app_id = _send(panel)
    out = panel.out("impersonation.pdbundle")
    bundle.seal(bundle.Kind.DECLARATION, application_id=app_id, revision=1,
                payload={"application_id": app_id, "application_revision": 1, "member": panel.fp("Cara Okafor"),
                         "none_to_declare": True, "declared_at": NOW.isoformat()},
                files={}, signer=panel.identities["Ian Moss"], recipients=[panel.identities["Sam Secretary"].card],
                out=out, now=NOW)
    result = panel.sec.import_bundle(out, now=NOW)
    assert result.refused and "someone else's name" in result.message
    assert panel.sec.declarations(app_id) == []


def test_import_refuses_a_sign_off_of_a_draft_since_replaced(panel):
    app_id = _to_sign_off(panel)
    secretariat.draft_advice(panel.sec, app_id, _draft_file(panel), now=NOW)
    secretariat.circulate(panel.sec, app_id, panel.out("d1.pdbundle"), now=NOW)
    cara = panel.ws("Cara Okafor")
    assert cara.import_bundle(panel.out("d1.pdbundle"), now=NOW).recorded
    member.sign_off(cara, app_id, SignOffKind.CONCUR, out=panel.out("old-signoff.pdbundle"), now=NOW)
    secretariat.draft_advice(panel.sec, app_id, _draft_file(panel, outcomes="Reworded."), reason="Members' comments.",
                             now=NOW)
    secretariat.circulate(panel.sec, app_id, panel.out("d2.pdbundle"), now=NOW)
    result = panel.sec.import_bundle(panel.out("old-signoff.pdbundle"), now=NOW)
    assert result.refused and "draft 2 has since been sent" in result.message
    assert secretariat.advice_status(panel.sec, app_id).words == "Draft 2 sent to the panel: 0 of 3 replied."


def test_circulating_waits_for_every_declaration_and_a_recusal_ends_the_wait(panel):
    app_id = _send(panel)
    for name in ("Cara Okafor", "Ian Moss", "Pat Lowe"):  # Eve never declares
        member.declare(panel.ws(name), app_id, none=True, now=NOW)
        member.export_declaration(panel.ws(name), app_id, panel.out(f"{name}-d.pdbundle"), now=NOW)
        assert panel.sec.import_bundle(panel.out(f"{name}-d.pdbundle"), now=NOW).recorded
    secretariat.draft_advice(panel.sec, app_id, _draft_file(panel), now=NOW)
    with pytest.raises(InvalidInput, match=re.escape("Waiting for Eve Hart to declare their interests in revision 1")):
        secretariat.circulate(panel.sec, app_id, panel.out("draft.pdbundle"), now=NOW)
    secretariat.decide(panel.sec, app_id, "Eve Hart", Decision.RECUSED, "Did not declare.", now=NOW)
    sent = secretariat.circulate(panel.sec, app_id, panel.out("draft.pdbundle"), now=NOW)
    assert "Eve Hart" not in [m.name for m in sent]
    for name in ("Cara Okafor", "Ian Moss"):
        assert panel.ws(name).import_bundle(panel.out("draft.pdbundle"), now=NOW).recorded
        member.sign_off(panel.ws(name), app_id, "concur", out=panel.out(f"{name}-s.pdbundle"), now=NOW)
        assert panel.sec.import_bundle(panel.out(f"{name}-s.pdbundle"), now=NOW).recorded
    with pytest.raises(InvalidInput, match=re.escape("Waiting for Pat Lowe to sign off draft 1.")):
        secretariat.finalise(panel.sec, app_id)


def test_no_one_to_send_to(tmp_path):
    p = make_panel(tmp_path, [PEOPLE[0], PEOPLE[1], PEOPLE[2]])
    try:
        app = secretariat.new_application(p.sec, EXAMPLE, now=NOW)
        for name in ("Cara Okafor", "Ian Moss"):
            secretariat.decide(p.sec, app.id, name, Decision.RECUSED, "Conflicted.", now=NOW)
        with pytest.raises(InvalidInput, match="There is no one on the panel to tell"):
            secretariat.withdraw(p.sec, app.id, p.out("w.pdbundle"))
        secretariat.draft_advice(p.sec, app.id, _draft_file(p), now=NOW)
        with pytest.raises(InvalidInput, match="No member may take part in this advice"):
            secretariat.circulate(p.sec, app.id, p.out("d.pdbundle"))
    finally:
        p.close()


def test_the_secretariat_is_never_a_panel_member_even_on_the_roster(panel):
    app = secretariat.new_application(panel.sec, EXAMPLE, now=NOW)
    panel.sec.roster_add(panel.identities["Sam Secretary"].card, role=Role.SECRETARIAT)
    with pytest.raises(InvalidInput, match=re.escape("Sam Secretary is the secretariat, not a panel member.")):
        secretariat.decide(panel.sec, app.id, "Sam Secretary", Decision.RECUSED, "x")
    with pytest.raises(InvalidInput, match=re.escape("Sam Secretary is the secretariat, not a panel member. Name panel")):
        secretariat.seal_application(panel.sec, app.id, panel.out("a.pdbundle"), to=["Sam Secretary"])
    assert "Sam Secretary" not in [s.member.name for s in secretariat.panel(panel.sec, app.id)]


def test_a_revision_folder_for_another_application_is_refused(panel, tmp_path):
    first = secretariat.new_application(panel.sec, EXAMPLE, now=NOW)
    folder = copy_example(tmp_path)
    (folder / "application.toml").write_text('id = "elsewhere-2026-0001"\n' + (folder / "application.toml").read_text())
    with pytest.raises(InvalidInput, match=f"is application elsewhere-2026-0001, not {first.id}"):
        secretariat.new_revision(panel.sec, first.id, folder, reason="Update.")


def test_a_recused_member_stays_on_the_register_after_a_new_revision(panel):
    """Eve is recused, so she never receives revision 2 and cannot declare again; the register still
    shows what she declared and how it was handled."""
    app_id = _to_sign_off(panel)
    secretariat.new_revision(panel.sec, app_id, EXAMPLE, reason="A new risk assessment.", now=NOW)
    out = panel.out("revision-2.pdbundle")
    assert [m.name for m in secretariat.seal_application(panel.sec, app_id, out, now=NOW)] == [
        "Cara Okafor", "Ian Moss", "Pat Lowe"]
    for name in ("Cara Okafor", "Ian Moss", "Pat Lowe"):
        ws = panel.ws(name)
        assert ws.import_bundle(out, now=NOW).status == "superseded"
        member.declare(ws, app_id, none=True, now=NOW)
        member.export_declaration(ws, app_id, panel.out(f"{name}-d2.pdbundle"), now=NOW)
        assert panel.sec.import_bundle(panel.out(f"{name}-d2.pdbundle"), now=NOW).recorded
    eve = next(r for r in secretariat.conflicts(panel.sec, app_id) if r.member.name == "Eve Hart")
    assert eve.status == "Recused; no access"
    assert eve.interests_words == "Prior involvement with this application: I advised Wexmoor on this bid."
    secretariat.draft_advice(panel.sec, app_id, _draft_file(panel), now=NOW)
    secretariat.circulate(panel.sec, app_id, panel.out("draft.pdbundle"), now=NOW)
    for name in ("Cara Okafor", "Ian Moss", "Pat Lowe"):
        assert panel.ws(name).import_bundle(panel.out("draft.pdbundle"), now=NOW).recorded
        member.sign_off(panel.ws(name), app_id, "concur", out=panel.out(f"{name}-s.pdbundle"), now=NOW)
        assert panel.sec.import_bundle(panel.out(f"{name}-s.pdbundle"), now=NOW).recorded
    advice = secretariat.finalise(panel.sec, app_id, now=NOW)
    assert advice.application_revision == 2
    register = {i.member: i for i in advice.interests}
    assert register["Eve Hart"].decision is Decision.RECUSED
    assert register["Eve Hart"].interests[0].text == "I advised Wexmoor on this bid."
    assert [m.name for m in advice.members] == ["Cara Okafor", "Ian Moss", "Pat Lowe"]

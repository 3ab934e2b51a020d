"""Keys over the years: a lost member key revoked and replaced, the secretariat's key handed over or
replaced after a loss. Real identities, real sealed bundles, real profiles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from _workflow import NOW, PASSPHRASE, PEOPLE, answers, make_identity, make_panel, send_application

from panel_desk.core import bundle, keys, member, secretariat
from panel_desk.core.errors import InvalidInput
from panel_desk.core.model import ConflictDeclaration, Response, Role
from panel_desk.core.store import init_profile

MEMBERS = [name for name, *_ in PEOPLE[1:]]
LATER = NOW + timedelta(days=3)


@pytest.fixture
def panel(tmp_path):
    p = make_panel(tmp_path)
    yield p
    p.close()


def _sent(panel, members=None) -> str:
    return send_application(panel, members=members)


def _response(ws, identity, app_id, *, at, path):
    decl = ConflictDeclaration(application_id=app_id, application_revision=1, member=identity.fingerprint,
                               none_to_declare=True, declared_at=at)
    r = Response(application_id=app_id, application_revision=1, member=identity.fingerprint,
                 answers=answers(identity.name), submitted_at=at, declaration=decl)
    bundle.seal(bundle.Kind.RESPONSE, application_id=app_id, revision=1, payload=r.model_dump(mode="json"),
                files={}, signer=identity, recipients=[ws.identity.card], out=path, now=at)
    return path


def test_a_revoked_key_is_refused_after_its_revocation_and_what_it_signed_before_stands(panel, tmp_path):
    app_id = _sent(panel)
    ian = panel.identities["Ian Moss"]
    before = _response(panel.sec, ian, app_id, at=NOW + timedelta(days=1), path=tmp_path / "before.pdbundle")
    after = _response(panel.sec, ian, app_id, at=NOW + timedelta(days=3), path=tmp_path / "after.pdbundle")
    new_ian = make_identity(tmp_path, "Ian Moss (new laptop)", Role.CHIEF_INSPECTOR)
    got = keys.revoke_member_key(panel.sec, "Ian Moss", reason="Laptop lost on the train.", replacement=new_ian.card,
                                 effective=NOW + timedelta(days=2), now=NOW + timedelta(days=2))
    assert got.fingerprint == new_ian.fingerprint and got.role is Role.CHIEF_INSPECTOR
    refused = panel.sec.import_bundle(after, now=LATER)
    assert refused.refused and "that key was revoked from" in refused.message and "Laptop lost" in refused.message
    assert panel.sec.import_bundle(before, now=LATER).recorded
    # the current roster has the replacement in the lost key's place
    names = [m.fingerprint for m in panel.sec.roster()]
    assert new_ian.fingerprint in names and ian.fingerprint not in names
    actions = [e["action"] for e in panel.sec.audit_log()]
    assert "key.revoke" in actions and actions.count("roster.add") >= 5


def test_reseal_reaches_the_replacement_and_not_the_lost_key(panel, tmp_path):
    app_id = _sent(panel)
    new_ian = make_identity(tmp_path, "Ian Moss", Role.CHIEF_INSPECTOR)
    keys.revoke_member_key(panel.sec, panel.fp("Ian Moss"), reason="Laptop lost.", replacement=new_ian.card, now=NOW)
    with pytest.raises(InvalidInput, match="does not replace a revoked key"):
        keys.reseal_open_applications(panel.sec, panel.fp("Cara Okafor"), tmp_path / "out", now=NOW)
    [done] = keys.reseal_open_applications(panel.sec, new_ian.fingerprint, tmp_path / "out", now=NOW)
    assert done.application_id == app_id and done.path.exists()
    fresh = init_profile(tmp_path / "new-ian", tmp_path / "Ian Moss.id", PASSPHRASE,
                         trusted=[panel.sec.identity.card], now=NOW)
    try:
        assert fresh.import_bundle(done.path, now=NOW).recorded
    finally:
        fresh.close()
    old = panel.ws("Ian Moss")
    result = old.import_bundle(done.path, now=NOW)
    assert result.refused and "not addressed to you" in result.message


def test_a_handover_moves_the_secretariat_and_the_old_key_is_refused_after_it(panel, tmp_path):
    app_id = _sent(panel)
    new_sec = make_identity(tmp_path, "Nia Secretariat", Role.SECRETARIAT)
    cara = panel.ws("Cara Okafor")
    # without a handover statement, a card that says 'secretariat' changes nothing
    forged = tmp_path / "forged-draft.pdbundle"
    bundle.seal(bundle.Kind.DRAFT_ADVICE, application_id=app_id, revision=1,
                payload={"application_id": app_id, "revision": 1, "summary": "S.", "outcomes": "O.",
                         "monitoring": "M.", "created_at": NOW.isoformat()},
                files={}, signer=new_sec, recipients=[cara.identity.card], out=forged, now=NOW)
    cara.trust(new_sec.card, now=NOW)
    assert "accepted only from the secretariat you chose to trust" in cara.import_bundle(forged, now=NOW).message
    handover = tmp_path / "handover.pdbundle"
    sent = keys.hand_over(panel.sec, new_sec.card, handover, reason="Nia takes over the secretariat.",
                          effective=NOW + timedelta(days=1), now=NOW)
    assert {m.name for m in sent} == set(MEMBERS)
    result = cara.import_bundle(handover, now=NOW)
    assert result.recorded, result.message
    assert "handed over from Sam Secretary to Nia Secretariat" in result.message
    assert [c.fingerprint for c in cara.trusted_secretariat()][-1] == new_sec.fingerprint
    assert cara.import_bundle(forged, now=NOW).recorded  # now the new secretariat's drafts are accepted
    # the old key, after the handover's moment, no longer speaks for the secretariat
    late = tmp_path / "late.pdbundle"
    bundle.seal(bundle.Kind.WITHDRAWAL, application_id=app_id, revision=1, payload={"reason": "Stale key."},
                files={}, signer=panel.sec.identity, recipients=[cara.identity.card], out=late,
                now=NOW + timedelta(days=2))
    refused = cara.import_bundle(late, now=NOW + timedelta(days=2))
    assert refused.refused and "that key was revoked" in refused.message
    # a member cannot hand the secretariat over
    with pytest.raises(InvalidInput, match="Only the secretariat"):
        keys.hand_over(cara, new_sec.card, tmp_path / "x.pdbundle", reason="Mine now.", now=NOW)


def test_after_a_lost_secretariat_key_a_member_trusts_the_new_card_only_with_the_fingerprint(panel, tmp_path):
    _sent(panel)
    new_sec = make_identity(tmp_path, "Nia Secretariat", Role.SECRETARIAT)
    ian = panel.ws("Ian Moss")
    with pytest.raises(InvalidInput, match="does not match"):
        keys.trust_new_secretariat(ian, new_sec.card, panel.fp("Cara Okafor"), now=NOW)
    assert [c.fingerprint for c in ian.trusted_secretariat()] == [panel.fp("Sam Secretary")]
    revoked = keys.trust_new_secretariat(ian, new_sec.card, new_sec.fingerprint.lower(),
                                         reason="The secretariat's laptop was stolen.", now=NOW)
    assert revoked == [panel.fp("Sam Secretary")]
    assert new_sec.fingerprint in [c.fingerprint for c in ian.trusted_secretariat()]
    late = tmp_path / "late.pdbundle"
    bundle.seal(bundle.Kind.WITHDRAWAL, application_id=ian.applications()[0].id, revision=1,
                payload={"reason": "From the stolen laptop."}, files={}, signer=panel.sec.identity,
                recipients=[ian.identity.card], out=late, now=NOW + timedelta(hours=1))
    refused = ian.import_bundle(late, now=NOW + timedelta(hours=1))
    assert refused.refused and "laptop was stolen" in refused.message


def test_a_member_sends_to_the_new_secretariat_after_a_handover(panel, tmp_path):
    app_id = _sent(panel)
    new_sec = make_identity(tmp_path, "Nia Secretariat", Role.SECRETARIAT)
    keys.hand_over(panel.sec, new_sec.card, tmp_path / "h.pdbundle", reason="New officer.", now=NOW)
    pat = panel.ws("Pat Lowe")
    assert pat.import_bundle(tmp_path / "h.pdbundle", now=NOW).recorded
    assert member.secretariat_card(pat, app_id).fingerprint == new_sec.fingerprint


def test_the_secretariat_s_bundles_carry_its_revocations_to_members_laptops(panel, tmp_path):
    """Cara's laptop learns from a signed application that Ian's old key is revoked, and refuses it."""
    new_ian = make_identity(tmp_path, "Ian Moss", Role.CHIEF_INSPECTOR)
    keys.revoke_member_key(panel.sec, "Ian Moss", reason="Laptop lost.", replacement=new_ian.card, now=NOW)
    app_id = _sent(panel, members=["Cara Okafor", "Eve Hart", "Pat Lowe"])
    cara = panel.ws("Cara Okafor")
    held = {r.fingerprint for r in cara.roster.revocations()}
    assert held == {panel.fp("Ian Moss")}
    cara.trust(panel.identities["Ian Moss"].card, as_secretariat=True, now=NOW)  # even if she trusted it
    late = tmp_path / "late.pdbundle"
    bundle.seal(bundle.Kind.WITHDRAWAL, application_id=app_id, revision=1, payload={"reason": "From the lost laptop."},
                files={}, signer=panel.identities["Ian Moss"], recipients=[cara.identity.card], out=late,
                now=NOW + timedelta(hours=1))
    refused = cara.import_bundle(late, now=NOW + timedelta(hours=1))
    assert refused.refused and "revoked" in refused.message
    # the next bundle carries the same list: kept once, one audit entry
    secretariat.withdraw(panel.sec, app_id, tmp_path / "w.pdbundle", "The authority withdrew.", now=NOW)
    assert cara.import_bundle(tmp_path / "w.pdbundle", now=NOW).recorded
    assert [r.fingerprint for r in cara.roster.revocations()] == [panel.fp("Ian Moss")]
    assert [e["action"] for e in cara.audit_log()].count("key.revoke") == 1


def _handover(signer, new_card: dict, recipients, out, effective_at: str = NOW.isoformat()):
    payload = {"new_card": new_card, "effective_at": effective_at, "reason": "Nia takes over."}
    bundle.seal(bundle.Kind.HANDOVER, application_id=bundle.HANDOVER_APPLICATION_ID, revision=1, payload=payload,
                files={}, signer=signer, recipients=recipients, out=out, now=NOW)
    return out


def test_a_handover_that_cannot_be_right_is_refused_and_changes_nothing(panel, tmp_path):
    import json

    sec, cara = panel.sec, panel.ws("Cara Okafor")
    own = sec.identity
    new_sec = make_identity(tmp_path, "Nia Secretariat", Role.SECRETARIAT)
    cases = [
        (sec, _handover(own, json.loads(new_sec.card.to_json()), [own.card], tmp_path / "to-self.pdbundle"),
         "for panel members' profiles"),
        (cara, _handover(own, {"name": "Nia"}, [cara.identity.card], tmp_path / "bad-card.pdbundle"),
         "not a valid public card"),
        (cara, _handover(own, json.loads(own.card.to_json()), [cara.identity.card], tmp_path / "same.pdbundle"),
         "names the same key it comes from"),
    ]
    with pytest.raises(InvalidInput, match="time zone"):  # a moment without a zone is never sealed
        _handover(own, json.loads(new_sec.card.to_json()), [cara.identity.card], tmp_path / "naive.pdbundle",
                  effective_at="2026-11-24T09:00:00")
    for ws, path, words in cases:
        before = ws.audit_log()
        result = ws.import_bundle(path, now=NOW)
        assert result.refused and words in result.message
        assert ws.audit_log() == before
    assert [c.fingerprint for c in cara.trusted_secretariat()] == [own.fingerprint]

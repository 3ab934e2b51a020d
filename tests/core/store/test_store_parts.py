"""The store's parts: one transaction shared by all of them, and the handle's names calling them."""

from __future__ import annotations

import pytest
from store_helpers import APP_ID, NOW, application, declaration, draft, files_for, response

from panel_desk.core.store import Workspace


def test_changes_through_several_parts_commit_or_roll_back_together(secretariat, people):
    secretariat.put_application(application(), files_for(), now=NOW)
    before = secretariat.audit_log()
    with pytest.raises(KeyError), secretariat.tx.write():
        secretariat.declarations.save(declaration(people.rita), now=NOW)
        secretariat.answers.record_response(response(people.rita), now=NOW)
        secretariat.advice.record_draft(draft(), now=NOW)
        raise KeyError("a later step failed")
    assert secretariat.declarations(APP_ID) == [] and secretariat.responses(APP_ID) == []
    assert secretariat.drafts(APP_ID) == [] and secretariat.audit_log() == before
    with secretariat.tx.write():
        secretariat.declarations.save(declaration(people.rita), now=NOW)
        secretariat.answers.record_response(response(people.rita), now=NOW)
    assert [r.member for r in secretariat.responses(APP_ID)] == [people.rita.fingerprint]
    assert [e["action"] for e in secretariat.audit_log()[-2:]] == ["declaration.record", "response.record"]
    assert secretariat.verify_audit().ok


def test_the_handles_flat_names_are_the_parts_verbs(secretariat):
    assert Workspace.roster_add.__doc__ == type(secretariat.roster).add.__doc__
    assert secretariat.roster() == secretariat.roster.members()
    assert [m.name for m in secretariat.roster()] == ["Rita Reader", "Colin Colleague"]
    app = secretariat.put_application(application(), files_for(), now=NOW)
    assert secretariat.application(APP_ID) == secretariat.applications.get(APP_ID) == app
    assert [row.id for row in secretariat.applications()] == [APP_ID]


def test_the_roster_part_keeps_trust_revocations_and_removals_as_recorded(secretariat, people):
    from datetime import timedelta

    from panel_desk.core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="secretariat's own profile"):
        secretariat.roster.trust(people.colin.card, as_secretariat=True, now=NOW)
    rita = people.rita.fingerprint
    with secretariat.transaction():
        assert secretariat.roster.record_revocation(rita, NOW + timedelta(days=2), "lost", "", NOW)
        assert not secretariat.roster.record_revocation(rita, NOW + timedelta(days=3), "later", "", NOW)
        assert secretariat.roster.record_revocation(rita, NOW + timedelta(days=1), "earlier", "", NOW)
        secretariat.roster.remove(rita, NOW)
    [revoked] = secretariat.roster.revocations()
    assert (revoked.revoked_at, revoked.reason) == (NOW + timedelta(days=1), "earlier")  # the earlier moment wins
    assert [m.name for m in secretariat.roster()] == ["Colin Colleague"]
    assert secretariat.card(rita).name == "Rita Reader"  # her card and records stay
    assert [e["action"] for e in secretariat.audit_log()[-3:]] == ["key.revoke", "key.revoke", "roster.remove"]


def test_a_draft_about_an_application_not_held_is_refused(member, people, tmp_path):
    from store_helpers import seal_kind

    seal_kind("draft-advice", draft(), signer=people.sam, to=people.rita, out=tmp_path / "d.pdbundle")
    result = member.import_bundle(tmp_path / "d.pdbundle", now=NOW)
    assert result.refused and "which this profile does not hold" in result.message


def test_a_cancel_between_files_leaves_the_rest_unimported(member, app_bundle, tmp_path):
    answers = iter([False, True])
    results = member.import_many([tmp_path / "missing.pdbundle", app_bundle], cancel=lambda: next(answers), now=NOW)
    assert [r.status for r in results] == ["refused", "refused"]
    assert "cancelled before this file" in results[1].message and member.applications() == []


def test_a_profile_copied_without_its_bundles_folder_still_opens(people, tmp_path):
    import shutil

    from store_helpers import PASS

    from panel_desk.core.store import init_profile, open_profile

    init_profile(tmp_path / "p", people.rita.file, PASS, [people.sam.card], now=NOW).close()
    shutil.rmtree(tmp_path / "p" / "bundles")
    with open_profile(tmp_path / "p", PASS) as ws:
        assert ws.applications() == []

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

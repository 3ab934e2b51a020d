"""Importing bundles of every kind (panel_desk/core/store/_import.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from store_helpers import (
    APP_ID,
    DOC,
    NOW,
    answers,
    application,
    declaration,
    draft,
    files_for,
    later,
    response,
    seal_application,
    seal_kind,
    signoff,
)

from panel_desk.core.errors import Cancelled, InvalidInput
from panel_desk.core.store import ApplicationStatus, DeclarationNeeded
from panel_desk.core.store import search as search_module

TABLES = ("bundles", "applications", "application_revisions", "documents", "pages", "declarations", "responses",
          "drafts", "signoffs", "audit", "meta")


def state(ws) -> dict:
    """Everything an import could change: row counts, the audit head and the files in bundles/."""
    db = ws.tx.db
    counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    counts["head"] = db.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
    counts["files"] = sorted(p.name for p in ws.bundles_dir.iterdir())
    return counts


# --- applications, members' side -----------------------------------------------------------------


def test_a_member_imports_an_application_and_reads_it_after_declaring(member, people, app_bundle):
    result = member.import_bundle(app_bundle, now=NOW)
    assert (result.status, result.kind, result.application_id) == ("imported", "application", APP_ID)
    assert result.message == ("Imported Fostering panels (Northshire County Council), revision 1. "
                              "Declare your interests before reading it.")
    assert member.status(APP_ID, now=NOW) is ApplicationStatus.INTERESTS_NEEDED
    assert [d.title for d in member.documents(APP_ID)] == ["Application", "Risk assessment"]
    with pytest.raises(DeclarationNeeded):
        member.read_document(APP_ID, DOC, now=NOW)
    with pytest.raises(DeclarationNeeded):
        member.search("zebra", app_id=APP_ID, now=NOW)
    assert member.search("zebra", now=NOW) == []
    member.save_declaration(declaration(people.rita), now=NOW)
    assert member.status(APP_ID, now=NOW) is ApplicationStatus.IN_REVIEW
    assert member.read_document(APP_ID, DOC, now=NOW) == files_for()[DOC]
    with member.open_document(APP_ID, DOC, now=NOW) as f:
        f.seek(5)
        assert f.read(3) == files_for()[DOC][5:8]
    assert len(list(member.bundles_dir.iterdir())) == 1  # kept sealed, nothing else


def test_the_same_bundle_twice_is_a_no_op_with_a_message(member, app_bundle):
    member.import_bundle(app_bundle, now=NOW)
    before = state(member)
    again = member.import_bundle(app_bundle, now=NOW)
    assert again.status == "duplicate" and not again.recorded
    assert again.message == "You already have this bundle (an application); nothing changed."
    assert state(member) == before


def test_an_older_revision_is_refused_and_the_same_revision_again_is_a_duplicate(member, people, tmp_path):
    seal_application(people, tmp_path / "r1.pdbundle", revision=1)
    seal_application(people, tmp_path / "r2.pdbundle", revision=2)
    seal_application(people, tmp_path / "r2-again.pdbundle", revision=2)
    assert member.import_bundle(tmp_path / "r2.pdbundle", now=NOW).status == "imported"
    before = state(member)
    old = member.import_bundle(tmp_path / "r1.pdbundle", now=NOW)
    assert old.status == "refused"
    assert "revision 1 of Fostering panels, older than revision 2" in old.message
    assert member.import_bundle(tmp_path / "r2-again.pdbundle", now=NOW).status == "duplicate"
    assert state(member) == before


def test_a_newer_revision_is_recorded_and_the_declaration_must_be_made_again(member, people, tmp_path):
    seal_application(people, tmp_path / "r1.pdbundle")
    member.import_bundle(tmp_path / "r1.pdbundle", now=NOW)
    member.save_declaration(declaration(people.rita), now=NOW)
    assert member.search("zebra", now=NOW)
    files = files_for({DOC: ("Revised: consultation with narwhal carers",), "documents/risk.pdf": ("Risk",)})
    seal_application(people, tmp_path / "r2.pdbundle", revision=2, files=files)
    result = member.import_bundle(tmp_path / "r2.pdbundle", now=NOW)
    assert result.status == "superseded"
    assert result.message == ("Revision 2 of Fostering panels replaces revision 1. "
                              "Declare your interests again before reading it.")
    assert member.application(APP_ID).revision == 2
    assert [a.revision for a in member.application_revisions(APP_ID)] == [1, 2]
    assert member.declaration(APP_ID) is None
    assert member.status(APP_ID, now=NOW) is ApplicationStatus.INTERESTS_NEEDED
    with pytest.raises(DeclarationNeeded):
        member.read_document(APP_ID, DOC, now=NOW)
    member.save_declaration(declaration(people.rita, revision=2), now=NOW)
    assert member.read_document(APP_ID, DOC, now=NOW) == files[DOC]
    assert member.search("zebra", now=NOW) == []  # the old revision's text is gone from the index
    assert [h.page for h in member.search("narwhal", now=NOW)] == [1]


def test_a_withdrawal_removes_the_content_and_says_so(member, people, app_bundle, tmp_path):
    member.import_bundle(app_bundle, now=NOW)
    member.save_declaration(declaration(people.rita), now=NOW)
    member.read_document(APP_ID, DOC, now=NOW)  # opened and cached
    seal_kind("withdrawal", {"reason": "The council withdrew its application."}, signer=people.sam,
              to=people.rita, out=tmp_path / "w.pdbundle")
    result = member.import_bundle(tmp_path / "w.pdbundle", now=NOW)
    assert result.status == "imported"
    assert result.message == ("Fostering panels has been withdrawn by the secretariat (The council withdrew its "
                              "application). Its documents have been removed from this profile.")
    assert member.status(APP_ID, now=NOW) is ApplicationStatus.WITHDRAWN
    assert list(member.bundles_dir.iterdir()) == []
    assert member.tx.opened == {}
    with pytest.raises(InvalidInput, match=r"was withdrawn .*no longer available"):
        member.read_document(APP_ID, DOC, now=NOW)
    assert member.search("zebra", now=NOW) == []
    assert member.import_bundle(tmp_path / "w.pdbundle", now=NOW).status == "duplicate"
    refused = member.import_bundle(app_bundle, now=NOW)
    assert refused.status == "duplicate"  # the bundle itself is remembered


def test_an_expired_bundle_is_refused_and_an_expiring_one_stops_being_readable(member, people, tmp_path):
    seal_application(people, tmp_path / "a.pdbundle", expires_at=later(60))
    refused = member.import_bundle(tmp_path / "a.pdbundle", now=later(61))
    assert refused.status == "refused" and "expired" in refused.message
    assert member.applications() == []
    assert member.import_bundle(tmp_path / "a.pdbundle", now=NOW).status == "imported"
    member.save_declaration(declaration(people.rita), now=NOW)
    assert member.read_document(APP_ID, DOC, now=later(30))
    assert member.status(APP_ID, now=later(61)) is ApplicationStatus.EXPIRED
    with pytest.raises(InvalidInput, match=r"expired on .*Ask the secretariat for a current copy"):
        member.read_document(APP_ID, DOC, now=later(61))
    assert member.search("zebra", now=later(61)) == []
    assert [r.status for r in member.applications(now=later(61))] == [ApplicationStatus.EXPIRED]


def test_past_its_expiry_an_application_s_documents_leave_a_member_s_profile(member, people, tmp_path):
    """The sealed content and the page index go; the member's answers and the record of what happened stay."""
    seal_application(people, tmp_path / "a.pdbundle", expires_at=later(60))
    assert member.import_bundle(tmp_path / "a.pdbundle", now=NOW).status == "imported"
    member.save_declaration(declaration(people.rita), now=NOW)
    member.save_answers(APP_ID, answers("Kept after expiry."), now=NOW)
    assert member.search("zebra", now=NOW) != []
    held = [p.name for p in member.bundles_dir.iterdir()]
    assert len(held) == 1
    assert member.expire(now=later(30)) == []  # not yet
    assert member.expire(now=later(61)) == [APP_ID]
    assert list(member.bundles_dir.iterdir()) == []  # the encrypted documents are gone from the disk
    assert member.search("zebra", now=NOW) == []  # and from the index, whatever the clock says
    assert member.answers(APP_ID).outcomes.rationale == "Kept after expiry."
    assert [e["action"] for e in member.audit_log()][-1] == "application.expired"
    assert member.expire(now=later(62)) == []  # once
    assert member.verify_audit().ok


@pytest.mark.parametrize(("case", "words"), [
    ("untrusted", "not been asked to trust"),
    ("not-secretariat", "accepted only from the secretariat you chose to trust"),
    ("not-addressed", "not addressed to you"),
    ("damaged", "changed or damaged"),
    ("missing", "There is no file"),
    ("not-a-bundle", "not a Panel Desk bundle"),
])
def test_refusals_leave_the_profile_exactly_as_it_was(member, people, tmp_path, case, words):
    member.trust(people.colin.card, now=NOW)  # trusted, but not the secretariat
    path = tmp_path / "b.pdbundle"
    if case == "untrusted":
        seal_application(people, path, signer=people.olive)
    elif case == "not-secretariat":
        seal_application(people, path, signer=people.colin)
    elif case == "not-addressed":
        seal_application(people, path, to=[people.colin])
    elif case == "damaged":
        seal_application(people, path)
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 1
        path.write_bytes(bytes(data))
    elif case == "not-a-bundle":
        path.write_bytes(b"%PDF-1.7 not a bundle")
    before = state(member)
    result = member.import_bundle(path, now=NOW)
    assert result.status == "refused" and result.refused
    assert words in result.message
    assert state(member) == before


def test_a_failure_while_recording_rolls_everything_back(member, app_bundle, monkeypatch):
    before = state(member)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug while indexing")

    monkeypatch.setattr(search_module, "index_pages", broken)
    with pytest.raises(RuntimeError):
        member.import_bundle(app_bundle, now=NOW)
    assert state(member) == before
    assert member.applications() == []
    monkeypatch.undo()
    assert member.import_bundle(app_bundle, now=NOW).status == "imported"


def test_cancel_while_reading_changes_nothing(member, app_bundle):
    before = state(member)
    with pytest.raises(Cancelled):
        member.import_bundle(app_bundle, now=NOW, cancel=lambda: True)
    assert state(member) == before


def test_import_many_reports_each_file_and_never_raises_for_one(member, people, app_bundle, tmp_path):
    bad = tmp_path / "bad.pdbundle"
    bad.write_bytes(b"nonsense")
    seen = []
    results = member.import_many([app_bundle, bad, app_bundle, tmp_path / "gone.pdbundle"], now=NOW,
                                 progress=lambda done, total: seen.append((done, total)))
    assert [r.status for r in results] == ["imported", "refused", "duplicate", "refused"]
    assert [r.path.name for r in results] == ["app-r1.pdbundle", "bad.pdbundle", "app-r1.pdbundle", "gone.pdbundle"]
    assert seen and seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_import_many_after_cancel_reports_the_rest(member, app_bundle, tmp_path):
    calls = iter([False] + [True] * 100)
    results = member.import_many([app_bundle, app_bundle], now=NOW, cancel=lambda: next(calls))
    assert results[1].status == "refused" and "cancelled" in results[1].message
    assert len(results) == 2


# --- what members send: the secretariat's side ---------------------------------------------------


@pytest.fixture
def held(secretariat, people):
    """The secretariat holds revision 1 of the application and has sent it to Rita and Colin."""
    secretariat.put_application(application(), files_for(), now=NOW)
    secretariat.record_sent("application", APP_ID, 1, [people.rita.fingerprint, people.colin.fingerprint], "b0",
                            now=NOW)
    return secretariat


def test_declarations_come_from_roster_members_about_the_current_revision(held, people, tmp_path):
    seal_kind("declaration", declaration(people.rita), signer=people.rita, to=people.sam, out=tmp_path / "d1")
    first = held.import_bundle(tmp_path / "d1", now=NOW)
    assert first.status == "imported"
    assert first.message == f"Imported the declaration of interests from Rita Reader on {APP_ID}."
    seal_kind("declaration", declaration(people.rita, at=later(5), interest="Former employee of the council"),
              signer=people.rita, to=people.sam, out=tmp_path / "d2")
    second = held.import_bundle(tmp_path / "d2", now=NOW)
    assert second.status == "superseded"
    assert [d.none_to_declare for d in held.declarations(APP_ID)] == [False]
    stale = held.import_bundle(tmp_path / "d1", now=NOW)
    assert stale.status == "duplicate"
    seal_kind("declaration", declaration(people.rita, at=later(1)), signer=people.rita, to=people.sam,
              out=tmp_path / "d3")
    older = held.import_bundle(tmp_path / "d3", now=NOW)
    assert older.status == "refused" and "older than the one already recorded" in older.message


@pytest.mark.parametrize(("case", "words"), [
    ("not-on-roster", "who is not on the roster"),
    ("forged", "written in someone else's name"),
    ("foreign", "which this profile does not hold"),
    ("stale", "revision 2 has since been sent"),
])
def test_declarations_that_do_not_belong_are_refused(held, people, tmp_path, case, words):
    held.trust(people.olive.card, now=NOW)
    path = tmp_path / "d.pdbundle"
    if case == "not-on-roster":
        seal_kind("declaration", declaration(people.olive), signer=people.olive, to=people.sam, out=path)
    elif case == "forged":
        seal_kind("declaration", declaration(people.colin), signer=people.rita, to=people.sam, out=path)
    elif case == "foreign":
        other = declaration(people.rita).model_copy(update={"application_id": "southshire-2026-ff00"})
        seal_kind("declaration", other, signer=people.rita, to=people.sam, out=path, app_id="southshire-2026-ff00")
    elif case == "stale":
        held.put_application(application(revision=2), files_for(), reason="Corrected dates", now=NOW)
        seal_kind("declaration", declaration(people.rita, revision=1), signer=people.rita, to=people.sam, out=path)
    before = state(held)
    result = held.import_bundle(path, now=NOW)
    assert result.status == "refused", result.message
    assert words in result.message
    assert state(held) == before


def test_a_later_response_supersedes_the_earlier_and_both_stay_in_the_audit_log(held, people, tmp_path):
    held.save_declaration(declaration(people.rita), now=NOW)
    seal_kind("response", response(people.rita, 1, rationale="First thoughts."), signer=people.rita,
              to=people.sam, out=tmp_path / "r1")
    seal_kind("response", response(people.rita, 2, rationale="Second thoughts."), signer=people.rita,
              to=people.sam, out=tmp_path / "r2")
    assert held.import_bundle(tmp_path / "r1", now=NOW).status == "imported"
    assert held.status(APP_ID, now=NOW) is ApplicationStatus.RESPONSES_IN
    second = held.import_bundle(tmp_path / "r2", now=NOW)
    assert second.status == "superseded"
    assert second.message == f"Response number 2 from Rita Reader on {APP_ID} replaces their response number 1."
    assert [r.answers.outcomes.rationale for r in held.responses(APP_ID)] == ["Second thoughts."]
    assert [r.revision for r in held.responses(APP_ID, all_revisions=True)] == [1, 2]
    actions = [(e["action"], e["detail"].get("revision")) for e in held.audit_log()]
    assert ("response.record", 1) in actions and ("response.record", 2) in actions
    assert ("response.superseded", 1) in actions
    stale = held.import_bundle(tmp_path / "r1", now=NOW)
    assert stale.status == "duplicate"
    seal_kind("response", response(people.rita, 1, rationale="Replayed."), signer=people.rita, to=people.sam,
              out=tmp_path / "r1b")
    refused = held.import_bundle(tmp_path / "r1b", now=NOW)
    assert refused.status == "refused" and "not the latest" in refused.message
    assert held.verify_audit().ok


def test_signoffs_need_the_latest_draft(held, people, tmp_path):
    for who in (people.rita, people.colin):
        held.save_declaration(declaration(who), now=NOW)
    seal_kind("signoff", signoff(people.rita), signer=people.rita, to=people.sam, out=tmp_path / "s0")
    assert "was not sent draft 1" in held.import_bundle(tmp_path / "s0", now=NOW).message
    held.record_draft(draft(1), now=NOW)
    held.record_sent("draft-advice", APP_ID, 1, [people.rita.fingerprint, people.colin.fingerprint], "b1", now=NOW)
    assert held.import_bundle(tmp_path / "s0", now=NOW).status == "imported"
    seal_kind("signoff", signoff(people.rita, at=later(1), kind="dissent", text="I dissent."), signer=people.rita,
              to=people.sam, out=tmp_path / "s1")
    assert held.import_bundle(tmp_path / "s1", now=NOW).status == "superseded"
    assert [s.kind.value for s in held.signoffs(APP_ID)] == ["dissent"]
    held.record_draft(draft(2), now=NOW)
    seal_kind("signoff", signoff(people.colin, draft_revision=1), signer=people.colin, to=people.sam,
              out=tmp_path / "s2")
    stale = held.import_bundle(tmp_path / "s2", now=NOW)
    assert stale.status == "refused" and "draft 2 has since been sent" in stale.message


def test_a_member_receives_drafts_in_order(member, people, app_bundle, tmp_path):
    member.import_bundle(app_bundle, now=NOW)
    member.save_declaration(declaration(people.rita), now=NOW)
    seal_kind("draft-advice", draft(1), signer=people.sam, to=people.rita, out=tmp_path / "d1")
    seal_kind("draft-advice", draft(2), signer=people.sam, to=people.rita, out=tmp_path / "d2")
    assert member.import_bundle(tmp_path / "d1", now=NOW).status == "imported"
    assert member.status(APP_ID, now=NOW) is ApplicationStatus.DRAFT_TO_REVIEW
    assert member.import_bundle(tmp_path / "d2", now=NOW).status == "superseded"
    seal_kind("draft-advice", draft(1).model_copy(update={"summary": "again"}), signer=people.sam,
              to=people.rita, out=tmp_path / "d1b")
    old = member.import_bundle(tmp_path / "d1b", now=NOW)
    assert old.status == "refused" and "older than draft 2" in old.message
    member.record_signoff(signoff(people.rita, draft_revision=2), now=NOW)
    assert member.status(APP_ID, now=NOW) is ApplicationStatus.SIGNED_OFF
    assert member.latest_draft(APP_ID).revision == 2
    assert [d.revision for d in member.drafts(APP_ID)] == [1, 2]


def test_a_draft_from_someone_other_than_the_secretariat_is_refused(member, people, app_bundle, tmp_path):
    member.import_bundle(app_bundle, now=NOW)
    member.trust(people.colin.card, now=NOW)
    seal_kind("draft-advice", draft(1), signer=people.colin, to=people.rita, out=tmp_path / "d")
    assert "accepted only from the secretariat you chose to trust" in member.import_bundle(tmp_path / "d", now=NOW).message


def test_leftovers_of_an_interrupted_import_are_swept_when_old(member, people, tmp_path):
    import os
    import time

    old = member.bundles_dir / ".incoming-dead.tmp"
    old.write_bytes(b"ciphertext")
    fresh = member.bundles_dir / ".incoming-live.tmp"
    fresh.write_bytes(b"ciphertext")
    past = time.time() - timedelta(hours=2).total_seconds()
    os.utime(old, (past, past))
    member.lock()
    member.unlock("correct horse battery")
    member._sweep()
    assert not old.exists() and fresh.exists()


def test_other_calls_are_not_kept_waiting_while_a_bundle_is_verified(member, app_bundle):
    import threading

    answered = []

    def progress(done, total):
        if not answered:
            other = threading.Thread(target=lambda: answered.append(member.get_setting("theme", "standard")))
            other.start()
            other.join(5)
            assert not other.is_alive(), "the workspace was held during decryption"

    assert member.import_bundle(app_bundle, now=NOW, progress=progress).status == "imported"
    assert answered == ["standard"]


def test_locking_during_an_import_records_nothing(member, app_bundle):
    from panel_desk.core.errors import Locked

    def progress(done, total):
        member.lock()

    with pytest.raises(Locked):
        member.import_bundle(app_bundle, now=NOW, progress=progress)
    member.unlock("correct horse battery")
    assert member.applications() == []
    assert list(member.bundles_dir.iterdir()) == []

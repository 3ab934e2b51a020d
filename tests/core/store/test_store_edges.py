"""Edges of the workspace: withdrawn applications, odd inputs, guards against misuse."""

from __future__ import annotations

from datetime import datetime

import pytest
from store_helpers import (
    APP_ID,
    DOC,
    NOW,
    PASS,
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

from panel_desk.core.errors import InvalidInput, NotFound
from panel_desk.core.model import Advice
from panel_desk.core.store import _schema, init_profile, open_profile
from panel_desk.core.store import textextract as tx


@pytest.fixture
def withdrawn(secretariat, people):
    secretariat.put_application(application(), files_for(), now=NOW)
    secretariat.record_draft(draft(1), now=NOW)
    secretariat.withdraw(APP_ID, "The council withdrew.", now=NOW)
    return secretariat


def test_nothing_more_is_recorded_for_a_withdrawn_application(withdrawn, people):
    for record in (lambda: withdrawn.save_declaration(declaration(people.rita)),
                   lambda: withdrawn.record_response(response(people.rita)),
                   lambda: withdrawn.record_draft(draft(2)),
                   lambda: withdrawn.record_signoff(signoff(people.rita))):
        with pytest.raises(InvalidInput, match="has been withdrawn"):
            record()
    with pytest.raises(NotFound, match="no longer held"):
        withdrawn.application_bundle_path(APP_ID)
    assert withdrawn.search("zebra") == []
    with pytest.raises(InvalidInput, match=r"was withdrawn \(The council withdrew\)"):
        withdrawn.search("zebra", app_id=APP_ID)


def test_a_withdrawal_needs_a_reason_and_the_secretariat(secretariat, member):
    secretariat.put_application(application(), files_for(), now=NOW)
    with pytest.raises(InvalidInput, match="Give the reason"):
        secretariat.withdraw(APP_ID, "  ")
    with pytest.raises(InvalidInput, match="Only the secretariat"):
        member.withdraw(APP_ID, "why")


def test_bundles_for_a_withdrawn_application_are_refused_or_already_done(member, people, app_bundle, tmp_path):
    member.import_bundle(app_bundle, now=NOW)
    seal_kind("withdrawal", {"reason": "Withdrawn."}, signer=people.sam, to=people.rita, out=tmp_path / "w1")
    seal_kind("withdrawal", {"reason": "Withdrawn again."}, signer=people.sam, to=people.rita, out=tmp_path / "w2")
    seal_application(people, tmp_path / "r2", revision=2)
    assert member.import_bundle(tmp_path / "w1", now=NOW).status == "imported"
    again = member.import_bundle(tmp_path / "w2", now=NOW)
    assert (again.status, again.message) == ("duplicate", "Fostering panels was already withdrawn (nothing changed).")
    newer = member.import_bundle(tmp_path / "r2", now=NOW)
    assert newer.status == "refused" and "has been withdrawn" in newer.message


def test_a_withdrawal_of_an_older_revision_is_refused(member, people, tmp_path):
    seal_application(people, tmp_path / "r2", revision=2)
    member.import_bundle(tmp_path / "r2", now=NOW)
    seal_kind("withdrawal", {"reason": "Old news."}, signer=people.sam, to=people.rita, out=tmp_path / "w",
              revision=1)
    result = member.import_bundle(tmp_path / "w", now=NOW)
    assert result.status == "refused" and "but you have revision 2" in result.message
    assert member.status(APP_ID, now=NOW).value == "interests-needed"


def test_a_second_copy_of_a_draft_or_an_older_signoff_is_refused(secretariat, member, people, app_bundle, tmp_path):
    member.import_bundle(app_bundle, now=NOW)
    seal_kind("draft-advice", draft(1), signer=people.sam, to=people.rita, out=tmp_path / "d1")
    seal_kind("draft-advice", draft(1), signer=people.sam, to=people.rita, out=tmp_path / "d1-copy")
    member.import_bundle(tmp_path / "d1", now=NOW)
    copy = member.import_bundle(tmp_path / "d1-copy", now=NOW)
    assert copy.status == "refused" and "Draft 1 is already held" in copy.message
    secretariat.put_application(application(), files_for(), now=NOW)
    secretariat.record_draft(draft(1), now=NOW)
    secretariat.record_signoff(signoff(people.rita, at=later(5)), now=NOW)
    with pytest.raises(InvalidInput, match="A later sign-off from this member"):
        secretariat.record_signoff(signoff(people.rita, at=later(1)), now=NOW)


def test_small_guards(secretariat, people):
    app = secretariat.put_application(application(), files_for(), now=NOW)
    with pytest.raises(InvalidInput, match="needs a name"):
        secretariat.put_secret("", b"x")
    with pytest.raises(InvalidInput, match="too large"):
        secretariat.set_setting("huge", "x" * 300_000)
    other = Advice(application_id="other-2026-0000", application_revision=1, authority=app.authority,
                   title=app.title, provisions=app.provisions, trial_months=24, dates=app.dates,
                   date_of_advice=NOW.date(), summary="S", outcomes="O", monitoring="M")
    with pytest.raises(InvalidInput, match="is about application other-2026-0000"):
        secretariat.record_publication(APP_ID, other)
    with pytest.raises(RuntimeError, match="inside the change's transaction"):
        secretariat.tx.audit("x", "y")
    with pytest.raises(ValueError, match="time zone"):
        secretariat.save_answers(APP_ID, response(people.rita).answers, now=datetime(2026, 11, 23))
    assert secretariat.publication(APP_ID) is None
    assert secretariat.signoffs(APP_ID) == []
    secretariat.record_sent("application", APP_ID, 1, [people.rita.fingerprint], "b1", now=NOW)
    secretariat.record_sent("draft-advice", APP_ID, 1, [people.rita.fingerprint], "b2", now=NOW)
    assert [s["bundle_id"] for s in secretariat.sent(APP_ID, "draft-advice")] == ["b2"]
    assert len(secretariat.sent(APP_ID)) == 2
    with pytest.raises(NotFound, match="no revision 7"):
        secretariat.applications.load(APP_ID, 7)


def test_nested_changes_share_one_transaction(secretariat):
    with secretariat.tx.write(), secretariat.tx.write():
        secretariat.tx.audit("test.inner", "x")
    assert secretariat.audit_log()[-1]["action"] == "test.inner"
    with pytest.raises(KeyError), secretariat.tx.write():
        secretariat.tx.audit("test.rolled-back", "x")
        raise KeyError("bug")
    assert secretariat.audit_log()[-1]["action"] == "test.inner"
    assert secretariat.verify_audit().ok


def test_lock_and_unlock_are_idempotent(member):
    member.unlock(PASS)  # already open: nothing happens
    member.lock()
    member.lock()
    assert repr(member).endswith("locked>")
    member.unlock(PASS)
    assert repr(member).endswith("open>")


def test_an_application_whose_sealed_file_disappeared_says_so(member, people, app_bundle):
    member.import_bundle(app_bundle, now=NOW)
    member.save_declaration(declaration(people.rita), now=NOW)
    member.tx.db.execute("UPDATE bundles SET file = ''")
    with pytest.raises(NotFound, match="no longer held"):
        member.read_document(APP_ID, DOC, now=NOW)


def test_a_profile_whose_owner_record_is_missing_is_refused(people, tmp_path):
    from panel_desk.core.store import StoreError, _db

    init_profile(tmp_path / "p", people.rita.file, PASS).close()
    db = _db.connect(tmp_path / "p" / "store.db", people.rita.identity.store_key)
    db.execute("DELETE FROM meta WHERE key = 'owner'")
    db.conn.close()
    with pytest.raises(StoreError, match="another identity"):
        open_profile(tmp_path / "p", PASS)


def test_a_missing_audit_head_is_detected(people, tmp_path):
    from panel_desk.core.store import _db

    init_profile(tmp_path / "p", people.rita.file, PASS).close()
    db = _db.connect(tmp_path / "p" / "store.db", people.rita.identity.store_key)
    db.execute("DELETE FROM meta WHERE key = 'audit_head'")
    db.conn.close()
    ws = open_profile(tmp_path / "p", PASS)
    assert ws.verify_audit().first_broken == 1
    ws.close()


def test_schema_scripts_must_end_their_statements():
    with pytest.raises(ValueError, match="unterminated"):
        _schema._split("CREATE TABLE x (a)")


def test_a_page_pdfium_cannot_read_gives_no_text():
    import pypdfium2 as pdfium

    class BrokenDocument:
        def __getitem__(self, index):
            raise pdfium.PdfiumError("broken page")

    class BrokenTextPage:
        def get_textpage(self):
            raise pdfium.PdfiumError("broken text")

        def close(self):
            pass

    class DocumentWithBrokenText:
        def __getitem__(self, index):
            return BrokenTextPage()

    assert tx._page_text(BrokenDocument(), 0) == ""
    assert tx._page_text(DocumentWithBrokenText(), 0) == ""


def test_a_folder_given_as_a_bundle_is_refused(member, tmp_path):
    result = member.import_bundle(tmp_path, now=NOW)
    assert result.status == "refused" and "is a folder, not a bundle" in result.message


def test_an_unreadable_source_is_refused(member, tmp_path, monkeypatch):
    from pathlib import Path

    source = tmp_path / "b.pdbundle"
    source.write_bytes(b"x" * 10)

    def broken_open(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", broken_open)
    result = member.import_bundle(source, now=NOW)
    monkeypatch.undo()
    assert result.status == "refused" and "Cannot read" in result.message


def test_documents_that_are_not_pdfs_are_kept_but_not_indexed(secretariat, member, people, tmp_path):
    docs = {DOC: "Application", "documents/letter.txt": "Covering letter"}
    files = {DOC: files_for()[DOC], "documents/letter.txt": b"Dear panel, a plain text letter about wombats."}
    app = secretariat.put_application(application(documents=docs), files, now=NOW)
    assert secretariat.read_document(APP_ID, "documents/letter.txt") == files["documents/letter.txt"]
    assert secretariat.search("wombats") == []
    seal_application(people, tmp_path / "a", app=app, files=files)
    result = member.import_bundle(tmp_path / "a", now=NOW)
    assert result.status == "imported" and result.reason == result.message
    assert [d.media_type for d in member.documents(APP_ID)] == ["application/pdf", "text/plain"]


def test_a_failed_init_leaves_no_profile_behind(people, tmp_path, monkeypatch):
    import errno

    from panel_desk.core.store import StoreError, profile_exists, workspace

    def disk_full(path, data, mode=0o600):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(workspace, "_write_new_file", disk_full)
    with pytest.raises(StoreError, match="The disk is full"):
        init_profile(tmp_path / "p", people.rita.file, PASS)
    assert not profile_exists(tmp_path / "p")
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == ["bundles"]


def test_a_failed_put_application_leaves_no_sealed_file(secretariat, monkeypatch):
    from panel_desk.core.store import search as search_module

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(search_module, "index_pages", broken)
    with pytest.raises(RuntimeError):
        secretariat.put_application(application(), files_for(), now=NOW)
    assert list(secretariat.bundles_dir.iterdir()) == []
    assert secretariat.applications() == []


def test_cancel_while_decrypting_changes_nothing(member, app_bundle):
    from panel_desk.core.errors import Cancelled

    answers = iter([False, False] + [True] * 1000)
    with pytest.raises(Cancelled):
        member.import_bundle(app_bundle, now=NOW, cancel=lambda: next(answers))
    assert member.applications() == [] and list(member.bundles_dir.iterdir()) == []


def test_connect_refuses_a_short_key_and_a_missing_folder(tmp_path):
    from panel_desk.core.store import StoreError, _db

    with pytest.raises(ValueError, match="32 bytes"):
        _db.connect(tmp_path / "s.db", b"short")
    with pytest.raises(StoreError, match="cannot be opened"):
        _db.connect(tmp_path / "missing" / "s.db", bytes(32))


def test_without_hard_links_files_are_renamed_into_place(member, app_bundle, monkeypatch, people, tmp_path):
    import errno
    import os

    def no_links(source, target):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    assert member.import_bundle(app_bundle, now=NOW).status == "imported"
    assert len(list(member.bundles_dir.iterdir())) == 1
    ws = init_profile(tmp_path / "fat", people.colin.file, PASS)
    assert (tmp_path / "fat" / "identity.age").read_bytes() == people.colin.file.read_bytes()
    ws.close()
    from panel_desk.core.store._tx import publish as _publish

    (tmp_path / "a").write_bytes(b"a")
    (tmp_path / "b").write_bytes(b"b")
    with pytest.raises(FileExistsError):
        _publish(tmp_path / "a", tmp_path / "b")
    monkeypatch.setattr(os, "link", lambda s, t: (_ for _ in ()).throw(OSError(errno.EIO, "I/O error")))
    with pytest.raises(OSError, match="I/O error"):
        _publish(tmp_path / "a", tmp_path / "c")

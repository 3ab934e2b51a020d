"""Sealing and opening real bundles: what comes out is what went in, read lazily."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import timedelta

import pytest
from bundle_helpers import APP_ID, NOW, seal_withdrawal

from panel_desk.core import age, bundle
from panel_desk.core.appdir import load_application_dir
from panel_desk.core.errors import Cancelled, InvalidInput, NotFound
from panel_desk.core.model import Application


def test_application_bundle_round_trips(people, tmp_path, example_application):
    app, files = load_application_dir(example_application)
    app = app.with_id()
    out = tmp_path / "app.pdbundle"
    titles = {d.path: d.title for d in app.documents}
    sealed = bundle.seal(bundle.Kind.APPLICATION, application_id=app.id, revision=app.revision,
                         payload=app.model_dump(mode="json"), files=files, titles=titles,
                         signer=people.secretariat, recipients=[people.reader.card, people.colleague.card],
                         out=out, form=("panel-advice", 1), now=NOW)
    with bundle.open_bundle(out, people.reader, [people.secretariat.card], now=NOW,
                            expect_kind=bundle.Kind.APPLICATION) as opened:
        assert opened.manifest == sealed
        assert opened.manifest.form_id == "panel-advice" and opened.manifest.form_version == 1
        assert opened.signer == people.secretariat.card
        assert isinstance(opened.payload, Application) and opened.payload.id == app.id
        for entry in opened.manifest.files:
            assert opened.read(entry.path) == files[entry.path].read_bytes()
            assert entry.title == titles[entry.path] and entry.media_type == "application/pdf"
    # the colleague can open it too; the signer is not a recipient unless listed
    bundle.open_bundle(out, people.colleague, [people.secretariat.card], now=NOW).close()
    with pytest.raises(bundle.NotAddressedToYou):
        bundle.open_bundle(out, people.secretariat, [people.secretariat.card], now=NOW)


def test_member_file_is_seekable(people, tmp_path, big_document):
    out = tmp_path / "b.pdbundle"
    seal_withdrawal(people, out, files={"doc.pdf": big_document, "empty.txt": b""})
    with bundle.open_bundle(out, people.reader, [people.secretariat.card], now=NOW) as opened:
        f = opened.open("doc.pdf")
        assert f.seekable()
        f.seek(150_000)
        assert f.read(100) == big_document[150_000:150_100]
        f.seek(-10, io.SEEK_END)
        assert f.read() == big_document[-10:]
        f.seek(0)
        assert f.read() == big_document
        assert opened.read("empty.txt") == b""
        with pytest.raises(NotFound):
            opened.open("nope.pdf")
        with pytest.raises(NotFound):
            opened.read("manifest.json")


def test_reading_one_file_decrypts_only_its_chunks(people, tmp_path):
    files = {f"documents/{i:03}.pdf": bytes([i]) * 70_000 for i in range(60)}  # ~64 chunks in all
    out = tmp_path / "many.pdbundle"
    seal_withdrawal(people, out, files=files)
    with bundle.open_bundle(out, people.reader, [people.secretariat.card], now=NOW) as opened:
        before = opened.chunks_decrypted
        assert opened.read("documents/031.pdf") == files["documents/031.pdf"]
        assert opened.chunks_decrypted - before <= 3  # 70,000 bytes straddle at most 3 chunks
        assert opened.chunks_decrypted <= 5


def test_seal_writes_only_ciphertext_and_leaves_nothing_else(people, tmp_path):
    out = tmp_path / "b.pdbundle"
    seal_withdrawal(people, out, files={"secret.txt": b"the children's names"})
    assert [p.name for p in tmp_path.iterdir()] == ["b.pdbundle"]
    data = out.read_bytes()
    assert data.startswith(b"age-encryption.org/v1\n")
    assert b"children" not in data and b"manifest" not in data


def test_cancelled_seal_leaves_no_file(people, tmp_path, big_document):
    out = tmp_path / "b.pdbundle"
    with pytest.raises(Cancelled):
        seal_withdrawal(people, out, files={"doc.pdf": big_document}, cancel=lambda: True)
    assert list(tmp_path.iterdir()) == []
    doc = tmp_path / "doc.pdf"
    doc.write_bytes(big_document)
    with pytest.raises(Cancelled):  # while the files are being hashed
        seal_withdrawal(people, out, files={"doc.pdf": doc}, cancel=lambda: True)
    assert [p.name for p in tmp_path.iterdir()] == ["doc.pdf"]


def test_seal_reports_progress_and_replaces_atomically(people, tmp_path, big_document):
    out = tmp_path / "b.pdbundle"
    out.write_bytes(b"old")
    seen: list[int] = []
    seal_withdrawal(people, out, files={"doc.pdf": big_document}, progress=seen.append)
    assert seen and seen[-1] >= len(big_document)
    opened_progress: list[int] = []
    bundle.open_bundle(out, people.reader, [people.secretariat.card], now=NOW, progress=opened_progress.append).close()
    assert opened_progress[-1] >= len(big_document)


def test_files_on_disk_are_sealed_as_read(people, tmp_path, big_document):
    doc = tmp_path / "doc.pdf"
    doc.write_bytes(big_document)
    out = tmp_path / "b.pdbundle"
    seal_withdrawal(people, out, files={"documents/doc.pdf": doc})
    with bundle.open_bundle(out, people.reader, [people.secretariat.card], now=NOW) as opened:
        assert opened.read("documents/doc.pdf") == big_document


def test_cancelled_open_raises_cancelled(people, tmp_path, big_document):
    out = tmp_path / "b.pdbundle"
    seal_withdrawal(people, out, files={"doc.pdf": big_document})
    with pytest.raises(Cancelled):
        bundle.open_bundle(out, people.reader, [people.secretariat.card], now=NOW, cancel=lambda: True)


def test_armored_bundle_opens(people, tmp_path):
    out = tmp_path / "b.pdbundle"
    seal_withdrawal(people, out)
    plain = age.decrypt_bytes(people.reader.age_identities, out.read_bytes())
    armored = tmp_path / "b.txt"
    armored.write_bytes(age.encrypt_bytes([people.reader.card.recipient, people.colleague.card.recipient], plain,
                                          armor=True))
    info = bundle.inspect(armored)
    assert info.armored and info.recipients == 2
    with bundle.open_bundle(armored, people.reader, [people.secretariat.card], now=NOW) as opened:
        assert opened.read("letter.txt") == b"withdrawn"


def test_inspect_tells_what_it_can_without_keys(people, tmp_path):
    out = tmp_path / "b.pdbundle"
    seal_withdrawal(people, out)
    info = bundle.inspect(out)
    assert info.size == out.stat().st_size
    # everyone on this panel has post-quantum keys, so the bundle uses hybrid recipients only
    assert (info.armored, info.recipients, info.stanza_types) == (False, 2, ("mlkem768x25519",) * 2)
    assert info.post_quantum and info.protection.startswith("post-quantum")
    (tmp_path / "junk").write_bytes(b"hello")
    with pytest.raises(bundle.Damaged):
        bundle.inspect(tmp_path / "junk")
    with pytest.raises(NotFound):
        bundle.inspect(tmp_path / "missing")


@pytest.mark.parametrize(("change", "message"), [
    ({"files": {"../evil": b"x"}}, "relative path"),
    ({"files": {"manifest.json": b"x"}}, "keeps for itself"),
    ({"files": {"A.txt": b"x", "a.txt": b"y"}}, "same name"),
    ({"recipients": []}, "at least one recipient"),
    ({"titles": {"nope.pdf": "Nope"}}, "not in the bundle"),
    ({"expires_at": NOW - timedelta(days=1)}, "future"),
])
def test_seal_refuses_what_it_cannot_seal(people, tmp_path, change, message):
    with pytest.raises(InvalidInput, match=message):
        seal_withdrawal(people, tmp_path / "b.pdbundle", **change)
    assert list(tmp_path.iterdir()) == []


def test_seal_refuses_a_payload_that_is_not_its_kind(people, tmp_path):
    with pytest.raises(InvalidInput, match="missing"):
        bundle.seal(bundle.Kind.APPLICATION, application_id=APP_ID, revision=1, payload={"reason": "x"},
                    files={}, signer=people.secretariat, recipients=[people.reader.card], out=tmp_path / "b")
    with pytest.raises(InvalidInput, match="not a kind"):
        bundle.seal("letter", application_id=APP_ID, revision=1, payload={}, files={},
                    signer=people.secretariat, recipients=[people.reader.card], out=tmp_path / "b")


def test_seal_refuses_an_application_whose_documents_are_not_carried(people, tmp_path, example_application):
    app, files = load_application_dir(example_application)
    app = app.with_id()
    files.pop("documents/application.pdf")
    with pytest.raises(InvalidInput, match="not in the bundle"):
        bundle.seal(bundle.Kind.APPLICATION, application_id=app.id, revision=1, payload=app.model_dump(mode="json"),
                    files=files, signer=people.secretariat, recipients=[people.reader.card], out=tmp_path / "b")
    with pytest.raises(InvalidInput, match=f"about application {app.id}, not another"):
        bundle.seal(bundle.Kind.APPLICATION, application_id="another-2026-0000", revision=1,
                    payload=app.model_dump(mode="json"), files=files, signer=people.secretariat,
                    recipients=[people.reader.card], out=tmp_path / "b")


def test_file_changing_while_sealed_is_refused(people, tmp_path, monkeypatch):
    from panel_desk.core.bundle import _zip

    doc = tmp_path / "doc.pdf"
    doc.write_bytes(b"%PDF-1 original")
    real = _zip.digest_source

    def digest_then_change(source, *args, **kwargs):
        result = real(source, *args, **kwargs)
        doc.write_bytes(b"%PDF-1 changed!")  # same size, other bytes
        return result

    monkeypatch.setattr(_zip, "digest_source", digest_then_change)
    with pytest.raises(InvalidInput, match="changed while it was being sealed"):
        seal_withdrawal(people, tmp_path / "b.pdbundle", files={"doc.pdf": doc})
    assert [p.name for p in tmp_path.iterdir()] == ["doc.pdf"]


def test_seal_refuses_what_it_could_not_read_back(people, tmp_path, monkeypatch):
    from panel_desk.core.bundle import _manifest

    monkeypatch.setattr(_manifest, "MAX_MANIFEST_BYTES", 100)
    with pytest.raises(InvalidInput, match="cannot be sealed"):
        seal_withdrawal(people, tmp_path / "b.pdbundle")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("limit", "value", "files", "message"), [
    ("MAX_FILES", 2, {"a": b"1", "b": b"2", "c": b"3"}, "at most 2 files"),
    ("MAX_FILE_SIZE", 10, {"a": b"x" * 11}, "larger than a bundle can carry"),
    ("MAX_TOTAL_SIZE", 15, {"a": b"x" * 10, "b": b"y" * 10}, "more than a bundle can carry"),
])
def test_seal_refuses_more_than_a_bundle_may_carry(people, tmp_path, monkeypatch, limit, value, files, message):
    from panel_desk.core.bundle import _zip

    monkeypatch.setattr(_zip, limit, value)
    with pytest.raises(InvalidInput, match=message):
        seal_withdrawal(people, tmp_path / "b.pdbundle", files=files)


def test_seal_refuses_too_many_or_repeated_recipients(people, tmp_path):
    with pytest.raises(InvalidInput, match="at most 20 people"):
        seal_withdrawal(people, tmp_path / "b", recipients=[people.reader.card] * 21)
    with pytest.raises(InvalidInput, match="listed twice"):
        seal_withdrawal(people, tmp_path / "b", recipients=[people.reader.card, people.reader.card])


def test_seal_into_a_missing_folder_or_from_a_missing_file(people, tmp_path):
    with pytest.raises(NotFound, match="does not exist"):
        seal_withdrawal(people, tmp_path / "no" / "b.pdbundle")
    with pytest.raises(NotFound, match="no file"):
        seal_withdrawal(people, tmp_path / "b.pdbundle", files={"a.pdf": tmp_path / "missing.pdf"})
    with pytest.raises(InvalidInput, match="Cannot read"):
        seal_withdrawal(people, tmp_path / "b.pdbundle", files={"a.pdf": tmp_path})


def test_seal_refuses_an_application_whose_document_differs(people, tmp_path, example_application):
    app, files = load_application_dir(example_application)
    app = app.with_id()
    files["documents/application.pdf"] = b"%PDF-1 something else"
    with pytest.raises(InvalidInput, match="not the one the application describes"):
        bundle.seal(bundle.Kind.APPLICATION, application_id=app.id, revision=1, payload=app.model_dump(mode="json"),
                    files=files, signer=people.secretariat, recipients=[people.reader.card], out=tmp_path / "b")


def test_open_missing_file_or_folder(people, tmp_path):
    with pytest.raises(NotFound):
        bundle.open_bundle(tmp_path / "missing", people.reader, [])
    with pytest.raises(InvalidInput, match="folder"):
        bundle.open_bundle(tmp_path, people.reader, [])
    with pytest.raises(InvalidInput, match="folder"):
        bundle.inspect(tmp_path)


def test_bundle_changed_on_disk_after_opening_is_refused_on_read(people, tmp_path, big_document):
    out = tmp_path / "b.pdbundle"
    seal_withdrawal(people, out, files={"doc.pdf": big_document})
    with bundle.open_bundle(out, people.reader, [people.secretariat.card], now=NOW) as opened:
        with out.open("r+b") as f:  # in place, so the open file sees it
            f.seek(-50_000, io.SEEK_END)
            f.write(b"\0" * 100)
        f = opened.open("doc.pdf")
        with pytest.raises(bundle.Damaged, match="changed on disk"):
            opened.read("doc.pdf")
        with pytest.raises(bundle.Damaged, match="changed on disk"):
            f.seek(150_000)
            f.read(10)


def test_member_file_seeks_every_way(people, tmp_path):
    out = tmp_path / "b.pdbundle"
    seal_withdrawal(people, out, files={"a.txt": b"0123456789"})
    with bundle.open_bundle(out, people.reader, [people.secretariat.card], now=NOW) as opened:
        buffered = opened.open("a.txt")
        raw = buffered.raw
        raw.seek(2)
        raw.seek(3, io.SEEK_CUR)
        assert raw.tell() == 5 and raw.read(2) == b"56"
        raw.seek(20)
        assert raw.read(5) == b"" and raw.readall() == b""
        with pytest.raises(ValueError):
            raw.seek(-1)
        with pytest.raises(ValueError):
            raw.seek(0, 7)
        raw.close()
        with pytest.raises(ValueError):
            raw.readinto(bytearray(2))
        assert opened.manifest.file("a.txt").size == 10
        with pytest.raises(NotFound):
            opened.manifest.file("b.txt")


@pytest.mark.skipif(shutil.which("age") is None, reason="the reference age tool is not installed")
def test_bundle_encrypted_by_the_reference_age_tool_opens(people, tmp_path):
    out = tmp_path / "b.pdbundle"
    seal_withdrawal(people, out, files={"letter.txt": b"withdrawn"})
    plain = age.decrypt_bytes(people.reader.age_identities, out.read_bytes())
    again = tmp_path / "again.pdbundle"
    subprocess.run(["age", "-e", "-r", people.reader.card.age_recipient, "-r", people.colleague.card.age_recipient,
                    "-o", str(again)], input=plain, check=True)
    with bundle.open_bundle(again, people.reader, [people.secretariat.card], now=NOW) as opened:
        assert opened.read("letter.txt") == b"withdrawn"


def test_seal_refuses_a_revision_below_one(people, tmp_path):
    with pytest.raises(InvalidInput, match="cannot be sealed"):
        bundle.seal(bundle.Kind.WITHDRAWAL, application_id=APP_ID, revision=0, payload={"reason": "x"},
                    files={}, signer=people.secretariat, recipients=[people.reader.card], out=tmp_path / "b")


def test_a_failed_write_while_sealing_is_one_plain_error(people, tmp_path, monkeypatch):
    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(age, "encrypt", disk_full)
    with pytest.raises(InvalidInput, match="No space left"):
        seal_withdrawal(people, tmp_path / "b.pdbundle")
    assert list(tmp_path.iterdir()) == []


def test_damaged_text_form_bundle_is_refused(people, tmp_path):
    out = tmp_path / "b.pdbundle"
    seal_withdrawal(people, out)
    plain = age.decrypt_bytes(people.reader.age_identities, out.read_bytes())
    text = age.encrypt_bytes([people.reader.card.recipient], plain, armor=True).decode()
    lines = text.splitlines()
    lines[2] = "!" + lines[2][1:]
    armored = tmp_path / "b.txt"
    armored.write_text("\n".join(lines) + "\n")
    with pytest.raises(bundle.Damaged):
        bundle.open_bundle(armored, people.reader, [people.secretariat.card], now=NOW)


def test_seal_refuses_a_revision_other_than_the_payloads(people, tmp_path, example_application):
    app, files = load_application_dir(example_application)
    app = app.with_id()
    with pytest.raises(InvalidInput, match="revision 1, but the bundle says revision 2"):
        bundle.seal(bundle.Kind.APPLICATION, application_id=app.id, revision=2, payload=app.model_dump(mode="json"),
                    files=files, signer=people.secretariat, recipients=[people.reader.card], out=tmp_path / "b")


def test_documents_from_another_bundle_are_sealed_through_openers(people, tmp_path, big_document):
    """A document decrypted lazily from a stored bundle is sealed without being read whole (issue 13)."""
    stored = tmp_path / "stored.pdbundle"
    seal_withdrawal(people, stored, files={"documents/doc.pdf": big_document}, recipients=[people.reader.card])
    out = tmp_path / "again.pdbundle"
    with bundle.open_bundle(stored, people.reader, [people.secretariat.card], now=NOW) as held:
        opened_times = []

        def opener():
            opened_times.append(1)
            return held.open("documents/doc.pdf")

        bundle.seal(bundle.Kind.WITHDRAWAL, application_id=APP_ID, revision=1, payload={"reason": "Again."},
                    files={"documents/doc.pdf": opener}, signer=people.secretariat,
                    recipients=[people.colleague.card], out=out, now=NOW)
    assert len(opened_times) == 2  # once to hash it, once to write it
    with bundle.open_bundle(out, people.colleague, [people.secretariat.card], now=NOW) as opened:
        assert opened.read("documents/doc.pdf") == big_document


def test_an_opener_whose_file_changes_between_the_two_readings_is_refused(people, tmp_path):
    versions = iter([b"%PDF-1.7 first", b"%PDF-1.7 other"])
    out = tmp_path / "changed.pdbundle"
    with pytest.raises(InvalidInput, match=r"documents/doc\.pdf changed while it was being sealed"):
        bundle.seal(bundle.Kind.WITHDRAWAL, application_id=APP_ID, revision=1, payload={"reason": "x"},
                    files={"documents/doc.pdf": lambda: io.BytesIO(next(versions))}, signer=people.secretariat,
                    recipients=[people.reader.card], out=out, now=NOW)
    assert not out.exists()


def test_seal_refuses_a_payload_past_the_manifests_bounds(people, tmp_path):
    """What the reader would refuse is never written: a reason of more than 200,000 characters, say."""
    with pytest.raises(InvalidInput, match="no text longer than 200,000 characters, nested at most 16 deep"):
        bundle.seal(bundle.Kind.WITHDRAWAL, application_id=APP_ID, revision=1, payload={"reason": "x" * 200_001},
                    files={}, signer=people.secretariat, recipients=[people.reader.card], out=tmp_path / "b.pdbundle",
                    now=NOW)
    assert list(tmp_path.iterdir()) == []

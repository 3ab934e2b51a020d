"""Every way a bundle can be wrong is refused with a typed error, each built from a real bundle.

Byte-level cases mutate a real sealed file; ZIP- and manifest-level cases forge a bundle by hand
(a malicious ZIP, a validly signed manifest, real age encryption) so the refusal tested is the
bundle layer's, not age's.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from bundle_helpers import NOW, make_zip, seal_withdrawal, signed_parts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from panel_desk.core import age, bundle
from panel_desk.core.bundle import _zip
from panel_desk.core.errors import PanelDeskError

ENC_CHUNK = age.CHUNK_SIZE + 16


def _open(path: Path, people, **kwargs):
    kwargs.setdefault("now", NOW)
    return bundle.open_bundle(path, people.reader, kwargs.pop("trusted", [people.secretariat.card]), **kwargs)


@pytest.fixture(scope="module")
def real(people, tmp_path_factory, big_document) -> bytes:
    """A real bundle of 4 chunks: the reader and a colleague are recipients."""
    out = tmp_path_factory.mktemp("real") / "real.pdbundle"
    seal_withdrawal(people, out, files={"documents/doc.pdf": big_document, "letter.txt": b"withdrawn"})
    data = out.read_bytes()
    assert len(_chunks(data)[1]) == 4
    return data


def _chunks(data: bytes) -> tuple[bytes, list[bytes]]:
    """Split an age file into its header+nonce and its encrypted chunks."""
    end = data.index(b"\n--- ") + 1
    end = data.index(b"\n", end) + 1 + 16
    payload = data[end:]
    return data[:end], [payload[i:i + ENC_CHUNK] for i in range(0, len(payload), ENC_CHUNK)]


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "mutated.pdbundle"
    path.write_bytes(data)
    return path


def test_the_unmutated_bundle_opens(people, tmp_path, real):
    with _open(_write(tmp_path, real), people) as opened:
        assert opened.read("letter.txt") == b"withdrawn"


# --- byte-level damage --------------------------------------------------------------------------


def _flip(data: bytes, at: int) -> bytes:
    out = bytearray(data)
    out[at] ^= 0x01
    return bytes(out)


@pytest.mark.parametrize("where", ["version line", "stanza body", "header mac", "nonce",
                                   "first chunk", "middle chunk", "chunk tag", "last byte"])
def test_fail_flipped_byte(people, tmp_path, real, where):
    header = _chunks(real)[0]
    mac_at = real.index(b"\n--- ") + 6
    positions = {
        "version line": 3,
        "stanza body": real.index(b"\n", real.index(b"\n-> ") + 1) + 5,
        "header mac": mac_at + 4,
        "nonce": len(header) - 3,
        "first chunk": len(header) + 100,
        "middle chunk": len(header) + ENC_CHUNK + 30_000,
        "chunk tag": len(header) + ENC_CHUNK - 2,
        "last byte": len(real) - 1,
    }
    with pytest.raises(bundle.BundleError):
        _open(_write(tmp_path, _flip(real, positions[where])), people)


@pytest.mark.parametrize("cut", [0, 10, "header", "one chunk", "mid chunk", "last chunk minus one"])
def test_fail_truncated(people, tmp_path, real, cut):
    header = _chunks(real)[0]
    length = {"header": len(header) - 1, "one chunk": len(header) + ENC_CHUNK,
              "mid chunk": len(header) + 2 * ENC_CHUNK + 500, "last chunk minus one": len(real) - 1}.get(cut, cut)
    with pytest.raises(bundle.Damaged):
        _open(_write(tmp_path, real[:length]), people)


@pytest.mark.parametrize("order", [(1, 0, 2, 3), (0, 2, 1, 3), (0, 1, 2, 2, 3), (0, 0, 1, 2, 3), (0, 1, 3)])
def test_fail_reordered_or_duplicated_chunks(people, tmp_path, real, order):
    header, chunks = _chunks(real)
    with pytest.raises(bundle.Damaged):
        _open(_write(tmp_path, header + b"".join(chunks[i] for i in order)), people)


@pytest.mark.parametrize("extra", [b"\x00", b"x" * 100, b"y" * ENC_CHUNK])
def test_fail_trailing_data(people, tmp_path, real, extra):
    with pytest.raises(bundle.Damaged):
        _open(_write(tmp_path, real + extra), people)


def test_fail_chunk_from_another_bundle(people, tmp_path, real, big_document):
    other = tmp_path / "other.pdbundle"
    seal_withdrawal(people, other, files={"documents/doc.pdf": big_document, "letter.txt": b"withdrawn"})
    header, chunks = _chunks(real)
    _, other_chunks = _chunks(other.read_bytes())
    with pytest.raises(bundle.Damaged):
        _open(_write(tmp_path, header + chunks[0] + other_chunks[1] + b"".join(chunks[2:])), people)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fail_any_random_damage(people, tmp_path, real, data):
    """Random flips and cuts anywhere are always refused with a BundleError, never misread."""
    mutated = bytearray(real)
    how = data.draw(st.sampled_from(["flip", "cut", "flip-and-cut", "insert"]))
    if how in ("flip", "flip-and-cut"):
        for at in data.draw(st.lists(st.integers(0, len(real) - 1), min_size=1, max_size=4, unique=True)):
            mutated[at] ^= data.draw(st.integers(1, 255))
    if how in ("cut", "flip-and-cut"):
        del mutated[data.draw(st.integers(0, len(real) - 1)):]
    if how == "insert":
        at = data.draw(st.integers(0, len(real)))
        mutated[at:at] = data.draw(st.binary(min_size=1, max_size=32))
    try:
        _open(_write(tmp_path, bytes(mutated)), people).close()
    except bundle.BundleError:
        return
    pytest.fail(f"a damaged bundle ({how}) was opened")


# --- who may open it, and who made it ------------------------------------------------------------


def test_fail_not_addressed_to_you(people, tmp_path, real):
    with pytest.raises(bundle.NotAddressedToYou, match="not addressed to you"):
        bundle.open_bundle(_write(tmp_path, real), people.outsider, [people.secretariat.card], now=NOW)


def test_fail_signed_by_someone_not_trusted(people, tmp_path, real):
    path = _write(tmp_path, real)
    with pytest.raises(bundle.UntrustedSigner, match="not been asked to trust"):
        _open(path, people, trusted=[people.colleague.card])
    with pytest.raises(bundle.UntrustedSigner):
        _open(path, people, trusted=[])


def test_fail_signed_by_an_outsider_claiming_to_be_the_secretariat(people, forge):
    path = forge(sign_with=people.outsider,
                 mangle_manifest=lambda m: m.update(creator=people.secretariat.fingerprint))
    with pytest.raises(bundle.Damaged, match="changed after it was signed"):
        _open(path, people)


def test_fail_manifest_lists_other_recipients_than_the_header(people, forge):
    # the manifest says reader + colleague, but the file is encrypted to the reader alone
    path = forge(mangle_manifest=lambda m: m.update(recipients=[people.reader.fingerprint,
                                                                people.colleague.fingerprint]))
    with pytest.raises(bundle.RecipientMismatch):
        _open(path, people)


def test_fail_manifest_does_not_list_the_reader(people, forge):
    path = forge(mangle_manifest=lambda m: m.update(recipients=[people.colleague.fingerprint]))
    with pytest.raises(bundle.RecipientMismatch, match="does not list you"):
        _open(path, people)


def test_fail_manifest_lists_a_recipient_twice(people, forge):
    path = forge(encrypt_to=[people.reader.card, people.colleague.card],
                 mangle_manifest=lambda m: m.update(recipients=[people.reader.fingerprint] * 2))
    with pytest.raises(bundle.RecipientMismatch):
        _open(path, people)


def test_fail_passphrase_protected_file_is_not_a_bundle(people, tmp_path):
    path = _write(tmp_path, age.encrypt_bytes([age.ScryptRecipient("pw", work_factor=2)], make_zip([])))
    with pytest.raises(bundle.RecipientMismatch):
        _open(path, people)


def test_fail_expired(people, tmp_path):
    path = tmp_path / "b.pdbundle"
    seal_withdrawal(people, path, expires_at=NOW + timedelta(days=30))
    _open(path, people, now=NOW + timedelta(days=29)).close()
    with pytest.raises(bundle.Expired, match="expired on 23 December 2026"):
        _open(path, people, now=NOW + timedelta(days=30))


def test_fail_unsupported_version(people, forge):
    with pytest.raises(bundle.UnsupportedVersion, match="newer version"):
        _open(forge(mangle_manifest=lambda m: m.update(format=2)), people)
    with pytest.raises(bundle.UnsupportedVersion):
        _open(forge(mangle_manifest=lambda m: m.update(kind="minutes")), people)


def test_fail_wrong_kind(people, tmp_path, real):
    with pytest.raises(bundle.WrongKind, match="withdrawal of an application, not an application"):
        _open(_write(tmp_path, real), people, expect_kind=bundle.Kind.APPLICATION)


@pytest.mark.parametrize("mangle", [
    lambda m: m.update(payload={"reason": ""}),
    lambda m: m.update(payload={"why": "x"}),
    lambda m: m.update(revision=0),
    lambda m: m.update(extra_field=1),
    lambda m: m.update(created_at="2026-11-23T12:00:00+00:00"),  # valid, but not as Panel Desk writes it
])
def test_fail_invalid_signed_manifest(people, forge, mangle):
    with pytest.raises(bundle.Damaged):
        _open(forge(mangle_manifest=mangle), people)


def test_fail_manifest_not_canonical(people, tmp_path):
    manifest, _ = signed_parts(people, {"letter.txt": b"withdrawn"})
    pretty = manifest.replace(b",", b", ")
    sig = people.secretariat.sign_dual(pretty, bundle.MANIFEST_DOMAIN)
    zip_bytes = make_zip([("manifest.json", pretty), ("manifest.sig", sig), ("letter.txt", b"withdrawn")])
    path = _write(tmp_path, age.encrypt_bytes([people.reader.card.recipient], zip_bytes))
    with pytest.raises(bundle.Damaged, match="cannot be read"):
        _open(path, people)


def test_fail_file_content_differs_from_manifest(people, forge):
    with pytest.raises(bundle.Damaged):
        _open(forge(members=[("letter.txt", b"withdrawN")]), people)
    with pytest.raises(bundle.Damaged):
        _open(forge(members=[("letter.txt", b"withdrawn!")]), people)


def test_fail_file_missing_or_extra(people, forge):
    with pytest.raises(bundle.Damaged):
        _open(forge(members=[]), people)
    with pytest.raises(bundle.UnsafeContent, match="does not mention"):
        _open(forge(members=[("letter.txt", b"withdrawn"), ("virus.exe", b"MZ")]), people)


def test_fail_manifest_or_signature_not_first(people, tmp_path):
    manifest, sig = signed_parts(people, {"letter.txt": b"withdrawn"})
    for members in ([("manifest.sig", sig), ("manifest.json", manifest), ("letter.txt", b"withdrawn")],
                    [("letter.txt", b"withdrawn"), ("manifest.json", manifest), ("manifest.sig", sig)],
                    [("manifest.json", manifest), ("manifest.sig", sig[:63]), ("letter.txt", b"withdrawn")]):
        path = _write(tmp_path, age.encrypt_bytes([people.reader.card.recipient], make_zip(members)))
        with pytest.raises(bundle.Damaged):
            _open(path, people)


# --- unsafe ZIPs ----------------------------------------------------------------------------------


def _forged_zip(people, tmp_path, listed: dict[str, bytes], members: list[tuple[str, bytes]] | None = None,
                zip_bytes: bytes | None = None) -> Path:
    """A validly signed manifest listing ``listed``; the ZIP holds ``members`` (or is ``zip_bytes``)."""
    manifest, sig = signed_parts(people, listed)
    if zip_bytes is None:
        zip_bytes = make_zip([("manifest.json", manifest), ("manifest.sig", sig), *(members or listed.items())])
    return _write(tmp_path, age.encrypt_bytes([people.reader.card.recipient], zip_bytes))


@pytest.mark.parametrize("name", ["/etc/passwd", "../evil.pdf", "documents/../../evil.pdf", "a\\b.pdf",
                                  "C:/evil.pdf", "documents//x.pdf", "./x.pdf", "dir/", "bell\x07.pdf"])
def test_fail_unsafe_name_in_zip(people, tmp_path, name):
    path = _forged_zip(people, tmp_path, {"safe.pdf": b"x"}, [(name, b"x")])
    with pytest.raises(bundle.UnsafeContent, match="unsafe name"):
        _open(path, people)


@pytest.mark.parametrize("name", ["/etc/passwd", "../evil.pdf"])
def test_fail_unsafe_name_in_manifest(people, tmp_path, name):
    path = _forged_zip(people, tmp_path, {name: b"x"})
    with pytest.raises(bundle.UnsafeContent, match="unsafe name"):
        _open(path, people)


@pytest.mark.parametrize("dupe", ["a.pdf", "A.PDF"])
def test_fail_duplicate_names(people, tmp_path, dupe):
    path = _forged_zip(people, tmp_path, {"a.pdf": b"x"}, [("a.pdf", b"x"), (dupe, b"x")])
    with pytest.raises(bundle.UnsafeContent, match="twice"):
        _open(path, people)


def test_fail_too_many_files(people, tmp_path, monkeypatch):
    monkeypatch.setattr(_zip, "MAX_FILES", 3)
    files = {f"{i}.txt": b"x" for i in range(4)}
    with pytest.raises(bundle.UnsafeContent, match="more than 3 files"):
        _open(_forged_zip(people, tmp_path, files), people)
    # the ZIP alone, with a manifest that admits only three
    path = _forged_zip(people, tmp_path, dict(list(files.items())[:3]), list(files.items()))
    with pytest.raises(bundle.UnsafeContent, match="more than 3 files"):
        _open(path, people)


def test_fail_file_over_the_size_cap(people, tmp_path, monkeypatch):
    monkeypatch.setattr(_zip, "MAX_FILE_SIZE", 1000)
    with pytest.raises(bundle.UnsafeContent, match="larger than"):
        _open(_forged_zip(people, tmp_path, {"big.pdf": b"x" * 1001}), people)


def test_fail_total_over_the_cap(people, tmp_path, monkeypatch):
    monkeypatch.setattr(_zip, "MAX_TOTAL_SIZE", 1500)
    with pytest.raises(bundle.UnsafeContent, match="holds more than"):
        _open(_forged_zip(people, tmp_path, {"a.pdf": b"x" * 800, "b.pdf": b"y" * 800}), people)


def test_fail_compression_bomb(people, tmp_path):
    bomb = b"\0" * 10_000_000
    manifest, sig = signed_parts(people, {"bomb.pdf": bomb})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("manifest.json", manifest)
        zf.writestr("manifest.sig", sig)
        zf.writestr("bomb.pdf", bomb, compress_type=zipfile.ZIP_DEFLATED)
    assert len(buf.getvalue()) < 100_000
    path = _forged_zip(people, tmp_path, {}, zip_bytes=buf.getvalue())
    with pytest.raises(bundle.UnsafeContent, match="compressed"):
        _open(path, people)


def test_stored_zip_of_the_same_shape_from_another_tool_opens(people, tmp_path):
    # Python's zipfile writes STORED members with sizes up front and no extras: the same shape
    manifest, sig = signed_parts(people, {"letter.txt": b"withdrawn"})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("manifest.json", manifest)
        zf.writestr("manifest.sig", sig)
        zf.writestr("letter.txt", b"withdrawn")
    with _open(_forged_zip(people, tmp_path, {}, zip_bytes=buf.getvalue()), people) as opened:
        assert opened.read("letter.txt") == b"withdrawn"


def _zip_with_hidden_entry(people) -> bytes:
    """An entry between two listed ones that the central directory leaves out."""
    manifest, sig = signed_parts(people, {"letter.txt": b"withdrawn"})
    honest = make_zip([("manifest.json", manifest), ("manifest.sig", sig), ("letter.txt", b"withdrawn")])
    hidden = make_zip([("hidden.exe", b"MZ")])
    hidden_entry = hidden[:hidden.index(b"PK\x01\x02")]
    cd_at = honest.index(b"PK\x01\x02")
    # put it before the central directory; offsets in the directory are left as they were
    return honest[:cd_at] + hidden_entry + honest[cd_at:]


def _patch_cd(zip_bytes: bytes, field_offset: int, value: bytes) -> bytes:
    """Overwrite a field of the last central directory header."""
    at = zip_bytes.rindex(b"PK\x01\x02") + field_offset
    return zip_bytes[:at] + value + zip_bytes[at + len(value):]


@pytest.mark.parametrize("case", ["hidden entry", "crc differs", "size differs", "offset differs",
                                  "comment", "trailing bytes", "bytes before eocd", "count differs", "garbage first"])
def test_fail_zip_structure(people, tmp_path, case):
    manifest, sig = signed_parts(people, {"letter.txt": b"withdrawn"})
    honest = make_zip([("manifest.json", manifest), ("manifest.sig", sig), ("letter.txt", b"withdrawn")])
    eocd = honest.rindex(b"PK\x05\x06")
    zip_bytes = {
        "hidden entry": lambda: _zip_with_hidden_entry(people),
        "crc differs": lambda: _patch_cd(honest, 16, b"\0\0\0\0"),
        "size differs": lambda: _patch_cd(honest, 24, b"\x0a\0\0\0"),
        "offset differs": lambda: _patch_cd(honest, 42, b"\0\0\0\0"),
        "comment": lambda: honest[:-2] + b"\x02\x00hi",
        "trailing bytes": lambda: honest + b"\0",
        "bytes before eocd": lambda: honest[:eocd] + b"\0" * 4 + honest[eocd:],
        "count differs": lambda: honest[:eocd + 8] + b"\x02\x00\x02\x00" + honest[eocd + 12:],
        "garbage first": lambda: b"MZ\0\0" + honest,
    }[case]()
    with pytest.raises(bundle.BundleError):
        _open(_forged_zip(people, tmp_path, {}, zip_bytes=zip_bytes), people)


def test_errors_are_plain_sentences_without_jargon(people, tmp_path, real):
    errors: list[PanelDeskError] = []
    for attempt in (
        lambda: _open(_write(tmp_path, real[:-1]), people),
        lambda: _open(_write(tmp_path, real), people, trusted=[]),
        lambda: bundle.open_bundle(_write(tmp_path, real), people.outsider, [], now=NOW),
    ):
        with pytest.raises(bundle.BundleError) as info:
            attempt()
        errors.append(info.value)
    for err in errors:
        text = str(err)
        assert text.endswith(".") and "\n" not in text
        assert not any(word in text.lower() for word in ("manifest", "zip", "chunk", "hmac", "stanza"))


def test_a_bundle_is_refused_whole_never_half_opened(people, tmp_path, real):
    """A file refused at its last byte was nonetheless not returned partially."""
    with pytest.raises(bundle.Damaged):
        _open(_write(tmp_path, _flip(real, len(real) - 1)), people)
    assert hashlib.sha256(real).digest()  # the original is unchanged on the fixture side


@pytest.mark.parametrize("mangle", [
    lambda m: m["files"].append(dict(m["files"][0])),
    lambda m: m["files"].append({**m["files"][0], "path": m["files"][0]["path"].upper()}),
    lambda m: m["files"].append({**m["files"][0], "path": "manifest.sig"}),
])
def test_fail_manifest_lists_a_file_twice(people, forge, mangle):
    with pytest.raises(bundle.UnsafeContent, match="twice"):
        _open(forge(mangle_manifest=mangle), people)


@pytest.mark.parametrize("mangle", [
    lambda m: m["files"][0].update(sha256="A" * 64),
    lambda m: m.update(created_at="2026-11-23T12:00:00"),
])
def test_fail_manifest_with_invalid_fields(people, forge, mangle):
    with pytest.raises(bundle.Damaged):
        _open(forge(mangle_manifest=mangle), people)


@pytest.mark.parametrize("manifest", [b"[]", b'{"format":1,"format":1}', b'{"format":1.0}', b'{"format":NaN}',
                                      b"\xff", b"[" * 100_000])
def test_fail_manifest_that_is_not_a_json_object(people, tmp_path, manifest):
    sig = people.secretariat.sign_dual(manifest, bundle.MANIFEST_DOMAIN)
    zip_bytes = make_zip([("manifest.json", manifest), ("manifest.sig", sig)])
    with pytest.raises(bundle.Damaged, match="cannot be read"):
        _open(_forged_zip(people, tmp_path, {}, zip_bytes=zip_bytes), people)


def test_fail_signed_revision_differs_from_the_applications(people, tmp_path, forge, example_application):
    from panel_desk.core.appdir import load_application_dir

    app, files = load_application_dir(example_application)
    app = app.with_id()
    contents = {path: p.read_bytes() for path, p in files.items()}

    def as_application(m: dict) -> None:
        m.update(kind="application", application_id=app.id, revision=2, payload=app.model_dump(mode="json"))

    path = forge(files=contents, mangle_manifest=as_application)
    with pytest.raises(bundle.Damaged, match="revision 1, but the bundle says revision 2"):
        _open(path, people)


def test_fail_signed_revision_differs_from_the_declarations(people, forge):
    declaration = {"application_id": "northshire-2026-ab12", "application_revision": 1,
                   "member": people.reader.fingerprint, "none_to_declare": True}
    path = forge(mangle_manifest=lambda m: m.update(kind="declaration", revision=2, payload=declaration))
    with pytest.raises(bundle.Damaged, match="revision 1, but the bundle says revision 2"):
        _open(path, people)

"""Hostile bundles at import: refusals in words, the batch goes on, wrong clocks cannot block the truth.

Every bundle is real: signed with a test identity, zipped by the project's ZIP writer, encrypted
with age. Profiles are real profiles (SQLCipher, audit log).
"""

from __future__ import annotations

import hashlib
import os
import stat
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hostile import mutated, nested, seal_as_given
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_helpers import (
    APP_ID,
    NOW,
    PASS,
    application,
    declaration,
    draft,
    files_for,
    response,
    seal_application,
    seal_kind,
    signoff,
)

from panel_desk.core import age, bundle
from panel_desk.core.bundle import _zip
from panel_desk.core.bundle._manifest import MANIFEST_DOMAIN
from panel_desk.core.errors import InvalidInput
from panel_desk.core.identity import age_recipients, canonical_json
from panel_desk.core.store import init_profile, open_profile


def forge(manifest: dict, files: dict[str, bytes], *, signer, to, out: Path) -> Path:
    """Seal ``manifest`` exactly as given: signed by ``signer``, zipped and encrypted to ``to``."""
    return seal_as_given(manifest, files, signer=signer.identity, recipients=[to.card], out=out)


def _base(kind: str, payload, *, signer, to, folder: Path) -> tuple[dict, dict[str, bytes]]:
    """A manifest really sealed by bundle.seal, as a dict, with its files."""
    out = folder / f"base-{kind}.pdbundle"
    if kind == "application":
        files = files_for()
        app = application()
        manifest = bundle.seal(kind, application_id=APP_ID, revision=1, payload=app.model_dump(mode="json"),
                               files=files, titles={d.path: d.title for d in app.documents}, signer=signer.identity,
                               recipients=[to.card], out=out, now=NOW)
        return manifest.model_dump(mode="json"), files
    manifest = seal_kind(kind, payload, signer=signer, to=to, out=out)
    return manifest.model_dump(mode="json"), {}


# --- the probe's cases through import ----------------------------------------------------------


def test_import_many_refuses_each_hostile_file_in_words_and_imports_the_rest(member, people, app_bundle, tmp_path):
    base, files = _base("application", None, signer=people.sam, to=people.rita, folder=tmp_path)
    hostile = {
        "nested.pdbundle": {**base, "payload": {**base["payload"], "x": nested(900)}},
        "kind.pdbundle": {**base, "kind": []},
        "revision.pdbundle": {**base, "revision": 2**63},
        "year-1.pdbundle": {**base, "created_at": "0001-01-01T00:00:00+12:00"},
        "year-9999.pdbundle": {**base, "created_at": "9999-12-31T23:59:59-12:00"},
    }
    paths = [forge(m, files, signer=people.sam, to=people.rita, out=tmp_path / name) for name, m in hostile.items()]
    results = member.import_many([*paths, app_bundle], now=NOW)
    assert [r.status for r in results] == ["refused"] * 5 + ["imported"]
    messages = [r.message for r in results[:5]]
    assert "cannot be read" in messages[0]
    assert "of a kind this version of Panel Desk does not know" in messages[1]
    assert "cannot be read" in messages[2]
    assert "before 2016" in messages[3]
    assert "more than a day after the time on this computer (23 November 2026 at 12:00 UTC)" in messages[4]
    assert [a.id for a in member.applications(now=NOW)] == [APP_ID]
    assert member.verify_audit().ok


# --- clock sanity -------------------------------------------------------------------------------


@pytest.fixture
def held(secretariat, people):
    """The secretariat holds revision 1 of the application and has sent it to Rita."""
    secretariat.put_application(application(), files_for(), now=NOW)
    secretariat.record_sent("application", APP_ID, 1, [people.rita.fingerprint], "0" * 32, now=NOW)
    return secretariat


def test_a_declaration_from_a_laptop_in_the_year_9000_does_not_block_the_real_one(held, people, tmp_path):
    year_9000 = datetime(9000, 1, 1, tzinfo=UTC)
    seal_kind("declaration", declaration(people.rita, at=year_9000), signer=people.rita, to=people.sam,
              out=tmp_path / "wrong-clock.pdbundle", now=year_9000)
    refused = held.import_bundle(tmp_path / "wrong-clock.pdbundle", now=NOW)
    assert refused.status == "refused"
    assert refused.message.startswith("A declaration of interests dated 1 January 9000 at 00:00 UTC, more than a day "
                                      "after the time on this computer (23 November 2026 at 12:00 UTC).")
    seal_kind("declaration", declaration(people.rita, interest="Governor of a council school"), signer=people.rita,
              to=people.sam, out=tmp_path / "real.pdbundle")
    real = held.import_bundle(tmp_path / "real.pdbundle", now=NOW)
    assert real.status == "imported", real.message
    assert [d.interests[0].text for d in held.declarations(APP_ID)] == ["Governor of a council school"]


def test_an_application_sealed_on_a_clock_two_days_fast_is_refused_until_this_clock_agrees(member, people, tmp_path):
    fast = datetime(2026, 11, 25, 12, 30, tzinfo=UTC)
    seal_application(people, tmp_path / "fast.pdbundle", now=fast)
    refused = member.import_bundle(tmp_path / "fast.pdbundle", now=NOW)
    assert refused.status == "refused"
    assert "25 November 2026 at 12:30 UTC" in refused.message and "23 November 2026 at 12:00 UTC" in refused.message
    assert member.applications(now=NOW) == []
    assert member.import_bundle(tmp_path / "fast.pdbundle", now=datetime(2026, 11, 25, 9, 0, tzinfo=UTC)).recorded


# --- every shape, into real profiles ------------------------------------------------------------------


_FUZZ = settings(max_examples=25, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                        HealthCheck.data_too_large])


@pytest.mark.parametrize("kind", ["application", "withdrawal", "draft-advice"])
@_FUZZ
@given(data=st.data())
def test_a_member_imports_or_refuses_signed_manifests_of_every_shape(member, people, tmp_path, kind, data):
    payload = {"withdrawal": {"reason": "Withdrawn."}, "draft-advice": draft(), "application": None}[kind]
    base, files = _base(kind, payload, signer=people.sam, to=people.rita, folder=tmp_path)
    try:
        path = forge(data.draw(mutated(base)), files, signer=people.sam, to=people.rita,
                     out=tmp_path / "fuzz.pdbundle")
    except (ValueError, TypeError, RecursionError):  # canonical JSON cannot write it
        return
    result = member.import_bundle(path, now=NOW)  # returns; a traceback fails the test
    assert result.status in ("imported", "superseded", "duplicate", "refused") and result.message


@pytest.mark.parametrize("kind", ["declaration", "response", "signoff"])
@_FUZZ
@given(data=st.data())
def test_the_secretariat_imports_or_refuses_signed_manifests_of_every_shape(held, people, tmp_path, kind, data):
    payload = {"declaration": declaration(people.rita), "response": response(people.rita),
               "signoff": signoff(people.rita)}[kind]
    base, files = _base(kind, payload, signer=people.rita, to=people.sam, folder=tmp_path)
    try:
        path = forge(data.draw(mutated(base)), files, signer=people.rita, to=people.sam,
                     out=tmp_path / "fuzz.pdbundle")
    except (ValueError, TypeError, RecursionError):
        return
    result = held.import_bundle(path, now=NOW)
    assert result.status in ("imported", "superseded", "duplicate", "refused") and result.message


# --- the ZIP's own checks, through import ---------------------------------------------------------


def _patched_external(zip_bytes: bytes, name: bytes, external: int) -> bytes:
    at = 0
    while True:
        at = zip_bytes.index(b"PK\x01\x02", at)
        name_len = int.from_bytes(zip_bytes[at + 28:at + 30], "little")
        if zip_bytes[at + 46:at + 46 + name_len] == name:
            return zip_bytes[:at + 38] + external.to_bytes(4, "little") + zip_bytes[at + 42:]
        at += 4


@pytest.mark.parametrize(("mode", "what"), [
    (stat.S_IFLNK | 0o777, "a symbolic link"),
    (stat.S_IFREG | stat.S_ISUID | 0o755, "setuid"),
    (stat.S_IFDIR | 0o755, "a folder"),
    (stat.S_IFCHR | 0o600, "a device"),
])
def test_entries_that_are_not_plain_files_are_refused(member, people, tmp_path, mode, what):
    doc = files_for()
    base, _ = _base("withdrawal", {"reason": "Withdrawn."}, signer=people.sam, to=people.rita, folder=tmp_path)
    listed = {"letter.pdf": doc[next(iter(doc))]}
    base = {**base, "files": [{"path": "letter.pdf", "sha256": hashlib.sha256(listed["letter.pdf"]).hexdigest(),
                               "size": len(listed["letter.pdf"]), "media_type": "application/pdf", "title": ""}]}
    data = canonical_json(base)
    members = [("manifest.json", data), ("manifest.sig", people.sam.identity.sign_dual(data, MANIFEST_DOMAIN)),
               *listed.items()]
    plain = _zip.ZipSource([_zip.Member(n, d, len(d), zlib.crc32(d)) for n, d in members], NOW).read()
    plain = _patched_external(plain, b"letter.pdf", mode << 16)
    path = tmp_path / "odd.pdbundle"
    path.write_bytes(age.encrypt_bytes(age_recipients([people.rita.card]), plain))
    result = member.import_bundle(path, now=NOW)
    assert result.status == "refused", what
    assert "as something other than a plain file" in result.message


def test_a_member_whose_check_value_is_wrong_is_refused(member, people, tmp_path):
    base, _ = _base("withdrawal", {"reason": "Withdrawn."}, signer=people.sam, to=people.rita, folder=tmp_path)
    data = canonical_json(base)
    signature = people.sam.identity.sign_dual(data, MANIFEST_DOMAIN)
    # the signature's CRC is written wrong in both headers: only a reader that checks CRCs notices
    members = [_zip.Member("manifest.json", data, len(data), zlib.crc32(data)),
               _zip.Member("manifest.sig", signature, len(signature), zlib.crc32(signature) ^ 1)]
    plain = _zip.ZipSource(members, NOW).read()
    path = tmp_path / "crc.pdbundle"
    path.write_bytes(age.encrypt_bytes(age_recipients([people.rita.card]), plain))
    result = member.import_bundle(path, now=NOW)
    assert result.status == "refused" and "check value does not match" in result.message


# --- the profile folder ------------------------------------------------------------------------


def test_profile_folders_are_made_private_on_init_and_on_open(people, tmp_path):
    folder = tmp_path / "shared-looking"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    init_profile(folder, people.rita.file, PASS, [people.sam.card], now=NOW).close()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    os.chmod(folder, 0o755)  # e.g. an older version, or a copy made by hand
    open_profile(folder, PASS).close()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


# --- a fault of ours on one file ----------------------------------------------------------------


def test_a_fault_on_one_file_is_reported_and_the_batch_goes_on(member, people, app_bundle, tmp_path, monkeypatch):
    from panel_desk.core.store import _import
    from panel_desk.core.store._db import StoreError

    bad = tmp_path / "bad.pdbundle"
    bad.write_bytes(app_bundle.read_bytes())
    real_copy = _import._copy

    def copy(source, target, cancel):
        if source == bad:  # stands in for a bug of ours on this one file
            raise RuntimeError("a fault")
        return real_copy(source, target, cancel)

    monkeypatch.setattr(_import, "_copy", copy)
    results = member.import_many([bad, app_bundle], now=NOW)
    assert [r.status for r in results] == ["refused", "imported"]
    assert results[0].message == _import.UNEXPECTED
    assert not list(member.bundles_dir.glob(".incoming-*"))

    def refusing(source, target, cancel):  # a refusal in words from any step is that file's line
        raise InvalidInput(f"Cannot read {source}: Permission denied.")

    monkeypatch.setattr(_import, "_copy", refusing)
    results = member.import_many([bad], now=NOW)
    assert results[0].status == "refused" and results[0].message.endswith(": Permission denied.")

    def full_disk(source, target, cancel):  # the computer's problem, not the file's: it stops the batch
        raise StoreError("The disk is full. Free some space and try again.")

    monkeypatch.setattr(_import, "_copy", full_disk)
    with pytest.raises(StoreError, match="disk is full"):
        member.import_many([app_bundle], now=NOW)

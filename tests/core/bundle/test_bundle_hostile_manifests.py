"""Signed manifests of every shape end in our own refusal types, never in a traceback.

Each bundle here is really sealed: a manifest signed with a test identity's Ed25519 key, a ZIP
written by the project's own ZIP writer, real age encryption to the reader. What is hostile is
the manifest's content (issue 12, point 4), its dates (point 9) or its file names (point 10).
"""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bundle_helpers import APP_ID, NOW, People, forger
from hostile import mutated, nested
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/core, for _workflow
from _workflow import answers

from panel_desk.core import bundle
from panel_desk.core.appdir import load_application_dir
from panel_desk.core.errors import InvalidInput, PanelDeskError
from panel_desk.core.model import ConflictDeclaration, DraftAdvice, Response, SignOff

EXAMPLE = Path(__file__).resolve().parents[3] / "resources" / "examples" / "application"


def _open(path: Path, people: People, now: datetime = NOW):
    return bundle.open_bundle(path, people.reader, [people.secretariat.card], now=now)


def _payloads(people: People) -> dict[bundle.Kind, tuple[dict, dict[str, bytes]]]:
    """A valid payload (and its files) for every kind, as the project's models write them."""
    app, files = load_application_dir(EXAMPLE)
    app = app.with_id()
    data = {path: Path(source).read_bytes() for path, source in files.items()}
    docs = []
    for d in app.documents:
        docs.append({**d.model_dump(mode="json"), "sha256": hashlib.sha256(data[d.path]).hexdigest(),
                     "size": len(data[d.path])})
    application = {**app.model_dump(mode="json"), "documents": docs}
    member = people.secretariat.fingerprint  # the creator, so a payload "in someone else's name" is not the point
    at = NOW - timedelta(hours=1)
    return {
        bundle.Kind.APPLICATION: (application, data),
        bundle.Kind.WITHDRAWAL: ({"reason": "The authority withdrew."}, {}),
        bundle.Kind.DECLARATION: (ConflictDeclaration(application_id=app.id, application_revision=1, member=member,
                                                      none_to_declare=True, declared_at=at).model_dump(mode="json"), {}),
        bundle.Kind.RESPONSE: (Response(application_id=app.id, application_revision=1, member=member,
                                        answers=answers("Sam"), submitted_at=at).model_dump(mode="json"), {}),
        bundle.Kind.DRAFT_ADVICE: (DraftAdvice(application_id=app.id, summary="S", outcomes="O", monitoring="M",
                                               created_at=at).model_dump(mode="json"), {}),
        bundle.Kind.SIGNOFF: (SignOff(application_id=app.id, draft_revision=1, member=member, kind="concur",
                                      signed_at=at).model_dump(mode="json"), {}),
        bundle.Kind.HANDOVER: ({"new_card": json.loads(people.reader.card.to_json()), "effective_at": at.isoformat(),
                                "reason": "A new secretariat officer."}, {}),
    }


@pytest.fixture(scope="module")
def bases(people, tmp_path_factory) -> dict[bundle.Kind, tuple[dict, dict[str, bytes]]]:
    """For every kind: a manifest really sealed by bundle.seal (as a dict) and its files."""
    folder = tmp_path_factory.mktemp("bases")
    out = {}
    for kind, (payload, files) in _payloads(people).items():
        app_id = payload.get("id") or payload.get("application_id") or APP_ID
        manifest = bundle.seal(kind, application_id=app_id, revision=1, payload=payload, files=files,
                               signer=people.secretariat, recipients=[people.reader.card], now=NOW,
                               out=folder / f"{kind.value}.pdbundle")
        with _open(folder / f"{kind.value}.pdbundle", people) as opened:  # the base itself opens
            assert opened.manifest == manifest
        out[kind] = (manifest.model_dump(mode="json"), files)
    return out


# --- the probe's cases, one by one -----------------------------------------------------------------


@pytest.mark.parametrize(("case", "change", "refusal"), [
    ("nested 900 levels", lambda m: m["payload"].update(extra=nested(900)), bundle.Damaged),
    ("kind is a list", lambda m: m.update(kind=[]), bundle.UnsupportedVersion),
    ("kind is an object", lambda m: m.update(kind={"a": 1}), bundle.UnsupportedVersion),
    ("revision 2^63", lambda m: m.update(revision=2**63), bundle.Damaged),
    ("revision past the bound", lambda m: m.update(revision=10_001), bundle.Damaged),
    ("size 2^64", lambda m: m["files"][0].update(size=2**64), bundle.Damaged),
    ("created in year 1, +12:00", lambda m: m.update(created_at="0001-01-01T00:00:00+12:00"), bundle.WrongDate),
    ("created 9999-12-31, -12:00", lambda m: m.update(created_at="9999-12-31T23:59:59-12:00"), bundle.WrongDate),
    ("expires 9999-12-31, -12:00", lambda m: m.update(expires_at="9999-12-31T23:59:59-12:00"), bundle.WrongDate),
    ("an offset of 23:59", lambda m: m.update(created_at="2026-11-23T12:00:00+23:59"), bundle.Damaged),
    ("no time zone", lambda m: m.update(created_at="2026-11-23T12:00:00"), bundle.Damaged),
    ("format true", lambda m: m.update(format=True), bundle.UnsupportedVersion),
    ("a title of a megabyte", lambda m: m["files"][0].update(title="x" * 1_000_000), bundle.Damaged),
    ("a media type with an escape", lambda m: m["files"][0].update(media_type="text/\x1b[2J"), bundle.Damaged),
    ("21 recipients", lambda m: m.update(recipients=m["recipients"] * 21), bundle.Damaged),
])
def test_the_probes_manifests_are_refused_in_words(people, bases, tmp_path, case, change, refusal):
    manifest, files = bases[bundle.Kind.APPLICATION]
    manifest = {**manifest, "payload": dict(manifest["payload"]), "files": [dict(f) for f in manifest["files"]]}
    change(manifest)
    path = forger(people, tmp_path)(files=files, manifest=manifest)
    with pytest.raises(refusal) as caught:
        _open(path, people)
    assert str(caught.value).endswith(".") and "Traceback" not in str(caught.value)


@pytest.mark.parametrize("kind", list(bundle.Kind))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=__import__("hypothesis").strategies.data())
def test_signed_manifests_of_every_shape_end_in_our_refusals(people, bases, tmp_path_factory, kind, data):
    """Any change to a valid, signed manifest either still opens or is refused with a BundleError."""
    base, files = bases[kind]
    manifest = data.draw(mutated(base))
    try:
        path = forger(people, tmp_path_factory.mktemp("fuzz"))(files=files, manifest=manifest)
    except (ValueError, TypeError, RecursionError):  # canonical JSON cannot write it: nothing to open
        return
    try:
        with _open(path, people) as opened:
            assert opened.manifest.kind is not None
    except bundle.BundleError as exc:
        assert str(exc) and "\n" not in str(exc)
    finally:
        path.unlink()


# --- clock sanity -------------------------------------------------------------------------------


def _withdrawal(people, tmp_path, now: datetime) -> Path:
    out = tmp_path / f"w-{now:%Y%m%d%H%M%S}.pdbundle"
    bundle.seal(bundle.Kind.WITHDRAWAL, application_id=APP_ID, revision=1, payload={"reason": "Withdrawn."},
                files={}, signer=people.secretariat, recipients=[people.reader.card], now=now, out=out)
    return out


def test_a_bundle_dated_more_than_a_day_ahead_is_refused_with_both_times(people, tmp_path):
    sender_clock = NOW + timedelta(days=1, hours=1)  # the sender's laptop is a day and an hour fast
    path = _withdrawal(people, tmp_path, sender_clock)
    with pytest.raises(bundle.WrongDate) as caught:
        _open(path, people)
    message = str(caught.value)
    assert "24 November 2026 at 13:00 UTC" in message and "(23 November 2026 at 12:00 UTC)" in message
    assert "more than a day after the time on this computer" in message
    with _open(path, people, now=NOW + timedelta(hours=1)):  # once this clock has caught up, it opens
        pass


def test_a_bundle_from_a_clock_a_few_hours_fast_opens(people, tmp_path):
    with _open(_withdrawal(people, tmp_path, NOW + timedelta(hours=23)), people):
        pass


def test_a_bundle_dated_before_2016_is_refused(people, tmp_path):
    with pytest.raises(bundle.WrongDate, match="dated 31 December 2015 at 23:59 UTC, before 2016"):
        _open(_withdrawal(people, tmp_path, datetime(2015, 12, 31, 23, 59, tzinfo=UTC)), people)


@pytest.mark.parametrize(("field", "value", "words"), [
    ("declared_at", "9000-01-01T00:00:00+00:00", "dated 1 January 9000 at 00:00 UTC, more than a day after"),
    ("declared_at", "0001-01-01T00:00:00+12:00", "dated 1 January 1 at 00:00 (UTC+1200), before 2016"),
    ("declared_at", "2026-11-23T12:00:00", "without a usable time zone"),
])
def test_a_declaration_dated_impossibly_is_refused(people, bases, tmp_path, field, value, words):
    manifest, files = bases[bundle.Kind.DECLARATION]
    manifest = {**manifest, "payload": {**manifest["payload"], field: value}}
    with pytest.raises(bundle.WrongDate, match=words.replace("(", r"\(").replace(")", r"\)").replace("+", r"\+")):
        _open(forger(people, tmp_path)(files=files, manifest=manifest), people)


def test_calendar_dates_outside_2016_to_2200_are_refused(people, bases, tmp_path):
    manifest, files = bases[bundle.Kind.APPLICATION]
    payload = {**manifest["payload"], "dates": {**manifest["payload"]["dates"], "regulations_intended": "9999-12-31"}}
    with pytest.raises(bundle.WrongDate, match="holding the date 31 December 9999, outside the years"):
        _open(forger(people, tmp_path)(files=files, manifest={**manifest, "payload": payload}), people)


# --- file names that look like others or reorder what is shown ------------------------------------


@pytest.mark.parametrize(("name", "why"), [
    ("documents/cafe\u0301.pdf", "NFD: looks like café.pdf"),
    ("documents/report\u202efdp.exe", "right-to-left override"),
    ("documents/a\u200bb.pdf", "zero-width space"),
    ("documents/\x1b[2Jx.pdf", "an escape sequence"),
])
def test_look_alike_and_bidi_names_are_refused_at_sealing_and_at_opening(people, tmp_path, name, why):
    with pytest.raises(InvalidInput, match="cannot be a file name in a bundle"):
        bundle.seal(bundle.Kind.WITHDRAWAL, application_id=APP_ID, revision=1, payload={"reason": "x"},
                    files={name: b"%PDF-1.7"}, signer=people.secretariat, recipients=[people.reader.card],
                    out=tmp_path / "out.pdbundle", now=NOW)
    assert not (tmp_path / "out.pdbundle").exists()
    with pytest.raises(bundle.UnsafeContent) as caught:
        _open(forger(people, tmp_path)(files={name: b"%PDF-1.7"}), people)
    assert "\u202e" not in str(caught.value) and "\x1b" not in str(caught.value)


def test_names_equal_after_compatibility_folding_count_as_the_same(people, tmp_path):
    files = {"documents/file.pdf": b"one", "documents/\ufb01le.pdf": b"two"}  # U+FB01 is the ligature "fi"
    with pytest.raises(InvalidInput, match="same name"):
        bundle.seal(bundle.Kind.WITHDRAWAL, application_id=APP_ID, revision=1, payload={"reason": "x"},
                    files=files, signer=people.secretariat, recipients=[people.reader.card],
                    out=tmp_path / "out.pdbundle", now=NOW)
    with pytest.raises(bundle.UnsafeContent, match="twice"):
        _open(forger(people, tmp_path)(files=files), people)


def test_an_accented_name_in_composed_form_is_fine(people, tmp_path):
    out = tmp_path / "ok.pdbundle"
    bundle.seal(bundle.Kind.WITHDRAWAL, application_id=APP_ID, revision=1, payload={"reason": "x"},
                files={"documents/café.pdf": b"%PDF-1.7"}, signer=people.secretariat,
                recipients=[people.reader.card], out=out, now=NOW)
    with _open(out, people) as opened:
        assert opened.read("documents/café.pdf") == b"%PDF-1.7"


def test_every_refusal_is_one_of_ours(people, bases, tmp_path):
    """The family the faces rely on: every bundle refusal is a PanelDeskError with a message."""
    assert issubclass(bundle.WrongDate, bundle.BundleError) and issubclass(bundle.BundleError, PanelDeskError)


@pytest.mark.parametrize(("case", "payload_extra"), [
    ("a name longer than 100 characters", {"k" * 101: 1}),
    ("more than 100,000 values", {"many": [0] * 100_001}),
    ("a text longer than 200,000 characters", {"long": "x" * 200_001}),
    ("an integer past 2^53", {"big": -(2**53) - 1}),
])
def test_manifests_past_the_schemas_bounds_are_refused(people, bases, tmp_path, case, payload_extra):
    manifest, files = bases[bundle.Kind.WITHDRAWAL]
    manifest = {**manifest, "payload": {**manifest["payload"], **payload_extra}}
    with pytest.raises(bundle.Damaged, match="list of contents cannot be read"):
        _open(forger(people, tmp_path)(files=files, manifest=manifest), people)


def test_the_clock_check_finds_times_however_they_are_held():
    """Times inside tuples, sets and mappings of a payload are checked as well as those in lists."""
    from pydantic import BaseModel

    from panel_desk.core.bundle._dates import check_dates

    class Held(BaseModel):
        pair: tuple[datetime, int]
        by_name: dict[str, datetime]

    fine = Held(pair=(NOW, 1), by_name={"a": NOW})
    check_dates("A test", NOW, None, fine, NOW)
    for late in (Held(pair=(NOW + timedelta(days=2), 1), by_name={}), Held(pair=(NOW, 1), by_name={"a": NOW + timedelta(days=2)})):
        with pytest.raises(bundle.WrongDate, match="more than a day after"):
            check_dates("A test", NOW, None, late, NOW)

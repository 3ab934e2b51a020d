"""The demo workspace: people with identities and profiles, applications sealed to the members."""

from __future__ import annotations

import time
from datetime import date

import pytest

from panel_desk.core import bundle
from panel_desk.core.appdir import load_application_dir
from panel_desk.core.demo.applications import WEXMOOR
from panel_desk.core.demo.builder import (
    DEMO_WORK_FACTOR,
    build_demo_workspace,
    load_demo_workspace,
    write_application_folder,
)
from panel_desk.core.errors import Cancelled, InvalidInput
from panel_desk.core.identity import Identity, PublicCard
from panel_desk.core.model import Role
from panel_desk.core.rules import composition_problems

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "workspace"
    seen = []
    start = time.perf_counter()
    ws = build_demo_workspace(folder, today=TODAY, progress=lambda done, total: seen.append((done, total)))
    return ws, seen, time.perf_counter() - start


def test_a_secretariat_and_five_members_covering_the_panels_roles(demo):
    ws, _, _ = demo
    assert ws.secretariat.role is Role.SECRETARIAT
    assert [m.role for m in ws.members] == [Role.CHILDRENS_COMMISSIONER, Role.CHIEF_INSPECTOR,
                                            Role.VOLUNTARY_SECTOR, Role.LOCAL_GOVERNMENT, Role.SOCIAL_WORK_PRACTICE]
    cards = [PublicCard.load(m.card_file) for m in ws.members]
    assert composition_problems(c.member for c in cards) == []
    assert ws.person("Tom Okafor").label == "Tom Okafor (Children's Commissioner)"
    assert ws.person("Rachel Lindqvist").acts_for.startswith("His Majesty's Chief Inspector")
    for person in ws.people:
        assert person.passphrase == f"demo-{person.name.split()[0].lower()}"
        identity = Identity.load(person.identity_file, person.passphrase)
        assert identity.name == person.name and identity.fingerprint == PublicCard.load(person.card_file).fingerprint
        assert person.profile_dir.is_dir()


def test_demo_identities_use_the_low_work_factor_and_say_so(demo):
    ws, _, _ = demo
    assert DEMO_WORK_FACTOR < 18
    header = ws.secretariat.identity_file.read_bytes()[:200]
    assert b"scrypt" in header and f" {DEMO_WORK_FACTOR}\n".encode() in header.replace(b"\r", b"")
    assert "not secret" in (ws.folder / "README.txt").read_text()


def test_the_demo_alone_skips_the_passphrase_rule(demo):
    """The demo's printed passphrases would be refused by the rule every real identity meets; the demo
    opens with them all the same."""
    from panel_desk.core.passphrase import assess

    ws, _, _ = demo
    for person in ws.people:
        assert not assess(person.passphrase).ok
        Identity.load(person.identity_file, person.passphrase)


def test_every_member_can_open_every_application_and_the_secretariat_cannot(demo):
    ws, _, _ = demo
    assert len(ws.bundles) == 3
    trusted = [PublicCard.load(ws.secretariat.card_file)]
    for member in ws.members:
        identity = Identity.load(member.identity_file, member.passphrase)
        for path, app_id in zip(ws.bundles, ws.application_ids, strict=True):
            with bundle.open_bundle(path, identity, trusted) as opened:
                assert opened.manifest.application_id == app_id
                assert len(opened.manifest.files) == 4
    secretariat = Identity.load(ws.secretariat.identity_file, ws.secretariat.passphrase)
    with pytest.raises(bundle.BundleError):
        bundle.open_bundle(ws.bundles[0], secretariat, trusted)


def test_progress_counts_up_to_the_total_and_the_build_is_quick(demo):
    _, seen, seconds = demo
    assert [d for d, _ in seen] == list(range(1, len(seen) + 1))
    assert seen[-1][0] == seen[-1][1]
    # each of the 72 document copies is checked in a child process (about 10 ms each, issue 12);
    # on a shared test machine the build takes 4-6 s, so the bound says "seconds, not minutes"
    assert seconds < 10


def test_the_workspace_can_be_found_again(demo):
    ws, _, _ = demo
    again = load_demo_workspace(ws.folder)
    assert again == ws


def test_a_folder_that_is_not_empty_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(InvalidInput, match="not empty"):
        build_demo_workspace(tmp_path, today=TODAY)
    with pytest.raises(InvalidInput, match="does not hold a Panel Desk demo"):
        load_demo_workspace(tmp_path)


def test_cancel_stops_between_steps(tmp_path):
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        build_demo_workspace(tmp_path / "demo", today=TODAY, cancelled=cancelled)


def test_an_application_folder_reads_back_as_written(tmp_path):
    written = write_application_folder(WEXMOOR, tmp_path / "app", TODAY)
    read, files = load_application_dir(tmp_path / "app")
    assert read.model_dump(exclude={"documents"}) == written.model_dump(exclude={"documents"})
    assert sorted(files) == sorted(d.path for d in written.documents)
    assert all(d.size > 5000 and len(d.sha256) == 64 for d in read.documents)
    assert "fictional" in (tmp_path / "app" / "application.toml").read_text().splitlines()[0]


def test_every_member_starts_at_declaring_interests_on_the_three_applications(demo):
    from panel_desk.core.store import ApplicationStatus, open_profile

    ws, _, _ = demo
    for member in ws.members:
        with open_profile(member.profile_dir, member.passphrase) as profile:
            rows = profile.applications(today=TODAY)
            assert sorted(r.id for r in rows) == sorted(ws.application_ids)
            assert {r.status for r in rows} == {ApplicationStatus.INTERESTS_NEEDED}
            assert profile.me.name == member.name


def test_the_secretariat_has_the_five_members_on_its_roster_and_the_applications_sent(demo):
    from panel_desk.core.store import open_profile

    ws, _, _ = demo
    with open_profile(ws.secretariat.profile_dir, ws.secretariat.passphrase) as desk:
        assert desk.is_secretariat
        names = [m.name for m in desk.roster() if m.role is not Role.SECRETARIAT]
        assert names == [m.name for m in ws.members]
        assert sorted(r.id for r in desk.applications(today=TODAY)) == sorted(ws.application_ids)

"""Fixtures for the store tests: fast identities, profiles for the secretariat and a member."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from store_helpers import NOW, PASS, People, seal_application

from panel_desk.core.store import init_profile


@pytest.fixture(scope="session")
def people(tmp_path_factory) -> People:
    return People(tmp_path_factory.mktemp("people"))


@pytest.fixture(autouse=True)
def own_tempdir(tmp_path, monkeypatch) -> Path:
    """Each test gets its own temporary folder, so scans for plaintext see only what it wrote."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder


@pytest.fixture
def secretariat(people, tmp_path):
    """The secretariat's profile with Rita and Colin on the roster."""
    ws = init_profile(tmp_path / "sam-profile", people.sam.file, PASS, now=NOW)
    ws.roster_add(people.rita.card, now=NOW)
    ws.roster_add(people.colin.card, now=NOW)
    yield ws
    ws.close()


@pytest.fixture
def member(people, tmp_path):
    """Rita's profile, trusting the secretariat."""
    ws = init_profile(tmp_path / "rita-profile", people.rita.file, PASS, [people.sam.card], now=NOW)
    yield ws
    ws.close()


@pytest.fixture
def app_bundle(people, tmp_path) -> Path:
    """Revision 1 of the application, sealed by the secretariat for Rita and Colin."""
    out = tmp_path / "app-r1.pdbundle"
    seal_application(people, out)
    return out

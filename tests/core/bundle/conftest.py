"""Fixtures for the bundle tests (helpers live in bundle_helpers.py)."""

from __future__ import annotations

import os

import pytest
from bundle_helpers import People, forger


@pytest.fixture(scope="session")
def people() -> People:
    return People()


@pytest.fixture(scope="session")
def big_document() -> bytes:
    return b"%PDF-1.7\n" + os.urandom(200_000)


@pytest.fixture
def forge(people, tmp_path):
    return forger(people, tmp_path)

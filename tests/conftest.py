"""Test setup shared by every test: offscreen Qt, the gui marker, and shared paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_ACCESSIBILITY", "0")

pytest_plugins = ["coverage_ratchet"]  # tests/coverage_ratchet.py

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_APPLICATION = ROOT / "resources" / "examples" / "application"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def example_application() -> Path:
    return EXAMPLE_APPLICATION

"""The web version of the advice has no axe-core violations in a real Chromium.

Needs Debian's ``chromium``, Node, and npm's ``axe-core`` and ``puppeteer-core`` (``bash
packaging/bootstrap.sh test`` installs them under ``.tools/axe``; ``PANEL_DESK_AXE_MODULES``
names another ``node_modules``). Without them the test is skipped, and pytest's summary counts
the skip with its reason.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from publish_samples import sample_advice

from panel_desk.core import publish

HERE = Path(__file__).resolve().parent
MODULES = Path(os.environ.get("PANEL_DESK_AXE_MODULES", HERE.parents[2] / ".tools" / "axe" / "node_modules"))


def _needs() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    node = shutil.which("node")
    if chromium is None:
        pytest.skip("axe-core check skipped: Chromium is not installed (Debian package chromium)")
    if node is None:
        pytest.skip("axe-core check skipped: Node.js is not installed")
    if not all((MODULES / m / "package.json").is_file() for m in ("axe-core", "puppeteer-core")):
        pytest.skip(f"axe-core check skipped: npm's axe-core and puppeteer-core are not in {MODULES}")
    return chromium, node


@pytest.mark.slow
def test_the_web_version_has_no_axe_violations(tmp_path):
    chromium, node = _needs()
    details = publish.PublicationDetails(contact_email="panel@example.org", contact_address="1 Example Street",
                                         root_fingerprint="AB:CD:EF", root_location="example.org",
                                         pdf_name="advice.pdf", root_name="panel-root.pem")
    page = tmp_path / "advice.html"
    page.write_text(publish.render_html(sample_advice(), details), encoding="utf-8")
    run = subprocess.run([node, str(HERE / "axe_check.js"), chromium, str(page)], capture_output=True, text=True,
                         timeout=120, check=False, env={**os.environ, "NODE_PATH": str(MODULES)})
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout)
    assert result["violations"] == [], result

"""The coverage ratchet (STYLE.md, after qutebrowser): the crypto, bundle and store code may not
lose tested lines or branches.

A pytest plugin, loaded from ``tests/conftest.py``. It measures line and branch coverage of
``panel_desk`` in the test process (code run in subprocesses is not counted) and, at the end of a
full run, fails the session if a module listed in ``FLOORS`` fell below its floor. The floors are
the coverage reached when they were set (modules at 100% must stay there; the others keep half a
point of slack for what randomised tests happen to reach); raise them as tests are added, never
lower them.
Skipped when only part of the suite is run (``-k``, a path, ``-m``), where coverage means little.
Set ``PANEL_DESK_COVERAGE=0`` to switch it off; ``PANEL_DESK_COVERAGE_RAISE=1`` raises every floor to
what this run reached (floors never go down).
"""

from __future__ import annotations

import io
import json
import math
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "panel_desk"

# module (relative to panel_desk/) -> minimum percentage of lines + branches covered
FLOORS_FILE = Path(__file__).with_name("coverage_floors.json")
FLOORS: dict[str, float] = json.loads(FLOORS_FILE.read_text())


class Ratchet:
    def __init__(self, config: pytest.Config) -> None:
        import coverage

        self.config = config
        self.cov = coverage.Coverage(branch=True, source=[str(PACKAGE)], data_file=None,
                                     omit=[str(PACKAGE / "ui" / "*")])
        self.cov.start()

    def finish(self) -> dict[str, float | None]:
        """Stop measuring; the percentage for every module with a floor (None: not measured)."""
        self.cov.stop()
        return {rel: self.percent(PACKAGE / rel) for rel in FLOORS}

    def percent(self, path: Path) -> float | None:
        import coverage

        try:
            return self.cov.report(include=[str(path)], file=io.StringIO())
        except coverage.exceptions.NoDataError:
            return None


def _full_run(config: pytest.Config) -> bool:
    only_tests_dir = all(Path(a).resolve() == ROOT / "tests" for a in config.args)
    return only_tests_dir and not config.getoption("keyword") and not config.getoption("markexpr")


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("PANEL_DESK_COVERAGE", "1") == "0" or not _full_run(config):
        return
    config._panel_desk_ratchet = Ratchet(config)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    ratchet = getattr(session.config, "_panel_desk_ratchet", None)
    if ratchet is None:
        return
    measured = ratchet.finish()
    if os.environ.get("PANEL_DESK_COVERAGE_RAISE") == "1":  # after adding tests: raise the floors
        raised = {rel: max(FLOORS[rel], math.floor((pc or 0.0) * 10) / 10) for rel, pc in measured.items()}
        FLOORS_FILE.write_text(json.dumps(raised, indent=1, sort_keys=True) + "\n")
    problems = [
        f"{rel}: {'not measured' if pc is None else f'{pc:.1f}%'} of lines and branches covered, "
        f"below its floor of {FLOORS[rel]:.1f}%"
        for rel, pc in sorted(measured.items()) if pc is None or pc + 1e-9 < FLOORS[rel]
    ]
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_sep("-", "coverage ratchet")
        groups: dict[str, list[float]] = {}
        for rel, pc in measured.items():
            groups.setdefault(rel.rsplit("/", 1)[0], []).append(pc or 0.0)
        reporter.write_line("; ".join(f"{g}: {len(v)} modules, lowest {min(v):.1f}%" for g, v in sorted(groups.items())))
        for problem in problems:
            reporter.write_line(f"FELL: {problem}", red=True)
    if problems and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED

"""Benchmark start-up: ``panel-desk --version`` and the time to an interactive window.

Usage: ``python benchmarks/bench_startup.py [--runs 15] [--frozen dist/panel-desk/panel-desk]``

Each measurement is a fresh process, timed from just before it is spawned, and the median of
``--runs`` is reported against the targets in DESIGN §7:

- ``--version`` (target 0.3 s): the installed ``panel-desk`` script beside this Python, ``python -m
  panel_desk``, and with ``--frozen`` the PyInstaller build;
- window (target 1.0 s): a child that takes the same path as ``panel-desk`` with no command (the
  CLI parser, then ``panel_desk.ui.app.run_app`` on an empty profile, offscreen) and prints the wall
  clock at the first event-loop tick after the window is shown, then quits.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VERSION_TARGET = 0.3
WINDOW_TARGET = 1.0

_WINDOW_CHILD = r"""
import sys, time
from pathlib import Path
from panel_desk.cli import build_parser
build_parser()  # what `panel-desk` does before it hands over to the window
from panel_desk.ui.app import make_app, run_app
from panel_desk.ui.qt import QTimer
app = make_app([sys.argv[0]])
def first_tick():
    print(f"READY {time.time():.6f}", flush=True)
    app.quit()
QTimer.singleShot(0, first_tick)  # runs on the first event-loop iteration, after show()
run_app(Path(sys.argv[1]), [sys.argv[0]])
"""


def _time_command(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed


def _time_window(env: dict[str, str], profile: Path) -> float:
    start = time.time()
    done = subprocess.run([sys.executable, "-c", _WINDOW_CHILD, str(profile)], env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    ready = [line for line in done.stdout.splitlines() if line.startswith("READY ")]
    if done.returncode != 0 or not ready:
        raise SystemExit(f"the window did not start ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return float(ready[0].split()[1]) - start


def _summary(name: str, samples: list[float], target: float) -> dict:
    median = statistics.median(samples)
    return {"measure": name, "median_s": round(median, 3), "min_s": round(min(samples), 3),
            "max_s": round(max(samples), 3), "runs": len(samples), "target_s": target, "meets_target": median <= target}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--frozen", type=Path, help="also time this PyInstaller-built executable")
    parser.add_argument("--json", action="store_true", help="print one JSON object per measure")
    args = parser.parse_args(argv)

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="0")
    env.pop("PANEL_DESK_HOME", None)
    commands = {"python -m panel_desk --version": [sys.executable, "-m", "panel_desk", "--version"]}
    script = Path(sys.executable).with_name("panel-desk")
    if script.exists():
        commands["panel-desk --version"] = [str(script), "--version"]
    if args.frozen:
        commands["frozen panel-desk --version"] = [str(args.frozen.resolve()), "--version"]

    results = []
    for name, cmd in commands.items():
        _time_command(cmd, env)  # warm the page cache and the bytecode
        results.append(_summary(name, [_time_command(cmd, env) for _ in range(args.runs)], VERSION_TARGET))

    profile = Path(tempfile.mkdtemp(prefix="panel-desk-bench-"))
    try:
        _time_window(env, profile)
        samples = [_time_window(env, profile) for _ in range(max(3, args.runs // 2))]
        results.append(_summary("window: first event-loop tick after show()", samples, WINDOW_TARGET))
    finally:
        shutil.rmtree(profile, ignore_errors=True)

    for r in results:
        if args.json:
            print(json.dumps(r))
        else:
            verdict = "meets" if r["meets_target"] else "MISSES"
            print(f"{r['measure']:<48} median {r['median_s']:.3f} s (min {r['min_s']:.3f}, max {r['max_s']:.3f}, "
                  f"n={r['runs']}) — {verdict} the {r['target_s']} s target")
    return 0 if all(r["meets_target"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

"""``panel-desk demo``: the window on a throw-away demo workspace."""

from __future__ import annotations

import argparse
from pathlib import Path

from panel_desk.cli._common import Registry, fail, no_display_message


def register(registry: Registry) -> None:
    p = registry.command("demo", "open the window on a fresh demo workspace", _demo)
    p.add_argument("--dir", metavar="DIR", type=Path, help="where to make the demo workspace (default: a new temporary folder)")


def _demo(args: argparse.Namespace) -> int:
    if (problem := no_display_message()) is not None:
        return fail(problem)
    try:
        from panel_desk.ui.demo import run_demo
    except ImportError as exc:
        return fail(f"The window cannot start: {exc}. Install the app with the README's run command.")
    return run_demo(args.dir)

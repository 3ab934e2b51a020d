"""``panel-desk sync [--folder DIR]``: import what arrived in the exchange folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from panel_desk.cli._common import Registry, workspace


def register(registry: Registry) -> None:
    p = registry.command("sync", "import what is addressed to you in your exchange folder", _sync)
    p.add_argument("--folder", type=Path, metavar="DIR",
                   help="the exchange folder (a shared or synced folder, a USB stick); remembered in the profile")


def _sync(args: argparse.Namespace) -> int:
    from panel_desk.core import exchange

    with workspace(args) as ws:
        lines = exchange.sync(ws, args.folder)
        folder = exchange.folder_of(ws)
    for line in lines:
        print(line.line())
    if not lines:
        print(f"Nothing new in {folder}.")
    return 0

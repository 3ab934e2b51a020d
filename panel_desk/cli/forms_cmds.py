"""``panel-desk forms check FILE``: validate a question form."""

from __future__ import annotations

import argparse
from pathlib import Path

from panel_desk.cli._common import Registry


def register(registry: Registry) -> None:
    p = registry.subcommand("forms", "check", "validate a question form file", _check,
                            group_help="question forms")
    p.add_argument("file", type=Path, metavar="FILE")


def _check(args: argparse.Namespace) -> int:
    from panel_desk.core.forms import load_form_file

    form = load_form_file(args.file)
    questions = ", ".join(f"{s.number} {s.id}" if s.number else s.id for s in form.sections)
    print(f"{args.file}: form '{form.id}' version {form.version} is valid ({questions}).")
    return 0

"""The command line: a thin face on the core (DESIGN §8).

Exit 0 on success, 1 with one plain line on stderr for anything the user can fix, 2 for a usage
error. This package never imports Qt; ``panel-desk`` with no command hands over to the window,
which is imported only then. Command modules import their core modules inside the handlers, so
``panel-desk --version`` stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from panel_desk.cli._common import Registry, escaped_output, fail, one_line

# Each module adds its commands in ``register(registry)``; order is the order of ``--help``.
COMMAND_MODULES = (
    "panel_desk.cli.app_cmds",
    "panel_desk.cli.forms_cmds",
    "panel_desk.cli.identity_cmds",
    "panel_desk.cli.bundle_cmds",
    "panel_desk.cli.store_cmds",
    "panel_desk.cli.backup_cmds",
    "panel_desk.cli.member_cmds",
    "panel_desk.cli.secretariat_cmds",
    "panel_desk.cli.publish_cmds",
    "panel_desk.cli.keys_cmds",
)


def build_parser() -> Registry:
    """Return the registry holding the full argument parser."""
    import importlib

    registry = Registry()
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a face not built yet must not break the others
            if exc.name != name:
                raise
            continue
        module.register(registry)
    return registry


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv in (["--version"], ["-V"]):  # fast path: nothing else to import
        from panel_desk import __version__

        print(f"panel-desk {__version__}")
        return 0
    registry = build_parser()
    files = _bundle_paths(argv, registry)
    args = registry.parser.parse_args([a for a in argv if a not in files])
    handler = getattr(args, "handler", None)
    if handler is None:
        return gui_main(args, files)
    from panel_desk.core.errors import PanelDeskError

    try:
        with escaped_output():
            result = handler(args)
    except PanelDeskError as exc:
        return fail(one_line(exc))
    except KeyboardInterrupt:
        return fail("Interrupted. Nothing more was changed.", status=130)
    except BrokenPipeError:
        return 0
    return 0 if result is None else int(result)


def _bundle_paths(argv: list[str], registry: Registry) -> list[str]:
    """Files given to ``panel-desk FILE…`` (no command): opened in the window."""
    commands = set(registry.command_names())
    if any(a in commands for a in argv):
        return []
    return [a for a in argv if not a.startswith("-") and os.path.isfile(a)]


def gui_main(args=None, files: Sequence[str] = ()) -> int:
    """Open the window on the chosen profile (``panel-desk [FILE…]`` with no command)."""
    if args is None:
        args = build_parser().parser.parse_args([])
    from panel_desk.cli._common import no_display_message, profile_dir

    if (problem := no_display_message()) is not None:
        return fail(problem)
    try:
        from panel_desk.ui.app import run_app
    except ImportError as exc:  # Qt or its system libraries are missing
        return fail(f"The window cannot start: {exc}. Install the app with the README's run command.")
    return run_app(profile=profile_dir(args), argv=[sys.argv[0], *files])

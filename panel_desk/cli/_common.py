"""Shared plumbing for the command modules: the registry, profiles, passphrases, output."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

PROG = "panel-desk"


class Registry:
    """Holds the parser; command modules add commands and groups to it."""

    def __init__(self) -> None:
        from panel_desk import __version__

        self.parser = argparse.ArgumentParser(
            prog=PROG,
            description="Panel Desk: the expert advisory panel's offline workbench. "
            "With no command, opens the window.",
        )
        self.parser.add_argument("--version", "-V", action="version", version=f"{PROG} {__version__}")
        add_global_options(self.parser)
        self._commands = self.parser.add_subparsers(title="commands", metavar="COMMAND")
        self._groups: dict[str, argparse._SubParsersAction] = {}

    def command_names(self) -> list[str]:
        """The top-level command and group names."""
        return list(self._commands.choices)

    def command(self, name: str, help: str, handler: Callable[[argparse.Namespace], int | None]) -> argparse.ArgumentParser:
        """Add a top-level command and return its parser."""
        p = self._commands.add_parser(name, help=help, description=help)
        add_global_options(p, suppress=True)
        p.set_defaults(handler=handler)
        return p

    def group(self, name: str, help: str) -> argparse._SubParsersAction:
        """Return the subcommands of group ``name`` (``identity``, ``advice``…), creating it once."""
        if name not in self._groups:
            p = self._commands.add_parser(name, help=help, description=help)
            add_global_options(p, suppress=True)
            p.set_defaults(handler=lambda args, p=p: _usage(p))
            self._groups[name] = p.add_subparsers(title="commands", metavar="COMMAND")
        return self._groups[name]

    def subcommand(self, group: str, name: str, help: str, handler, group_help: str = "") -> argparse.ArgumentParser:
        """Add ``panel-desk GROUP NAME`` and return its parser."""
        p = self.group(group, group_help or group).add_parser(name, help=help, description=help)
        add_global_options(p, suppress=True)
        p.set_defaults(handler=handler)
        return p


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage(sys.stderr)
    return 2


def add_global_options(p: argparse.ArgumentParser, suppress: bool = False) -> None:
    """The global options, accepted before or after the command."""
    default = argparse.SUPPRESS if suppress else None
    p.add_argument("--profile", metavar="DIR", default=default,
                   help="the profile folder (default: PANEL_DESK_HOME or your user data folder)")
    p.add_argument("--passphrase-file", metavar="FILE", default=default,
                   help="read the passphrase from the first line of FILE (or set PANEL_DESK_PASSPHRASE)")


def no_display_message() -> str | None:
    """Why the window cannot open here, in words, or None if it can (Linux without a display)."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return ("There is no screen to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set). "
            "Run Panel Desk from a desktop session; the command line works anywhere: panel-desk --help.")


class _Shown:
    """A text stream that writes control and direction-changing characters as visible escapes.

    Installed over stdout and stderr while a command runs (:func:`escaped_output`), so nothing a
    bundle or a card says can move the cursor, recolour or rewrite the terminal, or reorder a
    line with U+202E. Line breaks and tabs pass; names and titles that must stay on one line
    are passed through :func:`one_line` as well.
    """

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        from panel_desk.core.display import shown

        self._stream.write(shown(text, multiline=True))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextlib.contextmanager
def escaped_output() -> Iterator[None]:
    """While inside, stdout and stderr show hidden characters as escapes (see :class:`_Shown`)."""
    saved = sys.stdout, sys.stderr
    if sys.stdout is not None:
        sys.stdout = _Shown(sys.stdout)
    if sys.stderr is not None:
        sys.stderr = _Shown(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def one_line(text: object) -> str:
    """A name, title or message from elsewhere, on one line with every hidden character escaped."""
    from panel_desk.core.display import shown

    return shown(str(text))


def fail(message: str, status: int = 1) -> int:
    """Print one plain line on stderr and return ``status``."""
    print(f"{PROG}: {message}", file=sys.stderr)
    return status


def profile_dir(args: argparse.Namespace) -> Path:
    """The profile folder: ``--profile``, then ``PANEL_DESK_HOME``, then the platform's data folder."""
    chosen = getattr(args, "profile", None) or os.environ.get("PANEL_DESK_HOME")
    if chosen:
        return Path(chosen).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("panel-desk", appauthor=False))


def passphrase(args: argparse.Namespace, prompt: str = "Passphrase: ", *, confirm: bool = False,
               env: str = "PANEL_DESK_PASSPHRASE") -> str:
    """The passphrase from ``--passphrase-file``, the environment, or the terminal prompt.

    Raises InvalidInput when none can be had (no terminal) or the two entries differ.
    """
    from panel_desk.core.errors import InvalidInput

    path = getattr(args, "passphrase_file", None)
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(f"Cannot read the passphrase file {path}: {exc.strerror}.") from None
        value = text.splitlines()[0] if text else ""
    elif os.environ.get(env):
        value = os.environ[env]
    elif sys.stdin is not None and sys.stdin.isatty():
        value = getpass.getpass(prompt)
        if confirm and getpass.getpass("Type it again: ") != value:
            raise InvalidInput("The two passphrases you typed are different. Try again.")
    else:
        raise InvalidInput(
            "A passphrase is needed: use --passphrase-file FILE or set PANEL_DESK_PASSPHRASE.")
    if not value:
        raise InvalidInput("The passphrase is empty. Choose a passphrase of several words.")
    return value


@contextlib.contextmanager
def workspace(args: argparse.Namespace) -> Iterator:
    """The profile chosen by ``--profile``, unlocked with the passphrase, closed afterwards.

    Says there is no profile before asking for a passphrase it could not use.
    """
    from panel_desk.core.errors import NotFound
    from panel_desk.core.store import open_profile, profile_exists
    from panel_desk.core.store.workspace import no_profile_message

    folder = profile_dir(args)
    if not profile_exists(folder):
        raise NotFound(no_profile_message(folder))
    ws = open_profile(folder, passphrase(args))
    try:
        yield ws
    finally:
        ws.close()


def print_id(value: str) -> None:
    """Print a created thing's id alone on the last line of stdout (for scripts)."""
    print(value)

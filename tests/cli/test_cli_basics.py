"""The command line's contract: version, exit codes, one-line errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

import panel_desk
from panel_desk.cli import main


def test_version_both_ways():
    for argv in (["panel-desk", "--version"], [sys.executable, "-m", "panel_desk", "--version"]):
        cmd = argv if argv[0] != "panel-desk" else [sys.executable, "-c", "from panel_desk.cli import main; raise SystemExit(main())", "--version"]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        assert out.returncode == 0
        assert out.stdout.strip() == f"panel-desk {panel_desk.__version__}"


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["forms", "check"])
    assert exc.value.code == 2


def test_user_error_is_one_plain_line(tmp_path, capsys):
    assert main(["forms", "check", str(tmp_path / "missing.toml")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("panel-desk: Cannot read the form") and err.count("\n") == 1
    assert "Traceback" not in err


def test_files_without_a_command_go_to_the_window(tmp_path):
    from panel_desk.cli import _bundle_paths, build_parser

    bundle = tmp_path / "wexmoor.pdbundle"
    bundle.write_bytes(b"x")
    registry = build_parser()
    assert _bundle_paths(["--profile", str(tmp_path), str(bundle)], registry) == [str(bundle)]
    # a command that takes a file keeps it as its own argument
    assert _bundle_paths(["import", str(bundle)], registry) == []
    assert _bundle_paths([str(tmp_path / "missing.pdbundle")], registry) == []


def test_the_window_without_a_screen_is_one_plain_line(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    for argv in (["--profile", str(tmp_path)], ["demo", "--dir", str(tmp_path / "demo")]):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert err.startswith("panel-desk: There is no screen to open the window on") and err.count("\n") == 1
    assert not (tmp_path / "demo").exists()


def test_a_command_module_that_fails_to_import_is_not_quietly_dropped(monkeypatch):
    """Before, a command module missing its import vanished from --help; now the bug surfaces."""
    import panel_desk.cli as cli

    monkeypatch.setattr(cli, "COMMAND_MODULES", (*cli.COMMAND_MODULES, "panel_desk.cli.no_such_cmds"))
    with pytest.raises(ModuleNotFoundError, match="no_such_cmds"):
        cli.build_parser()

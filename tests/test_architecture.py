"""The core never imports Qt; the CLI starts without it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import panel_desk

CORE_PREFIXES = ("panel_desk.core", "panel_desk.cli")


def _modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(panel_desk.__path__, "panel_desk."):
        if info.name.startswith(CORE_PREFIXES):
            names.append(info.name)
    return sorted(names)


def test_every_core_and_cli_module_imports_with_pyside6_blocked():
    modules = _modules()
    assert "panel_desk.core.model" in modules and "panel_desk.cli" in modules
    code = (
        "import sys, importlib\n"
        "sys.modules['PySide6'] = None\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print('imported', len(sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_version_does_not_import_qt_or_the_core():
    code = (
        "import sys\n"
        "from panel_desk.cli import main\n"
        "assert main(['--version']) == 0\n"
        "heavy = [m for m in sys.modules if m.startswith(('PySide6', 'pydantic', 'cryptography', 'reportlab'))]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"panel-desk {panel_desk.__version__}")


def test_only_the_qt_door_imports_pyside6_directly():
    from pathlib import Path

    root = Path(panel_desk.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        if ("import PySide6" in text or "from PySide6" in text) and rel != "ui/qt.py":
            offenders.append(rel)
    assert offenders == []


def test_the_layers_hold_and_nothing_imports_in_a_circle():
    """The import-linter contracts in pyproject.toml: the core never imports the window or the command
    line; the window never imports the command line, which imports the window only to open it; no
    two modules of a package import each other, directly or round a loop; the member's and the
    secretariat's screens are independent; the store, bundles and encryption never call the verbs."""
    from pathlib import Path

    root = Path(panel_desk.__file__).resolve().parents[1]
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache", "--config", str(root / "pyproject.toml")], cwd=root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    for contract in ("The core never imports a face", "The window never imports the command line",
                     "The command line imports the window only to open it", "No import cycles",
                     "The member's screens and the secretariat's screens", "The store, bundles and encryption"):
        assert f"{contract}" in result.stdout
    assert "BROKEN" not in result.stdout

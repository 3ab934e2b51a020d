"""What IT installs beside the program: the desktop entry, the icon, and the window using that icon.

The PyInstaller build and the Debian package are checked by ``packaging/build.sh`` (too slow for the
suite); these tests check the files the build and the package take as they are.
"""

from __future__ import annotations

import configparser
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = ROOT / "packaging" / "panel-desk.desktop"
MIME = ROOT / "packaging" / "panel-desk-mime.xml"
ICONS = ROOT / "resources" / "icons"
ICON = "io.github.paneldesk.PanelDesk"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(DESKTOP.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate is not installed (Debian: desktop-file-utils)")
def test_desktop_file_validate_accepts_the_desktop_file():
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.strip() == "", result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("desktop-file-install") is None,
                    reason="desktop-file-install is not installed (Debian: desktop-file-utils)")
def test_desktop_file_install_installs_it(tmp_path):
    result = subprocess.run(["desktop-file-install", f"--dir={tmp_path}", str(DESKTOP)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    installed = (tmp_path / "panel-desk.desktop").read_text(encoding="utf-8").splitlines()
    # the tool only stamps its own version on the copy
    assert [line for line in installed if not line.startswith("X-Desktop-File-Install-Version=")] == \
        DESKTOP.read_text(encoding="utf-8").splitlines()


def test_the_entry_starts_the_program_on_path_with_its_icon_and_bundle_type():
    entry = _entry()
    # a version every desktop-file-utils in current distributions knows (1.5 is refused by Debian 12's)
    assert entry["Version"] in {"1.0", "1.1", "1.2", "1.3", "1.4"}
    assert entry["Type"] == "Application" and entry["Terminal"] == "false"
    assert entry["Exec"] == "panel-desk %F" and entry["TryExec"] == "panel-desk"
    assert entry["Icon"] == ICON
    mime = ET.parse(MIME).getroot()
    types = [t.get("type") for t in mime.iter("{http://www.freedesktop.org/standards/shared-mime-info}mime-type")]
    assert entry["MimeType"].rstrip(";").split(";") == types == ["application/x-panel-desk-bundle"]


def test_the_icon_is_an_svg_with_pngs_at_every_menu_and_panel_size():
    svg = ET.parse(ICONS / f"{ICON}.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg" and svg.get("viewBox") == "0 0 512 512"
    for size in SIZES:
        data = (ICONS / f"{ICON}-{size}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
        assert struct.unpack(">II", data[16:24]) == (size, size), f"{ICON}-{size}.png"
    assert sorted(p.name for p in ICONS.glob(f"{ICON}-*.png")) == sorted(f"{ICON}-{s}.png" for s in SIZES)


def test_the_window_shows_the_application_icon(qtbot, tmp_path):
    from panel_desk.ui.app import make_app
    from panel_desk.ui.main_window import MainWindow
    from panel_desk.ui.qt import QtCore, QtGui

    make_app()
    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    icon = window.windowIcon()
    assert not icon.isNull()
    assert {QtCore.QSize(s, s) for s in SIZES} <= set(icon.availableSizes())
    # the 48-pixel picture is the PNG installed as the desktop file's hicolor icon
    premultiplied = QtGui.QImage.Format.Format_ARGB32_Premultiplied
    png = QtGui.QImage(str(ICONS / f"{ICON}-48.png")).convertToFormat(premultiplied)
    assert icon.pixmap(48, 48).toImage().convertToFormat(premultiplied) == png

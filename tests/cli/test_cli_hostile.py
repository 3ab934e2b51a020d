"""Hostile bundles at the command line: one line per file, refusals on stderr, nothing printed raw.

The bundles are real (the project's sealing code, real keys); the profile is a real profile made
with ``panel-desk init``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile import nested, seal_as_given

from panel_desk.cli import main
from panel_desk.core import bundle
from panel_desk.core.appdir import load_application_dir
from panel_desk.core.identity import Identity
from panel_desk.core.model import Role

PASS = "correct horse"
TITLE = "Fostering \x1b[2J\x1b[31mpanels\u202efdp.exe"
AUTHORITY = "Northshire\u202e County Council"


@pytest.fixture(autouse=True)
def _env(monkeypatch, tmp_path):
    monkeypatch.setenv("PANEL_DESK_PASSPHRASE", PASS)
    monkeypatch.setenv("PANEL_DESK_HOME", str(tmp_path / "profile"))


@pytest.fixture
def desk(tmp_path, example_application, capsys) -> dict:
    """Rita's profile trusting the secretariat; an application with a hostile title sealed for her."""
    sam = Identity.create("Sam Secretariat", Role.SECRETARIAT, "DfE")
    rita = Identity.create("Rita Reader", Role.CHILDRENS_COMMISSIONER, "OCC")
    rita.save(tmp_path / "rita.id", PASS, work_factor=2)
    sam.card.save(tmp_path / "sam.card")
    app, files = load_application_dir(example_application)
    app = app.model_copy(update={"title": TITLE, "authority": AUTHORITY}).with_id()
    manifest = bundle.seal(bundle.Kind.APPLICATION, application_id=app.id, revision=app.revision,
                           payload=app.model_dump(mode="json"), files=files,
                           titles={d.path: f"{d.title}\x1b]0;owned\x07" for d in app.documents},
                           signer=sam, recipients=[rita.card], out=tmp_path / "app.pdbundle")
    assert main(["init", "--identity", str(tmp_path / "rita.id"), "--trust", str(tmp_path / "sam.card")]) == 0
    capsys.readouterr()
    data = {p: Path(s).read_bytes() for p, s in files.items()}
    return {"sam": sam, "rita": rita, "dir": tmp_path, "manifest": manifest.model_dump(mode="json"), "files": data}


def _hostile(desk, name: str, change) -> Path:
    manifest = {**desk["manifest"], "payload": dict(desk["manifest"]["payload"])}
    change(manifest)
    return seal_as_given(manifest, desk["files"], signer=desk["sam"], recipients=[desk["rita"].card],
                         out=desk["dir"] / name)


def _no_raw_controls(text: str) -> None:
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text and "Traceback" not in text


def test_import_of_many_files_goes_on_past_hostile_ones_and_refuses_each_on_stderr(desk, capsys):
    kind = _hostile(desk, "kind.pdbundle", lambda m: m.update(kind=[]))
    deep = _hostile(desk, "deep.pdbundle", lambda m: m["payload"].update(x=nested(900)))
    year = _hostile(desk, "year.pdbundle", lambda m: m.update(created_at="9999-12-31T23:59:59-12:00"))
    good = desk["dir"] / "app.pdbundle"
    assert main(["import", str(kind), str(deep), str(good), str(year)]) == 1
    out, err = capsys.readouterr()
    out_lines, err_lines = out.splitlines(), err.splitlines()
    assert len(out_lines) == 1 and out_lines[0].startswith(f"{good}: imported: Imported ")
    assert [line.split(": refused: ")[0] for line in err_lines] == [f"panel-desk: {p}" for p in (kind, deep, year)]
    assert "of a kind this version of Panel Desk does not know" in err_lines[0]
    assert "list of contents cannot be read" in err_lines[1]
    assert "more than a day after the time on this computer" in err_lines[2]
    _no_raw_controls(out + err)


def test_bundle_open_refuses_a_hostile_manifest_in_one_line(desk, capsys):
    deep = _hostile(desk, "deep.pdbundle", lambda m: m["payload"].update(x=nested(900)))
    assert main(["bundle", "open", str(deep), "--identity", str(desk["dir"] / "rita.id"),
                 "--trust", str(desk["dir"] / "sam.card")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("panel-desk: ") and "cannot be read" in err
    _no_raw_controls(err)


def test_titles_and_names_with_escapes_and_bidi_are_shown_escaped(desk, capsys):
    good = desk["dir"] / "app.pdbundle"
    assert main(["import", str(good)]) == 0
    out = capsys.readouterr().out
    _no_raw_controls(out)
    assert "Fostering \\x1b[2J\\x1b[31mpanels\\u202efdp.exe" in out and "Northshire\\u202e County Council" in out
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    _no_raw_controls(out)
    assert "Northshire\\u202e County Council" in out
    assert main(["bundle", "open", str(good), "--identity", str(desk["dir"] / "rita.id"),
                 "--trust", str(desk["dir"] / "sam.card")]) == 0
    out = capsys.readouterr().out
    _no_raw_controls(out)
    assert "\\x1b]0;owned\\x07 — documents/" in out


def test_a_refused_file_whose_own_name_holds_bidi_characters_is_named_escaped(desk, capsys):
    junk = desk["dir"] / "letter\u202efdp.exe"
    junk.write_bytes(b"not a bundle")
    assert main(["import", str(junk)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "letter\\u202efdp.exe: refused: " in err
    _no_raw_controls(err)

"""``panel-desk init | import | list | search | audit verify`` through main()."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from panel_desk.cli import main
from panel_desk.core import bundle, rules
from panel_desk.core.appdir import load_application_dir
from panel_desk.core.identity import Identity
from panel_desk.core.model import Role

PASS = "correct horse"


@pytest.fixture(autouse=True)
def _env(monkeypatch, tmp_path):
    monkeypatch.setenv("PANEL_DESK_PASSPHRASE", PASS)
    monkeypatch.setenv("PANEL_DESK_HOME", str(tmp_path / "profile"))


@pytest.fixture
def desk(tmp_path, example_application) -> dict:
    """Rita's identity, the secretariat's card and an application sealed for Rita."""
    sam = Identity.create("Sam Secretariat", Role.SECRETARIAT, "DfE")
    rita = Identity.create("Rita Reader", Role.CHILDRENS_COMMISSIONER, "OCC")
    rita.save(tmp_path / "rita.id", PASS, work_factor=2)
    sam.card.save(tmp_path / "sam.card")
    app, files = load_application_dir(example_application)
    app = app.with_id()
    bundle.seal(bundle.Kind.APPLICATION, application_id=app.id, revision=app.revision,
                payload=app.model_dump(mode="json"), files=files, titles={d.path: d.title for d in app.documents},
                signer=sam, recipients=[rita.card], out=tmp_path / "app.pdbundle")
    return {"rita": rita, "app": app, "dir": tmp_path}


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("panel-desk: ") and "Traceback" not in err
    return err


def _init(desk) -> None:
    assert main(["init", "--identity", str(desk["dir"] / "rita.id"), "--trust", str(desk["dir"] / "sam.card")]) == 0


def test_init_prints_the_fingerprint_last_and_refuses_a_second_time(desk, capsys):
    _init(desk)
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == desk["rita"].fingerprint
    assert out[0].startswith("Set up the Panel Desk profile of Rita Reader (Children's Commissioner) in ")
    assert out[1].startswith("Trusting bundles signed by Sam Secretariat (Secretariat), fingerprint ")
    assert main(["init", "--identity", str(desk["dir"] / "rita.id")]) == 1
    assert "already a Panel Desk profile" in _one_line_error(capsys)


def test_commands_without_a_profile_say_to_run_init(desk, capsys):
    for argv in (["list"], ["import", str(desk["dir"] / "app.pdbundle")], ["search", "x"], ["audit", "verify"]):
        assert main(argv) == 1
        assert "Run 'panel-desk init' first." in _one_line_error(capsys)


def test_import_reports_each_file_and_fails_if_any_was_refused(desk, capsys):
    _init(desk)
    capsys.readouterr()
    bundle_path = desk["dir"] / "app.pdbundle"
    assert main(["import", str(bundle_path)]) == 0
    line, = capsys.readouterr().out.splitlines()
    assert line.startswith(f"{bundle_path}: imported: Imported ")
    junk = desk["dir"] / "junk.pdbundle"
    junk.write_bytes(b"not a bundle")
    assert main(["import", str(bundle_path), str(junk)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        f"{bundle_path}: duplicate: You already have this bundle (an application); nothing changed."]
    assert captured.err == f"panel-desk: {junk}: refused: This file is not a Panel Desk bundle, or it is damaged.\n"


def test_list_begins_each_line_with_the_id(desk, capsys):
    _init(desk)
    assert main(["list"]) == 0
    assert "There are no applications" in capsys.readouterr().err
    assert main(["import", str(desk["dir"] / "app.pdbundle")]) == 0
    capsys.readouterr()
    assert main(["list"]) == 0
    line, = capsys.readouterr().out.splitlines()
    app = desk["app"]
    days = rules.days_left_words(app.dates.advice_due, date.today())
    assert line == f"{app.id}  Declare your interests  {app.authority}  {days}"


def test_search_prints_title_page_and_snippet(desk, capsys, tmp_path):
    _init(desk)
    assert main(["import", str(desk["dir"] / "app.pdbundle")]) == 0
    app = desk["app"]
    assert main(["search", "consultation"]) == 0  # nothing readable before declaring
    assert "No page matches" in capsys.readouterr().err
    from panel_desk.core.model import ConflictDeclaration
    from panel_desk.core.store import open_profile

    ws = open_profile(tmp_path / "profile", PASS)
    ws.save_declaration(ConflictDeclaration(application_id=app.id, application_revision=1,
                                            member=desk["rita"].fingerprint, none_to_declare=True))
    ws.close()
    assert main(["search", "consultation", "--application", app.id, "--limit", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert 1 <= len(lines) <= 3
    assert all(re.fullmatch(r".+ \(documents/.+\.pdf\), page \d+: .*\[[Cc]onsultation\].*", ln) for ln in lines)
    assert main(["search", "consultation"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith(f"{app.id}: ")
    assert main(["search", "  "]) == 1
    assert "Type a word" in _one_line_error(capsys)


def test_audit_verify(desk, capsys, tmp_path):
    _init(desk)
    capsys.readouterr()
    assert main(["audit", "verify"]) == 0
    assert capsys.readouterr().out == "The audit log is intact: 1 entry, each linked to the one before.\n"
    from panel_desk.core.store import _db

    db = _db.connect(Path(tmp_path / "profile" / "store.db"), desk["rita"].store_key)
    db.execute("DROP TRIGGER audit_no_update")
    db.execute("UPDATE audit SET actor = 'someone else'")
    db.conn.close()
    assert main(["audit", "verify"]) == 1
    assert "entry 1 does not match" in _one_line_error(capsys)


def test_a_wrong_passphrase_is_one_line(desk, capsys, monkeypatch):
    _init(desk)
    capsys.readouterr()
    monkeypatch.setenv("PANEL_DESK_PASSPHRASE", "wrong")
    assert main(["list"]) == 1
    assert "passphrase is not right" in _one_line_error(capsys)

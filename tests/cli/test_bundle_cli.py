"""``panel-desk bundle …`` through main(): seal an application folder, open it, inspect it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from panel_desk.cli import main

FAST = ["--scrypt-work-factor", "10"]


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch):
    monkeypatch.setenv("PANEL_DESK_PASSPHRASE", "correct horse")


@pytest.fixture
def desk(tmp_path, capsys) -> Path:
    """Identities and cards for the secretariat, a member and an outsider."""
    for who, role in (("sam", "secretariat"), ("rita", "childrens-commissioner"), ("olive", "expert")):
        assert main(["identity", "new", "--name", who.title(), "--role", role, "--organisation", "Org",
                     "--out", str(tmp_path / f"{who}.id"), *FAST]) == 0
        assert main(["identity", "card", str(tmp_path / f"{who}.id"), "--out", str(tmp_path / f"{who}.card")]) == 0
    capsys.readouterr()
    return tmp_path


def _seal(desk: Path, example_application: Path, *to: str) -> list[str]:
    return ["bundle", "seal", "--kind", "application", "--from", str(example_application),
            "--sign-with", str(desk / "sam.id"), "--to", *(str(desk / f"{w}.card") for w in to),
            "--out", str(desk / "app.pdbundle")]


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("panel-desk: ") and "Traceback" not in err
    return err


def test_seal_then_open_prints_a_plain_summary(desk, example_application, capsys):
    assert main(_seal(desk, example_application, "rita", "olive")) == 0
    out = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]{2,62}", out[-1])  # the application id, alone, last
    app_id = out[-1]
    assert "Sealed for 2 people: Rita, Olive." in out
    assert main(["bundle", "open", str(desk / "app.pdbundle"), "--identity", str(desk / "rita.id"),
                 "--trust", str(desk / "sam.card")]) == 0
    summary = capsys.readouterr().out
    assert f"An application, revision 1, for application {app_id}." in summary
    assert "From Sam (Secretariat, Org), fingerprint " in summary
    assert "for 2 people, you included" in summary
    assert "Application to test a different way of working — documents/application.pdf (3.4 KB)" in summary
    assert "3 files:" in summary


def test_inspect_needs_no_keys(desk, example_application, capsys):
    assert main(_seal(desk, example_application, "rita")) == 0
    capsys.readouterr()
    assert main(["bundle", "inspect", str(desk / "app.pdbundle")]) == 0
    out = capsys.readouterr().out
    assert "Sealed for one person (key types: mlkem768x25519)." in out and "binary form" in out
    assert "Protection: post-quantum (ML-KEM-768 + X25519)" in out


@pytest.mark.parametrize(("who", "trust", "message"), [
    ("olive", "sam", "not addressed to you"),
    ("rita", "olive", "not been asked to trust"),
    ("rita", None, "not been asked to trust"),
])
def test_open_refusals_are_one_plain_line(desk, example_application, capsys, who, trust, message):
    assert main(_seal(desk, example_application, "rita")) == 0
    capsys.readouterr()
    argv = ["bundle", "open", str(desk / "app.pdbundle"), "--identity", str(desk / f"{who}.id")]
    if trust:
        argv += ["--trust", str(desk / f"{trust}.card")]
    assert main(argv) == 1
    assert message in _one_line_error(capsys)


def test_open_refuses_a_damaged_bundle(desk, example_application, capsys):
    assert main(_seal(desk, example_application, "rita")) == 0
    capsys.readouterr()
    path = desk / "app.pdbundle"
    data = bytearray(path.read_bytes())
    data[-100] ^= 1
    path.write_bytes(bytes(data))
    assert main(["bundle", "open", str(path), "--identity", str(desk / "rita.id"), "--trust", str(desk / "sam.card")]) == 1
    assert "damaged" in _one_line_error(capsys)
    assert main(["bundle", "inspect", str(desk / "sam.card")]) == 1
    assert "not a Panel Desk bundle" in _one_line_error(capsys)


def test_seal_from_a_folder_that_is_not_an_application(desk, capsys):
    (desk / "empty").mkdir()
    assert main(["bundle", "seal", "--kind", "application", "--from", str(desk / "empty"),
                 "--sign-with", str(desk / "sam.id"), "--to", str(desk / "rita.card"),
                 "--out", str(desk / "x.pdbundle")]) == 1
    assert "application.toml" in _one_line_error(capsys)
    assert not (desk / "x.pdbundle").exists()


def test_other_kinds_and_missing_recipients_are_usage_errors(desk, example_application):
    with pytest.raises(SystemExit) as exc:
        main(["bundle", "seal", "--kind", "response", "--from", str(example_application),
              "--sign-with", str(desk / "sam.id"), "--to", str(desk / "rita.card"), "--out", str(desk / "x")])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["bundle", "seal", "--kind", "application", "--from", str(example_application),
              "--sign-with", str(desk / "sam.id"), "--out", str(desk / "x")])
    assert exc.value.code == 2


def test_sizes_and_counts_read_as_a_person_says_them():
    from panel_desk.cli.bundle_cmds import _people, _size

    assert [_size(n) for n in (1, 999, 3_443, 12_345_678, 2_000_000_000_000)] == [
        "1 byte", "999 bytes", "3.4 KB", "12 MB", "2000 GB"]
    assert (_people(1), _people(3)) == ("one person", "3 people")


def test_open_summary_of_a_bundle_without_files_and_with_an_expiry(desk, capsys):
    from datetime import timedelta

    from panel_desk.core import bundle
    from panel_desk.core.identity import Identity, PublicCard
    from panel_desk.core.model import utcnow

    sam = Identity.load(desk / "sam.id", "correct horse")
    bundle.seal(bundle.Kind.WITHDRAWAL, application_id="wexmoor-2026-0001", revision=2,
                payload={"reason": "Withdrawn by the authority."}, files={}, signer=sam,
                recipients=[PublicCard.load(desk / "rita.card")], out=desk / "w.pdbundle",
                expires_at=utcnow() + timedelta(days=3))
    assert main(["bundle", "open", str(desk / "w.pdbundle"), "--identity", str(desk / "rita.id"),
                 "--trust", str(desk / "sam.card")]) == 0
    out = capsys.readouterr().out
    assert "The withdrawal of an application, revision 2, for application wexmoor-2026-0001." in out
    assert "Valid until " in out and "No files." in out


def test_inspect_says_classic_when_one_card_is_from_before_post_quantum_keys(desk, example_application, capsys):
    old_card = Path(__file__).resolve().parents[1] / "core" / "data" / "card_v1.json"
    args = _seal(desk, example_application, "rita")
    args[args.index("--out"):args.index("--out")] = [str(old_card)]  # one more card after --to's
    assert main(args) == 0
    capsys.readouterr()
    assert main(["bundle", "inspect", str(desk / "app.pdbundle")]) == 0
    out = capsys.readouterr().out
    assert "Sealed for 2 people (key types: X25519)." in out
    assert "Protection: classic (X25519)" in out
    # the post-quantum member still opens it, with the classic key her identity also holds
    assert main(["bundle", "open", str(desk / "app.pdbundle"), "--identity", str(desk / "rita.id"),
                 "--trust", str(desk / "sam.card")]) == 0

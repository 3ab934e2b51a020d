"""``panel-desk identity …`` through main(): outputs, files written, exit codes and one-line refusals."""

from __future__ import annotations

import os
import re

import pytest

from panel_desk.cli import main
from panel_desk.core.identity import Identity, PublicCard

FAST = ["--scrypt-work-factor", "10"]  # hidden option, for tests only


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch):
    monkeypatch.setenv("PANEL_DESK_PASSPHRASE", "correct horse")
    monkeypatch.delenv("PANEL_DESK_NEW_PASSPHRASE", raising=False)


def _new(tmp_path, name="Rita Reader", role="childrens-commissioner", out="rita.id") -> str:
    assert main(["identity", "new", "--name", name, "--role", role, "--organisation", "OCC",
                 "--acts-for", "Children's Commissioner", "--out", str(tmp_path / out), *FAST]) == 0
    return out


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("panel-desk: ") and "Traceback" not in err
    return err


def test_new_prints_the_fingerprint_and_ends_with_the_id(tmp_path, capsys):
    _new(tmp_path)
    out = capsys.readouterr().out.splitlines()
    fingerprint = out[-1]
    assert re.fullmatch(r"[A-Z2-7]{32}", fingerprint)
    assert any(line.startswith("Fingerprint: ") and line.replace(" ", "").endswith(fingerprint) for line in out)
    identity = Identity.load(tmp_path / "rita.id", "correct horse")
    assert identity.fingerprint == fingerprint and identity.acts_for == "Children's Commissioner"
    assert os.stat(tmp_path / "rita.id").st_mode & 0o777 == 0o600


def test_new_refuses_to_overwrite(tmp_path, capsys):
    (tmp_path / "rita.id").write_bytes(b"precious")
    assert main(["identity", "new", "--name", "R", "--role", "expert", "--organisation", "O",
                 "--out", str(tmp_path / "rita.id"), *FAST]) == 1
    assert "already exists" in _one_line_error(capsys)
    assert (tmp_path / "rita.id").read_bytes() == b"precious"


def test_new_refuses_an_unknown_role_in_words(tmp_path, capsys):
    assert main(["identity", "new", "--name", "R", "--role", "king", "--organisation", "O",
                 "--out", str(tmp_path / "x.id"), *FAST]) == 1
    assert "not a role" in _one_line_error(capsys)
    assert not (tmp_path / "x.id").exists()


def test_new_without_a_passphrase_source_says_how_to_give_one(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("PANEL_DESK_PASSPHRASE")
    monkeypatch.setattr("sys.stdin", None)
    assert main(["identity", "new", "--name", "R", "--role", "expert", "--organisation", "O",
                 "--out", str(tmp_path / "x.id"), *FAST]) == 1
    assert "PANEL_DESK_PASSPHRASE" in _one_line_error(capsys)


def test_missing_options_are_a_usage_error(tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["identity", "new", "--name", "R", "--out", str(tmp_path / "x.id")])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["identity", "new", "--name", "R", "--role", "expert", "--organisation", "O",
              "--out", str(tmp_path / "x.id"), "--scrypt-work-factor", "4"])
    assert exc.value.code == 2


def test_card_and_show(tmp_path, capsys):
    _new(tmp_path)
    capsys.readouterr()
    assert main(["identity", "card", str(tmp_path / "rita.id"), "--out", str(tmp_path / "rita.card")]) == 0
    fingerprint = capsys.readouterr().out.splitlines()[-1]
    card = PublicCard.load(tmp_path / "rita.card")
    assert card.fingerprint == fingerprint
    for path in ("rita.card", "rita.id"):
        assert main(["identity", "show", str(tmp_path / path)]) == 0
        out = capsys.readouterr().out
        assert "Name: Rita Reader" in out and "Role: Children's Commissioner" in out
        assert "Organisation: OCC" in out
        assert f"Fingerprint: {card.formatted_fingerprint}" in out
        assert f"age recipient (classic): {card.age_recipient}" in out
        assert f"age recipient (post-quantum): {card.age_pq_recipient}" in out
        assert "Keys: post-quantum" in out


def test_show_refuses_an_altered_card(tmp_path, capsys):
    _new(tmp_path)
    main(["identity", "card", str(tmp_path / "rita.id"), "--out", str(tmp_path / "rita.card")])
    capsys.readouterr()
    card = tmp_path / "rita.card"
    card.write_text(card.read_text().replace("Rita Reader", "Mallory"))
    assert main(["identity", "show", str(card)]) == 1
    assert "altered or damaged" in _one_line_error(capsys)


def test_wrong_passphrase_is_one_plain_line(tmp_path, capsys, monkeypatch):
    _new(tmp_path)
    capsys.readouterr()
    monkeypatch.setenv("PANEL_DESK_PASSPHRASE", "wrong")
    assert main(["identity", "show", str(tmp_path / "rita.id")]) == 1
    assert "passphrase is not right" in _one_line_error(capsys)


def test_missing_file_is_one_plain_line(tmp_path, capsys):
    assert main(["identity", "show", str(tmp_path / "nope")]) == 1
    assert "no file" in _one_line_error(capsys)


def test_passwd_from_a_file_keeps_the_fingerprint(tmp_path, capsys, monkeypatch):
    _new(tmp_path)
    before = Identity.load(tmp_path / "rita.id", "correct horse")
    new_file = tmp_path / "new.txt"
    new_file.write_text("battery staple\n")
    assert main(["identity", "passwd", str(tmp_path / "rita.id"), "--new-passphrase-file", str(new_file), *FAST]) == 0
    after = Identity.load(tmp_path / "rita.id", "battery staple")
    assert after.fingerprint == before.fingerprint and after.store_key == before.store_key
    # and from the environment
    monkeypatch.setenv("PANEL_DESK_PASSPHRASE", "battery staple")
    monkeypatch.setenv("PANEL_DESK_NEW_PASSPHRASE", "third one")
    assert main(["identity", "passwd", str(tmp_path / "rita.id"), *FAST]) == 0
    assert Identity.load(tmp_path / "rita.id", "third one").fingerprint == before.fingerprint


def test_passwd_with_the_wrong_old_passphrase_changes_nothing(tmp_path, capsys, monkeypatch):
    _new(tmp_path)
    capsys.readouterr()
    before = (tmp_path / "rita.id").read_bytes()
    monkeypatch.setenv("PANEL_DESK_PASSPHRASE", "wrong")
    monkeypatch.setenv("PANEL_DESK_NEW_PASSPHRASE", "new")
    assert main(["identity", "passwd", str(tmp_path / "rita.id"), *FAST]) == 1
    _one_line_error(capsys)
    assert (tmp_path / "rita.id").read_bytes() == before


def test_export_age_key_writes_a_private_key_file(tmp_path, capsys):
    _new(tmp_path)
    key = tmp_path / "rita.key"
    assert main(["identity", "export-age-key", str(tmp_path / "rita.id"), "--out", str(key)]) == 0
    lines = key.read_text().splitlines()
    assert lines[0].startswith("# created: ")
    assert lines[-1].startswith("AGE-SECRET-KEY-1")
    assert os.stat(key).st_mode & 0o777 == 0o600
    capsys.readouterr()
    assert main(["identity", "export-age-key", str(tmp_path / "rita.id"), "--out", str(key)]) == 1
    assert "already exists" in _one_line_error(capsys)


def test_passwd_to_the_same_passphrase_is_refused(tmp_path, capsys, monkeypatch):
    _new(tmp_path)
    capsys.readouterr()
    monkeypatch.setenv("PANEL_DESK_NEW_PASSPHRASE", "correct horse")
    assert main(["identity", "passwd", str(tmp_path / "rita.id"), *FAST]) == 1
    assert "same as the current one" in _one_line_error(capsys)


def test_show_a_folder_or_a_card_without_acts_for(tmp_path, capsys):
    assert main(["identity", "show", str(tmp_path)]) == 1
    assert "Cannot read" in _one_line_error(capsys)
    Identity.create("Eve Expert", "expert", "University").card.save(tmp_path / "eve.card")
    assert main(["identity", "show", str(tmp_path / "eve.card")]) == 0
    out = capsys.readouterr().out
    assert "Role: Other relevant expertise" in out and "Acts for" not in out


def test_export_age_key_holds_the_post_quantum_key_unless_classic_is_asked(tmp_path, capsys):
    _new(tmp_path)
    identity = Identity.load(tmp_path / "rita.id", "correct horse")
    assert main(["identity", "export-age-key", str(tmp_path / "rita.id"), "--out", str(tmp_path / "all.key")]) == 0
    assert "--classic" in capsys.readouterr().out
    keys = [line for line in (tmp_path / "all.key").read_text().splitlines() if line.startswith("AGE-SECRET")]
    assert keys == [identity.pq_identity.to_string(), identity.age_identity.to_string()]
    assert main(["identity", "export-age-key", str(tmp_path / "rita.id"), "--out", str(tmp_path / "old.key"),
                 "--classic"]) == 0
    keys = [line for line in (tmp_path / "old.key").read_text().splitlines() if line.startswith("AGE-SECRET")]
    assert keys == [identity.age_identity.to_string()]


def test_show_says_an_old_card_has_classic_keys(capsys):
    from pathlib import Path

    card = Path(__file__).resolve().parents[1] / "core" / "data" / "card_v1.json"
    assert main(["identity", "show", str(card)]) == 0
    out = capsys.readouterr().out
    assert "Keys: classic" in out and "age recipient: age1nskpx9" in out and "post-quantum)" not in out


def test_work_factor_over_the_cap_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["identity", "new", "--name", "R", "--role", "expert", "--organisation", "O",
              "--out", str(tmp_path / "r.id"), "--scrypt-work-factor", "22"])
    assert exit_.value.code == 2


def test_an_identity_file_asking_too_much_work_is_one_plain_line(tmp_path, capsys):
    from panel_desk.core import age

    data = age.encrypt_bytes([age.ScryptRecipient("correct horse", work_factor=10)], b"{}")
    head, rest = data.split(b" 10\n", 1)
    (tmp_path / "heavy.id").write_bytes(head + b" 22\n" + rest)
    assert main(["identity", "show", str(tmp_path / "heavy.id")]) == 1
    err = _one_line_error(capsys)
    assert "asks for more work than Panel Desk allows (2^22" in err

"""``panel-desk backup | restore | profile check | profile accept-loss | identity passwd`` through main()."""

from __future__ import annotations

import pytest
from _panel import EXAMPLE, PASSPHRASE, make_desk

from panel_desk.core.store import headrecord


@pytest.fixture
def desk(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PANEL_DESK_PASSPHRASE", PASSPHRASE)
    d = make_desk(tmp_path, capsys)
    d.run("sam", "application", "new", EXAMPLE)
    return d


def test_backup_then_restore_on_a_new_laptop(desk, tmp_path):
    out = tmp_path / "sam.pdbackup"
    result = desk.run("sam", "backup", "--out", out)
    assert "Backed up the profile" in result.out and out.exists()
    listed = desk.run("sam", "list").out
    new = tmp_path / "new-laptop"
    result = desk.run(None, "restore", out, "--profile", new)
    assert "Every check passed" in result.out
    assert desk.run(None, "--profile", new, "list").out == listed
    assert "intact" in desk.run(None, "--profile", new, "profile", "check").out
    # a second backup to the same name is refused, nothing overwritten
    before = out.read_bytes()
    result = desk.run("sam", "backup", "--out", out, expect=1)
    assert "already exists" in result.err and out.read_bytes() == before


def test_restore_refusals_are_one_line(desk, tmp_path):
    out = tmp_path / "sam.pdbackup"
    desk.run("sam", "backup", "--out", out)
    result = desk.run(None, "restore", out, "--profile", desk.profile("cara"), expect=1)
    assert "is not empty" in result.err
    short = tmp_path / "short.pdbackup"
    short.write_bytes(out.read_bytes()[:-100])
    result = desk.run(None, "restore", short, "--profile", tmp_path / "x", expect=1)
    assert "damaged or incomplete" in result.err and not (tmp_path / "x").exists()


def test_backup_to_a_recovery_card_restores_with_the_recovery_identity(desk, tmp_path):
    out = tmp_path / "sam.pdbackup"
    desk.run("sam", "backup", "--out", out, "--recovery", desk.file("eve.card"))
    result = desk.run(None, "restore", out, "--profile", tmp_path / "org", "--recovery-identity",
                      desk.file("eve.id"))
    assert "Every check passed" in result.out


def test_profile_check_reports_lost_changes_and_accept_loss_opens_it(desk):
    folder = desk.profile("cara")
    with desk.workspace("cara") as ws:
        key = ws.identity.store_key
        seq, _ = headrecord.database_head(ws.tx.db)
    headrecord.write(folder, key, (seq + 2, "f" * 64))  # as if two later commits were lost
    result = desk.run("cara", "profile", "check", expect=1)
    assert "lost its most recent changes (2 entries): restore from a backup" in result.err
    result = desk.run("cara", "profile", "accept-loss")
    assert "loss of 2 entries is recorded" in result.out
    assert "intact" in desk.run("cara", "profile", "check").out


def test_identity_passwd_changes_the_profile_passphrase(desk, tmp_path, monkeypatch):
    monkeypatch.setenv("PANEL_DESK_NEW_PASSPHRASE", "an entirely new passphrase")
    result = desk.run("eve", "identity", "passwd", "--scrypt-work-factor", "10")
    assert "Changed the passphrase of the profile" in result.out
    desk.run("eve", "list", expect=1)  # the old passphrase no longer opens it
    monkeypatch.setenv("PANEL_DESK_PASSPHRASE", "an entirely new passphrase")
    desk.run("eve", "list")

"""Profiles: creating, opening, refusing, locking and unlocking (panel_desk/core/store/workspace.py)."""

from __future__ import annotations

import shutil

import pytest
from store_helpers import NOW, PASS, application, files_for

from panel_desk.core.errors import InvalidInput, Locked, NotFound, WrongPassphrase
from panel_desk.core.store import StoreError, Workspace, init_profile, open_profile, profile_exists


def test_init_creates_an_encrypted_profile_and_open_unlocks_it(people, tmp_path):
    folder = tmp_path / "profile"
    ws = init_profile(folder, people.rita.file, PASS, [people.sam.card], now=NOW)
    assert profile_exists(folder)
    assert (folder / "identity.age").read_bytes() == people.rita.file.read_bytes()
    assert (folder / "bundles").is_dir()
    assert not (folder / "store.db").read_bytes().startswith(b"SQLite format 3")
    assert ws.me.fingerprint == people.rita.fingerprint and not ws.is_secretariat
    assert [c.fingerprint for c in ws.trusted()] == [people.rita.fingerprint, people.sam.fingerprint]
    ws.close()
    again = open_profile(folder, PASS)
    assert again.fingerprint == people.rita.fingerprint
    assert [e["action"] for e in again.audit_log()] == ["profile.init"]
    again.close()


def test_init_refuses_an_existing_profile_and_changes_nothing(people, tmp_path):
    folder = tmp_path / "profile"
    init_profile(folder, people.rita.file, PASS).close()
    before = (folder / "store.db").read_bytes()
    with pytest.raises(InvalidInput, match="already a Panel Desk profile"):
        init_profile(folder, people.colin.file, PASS)
    assert (folder / "store.db").read_bytes() == before
    assert (folder / "identity.age").read_bytes() == people.rita.file.read_bytes()


def test_init_with_a_wrong_passphrase_leaves_no_profile(people, tmp_path):
    with pytest.raises(WrongPassphrase):
        init_profile(tmp_path / "profile", people.rita.file, "not it")
    assert not profile_exists(tmp_path / "profile")


def test_open_without_a_profile_says_to_run_init(tmp_path):
    with pytest.raises(NotFound, match=r"There is no Panel Desk profile in .*Run 'panel-desk init' first\."):
        open_profile(tmp_path / "nowhere", PASS)
    assert not profile_exists(tmp_path / "nowhere")


def test_open_with_a_wrong_passphrase(people, tmp_path):
    init_profile(tmp_path / "p", people.rita.file, PASS).close()
    with pytest.raises(WrongPassphrase):
        open_profile(tmp_path / "p", "wrong")


def test_a_database_from_another_identity_is_refused_in_plain_words(people, tmp_path, capfd):
    init_profile(tmp_path / "rita", people.rita.file, PASS).close()
    init_profile(tmp_path / "colin", people.colin.file, PASS).close()
    shutil.copy(tmp_path / "colin" / "store.db", tmp_path / "rita" / "store.db")
    with pytest.raises(StoreError, match=r"^This profile belongs to another identity or is damaged\.$"):
        open_profile(tmp_path / "rita", PASS)
    assert "hmac" not in capfd.readouterr().err  # SQLCipher's own logging is silenced


def test_a_damaged_database_is_refused_in_plain_words(people, tmp_path):
    init_profile(tmp_path / "p", people.rita.file, PASS).close()
    db = tmp_path / "p" / "store.db"
    data = bytearray(db.read_bytes())
    data[100:200] = bytes(100)
    db.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="another identity or is damaged"):
        open_profile(tmp_path / "p", PASS)


def test_lock_closes_everything_and_unlock_restores(secretariat):
    app = secretariat.put_application(application(), files_for(), now=NOW)
    assert secretariat.read_document(app.id, "documents/application.pdf").startswith(b"%PDF")
    secretariat.lock()
    assert secretariat.locked
    assert secretariat.me.name == "Sam Secretariat"  # public details stay for the lock screen
    with pytest.raises(Locked):
        secretariat.identity  # noqa: B018
    with pytest.raises(WrongPassphrase):
        secretariat.unlock("wrong")
    assert secretariat.locked
    secretariat.unlock(PASS)
    assert not secretariat.locked
    assert secretariat.application(app.id).title == app.title


def test_after_lock_every_method_raises_locked_and_no_cache_holds_content(secretariat):
    app = secretariat.put_application(application(), files_for(), now=NOW)
    secretariat.read_document(app.id, "documents/application.pdf")
    secretariat.search("zebra")
    secretariat.lock()
    # nothing decrypted is held: no database, identity, opened bundle or parsed application
    assert secretariat.tx.db is None and secretariat.tx.identity_or_none is None
    assert secretariat.tx.opened == {} and secretariat.tx.apps == {}
    held = repr(vars(secretariat))
    assert "zebra" not in held and app.title not in held
    skipped = {"lock", "unlock", "close", "transaction"}
    with pytest.raises(Locked), secretariat.transaction():
        pass
    called = 0
    for name in dir(Workspace):
        attr = getattr(Workspace, name)
        if name.startswith("_") or name in skipped or not callable(attr):
            continue
        n_args = attr.__code__.co_argcount - 1
        with pytest.raises(Locked):
            getattr(secretariat, name)(*(["x"] * n_args))
        called += 1
    assert called >= 40


def test_close_is_final(people, tmp_path):
    ws = init_profile(tmp_path / "p", people.rita.file, PASS)
    with ws:
        pass
    with pytest.raises(Locked, match="closed"):
        ws.unlock(PASS)


def test_unlock_refuses_a_swapped_identity(people, tmp_path):
    ws = init_profile(tmp_path / "p", people.rita.file, PASS)
    ws.lock()
    shutil.copy(people.colin.file, tmp_path / "p" / "identity.age")
    with pytest.raises(StoreError, match="another identity"):
        ws.unlock(PASS)


def test_the_profile_is_private_to_its_owner(people, tmp_path):
    ws = init_profile(tmp_path / "new" / "profile", people.rita.file, PASS)
    folder = tmp_path / "new" / "profile"
    for path in (folder, folder / "bundles"):
        assert path.stat().st_mode & 0o777 == 0o700
    for path in (folder / "identity.age", folder / "store.db"):
        assert path.stat().st_mode & 0o777 == 0o600
    ws.close()

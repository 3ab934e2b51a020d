"""Identities and public cards: the encrypted identity file, self-signed cards, fingerprints."""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from panel_desk.core import age
from panel_desk.core.errors import InvalidInput, NotFound, WrongPassphrase
from panel_desk.core.identity import (
    Identity,
    PublicCard,
    age_recipients,
    format_fingerprint,
    identity_passwd,
    normalise_fingerprint,
)
from panel_desk.core.model import Role

WF = 10  # scrypt work factor for tests only; production saves at 2^18
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
DATA = Path(__file__).resolve().parent / "data"  # made by Panel Desk before post-quantum keys (commit 3de057f)
OLD_PASSPHRASE = "olive before pq"


@pytest.fixture(scope="module")
def alice() -> Identity:
    return Identity.create("Alice Adams", Role.CHIEF_INSPECTOR, "Ofsted", acts_for="HM Chief Inspector", now=NOW)


def test_identity_file_round_trips_every_key_and_detail(alice, tmp_path):
    path = tmp_path / "alice.identity"
    alice.save(path, "correct horse battery", work_factor=WF)
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert path.read_bytes().startswith(b"age-encryption.org/v1\n-> scrypt ")
    loaded = Identity.load(path, "correct horse battery")
    assert (loaded.name, loaded.role, loaded.organisation, loaded.acts_for) == (
        "Alice Adams", Role.CHIEF_INSPECTOR, "Ofsted", "HM Chief Inspector")
    assert loaded.store_key == alice.store_key and len(loaded.store_key) == 32
    assert loaded.age_identity.to_string() == alice.age_identity.to_string()
    assert loaded.fingerprint == alice.fingerprint
    assert loaded.card == alice.card
    assert b"Alice" not in path.read_bytes()  # nothing in clear


def test_save_leaves_no_temporary_file_and_can_refuse_to_overwrite(alice, tmp_path):
    path = tmp_path / "alice.identity"
    alice.save(path, "pw", work_factor=WF)
    with pytest.raises(InvalidInput, match="already exists"):
        alice.save(path, "other", work_factor=WF, overwrite=False)
    assert Identity.load(path, "pw").fingerprint == alice.fingerprint
    assert [p.name for p in tmp_path.iterdir()] == ["alice.identity"]


def test_wrong_passphrase_is_refused_as_such(alice, tmp_path):
    path = tmp_path / "alice.identity"
    alice.save(path, "right", work_factor=WF)
    with pytest.raises(WrongPassphrase):
        Identity.load(path, "wrong")


@pytest.mark.parametrize("content", [
    b"",
    b"not an age file at all",
    b"age-encryption.org/v1\n-> X25519 abc\n",
])
def test_a_file_that_is_not_an_identity_is_refused_in_words(tmp_path, content):
    path = tmp_path / "x.identity"
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match="not a Panel Desk identity file"):
        Identity.load(path, "pw")


def test_an_age_file_of_something_else_is_not_an_identity(tmp_path):
    path = tmp_path / "x.identity"
    path.write_bytes(age.encrypt_bytes([age.ScryptRecipient("pw", work_factor=WF)], b'{"hello": 1}'))
    with pytest.raises(InvalidInput, match="not a Panel Desk identity file"):
        Identity.load(path, "pw")


def test_a_public_card_is_not_an_identity(alice, tmp_path):
    path = tmp_path / "alice.card"
    alice.card.save(path)
    with pytest.raises(InvalidInput, match="not a Panel Desk identity file"):
        Identity.load(path, "pw")


def test_missing_identity_file_is_not_found(tmp_path):
    with pytest.raises(NotFound):
        Identity.load(tmp_path / "nope", "pw")


def test_passwd_keeps_keys_and_store_key(alice, tmp_path):
    path = tmp_path / "alice.identity"
    alice.save(path, "old", work_factor=WF)
    before = path.read_bytes()
    identity_passwd(path, "old", "new", work_factor=WF)
    assert path.read_bytes() != before
    with pytest.raises(WrongPassphrase):
        Identity.load(path, "old")
    loaded = Identity.load(path, "new")
    assert loaded.store_key == alice.store_key
    assert loaded.age_identity.to_string() == alice.age_identity.to_string()
    assert loaded.card == alice.card
    with pytest.raises(WrongPassphrase):
        Identity.change_passphrase(path, "old", "newer", work_factor=WF)
    assert Identity.load(path, "new").fingerprint == alice.fingerprint


def test_create_refuses_unknown_role_and_empty_name():
    with pytest.raises(InvalidInput, match="not a role"):
        Identity.create("Bob", "king", "Palace")
    with pytest.raises(InvalidInput, match="name"):
        Identity.create("   ", Role.EXPERT, "Uni")
    with pytest.raises(InvalidInput, match="one line"):
        Identity.create("Bob\nEvil", Role.EXPERT, "Uni")


# --- cards ----------------------------------------------------------------------------------------


def test_card_round_trips_and_verifies(alice, tmp_path):
    path = tmp_path / "alice.card"
    alice.card.save(path)
    card = PublicCard.load(path)
    assert card == alice.card
    assert card.fingerprint == alice.fingerprint
    assert card.member.fingerprint == alice.fingerprint and card.member.role is Role.CHIEF_INSPECTOR
    assert card.recipient.to_string() == alice.age_identity.recipient.to_string()
    assert card.pq_recipient == alice.pq_identity.recipient and card.post_quantum
    doc = json.loads(path.read_text())
    assert set(doc) == {"format", "version", "name", "role", "organisation", "acts_for", "age_recipient",
                        "ed25519", "age_pq_recipient", "mldsa65", "created_at", "self_signature"}
    assert doc["version"] == 2 and doc["age_pq_recipient"].startswith("age1pq1")


def test_a_classic_card_keeps_exactly_its_old_fields(tmp_path):
    classic = Identity.create("Cleo Classic", Role.EXPERT, "Uni", now=NOW, post_quantum=False)
    classic.card.save(tmp_path / "c.card")
    doc = json.loads((tmp_path / "c.card").read_text())
    assert set(doc) == {"format", "version", "name", "role", "organisation", "acts_for", "age_recipient",
                        "ed25519", "created_at", "self_signature"}
    assert doc["version"] == 1
    card = PublicCard.load(tmp_path / "c.card")
    assert card.pq_recipient is None and not card.post_quantum


def test_card_is_the_same_every_time():
    one = Identity.create("Carol", Role.EXPERT, "Uni", now=NOW)
    assert one.card.to_json() == one.card.to_json()


def _tampered(card: PublicCard, **changes) -> bytes:
    doc = json.loads(card.to_json())
    doc.update(changes)
    return json.dumps(doc).encode()


@pytest.mark.parametrize("change", [
    {"name": "Mallory"},
    {"role": "secretariat"},
    {"organisation": "Elsewhere"},
    {"created_at": "2020-01-01T00:00:00Z"},
])
def test_altered_card_is_refused(alice, change):
    with pytest.raises(InvalidInput, match="altered or damaged"):
        PublicCard.from_json(_tampered(alice.card, **change))


def test_card_with_someone_elses_keys_is_refused(alice):
    mallory = Identity.create("Mallory", Role.EXPERT, "X")
    with pytest.raises(InvalidInput, match="altered or damaged"):
        PublicCard.from_json(_tampered(alice.card, age_recipient=mallory.card.age_recipient))
    with pytest.raises(InvalidInput, match="altered or damaged"):
        PublicCard.from_json(_tampered(alice.card, ed25519=mallory.card.ed25519))
    # re-signed by the attacker with their own key: still not a valid self-signature
    with pytest.raises(InvalidInput, match="altered or damaged"):
        PublicCard.from_json(_tampered(mallory.card, name="Alice Adams"))


def test_card_with_flipped_signature_bit_is_refused(alice):
    sig = bytearray(base64.b64decode(alice.card.self_signature))
    sig[10] ^= 1
    with pytest.raises(InvalidInput, match="altered or damaged"):
        PublicCard.from_json(_tampered(alice.card, self_signature=base64.b64encode(bytes(sig)).decode()))


@pytest.mark.parametrize("data", [b"", b"[]", b"{", b'{"format": "something"}', "é".encode("latin-1"),
                                  b'{"format":"panel-desk-card","format":"panel-desk-card"}'])
def test_non_card_is_refused_in_words(data):
    with pytest.raises(InvalidInput, match="not a Panel Desk public card"):
        PublicCard.from_json(data)


def test_card_from_a_newer_version_says_so(alice):
    with pytest.raises(InvalidInput, match="newer version"):
        PublicCard.from_json(_tampered(alice.card, version=3))


def test_signatures_are_bound_to_their_domain(alice):
    sig = alice.sign(b"hello", b"panel-desk test v1\n")
    assert alice.card.verify(b"hello", sig, b"panel-desk test v1\n")
    assert not alice.card.verify(b"hello", sig, b"panel-desk other v1\n")
    assert not alice.card.verify(b"hellO", sig, b"panel-desk test v1\n")
    assert not alice.card.verify(b"hello", sig[:-1], b"panel-desk test v1\n")
    with pytest.raises(ValueError):
        alice.sign(b"hello", b"")


# --- fingerprints ---------------------------------------------------------------------------------


def test_fingerprint_is_compact_and_reads_in_groups(alice):
    fp = alice.fingerprint
    assert re.fullmatch(r"[A-Z2-7]{32}", fp)
    grouped = format_fingerprint(fp)
    assert len(grouped.split(" ")) == 8 and all(len(g) == 4 for g in grouped.split(" "))
    assert normalise_fingerprint(grouped.lower()) == fp
    assert normalise_fingerprint(grouped.replace(" ", "-")) == fp


@pytest.mark.parametrize("text", ["", "ABCD", "0" * 32, "A" * 33])
def test_not_a_fingerprint_is_refused(text):
    with pytest.raises(InvalidInput, match="not a fingerprint"):
        normalise_fingerprint(text)


def test_fingerprint_changes_with_any_key(alice):
    other = Identity.create("Alice Adams", Role.CHIEF_INSPECTOR, "Ofsted", now=NOW)
    keys = {"age_identity": alice.age_identity, "signing_key": alice._signing_key,
            "pq_identity": alice.pq_identity, "mldsa_key": alice._mldsa_key}
    theirs = {"age_identity": other.age_identity, "signing_key": other._signing_key,
              "pq_identity": other.pq_identity, "mldsa_key": other._mldsa_key}
    fps = {alice.fingerprint, other.fingerprint}
    for swapped in keys:
        mixed = Identity(name=alice.name, role=alice.role, organisation=alice.organisation,
                         acts_for=alice.acts_for, created_at=alice.created_at, store_key=alice.store_key,
                         **{**keys, swapped: theirs[swapped]})
        fps.add(mixed.fingerprint)
    assert len(fps) == 6


def test_fingerprint_does_not_depend_on_name(alice):
    renamed = Identity(name="Someone Else", role=Role.EXPERT, organisation="", acts_for="",
                       created_at=alice.created_at, age_identity=alice.age_identity,
                       signing_key=alice._signing_key, store_key=alice.store_key,
                       pq_identity=alice.pq_identity, mldsa_key=alice._mldsa_key)
    assert renamed.fingerprint == alice.fingerprint


# --- interoperability -----------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("age") is None, reason="the reference age tool is not installed")
def test_exported_age_key_opens_a_bundle_with_the_reference_tool(alice, tmp_path):
    """A bundle to a panel with one classic card is classic for all; the classic key export opens it."""
    from panel_desk.core import bundle

    secretariat = Identity.create("Sam Secretariat", Role.SECRETARIAT, "DfE")
    old_member = PublicCard.load(DATA / "card_v1.json")
    out = tmp_path / "w.pdbundle"
    bundle.seal(bundle.Kind.WITHDRAWAL, application_id="northshire-2026-ab12", revision=1,
                payload={"reason": "The authority withdrew it."}, files={"notes/why.txt": b"because"},
                signer=secretariat, recipients=[alice.card, old_member], out=out)
    assert bundle.inspect(out).stanza_types == ("X25519", "X25519")
    key = tmp_path / "alice.key"
    key.write_text(alice.export_age_key(now=NOW, classic_only=True))
    assert "AGE-SECRET-KEY-PQ-" not in key.read_text()
    assert key.read_text().splitlines()[0] == "# created: 2026-11-23T12:00:00+00:00"
    plain = subprocess.run(["age", "-d", "-i", str(key), str(out)], check=True, capture_output=True).stdout
    with zipfile.ZipFile(io.BytesIO(plain)) as zf:
        assert zf.namelist()[:2] == ["manifest.json", "manifest.sig"]
        assert zf.testzip() is None
        assert json.loads(zf.read("manifest.json"))["creator"] == secretariat.fingerprint
        assert zf.read("notes/why.txt") == b"because"


@pytest.mark.parametrize("change", [
    {"ed25519": "not base64!"},
    {"ed25519": base64.b64encode(b"x" * 31).decode()},
    {"age_recipient": "age1notarecipient"},
    {"created_at": "2026-11-23T12:00:00"},
    {"self_signature": "###"},
])
def test_card_with_malformed_fields_is_refused(alice, change):
    with pytest.raises(InvalidInput, match="altered or damaged"):
        PublicCard.from_json(_tampered(alice.card, **change))


def test_card_with_an_upper_case_recipient_is_refused(alice):
    with pytest.raises(InvalidInput, match="altered or damaged"):
        PublicCard.from_json(_tampered(alice.card, age_recipient=alice.card.age_recipient.upper()))


def test_card_reads_from_text_and_refuses_huge_input(alice):
    assert PublicCard.from_json(alice.card.to_json().decode()) == alice.card
    with pytest.raises(InvalidInput, match="not a Panel Desk public card"):
        PublicCard.from_json(b" " * 70_000)


def test_files_that_cannot_be_read(tmp_path):
    with pytest.raises(InvalidInput, match="folder"):
        PublicCard.load(tmp_path)
    big = tmp_path / "big"
    big.write_bytes(b"x" * 70_000)
    with pytest.raises(InvalidInput, match="too large"):
        Identity.load(big, "pw")


def test_save_needs_a_passphrase_and_a_folder(alice, tmp_path):
    with pytest.raises(InvalidInput, match="empty"):
        alice.save(tmp_path / "a.id", "", work_factor=WF)
    with pytest.raises(NotFound, match="does not exist"):
        alice.save(tmp_path / "missing" / "a.id", "pw", work_factor=WF)
    with pytest.raises(ValueError):
        alice.save(tmp_path / "a.id", "pw", work_factor=40)
    with pytest.raises(ValueError):
        alice.save(tmp_path / "a.id", "pw", work_factor=21)  # over the 2^20 Panel Desk opens


def test_identity_from_a_newer_version_says_so(tmp_path):
    from panel_desk.core.identity import canonical_json

    path = tmp_path / "x.identity"
    doc = {"format": "panel-desk-identity", "version": 3}
    path.write_bytes(age.encrypt_bytes([age.ScryptRecipient("pw", work_factor=WF)], canonical_json(doc)))
    with pytest.raises(InvalidInput, match="newer version"):
        Identity.load(path, "pw")


def test_identity_with_a_damaged_key_is_refused(alice, tmp_path):
    doc = json.loads(alice._to_json())
    doc["store_key"] = base64.b64encode(b"short").decode()
    path = tmp_path / "x.identity"
    path.write_bytes(age.encrypt_bytes([age.ScryptRecipient("pw", work_factor=WF)], json.dumps(doc).encode()))
    with pytest.raises(InvalidInput, match="not a Panel Desk identity file"):
        Identity.load(path, "pw")


def test_damaged_identity_file_is_refused(alice, tmp_path):
    path = tmp_path / "alice.identity"
    alice.save(path, "pw", work_factor=WF)
    data = bytearray(path.read_bytes())
    data[-5] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(InvalidInput, match="not a Panel Desk identity file"):
        Identity.load(path, "pw")


def test_an_identity_never_shows_its_keys(alice):
    shown = repr(alice)
    assert alice.fingerprint in shown and "AGE-SECRET" not in shown
    assert alice.member.name == "Alice Adams"


def test_no_overwrite_still_works_without_hard_links(alice, tmp_path, monkeypatch):
    def no_links(*args):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "alice.identity"
    alice.save(path, "pw", work_factor=WF, overwrite=False)
    assert Identity.load(path, "pw").fingerprint == alice.fingerprint
    with pytest.raises(InvalidInput, match="already exists"):
        alice.save(path, "pw", work_factor=WF, overwrite=False)
    assert [p.name for p in tmp_path.iterdir()] == ["alice.identity"]


def test_a_write_that_fails_is_one_plain_error(alice, tmp_path, monkeypatch):
    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(InvalidInput, match="No space left"):
        alice.card.save(tmp_path / "alice.card")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("make", [
    lambda: age.encrypt_bytes([age.X25519Identity.generate().recipient], b"{}"),
    lambda: age.encrypt_bytes([age.ScryptRecipient("pw", work_factor=WF)], b"\xff not json"),
    lambda: age.encrypt_bytes([age.ScryptRecipient("pw", work_factor=WF)], b"[1, 2]"),
])
def test_other_encrypted_files_are_not_identities(tmp_path, make):
    path = tmp_path / "x.identity"
    path.write_bytes(make())
    with pytest.raises(InvalidInput, match="not a Panel Desk identity file"):
        Identity.load(path, "pw")


def test_store_key_must_be_32_bytes(alice):
    with pytest.raises(ValueError):
        Identity(name="A", role=Role.EXPERT, organisation="", acts_for="", created_at=NOW,
                 age_identity=alice.age_identity, signing_key=alice._signing_key, store_key=b"short")


# --- post-quantum keys, and files made before them ----------------------------------------------


def test_new_identities_hold_both_kinds_of_key_and_keep_them(alice, tmp_path):
    assert alice.post_quantum and alice.pq_identity is not None
    assert [type(i) for i in alice.age_identities] == [age.HybridIdentity, age.X25519Identity]
    alice.save(tmp_path / "a.id", "pw", work_factor=WF)
    loaded = Identity.load(tmp_path / "a.id", "pw")
    assert loaded.pq_identity.to_string() == alice.pq_identity.to_string()
    assert loaded.card == alice.card and loaded.fingerprint == alice.fingerprint
    sig = loaded.sign_pq(b"manifest", b"panel-desk test v1\n")
    assert alice.card.verify_pq(b"manifest", sig, b"panel-desk test v1\n")
    assert not alice.card.verify_pq(b"manifest", sig, b"panel-desk other v1\n")
    assert not alice.card.verify_pq(b"manifesT", sig, b"panel-desk test v1\n")


def test_an_identity_file_made_before_post_quantum_keys_still_opens():
    old = Identity.load(DATA / "identity_v1.age", OLD_PASSPHRASE)
    card = PublicCard.load(DATA / "card_v1.json")
    assert old.name == "Olive Oldcard" and not old.post_quantum
    assert old.fingerprint == card.fingerprint == "2Q5GIA4CWPJWYZ3OF2F2TD6LOB56Z4H3"  # unchanged
    assert old.card.to_json() == (DATA / "card_v1.json").read_bytes()
    assert old.age_identities == [old.age_identity]
    assert old.sign_pq(b"x", b"d\n") is None and not card.verify_pq(b"x", bytes(3309), b"d\n")
    secret = age.encrypt_bytes([card.recipient], b"for Olive")
    assert age.decrypt_bytes(old.age_identities, secret) == b"for Olive"


def test_an_old_identity_saved_again_stays_classic(tmp_path):
    old = Identity.load(DATA / "identity_v1.age", OLD_PASSPHRASE)
    old.save(tmp_path / "o.id", "new", work_factor=WF)
    again = Identity.load(tmp_path / "o.id", "new")
    assert not again.post_quantum and again.fingerprint == old.fingerprint


def test_recipients_are_hybrid_only_when_every_card_is(alice):
    bob = Identity.create("Bob", Role.EXPERT, "Uni", now=NOW)
    old = PublicCard.load(DATA / "card_v1.json")
    hybrid = age_recipients([alice.card, bob.card])
    assert hybrid == [alice.pq_identity.recipient, bob.pq_identity.recipient]
    mixed = age_recipients([alice.card, old, bob.card])
    assert mixed == [alice.card.recipient, old.recipient, bob.card.recipient]
    assert all(isinstance(r, age.X25519Recipient) for r in mixed)
    # whichever was chosen, each person opens the file with their identity
    for recipients in (hybrid, mixed[::2]):
        data = age.encrypt_bytes(recipients, b"x")
        assert age.decrypt_bytes(bob.age_identities, data) == b"x"


@pytest.mark.parametrize("change", [
    {"age_pq_recipient": ""},
    {"mldsa65": ""},
    {"age_pq_recipient": "age1pq1notarecipient"},
    {"mldsa65": base64.b64encode(b"x" * 100).decode()},
    {"version": 1},
])
def test_post_quantum_card_with_missing_or_malformed_keys_is_refused(alice, change):
    with pytest.raises(InvalidInput, match="altered or damaged"):
        PublicCard.from_json(_tampered(alice.card, **change))


def test_classic_card_cannot_claim_post_quantum_keys(alice):
    old = PublicCard.load(DATA / "card_v1.json")
    with pytest.raises(InvalidInput, match="altered or damaged"):
        PublicCard.from_json(_tampered(old, age_pq_recipient=alice.card.age_pq_recipient))
    with pytest.raises(InvalidInput, match="altered or damaged"):  # signature covers the new fields
        PublicCard.from_json(_tampered(old, version=2, age_pq_recipient=alice.card.age_pq_recipient,
                                       mldsa65=alice.card.mldsa65))


def test_swapped_post_quantum_recipient_breaks_the_card(alice):
    mallory = Identity.create("Mallory", Role.EXPERT, "X")
    with pytest.raises(InvalidInput, match="altered or damaged"):
        PublicCard.from_json(_tampered(alice.card, age_pq_recipient=mallory.card.age_pq_recipient))


def test_exported_key_holds_the_post_quantum_key_first(alice):
    text = alice.export_age_key(now=NOW)
    keys = [line for line in text.splitlines() if line.startswith("AGE-SECRET-KEY")]
    assert keys == [alice.pq_identity.to_string(), alice.age_identity.to_string()]
    assert age.HybridIdentity.parse(keys[0]).recipient == alice.pq_identity.recipient


# --- scrypt work factor (issue 12.8) -------------------------------------------------------------


def _scrypt_file_claiming(tmp_path, work_factor: int) -> Path:
    """An identity file whose scrypt stanza asks for 2^work_factor (made at 2^10, then edited)."""
    data = age.encrypt_bytes([age.ScryptRecipient("pw", work_factor=WF)], b"{}")
    head, rest = data.split(b" 10\n", 1)
    path = tmp_path / "heavy.identity"
    path.write_bytes(head + f" {work_factor}\n".encode() + rest)
    return path


@pytest.mark.parametrize("work_factor", [21, 22, 40, 999])
def test_identity_asking_too_much_scrypt_work_is_refused_at_once_with_the_cause(tmp_path, work_factor):
    import time

    from panel_desk.core.identity import MAX_WORK_FACTOR

    assert MAX_WORK_FACTOR == 20  # 2^20: about a second and 1 GiB, the most an identity file may ask
    path = _scrypt_file_claiming(tmp_path, work_factor)
    start = time.monotonic()
    with pytest.raises(InvalidInput) as err:
        Identity.load(path, "pw")
    assert time.monotonic() - start < 1.0  # nothing derived
    message = str(err.value)
    assert f"asks for more work than Panel Desk allows (2^{work_factor}" in message
    assert "not a Panel Desk identity file" not in message



@pytest.mark.parametrize("form", [str.upper, lambda s: " " + s])
def test_post_quantum_recipient_in_another_form_is_refused(alice, form):
    with pytest.raises(InvalidInput, match="altered or damaged"):
        PublicCard.from_json(_tampered(alice.card, age_pq_recipient=form(alice.card.age_pq_recipient)))


def test_identity_file_whose_version_and_keys_disagree_is_refused(alice, tmp_path):
    for change in ({"version": 1}, {"age_pq_secret_key": ""}, {"version": 1, "mldsa65_seed": ""}):
        doc = json.loads(alice._to_json())
        doc.update(change)
        path = tmp_path / "x.identity"
        path.write_bytes(age.encrypt_bytes([age.ScryptRecipient("pw", work_factor=WF)], json.dumps(doc).encode()))
        with pytest.raises(InvalidInput, match="not a Panel Desk identity file"):
            Identity.load(path, "pw")


def test_an_identity_has_both_post_quantum_keys_or_neither(alice):
    with pytest.raises(ValueError, match="both"):
        Identity(name="X", role=Role.EXPERT, organisation="", acts_for="", created_at=NOW,
                 age_identity=alice.age_identity, signing_key=alice._signing_key, store_key=bytes(32),
                 pq_identity=alice.pq_identity)
    with pytest.raises(ValueError):
        alice.sign_pq(b"x", b"")
    with pytest.raises(ValueError):
        alice.sign_dual(b"x", b"")

"""Bundles and post-quantum keys: hybrid only to all-hybrid panels, classic for all otherwise.

age does not mix hybrid (mlkem768x25519) and classic (X25519) recipients in one file, so a panel
with one classic card (an identity made before post-quantum keys) gets a classic bundle; the
hybrid members open it with the classic key they also hold.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from bundle_helpers import NOW, seal_withdrawal

from panel_desk.core import age, bundle
from panel_desk.core.age import _format, _stream
from panel_desk.core.identity import Identity, PublicCard

DATA = Path(__file__).resolve().parents[1] / "data"  # made before post-quantum keys (commit 3de057f)


@pytest.fixture(scope="module")
def olive() -> Identity:
    return Identity.load(DATA / "identity_v1.age", "olive before pq")


def test_all_hybrid_panel_gets_hybrid_recipients_only(people, tmp_path):
    out = tmp_path / "b.pdbundle"
    seal_withdrawal(people, out)
    info = bundle.inspect(out)
    assert info.stanza_types == ("mlkem768x25519", "mlkem768x25519") and info.post_quantum
    # the classic key alone cannot open it: the protection is real, not decorative
    with pytest.raises(age.NoIdentityMatch):
        age.decrypt_bytes([people.reader.age_identity], out.read_bytes())
    with bundle.open_bundle(out, people.reader, [people.secretariat.card], now=NOW) as opened:
        assert opened.read("letter.txt") == b"withdrawn"


def test_one_classic_card_makes_the_whole_bundle_classic(people, olive, tmp_path):
    out = tmp_path / "b.pdbundle"
    seal_withdrawal(people, out, recipients=[people.reader.card, olive.card])
    info = bundle.inspect(out)
    assert info.stanza_types == ("X25519", "X25519") and not info.post_quantum
    assert info.protection.startswith("classic")
    for who in (people.reader, olive):
        with bundle.open_bundle(out, who, [people.secretariat.card], now=NOW) as opened:
            assert opened.read("letter.txt") == b"withdrawn"


def test_an_old_identity_signs_bundles_that_new_ones_accept(people, olive, tmp_path):
    out = tmp_path / "b.pdbundle"
    bundle.seal(bundle.Kind.WITHDRAWAL, application_id="northshire-2026-ab12", revision=1,
                payload={"reason": "Withdrawn."}, files={}, signer=olive, recipients=[people.reader.card],
                out=out, now=NOW)
    assert bundle.inspect(out).post_quantum  # the only recipient is hybrid
    old_card = PublicCard.load(DATA / "card_v1.json")
    with bundle.open_bundle(out, people.reader, [old_card], now=NOW) as opened:
        assert opened.signer.fingerprint == olive.fingerprint


def test_a_bundle_mixing_hybrid_and_classic_stanzas_is_refused(people, forge, tmp_path):
    path = forge(encrypt_to=[people.reader.card, people.colleague.card])
    plain = age.decrypt_bytes(people.reader.age_identities, path.read_bytes())
    # build a mixed header by hand (age.encrypt refuses to): hybrid for the reader, classic for a colleague
    file_key = b"k" * 16
    stanzas = (people.reader.pq_identity.recipient._wrap(file_key)
               + people.colleague.age_identity.recipient._wrap(file_key))
    nonce = os.urandom(16)
    out = io.BytesIO()
    out.write(_format.serialise_header(stanzas, file_key) + nonce)
    _stream.encrypt_payload(_stream.payload_key(file_key, nonce), io.BytesIO(plain), out, None, None)
    mixed = tmp_path / "mixed.pdbundle"
    mixed.write_bytes(out.getvalue())
    assert "not the way Panel Desk seals" in bundle.inspect(mixed).protection
    with pytest.raises(bundle.RecipientMismatch):
        bundle.open_bundle(mixed, people.reader, [people.secretariat.card], now=NOW)

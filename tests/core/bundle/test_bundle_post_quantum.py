"""Bundles and post-quantum keys: hybrid only to all-hybrid panels, classic for all otherwise;
manifests signed with Ed25519 and ML-DSA-65 by post-quantum signers, both checked.

age does not mix hybrid (mlkem768x25519) and classic (X25519) recipients in one file, so a panel
with one classic card (an identity made before post-quantum keys) gets a classic bundle; the
hybrid members open it with the classic key they also hold.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from bundle_helpers import NOW, make_zip, seal_withdrawal, signed_parts

from panel_desk.core import age, bundle
from panel_desk.core.age import _format, _stream
from panel_desk.core.identity import Identity, PublicCard, age_recipients

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


# --- manifest signatures: Ed25519 and ML-DSA-65 ---------------------------------------------------


def _sealed_with_signature(people, tmp_path, signature_of) -> Path:
    """A bundle from the secretariat to the reader whose manifest.sig is ``signature_of(manifest)``."""
    data, _ = signed_parts(people, {"letter.txt": b"withdrawn"})
    zip_bytes = make_zip([("manifest.json", data), ("manifest.sig", signature_of(data)),
                          ("letter.txt", b"withdrawn")])
    out = tmp_path / "signed.pdbundle"
    out.write_bytes(age.encrypt_bytes(age_recipients([people.reader.card]), zip_bytes))
    return out


def test_a_post_quantum_signer_signs_with_both_keys_and_both_are_checked(people, tmp_path):
    out = tmp_path / "b.pdbundle"
    seal_withdrawal(people, out)
    plain = age.decrypt_bytes(people.reader.age_identities, out.read_bytes())
    with zipfile.ZipFile(io.BytesIO(plain)) as zf:
        signature = zf.read("manifest.sig")
        manifest = zf.read("manifest.json")
    assert len(signature) == 64 + 3309
    card = people.secretariat.card
    assert card.verify(manifest, signature[:64], bundle.MANIFEST_DOMAIN)
    assert card.verify_pq(manifest, signature[64:], bundle.MANIFEST_DOMAIN)
    with bundle.open_bundle(out, people.reader, [card], now=NOW) as opened:
        assert opened.signer == card


@pytest.mark.parametrize("signature_of", [
    pytest.param(lambda s: lambda d: s.sign(d, bundle.MANIFEST_DOMAIN), id="Ed25519 only"),
    pytest.param(lambda s: lambda d: s.sign(d, bundle.MANIFEST_DOMAIN) + bytes(3309), id="ML-DSA zeroed"),
    pytest.param(lambda s: lambda d: s.sign(d, bundle.MANIFEST_DOMAIN) + s.sign_pq(d + b" ", bundle.MANIFEST_DOMAIN),
                 id="ML-DSA over other bytes"),
    pytest.param(lambda s: lambda d: bytes(64) + s.sign_pq(d, bundle.MANIFEST_DOMAIN), id="Ed25519 zeroed"),
])
def test_a_post_quantum_signer_without_both_valid_signatures_is_refused(people, tmp_path, signature_of):
    out = _sealed_with_signature(people, tmp_path, signature_of(people.secretariat))
    with pytest.raises(bundle.Damaged, match="changed after it was signed"):
        bundle.open_bundle(out, people.reader, [people.secretariat.card], now=NOW)


def test_a_classic_signer_cannot_pass_a_long_signature(people, olive, tmp_path):
    data, _ = signed_parts(people, {})
    old_card = PublicCard.load(DATA / "card_v1.json")
    long_sig = olive.sign(data, bundle.MANIFEST_DOMAIN) + bytes(3309)
    assert not old_card.verify_dual(data, long_sig, bundle.MANIFEST_DOMAIN)
    assert old_card.verify_dual(data, olive.sign_dual(data, bundle.MANIFEST_DOMAIN), bundle.MANIFEST_DOMAIN)
    assert len(olive.sign_dual(data, bundle.MANIFEST_DOMAIN)) == 64

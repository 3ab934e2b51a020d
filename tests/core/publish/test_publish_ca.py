"""The publication certificate: the panel's root, the secretariat's certificate, storage and PKCS#12."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from publish_samples import NOW

from panel_desk.core import publish
from panel_desk.core.errors import InvalidInput
from panel_desk.core.publish.ca import SHORT_PANEL_NAME


def _ext(cert: x509.Certificate, kind):
    return cert.extensions.get_extension_for_class(kind)


def test_root_is_a_p256_ca_that_only_signs_certificates_and_crls(creds):
    root = creds.root
    assert isinstance(root.public_key(), ec.EllipticCurvePublicKey)
    assert root.public_key().curve.name == "secp256r1"
    bc = _ext(root, x509.BasicConstraints)
    assert bc.critical and bc.value.ca is True
    ku = _ext(root, x509.KeyUsage)
    assert ku.critical and ku.value.key_cert_sign and ku.value.crl_sign
    assert not (ku.value.digital_signature or ku.value.content_commitment or ku.value.key_encipherment)
    assert root.issuer == root.subject
    root.verify_directly_issued_by(root)


def test_publication_certificate_is_issued_by_the_root_for_signing_only(creds):
    cert, root = creds.cert, creds.root
    cert.verify_directly_issued_by(root)
    assert _ext(cert, x509.BasicConstraints).value.ca is False
    ku = _ext(cert, x509.KeyUsage).value
    assert ku.digital_signature and ku.content_commitment  # content_commitment is nonRepudiation
    assert not (ku.key_cert_sign or ku.crl_sign or ku.key_encipherment)
    assert cert.public_key().curve.name == "secp256r1"
    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert "secretariat" in cn.lower() and "panel" in cn.lower()
    assert creds.signer_name == cn
    assert _ext(cert, x509.AuthorityKeyIdentifier).value.key_identifier == \
        _ext(root, x509.SubjectKeyIdentifier).value.digest


def test_validity_starts_from_the_injected_time(creds):
    assert creds.cert.not_valid_before_utc == NOW - timedelta(hours=1)
    assert creds.cert.not_valid_after_utc > NOW + timedelta(days=365 * 9)
    assert creds.root.not_valid_after_utc > creds.cert.not_valid_after_utc


def test_each_panel_gets_its_own_keys():
    a, b = publish.create_panel_ca(now=NOW), publish.create_panel_ca(now=NOW)
    assert a.root_cert_pem != b.root_cert_pem and a.cert_pem != b.cert_pem


def test_a_panel_name_too_long_for_a_certificate_is_shortened_not_cut():
    creds = publish.create_panel_ca(now=NOW, panel_name="x" * 80)
    org = creds.cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value
    assert org == SHORT_PANEL_NAME
    short = publish.create_panel_ca(now=NOW, panel_name="Northshire test panel")
    assert short.root.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Northshire test panel"


def test_credentials_round_trip_through_bytes(creds):
    data = creds.to_bytes()
    again = publish.PublicationCredentials.from_bytes(data)
    assert again.cert_pem == creds.cert_pem and again.root_cert_pem == creds.root_cert_pem
    assert again.chain == creds.chain
    fmt = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert again.key.public_key().public_bytes(*fmt) == creds.key.public_key().public_bytes(*fmt)
    assert b"PRIVATE KEY" in data  # PKCS#8 PEM: the store around it is what is encrypted


def test_the_key_is_not_in_the_repr(creds):
    assert "PRIVATE" not in repr(creds) and "key=" not in repr(creds)


@pytest.mark.parametrize("damage", ["not json", "other format", "newer version", "key of another cert",
                                    "bad pem", "missing field"])
def test_damaged_stored_credentials_are_refused_in_words(creds, damage):
    doc = json.loads(creds.to_bytes())
    other = publish.create_panel_ca(now=NOW)
    if damage == "not json":
        data = b"\x00\x01garbage"
    else:
        if damage == "other format":
            doc["format"] = "something-else"
        elif damage == "newer version":
            doc["version"] = 99
        elif damage == "key of another cert":
            doc["cert"] = other.cert_pem.decode()
        elif damage == "bad pem":
            doc["cert"] = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
        else:
            del doc["key"]
        data = json.dumps(doc).encode()
    with pytest.raises(InvalidInput) as err:
        publish.PublicationCredentials.from_bytes(data)
    message = str(err.value)
    assert ("newer Panel Desk" in message) if damage == "newer version" else ("panel-desk ca init" in message)


# --- PKCS#12 from a certificate authority ---------------------------------------------------------


def _ca_chain(key_kind: str = "ec"):
    """A root, an intermediate and a signing certificate, as a real CA would issue."""
    def key():
        return ec.generate_private_key(ec.SECP256R1()) if key_kind == "ec" else rsa.generate_private_key(65537, 2048)

    def name(cn):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    def issue(subject, subject_key, issuer, issuer_key, ca):
        b = (x509.CertificateBuilder().subject_name(name(subject)).issuer_name(name(issuer))
             .public_key(subject_key.public_key()).serial_number(x509.random_serial_number())
             .not_valid_before(NOW - timedelta(days=1)).not_valid_after(NOW + timedelta(days=400))
             .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        return b.sign(issuer_key, hashes.SHA256())

    rk, ik, lk = key(), key(), key()
    root = issue("Test Root CA", rk, "Test Root CA", rk, True)
    inter = issue("Test Issuing CA", ik, "Test Root CA", rk, True)
    leaf = issue("Panel Secretariat Signing", lk, "Test Issuing CA", ik, False)
    return lk, leaf, inter, root


def _p12(key, cert, extra, password: bytes | None):
    enc = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return pkcs12.serialize_key_and_certificates(b"panel", key, cert, extra, enc)


def test_pkcs12_keeps_the_root_apart_and_orders_the_chain():
    key, leaf, inter, root = _ca_chain()
    creds = publish.PublicationCredentials.from_pkcs12(_p12(key, leaf, [root, inter], b"s3cret"), "s3cret")
    assert creds.signer_name == "Panel Secretariat Signing"
    assert creds.chain == (inter.public_bytes(serialization.Encoding.PEM),)
    assert creds.root_cert_pem == root.public_bytes(serialization.Encoding.PEM)
    assert publish.PublicationCredentials.from_bytes(creds.to_bytes()).chain == creds.chain


def test_pkcs12_without_its_root_has_no_root():
    key, leaf, inter, _root = _ca_chain("rsa")
    creds = publish.PublicationCredentials.from_pkcs12(_p12(key, leaf, [inter], None), None)
    assert creds.root_cert_pem is None and len(creds.chain) == 1
    assert publish.PublicationCredentials.from_bytes(creds.to_bytes()).root_cert_pem is None


def test_pkcs12_wrong_password_or_damage_is_refused_in_words():
    key, leaf, inter, root = _ca_chain()
    data = _p12(key, leaf, [inter, root], b"right")
    with pytest.raises(InvalidInput, match="password is wrong or the file is damaged"):
        publish.PublicationCredentials.from_pkcs12(data, "wrong")
    with pytest.raises(InvalidInput, match="password is wrong or the file is damaged"):
        publish.PublicationCredentials.from_pkcs12(data[:200], "right")


def test_pkcs12_without_a_key_is_refused():
    _key, leaf, inter, root = _ca_chain()
    data = pkcs12.serialize_key_and_certificates(b"x", None, None, [leaf, inter, root],
                                                 serialization.NoEncryption())
    with pytest.raises(InvalidInput, match="no private key"):
        publish.PublicationCredentials.from_pkcs12(data, None)

"""The publication certificate: the panel's own root and the secretariat's signing certificate.

By default the app creates an ECDSA P-256 root for the panel and, issued by it, the certificate
the secretariat signs published advice with. A certificate from a real certificate authority can
be brought in as a PKCS#12 file instead. :class:`PublicationCredentials` serialises to bytes meant
to be kept as a secret inside the encrypted store (the key is unencrypted PKCS#8 there because the
store itself is encrypted).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from panel_desk.core.errors import InvalidInput
from panel_desk.core.model import utcnow

DEFAULT_PANEL_NAME = "Expert advisory panel on the power to test different ways of working"
SECRETARIAT_NAME = "Secretariat of the expert advisory panel"
ROOT_YEARS = 20
SIGNING_YEARS = 10
CRL_DAYS = 366  # how long a certificate revocation list counts as current
_FORMAT = "panel-desk-publication-credentials"
_VERSION = 2  # 2 keeps the root's key (to issue CRLs and a new certificate) and the revoked serials
_MAX_P12_BYTES = 1 << 20

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key: PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


SHORT_PANEL_NAME = "Expert advisory panel on different ways of working"


def _organisation(panel_name: str) -> str:
    # X.520 caps the organisation name at 64 characters; a longer panel name would be cut short
    # (or refused) by some validators, so a shorter form of the name stands in.
    panel_name = " ".join(panel_name.split())
    return panel_name if 0 < len(panel_name) <= 64 else SHORT_PANEL_NAME


def _same_public_key(key: PrivateKey, cert: x509.Certificate) -> bool:
    fmt = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return key.public_key().public_bytes(*fmt) == cert.public_key().public_bytes(*fmt)


def _self_signed(cert: x509.Certificate) -> bool:
    return cert.issuer == cert.subject


@dataclass(frozen=True)
class PublicationCredentials:
    """The signing key, its certificate, the intermediate certificates and (if known) the root.

    ``chain`` lists the certificates between the signing certificate and the root, nearest first
    (empty for the panel's own root). ``root_cert_pem`` is None when a PKCS#12 file did not
    include its root.
    """

    cert_pem: bytes
    key: PrivateKey = field(repr=False)
    chain: tuple[bytes, ...] = ()
    root_cert_pem: bytes | None = None
    # the panel's own root keeps its key so it can revoke and issue CRLs (None for a PKCS#12 import)
    root_key: PrivateKey | None = field(default=None, repr=False)
    revoked: tuple[tuple[int, str], ...] = ()  # (serial number, ISO date and time of revocation)

    @property
    def issues_crls(self) -> bool:
        """Whether this is the panel's own root, which can issue revocation lists."""
        return self.root_key is not None and self.root_cert_pem is not None

    @property
    def cert(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.cert_pem)

    @property
    def root(self) -> x509.Certificate | None:
        return None if self.root_cert_pem is None else x509.load_pem_x509_certificate(self.root_cert_pem)

    @property
    def signer_name(self) -> str:
        """The signing certificate's common name (or its whole subject), as people read it."""
        return common_name(self.cert)

    def to_bytes(self) -> bytes:
        """Serialise for the store: JSON with PEM certificates and an unencrypted PKCS#8 key."""
        key_pem = _key_pem(self.key)
        doc = {
            "format": _FORMAT,
            "version": _VERSION,
            "key": key_pem.decode("ascii"),
            "cert": self.cert_pem.decode("ascii"),
            "chain": [c.decode("ascii") for c in self.chain],
            "root": None if self.root_cert_pem is None else self.root_cert_pem.decode("ascii"),
            "root_key": None if self.root_key is None else _key_pem(self.root_key).decode("ascii"),
            "revoked": [[serial, when] for serial, when in self.revoked],
        }
        return json.dumps(doc, indent=1).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> PublicationCredentials:
        """Read what :meth:`to_bytes` wrote; raise InvalidInput if it is damaged or inconsistent."""
        damaged = InvalidInput("The stored publication certificate is damaged. Create it again: panel-desk ca init.")
        try:
            doc = json.loads(data.decode("utf-8"))
            if not isinstance(doc, dict) or doc.get("format") != _FORMAT:
                raise damaged
            if doc.get("version") not in (1, _VERSION):
                raise InvalidInput("The stored publication certificate was made by a newer Panel Desk. "
                                   "Update Panel Desk to use it.")
            key = serialization.load_pem_private_key(doc["key"].encode("ascii"), password=None)
            cert_pem = doc["cert"].encode("ascii")
            cert = x509.load_pem_x509_certificate(cert_pem)
            chain = tuple(c.encode("ascii") for c in doc["chain"])
            for c in chain:
                x509.load_pem_x509_certificate(c)
            root = doc["root"].encode("ascii") if doc["root"] is not None else None
            if root is not None:
                x509.load_pem_x509_certificate(root)
            root_key = doc.get("root_key")
            root_key = None if root_key is None else serialization.load_pem_private_key(root_key.encode("ascii"),
                                                                                        password=None)
            revoked = tuple((int(serial), str(when)) for serial, when in doc.get("revoked", []))
        except InvalidInput:
            raise
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeError):
            raise damaged from None
        if not isinstance(key, PrivateKey) or not _same_public_key(key, cert):
            raise damaged
        if root_key is not None and (root is None or not isinstance(root_key, PrivateKey)
                                     or not _same_public_key(root_key, x509.load_pem_x509_certificate(root))):
            raise damaged
        return cls(cert_pem=cert_pem, key=key, chain=chain, root_cert_pem=root, root_key=root_key, revoked=revoked)

    @classmethod
    def from_pkcs12(cls, data: bytes, password: bytes | str | None) -> PublicationCredentials:
        """Credentials from a certificate authority's PKCS#12 (.p12/.pfx) file.

        The root is kept when the file includes a self-signed certificate; the other certificates
        become the chain. Raises InvalidInput for a wrong password, a damaged file, or a file
        without a key and its certificate.
        """
        if len(data) > _MAX_P12_BYTES:
            raise InvalidInput("That file is too large to be a PKCS#12 certificate file.")
        if isinstance(password, str):
            password = password.encode("utf-8")
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, password or None)
        except ValueError:
            raise InvalidInput("Cannot open that PKCS#12 file: the password is wrong or the file is damaged.") from None
        if key is None or cert is None:
            raise InvalidInput("That PKCS#12 file has no private key and certificate to sign with.")
        if not isinstance(key, PrivateKey):
            raise InvalidInput("The key in that PKCS#12 file is of a kind PDF signatures cannot use.")
        if not _same_public_key(key, cert):
            raise InvalidInput("The key in that PKCS#12 file does not belong to its certificate.")
        roots = [c for c in extra if _self_signed(c)]
        chain = tuple(_pem(c) for c in _order_chain(cert, [c for c in extra if not _self_signed(c)]))
        root = _pem(roots[0]) if roots else (_pem(cert) if _self_signed(cert) else None)
        return cls(cert_pem=_pem(cert), key=key, chain=chain, root_cert_pem=root)


def _order_chain(leaf: x509.Certificate, certs: list[x509.Certificate]) -> list[x509.Certificate]:
    """Intermediates from the leaf upwards; any that do not link on are kept at the end."""
    out, rest, current = [], list(certs), leaf
    while True:
        nxt = next((c for c in rest if c.subject == current.issuer), None)
        if nxt is None:
            return out + rest
        out.append(nxt)
        rest.remove(nxt)
        current = nxt


def common_name(cert: x509.Certificate) -> str:
    """The certificate's common name, or its whole subject when it has none."""
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if names and isinstance(names[0].value, str) and names[0].value.strip():
        return names[0].value.strip()
    return cert.subject.rfc4514_string()


def describe_subject(cert: x509.Certificate) -> str:
    """``Common name, Organisation`` from a certificate's subject, as a person reads it."""
    parts = []
    for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME):
        for attr in cert.subject.get_attributes_for_oid(oid):
            value = attr.value if isinstance(attr.value, str) else attr.value.decode("utf-8", "replace")
            if value not in parts:
                parts.append(value)
    return ", ".join(parts) or cert.subject.rfc4514_string()


def create_panel_ca(*, panel_name: str = DEFAULT_PANEL_NAME, now: datetime | None = None) -> PublicationCredentials:
    """Create the panel's root and the secretariat's publication certificate issued by it.

    Root: ECDSA P-256, CA:true (no intermediates below it), keyCertSign and cRLSign only.
    Publication certificate: ECDSA P-256, digitalSignature and nonRepudiation, subject naming
    the panel's secretariat. Both are valid from one hour before ``now`` (clock skew).
    """
    now = now or utcnow()
    start = now - timedelta(hours=1)
    org = _organisation(panel_name)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
        x509.NameAttribute(NameOID.COMMON_NAME, "Expert advisory panel publication root"),
    ])
    root_ski = x509.SubjectKeyIdentifier.from_public_key(root_key.public_key())
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=365 * ROOT_YEARS + 5))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(root_ski, critical=False)
        .sign(root_key, hashes.SHA256())
    )
    key, cert = _issue_signing_certificate(root, root_key, now)
    return PublicationCredentials(cert_pem=_pem(cert), key=key, chain=(), root_cert_pem=_pem(root),
                                  root_key=root_key)


def _issue_signing_certificate(root: x509.Certificate, root_key: PrivateKey,
                               now: datetime) -> tuple[PrivateKey, x509.Certificate]:
    """A new publication certificate (and its key) issued by the panel's root."""
    start = now - timedelta(hours=1)
    org = root.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value
    root_name = root.subject
    root_ski = root.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Secretariat"),
        x509.NameAttribute(NameOID.COMMON_NAME, SECRETARIAT_NAME),
    ])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(root_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(min(start + timedelta(days=365 * SIGNING_YEARS + 2), root.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_ski), critical=False)
        # revocation is published as the root's CRL (carried in each advice's DSS): naming the root as
        # the distribution point makes validators look for it, so a revoked certificate is caught
        .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.DirectoryName(root_name)], relative_name=None, reasons=None, crl_issuer=None)]),
            critical=False)
        .sign(root_key, hashes.SHA256())
    )
    return key, cert


def revoke_signing_certificate(creds: PublicationCredentials, *,
                               now: datetime | None = None) -> PublicationCredentials:
    """Revoke the current publication certificate and issue a new one from the same root.

    Advice already signed keeps checking as signed before the revocation (the revocation list
    says when). Raises InvalidInput for a certificate from a certificate authority: revoke it there.
    """
    if not creds.issues_crls or creds.root_key is None or creds.root is None:
        raise InvalidInput("This publication certificate was not issued by the panel's own root, so Panel Desk "
                           "cannot revoke it: ask the certificate authority that issued it.")
    now = now or utcnow()
    key, cert = _issue_signing_certificate(creds.root, creds.root_key, now)
    revoked = (*creds.revoked, (creds.cert.serial_number, now.isoformat()))
    return PublicationCredentials(cert_pem=_pem(cert), key=key, chain=(), root_cert_pem=creds.root_cert_pem,
                                  root_key=creds.root_key, revoked=revoked)


def issue_crl(creds: PublicationCredentials, *, now: datetime | None = None) -> bytes:
    """The root's certificate revocation list (DER), current from ``now`` for :data:`CRL_DAYS` days.

    Raises InvalidInput when the root is not the panel's own (its authority publishes the CRL).
    """
    if not creds.issues_crls or creds.root_key is None or creds.root is None:
        raise InvalidInput("Only the panel's own root issues a revocation list; this certificate came from a "
                           "certificate authority, which publishes its own.")
    now = now or utcnow()
    root = creds.root
    this_update = now - timedelta(minutes=5)
    next_update = min(now + timedelta(days=CRL_DAYS), root.not_valid_after_utc)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(root.subject)
        .last_update(this_update)
        .next_update(next_update)
        .add_extension(x509.CRLNumber(int(now.timestamp() * 1000)), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(creds.root_key.public_key()),
                       critical=False)
    )
    for serial, when in creds.revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial)
            .revocation_date(datetime.fromisoformat(when)).build())
    crl = builder.sign(creds.root_key, hashes.SHA256())
    return crl.public_bytes(serialization.Encoding.DER)


def fingerprint(pem: bytes) -> str:
    """The certificate's SHA-256 fingerprint as people compare it: ``AB:CD:…``."""
    der = x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)
    digest = hashes.Hash(hashes.SHA256())
    digest.update(der)
    hexed = digest.finalize().hex().upper()
    return ":".join(hexed[i:i + 2] for i in range(0, len(hexed), 2))


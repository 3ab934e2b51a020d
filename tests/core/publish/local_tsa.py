"""A real RFC 3161 time-stamping service on 127.0.0.1 for tests and benchmarks.

It answers HTTP POSTs of ``application/timestamp-query`` with pyHanko's own TSA responder
(:class:`~pyhanko.sign.timestamps.dummy_client.DummyTimeStamper`) signing with a key and
certificate made here (its own root, 30 years, so a check in 2040 still finds it valid).
"""

from __future__ import annotations

import contextlib
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test time-stamping authority"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_tsa(now: datetime) -> tuple[bytes, x509.Certificate, rsa.RSAPrivateKey, x509.Certificate]:
    """(root PEM, TSA certificate, TSA key, root), valid from an hour before ``now`` for 30 years."""
    start, end = now - timedelta(hours=1), now + timedelta(days=365 * 30)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = (x509.CertificateBuilder().subject_name(_name("Test TSA root")).issuer_name(_name("Test TSA root"))
            .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end + timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .sign(root_key, hashes.SHA256()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's responder signs with RSA
    cert = (x509.CertificateBuilder().subject_name(_name("Test TSA")).issuer_name(root.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(root_key, hashes.SHA256()))
    return root.public_bytes(serialization.Encoding.PEM), cert, key, root


@contextlib.contextmanager
def local_tsa(now: datetime, *, fixed_time: datetime | None = None):
    """Serve a TSA on 127.0.0.1; yield (url, root PEM). ``fixed_time``: the time every token states."""
    root_pem, cert, key, root = make_tsa(now)
    der = serialization.Encoding.DER
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(der)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(der, serialization.PrivateFormat.PKCS8,
                                                                serialization.NoEncryption())),
        certs_to_embed=[asn1_x509.Certificate.load(root.public_bytes(der))],
        fixed_dt=fixed_time)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args) -> None:  # keep test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", root_pem
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)

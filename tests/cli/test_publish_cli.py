"""``panel-desk ca …``, ``advice export`` and ``verify`` through main(): outputs, files, exit codes, refusals.

The profile is a small in-memory stand-in for the store's Workspace (the calls these commands
make: get_secret, put_secret, audit, record_publication) and the secretariat's final_advice.
"""

from __future__ import annotations

import contextlib
import importlib.util
import re
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from panel_desk.cli import main, publish_cmds
from panel_desk.core import publish, secretariat
from panel_desk.core.errors import InvalidInput


def _samples():
    path = Path(__file__).resolve().parents[1] / "core" / "publish" / "publish_samples.py"
    spec = importlib.util.spec_from_file_location("publish_samples_for_cli", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


samples = _samples()


class FakeWorkspace:
    def __init__(self) -> None:
        self.secrets: dict[str, bytes] = {}
        self.audits: list[tuple[str, str, dict]] = []
        self.publications: list[tuple[str, object, bool]] = []
        self.finalised: dict[str, object] = {}

    def get_secret(self, name):
        return self.secrets.get(name)

    def put_secret(self, name, value):
        self.secrets[name] = bytes(value)

    def audit(self, action, obj, detail=None):
        self.audits.append((action, obj, detail or {}))

    def record_publication(self, app_id, advice, *, published=False, now=None):
        self.publications.append((app_id, advice, published))


@pytest.fixture
def ws(monkeypatch):
    fake = FakeWorkspace()

    @contextlib.contextmanager
    def workspace(args):
        yield fake

    def final_advice(w, app_id):
        assert w is fake
        if app_id not in fake.finalised:
            raise InvalidInput("This advice has not been finalised yet. Circulate the draft, collect every "
                               "member's sign-off, then run 'panel-desk advice finalise'.")
        return fake.finalised[app_id]

    monkeypatch.setattr(publish_cmds, "_workspace", workspace)
    monkeypatch.setattr(secretariat, "final_advice", final_advice)
    monkeypatch.delenv(publish_cmds.P12_ENV, raising=False)
    return fake


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("panel-desk: ") and "Traceback" not in err, err
    return err


def _fingerprint(pem: bytes) -> str:
    import hashlib

    return hashlib.sha256(x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)).hexdigest().upper()


def test_ca_init_stores_the_credentials_and_prints_the_root_fingerprint(ws, capsys):
    assert main(["ca", "init"]) == 0
    out = capsys.readouterr().out.splitlines()
    creds = publish.PublicationCredentials.from_bytes(ws.secrets[publish.CREDENTIALS_SECRET])
    assert out[-1] == _fingerprint(creds.root_cert_pem) and re.fullmatch(r"[0-9A-F]{64}", out[-1])
    assert "Signs as: Secretariat of the expert advisory panel" in out
    assert ws.audits == [("ca.init", "publication-certificate",
                          {"certificate_sha256": _fingerprint(creds.cert_pem)})]


def test_ca_init_twice_needs_replace(ws, capsys):
    assert main(["ca", "init"]) == 0
    first = ws.secrets[publish.CREDENTIALS_SECRET]
    capsys.readouterr()
    assert main(["ca", "init"]) == 1
    assert "already exists" in _one_line_error(capsys)
    assert ws.secrets[publish.CREDENTIALS_SECRET] == first
    assert main(["ca", "init", "--replace"]) == 0
    assert ws.secrets[publish.CREDENTIALS_SECRET] != first


def test_export_root_writes_the_root_pem(ws, tmp_path, capsys):
    assert main(["ca", "init"]) == 0
    creds = publish.PublicationCredentials.from_bytes(ws.secrets[publish.CREDENTIALS_SECRET])
    capsys.readouterr()
    assert main(["ca", "export-root", "--out", str(tmp_path / "root.pem")]) == 0
    assert (tmp_path / "root.pem").read_bytes() == creds.root_cert_pem
    assert "Fingerprint (SHA-256): " in capsys.readouterr().out


def test_export_root_and_advice_export_need_the_certificate_first(ws, tmp_path, capsys):
    assert main(["ca", "export-root", "--out", str(tmp_path / "root.pem")]) == 1
    assert "Create the publication certificate first: panel-desk ca init" in _one_line_error(capsys)
    ws.finalised["northshire-2026-3fa1"] = samples.sample_advice()
    assert main(["advice", "export", "northshire-2026-3fa1", "--pdf", str(tmp_path / "a.pdf")]) == 1
    assert "Create the publication certificate first: panel-desk ca init" in _one_line_error(capsys)
    assert list(tmp_path.iterdir()) == []


def test_advice_export_refuses_an_advice_that_is_not_finalised(ws, tmp_path, capsys):
    assert main(["ca", "init"]) == 0
    capsys.readouterr()
    assert main(["advice", "export", "northshire-2026-3fa1", "--pdf", str(tmp_path / "a.pdf")]) == 1
    assert "has not been finalised" in _one_line_error(capsys)
    assert list(tmp_path.iterdir()) == [] and ws.publications == []


def test_export_then_verify_with_and_without_the_root(ws, tmp_path, capsys):
    advice = samples.sample_advice()
    ws.finalised[advice.application_id] = advice
    assert main(["ca", "init"]) == 0
    assert main(["ca", "export-root", "--out", str(tmp_path / "root.pem")]) == 0
    capsys.readouterr()
    pdf, html = tmp_path / "advice.pdf", tmp_path / "advice.html"
    assert main(["advice", "export", advice.application_id, "--pdf", str(pdf), "--html", str(html)]) == 0
    out = capsys.readouterr().out
    assert f"Wrote the signed advice to {pdf}." in out and f"Wrote the web version to {html}." in out
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert ws.publications == [(advice.application_id, advice, True)]
    assert ws.audits[-1][0] == "advice.export"

    assert main(["verify", str(pdf), "--trust", str(tmp_path / "root.pem")]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "Signed by: Secretariat of the expert advisory panel" in captured.out
    assert "Covers the whole file: yes" in captured.out and "Added after signing: nothing" in captured.out
    assert "Chain reaches a trusted root: yes" in captured.out

    assert main(["verify", str(pdf)]) == 1
    assert "--trust ROOT.pem" in _one_line_error(capsys)

    data = bytearray(pdf.read_bytes())
    data[len(data) // 4] ^= 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    assert main(["verify", str(tampered), "--trust", str(tmp_path / "root.pem")]) == 1
    captured = capsys.readouterr()
    assert "Signature intact: no" in captured.out
    assert captured.err.count("\n") == 1 and "changed after it was signed" in captured.err


def test_verify_refusals(tmp_path, capsys):
    assert main(["verify", str(tmp_path / "missing.pdf")]) == 1
    assert "There is no file" in _one_line_error(capsys)
    unsigned = tmp_path / "unsigned.pdf"
    unsigned.write_bytes(publish.render_pdf(samples.sample_advice(), now=samples.NOW))
    assert main(["verify", str(unsigned)]) == 1
    assert "not signed" in _one_line_error(capsys)
    (tmp_path / "not.pem").write_text("hello")
    assert main(["verify", str(unsigned), "--trust", str(tmp_path / "not.pem")]) == 1
    assert "not a certificate" in _one_line_error(capsys)


def _p12(tmp_path: Path, password: bytes) -> Path:
    own = publish.create_panel_ca(now=samples.NOW)
    data = pkcs12.serialize_key_and_certificates(b"x", own.key, own.cert, [own.root],
                                                 serialization.BestAvailableEncryption(password))
    path = tmp_path / "ca.p12"
    path.write_bytes(data)
    return path


def test_import_p12_with_the_password_from_a_file_or_the_environment(ws, tmp_path, capsys, monkeypatch):
    path = _p12(tmp_path, b"p12 secret")
    (tmp_path / "pw").write_text("p12 secret\n")
    assert main(["ca", "import-p12", str(path), "--p12-passphrase-file", str(tmp_path / "pw")]) == 0
    out = capsys.readouterr().out.splitlines()
    creds = publish.PublicationCredentials.from_bytes(ws.secrets[publish.CREDENTIALS_SECRET])
    assert out[-1] == _fingerprint(creds.cert_pem)
    monkeypatch.setenv(publish_cmds.P12_ENV, "p12 secret")
    assert main(["ca", "import-p12", str(path), "--replace"]) == 0
    assert ws.audits[-1][0] == "ca.import-p12"


def test_import_p12_refusals(ws, tmp_path, capsys, monkeypatch):
    path = _p12(tmp_path, b"right")
    monkeypatch.setattr("sys.stdin", None)
    assert main(["ca", "import-p12", str(path)]) == 1
    assert publish_cmds.P12_ENV in _one_line_error(capsys)
    monkeypatch.setenv(publish_cmds.P12_ENV, "wrong")
    assert main(["ca", "import-p12", str(path)]) == 1
    assert "password is wrong" in _one_line_error(capsys)
    assert main(["ca", "import-p12", str(tmp_path / "none.p12")]) == 1
    assert "There is no file" in _one_line_error(capsys)
    assert ws.secrets == {}

"""``panel-desk ca …``, ``advice export`` and ``verify`` through main(): outputs, files, exit codes, refusals.

Every command runs on a real secretariat profile. The profile is built once for the module with the
core (a real panel: the application sealed and imported, declarations, responses, a draft circulated,
every member's sign-off, the advice finalised) and copied, closed, for each test, so a test's
certificate or export never reaches another test. What the commands store is read back from the
profile with the real store.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from _panel import EXAMPLE, MEMBERS, PASSPHRASE, PEOPLE, Result
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from panel_desk.cli import main, publish_cmds
from panel_desk.core import member, publish, secretariat
from panel_desk.core.identity import Identity
from panel_desk.core.model import Answer, ResponseAnswers
from panel_desk.core.store import ApplicationStatus, init_profile, open_profile

NOT_YET = "Create the publication certificate first: on the Publish page choose Create certificate, or run panel-desk ca init"
SIGNER = "Secretariat of the expert advisory panel"
OUTCOMES = "Outcomes for children in stable placements are likely to improve."
DISSENT = "Quarterly audits are too rare to catch a child left without review."
SECRET = "CLI-PUBLISH-INTERNAL-NOTE-71e"


@dataclass(frozen=True)
class Built:
    profile: Path  # the secretariat's profile, closed
    final: str  # an application whose advice is finalised
    pending: str  # an application recorded but not yet advised on


def _answers(who: str) -> ResponseAnswers:
    return ResponseAnswers(
        outcomes=Answer(rating="improve", confidence="high", rationale=f"{who}: outcomes are likely to improve.",
                        internal_note=f"{SECRET} {who}"),
        monitoring=Answer(rating="sufficient", confidence="medium", rationale=f"{who}: monitoring is sufficient."),
        other_advice="")


def _build(root: Path) -> Built:
    """The secretariat and the members of ``_panel``, taken through the core to a finalised advice."""
    cards = {}
    for who in ("sam", *MEMBERS):
        name, role, acts_for = PEOPLE[who]
        ident = Identity.create(name, role, "Org", acts_for)
        ident.save(root / f"{who}.id", PASSPHRASE, work_factor=10)
        cards[who] = ident.card
    sec = init_profile(root / "sam", root / "sam.id", PASSPHRASE, trusted=[cards[m] for m in MEMBERS])
    members = {m: init_profile(root / m, root / f"{m}.id", PASSPHRASE, trusted=[cards["sam"]]) for m in MEMBERS}
    try:
        for m in MEMBERS:
            sec.roster_add(cards[m], role=PEOPLE[m][1], acts_for=PEOPLE[m][2])
        app_id = secretariat.new_application(sec, EXAMPLE).id
        secretariat.seal_application(sec, app_id, root / "application.pdbundle")
        for m, ws in members.items():
            assert ws.import_bundle(root / "application.pdbundle").recorded
            member.declare(ws, app_id, none=True)
            member.export_declaration(ws, app_id, root / f"{m}-declaration.pdbundle")
            ws.save_answers(app_id, _answers(PEOPLE[m][0]))
            member.send_response(ws, app_id, root / f"{m}-response.pdbundle")
            for kind in ("declaration", "response"):
                assert sec.import_bundle(root / f"{m}-{kind}.pdbundle").recorded
        secretariat.draft_advice(sec, app_id, {"summary": "Wexmoor asks to change the IRO duties.",
                                               "outcomes": OUTCOMES, "monitoring": "Sufficient.",
                                               "conditions": ["Report quarterly."], "other_advice": ""})
        secretariat.circulate(sec, app_id, root / "draft.pdbundle")
        for m, ws in members.items():
            assert ws.import_bundle(root / "draft.pdbundle").recorded
            kind, text = ("dissent", DISSENT) if m == "eve" else ("concur", "")
            member.sign_off(ws, app_id, kind, text=text, out=root / f"{m}-signoff.pdbundle")
            assert sec.import_bundle(root / f"{m}-signoff.pdbundle").recorded
        secretariat.finalise(sec, app_id)
        pending = secretariat.new_application(sec, EXAMPLE).id
    finally:
        for ws in (sec, *members.values()):
            ws.close()
    return Built(root / "sam", app_id, pending)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    return _build(tmp_path_factory.mktemp("panel"))


@dataclass
class Desk:
    profile: Path
    final: str
    pending: str
    out: Path
    capsys: pytest.CaptureFixture

    def run(self, *argv, expect: int = 0, profile: bool = True) -> Result:
        args = [str(a) for a in argv]
        if profile:
            args += ["--profile", str(self.profile)]
        self.capsys.readouterr()
        code = main(args)
        out, err = self.capsys.readouterr()
        assert code == expect, f"panel-desk {' '.join(args)} gave {code}, expected {expect}: {err}"
        if code == 0:
            assert err == "", err
        else:
            assert err.startswith("panel-desk: ") and err.count("\n") == 1 and "Traceback" not in err, err
        return Result(code, out, err)

    def secret(self) -> bytes | None:
        with open_profile(self.profile, PASSPHRASE) as ws:
            return ws.get_secret(publish.CREDENTIALS_SECRET)

    def creds(self) -> publish.PublicationCredentials:
        data = self.secret()
        assert data is not None, "no publication certificate in the profile"
        return publish.PublicationCredentials.from_bytes(data)

    def audits(self, *actions: str) -> list[tuple[str, str, dict]]:
        with open_profile(self.profile, PASSPHRASE) as ws:
            assert ws.verify_audit().ok
            return [(e["action"], e["object"], e["detail"]) for e in ws.audit_log() if e["action"] in actions]

    def written(self) -> list[str]:
        return sorted(p.name for p in self.out.iterdir())


@pytest.fixture
def desk(built, tmp_path, capsys, monkeypatch) -> Desk:
    """A copy of the built secretariat profile; PANEL_DESK_PASSPHRASE unlocks it; ``out`` starts empty."""
    monkeypatch.setenv("PANEL_DESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("PANEL_DESK_HOME", raising=False)
    monkeypatch.delenv(publish_cmds.P12_ENV, raising=False)
    shutil.copytree(built.profile, tmp_path / "sam")
    (tmp_path / "out").mkdir()
    return Desk(tmp_path / "sam", built.final, built.pending, tmp_path / "out", capsys)


def _fingerprint(pem: bytes) -> str:
    der = x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)
    return hashlib.sha256(der).hexdigest().upper()


def _organisation(cert: x509.Certificate) -> str:
    return cert.subject.get_attributes_for_oid(x509.NameOID.ORGANIZATION_NAME)[0].value


def _spaced(fingerprint: str) -> str:
    return ":".join(re.findall("..", fingerprint))


# --- ca init / export-root ---------------------------------------------------------------------------------


def test_ca_init_stores_the_credentials_and_prints_the_root_fingerprint(desk):
    assert desk.secret() is None
    out = desk.run("ca", "init").out.splitlines()
    creds = desk.creds()
    assert creds.signer_name == SIGNER
    assert out[-1] == _fingerprint(creds.root_cert_pem) and re.fullmatch(r"[0-9A-F]{64}", out[-1])
    assert f"Signs as: {SIGNER}" in out
    assert f"Root certificate fingerprint (SHA-256): {_spaced(out[-1])}" in out
    assert desk.audits("ca.init", "secret.put") == [
        ("secret.put", publish.CREDENTIALS_SECRET, {}),
        ("ca.init", "publication-certificate", {"certificate_sha256": _fingerprint(creds.cert_pem)})]


def test_ca_init_with_the_passphrase_from_a_file(desk, tmp_path, monkeypatch):
    monkeypatch.delenv("PANEL_DESK_PASSPHRASE")
    (tmp_path / "pass").write_text(PASSPHRASE + "\n", encoding="utf-8")
    desk.run("ca", "init", "--panel-name", "Wexmoor test panel", "--passphrase-file", tmp_path / "pass")
    first = desk.secret()
    assert _organisation(desk.creds().cert) == "Wexmoor test panel"
    (tmp_path / "wrong").write_text("not the passphrase\n", encoding="utf-8")
    r = desk.run("ca", "init", "--replace", "--passphrase-file", tmp_path / "wrong", expect=1)
    assert "passphrase is not right" in r.err
    assert desk.secret() == first


def test_ca_init_needs_a_profile(desk, tmp_path):
    r = desk.run("ca", "init", "--profile", tmp_path / "nobody", profile=False, expect=1)
    assert "There is no Panel Desk profile" in r.err and str(tmp_path / "nobody") in r.err
    assert not (tmp_path / "nobody").exists()


def test_ca_init_twice_needs_replace(desk):
    desk.run("ca", "init")
    first = desk.secret()
    assert "already exists" in desk.run("ca", "init", expect=1).err
    assert desk.secret() == first
    assert len(desk.audits("ca.init")) == 1
    desk.run("ca", "init", "--replace")
    assert desk.secret() not in (None, first)
    assert len(desk.audits("ca.init")) == 2


def test_export_root_writes_the_root_pem(desk):
    desk.run("ca", "init")
    root = desk.creds().root_cert_pem
    out = desk.run("ca", "export-root", "--out", desk.out / "root.pem").out
    assert (desk.out / "root.pem").read_bytes() == root
    assert f"Fingerprint (SHA-256): {_spaced(_fingerprint(root))}" in out


def test_export_root_and_advice_export_need_the_certificate_first(desk):
    assert NOT_YET in desk.run("ca", "export-root", "--out", desk.out / "root.pem", expect=1).err
    assert NOT_YET in desk.run("advice", "export", desk.final, "--pdf", desk.out / "a.pdf",
                               "--html", desk.out / "a.html", expect=1).err
    assert desk.written() == []
    assert desk.audits("advice.export", "advice.published") == []


# --- advice export / verify --------------------------------------------------------------------------------


def test_advice_export_refuses_an_advice_that_is_not_finalised(desk):
    desk.run("ca", "init")
    r = desk.run("advice", "export", desk.pending, "--pdf", desk.out / "a.pdf", expect=1)
    assert "has not been finalised" in r.err
    r = desk.run("advice", "export", "wexmoor-2026-zzzz", "--pdf", desk.out / "a.pdf", expect=1)
    assert "wexmoor-2026-zzzz" in r.err
    assert desk.written() == []
    with open_profile(desk.profile, PASSPHRASE) as ws:
        assert ws.publication(desk.pending) is None
    assert desk.audits("advice.export", "advice.published") == []


def test_export_then_verify_with_and_without_the_root(desk):
    desk.run("ca", "init")
    desk.run("ca", "export-root", "--out", desk.out / "root.pem")
    pdf, html, root = desk.out / "advice.pdf", desk.out / "advice.html", desk.out / "root.pem"
    out = desk.run("advice", "export", desk.final, "--pdf", pdf, "--html", html).out
    assert f"Wrote the signed advice to {pdf} (PAdES B-LT)." in out and f"Wrote the web version to {html}" in out
    assert f"Signed by {SIGNER} on " in out
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert f"SHA-256 of the PDF: {digest}" in out
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and OUTCOMES in page and DISSENT in page and SECRET not in page

    with open_profile(desk.profile, PASSPHRASE) as ws:
        advice = ws.publication(desk.final)
        assert ws.status(desk.final) is ApplicationStatus.PUBLISHED
        assert ws.status(desk.pending) is ApplicationStatus.DRAFT
    assert advice is not None and advice.outcomes == OUTCOMES
    assert desk.audits("advice.published", "advice.export") == [
        ("advice.published", desk.final, {"advice_revision": advice.advice_revision}),
        ("advice.export", desk.final, {"advice_revision": advice.advice_revision, "pdf_sha256": digest,
                                       "html": True, "level": "PAdES B-LT"})]

    out = desk.run("verify", pdf, "--trust", root, profile=False).out
    assert f"Signed by: {SIGNER}" in out
    assert "Covers the whole file: yes" in out and "Added after signing: nothing" in out
    assert "Chain reaches a trusted root: yes" in out

    assert "--trust ROOT.pem" in desk.run("verify", pdf, profile=False, expect=1).err

    data = bytearray(pdf.read_bytes())
    data[len(data) // 4] ^= 0x01
    tampered = desk.out / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    r = desk.run("verify", tampered, "--trust", root, profile=False, expect=1)
    assert "Signature intact: no" in r.out and "signed content changed after signing" in r.err


def test_advice_published_before_ca_init_replace_checks_against_its_own_root(desk):
    desk.run("ca", "init")
    desk.run("ca", "export-root", "--out", desk.out / "old-root.pem")
    desk.run("advice", "export", desk.final, "--pdf", desk.out / "advice.pdf")
    assert not (desk.out / "advice.html").exists()
    assert desk.audits("advice.export")[-1][2]["html"] is False
    desk.run("ca", "init", "--replace")
    desk.run("ca", "export-root", "--out", desk.out / "new-root.pem")
    assert (desk.out / "new-root.pem").read_bytes() != (desk.out / "old-root.pem").read_bytes()
    r = desk.run("verify", desk.out / "advice.pdf", "--trust", desk.out / "new-root.pem", profile=False, expect=1)
    assert "Chain reaches a trusted root: no" in r.out and "could not be confirmed" in r.err
    r = desk.run("verify", desk.out / "advice.pdf", "--trust", desk.out / "old-root.pem", profile=False)
    assert "Chain reaches a trusted root: yes" in r.out


def test_verify_refusals(desk):
    assert "There is no file" in desk.run("verify", desk.out / "missing.pdf", profile=False, expect=1).err
    with open_profile(desk.profile, PASSPHRASE) as ws:
        advice = secretariat.final_advice(ws, desk.final)
    unsigned = desk.out / "unsigned.pdf"
    unsigned.write_bytes(publish.render_pdf(advice))
    assert "not signed" in desk.run("verify", unsigned, profile=False, expect=1).err
    (desk.out / "not.pem").write_text("hello", encoding="utf-8")
    r = desk.run("verify", unsigned, "--trust", desk.out / "not.pem", profile=False, expect=1)
    assert "not a certificate" in r.err
    r = desk.run("verify", unsigned, "--trust", desk.out / "absent.pem", profile=False, expect=1)
    assert "There is no file" in r.err and "absent.pem" in r.err


# --- ca import-p12 -----------------------------------------------------------------------------------------


def _p12(folder: Path, password: bytes) -> tuple[Path, bytes]:
    """A PKCS#12 file with a key, its certificate and the root, as a certificate authority hands out."""
    own = publish.create_panel_ca()
    data = pkcs12.serialize_key_and_certificates(b"x", own.key, own.cert, [own.root],
                                                 serialization.BestAvailableEncryption(password))
    path = folder / "ca.p12"
    path.write_bytes(data)
    return path, own.cert.public_bytes(serialization.Encoding.PEM)


def test_import_p12_with_the_password_from_a_file_or_the_environment(desk, tmp_path, monkeypatch):
    path, cert_pem = _p12(tmp_path, b"p12 secret")
    (tmp_path / "pw").write_text("p12 secret\n", encoding="utf-8")
    out = desk.run("ca", "import-p12", path, "--p12-passphrase-file", tmp_path / "pw").out.splitlines()
    assert out[-1] == _fingerprint(cert_pem) == _fingerprint(desk.creds().cert_pem)
    assert f"Imported the publication certificate from {path}." in out
    assert desk.audits("ca.import-p12") == [
        ("ca.import-p12", "publication-certificate", {"certificate_sha256": _fingerprint(cert_pem)})]

    assert "already exists" in desk.run("ca", "import-p12", path, "--p12-passphrase-file", tmp_path / "pw",
                                        expect=1).err
    monkeypatch.setenv(publish_cmds.P12_ENV, "p12 secret")
    desk.run("ca", "import-p12", path, "--replace")
    assert len(desk.audits("ca.import-p12")) == 2

    # the imported certificate signs the advice
    desk.run("ca", "export-root", "--out", desk.out / "root.pem")
    desk.run("advice", "export", desk.final, "--pdf", desk.out / "advice.pdf")
    desk.run("verify", desk.out / "advice.pdf", "--trust", desk.out / "root.pem", profile=False)


def test_import_p12_refusals(desk, tmp_path, monkeypatch):
    path, _ = _p12(tmp_path, b"right")
    monkeypatch.setattr("sys.stdin", None)
    assert publish_cmds.P12_ENV in desk.run("ca", "import-p12", path, expect=1).err
    r = desk.run("ca", "import-p12", path, "--p12-passphrase-file", tmp_path / "no-pw", expect=1)
    assert "Cannot read the password file" in r.err
    monkeypatch.setenv(publish_cmds.P12_ENV, "wrong")
    assert "password is wrong" in desk.run("ca", "import-p12", path, expect=1).err
    assert "There is no file" in desk.run("ca", "import-p12", tmp_path / "none.p12", expect=1).err
    assert desk.secret() is None
    assert desk.audits("ca.import-p12", "secret.put") == []


def test_the_secretariat_sets_the_contact_details_the_advice_prints(desk):
    out = desk.run("ca", "details").out
    assert "Contact e-mail: none (the postal address only)" in out
    assert "Root certificate fingerprint (SHA-256): no publication certificate yet" in out
    desk.run("ca", "init")
    out = desk.run("ca", "details", "--email", "panel@example.org", "--root-location",
                   "example.org/panel-root.pem").out
    assert "Contact e-mail: panel@example.org" in out and "Root certificate published at: example.org/panel-root.pem" in out
    fingerprint = out.split("Root certificate fingerprint (SHA-256): ")[1].split()[0]
    assert fingerprint.count(":") == 31
    assert "too long to print" in desk.run("ca", "details", "--email", "x" * 300, expect=1).err
    pdf = desk.out / "advice.pdf"
    desk.run("advice", "export", desk.final, "--pdf", pdf)
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf.read_bytes())
    try:
        text = "".join("".join(page.get_textpage().get_text_range() for page in doc).split())
    finally:
        doc.close()
    assert "panel@example.org" in text and fingerprint in text and "example.org/panel-root.pem" in text

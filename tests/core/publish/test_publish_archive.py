"""The published advice as the public, a publisher and an accessibility auditor check it.

Certified (no changes allowed), carrying its validation data (PAdES B-LT) or timestamped by a real
time-stamping service on 127.0.0.1 (B-LTA) and still valid after its certificates expire; tagged
for assistive technology and archival (PDF/A-2a, PDF/UA-1) after signing, checked with the tools
a publisher uses: pdfinfo, the PyPI ``pdfua`` checker, qpdf, pdffonts, pdfsig.
"""

from __future__ import annotations

import ctypes
import dataclasses
import json
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from asn1crypto import crl as asn1_crl
from conftest import nss_trusting, pdfsig
from local_tsa import local_tsa
from publish_samples import NOW, sample_advice
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm
from test_publish_render import pdf_pages
from test_publish_sign_verify import _append_page_content

from panel_desk.core import publish
from panel_desk.core.publish import _document

LATER = NOW + timedelta(days=1)
AS_OF_2040 = datetime(2040, 1, 1, tzinfo=UTC)
DETAILS = publish.PublicationDetails(contact_email="panel@example.org", contact_address="1 Example Street, London",
                                     root_fingerprint="AB:CD:EF", root_location="example.org/panel-root.pem",
                                     pdf_name="advice.pdf", root_name="panel-root.pem")


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (see packaging/bootstrap.sh)")
    return path


@pytest.fixture(scope="module")
def tsa():
    with local_tsa(NOW) as (url, root_pem):
        yield url, root_pem


@pytest.fixture(scope="module")
def timestamped(tsa, unsigned_pdf, creds) -> bytes:
    return publish.sign_pdf(unsigned_pdf, creds, now=NOW, tsa_url=tsa[0])


# --- certification and long-term validation -------------------------------------------------------


def test_the_advice_is_certified_with_no_changes_allowed_and_carries_its_validation_data(signed_pdf, creds):
    reader = PdfFileReader(BytesIO(signed_pdf))
    sig = reader.embedded_regular_signatures[-1]
    assert sig.docmdp_level is MDPPerm.NO_CHANGES
    dss = reader.root["/DSS"]
    crls = [asn1_crl.CertificateList.load(c.get_object().data) for c in dss["/CRLs"]]
    assert len(dss["/Certs"]) == 2 and len(crls) == 1  # signing certificate and root; the root's CRL
    assert crls[0]["tbs_cert_list"]["issuer"].native["common_name"] == "Expert advisory panel publication root"
    report = publish.verify_pdf(signed_pdf, [creds.root_cert_pem], now=LATER)
    assert report.ok and report.covers_whole_file  # the DSS is inside the signed revision
    assert report.certification == "certified: no changes allowed"
    assert report.level.startswith("PAdES B-LT ") and report.timestamped_at is None
    assert "Certification: certified: no changes allowed" in report.lines()


def test_pdfsig_says_total_document_signed_for_the_intact_file_and_not_for_a_changed_one(signed_pdf, creds, tmp_path):
    nss = nss_trusting(creds.root_cert_pem, tmp_path / "nss")
    intact = tmp_path / "advice.pdf"
    intact.write_bytes(signed_pdf)
    out = pdfsig(intact, nss)
    for line in ("Signature Type: ETSI.CAdES.detached", "Total document signed", "Signature is Valid.",
                 "Certificate is Trusted."):
        assert line in out, out
    changed = tmp_path / "changed.pdf"  # a new page content added as an incremental update
    changed.write_bytes(_append_page_content(signed_pdf))
    out = pdfsig(changed, nss)
    assert "Not total document signed" in out and "Signature is Valid." in out, out


def test_a_timestamped_advice_still_verifies_in_2040_after_its_certificates_expired(timestamped, tsa, creds):
    roots = [creds.root_cert_pem, tsa[1]]
    today = publish.verify_pdf(timestamped, roots, now=LATER)
    assert today.ok and today.document_timestamps == 1 and today.timestamped_at is not None
    assert today.level.startswith("PAdES B-LTA")
    assert creds.cert.not_valid_after_utc < AS_OF_2040
    later = publish.verify_pdf(timestamped, roots, now=AS_OF_2040)
    assert later.ok and later.long_term, later.reasons
    assert "timestamps prove the advice was signed while it was valid" in later.summary
    without_tsa_root = publish.verify_pdf(timestamped, [creds.root_cert_pem], now=AS_OF_2040)
    assert not without_tsa_root.ok
    assert "time-stamping authority's root" in without_tsa_root.reasons[0]


def test_an_advice_without_timestamp_says_plainly_why_it_fails_after_expiry(signed_pdf, creds):
    report = publish.verify_pdf(signed_pdf, [creds.root_cert_pem], now=AS_OF_2040)
    assert not report.ok
    assert report.reasons == (
        "The signing certificate expired on 19 November 2036. The file has no timestamp from a time-stamping "
        "authority, so nothing proves it was signed while the certificate was valid (it was published at the "
        "PAdES B-LT level).",)


def test_a_revoked_certificate_is_caught_from_the_revocation_list_in_the_file(unsigned_pdf, creds):
    renewed = publish.revoke_signing_certificate(creds, now=LATER)
    assert renewed.root_cert_pem == creds.root_cert_pem and renewed.cert_pem != creds.cert_pem
    assert renewed.revoked[0][0] == creds.cert.serial_number
    after = LATER + timedelta(hours=1)
    # the old key used after its revocation: the CRL the root issues now lists it
    stale = dataclasses.replace(creds, revoked=renewed.revoked)
    report = publish.verify_pdf(publish.sign_pdf(unsigned_pdf, stale, now=after), [creds.root_cert_pem],
                                now=after)
    assert not report.ok and report.reasons == ("The signing certificate has been revoked.",)
    fresh = publish.verify_pdf(publish.sign_pdf(unsigned_pdf, renewed, now=after), [creds.root_cert_pem], now=after)
    assert fresh.ok
    crl = asn1_crl.CertificateList.load(publish.issue_crl(renewed, now=after))
    assert [r["user_certificate"].native for r in crl["tbs_cert_list"]["revoked_certificates"]] == \
        [creds.cert.serial_number]
    stored = publish.PublicationCredentials.from_bytes(renewed.to_bytes())
    assert stored.revoked == renewed.revoked and stored.issues_crls


def test_trailing_bytes_are_named_as_such(signed_pdf, creds):
    report = publish.verify_pdf(signed_pdf + b"\nextra bytes", [creds.root_cert_pem], now=LATER)
    assert not report.ok and report.trailing_bytes == 11
    assert "11 bytes of data after the end of the file (trailing bytes" in report.reasons[0]


# --- tagged, archival, and still so after signing --------------------------------------------------


@pytest.fixture(scope="module")
def signed_file(tmp_path_factory, timestamped) -> Path:
    path = tmp_path_factory.mktemp("archive") / "advice.pdf"
    path.write_bytes(timestamped)  # the most changed form: signature, DSS, document timestamp
    return path


def test_pdfinfo_says_tagged(signed_file):
    out = subprocess.run([tool("pdfinfo"), str(signed_file)], capture_output=True, text=True, check=True,
                         timeout=60).stdout
    assert re.search(r"^Tagged:\s+yes$", out, re.M), out


def test_the_pdfua_checker_finds_no_error(signed_file):
    pytest.importorskip("pdfua", reason="the pdfua checker is a test extra (pip install -e '.[test]')")
    run = subprocess.run([sys.executable, "-m", "pdfua", "check", "--format", "json", str(signed_file)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode in (0, 1, 2), run.stdout + run.stderr  # 3 would be errors, 4 an unreadable file
    report = json.loads(run.stdout)
    assert report["summary"]["errors"] == 0 and report["summary"]["warnings"] == 0, report["findings"]


def test_qpdf_check_is_clean(signed_file):
    run = subprocess.run([tool("qpdf"), "--check", str(signed_file)], capture_output=True, text=True, timeout=60,
                         check=False)
    assert run.returncode == 0 and "No syntax or stream encoding errors found" in run.stdout, run.stdout


def test_fonts_are_embedded_with_distinct_subset_tags(signed_file):
    out = subprocess.run([tool("pdffonts"), str(signed_file)], capture_output=True, text=True, check=True,
                         timeout=60).stdout.splitlines()[2:]
    names = [line.split()[0] for line in out]
    tags = [n.split("+")[0] for n in names]
    assert names and all("+" in n for n in names)
    assert len(set(tags)) == len(tags), names  # the body and the stamp no longer share a tag
    assert all(re.search(r"\byes\s+yes\b", line) for line in out)


def test_xmp_claims_pdfa_and_pdfua_and_keeps_the_title_after_signing(signed_file):
    with pikepdf.open(signed_file) as pdf:
        meta = pdf.open_metadata()
        assert meta.get("pdfaid:part") == "2" and meta.get("pdfaid:conformance") == "A"
        assert meta.get("pdfuaid:part") == "1"
        assert str(meta.get("dc:title")).startswith("Targeted independent reviewing officer oversight")
        assert str(pdf.Root.Lang) == "en-GB" and bool(pdf.Root.MarkInfo.Marked)
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        assert "/OutputIntents" in pdf.Root
        field = next(f for f in pdf.Root.AcroForm.Fields if str(f.T) == "PanelSignature")
        assert str(field.TU) == publish.pdf.STAMP_ALT  # the stamp's alternative text


def _mcid_text(data: bytes) -> dict[tuple[int, int], str]:
    """(page index, MCID) → the text drawn in that marked content."""
    doc = pdfium.PdfDocument(data)
    out: dict[tuple[int, int], str] = {}
    try:
        for index in range(len(doc)):
            page = doc[index]
            text_page = page.get_textpage()
            for obj in page.get_objects(max_depth=5):
                mcid = None
                for k in range(pdfium_raw.FPDFPageObj_CountMarks(obj.raw)):
                    mark, value = pdfium_raw.FPDFPageObj_GetMark(obj.raw, k), ctypes.c_int()
                    if pdfium_raw.FPDFPageObjMark_GetParamIntValue(mark, b"MCID", ctypes.byref(value)):
                        mcid = value.value
                if mcid is None or obj.type != pdfium_raw.FPDF_PAGEOBJ_TEXT:
                    continue
                n = pdfium_raw.FPDFTextObj_GetText(obj.raw, text_page.raw, None, 0)
                buf = (ctypes.c_ushort * n)()
                pdfium_raw.FPDFTextObj_GetText(obj.raw, text_page.raw, buf, n)
                out[(index, mcid)] = out.get((index, mcid), "") + bytes(buf).decode("utf-16-le").rstrip("\0")
    finally:
        doc.close()
    return out


def _structure(data: bytes) -> list[tuple[str, str, list]]:
    """The structure tree in reading order: (type, text, children), pages resolved."""
    texts = _mcid_text(data)
    with pikepdf.open(BytesIO(data)) as pdf:
        pages = {p.objgen: i for i, p in enumerate(pdf.pages)}

        def walk(node, page) -> tuple[str, list]:
            if isinstance(node, int):
                return texts.get((page, node), ""), []
            if not isinstance(node, pikepdf.Dictionary):
                return "", []
            if "/Pg" in node:
                page = pages.get(node.Pg.objgen, page)
            if node.get("/Type") == "/MCR":
                return texts.get((page, int(node.MCID)), ""), []
            if "/S" not in node and node.get("/Type") != "/StructTreeRoot":
                return "", []
            kids = node.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
            text, children = "", []
            for kid in kids:
                kid_text, kid_children = walk(kid, page)
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    children.append((str(kid.S), kid_text, kid_children))
                text += kid_text
            return text, children

        _text, tree = walk(pdf.Root.StructTreeRoot, 0)
    return tree


def _flatten(tree):
    for kind, text, children in tree:
        yield kind, text, children
        yield from _flatten(children)


def test_the_structure_tree_has_every_heading_in_order_and_tables_with_header_cells(timestamped):
    doc = _document.build(sample_advice())
    nodes = list(_flatten(_structure(timestamped)))
    # compared without spaces: a heading that wraps is two runs of text with no space between them
    headings = ["".join(text.split()) for kind, text, _ in nodes if re.fullmatch(r"/H[1-6]", kind)]
    expected = ["".join(_document.typographic(t).split()) for t in (
        doc.title, "Contents", *(f"{s.number}. {s.title}" for s in doc.sections))]
    found = iter(headings)
    assert all(any(h == want for h in found) for want in expected), headings
    assert "StatementofdissentbyTomEvans" in headings
    tables = [children for kind, _t, children in nodes if kind == "/Table"]
    assert len(tables) == 3  # provisions, members, interests
    for table in tables:
        cells = [kind for kind, _t, _c in _flatten(table)]
        assert "/TH" in cells and "/TD" in cells
    assert any(kind == "/L" for kind, _t, _c in nodes) and any(kind == "/P" for kind, _t, _c in nodes)


def test_running_headers_and_footers_are_artifacts_not_content(timestamped):
    nodes = list(_flatten(_structure(timestamped)))
    tagged = " ".join(text for _k, text, _c in nodes)
    assert "Page 2 of" not in tagged  # the footer is drawn, but not read out as content
    assert any("Page 2 of" in page for page in pdf_pages(timestamped))


# --- content -----------------------------------------------------------------------------------------


def _text(pdf: bytes) -> str:
    return " ".join("\n".join(pdf_pages(pdf)).split())


def test_the_cover_fits_its_page_and_the_provisions_are_one_table(unsigned_pdf):
    pages = [" ".join(p.split()) for p in pdf_pages(unsigned_pdf)]
    assert "Reference Northshire County Council 2026/3FA1" in pages[0]  # the last fact is on the cover
    assert pages[1].startswith("Contents")  # the contents open page 2; nothing of the cover spills over
    flat = " ".join(pages)
    assert flat.count("section 25B(1)(a)") == 1 and flat.count("regulation 36 and Part 6") == 1
    assert ".." not in flat.replace("...", "")
    assert "replaced by" not in flat  # provisions come from their fields, not glued into a sentence


def test_acting_for_only_when_someone_acts_for_another():
    advice = sample_advice(members=[
        {"name": "Asha Patel", "role": "childrens-commissioner", "acts_for": "the Children's Commissioner"},
        {"name": "Dan Reyes", "role": "childrens-commissioner", "acts_for": "Deputy Children's Commissioner"},
    ])
    rows = next(b for s in _document.build(advice).sections for b in s.blocks
                if isinstance(b, _document.Table) and b.caption == "Members who took part").rows
    assert "acting for" not in rows[0][1]
    assert rows[1][1].endswith(", acting for Deputy Children's Commissioner")


def test_punctuation_is_typographic_throughout(unsigned_pdf):
    html = publish.render_html(sample_advice(), DETAILS)
    body = re.sub(r"<[^>]+>", " ", html.split("<body>", 1)[1])
    assert "'" not in body and "&#x27;" not in body and "’" in body
    assert "'" not in _text(unsigned_pdf)


def test_ogl_contact_and_root_fingerprint_are_printed_and_the_html_links_the_pdf_and_root():
    pdf = publish.render_pdf(sample_advice(), now=NOW, details=DETAILS)
    text = _text(pdf)
    for words in ("© Crown copyright 2026", "Open Government Licence v3.0", "panel@example.org",
                  "1 Example Street, London", "SHA-256 fingerprint is AB:CD:EF", "example.org/panel-root.pem"):
        assert words in text, words
    html = publish.render_html(sample_advice(), DETAILS)
    assert '<a href="advice.pdf">signed PDF</a>' in html and '<a href="panel-root.pem">' in html
    assert "© Crown copyright 2026" in html


def test_the_process_statements_come_from_one_function():
    said = _document.process_statements(sample_advice())
    doc = _document.build(sample_advice())
    paras = [b.text for s in doc.sections for b in s.blocks if isinstance(b, _document.Para)]
    assert said.members_intro in paras and said.interests_intro in paras

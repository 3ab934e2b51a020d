"""Signing (PAdES B-B) and verifying, checked against our verifier and independently with poppler's pdfsig."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from conftest import nss_trusting, pdfsig
from publish_samples import NOW
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from panel_desk.core import publish
from panel_desk.core.errors import InvalidInput, NotFound
from panel_desk.core.publish.verify import ANNOTATIONS_ONLY, METADATA_ONLY, NO_ROOT

LATER = NOW + timedelta(days=1)


def _signed_range_offset(pdf: bytes) -> int:
    """An offset inside the first signed byte range, in page content (not the signature itself)."""
    reader = PdfFileReader(BytesIO(pdf))
    sig = reader.embedded_signatures[0]
    start, length = sig.byte_range[0], sig.byte_range[1]
    return start + length // 2


def _append_page_content(pdf: bytes) -> bytes:
    w = IncrementalPdfFileWriter(BytesIO(pdf))
    ref = w.add_object(generic.StreamObject(stream_data=b"1 0 0 rg 100 100 200 50 re f"))
    w.add_stream_to_page(0, ref)
    out = BytesIO()
    w.write(out)
    return out.getvalue()


def _append_annotation(pdf: bytes, *, indirect: bool = False) -> bytes:
    """Add a note to page 1; ``indirect`` keeps the page's /Annots as an array object of its own."""
    w = IncrementalPdfFileWriter(BytesIO(pdf))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    note = w.add_object(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Annot"),
        generic.NameObject("/Subtype"): generic.NameObject("/Text"),
        generic.NameObject("/Rect"): generic.ArrayObject([generic.NumberObject(v) for v in (100, 100, 120, 120)]),
        generic.NameObject("/Contents"): generic.TextStringObject("An added note"),
    }))
    current = page.raw_get("/Annots") if "/Annots" in page else generic.ArrayObject()
    if isinstance(current, generic.IndirectObject):
        array = current.get_object()
        array.append(note)
        w.update_container(array)
    else:
        current.append(note)
        page["/Annots"] = w.add_object(current) if indirect else current
        w.update_container(page)
    out = BytesIO()
    w.write(out)
    return out.getvalue()


def _append_info_only(pdf: bytes) -> bytes:
    w = IncrementalPdfFileWriter(BytesIO(pdf))
    info = w.trailer["/Info"].get_object()
    info["/Title"] = generic.TextStringObject("A different title")
    w.update_container(info)
    out = BytesIO()
    w.write(out)
    return out.getvalue()


def test_signature_is_pades_baseline_with_the_publication_certificate(signed_pdf, creds):
    reader = PdfFileReader(BytesIO(signed_pdf))
    [sig] = reader.embedded_signatures
    assert sig.field_name == "PanelSignature"
    assert str(sig.sig_object["/SubFilter"]) == "/ETSI.CAdES.detached"
    assert sig.md_algorithm == "sha256"
    assert sig.signer_cert.dump() == creds.cert.public_bytes(__import__("cryptography").hazmat.primitives
                                                             .serialization.Encoding.DER)
    assert sig.self_reported_timestamp == NOW


def test_our_verify_accepts_the_signed_advice_with_the_root(signed_pdf, creds):
    report = publish.verify_pdf(signed_pdf, [creds.root_cert_pem], now=LATER)
    assert report.ok, report.reasons
    assert report.signer == "Secretariat of the expert advisory panel"
    assert report.signed_at == NOW
    assert report.covers_whole_file and not report.changes_after_signing and report.trusted
    assert report.reasons == ()
    assert "Signature intact: yes" in report.lines()


def test_without_a_root_the_signature_is_intact_but_not_trusted(signed_pdf):
    report = publish.verify_pdf(signed_pdf, now=LATER)
    assert not report.ok and report.intact and report.signature_matches and not report.trust_checked
    assert report.reasons == (NO_ROOT,)


def test_another_panels_root_is_not_trusted(signed_pdf):
    other = publish.create_panel_ca(now=NOW)
    report = publish.verify_pdf(signed_pdf, [other.root_cert_pem], now=LATER)
    assert not report.ok and report.intact and not report.trusted
    assert "does not lead to the trusted root" in report.reasons[0] or "could not be confirmed" in report.reasons[0]


def test_checked_before_the_certificate_existed_says_so(signed_pdf, creds):
    report = publish.verify_pdf(signed_pdf, [creds.root_cert_pem], now=NOW - timedelta(days=2))
    assert not report.ok and "not yet valid" in report.reasons[0]


def test_pdfsig_finds_the_signature_valid_and_the_root_trusted(signed_pdf, creds, tmp_path):
    path = tmp_path / "advice.pdf"
    path.write_bytes(signed_pdf)
    plain = pdfsig(path)
    assert "Signature is Valid." in plain and "Total document signed" in plain
    assert "ETSI.CAdES.detached" in plain
    trusted = pdfsig(path, nss_trusting(creds.root_cert_pem, tmp_path / "nss"))
    assert "Signature is Valid." in trusted and "Certificate is Trusted." in trusted


def test_one_byte_changed_inside_the_signed_range_fails_both_checks(signed_pdf, creds, tmp_path):
    data = bytearray(signed_pdf)
    data[_signed_range_offset(signed_pdf)] ^= 0x01
    report = publish.verify_pdf(bytes(data), [creds.root_cert_pem], now=LATER)
    assert not report.ok and not report.intact
    assert report.reasons[0].startswith("The signed content changed after signing")
    path = tmp_path / "tampered.pdf"
    path.write_bytes(bytes(data))
    assert "Digest Mismatch." in pdfsig(path)


def test_page_content_added_after_signing_is_reported_as_such(signed_pdf, creds, tmp_path):
    changed = _append_page_content(signed_pdf)
    report = publish.verify_pdf(changed, [creds.root_cert_pem], now=LATER)
    assert not report.ok and report.intact and not report.covers_whole_file
    assert report.changes_after_signing and report.updates_after_signing == 1
    assert "changes to the document itself" in report.change_kind
    assert "Something was added to the file after it was signed (1 update)" in report.reasons[0]
    path = tmp_path / "changed.pdf"
    path.write_bytes(changed)
    assert "Not total document signed" in pdfsig(path)


def test_an_added_annotation_is_reported_and_fails(signed_pdf, creds, tmp_path):
    changed = _append_annotation(signed_pdf)
    report = publish.verify_pdf(changed, [creds.root_cert_pem], now=LATER)
    assert not report.ok and report.intact and report.changes_after_signing
    assert report.change_kind == ANNOTATIONS_ONLY and report.updates_after_signing == 1
    path = tmp_path / "annotated.pdf"
    path.write_bytes(changed)
    assert "Not total document signed" in pdfsig(path)


def test_an_info_only_update_is_reported_as_metadata_only(signed_pdf, creds):
    changed = _append_info_only(signed_pdf)
    report = publish.verify_pdf(changed, [creds.root_cert_pem], now=LATER)
    assert report.intact and report.trusted and not report.covers_whole_file
    assert report.change_kind == METADATA_ONLY
    assert not report.ok  # not the file that was published, even if harmless
    twice = publish.verify_pdf(_append_page_content(changed), [creds.root_cert_pem], now=LATER)
    assert twice.updates_after_signing == 2 and "changes to the document itself" in twice.change_kind
    noted = publish.verify_pdf(_append_annotation(changed), [creds.root_cert_pem], now=LATER)
    assert noted.updates_after_signing == 2 and noted.change_kind == ANNOTATIONS_ONLY


def test_annotations_in_an_array_object_of_their_own_are_still_annotations(signed_pdf, creds):
    once = _append_annotation(signed_pdf, indirect=True)
    twice = _append_annotation(once)  # appends to the now indirect array
    for data, updates in ((once, 1), (twice, 2)):
        report = publish.verify_pdf(data, [creds.root_cert_pem], now=LATER)
        assert report.change_kind == ANNOTATIONS_ONLY and report.updates_after_signing == updates


def test_bytes_appended_without_a_pdf_update_are_reported(signed_pdf, creds):
    report = publish.verify_pdf(signed_pdf + b"\n% appended junk\n", [creds.root_cert_pem], now=LATER)
    assert not report.ok and report.changes_after_signing and not report.covers_whole_file


def test_an_unsigned_pdf_is_reported_unsigned(unsigned_pdf):
    report = publish.verify_pdf(unsigned_pdf)
    assert not report.signed and not report.ok and report.reasons == ("This PDF is not signed.",)
    assert report.lines() == ["Signed: no"]


def test_verify_reads_a_path_and_refuses_what_is_not_a_pdf(signed_pdf, tmp_path, creds):
    path = tmp_path / "advice.pdf"
    path.write_bytes(signed_pdf)
    assert publish.verify_pdf(path, [creds.root_cert_pem], now=LATER).ok
    with pytest.raises(NotFound):
        publish.verify_pdf(tmp_path / "missing.pdf")
    with pytest.raises(InvalidInput, match="not a PDF"):
        publish.verify_pdf(b"hello, not a pdf")
    with pytest.raises(InvalidInput, match="not a certificate"):
        publish.verify_pdf(signed_pdf, [b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"])
    with pytest.raises(InvalidInput, match="not a certificate"):
        publish.verify_pdf(signed_pdf, [b"just words"])


def test_a_pdf_without_the_field_gets_one_on_its_last_page(creds):
    from reportlab.pdfgen.canvas import Canvas

    buf = BytesIO()
    canvas = Canvas(buf, invariant=1)
    for _ in range(2):
        canvas.drawString(100, 700, "hello")
        canvas.showPage()
    canvas.save()
    signed = publish.sign_pdf(buf.getvalue(), creds, now=NOW)
    report = publish.verify_pdf(signed, [creds.root_cert_pem], now=LATER)
    assert report.ok, report.reasons


def test_sign_refuses_what_is_not_a_pdf(creds):
    with pytest.raises(InvalidInput, match="cannot be signed"):
        publish.sign_pdf(b"%PDF-1.7\nnonsense", creds, now=NOW)


def test_credentials_from_a_pkcs12_sign_and_verify(unsigned_pdf):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    own = publish.create_panel_ca(now=NOW)
    p12 = pkcs12.serialize_key_and_certificates(b"x", own.key, own.cert, [own.root],
                                                serialization.BestAvailableEncryption(b"pw"))
    creds = publish.PublicationCredentials.from_pkcs12(p12, "pw")
    signed = publish.sign_pdf(unsigned_pdf, creds, now=NOW)
    assert publish.verify_pdf(signed, [own.root_cert_pem], now=LATER).ok

"""Sign a published advice: a certifying PAdES signature (B-LT, or B-LTA with a TSA) with a visible stamp.

The stamp is typeset with reportlab in the same embedded font as the document and placed on
the last page in the box :func:`panel_desk.core.publish.pdf.render_pdf` left empty for it (an
unsigned signature field named :data:`FIELD_NAME`); a PDF without that field gets a new one at
the foot of its last page.
"""

from __future__ import annotations

import asyncio
import binascii
import urllib.request
import uuid
from datetime import UTC, datetime
from io import BytesIO

from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import content, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from panel_desk.core.errors import InvalidInput
from panel_desk.core.model import utcnow
from panel_desk.core.publish.ca import PublicationCredentials, issue_crl
from panel_desk.core.publish.pdf import FIELD_NAME, MARGIN_X, STAMP_ALT, STAMP_SIZE, render_stamp

STAMP_TITLE = "Expert advisory panel — published advice"


class _PdfBytesPage(content.PdfContent):
    """A page of a PDF held in memory, imported as a form XObject (pyHanko's own importer reads a file)."""

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self._data = data

    def render(self) -> bytes:
        writer = self._ensure_writer
        xobj = writer.import_page_as_xobject(PdfFileReader(BytesIO(self._data)), page_ix=0)
        name = "/Stamp" + binascii.hexlify(uuid.uuid4().bytes).decode("ascii")
        self.resources.xobject[name] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = content.BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name.encode("ascii") + b" Do"


class _PdfSigner(signers.PdfSigner):
    """pyHanko's signer with an injectable signing time (it reads the clock otherwise)."""

    def __init__(self, *args, signing_time: datetime, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._signing_time
        return session


def _signer(creds: PublicationCredentials) -> signers.SimpleSigner:
    der = serialization.Encoding.DER
    key = asn1_keys.PrivateKeyInfo.load(creds.key.private_bytes(
        der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    cert = asn1_x509.Certificate.load(creds.cert.public_bytes(der))
    others = [asn1_x509.Certificate.load(_der(p)) for p in creds.chain]
    if creds.root_cert_pem is not None:
        others.append(asn1_x509.Certificate.load(_der(creds.root_cert_pem)))
    return signers.SimpleSigner(signing_cert=cert, signing_key=key,
                                cert_registry=SimpleCertificateStore.from_certs(others))


def _der(pem: bytes) -> bytes:
    from cryptography import x509

    return x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)


def signing_time_words(when: datetime) -> str:
    """``23 November 2026 at 14:05 UTC``."""
    when = when.astimezone(UTC)
    return f"{when.day} {when:%B %Y} at {when:%H:%M} UTC"


def _has_empty_field(pdf: bytes) -> bool:
    """Whether the PDF already has our empty signature field."""
    try:
        reader = PdfFileReader(BytesIO(pdf))
        for name, value, _ref in fields.enumerate_sig_fields(reader, filled_status=False):
            if name == FIELD_NAME and value is None:
                return True
    except (PdfError, ValueError, KeyError):
        return False
    return False


def _asn1_cert(pem: bytes) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(_der(pem))


def _add_validation_data(writer: IncrementalPdfFileWriter, certs: list[asn1_x509.Certificate],
                         crls: list[bytes]) -> None:
    """Put certificates and CRLs in the document security store (DSS) of ``writer``'s next revision."""
    DocumentSecurityStore.supply_dss_in_writer(writer, None, certs=certs,
                                               crls=[asn1_crl.CertificateList.load(c) for c in crls])


def _tst_certs(pdf: bytes) -> list[asn1_x509.Certificate]:
    """The certificates the time-stamping authority put in the signature's timestamp token."""
    reader = PdfFileReader(BytesIO(pdf))
    sig = reader.embedded_signatures[-1]
    return [c.chosen for token in extract_tst_data_iter(sig.signer_info, signed=False)
            for c in token["certificates"] or () if c.name == "certificate"]


def sign_pdf(pdf: bytes, creds: PublicationCredentials, *, now: datetime | None = None,
             stamp_text: str = STAMP_TITLE, tsa_url: str | None = None) -> bytes:
    """Certify ``pdf`` with the publication certificate; return the signed file's bytes.

    A PAdES signature (``/ETSI.CAdES.detached``, SHA-256) over the whole file as given, appended as
    an incremental update with a visible stamp: ``stamp_text``, the signer and the signing time.
    It is a certification signature that allows no changes (DocMDP P=1), so readers flag anything
    changed later. The same update carries the validation data (the certificate chain and, for the
    panel's own root, its current revocation list) in a DSS: PAdES B-LT. With ``tsa_url`` (an RFC
    3161 time-stamping authority) the signature is timestamped, the authority's certificates join
    the DSS and a document timestamp covers the lot: PAdES B-LTA.

    Raises InvalidInput if ``pdf`` is not a PDF pyHanko can sign, NetworkError-like InvalidInput
    when the time-stamping authority cannot be reached.
    """
    when = (now or utcnow()).astimezone(UTC)
    stamp = render_stamp(STAMP_SIZE, title=stamp_text, signer=creds.signer_name, when=signing_time_words(when))
    style = StaticStampStyle(
        background=_PdfBytesPage(stamp), border_width=0, background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(x_align=layout.AxisAlignment.ALIGN_MIN,
                                                     y_align=layout.AxisAlignment.ALIGN_MIN,
                                                     margins=layout.Margins.uniform(0)))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason="Publication of the panel's advice",
        location="United Kingdom",
        name=creds.signer_name,
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
    )
    spec = None
    if not _has_empty_field(pdf):
        spec = fields.SigFieldSpec(sig_field_name=FIELD_NAME, on_page=-1,
                                   box=(MARGIN_X, MARGIN_X, MARGIN_X + STAMP_SIZE[0], MARGIN_X + STAMP_SIZE[1]),
                                   readable_field_name=STAMP_ALT)
    timestamper = UrlTimeStamper(tsa_url) if tsa_url else None
    signer = _PdfSigner(meta, _signer(creds), stamp_style=style, new_field_spec=spec, signing_time=when,
                        timestamper=timestamper)
    chain = [_asn1_cert(creds.cert_pem), *(_asn1_cert(p) for p in creds.chain)]
    if creds.root_cert_pem is not None:
        chain.append(_asn1_cert(creds.root_cert_pem))
    crls = [issue_crl(creds, now=when)] if creds.issues_crls else []
    out = BytesIO()
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        _add_validation_data(writer, chain, crls)
        # pyHanko sizes the space for the signature with a dry run, so a long CA chain fits
        signer.sign_pdf(writer, output=out)
        if timestamper is None:
            return out.getvalue()
        signed = out.getvalue()
        writer = IncrementalPdfFileWriter(BytesIO(signed))
        _add_validation_data(writer, _tst_certs(signed), [])
        out = BytesIO()
        signers.PdfTimeStamper(timestamper).timestamp_pdf(writer, "sha256", output=out)
    except TimestampRequestError:
        raise InvalidInput(f"The time-stamping authority at {tsa_url} did not answer. Check the address "
                           "(panel-desk ca tsa) and the network, or remove it to publish without a timestamp.") from None
    except (PdfError, SigningError, ValueError):
        raise InvalidInput("This PDF cannot be signed: it is damaged or not a PDF.") from None
    return out.getvalue()


class UrlTimeStamper(TimeStamper):
    """An RFC 3161 client over HTTP with the standard library (pyHanko's own needs requests or aiohttp)."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        super().__init__()
        self.url = url
        self.timeout = timeout

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        def task() -> tsp.TimeStampResp:
            request = urllib.request.Request(self.url, data=req.dump(), method="POST",
                                             headers={"Content-Type": "application/timestamp-query"})
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    if response.headers.get("Content-Type") != "application/timestamp-reply":
                        raise TimestampRequestError("The time-stamping authority's answer is not a timestamp.")
                    return tsp.TimeStampResp.load(response.read(1 << 20))
            except (OSError, ValueError) as exc:
                raise TimestampRequestError("Cannot reach the time-stamping authority.") from exc

        return await asyncio.to_thread(task)

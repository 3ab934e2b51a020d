"""The published advice: render it (PDF and HTML), sign it with the publication certificate, check it.

A few verbs over bytes and models; the store and the secretariat hand in the finalised
:class:`~panel_desk.core.model.Advice` and the credentials, so nothing here touches the database.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from panel_desk.core import files
from panel_desk.core.errors import Cancelled, InvalidInput
from panel_desk.core.files import write_atomic
from panel_desk.core.model import Advice, utcnow
from panel_desk.core.publish._document import PublicationDetails
from panel_desk.core.publish.ca import (
    DEFAULT_PANEL_NAME,
    PublicationCredentials,
    create_panel_ca,
    fingerprint,
    issue_crl,
    revoke_signing_certificate,
)
from panel_desk.core.publish.html import render_html
from panel_desk.core.publish.pdf import render_pdf
from panel_desk.core.publish.sign import sign_pdf, signing_time_words
from panel_desk.core.publish.verify import VerifyReport, verify_pdf

__all__ = [
    "CREDENTIALS_SECRET",
    "DEFAULT_PANEL_NAME",
    "NO_CREDENTIALS",
    "ExportResult",
    "PublicationCredentials",
    "PublicationDetails",
    "PublishResult",
    "VerifyReport",
    "create_panel_ca",
    "export_advice",
    "fingerprint",
    "issue_crl",
    "publication_details",
    "publish_advice",
    "render_html",
    "render_pdf",
    "revoke_signing_certificate",
    "sign_pdf",
    "signing_time_words",
    "stored_credentials",
    "verify_pdf",
    "write_atomic",
]

Progress = Callable[[int, int], None]  # (steps done, steps in all)
CancelCheck = Callable[[], bool]

CREDENTIALS_SECRET = "publication-credentials"  # the name under which the store keeps them
NO_CREDENTIALS = ("Create the publication certificate first: on the Publish page choose Create certificate, "
                  "or run panel-desk ca init")


def store_credentials(ws, creds: PublicationCredentials, *, action: str, replace: bool = False) -> str:
    """Keep ``creds`` as the profile's publication certificate, with its audit entry, in one transaction;
    return the certificate's SHA-256. ``action`` is ``ca.init`` or ``ca.import-p12``. Raises
    InvalidInput when one exists and ``replace`` is not given (advice already published keeps its own)."""
    digest = hashlib.sha256(creds.cert.public_bytes(serialization.Encoding.DER)).hexdigest().upper()
    with ws.transaction():
        if ws.get_secret(CREDENTIALS_SECRET) is not None and not replace:
            raise InvalidInput("A publication certificate already exists. Replace it only to make a new one; "
                               "advice already published still checks against its own root.")
        ws.put_secret(CREDENTIALS_SECRET, creds.to_bytes())
        ws.audit(action, "publication-certificate", {"certificate_sha256": digest})
    return digest


class _Steps:
    """Each call: stop if cancelled, report how many of ``total`` steps are done, count one more."""

    def __init__(self, total: int, progress: Callable[[int, int], None] | None,
                 cancel: Callable[[], bool] | None) -> None:
        self.total, self.progress, self.cancel, self.done = total, progress, cancel, 0

    def __call__(self) -> None:
        if self.cancel is not None and self.cancel():
            raise Cancelled()
        if self.progress is not None:
            self.progress(self.done, self.total)
        self.done += 1


def stored_credentials(ws) -> PublicationCredentials:
    """The publication credentials kept in a workspace (anything with ``get_secret(name)``).

    Raises InvalidInput when there are none yet, or they are damaged.
    """
    data = ws.get_secret(CREDENTIALS_SECRET)
    if data is None:
        raise InvalidInput(NO_CREDENTIALS)
    return PublicationCredentials.from_bytes(data)


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export_advice` wrote."""

    pdf_path: Path
    html_path: Path | None
    pdf_bytes: int
    pdf_sha256: str
    signer: str
    signed_at: datetime


def export_advice(advice: Advice, creds: PublicationCredentials, *, pdf_out: Path, html_out: Path | None = None,
                  progress: Progress | None = None, cancel: CancelCheck | None = None,
                  now: datetime | None = None, details: PublicationDetails | None = None,
                  tsa_url: str | None = None) -> ExportResult:
    """Render, sign and write the published advice (and its HTML); return what was written.

    Nothing is written until everything is ready, and each file is written atomically, so a
    cancelled or failed export leaves no file behind. Raises Cancelled when ``cancel()`` says so,
    InvalidInput or NotFound when a file cannot be written.
    """
    now = now or utcnow()
    steps = 4 if html_out is not None else 3
    step = _Steps(steps, progress, cancel)

    step()
    pdf = render_pdf(advice, now=now, details=details)
    step()
    signed = sign_pdf(pdf, creds, now=now, tsa_url=tsa_url)
    html = None
    if html_out is not None:
        step()
        html = render_html(advice, details=details).encode("utf-8")
    step()
    pdf_out, html_out = Path(pdf_out), None if html_out is None else Path(html_out)
    write_atomic(pdf_out, signed)
    if html is not None and html_out is not None:
        write_atomic(html_out, html)
    if progress is not None:
        progress(steps, steps)
    return ExportResult(pdf_path=pdf_out, html_path=html_out, pdf_bytes=len(signed),
                        pdf_sha256=hashlib.sha256(signed).hexdigest(),
                        signer=creds.signer_name, signed_at=now)


ROOT_FILE_NAME = "panel-root.pem"


def publication_details(ws, creds: PublicationCredentials, *, pdf_name: str = "") -> PublicationDetails:
    """What the advice says about its publisher: the secretariat's settings and the root's fingerprint."""
    from panel_desk.core import settings as st

    prefs, _problem = st.load_or_defaults(st.store_of(ws))
    root = creds.root_cert_pem or (creds.chain[-1] if creds.chain else creds.cert_pem)
    return PublicationDetails(contact_email=prefs.contact_email, contact_address=prefs.contact_address,
                              root_fingerprint=fingerprint(root), root_location=prefs.root_location,
                              pdf_name=pdf_name, root_name=ROOT_FILE_NAME,
                              timestamped=bool(prefs.tsa_url))


@dataclass(frozen=True)
class PublishResult:
    """What :func:`publish_advice` wrote and recorded."""

    application_id: str
    advice_revision: int
    pdf_path: Path
    html_path: Path | None
    root_path: Path | None
    pdf_sha256: str
    signer: str
    signed_at: datetime
    level: str  # "PAdES B-LT" or "PAdES B-LTA"


def publish_advice(ws, app_id: str, *, pdf_out: Path, html_out: Path | None = None,
                   progress: Progress | None = None, cancel: CancelCheck | None = None,
                   now: datetime | None = None) -> PublishResult:
    """Publish the finalised advice: certify and sign the PDF, write it (and the HTML and the root
    certificate beside it) and record the publication with its audit entry, all or nothing.

    The files are written to temporary names first and appear under their own names only after
    the publication is recorded; when rendering, signing, writing or recording fails, no file is
    left claiming publication and the workspace is as before. Raises InvalidInput (no publication
    certificate, not finalised, a file cannot be written, the time-stamping authority does not
    answer), NotFound, Cancelled.
    """
    from panel_desk.core import secretariat
    from panel_desk.core import settings as st

    now = now or utcnow()
    advice = secretariat.final_advice(ws, app_id)
    creds = stored_credentials(ws)
    prefs, _problem = st.load_or_defaults(st.store_of(ws))
    pdf_out = Path(pdf_out)
    details = publication_details(ws, creds, pdf_name=pdf_out.name)
    steps = 3 if html_out is not None else 2
    step = _Steps(steps, progress, cancel)

    step()
    signed = sign_pdf(render_pdf(advice, now=now, details=details), creds, now=now, tsa_url=prefs.tsa_url)
    html = root_pem = root_out = None
    if html_out is not None:
        step()
        html = render_html(advice, details=details).encode("utf-8")
        root_pem = creds.root_cert_pem or (creds.chain[-1] if creds.chain else creds.cert_pem)
        root_out = Path(html_out).parent / ROOT_FILE_NAME
    step()
    digest = hashlib.sha256(signed).hexdigest()
    with contextlib.ExitStack() as files_:
        # each file appears under its name only when this block succeeds, i.e. once recorded
        files_.enter_context(files.atomic_output(pdf_out)).write(signed)
        if html is not None and html_out is not None and root_out is not None and root_pem is not None:
            files_.enter_context(files.atomic_output(Path(html_out))).write(html)
            files_.enter_context(files.atomic_output(root_out)).write(root_pem)
        if cancel is not None and cancel():
            raise Cancelled()
        with ws.transaction():  # the record and the export entry: both or neither
            ws.record_publication(advice.application_id, advice, published=True, now=now)
            ws.audit("advice.export", advice.application_id,
                     {"advice_revision": advice.advice_revision, "pdf_sha256": digest, "html": html is not None,
                      "level": "PAdES B-LTA" if prefs.tsa_url else "PAdES B-LT"}, now=now)
    if progress is not None:
        progress(steps, steps)
    return PublishResult(application_id=advice.application_id, advice_revision=advice.advice_revision,
                         pdf_path=pdf_out, html_path=None if html_out is None else Path(html_out),
                         root_path=root_out, pdf_sha256=digest, signer=creds.signer_name, signed_at=now,
                         level="PAdES B-LTA" if prefs.tsa_url else "PAdES B-LT")

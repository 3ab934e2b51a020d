"""The published advice: render it (PDF and HTML), sign it with the publication certificate, check it.

A few verbs over bytes and models; the store and the secretariat hand in the finalised
:class:`~panel_desk.core.model.Advice` and the credentials, so nothing here touches the database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from panel_desk.core import files
from panel_desk.core.errors import Cancelled, InvalidInput
from panel_desk.core.model import Advice, utcnow
from panel_desk.core.publish.ca import DEFAULT_PANEL_NAME, PublicationCredentials, create_panel_ca
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
    "VerifyReport",
    "create_panel_ca",
    "export_advice",
    "render_html",
    "render_pdf",
    "sign_pdf",
    "signing_time_words",
    "stored_credentials",
    "verify_pdf",
    "write_atomic",
]

Progress = Callable[[int, int], None]  # (steps done, steps in all)
CancelCheck = Callable[[], bool]

CREDENTIALS_SECRET = "publication-credentials"  # the name under which the store keeps them
NO_CREDENTIALS = "Create the publication certificate first: panel-desk ca init"


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


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder, fsync and rename (a reader never sees half a file)."""
    files.write_atomic(path, data)


def export_advice(advice: Advice, creds: PublicationCredentials, *, pdf_out: Path, html_out: Path | None = None,
                  progress: Progress | None = None, cancel: CancelCheck | None = None,
                  now: datetime | None = None) -> ExportResult:
    """Render, sign and write the published advice (and its HTML); return what was written.

    Nothing is written until everything is ready, and each file is written atomically, so a
    cancelled or failed export leaves no file behind. Raises Cancelled when ``cancel()`` says so,
    InvalidInput or NotFound when a file cannot be written.
    """
    now = now or utcnow()
    steps = 4 if html_out is not None else 3
    done = 0

    def step() -> None:
        nonlocal done
        if cancel is not None and cancel():
            raise Cancelled()
        if progress is not None:
            progress(done, steps)
        done += 1

    step()
    pdf = render_pdf(advice, now=now)
    step()
    signed = sign_pdf(pdf, creds, now=now)
    html = None
    if html_out is not None:
        step()
        html = render_html(advice).encode("utf-8")
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

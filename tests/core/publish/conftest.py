"""Fixtures for the publication tests: credentials and a signed advice, made once per session."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from publish_samples import NOW, sample_advice

from panel_desk.core import publish


@pytest.fixture(scope="session")
def creds() -> publish.PublicationCredentials:
    return publish.create_panel_ca(now=NOW)


@pytest.fixture(scope="session")
def unsigned_pdf() -> bytes:
    return publish.render_pdf(sample_advice(), now=NOW)


@pytest.fixture(scope="session")
def signed_pdf(unsigned_pdf, creds) -> bytes:
    return publish.sign_pdf(unsigned_pdf, creds, now=NOW)


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (poppler-utils / libnss3-tools)")
    return path


def pdfsig(pdf: Path, nssdir: Path | None = None) -> str:
    """pdfsig's report (it exits 0 whatever it finds, so the words are what count)."""
    args = [need("pdfsig")]
    if nssdir is not None:
        args += ["-nssdir", f"sql:{nssdir}"]
    result = subprocess.run([*args, str(pdf)], capture_output=True, text=True, timeout=60, check=False)
    return result.stdout + result.stderr


def nss_trusting(root_pem: bytes, folder: Path) -> Path:
    """An NSS database in ``folder`` that trusts ``root_pem`` to issue signing certificates.

    pdfsig checks the signer for NSS's e-mail signing usage, so the root needs the C flag in the
    second (e-mail) place: with "C,," (trusted for TLS only) pdfsig says "Certificate issuer isn't
    Trusted." for the very same file.
    """
    certutil = need("certutil")
    folder.mkdir()
    (folder / "root.pem").write_bytes(root_pem)
    subprocess.run([certutil, "-N", "-d", f"sql:{folder}", "--empty-password"], check=True, capture_output=True,
                   timeout=60)
    subprocess.run([certutil, "-A", "-d", f"sql:{folder}", "-n", "root", "-t", ",C,", "-i",
                    str(folder / "root.pem")], check=True, capture_output=True, timeout=60)
    return folder

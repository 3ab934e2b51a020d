"""export_advice: render, sign and write both files, all or nothing, with progress and Cancel."""

from __future__ import annotations

import hashlib
import sys
from datetime import timedelta

import pytest
from publish_samples import NOW, sample_advice

from panel_desk.core import publish
from panel_desk.core.errors import Cancelled, InvalidInput, NotFound


def test_export_writes_the_signed_pdf_and_the_html(tmp_path, creds):
    steps = []
    result = publish.export_advice(sample_advice(), creds, pdf_out=tmp_path / "advice.pdf",
                                   html_out=tmp_path / "advice.html", progress=lambda d, t: steps.append((d, t)),
                                   now=NOW)
    pdf = (tmp_path / "advice.pdf").read_bytes()
    assert result.pdf_path == tmp_path / "advice.pdf" and result.html_path == tmp_path / "advice.html"
    assert result.pdf_bytes == len(pdf) and result.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert result.signer == "Secretariat of the expert advisory panel" and result.signed_at == NOW
    assert publish.verify_pdf(pdf, [creds.root_cert_pem], now=NOW + timedelta(hours=1)).ok
    html = (tmp_path / "advice.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Northshire County Council" in html
    assert steps == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["advice.html", "advice.pdf"]


def test_export_without_html_writes_only_the_pdf(tmp_path, creds):
    result = publish.export_advice(sample_advice(), creds, pdf_out=tmp_path / "a.pdf", now=NOW)
    assert result.html_path is None and [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


@pytest.mark.parametrize("cancel_at", [1, 2, 3, 4])
def test_cancel_at_any_step_writes_nothing(tmp_path, creds, cancel_at):
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) >= cancel_at

    with pytest.raises(Cancelled):
        publish.export_advice(sample_advice(), creds, pdf_out=tmp_path / "a.pdf", html_out=tmp_path / "a.html",
                              cancel=cancel, now=NOW)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_is_replaced_whole(tmp_path, creds):
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")
    publish.export_advice(sample_advice(), creds, pdf_out=target, now=NOW)
    assert target.read_bytes().startswith(b"%PDF")


def test_a_missing_folder_is_named(tmp_path, creds):
    with pytest.raises(NotFound, match="does not exist"):
        publish.export_advice(sample_advice(), creds, pdf_out=tmp_path / "nope" / "a.pdf", now=NOW)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_an_unwritable_folder_is_refused_in_words(tmp_path, creds):
    import os

    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running with privileges that ignore permissions")
        with pytest.raises(InvalidInput, match="Cannot write"):
            publish.export_advice(sample_advice(), creds, pdf_out=folder / "a.pdf", now=NOW)
    finally:
        folder.chmod(0o700)


def test_stored_credentials_come_from_the_workspace_secret(creds):
    class Store:
        def __init__(self):
            self.secrets = {}

        def get_secret(self, name):
            return self.secrets.get(name)

    ws = Store()
    with pytest.raises(InvalidInput, match="panel-desk ca init"):
        publish.stored_credentials(ws)
    ws.secrets[publish.CREDENTIALS_SECRET] = creds.to_bytes()
    assert publish.stored_credentials(ws).cert_pem == creds.cert_pem


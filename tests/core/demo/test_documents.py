"""The demo's PDFs: several pages, the case's own facts and tables, fictional, deterministic and quick."""

from __future__ import annotations

import time
from datetime import date

import pypdfium2 as pdfium
import pytest

from panel_desk.core.demo.applications import CASES, DOCUMENTS, HARBOURNE, WEXMOOR
from panel_desk.core.demo.documents import application_pdf, documents_for, monitoring_pdf, risk_pdf

TODAY = date(2026, 11, 23)


def _pages(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    try:
        texts = []
        for page in pdf:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        pdf.close()


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.slug)
def test_every_case_has_four_pdfs_each_saying_it_is_fictional(case):
    docs = documents_for(case, TODAY)
    assert sorted(docs) == sorted(path for path, _, _ in DOCUMENTS)
    for path, data in docs.items():
        assert data.startswith(b"%PDF-"), path
        pages = _pages(data)
        assert len(pages) >= 2, path
        for text in pages:  # every page, so a printed page cannot pass for a real council's
            assert "Fictional demonstration document" in _words(text), path
            assert case.authority.upper() in text


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.slug)
def test_application_covers_the_six_features_and_names_the_provisions(case):
    text = _words(" ".join(_pages(application_pdf(case, TODAY))))
    assert len(_pages(application_pdf(case, TODAY))) >= 4
    for heading in ("1. Local consultation", "2. Better outcomes", "3. Local capability",
                    "4. Risk to children", "5. Monitoring and local accountability", "6. Evaluation"):
        assert heading in text
    for provision in case.provisions:
        assert _words(provision.enactment) in text
    total = sum(e.people for e in case.consultation)
    assert f"In all, {total} people took part" in text


def test_consultation_dates_are_worked_out_from_today():
    text = _words(" ".join(_pages(documents_for(WEXMOOR, TODAY)["documents/consultation-summary.pdf"])))
    # the first strand was 150 days before the application, received 49 days before today
    assert "8 May 2026" in text and "Children in Care Council" in text


def test_risk_assessment_has_the_full_register():
    text = _words(" ".join(_pages(risk_pdf(HARBOURNE, TODAY))))
    for header in ("Risk", "Likelihood", "Impact", "Mitigation", "Owner"):
        assert header in text
    for risk in HARBOURNE.risks:
        assert _words(risk.owner) in text


def test_monitoring_plan_has_baselines_frequencies_and_triggers_for_revocation():
    text = _words(" ".join(_pages(monitoring_pdf(WEXMOOR, TODAY))))
    assert "Triggers for revocation" in text
    for measure in WEXMOOR.measures:
        assert _words(measure.baseline) in text
    assert "Quarterly" in text and "Six-monthly" in text


def test_output_is_deterministic_and_depends_only_on_the_inputs():
    assert documents_for(HARBOURNE, TODAY) == documents_for(HARBOURNE, TODAY)
    assert application_pdf(HARBOURNE, TODAY) != application_pdf(HARBOURNE, date(2027, 3, 1))


def test_all_twelve_documents_are_quick_to_make():
    start = time.perf_counter()
    for case in CASES:
        documents_for(case, TODAY)
    assert time.perf_counter() - start < 3.0

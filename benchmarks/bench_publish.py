"""Benchmark the published advice: a 20-page advice rendered, certified and signed, then verified.

Measures, in this process: the first export (fonts registered, imports warm), then ``--repeat``
further runs of render_pdf + sign_pdf (best and median) at PAdES B-LT (chain and CRL in the DSS,
no timestamp), the same with a real RFC 3161 time-stamping service on 127.0.0.1 (B-LTA: signature
timestamp, DSS update, document timestamp), render_html, and verify_pdf. Targets (issue 14): a
20-page advice renders, certifies and signs in at most 2 s at B-LT, 3 s with a local TSA. Run::

    .venv/bin/python benchmarks/bench_publish.py [--pages 20] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pypdfium2 as pdfium

from panel_desk.core import publish
from panel_desk.core.model import Advice

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "core" / "publish"))
from local_tsa import local_tsa  # the tests' real local time-stamping service

NOW = datetime(2026, 11, 20, 14, 5, tzinfo=UTC)
TARGET_S = 2.0
TARGET_TSA_S = 3.0

PARA = ("The panel considers that children in stable, long-term placements are likely to benefit from reviews "
        "that they can choose to chair themselves, or that their social worker chairs. The authority proposes "
        "monthly case audits of every child whose review is not chaired by an independent reviewing officer, "
        "reported to the lead member and to the Department.")


def advice(paragraphs: int) -> Advice:
    """An advice of about ``paragraphs`` paragraphs of Q1/Q2 text, with every other part filled in."""
    half = max(1, paragraphs // 2)
    members = [{"name": f"Member {i}", "role": role, "organisation": "Organisation"}
               for i, role in enumerate(("childrens-commissioner", "chief-inspector", "voluntary-sector",
                                         "local-government", "social-work-practice", "expert"))]
    return Advice.model_validate({
        "application_id": "benchmark-2026-0001", "application_revision": 1, "authority": "Northshire County Council",
        "title": "Targeted independent reviewing officer oversight for children in stable placements",
        "provisions": [{"enactment": "The Care Planning, Placement and Case Review (England) Regulations 2010",
                        "reference": "regulation 36", "change": "modification", "replacement": "a review chaired "
                        "by the child or their social worker", "original_procedure": "negative"}],
        "trial_months": 24,
        "dates": {"received": "2026-09-01", "panel_asked": "2026-09-14", "regulations_intended": "2026-12-14",
                  "advice_due": "2026-11-30"},
        "date_of_advice": "2026-11-20", "summary": "\n\n".join([PARA] * 3),
        "outcomes": "\n\n".join([PARA] * half), "monitoring": "\n\n".join([PARA] * half),
        "conditions": [PARA] * 6, "other_advice": PARA, "members": members,
        "interests": [{"member": m["name"], "role": m["role"], "none_to_declare": True, "decision": "no-action"}
                      for m in members],
        "dissents": [{"attributed_to": "Member 2", "statement": PARA}],
        "comments": [{"attributed_to": "Local government", "statement": PARA}],
    })


def pages_of(pdf: bytes) -> int:
    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def sized_advice(pages: int) -> Advice:
    """Grow the advice until it fills ``pages`` pages."""
    n = pages * 4
    while True:
        a = advice(n)
        got = pages_of(publish.render_pdf(a, now=NOW))
        if got >= pages:
            return a
        n += max(2, (pages - got) * 3)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    creds = publish.create_panel_ca(now=NOW)
    t0 = time.perf_counter()
    first_advice = advice(4)
    publish.sign_pdf(publish.render_pdf(first_advice, now=NOW), creds, now=NOW)
    first = time.perf_counter() - t0

    a = sized_advice(args.pages)
    totals, renders, signs = [], [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        pdf = publish.render_pdf(a, now=NOW)
        t1 = time.perf_counter()
        signed = publish.sign_pdf(pdf, creds, now=NOW)
        t2 = time.perf_counter()
        renders.append(t1 - t0)
        signs.append(t2 - t1)
        totals.append(t2 - t0)
    tsa_totals = []
    with local_tsa(NOW) as (url, _tsa_root):
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            timestamped = publish.sign_pdf(publish.render_pdf(a, now=NOW), creds, now=NOW, tsa_url=url)
            tsa_totals.append(time.perf_counter() - t0)
    assert publish.verify_pdf(timestamped, [creds.root_cert_pem, _tsa_root]).ok
    t0 = time.perf_counter()
    publish.render_html(a)
    html_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = publish.verify_pdf(signed, [creds.root_cert_pem])
    verify_s = time.perf_counter() - t0
    assert report.ok, report.reasons

    result = {
        "pages": pages_of(signed),
        "pdf_kib": round(len(signed) / 1024),
        "first_export_small_s": round(first, 3),
        "render_and_sign_best_s": round(min(totals), 3),
        "render_and_sign_median_s": round(statistics.median(totals), 3),
        "render_median_s": round(statistics.median(renders), 3),
        "sign_median_s": round(statistics.median(signs), 3),
        "html_s": round(html_s, 4),
        "verify_s": round(verify_s, 3),
        "with_local_tsa_best_s": round(min(tsa_totals), 3),
        "with_local_tsa_median_s": round(statistics.median(tsa_totals), 3),
        "target_s": TARGET_S,
        "target_tsa_s": TARGET_TSA_S,
        "meets_target": max(totals) <= TARGET_S and max(tsa_totals) <= TARGET_TSA_S,
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()

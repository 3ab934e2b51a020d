"""The demo applications as data: valid, realistic, and one of them short of the 6-week minimum."""

from __future__ import annotations

from datetime import date

import pytest

from panel_desk.core.demo.applications import CASES, EASTMARSH, HARBOURNE, WEXMOOR, application_for
from panel_desk.core.model import Feature, OriginalProcedure
from panel_desk.core.rules import MAX_TRIAL_MONTHS, application_problems, notice_check

REAL_COUNCIL_WORDS = ("Hampshire", "North Yorkshire", "Leeds", "Tri-borough")


@pytest.mark.parametrize("today", [date(2026, 11, 23), date(2027, 2, 28), date(2028, 12, 31)])
def test_exactly_one_application_is_asked_short_of_six_weeks_whatever_today_is(today):
    checks = {c.slug: notice_check(c.dates(today).panel_asked, c.dates(today).regulations_intended) for c in CASES}
    assert {slug for slug, check in checks.items() if not check.meets_minimum} == {"harbourne"}
    assert checks["harbourne"].days == 37
    for case in CASES:
        dates = case.dates(today)
        assert dates.received < dates.panel_asked <= today <= dates.advice_due <= dates.regulations_intended


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.slug)
def test_each_application_is_valid_within_the_trial_limit_and_covers_every_feature(case):
    app = application_for(case, date(2026, 11, 23))
    assert app.trial_months <= MAX_TRIAL_MONTHS and app.extension_months == 0
    assert all(app.features.text(f).strip() for f in Feature)
    assert all(case.sections[f.value] for f in Feature)
    blocking = [p for p in application_problems(app) if p.blocking]
    assert blocking == []
    assert app.id == f"{case.slug}-2026-demo"


def test_provisions_cite_the_legislation_the_policy_examples_concern():
    cited = {case.slug: " ".join(p.citation for p in case.provisions) for case in CASES}
    assert "Regulations 36 and 37" in cited["wexmoor"] and "Section 25B" in cited["wexmoor"]
    assert "Regulation 48" in cited["harbourne"] and "Section 22C" in cited["harbourne"]
    assert "Regulations 23 to 27" in cited["eastmarsh"] and "Adoption Agencies Regulations 2005" in cited["eastmarsh"]
    assert "Regulation 24" in cited["eastmarsh"]
    procedures = {p.original_procedure for case in CASES for p in case.provisions}
    assert procedures == {OriginalProcedure.PRIMARY, OriginalProcedure.NEGATIVE}


def test_the_authorities_are_fictional():
    assert [c.authority for c in CASES] == ["Wexmoor County Council", "Harbourne City Council",
                                            "Eastmarsh Borough Council"]
    for case in (WEXMOOR, HARBOURNE, EASTMARSH):
        blob = repr(case)
        assert not any(word in blob for word in REAL_COUNCIL_WORDS)

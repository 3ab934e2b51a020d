"""The statutory rules at their boundaries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from panel_desk.core import rules
from panel_desk.core.model import Member, OriginalProcedure, ParliamentaryProcedure, Provision, Role


@pytest.mark.parametrize(("days", "meets", "short"), [(41, False, 1), (42, True, 0), (43, True, 0), (37, False, 5)])
def test_six_week_notice_boundaries(days, meets, short):
    asked = date(2026, 10, 1)
    check = rules.notice_check(asked, asked + timedelta(days=days))
    assert (check.days, check.meets_minimum, check.short_by) == (days, meets, short)


def test_notice_message_says_how_short_in_words():
    check = rules.notice_check(date(2026, 10, 1), date(2026, 11, 7))
    assert check.message() == ("The panel was asked 37 days before the regulations are due. "
                               "The minimum is 42 days, so this is 5 days short.")


def test_earliest_regulations_is_six_weeks_after_asking():
    assert rules.earliest_regulations(date(2026, 10, 1)) == date(2026, 11, 12)


@pytest.mark.parametrize(("months", "ok"), [(1, True), (35, True), (36, True), (37, False), (0, False)])
def test_trial_at_most_36_months(months, ok):
    assert (rules.trial_problems(months) == []) is ok


@pytest.mark.parametrize(("ext", "ok"), [(0, True), (36, True), (37, False)])
def test_one_extension_at_most_36_months(ext, ok):
    assert (rules.trial_problems(24, ext) == []) is ok


def test_trial_problem_names_the_limit():
    (problem,) = rules.trial_problems(37)
    assert problem.field == "trial_months"
    assert "at most 36 months" in problem.message


@pytest.mark.parametrize(("original", "expected"), [
    (OriginalProcedure.PRIMARY, ParliamentaryProcedure.AFFIRMATIVE),
    (OriginalProcedure.AFFIRMATIVE, ParliamentaryProcedure.AFFIRMATIVE),
    (OriginalProcedure.NEGATIVE, ParliamentaryProcedure.NEGATIVE),
])
def test_procedure_follows_the_original_legislation(original, expected):
    p = Provision(enactment="Act", reference="s1", change="exemption", original_procedure=original)
    assert p.parliamentary_procedure is expected


def _provision(**kw):
    base = dict(enactment="The Fostering Services (England) Regulations 2011", reference="regulation 23",
                change="modification", original_procedure="negative")
    base.update(kw)
    return Provision(**base)


def test_profit_making_is_out_of_scope_by_flag_or_by_words():
    assert not rules.touches_profit_making(_provision())
    assert rules.touches_profit_making(_provision(concerns_profit_making=True))
    assert rules.touches_profit_making(_provision(reference="the restriction on profit-making bodies"))
    assert rules.touches_profit_making(_provision(replacement="delegation to a for-profit provider"))


def _member(role: Role, n: int = 0) -> Member:
    return Member(fingerprint=f"FP{role.value}{n}", name=f"Person {n}", role=role)


def test_both_permanent_seats_must_be_filled():
    full = [_member(Role.CHILDRENS_COMMISSIONER), _member(Role.CHIEF_INSPECTOR), _member(Role.EXPERT)]
    assert rules.composition_problems(full) == []
    problems = rules.composition_problems([_member(Role.CHIEF_INSPECTOR), _member(Role.EXPERT)])
    assert [p.message for p in problems] == [
        "No one on the panel sits for the Children's Commissioner. Add a member with that role."]
    assert len(rules.composition_problems([])) == 2


def test_example_application_has_no_problems(example_application):
    from panel_desk.core.appdir import load_application_dir

    app, files = load_application_dir(example_application)
    assert rules.application_problems(app) == []
    assert set(files) == {d.path for d in app.documents}


def test_application_problems_lists_missing_features_and_short_notice(example_application):
    from panel_desk.core.appdir import load_application_dir

    app, _ = load_application_dir(example_application)
    app = app.model_copy(update={
        "features": app.features.model_copy(update={"evaluation": "", "capability": "  "}),
        "dates": app.dates.model_copy(update={"regulations_intended": app.dates.panel_asked + timedelta(days=41),
                                              "advice_due": app.dates.panel_asked + timedelta(days=20)}),
    })
    problems = rules.application_problems(app)
    fields = {p.field: p for p in problems}
    assert set(fields) == {"dates.regulations_intended", "features.capability", "features.evaluation"}
    assert not fields["dates.regulations_intended"].blocking
    assert "1 day short" in fields["dates.regulations_intended"].message


def test_days_left_words():
    today = date(2026, 11, 23)
    assert rules.days_left_words(date(2026, 12, 5), today) == "12 days left to advise"
    assert rules.days_left_words(today, today) == "Advice due today"
    assert rules.days_left_words(date(2026, 11, 22), today) == "Advice overdue by 1 day"
    assert rules.format_date(today) == "23 November 2026"

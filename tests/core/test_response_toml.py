"""The response as TOML: built from the form, filled in, read back strictly, round trips exactly."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from panel_desk.core import response_toml as rt
from panel_desk.core.appdir import load_application_dir
from panel_desk.core.errors import InvalidInput
from panel_desk.core.forms import load_form
from panel_desk.core.model import Answer, Evidence, MonitoringRating, OutcomesRating, ResponseAnswers

SOURCE = "FORM.toml"
EXAMPLE_APPLICATION = Path(__file__).resolve().parents[2] / "resources" / "examples" / "application"


@pytest.fixture(scope="module")
def app():
    application, _ = load_application_dir(EXAMPLE_APPLICATION)
    return application.model_copy(update={"id": "wexmoor-2026-ab12"})


@pytest.fixture(scope="module")
def form():
    return load_form()


def _filled() -> ResponseAnswers:
    return ResponseAnswers(
        outcomes=Answer(rating="improve", confidence="medium",
                        rationale='Children\'s wishes come first.\n\nThe route back is "clear" and quick.',
                        internal_note="The IRO manager seemed unsure. \\ not for publication",
                        evidence=[Evidence(document="documents/application.pdf", page=3,
                                           quote="Any child can return to an IRO-chaired review"),
                                  Evidence(document="documents/risk-assessment.pdf", page=1, quote="",
                                           annotation_id="a1b2c3")]),
        monitoring=Answer(rating="sufficient_with_conditions", confidence="high",
                          rationale="Quarterly audits of 10% of cases.", internal_note=""),
        conditions=["Report the number of children outside IRO-chaired review each quarter.",
                    'Publish the "one-page guide" for children.'],
        other_advice="None.",
    )


def test_template_is_valid_toml_built_from_the_form(form, app):
    text = rt.template(form, app)
    data = tomllib.loads(text)
    assert data["application"] == "wexmoor-2026-ab12" and data["application_revision"] == 1
    assert (data["form"], data["form_version"]) == ("panel-advice", 1)
    assert set(data) == {"application", "application_revision", "form", "form_version",
                         "outcomes", "monitoring", "advice"}
    assert set(data["outcomes"]) == {"rating", "confidence", "rationale", "internal_note", "evidence"}
    # every question, prompt and allowed value of the form is in the comments
    for section in form.sections:
        if section.question:
            assert section.question in text
        for prompt in section.prompts:
            assert prompt.text.split()[0] in text
        for field in section.fields:
            for choice in field.choices:
                assert f"#     {choice.value} — {choice.label}" in text
    assert "Wexmoor County Council" in text
    assert "#     documents/risk-assessment.pdf — Risk assessment and safeguards" in text  # what evidence may cite
    assert "(required, never published)" in text  # confidence: the form says it is not publishable


def test_template_fills_in_current_answers(form, app):
    data = tomllib.loads(rt.template(form, app, _filled()))
    assert data["outcomes"]["rating"] == "improve"
    assert data["outcomes"]["confidence"] == "medium"
    assert data["outcomes"]["evidence"][0] == {"document": "documents/application.pdf", "page": 3,
                                               "quote": "Any child can return to an IRO-chaired review"}
    assert data["outcomes"]["evidence"][1]["annotation"] == "a1b2c3"
    assert data["advice"]["conditions"][1] == 'Publish the "one-page guide" for children.'


def test_round_trip_is_exact(form, app):
    answers = _filled()
    text = rt.template(form, app, answers)
    parsed = rt.parse(text, SOURCE)
    assert parsed == answers
    assert rt.template(form, app, parsed) == text


def test_empty_template_parses_to_empty_answers_and_back(form, app):
    text = rt.template(form, app)
    parsed = rt.parse(text, SOURCE)
    assert parsed == ResponseAnswers()
    assert rt.template(form, app, parsed) == text


def test_fill_by_editing_the_text_then_round_trip(form, app):
    text = rt.template(form, app)
    text = text.replace('rating = ""', 'rating = "improve"', 1).replace('confidence = ""', 'confidence = "low"', 1)
    text = text.replace('rationale = """\n"""', 'rationale = """\nA careful, "bounded" trial.\n"""', 1)
    text = text.replace("evidence = []", 'evidence = [\n  { document = "documents/application.pdf", page = 2, '
                                          'quote = "stable" },\n]', 1)
    read = rt.read(text, SOURCE)
    assert read.application_id == "wexmoor-2026-ab12" and read.application_revision == 1
    a = read.answers.outcomes
    assert (a.rating, a.confidence, a.rationale) == ("improve", "low", 'A careful, "bounded" trial.')
    assert a.evidence == [Evidence(document="documents/application.pdf", page=2, quote="stable")]
    again = rt.template(form, app, read.answers)
    assert rt.parse(again, SOURCE) == read.answers
    assert rt.template(form, app, rt.parse(again, SOURCE)) == again


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(max_examples=150, deadline=None)
@given(rationale=_text, note=_text, other=_text, quote=_text,
       conditions=st.lists(_text.filter(lambda t: t.strip()), max_size=3),
       rating=st.sampled_from([""] + [r.value for r in OutcomesRating]),
       mon=st.sampled_from([""] + [r.value for r in MonitoringRating]))
def test_round_trip_any_text(form, app, rationale, note, other, quote, conditions, rating, mon):
    answers = ResponseAnswers(
        outcomes=Answer(rating=rating, rationale=rationale, internal_note=note,
                        evidence=[Evidence(document="documents/application.pdf", page=1, quote=quote)]),
        monitoring=Answer(rating=mon, confidence="high"),
        conditions=conditions, other_advice=other)
    text = rt.template(form, app, answers)
    parsed = rt.parse(text, SOURCE)
    assert parsed == answers
    assert rt.template(form, app, parsed) == text


def _bad(form, app, old: str, new: str) -> str:
    text = rt.template(form, app)
    assert old in text
    with pytest.raises(InvalidInput) as err:
        rt.parse(text.replace(old, new, 1), SOURCE)
    return str(err.value)


def test_a_value_that_is_not_allowed_names_file_field_and_choices(form, app):
    message = _bad(form, app, 'rating = ""', 'rating = "improves"')
    assert message == ("FORM.toml: outcomes.rating: 'improves' is not allowed; choose one of "
                       "improve_significantly, improve, no_material_change, worsen, worsen_significantly, "
                       "cannot_judge.")


def test_monitoring_ratings_are_not_outcomes_ratings(form, app):
    text = rt.template(form, app)
    head, tail = text.split("[monitoring]")
    with pytest.raises(InvalidInput, match=r"monitoring.rating: 'improve' is not allowed; choose one of sufficient,"):
        rt.parse(head + "[monitoring]" + tail.replace('rating = ""', 'rating = "improve"', 1), SOURCE)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('confidence = ""', 'confidence = "very"', "outcomes.confidence: 'very' is not allowed; choose one of high, medium, low"),
    ('confidence = ""', "confidence = 3", "outcomes.confidence: write one of the choices in quotes, not a number"),
    ('rating = ""', 'ratng = ""', "outcomes.ratng: is not a field of this form; the fields of outcomes are rating,"),
    ('rationale = """\n"""', "rationale = 12", "outcomes.rationale: write text in quotes, not a number"),
    ("evidence = []", 'evidence = [ { document = "documents/a.pdf", quote = "x" } ]',
     "outcomes.evidence number 1.page: give the page the passage is on"),
    ("evidence = []", 'evidence = [ { document = "documents/a.pdf", page = 0 } ]',
     "outcomes.evidence number 1.page: write the page number as a whole number from 1"),
    ("evidence = []", "evidence = [ { page = 2 } ]", "outcomes.evidence number 1.document: name the document"),
    ("evidence = []", 'evidence = [ { document = "d.pdf", page = 2, colour = "red" } ]',
     "outcomes.evidence number 1: 'colour' is not part of a passage"),
    ("evidence = []", 'evidence = "page 3"', "outcomes.evidence: write a list of passages"),
    ("conditions = []", "conditions = [1]", "advice.conditions number 1: write text in quotes, not a number"),
    ("conditions = []", 'conditions = "one"', "advice.conditions: write a list in square brackets"),
    ('form_version = 1', 'form_version = 1\ncolour = "red"', "FORM.toml: colour: is not part of this form"),
])
def test_precise_messages(form, app, old, new, expected):
    assert expected in _bad(form, app, old, new)


def test_every_problem_is_reported_at_once(form, app):
    text = rt.template(form, app).replace('rating = ""', 'rating = "x"').replace('confidence = ""', 'confidence = "y"')
    with pytest.raises(InvalidInput) as err:
        rt.parse(text, SOURCE)
    assert str(err.value).count("FORM.toml:") == 4


def test_not_toml_at_all(form, app):
    with pytest.raises(InvalidInput, match=r"^FORM.toml: this is not valid TOML"):
        rt.parse('rating = "unclosed\n', SOURCE)


def test_missing_header_is_explained(form, app):
    text = rt.template(form, app).replace('application = "wexmoor-2026-ab12"\n', "")
    with pytest.raises(InvalidInput, match=r"FORM.toml: application: is missing; .*panel-desk response template APP"):
        rt.read(text, SOURCE)


def test_a_file_for_another_form_version_is_refused(app):
    text = rt.template(load_form(), app).replace("form_version = 1", "form_version = 7")
    with pytest.raises(InvalidInput, match="does not have version 7"):
        rt.read(text, SOURCE)
    with pytest.raises(InvalidInput, match="this file is for version 7"):
        rt.read(text, SOURCE, form=load_form())


def test_absent_keys_are_empty_answers(form):
    answers = rt.parse('application = "x-1-a"\napplication_revision = 1\n[outcomes]\nrating = "worsen"\n', SOURCE)
    assert answers.outcomes.rating == "worsen" and answers.monitoring == Answer()


def test_conditions_may_be_written_at_the_top_level_but_not_twice(form):
    head = 'application = "x-1-a"\napplication_revision = 1\nconditions = ["A condition."]\n'
    assert rt.parse(head, SOURCE).conditions == ["A condition."]
    with pytest.raises(InvalidInput, match="conditions: is written twice"):
        rt.parse(head + '[advice]\nconditions = ["Another."]\n', SOURCE)


def test_completeness_names_each_missing_field_in_the_forms_words(form, app):
    problems = rt.completeness_problems(form, ResponseAnswers(), SOURCE)
    assert problems[0] == "FORM.toml: outcomes.rating: Choose how children's outcomes are likely to be affected."
    assert "FORM.toml: monitoring.rationale: Explain your answer on monitoring." in problems
    assert len(problems) == 6
    assert rt.completeness_problems(form, _filled(), SOURCE) == []


def test_conditions_are_needed_for_a_conditional_rating(form):
    answers = _filled().model_copy(update={"conditions": []})
    assert rt.completeness_problems(form, answers) == [
        "advice.conditions: Add the conditions under which monitoring would be sufficient."]


def test_runs_of_quotes_and_a_closing_quote_survive(form, app):
    for text in ('He said ""yes"""', 'ends with a quote"', '"', '""""""', "back\\slash at the end\\"):
        answers = ResponseAnswers(outcomes=Answer(rationale=text, internal_note=text))
        rendered = rt.template(form, app, answers)
        assert '"""' not in rendered.split("rationale = ")[1].split("\n# ")[0][3:-4]
        assert rt.parse(rendered, SOURCE) == answers
        assert rt.template(form, app, rt.parse(rendered, SOURCE)) == rendered


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("application_revision = 1", "application_revision = 0", "application_revision: is missing or not a whole number"),
    ("application_revision = 1", 'application_revision = "1"', "application_revision: is missing or not a whole"),
    ("form_version = 1", 'form_version = "one"', "form: the form and form_version lines are not valid"),
    ("evidence = []", "evidence = [1]", 'outcomes.evidence number 1: write { document = "…", page = N'),
    ("evidence = []", "evidence = [" + ", ".join(['{ document = "d.pdf", page = 1 }'] * 101) + "]",
     "outcomes.evidence: cite at most 100 passages"),
    ("conditions = []", "conditions = [" + ", ".join(['"c"'] * 101) + "]", "advice.conditions: write at most 100"),
    ('rating = ""', f'rating = "{"x" * 60}"', "outcomes.rating: '" + "x" * 37 + "…' is not allowed"),
])
def test_more_precise_messages(form, app, old, new, expected):
    assert expected in _bad(form, app, old, new)


def test_an_answer_too_long_to_be_sensible_is_refused(form, app):
    text = rt.template(form, app).replace('other_advice = """\n"""', 'other_advice = "' + "a" * 20_001 + '"')
    with pytest.raises(InvalidInput, match=r"advice.other_advice: is longer than 20,000 characters; shorten it"):
        rt.parse(text, SOURCE)

"""The shipped question form and the precise refusal of a broken one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from panel_desk.cli import main
from panel_desk.core.errors import InvalidInput
from panel_desk.core.forms import FORMS_DIR, load_form, load_form_file
from panel_desk.core.model import Feature, MonitoringRating, OutcomesRating, ResponseAnswers

SHIPPED = FORMS_DIR / "panel-advice" / "v1.toml"


def test_shipped_form_has_the_two_questions_with_design_ids():
    form = load_form()
    assert [s.id for s in form.sections] == ["outcomes", "monitoring", "advice"]
    q1, q2 = form.questions
    assert q1.number == "Q1" and q1.question == "How are children's outcomes likely to be affected by this application?"
    assert q2.number == "Q2" and q2.question == "Are there sufficient monitoring arrangements in place?"
    assert {c.value for c in q1.field("rating").choices} == {r.value for r in OutcomesRating}
    assert {c.value for c in q2.field("rating").choices} == {r.value for r in MonitoringRating}
    assert not q1.field("internal_note").publishable and q1.field("rationale").publishable
    assert form.section("advice").field("conditions").publishable


def test_every_prompt_names_an_application_feature():
    form = load_form()
    prompts = [p for s in form.sections for p in s.prompts]
    assert len(prompts) >= 14
    assert {p.feature for p in prompts} == set(Feature)


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    target = tmp_path / "v1.toml"
    shutil.copy(SHIPPED, target)
    text = target.read_text()
    assert old in text
    target.write_text(text.replace(old, new, 1))
    return target


def test_broken_rating_value_names_file_question_and_field(tmp_path):
    path = _broken(tmp_path, '{ value = "improve", label = "Improve" }', '{ value = "better", label = "Better" }')
    with pytest.raises(InvalidInput) as exc:
        load_form_file(path)
    message = str(exc.value)
    assert message.startswith(f"{path}: ")
    assert "question 'outcomes', field 'rating': the choices must be exactly" in message


def test_prompt_with_unknown_feature_is_located(tmp_path):
    path = _broken(tmp_path, 'feature = "evaluation"', 'feature = "budget"')
    with pytest.raises(InvalidInput) as exc:
        load_form_file(path)
    assert "question 'monitoring' (Q2), prompt 'evaluation', 'feature': must be one of" in str(exc.value)


def test_cli_forms_check_passes_shipped_and_fails_broken(tmp_path, capsys):
    assert main(["forms", "check", str(SHIPPED)]) == 0
    assert "is valid" in capsys.readouterr().out
    broken = _broken(tmp_path, 'kind = "evidence"', 'kind = "text"')
    assert main(["forms", "check", str(broken)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "field 'evidence': must be of kind 'evidence'" in err
    bad_toml = tmp_path / "bad.toml"
    bad_toml.write_text("id = ")
    assert main(["forms", "check", str(bad_toml)]) == 1
    assert "not valid TOML" in capsys.readouterr().err


def _complete_answers(**changes) -> ResponseAnswers:
    data = {"outcomes": {"rating": "improve", "confidence": "high", "rationale": "Weekly panels."},
            "monitoring": {"rating": "sufficient", "confidence": "medium", "rationale": "Quarterly reports."}}
    data.update(changes)
    return ResponseAnswers.model_validate(data)


def test_completeness_is_read_from_the_form_definition(tmp_path):
    """What an answer still needs is the form's own rule, the same for the records, the window and the
    response file: a field the form no longer requires stops being missing; a conditional one follows
    the answer it depends on."""
    from panel_desk.core.forms import missing, missing_fields

    form = load_form()
    complete = _complete_answers()
    assert missing(form, complete) == [] and complete.missing() == []
    conditional = _complete_answers(monitoring={"rating": "sufficient_with_conditions", "confidence": "low",
                                                "rationale": "If the council reports monthly."})
    assert [(s.id, f.id) for s, f in missing_fields(form, conditional)] == [("advice", "conditions")]
    assert conditional.missing() == ["Add the conditions under which monitoring would be sufficient"]
    assert _complete_answers(conditions=["Monthly reports"]).missing() == []
    empty = ResponseAnswers()
    assert empty.missing() == missing(form, empty) == [f.error_missing for s in form.questions for f in s.fields
                                                        if f.required]
    relaxed = load_form_file(_broken(tmp_path, 'kind = "choice"\nrequired = true\npublishable = false', 'kind = "choice"\npublishable = false'))
    assert "Choose how confident you are in your answer on outcomes" not in missing(relaxed, empty)


def test_a_condition_on_a_field_that_does_not_exist_is_refused(tmp_path):
    with pytest.raises(InvalidInput, match="no field 'grade' in section 'monitoring'"):
        load_form_file(_broken(tmp_path, 'field = "rating", value = "sufficient_with_conditions"',
                               'field = "grade", value = "sufficient_with_conditions"'))
    with pytest.raises(InvalidInput, match="'sometimes' is not one of the choices"):
        load_form_file(_broken(tmp_path, 'value = "sufficient_with_conditions" }', 'value = "sometimes" }'))

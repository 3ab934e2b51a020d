"""The shipped question form and the precise refusal of a broken one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from panel_desk.cli import main
from panel_desk.core.errors import InvalidInput
from panel_desk.core.forms import FORMS_DIR, load_form, load_form_file
from panel_desk.core.model import Feature, MonitoringRating, OutcomesRating

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

"""Validation messages a secretariat officer can act on."""

from __future__ import annotations

import tomllib

import pytest

from panel_desk.core.errors import InvalidInput
from panel_desk.core.model import (
    Application,
    ConflictDeclaration,
    Interest,
    ResponseAnswers,
    SignOff,
    parse_model,
)


def _example(example_application) -> dict:
    data = tomllib.loads((example_application / "application.toml").read_text())
    data.pop("documents")
    return data


def test_example_is_valid(example_application):
    app = parse_model(Application, _example(example_application))
    assert app.authority == "Wexmoor County Council"
    assert app.with_id().id.startswith("wexmoor-2026-")


def test_bad_date_names_the_field(example_application):
    data = _example(example_application)
    data["dates"]["panel_asked"] = "next tuesday"
    with pytest.raises(InvalidInput) as exc:
        parse_model(Application, data, "application.toml")
    assert str(exc.value) == ("application.toml: Dates › Date the panel was asked must be a date written as YYYY-MM-DD.")


def test_missing_authority_and_unknown_change_are_both_listed(example_application):
    data = _example(example_application)
    del data["authority"]
    data["provisions"][0]["change"] = "abolition"
    with pytest.raises(InvalidInput) as exc:
        parse_model(Application, data, "application.toml")
    message = str(exc.value)
    assert "Applicant authority is missing" in message
    assert "Provisions › number 1 › Exemption or modification must be one of 'exemption' or 'modification'" in message


def test_advice_due_after_regulations_is_refused(example_application):
    data = _example(example_application)
    data["dates"]["advice_due"] = "2027-02-01"
    with pytest.raises(InvalidInput, match="on or before the intended date of the regulations"):
        parse_model(Application, data)


def test_unsafe_document_paths_refused(example_application):
    data = _example(example_application)
    data["documents"] = [{"path": "../secret.pdf", "title": "x"}]
    with pytest.raises(InvalidInput, match=r"without '\.\.'"):
        parse_model(Application, data)


def test_declaration_is_interests_or_none_but_not_both():
    base = dict(application_id="a", application_revision=1, member="FP")
    ConflictDeclaration(**base, none_to_declare=True)
    ConflictDeclaration(**base, interests=[Interest(type="employment", text="I worked there until 2024")])
    with pytest.raises(ValueError, match="not both"):
        ConflictDeclaration(**base, none_to_declare=True, interests=[Interest(type="other", text="x")])
    with pytest.raises(ValueError, match="at least one interest"):
        ConflictDeclaration(**base)


def test_answers_missing_are_named_in_words():
    answers = ResponseAnswers()
    assert answers.missing()[0] == "Choose how children's outcomes are likely to be affected"
    answers.monitoring.rating = "sufficient_with_conditions"
    assert "Add the conditions under which monitoring would be sufficient" in answers.missing()


def test_ratings_must_come_from_the_form():
    with pytest.raises(ValueError, match="not a rating for outcomes"):
        ResponseAnswers.model_validate({"outcomes": {"rating": "great"}})


def test_signoff_text_rules():
    base = dict(application_id="a", draft_revision=1, member="FP")
    SignOff(**base, kind="concur")
    with pytest.raises(ValueError, match="statement of your dissent"):
        SignOff(**base, kind="dissent")
    with pytest.raises(ValueError, match="write your comment"):
        SignOff(**base, kind="comment", text="")


def test_each_vocabulary_carries_its_own_words_in_one_place():
    """Every id people read has its words declared with it (no *_LABELS table beside the enum)."""
    from panel_desk.core import model
    from panel_desk.core.bundle import Kind
    from panel_desk.core.model import AnnotationTag, Decision, Feature, InterestType, Role
    from panel_desk.core.store import ApplicationStatus

    for vocabulary in (Role, InterestType, Decision, Feature, AnnotationTag, Kind, ApplicationStatus):
        assert all(m.label and m.label != m.value for m in vocabulary), vocabulary
    assert AnnotationTag.RISK.label == Feature.RISK.label  # a highlight's tag reads as its feature
    assert not [name for name in dir(model) if name.endswith("_LABELS")]

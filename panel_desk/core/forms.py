"""The question form as versioned data (``forms/…/vN.toml``), loaded through pydantic.

The window builds its walkthrough from a :class:`Form`, the CLI its TOML template; neither
hard-codes a question. :func:`load_form` refuses a broken form with a message naming the file,
the question and the field.
"""

from __future__ import annotations

import tomllib
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from panel_desk.core.errors import InvalidInput
from panel_desk.core.vocab import Confidence, Feature, MonitoringRating, OutcomesRating

if TYPE_CHECKING:
    from panel_desk.core.model import ResponseAnswers

FORMS_DIR = Path(__file__).resolve().parents[2] / "forms"
DEFAULT_FORM = ("panel-advice", 1)


class FieldKind(StrEnum):
    CHOICE = "choice"  # one of ``choices``
    TEXT = "text"  # free text, several lines
    LIST = "list"  # a list of short statements
    EVIDENCE = "evidence"  # passages cited from the application's documents


class _FormModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Choice(_FormModel):
    value: str = Field(min_length=1)
    label: str = Field(min_length=1)
    hint: str = ""


class RequiredIf(_FormModel):
    """A field is required when another field has a given value (e.g. conditions, when monitoring
    is sufficient only with conditions)."""

    section: str = Field(min_length=1)
    field: str = Field(min_length=1)
    value: str = Field(min_length=1)


class FormField(_FormModel):
    id: str = Field(min_length=1)
    label: str = Field(min_length=1)
    kind: FieldKind
    required: bool = False
    required_if: RequiredIf | None = None
    publishable: bool
    hint: str = ""
    choices: tuple[Choice, ...] = ()
    error_missing: str = ""  # what to tell a person who left it empty

    @model_validator(mode="after")
    def _choices(self) -> FormField:
        if self.kind is FieldKind.CHOICE and not self.choices:
            raise ValueError("a choice field needs its choices")
        if self.kind is not FieldKind.CHOICE and self.choices:
            raise ValueError("only a choice field has choices")
        values = [c.value for c in self.choices]
        if len(values) != len(set(values)):
            raise ValueError("two choices have the same value")
        if (self.required or self.required_if) and not self.error_missing:
            raise ValueError("a required field needs 'error_missing', the message shown when it is left empty")
        return self


class Prompt(_FormModel):
    id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    feature: Feature  # the part of the application it concerns, so the window can link to it


class Section(_FormModel):
    id: str = Field(min_length=1)
    number: str = ""  # "Q1"
    title: str = Field(min_length=1)
    question: str = ""
    guidance: str = ""
    prompts: tuple[Prompt, ...] = ()
    fields: tuple[FormField, ...] = Field(min_length=1)

    def field(self, field_id: str) -> FormField:
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)

    @model_validator(mode="after")
    def _unique(self) -> Section:
        ids = [f.id for f in self.fields]
        if len(ids) != len(set(ids)):
            raise ValueError("two fields have the same id")
        pids = [p.id for p in self.prompts]
        if len(pids) != len(set(pids)):
            raise ValueError("two prompts have the same id")
        return self


_QUESTION_FIELDS = {"rating": FieldKind.CHOICE, "confidence": FieldKind.CHOICE, "rationale": FieldKind.TEXT,
                    "internal_note": FieldKind.TEXT, "evidence": FieldKind.EVIDENCE}
_RATINGS = {"outcomes": {r.value for r in OutcomesRating}, "monitoring": {r.value for r in MonitoringRating}}


class Form(_FormModel):
    id: str = Field(min_length=1)
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    sections: tuple[Section, ...] = Field(min_length=1)

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    @property
    def questions(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.id in _RATINGS)

    @model_validator(mode="after")
    def _contract(self) -> Form:
        ids = [s.id for s in self.sections]
        if len(ids) != len(set(ids)):
            raise ValueError("two sections have the same id")
        for qid, ratings in _RATINGS.items():
            if qid not in ids:
                raise ValueError(f"the question '{qid}' is missing")
            section = self.section(qid)
            for fid, kind in _QUESTION_FIELDS.items():
                try:
                    f = section.field(fid)
                except KeyError:
                    raise ValueError(f"question '{qid}': the field '{fid}' is missing") from None
                if f.kind is not kind:
                    raise ValueError(f"question '{qid}', field '{fid}': must be of kind '{kind.value}'")
            values = {c.value for c in section.field("rating").choices}
            if values != ratings:
                raise ValueError(
                    f"question '{qid}', field 'rating': the choices must be exactly "
                    f"{', '.join(sorted(ratings))} (found {', '.join(sorted(values))})")
            conf = {c.value for c in section.field("confidence").choices}
            if conf != {c.value for c in Confidence}:
                raise ValueError(f"question '{qid}', field 'confidence': the choices must be high, medium and low")
            if section.field("internal_note").publishable:
                raise ValueError(f"question '{qid}', field 'internal_note': an internal note cannot be publishable")
        for s in self.sections:
            for f in s.fields:
                if f.required_if is not None:
                    _check_condition(self, s, f, f.required_if)
        all_fields = {f.id: f for s in self.sections if s.id not in _RATINGS for f in s.fields}
        for fid, kind in (("conditions", FieldKind.LIST), ("other_advice", FieldKind.TEXT)):
            if fid not in all_fields:
                raise ValueError(f"the field '{fid}' is missing")
            if all_fields[fid].kind is not kind:
                raise ValueError(f"field '{fid}': must be of kind '{kind.value}'")
        return self


def _check_condition(form: Form, section: Section, field: FormField, cond: RequiredIf) -> None:
    where = f"section '{section.id}', field '{field.id}', required_if"
    try:
        other = form.section(cond.section).field(cond.field)
    except KeyError:
        raise ValueError(f"{where}: there is no field '{cond.field}' in section '{cond.section}'") from None
    if other.kind is FieldKind.CHOICE and cond.value not in {c.value for c in other.choices}:
        raise ValueError(f"{where}: '{cond.value}' is not one of the choices of '{cond.field}'")


# --- answers against the form ----------------------------------------------------------------------


def field_value(answers: ResponseAnswers, section: Section, field: FormField) -> Any:
    """The value of one form field in ``answers`` (a question's fields live under the question)."""
    if section.id in _RATINGS:
        value = getattr(answers.answer(section.id), field.id, None)
    else:
        value = getattr(answers, field.id, None)
    return getattr(value, "value", value)


def is_empty(value: Any) -> bool:
    """Whether a field's value counts as not answered."""
    return value in (None, "", []) or value == ()


def required(form: Form, answers: ResponseAnswers, section: Section, field: FormField) -> bool:
    """Whether ``field`` must be answered, given the other answers."""
    cond = field.required_if
    if cond is None:
        return field.required
    other = form.section(cond.section)
    return field.required or field_value(answers, other, other.field(cond.field)) == cond.value


def missing_fields(form: Form, answers: ResponseAnswers) -> list[tuple[Section, FormField]]:
    """The fields the form requires that ``answers`` leaves empty, in the form's order."""
    return [(s, f) for s in form.sections for f in s.fields
            if required(form, answers, s, f) and is_empty(field_value(answers, s, f))]


def missing(form: Form, answers: ResponseAnswers) -> list[str]:
    """What still has to be answered before a response can be sent, one sentence each (empty:
    complete). The one rule of completeness: the window, the command line and the records use it."""
    return [f.error_missing for _s, f in missing_fields(form, answers)]


def _where(data: Any, loc: tuple) -> str:
    """Turn a pydantic location into 'question 'outcomes' (Q1), field 'rating'' using the ids."""
    parts: list[str] = []
    node = data
    i = 0
    while i < len(loc):
        key = loc[i]
        nxt = loc[i + 1] if i + 1 < len(loc) else None
        if key in ("sections", "fields", "prompts", "choices") and isinstance(nxt, int):
            try:
                item = node[key][nxt]
            except (KeyError, IndexError, TypeError):
                item = {}
            ident = item.get("id") or item.get("value") if isinstance(item, dict) else None
            noun = {"sections": "question", "fields": "field", "prompts": "prompt", "choices": "choice"}[key]
            label = f"{noun} '{ident}'" if ident else f"{noun} number {nxt + 1}"
            if key == "sections" and isinstance(item, dict) and item.get("number"):
                label += f" ({item['number']})"
            parts.append(label)
            node = item
            i += 2
            continue
        parts.append(f"'{key}'")
        node = node.get(key, {}) if isinstance(node, dict) else {}
        i += 1
    return ", ".join(parts)


def parse_form(data: dict, source: str) -> Form:
    """Validate form data; raise InvalidInput naming the file, the question and the field."""
    try:
        return Form.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err.get("loc", ()))
            where = _where(data, loc)
            msg = str(err.get("msg", "")).removeprefix("Value error, ")
            if err.get("type") == "missing":
                msg = "is missing"
            elif err.get("type") == "enum":
                msg = f"must be one of {err.get('ctx', {}).get('expected', '')}"
            problems.append(f"{where}: {msg}" if where else msg)
        raise InvalidInput(f"{source}: " + "; ".join(problems) + ".") from None


def load_form_file(path: Path) -> Form:
    """Read and validate a form file; raise InvalidInput for an unreadable or broken one."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"Cannot read the form {path}: {exc.strerror}.") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput(f"{path}: this is not valid TOML ({exc}).") from None
    return parse_form(data, str(path))


@cache
def load_form(form_id: str = DEFAULT_FORM[0], version: int = DEFAULT_FORM[1]) -> Form:
    """The shipped form ``forms/<id>/v<version>.toml``."""
    path = FORMS_DIR / form_id / f"v{version}.toml"
    if not path.exists():
        raise InvalidInput(f"This copy of Panel Desk does not have version {version} of the form '{form_id}'. "
                           "Update Panel Desk.")
    return load_form_file(path)

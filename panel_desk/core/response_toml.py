"""A member's response as a TOML file to fill in: built from the question form, read back strictly.

:func:`template` writes the form (``forms/…``) as TOML: every question, its guidance, prompts and
allowed values in comments, and the member's current answers filled in. :func:`read` (and
:func:`parse`, which returns only the answers) reads a filled-in file back and names the file and
the field in every refusal. Template → fill → parse → template again gives the same text.
"""

from __future__ import annotations

import textwrap
import tomllib
from dataclasses import dataclass
from typing import Any

from panel_desk.core.errors import InvalidInput
from panel_desk.core.forms import DEFAULT_FORM, FieldKind, Form, FormField, Section, load_form, missing_fields
from panel_desk.core.model import Answer, Application, Evidence, ResponseAnswers

__all__ = ["ResponseFile", "completeness_problems", "parse", "read", "template"]

_WIDTH = 92
_HEADER_KEYS = ("application", "application_revision", "form", "form_version")
_EVIDENCE_KEYS = ("document", "page", "quote", "annotation")
_ANSWER_FIELDS = ("rating", "confidence", "rationale", "internal_note", "evidence")
_OTHER_FIELDS = ("conditions", "other_advice")  # outside the two questions, kept on ResponseAnswers
MAX_TEXT = 20_000  # characters in one answer: far more than a rationale needs, bounded all the same
MAX_ITEMS = 100  # conditions, or passages cited for one question


@dataclass(frozen=True)
class ResponseFile:
    """What a filled-in response file says: which application and form, and the answers."""

    application_id: str
    application_revision: int
    form_id: str
    form_version: int
    answers: ResponseAnswers


# --- writing ------------------------------------------------------------------------------------


def _string(value: str) -> str:
    """A one-line TOML basic string."""
    out = ['"']
    for ch in value:
        out.append(_escape(ch))
    out.append('"')
    return "".join(out)


def _escape(ch: str) -> str:
    if ch == "\\":
        return "\\\\"
    if ch == '"':
        return '\\"'
    if ch == "\n":
        return "\\n"
    if ch == "\t":
        return "\\t"
    if ch == "\r":
        return "\\r"
    if ord(ch) < 0x20 or ord(ch) == 0x7F:
        return f"\\u{ord(ch):04x}"
    return ch


def _text_block(value: str) -> str:
    """A multi-line TOML string with room to type between the quotes.

    The newline straight after the opening quotes is dropped by TOML and the closing newline is
    stripped on reading (answers are stripped), so the value survives a round trip exactly.
    """
    out: list[str] = []
    for i, ch in enumerate(value):
        if ch == "\n":
            out.append("\n")
        elif ch == '"' and (i == len(value) - 1 or (i > 0 and value[i - 1] == '"')):
            out.append('\\"')  # never three quotes in a row, never a quote against the closing ones
        elif ch == '"':
            out.append('"')
        else:
            out.append(_escape(ch))
    body = "".join(out)
    return f'"""\n{body}\n"""' if body else '"""\n"""'


def _comment(text: str, indent: str = "", hang: str = "") -> list[str]:
    """``text`` as comment lines wrapped to the template's width; ``hang`` indents continuations."""
    lines: list[str] = []
    for para in text.splitlines() or [""]:
        wrapped = textwrap.wrap(para, width=_WIDTH - 2, initial_indent=indent, subsequent_indent=indent + hang,
                                break_long_words=False, break_on_hyphens=False) or [""]
        lines.extend(f"# {w}".rstrip() for w in wrapped)
    return lines


def _field_comments(field: FormField) -> list[str]:
    tags = ["required" if field.required else "optional"]
    if "publish" not in field.label.lower():
        tags.append("may be published" if field.publishable else "never published")
    lines = _comment(f"{field.label} ({', '.join(tags)})", hang="  ")
    if field.hint:
        lines += _comment(field.hint, "  ")
    if field.kind is FieldKind.CHOICE:
        lines.append("#   Write one of:")
        for c in field.choices:
            hint = f" ({c.hint})" if c.hint else ""
            lines += _comment(f"{c.value} — {c.label}{hint}", "    ", "  ")
    elif field.kind is FieldKind.LIST:
        lines.append('#   One quoted sentence per line, each followed by a comma: "…",')
    elif field.kind is FieldKind.EVIDENCE:
        lines.append("#   One line per passage, the document's file name, its page and the words you rely on:")
        lines.append('#   { document = "documents/application.pdf", page = 3, quote = "…" },')
    elif field.kind is FieldKind.TEXT:
        lines.append('#   Write between the triple quotes; several paragraphs are fine.')
    return lines


def _evidence_line(e: Evidence) -> str:
    parts = [f"document = {_string(e.document)}", f"page = {e.page}", f"quote = {_string(e.quote)}"]
    if e.annotation_id:
        parts.append(f"annotation = {_string(e.annotation_id)}")
    return "  { " + ", ".join(parts) + " },"


def _value_lines(field: FormField, value: Any) -> list[str]:
    key = field.id
    if field.kind is FieldKind.CHOICE:
        return [f"{key} = {_string(value or '')}"]
    if field.kind is FieldKind.TEXT:
        return [f"{key} = {_text_block(value or '')}"]
    if field.kind is FieldKind.LIST:
        if not value:
            return [f"{key} = []"]
        return [f"{key} = [", *(f"  {_string(v)}," for v in value), "]"]
    if not value:  # evidence
        return [f"{key} = []"]
    return [f"{key} = [", *(_evidence_line(e) for e in value), "]"]


def _section_heading(section: Section) -> list[str]:
    title = f"{section.number} {section.title}" if section.number else section.title
    lines = ["", f"# {'=' * (_WIDTH - 2)}", *_comment(title.upper())]
    if section.question:
        lines += _comment(section.question)
    if section.guidance:
        lines.append("#")
        lines += _comment(section.guidance)
    if section.prompts:
        lines.append("#")
        lines.append("# Things to consider:")
        for p in section.prompts:
            lines += _comment(f"- {p.text}", hang="  ")
    lines.append(f"# {'=' * (_WIDTH - 2)}")
    return lines


def _answer_value(answers: ResponseAnswers, section: Section, field: FormField) -> Any:
    if section.id in ("outcomes", "monitoring"):
        answer: Answer = answers.answer(section.id)  # type: ignore[arg-type]
        value = getattr(answer, field.id, None)
        if field.id == "confidence" and value is not None:
            return value.value
        return value
    return getattr(answers, field.id, None)


def template(form: Form, app: Application, answers: ResponseAnswers | None = None) -> str:
    """The response form for ``app`` as TOML to fill in, with ``answers`` (if any) filled in.

    Built from ``form`` alone: sections become tables, fields keys, choices and prompts comments.
    """
    answers = answers or ResponseAnswers()
    lines = [
        f"# {form.title}: your response",
        *_comment(f"{app.authority}: {app.title}"),
        "#",
        "# Fill in your answers below, then seal this file for the secretariat with",
        "#     panel-desk response seal FILE --out RESPONSE.pdbundle",
        "# Fields marked 'may be published' can appear in the panel's published advice.",
        "# Internal notes, confidence and the passages you cite are for the secretariat only.",
        "# Do not change the four lines below: they say which application and form you answer.",
        "",
        f"application = {_string(app.id)}",
        f"application_revision = {app.revision}",
        f"form = {_string(form.id)}",
        f"form_version = {form.version}",
    ]
    for section in form.sections:
        fields = [f for f in section.fields if _known(section, f)]
        if not fields:
            continue
        lines += _section_heading(section)
        lines.append(f"[{section.id}]")
        for field in fields:
            lines.append("")
            lines += _field_comments(field)
            if field.kind is FieldKind.EVIDENCE and app.documents:
                lines.append("#   The application's documents:")
                for doc in app.documents:
                    lines += _comment(f"{doc.path} — {doc.title}", "    ", "  ")
            lines += _value_lines(field, _answer_value(answers, section, field))
    return "\n".join(lines) + "\n"


def _known(section: Section, field: FormField) -> bool:
    if section.id in ("outcomes", "monitoring"):
        return field.id in _ANSWER_FIELDS
    return field.id in _OTHER_FIELDS


# --- reading ------------------------------------------------------------------------------------


class _Problems:
    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[str] = []

    def add(self, where: str, what: str) -> None:
        sentence = f"{self.source}: {where}: {what}" if where else f"{self.source}: {what}"
        self.items.append(sentence if sentence.endswith(".") else sentence + ".")

    def raise_if_any(self) -> None:
        if self.items:
            raise InvalidInput(" ".join(self.items))


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else f"'{value[:37]}…'"
    return {bool: "true or false", int: "a number", float: "a number", list: "a list",
            dict: "a table"}.get(type(value), "that value")


def _text_of(value: Any, where: str, problems: _Problems) -> str:
    if not isinstance(value, str):
        problems.add(where, f"write text in quotes, not {_describe(value)}")
        return ""
    if len(value) > MAX_TEXT:
        problems.add(where, f"is longer than {MAX_TEXT:,} characters; shorten it")
        return ""
    return value  # the model strips it, the same way for the template and the file


def _choice(field: FormField, value: Any, where: str, problems: _Problems) -> str:
    if not isinstance(value, str):
        problems.add(where, f"write one of the choices in quotes, not {_describe(value)}")
        return ""
    value = value.strip()
    allowed = [c.value for c in field.choices]
    if value and value not in allowed:
        problems.add(where, f"{_describe(value)} is not allowed; choose one of {', '.join(allowed)}")
        return ""
    return value


def _evidence(value: Any, where: str, problems: _Problems) -> list[Evidence]:
    if not isinstance(value, list):
        problems.add(where, "write a list of passages in square brackets, one "
                            '{ document = "…", page = N, quote = "…" } per line')
        return []
    if len(value) > MAX_ITEMS:
        problems.add(where, f"cite at most {MAX_ITEMS} passages")
        return []
    out: list[Evidence] = []
    for i, item in enumerate(value, start=1):
        here = f"{where} number {i}"
        if not isinstance(item, dict):
            problems.add(here, 'write { document = "…", page = N, quote = "…" }')
            continue
        unknown = sorted(set(item) - set(_EVIDENCE_KEYS))
        if unknown:
            problems.add(here, f"'{unknown[0]}' is not part of a passage; use document, page and quote")
            continue
        before = len(problems.items)
        document = _text_of(item.get("document", ""), f"{here}.document", problems)
        if not document.strip():
            if len(problems.items) == before:
                problems.add(f"{here}.document", "name the document the passage is in")
            continue
        page = item.get("page")
        if isinstance(page, bool) or not isinstance(page, int) or page < 1:
            problems.add(f"{here}.page", "write the page number as a whole number from 1"
                         if page is not None else "give the page the passage is on")
            continue
        quote = _text_of(item.get("quote", ""), f"{here}.quote", problems)
        annotation = _text_of(item.get("annotation", ""), f"{here}.annotation", problems)
        out.append(Evidence(document=document, page=page, quote=quote, annotation_id=annotation))
    return out


def _string_list(value: Any, where: str, problems: _Problems) -> list[str]:
    if not isinstance(value, list):
        problems.add(where, 'write a list in square brackets, one quoted sentence per line: ["…", "…"]')
        return []
    if len(value) > MAX_ITEMS:
        problems.add(where, f"write at most {MAX_ITEMS} entries")
        return []
    out = []
    for i, item in enumerate(value, start=1):
        text = _text_of(item, f"{where} number {i}", problems)
        if text.strip():
            out.append(text)
    return out


def _field_value(field: FormField, value: Any, where: str, problems: _Problems) -> Any:
    if field.kind is FieldKind.CHOICE:
        return _choice(field, value, where, problems)
    if field.kind is FieldKind.TEXT:
        return _text_of(value, where, problems)
    if field.kind is FieldKind.LIST:
        return _string_list(value, where, problems)
    return _evidence(value, where, problems)


def _loads(text: str, source: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{source}: this is not valid TOML ({exc}). Check the quotes and brackets "
                           "on that line.") from None


def read(text: str, source: str, form: Form | None = None) -> ResponseFile:
    """Read a filled-in response file; return which application and form it answers, and the answers.

    ``form`` defaults to the one the file names. Empty answers are allowed here (see
    :func:`completeness_problems`). Raises InvalidInput naming ``source`` and each field that is
    unknown, of the wrong type or not an allowed value, all problems at once.
    """
    data = _loads(text, source)
    problems = _Problems(source)
    app_id = data.get("application")
    if not isinstance(app_id, str) or not app_id:
        problems.add("application", "is missing; write the line 'application = \"…\"' from the template "
                     "(panel-desk response template APP)")
        app_id = ""
    app_rev = data.get("application_revision")
    if isinstance(app_rev, bool) or not isinstance(app_rev, int) or app_rev < 1:
        problems.add("application_revision", "is missing or not a whole number; copy it from the template")
        app_rev = 0
    form_id = data.get("form", DEFAULT_FORM[0])
    form_version = data.get("form_version", DEFAULT_FORM[1])
    if not isinstance(form_id, str) or isinstance(form_version, bool) or not isinstance(form_version, int):
        problems.add("form", "the form and form_version lines are not valid; copy them from the template")
        problems.raise_if_any()
    if form is None:
        form = load_form(form_id, form_version)
    elif (form.id, form.version) != (form_id, form_version):
        problems.add("form", f"this file is for version {form_version} of the form '{form_id}', "
                     f"but the application uses version {form.version} of '{form.id}'. "
                     "Run panel-desk response template again")
    sections = {s.id: s for s in form.sections}
    # ``conditions`` and ``other_advice`` may also be written at the top level (DESIGN §8 names them
    # beside the questions), but not both ways at once.
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key in _HEADER_KEYS:
            continue
        if key in _OTHER_FIELDS:
            values[key] = value
            continue
        section = sections.get(key)
        if section is None or not isinstance(value, dict):
            known = ", ".join([s.id for s in form.sections])
            problems.add(key, f"is not part of this form; the form has {known}")
            continue
        for fid, fvalue in value.items():
            try:
                field = section.field(fid)
            except KeyError:
                field = None
            if field is None or not _known(section, field):
                known = ", ".join(f.id for f in section.fields if _known(section, f))
                problems.add(f"{key}.{fid}", f"is not a field of this form; the fields of {key} are {known}")
                continue
            if section.id in ("outcomes", "monitoring"):
                values[f"{key}.{fid}"] = fvalue
            elif fid in values:
                problems.add(fid, f"is written twice, at the top and under [{key}]; keep one")
            else:
                values[fid] = fvalue
                values[f"@{fid}"] = f"{key}.{fid}"

    answers: dict[str, Any] = {"outcomes": {}, "monitoring": {}}
    for section in form.sections:
        for field in section.fields:
            if not _known(section, field):
                continue
            if section.id in ("outcomes", "monitoring"):
                key = f"{section.id}.{field.id}"
                if key not in values:
                    continue
                value = _field_value(field, values[key], key, problems)
                if field.id == "confidence" and not value:
                    value = None
                answers[section.id][field.id] = value
            elif field.id in values:
                where = values.get(f"@{field.id}", field.id)
                answers[field.id] = _field_value(field, values[field.id], where, problems)
    problems.raise_if_any()
    result = ResponseAnswers.model_validate(answers)
    return ResponseFile(application_id=app_id, application_revision=app_rev, form_id=form.id,
                        form_version=form.version, answers=result)


def parse(text: str, source: str, form: Form | None = None) -> ResponseAnswers:
    """The answers in a filled-in response file (see :func:`read` for what it checks and raises)."""
    return read(text, source, form).answers


def completeness_problems(form: Form, answers: ResponseAnswers, source: str = "") -> list[str]:
    """What still has to be filled in before the response can be sent, one sentence each.

    Names the field (``outcomes.rating: Choose how…``) so a person can find it in the file; the
    words are the form's own ``error_missing``.
    """
    prefix = f"{source}: " if source else ""
    return [f"{prefix}{section.id}.{field.id}: {field.error_missing}." for section, field in missing_fields(form, answers)]

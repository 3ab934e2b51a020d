"""A member's answers in words, as the check page and the sign-off page show them."""

from __future__ import annotations

from panel_desk.core.forms import FieldKind, Form, FormField, Section, field_value, is_empty
from panel_desk.core.model import ResponseAnswers
from panel_desk.ui.member import text as words


def value_words(field: FormField, value, titles: dict[str, str] | None = None) -> str:
    """An answer in words; a citation names its document by title (``titles``: path → title)."""
    if is_empty(value):
        return words.NOT_ANSWERED
    if field.kind is FieldKind.CHOICE:
        return next((c.label for c in field.choices if c.value == value), str(value))
    if field.kind is FieldKind.LIST:
        return "\n".join(f"• {v}" for v in value)
    if field.kind is FieldKind.EVIDENCE:
        titles = titles or {}
        return "\n".join(f"{titles.get(e.document, e.document)}, page {e.page}: “{e.quote}”" for e in value)
    return str(value)


def section_title(section: Section) -> str:
    return f"{section.number} {section.title}" if section.number else section.title


def answers_rows(form: Form, answers: ResponseAnswers) -> list[tuple[str, str]]:
    """(section, words) for each section: the member's own publishable answers beside the draft."""
    rows = []
    for section in form.sections:
        parts = []
        for f in section.fields:
            if f.kind is FieldKind.EVIDENCE or not f.publishable:
                continue
            label = f.label.split(" (")[0].rstrip("?")
            parts.append(f"{label}: {value_words(f, field_value(answers, section, f))}")
        rows.append((section_title(section), "\n".join(parts)))
    return rows

"""panel_desk.core.display: what the terminal and the window show of text from elsewhere."""

from __future__ import annotations

import pytest

from panel_desk.core.display import shown


@pytest.mark.parametrize(("text", "expected"), [
    ("Northshire County Council", "Northshire County Council"),
    ("Café — Ysgol Gymraeg · 北部", "Café — Ysgol Gymraeg · 北部"),  # any script, left alone
    ("\x1b[2J\x1b[31mred", "\\x1b[2J\\x1b[31mred"),  # ANSI: clear screen, colour
    ("report\u202efdp.exe", "report\\u202efdp.exe"),  # right-to-left override
    ("a\u2066b\u2069", "a\\u2066b\\u2069"),  # bidi isolates
    ("zero\u200bwidth", "zero\\u200bwidth"),
    ("line\u2028break", "line\\u2028break"),
    ("private\U000f0000use", "private\\U000f0000use"),
    ("two\nlines\tand a tab\r", "two\\x0alines\\x09and a tab\\x0d"),
])
def test_hidden_characters_are_written_as_visible_escapes(text, expected):
    assert shown(text) == expected


def test_a_message_of_several_lines_keeps_its_line_breaks_but_nothing_else():
    assert shown("first\nsecond\t\x1b[0m\r", multiline=True) == "first\nsecond\t\\x1b[0m\\x0d"


def test_a_model_is_shown_with_every_text_escaped_and_the_rest_untouched():
    from panel_desk.core.display import shown_model
    from panel_desk.core.model import ConflictDeclaration, Interest, InterestType

    declaration = ConflictDeclaration(
        application_id="northshire-2026-ab12", application_revision=1, member="A" * 32,
        interests=[Interest(type=InterestType.EMPLOYMENT, text="Works for\u202e the council\nsince 2019")])
    seen = shown_model(declaration)
    assert seen.interests[0].text == "Works for\\u202e the council\nsince 2019"
    assert seen.interests[0].type is InterestType.EMPLOYMENT and seen.declared_at == declaration.declared_at
    assert declaration.interests[0].text == "Works for\u202e the council\nsince 2019"  # the original is unchanged
    clean = declaration.model_copy(update={"interests": [Interest(type="personal", text="None of note")]})
    assert shown_model(clean) is clean
    assert shown_model({"a": ("x\x1b", 1)}) == {"a": ("x\\x1b", 1)}

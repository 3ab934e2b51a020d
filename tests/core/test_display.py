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

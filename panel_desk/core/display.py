"""Text from elsewhere made safe to show: control and direction-changing characters made visible.

A signed bundle proves who sent it, not that its names and titles are harmless to print. An
ANSI escape in a title can rewrite a terminal's screen, and U+202E (right-to-left override) can
make ``cod.exe\\u202efdp.pdf`` read as another name. :func:`shown` writes every such character
as a visible escape (``\\x1b``, ``\\u202e``), so the terminal (``panel_desk.cli``) and the window
(``panel_desk.ui``) show the same neutral text. Ordinary text in any script is left alone.
"""

from __future__ import annotations

import unicodedata
from enum import Enum
from typing import TypeVar

from pydantic import BaseModel

M = TypeVar("M")

# Control (C0, C1, DEL), format (bidi embeddings, overrides and isolates, zero-width characters),
# surrogate, private-use, unassigned, and line and paragraph separators.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_KEPT_IN_MULTILINE = frozenset("\n\t")


def _escape(c: str) -> str:
    n = ord(c)
    if n <= 0xFF:
        return f"\\x{n:02x}"
    if n <= 0xFFFF:
        return f"\\u{n:04x}"
    return f"\\U{n:08x}"


def is_hidden(c: str) -> bool:
    """Whether the character ``c`` is invisible or changes how the text around it is shown."""
    return unicodedata.category(c) in HIDDEN_CATEGORIES


def shown(text: str, *, multiline: bool = False) -> str:
    """``text`` with every hidden character written as a visible escape.

    With ``multiline``, line breaks and tabs are kept (a message of several lines); otherwise
    they are escaped too (a name or title is one line). Returns ``text`` itself when nothing
    needs escaping.
    """
    text = str(text)
    if text.isascii() and text.isprintable():
        return text
    kept = _KEPT_IN_MULTILINE if multiline else frozenset()
    return "".join(_escape(c) if c not in kept and is_hidden(c) else c for c in text)


def shown_model(model: M) -> M:
    """A copy of a pydantic model whose every text (however nested) is passed through :func:`shown`
    (line breaks kept), for a face to display; ``model`` itself is returned when nothing changes.

    Vocabulary values (enums) are left as they are. The copy is for showing only: never store it.
    """
    return _shown_value(model)


def _shown_value(value):
    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        text = shown(value, multiline=True)
        return value if text == value else text
    if isinstance(value, BaseModel):
        updates = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = _shown_value(old)
            if new is not old:
                updates[name] = new
        return value.model_copy(update=updates) if updates else value
    if isinstance(value, list | tuple):
        items = [_shown_value(v) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        pairs = {k: _shown_value(v) for k, v in value.items()}
        return value if all(pairs[k] is value[k] for k in value) else pairs
    return value

"""Text from elsewhere made safe to show: control and direction-changing characters made visible.

A signed bundle proves who sent it, not that its names and titles are harmless to print. An
ANSI escape in a title can rewrite a terminal's screen, and U+202E (right-to-left override) can
make ``cod.exe\\u202efdp.pdf`` read as another name. :func:`shown` writes every such character
as a visible escape (``\\x1b``, ``\\u202e``), so the terminal (``panel_desk.cli``) and the window
(``panel_desk.ui``) show the same neutral text. Ordinary text in any script is left alone.
"""

from __future__ import annotations

import unicodedata

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

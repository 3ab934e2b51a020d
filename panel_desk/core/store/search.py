"""Full-text search over the documents' pages, in an FTS5 table inside the encrypted database."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import sqlite_utils

from panel_desk.core.errors import InvalidInput

_START, _END = "\x02", "\x03"  # snippet markers, removed before the text reaches anyone
SNIPPET_TOKENS = 16
MAX_QUERY_CHARS = 500
MAX_TERMS = 16
_TERM_RE = re.compile(r'"([^"]*)"|(\S+)')
_EMPTY_QUERY = "Type a word or a phrase to search for."


@dataclass(frozen=True)
class SearchHit:
    """One page that matches a search, with a snippet of its text.

    ``highlights`` are (start, end) offsets of the matched words within ``snippet``.
    """

    application_id: str
    document: str  # the document's path in the application, e.g. documents/application.pdf
    title: str
    page: int  # 1-based
    snippet: str
    highlights: tuple[tuple[int, int], ...] = ()

    def marked(self, start: str = "[", end: str = "]") -> str:
        """The snippet with each matched word between ``start`` and ``end`` (for a terminal)."""
        out, last = [], 0
        for a, b in self.highlights:
            out += [self.snippet[last:a], start, self.snippet[a:b], end]
            last = b
        out.append(self.snippet[last:])
        return "".join(out)


def match_expression(query: str) -> str:
    """An FTS5 expression for what a person typed: every word (or "quoted phrase") must appear;
    a word ending in ``*`` matches any word starting so. No FTS5 syntax gets through.

    Raises InvalidInput for a query with no words.
    """
    query = (query or "")[:MAX_QUERY_CHARS]
    terms = []
    for phrase, word in _TERM_RE.findall(query):
        text = phrase if phrase else word
        prefix = not phrase and text.endswith("*")
        text = text.rstrip("*") if prefix else text
        if not re.search(r"\w", text):
            continue
        quoted = '"' + text.replace('"', '""') + '"'
        terms.append(quoted + ("*" if prefix else ""))
    if not terms:
        raise InvalidInput(_EMPTY_QUERY)
    return " ".join(terms[:MAX_TERMS])


def index_pages(db: sqlite_utils.Database, application_id: str, revision: int, document: str,
                pages: Sequence[str]) -> None:
    """Add the text of a document's pages (inside the caller's transaction)."""
    db.conn.executemany(
        "INSERT INTO pages (text, application_id, revision, document, page) VALUES (?, ?, ?, ?, ?)",
        [(text, application_id, revision, document, number) for number, text in enumerate(pages, start=1)])


def drop(db: sqlite_utils.Database, application_id: str) -> None:
    """Remove an application's pages from the index (inside the caller's transaction)."""
    db.execute("DELETE FROM pages WHERE application_id = ?", (application_id,))


def search(db: sqlite_utils.Database, query: str, *, application_ids: Collection[str],
           limit: int = 50) -> list[SearchHit]:
    """Pages matching ``query`` among ``application_ids``, best first, at most ``limit``.

    Raises InvalidInput for a query with no words.
    """
    expression = match_expression(query)
    ids = sorted(set(application_ids))
    if not ids or limit <= 0:
        return []
    marks = ",".join("?" * len(ids))
    sql = (f"SELECT p.application_id, p.document, p.page, d.title, "
           f"snippet(pages, 0, ?, ?, '…', {SNIPPET_TOKENS:d}) "
           f"FROM pages p JOIN applications a ON a.id = p.application_id AND a.revision = p.revision "
           f"JOIN documents d ON d.application_id = p.application_id AND d.revision = p.revision "
           f"AND d.path = p.document "
           f"WHERE pages MATCH ? AND p.application_id IN ({marks}) ORDER BY p.rank LIMIT ?")
    rows = db.execute(sql, (_START, _END, expression, *ids, int(limit))).fetchall()
    return [_hit(*row) for row in rows]


def _hit(application_id: str, document: str, page: int, title: str, raw: str) -> SearchHit:
    raw = re.sub(r"\s+", " ", raw).strip()
    text, spans, pos, start = [], [], 0, None
    for ch in raw:
        if ch == _START:
            start = pos
        elif ch == _END:
            if start is not None:
                spans.append((start, pos))
            start = None
        else:
            text.append(ch)
            pos += 1
    return SearchHit(application_id=application_id, document=document, title=title, page=int(page),
                     snippet="".join(text), highlights=tuple(spans))

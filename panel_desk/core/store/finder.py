"""Search over the pages of the applications whose documents may be read now."""

from __future__ import annotations

from datetime import datetime

from panel_desk.core.errors import PanelDeskError
from panel_desk.core.model import utcnow
from panel_desk.core.store import search as _search
from panel_desk.core.store._tx import Part, Tx, guarded
from panel_desk.core.store.applications import Applications
from panel_desk.core.store.search import SearchHit


class Search(Part):
    """``ws.search(query)``."""

    def __init__(self, tx: Tx, applications: Applications) -> None:
        super().__init__(tx)
        self._applications = applications

    @guarded
    def __call__(self, query: str, *, app_id: str | None = None, limit: int = 50,
                 now: datetime | None = None) -> list[SearchHit]:
        """Full-text search over the documents' pages: every word must appear on the page
        ("quoted phrases" and prefix* words work). Only applications whose documents may be read
        now are searched. Returns hits best first, each with document, title, page and snippet.

        Raises InvalidInput (an empty query; with ``app_id``: withdrawn or expired),
        DeclarationNeeded or NotFound.
        """
        moment = now or utcnow()
        _search.match_expression(query)  # refuse an empty query before anything else
        usable = self._applications.check_usable
        if app_id is not None:
            usable(self.tx.app_record(app_id), moment)
            ids = [app_id]
        else:
            ids = []
            for record in self.tx.database.query("SELECT * FROM applications"):
                try:
                    usable(record, moment)
                except PanelDeskError:
                    continue
                ids.append(record["id"])
        return _search.search(self.tx.database, query, application_ids=ids, limit=limit)

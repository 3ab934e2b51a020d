"""What the import report says about each file beyond :class:`ImportResult`: who sent it and which
application it is about (in words), so a person reading the report knows what arrived."""

from __future__ import annotations

from dataclasses import dataclass

from panel_desk.core.store.results import ImportResult


@dataclass(frozen=True)
class ImportReport(ImportResult):
    """An :class:`ImportResult` that also names the sender and the application's title.

    Both are "" when the file could not be opened far enough to tell (a refusal before its
    signature was checked).
    """

    sender: str = ""
    title: str = ""

    @property
    def kind_words(self) -> str:
        """The kind for a person ("A member's response"), or "" when it could not be told."""
        from panel_desk.core.bundle import Kind

        try:
            return Kind(self.kind).label
        except ValueError:
            return ""

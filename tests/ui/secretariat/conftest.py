"""Shared pieces for the secretariat's screen tests: a file chooser that answers from a script."""

from __future__ import annotations

from pathlib import Path

import pytest


class ScriptedFiles:
    """Stands in for the file dialogs: each call takes the next answer queued for it."""

    def __init__(self) -> None:
        self.answers: dict[str, list] = {"open_file": [], "open_files": [], "folder": [], "save_file": []}

    def queue(self, kind: str, answer) -> None:
        self.answers[kind].append(answer)

    def _next(self, kind: str):
        assert self.answers[kind], f"no {kind} answer queued"
        return self.answers[kind].pop(0)

    def open_file(self, title: str, filter: str) -> Path | None:
        return self._next("open_file")

    def open_files(self, title: str, filter: str) -> list[Path]:
        return self._next("open_files")

    def folder(self, title: str) -> Path | None:
        return self._next("folder")

    def save_file(self, title: str, suggested: str, filter: str) -> Path | None:
        return self._next("save_file")


@pytest.fixture
def scripted_files() -> ScriptedFiles:
    return ScriptedFiles()



@pytest.fixture
def themed(qapp):
    """The app's own look (font, palette, style sheet), undone afterwards for other tests."""
    from panel_desk.ui import theme

    font, palette = qapp.font(), qapp.palette()
    theme.apply_theme(qapp)
    yield qapp
    qapp.setStyleSheet("")
    qapp.setFont(font)
    qapp.setPalette(palette)

"""Shared pieces for the secretariat's screen tests: real profiles, the screens over them, pictures.

Everyone is a real person here: an identity (small scrypt work factor, passed explicitly), a
public card and an open profile. The screens run over the secretariat's profile through the real
adapter (``panel_desk.ui.secretariat._desk.Desk``); members act through the core. Only the file
dialogs are scripted, and the day is fixed so the clock's words do not depend on the calendar.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from panel_desk.core.identity import Identity, PublicCard
from panel_desk.core.model import Role

WORK_FACTOR = 10  # tests only: real identities use 2^18 or more
PASSPHRASE = "correct horse battery staple"
TODAY = date(2026, 11, 23)  # the example application then has 14 days left
SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screens"

SECRETARIAT = ("Sam Secretariat", Role.SECRETARIAT, "Panel secretariat", "")
MEMBERS = [
    ("Asha Patel", Role.CHILDRENS_COMMISSIONER, "Office of the Children's Commissioner", "Children's Commissioner"),
    ("Ben Okafor", Role.CHIEF_INSPECTOR, "Ofsted", "HM Chief Inspector"),
    ("Carys Hughes", Role.SOCIAL_WORK_PRACTICE, "Social work practice lead", ""),
    ("Dev Sharma", Role.LOCAL_GOVERNMENT, "Local Government Association", ""),
]


@dataclass
class Person:
    identity: Identity
    card_file: Path  # the public card, as the person would send it
    ws: object  # the person's open profile (panel_desk.core.store.Workspace)

    @property
    def card(self) -> PublicCard:
        return self.identity.card

    @property
    def fingerprint(self) -> str:
        return self.identity.fingerprint


def make_person(folder: Path, name: str, role: Role, org: str, acts_for: str,
                trusted: list[PublicCard]) -> Person:
    from panel_desk.core.store import init_profile  # imported late: the store may not be there yet

    slug = name.split()[0].lower()
    identity = Identity.create(name, role, org, acts_for)
    id_file, card_file = folder / f"{slug}.age", folder / f"{slug}.card.json"
    identity.save(id_file, PASSPHRASE, work_factor=WORK_FACTOR)
    identity.card.save(card_file)
    ws = init_profile(folder / f"profile-{slug}", id_file, PASSPHRASE, trusted)
    return Person(identity, card_file, ws)


@pytest.fixture
def secretariat(tmp_path) -> Person:
    """The secretariat's own profile, open (the one the screens work on)."""
    person = make_person(tmp_path, *SECRETARIAT, trusted=[])
    yield person
    person.ws.close()


@pytest.fixture
def members(tmp_path, secretariat) -> dict[str, Person]:
    """Four members by first name, each with a profile that trusts the secretariat's card."""
    out = {}
    for name, role, org, acts_for in MEMBERS:
        out[name.split()[0]] = make_person(tmp_path, name, role, org, acts_for, trusted=[secretariat.card])
    yield out
    for person in out.values():
        person.ws.close()


@pytest.fixture
def on_roster(secretariat, members) -> dict[str, Person]:
    """The members, already on the secretariat's roster (added through the core, not the screens)."""
    for name, role, _org, _acts_for in MEMBERS:
        person = members[name.split()[0]]
        secretariat.ws.roster_add(person.card, role=role, acts_for=person.card.acts_for)
    return members


class ScriptedFiles:
    """Stands in for the file dialogs: each call takes the next answer queued for its kind of dialog.

    A dialog asked for with nothing queued fails the test; so does an answer left unused at the end.
    """

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
    files = ScriptedFiles()
    yield files
    assert files.answers == {k: [] for k in files.answers}, "a file dialog the test expected was never asked for"


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


@pytest.fixture
def make_screen(qtbot, tmp_path, scripted_files, themed):
    """``make_screen(ws)``: a shown main window with the secretariat's view over the profile ``ws``.

    The view uses the real Desk, with the day fixed at TODAY. Windows are closed by qtbot.
    """
    from panel_desk.ui.main_window import MainWindow
    from panel_desk.ui.secretariat import SecretariatView
    from panel_desk.ui.secretariat._desk import Desk

    def make(ws):
        window = MainWindow(tmp_path)
        view = SecretariatView(ws, window, desk=Desk(ws, today=lambda: TODAY), files=scripted_files)
        window.setCentralWidget(view)
        # At 200% a 1920×1200 screen is 960×600 in the window's own units: check that the screens still work there.
        window.resize(*((960, 600) if os.environ.get("QT_SCALE_FACTOR") == "2" else (1280, 860)))
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()  # keyboard focus goes to this window, not one a test before left behind
        qtbot.waitActive(window)
        return window, view

    return make


@pytest.fixture
def screen(make_screen, secretariat):
    """(window, view) over the secretariat's profile."""
    return make_screen(secretariat.ws)


@pytest.fixture
def shot():
    """``shot(widget, name)`` saves a picture to docs/screens when PANEL_DESK_SHOTS=1 (how the documented
    screens are made); PANEL_DESK_SHOT_SUFFIX is added to the name (e.g. "-200" for QT_SCALE_FACTOR=2)."""
    from panel_desk.ui.qt import QtWidgets

    def save(widget, name: str) -> None:
        for _ in range(5):  # widgets added to a shown layout appear, and lay out, on later loops
            QtWidgets.QApplication.processEvents()
        if os.environ.get("PANEL_DESK_SHOTS") == "1":
            SHOTS.mkdir(parents=True, exist_ok=True)
            suffix = os.environ.get("PANEL_DESK_SHOT_SUFFIX", "")
            path = SHOTS / f"secretariat-{name}{suffix}.png"
            assert widget.grab().save(str(path)), f"could not save {path}"

    return save

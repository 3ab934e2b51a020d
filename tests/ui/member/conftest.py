"""Factories for the member's screens over the real core, and drivers for modal dialogs.

Once per session the secretariat (a real profile) records two applications from
``resources/examples/application`` (the example as it is, and a copy with less than 6 weeks'
notice), a second revision of the short-notice one and a draft advice on it, and seals each to the
panel. Every test then gets a new member profile of its own (``init_profile``, then the real
import of the bundles it asks for), so no test sees another's declarations, answers or sends.
Identities use a small scrypt work factor, passed explicitly; everything else is the real code.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

import pytest

from panel_desk.core import bundle, secretariat
from panel_desk.core.identity import Identity, PublicCard
from panel_desk.core.model import Application, ConflictDeclaration, Role
from panel_desk.core.store import Workspace, init_profile
from panel_desk.ui.main_window import MainWindow
from panel_desk.ui.member import _parts
from panel_desk.ui.member._desk import MemberDesk
from panel_desk.ui.member.view import MemberView
from panel_desk.ui.qt import QtCore, QtWidgets

EXAMPLE = Path(__file__).resolve().parents[3] / "resources" / "examples" / "application"
WORK_FACTOR = 10  # tests only: real identities use 2^18 or more
PASSPHRASE = "violet harbour kettle meadow"
SHORT_NOTICE_DAYS = 37  # 5 days short of the 6-week minimum
ANNEX_PAGES = 3
ANNEX_TOPICS = ("who may choose a review chaired by their social worker.",
                "what the quarterly audit found in the pilot homes.",  # "pilot" is on this page alone
                "how a child returns to a review chaired by an IRO.")
# The day the member's desk is told it is, so "N days left" does not drift with the clock:
# one week after the example's panel was asked (5 October 2026).
TODAY = date(2026, 10, 12)


@dataclass(frozen=True)
class Sealed:
    """What the secretariat sealed for the session. Read-only: tests make their own member profiles."""

    member_file: Path  # the member's identity file (each test's profile is made from it)
    member_card: PublicCard
    secretariat: Identity  # to open what the member sealed, as the secretariat would
    example: Application  # the example folder as it is: 15 weeks' notice
    short: Application  # the copy with 37 days' notice and a 3-page annex; revision 2 and a draft exist too
    bundles: dict[str, Path]  # example, short, short-rev2, draft

    def open_sent(self, path: Path) -> bundle.OpenedBundle:
        """Open a bundle the member sent, as the secretariat: fully verified (close it after)."""
        return bundle.open_bundle(path, self.secretariat, [self.member_card])


def short_notice_copy(dest: Path, days: int = SHORT_NOTICE_DAYS) -> Path:
    """A copy of the example folder whose regulations are due ``days`` after the panel was asked,
    with a 3-page annex (``documents/supporting-evidence.pdf``, listed after the example's own)."""
    shutil.copytree(EXAMPLE, dest)
    toml = dest / "application.toml"
    text = toml.read_text(encoding="utf-8")
    asked = tomllib.loads(text)["dates"]["panel_asked"]
    for key, value in (("regulations_intended", asked + timedelta(days=days)),
                       ("advice_due", asked + timedelta(days=days - 7))):
        text, n = re.subn(rf"(?m)^{key} = .*$", f"{key} = {value.isoformat()}", text)
        assert n == 1, f"{key} not found once in {toml}"
    toml.write_text(text, encoding="utf-8")
    annex_pdf(dest / "documents" / "supporting-evidence.pdf")
    return dest


def annex_pdf(path: Path, pages: int = ANNEX_PAGES) -> None:
    """A plain PDF of ``pages`` pages: the example's documents have one page each, and paging needs more."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), invariant=1)
    for n in range(1, pages + 1):
        c.drawString(72, 720, f"Supporting evidence, page {n} of {pages}: {ANNEX_TOPICS[(n - 1) % len(ANNEX_TOPICS)]}")
        c.showPage()
    c.save()


@pytest.fixture(scope="session")
def sealed(tmp_path_factory) -> Sealed:
    root = tmp_path_factory.mktemp("secretariat")
    sec = Identity.create("Sam Secretariat", Role.SECRETARIAT, "Panel secretariat")
    sec.save(root / "sec.age", PASSPHRASE, work_factor=WORK_FACTOR)
    me = Identity.create("Grace Adeyemi", Role.CHILDRENS_COMMISSIONER, "Office of the Children's Commissioner")
    me.save(root / "me.age", PASSPHRASE, work_factor=WORK_FACTOR)
    inspector = Identity.create("Ben Okafor", Role.CHIEF_INSPECTOR, "Ofsted")
    bundles = {name: root / f"{name}.pdbundle" for name in ("example", "short", "short-rev2", "draft")}
    with init_profile(root / "sec-profile", root / "sec.age", PASSPHRASE, trusted=[me.card]) as ws:
        ws.roster_add(me.card)
        ws.roster_add(inspector.card)
        example = secretariat.new_application(ws, EXAMPLE)
        secretariat.seal_application(ws, example.id, bundles["example"])
        folder = short_notice_copy(root / "short-notice")
        short = secretariat.new_application(ws, folder)
        secretariat.seal_application(ws, short.id, bundles["short"])
        secretariat.new_revision(ws, short.id, folder, reason="New risk assessment")
        secretariat.seal_application(ws, short.id, bundles["short-rev2"])
        for person in (me, inspector):  # taken down by the secretariat: the draft goes only to declared members
            ws.save_declaration(ConflictDeclaration(application_id=short.id, application_revision=2,
                                                    member=person.fingerprint, none_to_declare=True))
        secretariat.draft_advice(ws, short.id, summary="Wexmoor asks to change who chairs reviews.",
                                 outcomes="Likely to improve outcomes.", monitoring="Sufficient with conditions.")
        secretariat.circulate(ws, short.id, bundles["draft"])
    return Sealed(member_file=root / "me.age", member_card=me.card, secretariat=sec, example=example,
                  short=short, bundles=bundles)


@pytest.fixture
def member_profile(sealed, tmp_path) -> Callable[..., Workspace]:
    """``make(*bundles)``: a new member profile trusting the secretariat, with those bundles imported."""
    made: list[Workspace] = []

    def make(*names: str) -> Workspace:
        ws = init_profile(tmp_path / f"member-{len(made)}", sealed.member_file, PASSPHRASE,
                          trusted=[sealed.secretariat.card])
        made.append(ws)
        for name in names:
            result = ws.import_bundle(sealed.bundles[name])
            assert result.recorded, result.message
        return ws

    yield make
    for ws in made:
        ws.close()


class Screen(NamedTuple):
    window: MainWindow
    view: MemberView
    ws: Workspace  # the real, open member profile behind the window
    app_id: str  # the application shown


@pytest.fixture
def open_window(qtbot) -> Callable[[Workspace], Screen]:
    """``open(ws)``: the window over a real profile, showing its first application."""

    def open_(ws: Workspace) -> Screen:
        window = MainWindow(ws.profile_dir)
        qtbot.addWidget(window)
        window.resize(1280, 860)
        view = MemberView(MemberDesk(ws, today=lambda: TODAY), window)
        window.show()
        qtbot.waitExposed(window)
        return Screen(window, view, ws, view.app_id)

    return open_


@pytest.fixture
def member_window(sealed, member_profile, open_window) -> Screen:
    """A member with the short-notice application (revision 1) and nothing declared yet."""
    screen = open_window(member_profile("short"))
    assert screen.app_id == sealed.short.id
    return screen


@pytest.fixture
def save_to(monkeypatch, tmp_path):
    """Answer every 'Save as' dialog with a path in tmp_path; returns the list of paths asked."""
    asked: list[Path] = []

    def answer(parent, title, suggested, file_filter):
        path = tmp_path / "out" / Path(suggested).name
        path.parent.mkdir(exist_ok=True)
        asked.append(path)
        return path

    monkeypatch.setattr(_parts, "ask_save_path", answer)
    return asked


def with_dialog(qtbot, action: Callable[[QtWidgets.QDialog], None]) -> None:
    """Run ``action`` on the next modal dialog as soon as it is shown (its exec() blocks the test)."""
    def poll():
        dialog = QtWidgets.QApplication.activeModalWidget()
        if isinstance(dialog, QtWidgets.QDialog) and dialog.isVisible():
            action(dialog)
        else:
            QtCore.QTimer.singleShot(10, poll)

    QtCore.QTimer.singleShot(0, poll)


def click(qtbot, widget) -> None:
    """Click ``widget`` as a person would, once it is laid out and visible."""
    qtbot.waitUntil(lambda: widget.isVisible() and widget.height() > 0, timeout=2000)
    if isinstance(widget, (QtWidgets.QRadioButton, QtWidgets.QCheckBox)):
        # only the box and its words take the click, not the empty width beside them
        pos = QtCore.QPoint(8, widget.height() // 2)
        qtbot.mouseClick(widget, QtCore.Qt.MouseButton.LeftButton, pos=pos)
    else:
        qtbot.mouseClick(widget, QtCore.Qt.MouseButton.LeftButton)

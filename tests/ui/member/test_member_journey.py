"""One member from first run to a sent response and a sent dissent, through the window only.

The secretariat's side is built with the core (identities, profile, sealed application, later a
draft). The member acts only through widgets. Nothing typed reaches the disk in plaintext.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest
from conftest import click, with_dialog
from plaintext_scan import scan_for_markers  # tests/plaintext_scan.py, shared with the store's scan

from panel_desk.core import secretariat
from panel_desk.core.identity import Identity
from panel_desk.core.model import ConflictDeclaration, Role, SignOffKind
from panel_desk.ui.app import AppFlow
from panel_desk.ui.main_window import MainWindow
from panel_desk.ui.member import _parts
from panel_desk.ui.member import text as words
from panel_desk.ui.member.pdf import find_in_page
from panel_desk.ui.member.view import ASSESSMENT, DOCUMENTS, MemberView
from panel_desk.ui.onboarding import FirstRun, UnlockPage
from panel_desk.ui.qt import Qt, QtCore

WORK_FACTOR = 10  # tests only: real identities use 2^18 or more
SEC_PASS = "secretariat pass phrase words"
MY_PASS = "violet harbour kettle meadow"
MARKERS = ["ZQX-rationale-7781", "ZQX-internal-4410", "ZQX-note-5521", "ZQX-dissent-9902"]
LEFT = Qt.MouseButton.LeftButton


def _new_temp_files(since: float, skip: Path) -> list[Path]:
    """Files written in the temp folder since ``since`` (outside ``skip``): where a leak would land."""
    out = []
    for folder, dirs, names in os.walk(tempfile.gettempdir()):
        dirs[:] = [d for d in dirs if not (Path(folder) / d).resolve().is_relative_to(skip.resolve())]
        for name in names:
            path = Path(folder) / name
            try:
                if path.is_file() and not path.is_symlink() and path.stat().st_mtime >= since:
                    out.append(path)
            except OSError:
                continue
    return out


@pytest.fixture
def secretariat_side(tmp_path, example_application):
    from panel_desk.core.store import init_profile

    folder = tmp_path / "secretariat"
    folder.mkdir()
    sec = Identity.create("Sam Secretariat", Role.SECRETARIAT, "Panel secretariat")
    sec.save(folder / "sec.age", SEC_PASS, work_factor=WORK_FACTOR)
    sec.card.save(folder / "sec.card.json")
    ws = init_profile(folder / "profile", folder / "sec.age", SEC_PASS)
    inspector = Identity.create("Ben Okafor", Role.CHIEF_INSPECTOR, "Ofsted")
    ws.roster_add(inspector.card)
    app = secretariat.new_application(ws, example_application)
    yield ws, folder, app
    ws.close()


def test_a_member_from_first_run_to_a_sent_response_and_a_dissent(qtbot, tmp_path, secretariat_side, monkeypatch):
    sec_ws, sec_folder, app = secretariat_side
    started = time.time()
    out = tmp_path / "member-files"
    out.mkdir()
    saved: list[Path] = []

    def save_as(parent, title, suggested, file_filter):
        saved.append(out / Path(suggested).name)
        return saved[-1]

    monkeypatch.setattr(_parts, "ask_save_path", save_as)
    monkeypatch.setattr(_parts, "ask_open_path", lambda *a: sec_folder / "sec.card.json")

    profile = tmp_path / "member-profile"
    window = MainWindow(profile)
    qtbot.addWidget(window)
    window.resize(1280, 860)
    flow = AppFlow(window, profile, work_factor=WORK_FACTOR)
    window.show()

    # --- first run: who I am, my passphrase, my fingerprint, the secretariat's card --------------
    first = flow.gate
    assert isinstance(first, FirstRun) and window.gated()
    qtbot.keyClicks(first.name, "Asha Patel")
    first.role.setCurrentIndex(first.role.findData(Role.CHILDRENS_COMMISSIONER.value))
    qtbot.keyClicks(first.organisation, "Office of the Children's Commissioner")
    qtbot.keyClicks(first.passphrase, "short")
    click(qtbot, first.create_button)
    assert words.ERR_PASSPHRASE in first.errors.accessibleName()
    first.passphrase.clear()
    qtbot.keyClicks(first.passphrase, MY_PASS)
    assert first.strength.text() in ("Strength: Strong", "Strength: Very strong")
    qtbot.keyClicks(first.passphrase2, MY_PASS + "x")
    click(qtbot, first.create_button)
    assert words.ERR_PASSPHRASE_MATCH in first.errors.accessibleName()
    first.passphrase2.clear()
    qtbot.keyClicks(first.passphrase2, MY_PASS)
    click(qtbot, first.create_button)
    assert first.currentIndex() == 1
    fp = first.fingerprint.text()
    assert len(fp.split()) == 8 and all(len(g) == 4 for g in fp.split())
    click(qtbot, first.save_card_button)
    my_card = saved[-1]
    assert my_card.exists()
    click(qtbot, first.to_secretariat)
    click(qtbot, first.finish_button)
    assert words.ERR_CARD in first.errors3.accessibleName()
    click(qtbot, first.choose_card)
    assert first.theirs_fp.text() == sec_ws.identity.card.formatted_fingerprint
    assert first.mine_fp.text() == fp
    click(qtbot, first.finish_button)
    assert words.ERR_CONFIRM in first.errors3.accessibleName()
    click(qtbot, first.confirm)
    click(qtbot, first.finish_button)
    qtbot.waitUntil(lambda: flow.ws is not None and not window.gated(), timeout=10000)
    view = flow.view
    assert isinstance(view, MemberView)

    # --- the secretariat puts me on the roster and seals the application to the panel ----------
    from panel_desk.core.identity import PublicCard

    sec_ws.roster_add(PublicCard.load(my_card))
    bundle = sec_folder / "application.pdbundle"
    secretariat.seal_application(sec_ws, app.id, bundle)

    # --- open it (as if dropped on the window), in the background --------------------------------
    window.files_dropped.emit([str(bundle)])
    qtbot.waitUntil(lambda: window.applications.count() == 1 and view.app_id == app.id, timeout=10000)
    assert not window.tabs.isTabEnabled(DOCUMENTS)
    assert "Declare your interests" in window.applications.item(0).data(Qt.ItemDataRole.AccessibleTextRole)

    def none(dialog):
        dialog.none.setChecked(True)
        click(qtbot, dialog.save)

    with_dialog(qtbot, none)
    click(qtbot, view.overview.declare_button)
    assert window.tabs.isTabEnabled(DOCUMENTS)
    click(qtbot, view.overview.send_button)
    assert saved[-1].name.startswith("declaration-") and saved[-1].exists()

    # --- read and highlight ------------------------------------------------------------------
    window.tabs.setCurrentIndex(DOCUMENTS)
    docs = view.documents
    qtbot.waitUntil(lambda: docs.viewer.page_count() > 0)
    hit = find_in_page(docs.viewer.document, 0, "Any child can return")[0][1][0]
    s = docs.viewer.scale
    page = docs.viewer.pages[0]
    y = int((hit[1] + hit[3]) / 2 * s)

    def note(dialog):
        dialog.note.setPlainText(MARKERS[2])
        dialog.tag.setCurrentIndex(dialog.tag.findData("outcomes"))
        click(qtbot, dialog.save)

    with_dialog(qtbot, note)
    qtbot.mousePress(page, LEFT, pos=QtCore.QPoint(int(hit[0] * s) + 1, y))
    qtbot.mouseMove(page, QtCore.QPoint(int(hit[2] * s) - 1, y))
    qtbot.mouseRelease(page, LEFT, pos=QtCore.QPoint(int(hit[2] * s) - 1, y))
    assert [a.note for a in flow.ws.annotations(app.id)] == [MARKERS[2]]

    # --- the walkthrough -------------------------------------------------------------------
    window.tabs.setCurrentIndex(ASSESSMENT)
    assessment = view.assessment
    assert assessment.tasks.rows["read"].status == words.IN_PROGRESS
    click(qtbot, assessment.tasks.rows["read"].link)
    click(qtbot, assessment.read.read_button)
    click(qtbot, assessment.tasks.rows["outcomes"].link)
    q1 = assessment.steps["outcomes"]
    click(qtbot, q1.fields["rating"].radios["improve"])
    click(qtbot, q1.fields["confidence"].radios["medium"])
    q1.fields["rationale"].edit.setFocus()
    qtbot.keyClicks(q1.fields["rationale"].edit, f"Children keep a familiar reviewer. {MARKERS[0]}")
    qtbot.keyClicks(q1.fields["internal_note"].edit, MARKERS[1])
    click(qtbot, q1.fields["evidence"]._evidence[0][0])
    click(qtbot, q1.continue_button)
    q2 = assessment.steps["monitoring"]
    click(qtbot, q2.fields["rating"].radios["sufficient"])
    click(qtbot, q2.fields["confidence"].radios["high"])
    qtbot.keyClicks(q2.fields["rationale"].edit, "Monthly reports to elected members and quarterly audits.")
    click(qtbot, q2.continue_button)
    click(qtbot, assessment.steps["advice"].continue_button)
    assert assessment.currentWidget() is assessment.check
    click(qtbot, assessment.check.send_button)
    qtbot.waitUntil(lambda: assessment.currentWidget() is assessment.confirmation, timeout=10000)
    response_file = saved[-1]
    assert response_file.name in assessment.confirmation.details.text()
    assert "Sam Secretariat, the secretariat" in assessment.confirmation.details.text()
    result = sec_ws.import_bundle(response_file)
    assert result.recorded, result.message
    got = sec_ws.responses(app.id)[0]
    assert MARKERS[0] in got.answers.outcomes.rationale and got.answers.outcomes.evidence

    # --- lock and unlock return to the same place ----------------------------------------------
    window.tabs.setCurrentIndex(ASSESSMENT)
    assessment.open_step("monitoring")
    window.lock_requested.emit()
    assert window.gated() and flow.ws.locked
    unlock = flow.gate
    assert isinstance(unlock, UnlockPage)
    qtbot.keyClicks(unlock.passphrase, "wrong words entirely")
    click(qtbot, unlock.unlock_button)
    qtbot.waitUntil(lambda: unlock.error.isVisible(), timeout=10000)
    assert "passphrase is not right" in unlock.error.text()
    unlock.passphrase.clear()
    qtbot.keyClicks(unlock.passphrase, MY_PASS)
    click(qtbot, unlock.unlock_button)
    qtbot.waitUntil(lambda: not window.gated(), timeout=10000)
    assert window.tabs.currentIndex() == ASSESSMENT and assessment.currentWidget() is assessment.steps["monitoring"]

    # --- the draft advice comes round: I dissent ------------------------------------------------
    sec_ws.save_declaration(ConflictDeclaration(application_id=app.id, application_revision=app.revision,
                                                member=sec_ws.member("Ben Okafor").fingerprint, none_to_declare=True))
    secretariat.draft_advice(sec_ws, app.id, summary="Wexmoor asks to change who chairs reviews.",
                             outcomes="Likely to improve outcomes.", monitoring="Sufficient.")
    draft_file = sec_folder / "draft.pdbundle"
    secretariat.circulate(sec_ws, app.id, draft_file)
    window.files_dropped.emit([str(draft_file)])
    qtbot.waitUntil(lambda: assessment.signoff is not None and assessment.currentWidget() is assessment.signoff,
                    timeout=10000)
    page = assessment.signoff
    click(qtbot, page.dissent)
    page.text.setPlainText(f"The way back for families is too weak. {MARKERS[3]}")
    click(qtbot, page.by_role)
    click(qtbot, page.send_button)
    assert assessment.currentWidget() is assessment.confirmation
    result = sec_ws.import_bundle(saved[-1])
    assert result.recorded, result.message
    signoff = sec_ws.signoffs(app.id)[0]
    assert signoff.kind is SignOffKind.DISSENT and signoff.attribute.value == "role"

    # --- nothing typed reached the disk in plaintext ---------------------------------------------
    view.flush()
    hits = scan_for_markers([tmp_path, *_new_temp_files(started, tmp_path)], MARKERS)
    assert hits == [], "\n".join(map(str, hits))

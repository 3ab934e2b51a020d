"""The secretariat's screens driven by clicks and typing over a stand-in desk (no store needed)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from secretariat_fakes import SHOTS, FakeDesk, declaration, response

from panel_desk.core import rules
from panel_desk.core.identity import Identity
from panel_desk.core.model import Decision, Role, SignOff, SignOffKind
from panel_desk.ui.main_window import MainWindow
from panel_desk.ui.qt import Qt, QtCore, QtWidgets
from panel_desk.ui.secretariat import SecretariatView
from panel_desk.ui.secretariat import _words as w
from panel_desk.ui.secretariat._desk import ImportRow
from panel_desk.ui.secretariat._parts import ClockStrip

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def screen(qtbot, tmp_path, scripted_files, themed):
    window = MainWindow(tmp_path)
    desk = FakeDesk()
    view = SecretariatView(None, window, desk=desk, files=scripted_files)
    window.setCentralWidget(view)
    # At 200% a 1920×1200 screen is 960×600 in the window's own units: check that the screens still work there.
    window.resize(*((960, 600) if os.environ.get("QT_SCALE_FACTOR") == "2" else (1280, 860)))
    qtbot.addWidget(window)
    window.show()
    return window, view, desk


def shot(widget: QtWidgets.QWidget, name: str) -> None:
    """Save a picture when PANEL_DESK_SHOTS=1 (the documented screens are made this way)."""
    for _ in range(5):  # widgets added to a shown layout appear, and lay out, on later loops
        QtWidgets.QApplication.processEvents()
    if os.environ.get("PANEL_DESK_SHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        suffix = os.environ.get("PANEL_DESK_SHOT_SUFFIX", "")  # e.g. "-200" for QT_SCALE_FACTOR=2
        widget.grab().save(str(SHOTS / f"secretariat-{name}{suffix}.png"))


def card_file(tmp_path: Path, name: str, role: Role, org: str, acts_for: str = "") -> Path:
    identity = Identity.create(name, role, org, acts_for)
    path = tmp_path / f"{name.split()[0].lower()}.card.json"
    identity.card.save(path)
    return path


def short_notice_folder(example: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "short"
    shutil.copytree(example, folder)
    toml = folder / "application.toml"
    text = toml.read_text().replace("panel_asked = 2026-10-05", "panel_asked = 2026-12-01")
    text = text.replace("regulations_intended = 2027-01-18", "regulations_intended = 2027-01-07")
    text = text.replace("advice_due = 2026-12-07", "advice_due = 2026-12-21")
    text = text.replace("received = 2026-09-14", "received = 2026-11-20")
    toml.write_text(text)
    return folder


def test_whole_secretariat_journey(qtbot, screen, scripted_files, tmp_path, example_application):
    window, view, desk = screen
    files = scripted_files

    # Import an application folder that gives the panel less than 6 weeks.
    files.queue("folder", short_notice_folder(example_application, tmp_path))
    qtbot.mouseClick(view.import_folder_button, LEFT)
    qtbot.waitUntil(lambda: view.applications.count() == 1, timeout=5000)
    assert view.app_id == "wexmoor-2026-0001"
    app = desk.application(view.app_id)
    expected = rules.notice_check(app.dates.panel_asked, app.dates.regulations_intended).message()
    assert view.clock.banner.isVisible()
    assert view.clock.banner.text.text() == expected
    assert view.clock.value(w.CLOCK_EARLIEST) == "12 January 2027"
    assert view.clock.value(w.CLOCK_ASKED) == "1 December 2026"
    assert "28 days left to advise" in view.clock.value(w.CLOCK_DUE)

    # Roster: a damaged card is refused in words; three real cards are checked and added.
    view.tabs.setCurrentWidget(view.roster)
    bad = tmp_path / "bad.card.json"
    good = card_file(tmp_path, "Asha Patel", Role.CHILDRENS_COMMISSIONER, "Office of the Children's Commissioner",
                     "Children's Commissioner for England")
    bad.write_text(good.read_text().replace("Asha Patel", "Asha Patil"))
    files.queue("open_file", bad)
    qtbot.mouseClick(view.roster.add_button, LEFT)
    assert view.roster.errors.isVisible()
    assert "altered or damaged" in view.roster.errors.accessibleName()
    assert desk.roster() == []
    assert view.roster.composition_tag.text() == "SEATS MISSING"

    cards = [good,
             card_file(tmp_path, "Ben Okafor", Role.CHIEF_INSPECTOR, "Ofsted", "HM Chief Inspector"),
             card_file(tmp_path, "Carys Hughes", Role.SOCIAL_WORK_PRACTICE, "Social work practice lead"),
             card_file(tmp_path, "Dev Sharma", Role.LOCAL_GOVERNMENT, "Local Government Association")]
    for path in cards:
        files.queue("open_file", path)
        qtbot.mouseClick(view.roster.add_button, LEFT)
        dialog = view.roster.confirm_dialog
        qtbot.waitExposed(dialog)
        assert len(dialog.fingerprint.text().split()) == 8  # eight groups of four, read aloud
        if path is good:
            shot(dialog, "roster-fingerprint")
        qtbot.mouseClick(dialog.add, LEFT)
    assert not view.roster.errors.isVisible()
    assert [m.name for m in desk.roster()] == ["Asha Patel", "Ben Okafor", "Carys Hughes", "Dev Sharma"]
    assert view.roster.table.rowCount() == 4
    assert view.roster.composition_tag.text() == "COMPLETE"
    shot(window, "roster")

    # Conflicts: Dev declared prior involvement; the reason is required before recusal is recorded.
    fps = {m.name.split()[0]: m.fingerprint for m in desk.roster()}
    desk.declarations_ = [declaration(app.id, fps["Asha"]), declaration(app.id, fps["Ben"]),
                          declaration(app.id, fps["Carys"]),
                          declaration(app.id, fps["Dev"], interest="Advised Wexmoor on this application in 2025.")]
    view.tabs.setCurrentWidget(view.conflicts)
    view.refresh()
    assert view.conflicts.table.rowCount() == 4
    view.conflicts.table.selectRow(3)
    qtbot.mouseClick(view.conflicts.decide_button, LEFT)
    dialog = view.conflicts.dialog
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.ok, LEFT)
    assert dialog.isVisible()
    assert dialog.errors.isVisible()
    assert "Choose how to handle the interests" in dialog.errors.accessibleName()
    assert w.DECIDE_NO_REASON in dialog.errors.accessibleName()
    shot(dialog, "decide-errors")
    radio = dialog.radios[Decision.RECUSED]
    qtbot.mouseClick(radio, LEFT, pos=QtCore.QPoint(8, radio.height() // 2))  # on its circle
    qtbot.keyClicks(dialog.reason, "Advised the authority on this application.")
    assert dialog.decision() is Decision.RECUSED, dialog.decision()
    assert dialog.reason_text() == "Advised the authority on this application."
    qtbot.mouseClick(dialog.ok, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
    assert desk.recused(app.id) == {fps["Dev"]: "Recused from this application: Advised the authority on this application."}
    assert view.conflicts.table.item(3, 3).text() == Decision.RECUSED.label
    assert view.conflicts.table.item(0, 3).text() == "No interests to declare"
    shot(window, "conflicts")

    # Seal: the recused member cannot be chosen; the rest receive it; a confirmation says what next.
    view.tabs.setCurrentWidget(view.application)
    check = view.application.member_checks[fps["Dev"]]
    assert not check.isEnabled() and "Recused from this application: Advised the authority" in check.text()
    out = tmp_path / "out" / "wexmoor.pdbundle"
    out.parent.mkdir()
    files.queue("save_file", out)
    qtbot.mouseClick(view.application.seal_button, LEFT)
    qtbot.waitUntil(lambda: view.application.confirmation.isVisible(), timeout=5000)
    sealed = desk.sealed[-1]
    assert sealed[2] == [fps["Asha"], fps["Ben"], fps["Carys"]]
    confirmation = view.application.confirmation.accessibleName()
    assert "wexmoor.pdbundle" in confirmation and str(out.parent) in confirmation
    assert "Asha Patel, Ben Okafor, Carys Hughes" in confirmation
    shot(window, "application")

    # Imports, many at once by drag and drop: imported, already had, refused with its reason.
    desk.import_plan = {
        "asha.pdbundle": ImportRow("asha.pdbundle", "Response", "Imported", False),
        "ben.pdbundle": ImportRow("ben.pdbundle", "Response", "Imported", False),
        "ben-again.pdbundle": ImportRow("ben-again.pdbundle", "Response", "Already had it", False),
    }
    paths = [str(tmp_path / n) for n in ("asha.pdbundle", "ben.pdbundle", "ben-again.pdbundle", "notes.txt")]
    window.files_dropped.emit(paths)
    qtbot.waitUntil(lambda: view.imports.table.rowCount() == 4, timeout=5000)
    assert view.tabs.currentWidget() is view.imports
    assert view.imports.table.item(3, 2).text() == "Refused: this is not a Panel Desk file."
    assert view.imports.summary.text() == "2 imported, 1 already had, 1 refused."
    shot(window, "imports")

    # Answers side by side: the recused member is shown excluded with the reason; Carys has not replied.
    desk.responses_ = [
        response(app.id, fps["Asha"], "improve", "sufficient_with_conditions",
                 "Children's wishes come first, and the route back to an IRO is simple.",
                 "Any child can return to an IRO-chaired review at any time.",
                 ["Report quarterly how many children asked to return to an IRO."]),
        response(app.id, fps["Ben"], "no_material_change", "sufficient",
                 "Outcomes are unlikely to change much; the released hours matter most.",
                 "frees about 1,900 IRO hours a year"),
        response(app.id, fps["Dev"], "worsen", "insufficient", "Recused, so this must not count.", "IRO"),
    ]
    view.tabs.setCurrentWidget(view.consolidation)
    matrix = view.consolidation.matrices["outcomes"]
    assert matrix.rowCount() == 2
    assert matrix.item(0, 2).text().startswith("Improve")
    assert matrix.item(1, 2).text().startswith("No material change")
    assert view.consolidation.view.not_responded == ["Carys Hughes"]
    [(name, reason)] = view.consolidation.view.excluded
    assert name == "Dev Sharma" and "Advised the authority on this application." in reason
    csv_out = tmp_path / "answers.csv"
    files.queue("save_file", csv_out)
    qtbot.mouseClick(view.consolidation.csv_button, LEFT)
    assert "Children's wishes come first" in csv_out.read_text()
    shot(window, "consolidation")

    # Drafting: fill in from the members' answers, edit (saved as typed), circulate.
    view.tabs.setCurrentWidget(view.drafting)
    page = view.drafting
    files.queue("save_file", tmp_path / "draft.pdbundle")
    qtbot.mouseClick(page.circulate_button, LEFT)  # nothing written yet: the error summary lists it
    assert page.errors.isVisible() and "Write a summary of the application" in page.errors.accessibleName()
    files.answers["save_file"].clear()
    qtbot.mouseClick(page.prefill_button, LEFT)
    assert "Children's wishes come first" in page.fields["outcomes"].toPlainText()
    assert "Recused, so this must not count." not in page.fields["outcomes"].toPlainText()
    page.fields["conditions"].setFocus()
    qtbot.keyClick(page.fields["conditions"], Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(page.fields["conditions"], Qt.Key.Key_Return)
    qtbot.keyClicks(page.fields["conditions"], "Publish the evaluation's interim findings.")
    assert page.saved.text() == w.SAVING
    view.flush()  # what the window does before it locks: saved at once, not after the pause
    assert page.saved.text() == w.SAVED
    assert desk.draft.conditions == ["Report quarterly how many children asked to return to an IRO.",
                                     "Publish the evaluation's interim findings."]
    files.queue("save_file", tmp_path / "draft.pdbundle")
    qtbot.mouseClick(page.circulate_button, LEFT)
    qtbot.waitUntil(lambda: page.confirmation.isVisible(), timeout=5000)
    assert "Asha Patel, Ben Okafor, Carys Hughes" in page.confirmation.accessibleName()

    dissent = "I dissent: the IRO's  independence  is the safeguard.\nIt should not be traded for hours."
    desk.signoffs_ = [SignOff(application_id=app.id, draft_revision=1, member=fps["Asha"], kind=SignOffKind.CONCUR),
                      SignOff(application_id=app.id, draft_revision=1, member=fps["Ben"], kind=SignOffKind.DISSENT,
                              text=dissent)]
    page.refresh_signoffs()
    assert [(r.name, r.status) for r in page.signoff_rows] == [
        ("Asha Patel", "Concurred"), ("Ben Okafor", "Dissented"), ("Carys Hughes", "Not replied")]
    statement = page.findChild(QtWidgets.QLabel, "signoff-text-1")
    assert statement.text() == dissent  # exactly as written
    shot(window, "drafting")

    # Finalise behind a confirmation; then the text is locked.
    qtbot.mouseClick(page.finalise_button, LEFT)
    box = page.confirm
    qtbot.waitExposed(box)
    finalise = next(b for b in box.buttons() if b.text() == w.FINALISE)
    qtbot.mouseClick(finalise, LEFT)
    qtbot.waitUntil(lambda: page.fields["summary"].isReadOnly(), timeout=2000)
    assert page.final_banner.isVisible()
    assert not page.circulate_button.isEnabled()

    # Publish, then check a published advice.
    view.tabs.setCurrentWidget(view.publish)
    files.queue("save_file", tmp_path / "advice.pdf")
    qtbot.mouseClick(view.publish.export_button, LEFT)
    qtbot.waitUntil(lambda: view.publish.confirmation.isVisible(), timeout=5000)
    assert (tmp_path / "advice.html").exists()
    files.queue("open_file", tmp_path / "advice.pdf")
    qtbot.mouseClick(view.publish.verify_button, LEFT)
    assert view.publish.verify_tag.text() == "SIGNATURE VALID"
    shot(window, "publish")


def test_export_is_refused_in_words_before_the_advice_is_final(qtbot, screen, scripted_files, tmp_path,
                                                                example_application):
    _window, view, _desk = screen
    scripted_files.queue("folder", example_application)
    qtbot.mouseClick(view.import_folder_button, LEFT)
    qtbot.waitUntil(lambda: view.applications.count() == 1, timeout=5000)
    assert not view.clock.banner.isVisible()  # 105 days' notice
    view.tabs.setCurrentWidget(view.publish)
    scripted_files.queue("save_file", tmp_path / "advice.pdf")
    qtbot.mouseClick(view.publish.export_button, LEFT)
    qtbot.waitUntil(lambda: view.publish.errors.isVisible(), timeout=5000)
    assert "has not been finalised yet" in view.publish.errors.accessibleName()
    assert not (tmp_path / "advice.pdf").exists()


def test_a_broken_application_folder_lists_every_problem(qtbot, screen, scripted_files, tmp_path,
                                                         example_application):
    _window, view, _desk = screen
    folder = tmp_path / "broken"
    shutil.copytree(example_application, folder)
    toml = folder / "application.toml"
    toml.write_text(toml.read_text().replace("trial_months = 24", "trial_months = \"two years\"")
                    .replace("panel_asked = 2026-10-05", "panel_asked = \"soon\""))
    scripted_files.queue("folder", folder)
    qtbot.mouseClick(view.import_folder_button, LEFT)
    qtbot.waitUntil(lambda: view.app_errors.isVisible(), timeout=5000)
    labels = [lab.text() for lab in view.app_errors.findChildren(QtWidgets.QLabel) if lab.property("role") == "error"]
    assert len(labels) >= 2
    assert any("whole number" in t for t in labels) and any("YYYY-MM-DD" in t for t in labels)
    assert view.applications.count() == 0


def test_every_control_has_an_accessible_name(qtbot, screen, scripted_files, example_application):
    _window, view, _desk = screen
    scripted_files.queue("folder", example_application)
    qtbot.mouseClick(view.import_folder_button, LEFT)
    qtbot.waitUntil(lambda: view.applications.count() == 1, timeout=5000)
    kinds = (QtWidgets.QAbstractButton, QtWidgets.QLineEdit, QtWidgets.QPlainTextEdit, QtWidgets.QComboBox,
             QtWidgets.QDateEdit, QtWidgets.QAbstractItemView)
    unnamed = [type(c).__name__ + ":" + c.objectName() for c in view.findChildren(QtWidgets.QWidget)
               if isinstance(c, kinds) and c.window() is view.window() and c.focusPolicy() != Qt.FocusPolicy.NoFocus
               and not c.accessibleName() and not isinstance(c.parent(), QtWidgets.QAbstractScrollArea | QtWidgets.QTabBar | QtWidgets.QAbstractSpinBox)
               and c.parent() is not None and type(c).__name__ not in ("QScrollBar",)]
    assert unnamed == []


def test_tab_moves_through_the_application_page_in_reading_order(qtbot, screen, scripted_files, example_application):
    _window, view, _desk = screen
    scripted_files.queue("folder", example_application)
    qtbot.mouseClick(view.import_folder_button, LEFT)
    qtbot.waitUntil(lambda: view.applications.count() == 1, timeout=5000)
    page = view.application
    page.expiry_on.setFocus()
    order = []
    for _ in range(5):
        order.append(QtWidgets.QApplication.focusWidget())
        qtbot.keyClick(QtWidgets.QApplication.focusWidget(), Qt.Key.Key_Tab)
    names = [o.accessibleName() for o in order]
    assert names == [w.SET_EXPIRY, w.SEAL, w.REVISION_REASON, "Import a new revision of this application",
                     w.WITHDRAW_REASON]


def test_clock_strip_states_the_shortfall_in_the_rules_words(qtbot):
    strip = ClockStrip()
    qtbot.addWidget(strip)
    assert strip.value(w.CLOCK_ASKED) == "—"


def test_new_revision_and_withdrawal_need_a_reason(qtbot, screen, scripted_files, tmp_path, example_application):
    _window, view, desk = screen
    scripted_files.queue("folder", example_application)
    qtbot.mouseClick(view.import_folder_button, LEFT)
    qtbot.waitUntil(lambda: view.applications.count() == 1, timeout=5000)
    page = view.application

    qtbot.mouseClick(page.revision_button, LEFT)  # no reason yet: no folder is asked for
    assert page.errors.isVisible() and w.REVISION_NO_REASON in page.errors.accessibleName()
    qtbot.keyClicks(page.revision_reason, "The authority corrected its monitoring plan.")
    scripted_files.queue("folder", example_application)
    qtbot.mouseClick(page.revision_button, LEFT)
    assert desk.application(view.app_id).revision == 2
    assert "revision 2" in view.clock.subtitle.text()
    assert not page.errors.isVisible()

    qtbot.mouseClick(page.withdraw_button, LEFT)
    assert w.WITHDRAW_NO_REASON in page.errors.accessibleName()
    qtbot.keyClicks(page.withdraw_reason, "The authority withdrew its application.")
    scripted_files.queue("save_file", tmp_path / "withdrawn.pdbundle")
    qtbot.mouseClick(page.withdraw_button, LEFT)
    assert page.confirmation.isVisible()
    assert "The authority withdrew its application." in page.confirmation.accessibleName()
    assert (tmp_path / "withdrawn.pdbundle").exists()


def test_file_import_is_in_the_menu_once_however_often_the_view_is_made(qtbot, tmp_path, scripted_files):
    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    first = SecretariatView(None, window, desk=FakeDesk(), files=scripted_files)
    again = SecretariatView(None, window, desk=FakeDesk(), files=scripted_files)
    qtbot.addWidget(first)
    window.setCentralWidget(again)
    texts = [a.text() for a in window.file_menu.actions()]
    assert texts[0] == w.IMPORT_MENU and texts.count(w.IMPORT_MENU) == 1
    assert (w.IMPORT_MENU.replace("&", "").rstrip("…"), "Ctrl+I") in window.shortcuts()

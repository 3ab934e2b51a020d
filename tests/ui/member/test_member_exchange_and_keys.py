"""The exchange folder in the member's window, and the keyboard and wording points of issue 13."""

from __future__ import annotations

import shutil

from conftest import click, with_dialog

from panel_desk.core import exchange
from panel_desk.core.model import Annotation, AnnotationTag
from panel_desk.ui.member import text as words
from panel_desk.ui.member.documents import snap_to_words
from panel_desk.ui.member.pdf import find_in_page
from panel_desk.ui.member.view import ASSESSMENT, DOCUMENTS
from panel_desk.ui.qt import Qt, QtWidgets
from tests.ui.clipping import themed as themed  # the fixture


def declare_none(qtbot, view):
    def fill(dialog):
        dialog.none.setChecked(True)
        click(qtbot, dialog.save)

    with_dialog(qtbot, fill)
    click(qtbot, view.overview.declare_button)


def test_what_arrives_in_the_exchange_folder_is_imported_and_what_is_sent_is_saved_there(
        qtbot, member_profile, open_window, sealed, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    ws = member_profile("short")
    exchange.set_folder(ws, shared)
    window, view, ws, app_id = open_window(ws)
    # the secretariat's application arrives, under its exchange name
    arrived = shared / "2026-10-12 application example Sam Secretariat.pdbundle"
    shutil.copy(sealed.bundles["example"], arrived)
    view.exchange.sync_now()
    qtbot.waitUntil(lambda: window.applications.count() == 2, timeout=10000)
    assert view.notice.isVisible()
    said = view.notice.text.text()
    assert "An application from Sam Secretariat" in said and sealed.example.title in said
    assert arrived.exists()  # never deleted: it was not this person's to delete

    # the declaration is saved straight into the folder, named by date, kind, application and sender
    declare_none(qtbot, view)
    view.select(app_id)
    click(qtbot, view.overview.send_button)
    written = [p.name for p in shared.iterdir() if " declaration " in p.name]
    assert written == [f"{view.desk.today().__class__.today().isoformat()} declaration {app_id} Grace Adeyemi.pdbundle"]
    assert view.overview.send_result.text().startswith("Your declaration: Saved to the exchange folder")
    assert "sent" not in view.overview.send_result.text().lower()
    # and the next sync does not try to import what this person wrote
    assert exchange.pending(ws) == []


def test_enter_follows_a_focused_link_and_the_summary_never_takes_the_keys(qtbot, member_window, themed):
    window, view, _ws, _app_id = member_window
    window.activateWindow()
    qtbot.waitActive(window)
    declare_none(qtbot, view)
    window.activateWindow()
    qtbot.waitActive(window)
    window.tabs.setCurrentIndex(ASSESSMENT)
    view.assessment.show_tasks()
    link = view.assessment.tasks.rows["outcomes"].link
    link.setFocus()
    qtbot.keyClick(link, Qt.Key.Key_Return)
    step = view.assessment.steps["outcomes"]
    qtbot.waitUntil(lambda: view.assessment.currentWidget() is step, timeout=2000)

    # typing in a field while an error summary appears: the keys stay in the field
    edit = step.fields["rationale"].edit
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus, timeout=2000)
    step.errors.set_errors([("Choose how children's outcomes are likely to be affected", step.fields["rating"].focus_target)])
    qtbot.keyClicks(edit, "Stable")
    QtWidgets.QApplication.processEvents()
    assert edit.hasFocus() and edit.toPlainText() == "Stable"
    # the summary's link still moves to its field
    step.errors._links[0].setFocus()
    qtbot.keyClick(step.errors._links[0], Qt.Key.Key_Return)
    assert step.fields["rating"].focus_target.hasFocus()
    step.flush()  # the autosave of what was typed, before the profile closes


def test_cited_passages_are_reachable_by_tab_and_named_by_title(qtbot, member_window, themed):
    window, view, _ws, app_id = member_window
    declare_none(qtbot, view)
    window.tabs.setCurrentIndex(DOCUMENTS)
    docs = view.documents
    qtbot.waitUntil(lambda: docs.viewer.page_count() > 0)
    rects = find_in_page(docs.viewer.document, 0, "Local Safeguarding Children Partnership")[0][1]
    docs.desk.save_annotation(Annotation(application_id=app_id, document=docs.document, page=1, rects=rects,
                                         quote="Local Safeguarding Children Partnership", tag=AnnotationTag.OTHER))
    window.tabs.setCurrentIndex(ASSESSMENT)
    view.assessment.open_step("outcomes")
    step = view.assessment.steps["outcomes"]
    field = next(w for w in step.fields.values() if w._evidence)
    box = field._evidence[0][0]
    title = docs.doc_list.item(0).text()
    assert box.text() == f"{title}, page 1" and "documents/" not in box.text()
    # Tab from the control before reaches the checkbox (it used to be skipped)
    ids = list(step.fields)
    evidence_id = next(i for i, w in step.fields.items() if w is field)
    before = step.fields[ids[ids.index(evidence_id) - 1]].controls()[-1]
    assert _next_tab_stop(before) is box


def _next_tab_stop(start):
    """The control Tab moves to from ``start``: the next in the chain that takes Tab focus and is shown."""
    w = start.nextInFocusChain()
    while w is not start:
        if (w.focusPolicy() & Qt.FocusPolicy.TabFocus) and w.isVisible() and w.isEnabled() and w.focusProxy() is None:
            return w
        w = w.nextInFocusChain()
    return None


def test_drags_snap_to_whole_words_and_results_are_counted_in_words(qtbot, member_window):
    window, view, _ws, _app_id = member_window
    declare_none(qtbot, view)
    window.tabs.setCurrentIndex(DOCUMENTS)
    docs = view.documents
    qtbot.waitUntil(lambda: docs.viewer.page_count() > 0)
    [(_snippet, rects)] = find_in_page(docs.viewer.document, 0, "Local Safeguarding Children Partnership")[:1]
    quote, snapped = snap_to_words(docs.viewer.document, 0, "cal Safeguarding Children Partner", rects)
    assert quote == "Local Safeguarding Children Partnership" and snapped
    assert words.results(1, "pilot") == "1 result for “pilot”." and words.results(2, "x").startswith("2 results")

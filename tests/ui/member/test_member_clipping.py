"""Every member screen, at 1024×700, 1440×900 and 200% of 1920×1080: whole words everywhere.

See tests/ui/clipping.py for what counts as clipped and how 200% is checked.
"""

from __future__ import annotations

from conftest import click, with_dialog

from panel_desk.ui.member import text as words
from panel_desk.ui.member.view import ASSESSMENT, DOCUMENTS, OVERVIEW
from panel_desk.ui.qt import QtWidgets
from tests.ui.clipping import SIZES, check_dialog, check_everywhere, settle
from tests.ui.clipping import themed as themed  # the fixture


def test_no_member_screen_clips_its_words_at_any_size(qtbot, member_window, themed, sealed):
    window, view, ws, app_id = member_window
    found: list[str] = []

    # the declaration dialog after an error and after "Add another interest": it grows, fields stay usable
    def declaration(dialog):
        click(qtbot, dialog.save)  # nothing chosen: the error summary appears
        dialog.some.setChecked(True)
        click(qtbot, dialog.add)
        click(qtbot, dialog.save)  # interests without words: more errors
        found.extend(check_dialog(dialog, "the declaration dialog with errors and two interests"))
        dialog.none.setChecked(True)
        click(qtbot, dialog.save)

    with_dialog(qtbot, declaration)
    click(qtbot, view.overview.declare_button)
    assert ws.declaration(app_id) is not None

    assessment = view.assessment

    def tab(index):
        def show():
            window.tabs.setCurrentIndex(index)
        return show

    def step(name):
        def show():
            window.tabs.setCurrentIndex(ASSESSMENT)
            assessment.open_step(name)
        return show

    def check_answers():
        window.tabs.setCurrentIndex(ASSESSMENT)
        assessment.show_check()

    def documents_with_results():
        window.tabs.setCurrentIndex(DOCUMENTS)
        view.documents.find.setText("review")
        view.documents.search_application()

    assert ws.import_bundle(sealed.bundles["draft"]).recorded
    view.select(app_id)

    def signoff():
        window.tabs.setCurrentIndex(ASSESSMENT)
        assessment.show_draft()

    def confirmation():
        window.tabs.setCurrentIndex(ASSESSMENT)
        assessment.confirmation.show_sent(
            words.SENT_TITLE, "Revision 1 of your response",
            words.SENT_BODY.format(revision=1, authority="Wexmoor County Council", to="Sam Secretariat, the secretariat",
                                   saved="Saved to the exchange folder (/media/a-rather-long/shared-folder/for-the-panel) "
                                         "as 2026-11-29 response wexmoor-2026 Grace Adeyemi.pdbundle."),
            words.NEXT_STEPS_BODY)
        assessment.setCurrentWidget(assessment.confirmation)

    screens = [("Overview", tab(OVERVIEW)), ("Documents", documents_with_results),
               ("Draft advice to sign off", signoff), ("Confirmation", confirmation),
               ("Assessment tasks", lambda: (window.tabs.setCurrentIndex(ASSESSMENT), assessment.show_tasks())),
               *[(f"step {name}", step(name)) for name in assessment.steps],
               ("Check your answers", check_answers)]
    found.extend(check_everywhere(window, screens))
    assert found == [], "\n".join(found)


def test_the_window_fits_every_size_and_the_page_gets_the_room(qtbot, member_window, themed):
    window, view, ws, _app_id = member_window

    def none(dialog):
        dialog.none.setChecked(True)
        click(qtbot, dialog.save)

    with_dialog(qtbot, none)
    click(qtbot, view.overview.declare_button)
    window.tabs.setCurrentIndex(DOCUMENTS)
    hint = window.minimumSizeHint()
    smallest = min(SIZES.values())
    assert hint.width() <= smallest[0] and hint.height() <= smallest[1], hint
    # a long message (a saved highlight, a search) wraps in the pane; it never widens the window
    window.resize(1024, 700)
    settle()
    view.documents.find_status.setText(words.HIGHLIGHT_SAVED.format(page=12) * 4)
    settle()
    assert window.width() == 1024 and window.minimumSizeHint().width() <= smallest[0]
    window.resize(1440, 900)
    settle()
    page = view.documents.viewer.width()
    assert page >= 0.55 * 1440, f"the page is {page} px of 1440"
    # each rail folds away with one key, and the page takes the room
    docs = view.documents
    docs.show_documents.click()
    docs.show_highlights.click()
    window.list_action.trigger()
    settle()
    assert not docs.left_rail.isVisible() and not docs.right_rail.isVisible()
    assert not window.applications.isVisible()
    assert docs.viewer.width() >= 0.9 * 1440 - 64
    # remembered for this person
    assert ws.get_setting("layout.documents") == {"documents": False, "highlights": False}
    assert ws.get_setting("layout.applications") is False
    for w in (docs.show_documents, docs.show_highlights):
        w.click()
    window.list_action.trigger()
    assert isinstance(window.focusWidget(), (QtWidgets.QWidget, type(None)))

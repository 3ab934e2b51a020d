"""The member's screens driven through real widgets over an in-memory workspace."""

from __future__ import annotations

from datetime import date

from conftest import click, with_dialog

from panel_desk.core import rules
from panel_desk.core.model import AnnotationTag, DraftAdvice, SignOffKind
from panel_desk.ui.member import text as words
from panel_desk.ui.member.view import ASSESSMENT, DOCUMENTS, OVERVIEW
from panel_desk.ui.qt import Qt, QtCore, QtGui, QtWidgets
from panel_desk.ui.widgets import Banner

LEFT = Qt.MouseButton.LeftButton


def declare_none(qtbot, view):
    def fill(dialog):
        dialog.none.setChecked(True)
        click(qtbot, dialog.save)

    with_dialog(qtbot, fill)
    click(qtbot, view.overview.declare_button)


def test_cover_only_until_declared_with_the_statutory_clock(qtbot, member_window):
    window, view, ws = member_window
    app = next(iter(ws.apps.values()))
    assert window.tabs.currentIndex() == OVERVIEW
    assert not window.tabs.isTabEnabled(DOCUMENTS)
    check = rules.notice_check(app.dates.panel_asked, app.dates.regulations_intended)
    assert not check.meets_minimum
    banner = view.overview.findChild(Banner, "notice-banner")
    assert banner is not None and banner.text.text() == check.message()
    assert view.overview.summary.isHidden()
    item = window.applications.item(0)
    assert "Declare your interests" in item.data(Qt.ItemDataRole.AccessibleTextRole)
    assert rules.days_left_words(app.dates.advice_due, date.today()) in item.data(Qt.ItemDataRole.AccessibleTextRole)

    # Saving without choosing shows the error summary and keeps the dialog open
    seen = {}

    def first(dialog):
        click(qtbot, dialog.save)
        seen["errors"] = dialog.errors.accessibleName()
        seen["visible"] = dialog.isVisible()
        dialog.some.setChecked(True)
        dialog.rows[0].text.setText("I was a trustee of a charity in the area until 2024")
        dialog.rows[0].type.setCurrentIndex(dialog.rows[0].type.findData("professional"))
        click(qtbot, dialog.save)

    with_dialog(qtbot, first)
    click(qtbot, view.overview.declare_button)
    assert words.ERR_DECLARATION_CHOOSE in seen["errors"] and seen["visible"]
    decl = ws.declaration(app.id)
    assert decl.interests[0].text.startswith("I was a trustee") and decl.application_revision == app.revision
    assert window.tabs.isTabEnabled(DOCUMENTS)
    assert "You declared your interests on" in view.overview.gate_text.text()
    assert not view.overview.summary.isHidden()


def test_send_declaration_writes_the_bundle(qtbot, member_window, save_to):
    _window, view, _ws = member_window
    declare_none(qtbot, view)
    click(qtbot, view.overview.send_button)
    assert save_to and save_to[0].exists()
    assert str(save_to[0]) in view.overview.send_result.text()


def test_a_new_revision_asks_again(qtbot, member_window):
    window, view, ws = member_window
    declare_none(qtbot, view)
    app = next(iter(ws.apps.values()))
    ws.apps[app.id] = app.model_copy(update={"revision": 2, "revision_reason": "New risk assessment"})
    view.select(app.id)
    assert not window.tabs.isTabEnabled(DOCUMENTS)
    assert view.overview.gate_text.text() == words.DECLARE_AGAIN


def test_documents_highlight_find_and_undo(qtbot, member_window):
    window, view, ws = member_window
    declare_none(qtbot, view)
    window.tabs.setCurrentIndex(DOCUMENTS)
    docs = view.documents
    qtbot.waitUntil(lambda: docs.viewer.page_count() > 0)
    assert docs.thumbs.count() == docs.viewer.page_count()

    # drag across a line of text → the highlight dialog → a saved, private annotation
    page = docs.viewer.pages[0]
    hits = docs.viewer.document and __import__("panel_desk.ui.member.pdf", fromlist=["x"]).find_in_page(
        docs.viewer.document, 0, "Local Safeguarding Children Partnership")
    x0, y0, x1, y1 = hits[0][1][0]
    s = docs.viewer.scale
    start = QtCore.QPoint(int(x0 * s) + 1, int((y0 + y1) / 2 * s))
    end = QtCore.QPoint(int(x1 * s) - 1, int((y0 + y1) / 2 * s))

    def note(dialog):
        dialog.note.setPlainText("Who else was asked?")
        dialog.tag.setCurrentIndex(dialog.tag.findData("consultation"))
        click(qtbot, dialog.save)

    with_dialog(qtbot, note)
    qtbot.mousePress(page, LEFT, pos=start)
    qtbot.mouseMove(page, end)
    qtbot.mouseRelease(page, LEFT, pos=end)
    notes = ws.annotations(next(iter(ws.apps)))
    assert len(notes) == 1
    a = notes[0]
    assert "Safeguarding" in a.quote and a.tag is AnnotationTag.CONSULTATION and not a.shared
    assert a.note == "Who else was asked?" and a.page == 1 and a.rects
    assert docs.annotation_list.count() == 1
    assert any(m.key == a.id for m in docs.viewer.marks_for(0))

    # edit: share it
    docs.annotation_list.setCurrentRow(0)

    def share(dialog):
        dialog.shared.setChecked(True)
        click(qtbot, dialog.save)

    with_dialog(qtbot, share)
    click(qtbot, docs.edit_button)
    assert ws.annotations(a.application_id)[0].shared

    # delete, then undo
    docs.annotation_list.setCurrentRow(0)
    click(qtbot, docs.delete_button)
    assert ws.annotations(a.application_id) == []
    click(qtbot, docs.undo_button)
    assert [x.id for x in ws.annotations(a.application_id)] == [a.id]

    # find in the document (Ctrl+F, Enter) and across the application
    keys = {s.key().toString() for s in docs.findChildren(QtGui.QShortcut)}
    assert {"Ctrl+F", "Ctrl++", "Ctrl+-", "Ctrl+0"} <= keys
    docs.focus_find()  # what Ctrl+F does (offscreen, a closed dialog keeps the shortcut map's focus)
    qtbot.keyClicks(docs.find, "IRO")
    qtbot.keyClick(docs.find, Qt.Key.Key_Return)
    assert docs.find_status.text().startswith("Result 1 of")
    click(qtbot, docs.search_all)
    assert docs.results.count() >= 2
    item = docs.results.item(docs.results.count() - 1)
    docs._result_chosen(item)
    assert docs.document == item.data(Qt.ItemDataRole.UserRole)[0]

    # zoom with the keyboard, pages with PgDn/PgUp
    zoom = docs.viewer.zoom
    click(qtbot, docs.zoom_in)
    assert docs.viewer.zoom > zoom
    click(qtbot, docs.zoom_out)
    assert abs(docs.viewer.zoom - zoom) < 1e-6
    if docs.viewer.page_count() > 1:
        docs.viewer.go_to_page(0)
        qtbot.keyClick(docs.viewer, Qt.Key.Key_PageDown)
        assert docs.viewer.current_page() == 1


def answer_question(qtbot, step, rating: str, confidence: str, rationale: str) -> None:
    click(qtbot, step.fields["rating"].radios[rating])
    click(qtbot, step.fields["confidence"].radios[confidence])
    step.fields["rationale"].edit.setFocus()
    qtbot.keyClicks(step.fields["rationale"].edit, rationale)


def test_walkthrough_errors_autosave_check_and_send(qtbot, member_window, save_to):
    window, view, ws = member_window
    app_id = next(iter(ws.apps))
    window.tabs.setCurrentIndex(ASSESSMENT)
    tasks = view.assessment.tasks
    assert tasks.rows["declare"].status == words.NOT_STARTED
    assert tasks.rows["outcomes"].status == words.CANNOT_START
    assert [r.title for r in tasks.rows.values()] == [
        "Declare your interests", "Read the application", "Q1 Outcomes for children",
        "Q2 Monitoring arrangements", "Conditions and other advice", "Check and send"]

    def none(dialog):
        dialog.none.setChecked(True)
        click(qtbot, dialog.save)

    with_dialog(qtbot, none)
    click(qtbot, tasks.rows["declare"].link)
    window.tabs.setCurrentIndex(ASSESSMENT)
    view.assessment.show_tasks()
    assert tasks.rows["declare"].status == words.COMPLETED
    assert tasks.rows["outcomes"].status == words.NOT_STARTED

    click(qtbot, tasks.rows["outcomes"].link)
    step = view.assessment.steps["outcomes"]
    assert view.assessment.currentWidget() is step
    # prompts are details that link to the application's features
    assert not step.prompts[0].body.isVisible()
    click(qtbot, step.prompts[0].button)
    assert step.prompts[0].body.isVisible()
    # Save and continue with nothing: the error summary lists the form's own messages as links
    click(qtbot, step.continue_button)
    form = view.assessment.form.section("outcomes")
    missing = [f.error_missing for f in form.fields if f.required]
    assert step.errors.isVisible()
    assert [lbl.accessibleName() for lbl in step.errors._links] == missing
    step.errors._go("2")
    assert window.focusWidget() is step.fields["rationale"].edit
    assert step.fields["rating"].error.text() == missing[0]

    # typing autosaves within a second
    answer_question(qtbot, step, "improve", "medium", "Children keep a familiar reviewer.")
    qtbot.waitUntil(lambda: ws.answers(app_id).outcomes.rationale == "Children keep a familiar reviewer.",
                    timeout=1500)
    assert ws.answers(app_id).outcomes.rating == "improve"
    assert step.save_state.text() == words.SAVED
    click(qtbot, step.continue_button)
    q2 = view.assessment.steps["monitoring"]
    assert view.assessment.currentWidget() is q2
    answer_question(qtbot, q2, "sufficient_with_conditions", "high", "Monthly reports and audits.")
    click(qtbot, q2.continue_button)
    advice = view.assessment.steps["advice"]
    advice.fields["conditions"].edit.setPlainText("Report to the department each quarter")
    click(qtbot, advice.continue_button)
    check = view.assessment.check
    assert view.assessment.currentWidget() is check
    assert check.send_button.isEnabled()

    # Change goes back to the field
    qtbot.mouseClick(check.change_links[("outcomes", "rationale")], LEFT)
    assert view.assessment.currentWidget() is step
    qtbot.waitUntil(lambda: window.focusWidget() is step.fields["rationale"].edit)
    view.assessment.open_task("check")

    click(qtbot, check.send_button)
    qtbot.waitUntil(lambda: view.assessment.currentWidget() is view.assessment.confirmation, timeout=5000)
    conf = view.assessment.confirmation
    assert "Revision 1" in conf.panel.title.text() + conf.panel.body.text()
    assert save_to[-1].name in conf.details.text() and str(save_to[-1].parent) in conf.details.text()
    assert conf.next_heading.text() == words.NEXT_STEPS
    view.assessment.show_tasks()
    assert tasks.rows["check"].status == words.COMPLETED

    # editing after sending: sending again supersedes with revision 2
    step = view.assessment.open_step("outcomes")
    step.fields["rationale"].edit.setPlainText("Children keep a familiar reviewer, with a way back.")
    step.flush()
    view.assessment.show_tasks()
    assert tasks.rows["check"].status == words.IN_PROGRESS
    view.assessment.open_task("check")
    click(qtbot, view.assessment.check.send_button)
    qtbot.waitUntil(lambda: view.assessment.currentWidget() is view.assessment.confirmation, timeout=5000)
    assert [r.revision for r in ws.responses(app_id)] == [1, 2]


def test_evidence_comes_from_highlights(qtbot, member_window):
    window, view, ws = member_window
    declare_none(qtbot, view)
    app_id = next(iter(ws.apps))
    view.documents.open_document(ws.apps[app_id].documents[0].path)
    view.documents.add_annotation(1, "46 children in long-term placements", [(100, 100, 200, 110)],
                                  tag=AnnotationTag.OUTCOMES)
    window.tabs.setCurrentIndex(ASSESSMENT)
    step = view.assessment.open_step("outcomes")
    boxes = step.fields["evidence"]._evidence
    assert len(boxes) == 1
    click(qtbot, boxes[0][0])
    step.flush()
    ev = ws.answers(app_id).outcomes.evidence
    assert ev[0].quote == "46 children in long-term placements" and ev[0].page == 1


def test_draft_advice_dissent(qtbot, member_window, save_to):
    window, view, ws = member_window
    declare_none(qtbot, view)
    app_id = next(iter(ws.apps))
    ws.drafts[app_id] = DraftAdvice(application_id=app_id, revision=1, summary="Wexmoor asks…",
                                    outcomes="Likely to improve.", monitoring="Sufficient with conditions.")
    view.select(app_id)
    window.tabs.setCurrentIndex(ASSESSMENT)
    click(qtbot, view.assessment.tasks.rows["draft"].link)
    page = view.assessment.signoff
    assert view.assessment.currentWidget() is page
    click(qtbot, page.send_button)
    assert words.ERR_SIGNOFF_CHOOSE in page.errors.accessibleName()
    click(qtbot, page.dissent)
    assert page.text_box.isVisible()
    click(qtbot, page.send_button)
    assert words.ERR_SIGNOFF_DISSENT in page.errors.accessibleName()
    page.text.setPlainText("The route back for families is not strong enough.")
    click(qtbot, page.by_role)
    click(qtbot, page.send_button)
    s = ws.settings["signoff"]
    assert s.kind is SignOffKind.DISSENT and s.attribute.value == "role"
    assert view.assessment.currentWidget() is view.assessment.confirmation
    assert view.assessment.confirmation.panel.title.text() == words.SIGNOFF_SENT_TITLE


def test_every_control_has_an_accessible_name(qtbot, member_window):
    window, view, _ws = member_window
    declare_none(qtbot, view)
    for i in range(3):
        window.tabs.setCurrentIndex(i)
    view.assessment.open_step("outcomes")
    unnamed = [w for w in window.findChildren(QtWidgets.QAbstractButton) + window.findChildren(QtWidgets.QLineEdit)
               + window.findChildren(QtWidgets.QPlainTextEdit) + window.findChildren(QtWidgets.QComboBox)
               if w.isVisibleTo(window) and not w.accessibleName() and not getattr(w, "text", lambda: "")()]
    assert unnamed == []


def test_keyboard_order_follows_the_page(qtbot, member_window):
    """Tab walks a question step top to bottom: back, prompts, rating, confidence, texts, continue."""
    window, view, _ws = member_window
    declare_none(qtbot, view)
    window.tabs.setCurrentIndex(ASSESSMENT)
    step = view.assessment.open_step("outcomes")
    qtbot.waitUntil(step.back_link.isVisible)
    chain, w = [], step.back_link
    for _ in range(200):
        if w.isVisible() and w.focusPolicy() & Qt.FocusPolicy.TabFocus and step.isAncestorOf(w):
            chain.append(w)
        w = w.nextInFocusChain()
        if w is step.back_link:
            break
    wanted = [step.back_link, step.prompts[0].button, step.fields["rating"].focus_target,
              step.fields["confidence"].focus_target, step.fields["rationale"].edit,
              step.fields["internal_note"].edit, step.continue_button]
    positions = [chain.index(x) for x in wanted]
    assert positions == sorted(positions)

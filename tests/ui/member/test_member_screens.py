"""The member's screens driven through real widgets over a real profile and real sealed bundles.

Each test has a member profile of its own (see conftest.py); what the screens save is read back
from that profile, and what they send is opened as the secretariat would open it.
"""

from __future__ import annotations

from conftest import ANNEX_PAGES, PASSPHRASE, click, with_dialog

from panel_desk.core.bundle import Kind
from panel_desk.core.model import AnnotationTag, Attribution, InterestType, SignOffKind
from panel_desk.core.store import open_profile
from panel_desk.ui.member import text as words
from panel_desk.ui.member.pdf import find_in_page
from panel_desk.ui.member.view import ASSESSMENT, DOCUMENTS, OVERVIEW
from panel_desk.ui.qt import Qt, QtCore, QtGui, QtWidgets
from panel_desk.ui.widgets import Banner

LEFT = Qt.MouseButton.LeftButton
SHORT_NOTICE_WORDS = ("The panel was asked 37 days before the regulations are due. "
                      "The minimum is 42 days, so this is 5 days short.")


def declare_none(qtbot, view):
    def fill(dialog):
        dialog.none.setChecked(True)
        click(qtbot, dialog.save)

    with_dialog(qtbot, fill)
    click(qtbot, view.overview.declare_button)


def list_words(window) -> str:
    return window.applications.item(0).data(Qt.ItemDataRole.AccessibleTextRole)


def cover_value(view, key: str) -> str:
    """The words of one row of the cover, as a screen reader reads them."""
    grid = view.overview.cover.layout()  # the rows now shown (replaced ones await deletion)
    names = [grid.itemAtPosition(r, 1).widget().accessibleName() for r in range(grid.rowCount())
             if grid.itemAtPosition(r, 1) is not None]
    return next(n.removeprefix(f"{key}: ") for n in names if n.startswith(f"{key}: "))


def test_cover_says_the_bundle_is_post_quantum(qtbot, member_window):
    """Everyone on this panel has post-quantum keys, so the application came with hybrid encryption only."""
    view = member_window[1]
    assert cover_value(view, "Encryption").startswith("Post-quantum (ML-KEM-768 + X25519)")


def test_cover_only_until_declared_with_the_statutory_clock(qtbot, member_window):
    window, view, ws, app_id = member_window
    assert window.tabs.currentIndex() == OVERVIEW
    assert not window.tabs.isTabEnabled(DOCUMENTS)
    banner = view.overview.findChild(Banner, "notice-banner")
    assert banner is not None and banner.isVisible()
    assert banner.text.text() == SHORT_NOTICE_WORDS
    assert view.overview.summary.isHidden()
    assert view.overview.gate_text.text() == words.COVER_HIDDEN
    assert "Declare your interests" in list_words(window)
    assert "23 days left to advise" in list_words(window)  # advice due 4 November; the desk's today is 12 October
    assert "sent to 2 people, including you" in cover_value(view, words.PANEL)  # the bundle's own recipients

    # Saving without choosing, then choosing "some" without words: each shows its error and keeps the dialog open
    seen = {}

    def first(dialog):
        click(qtbot, dialog.save)
        seen["choose"] = dialog.errors.accessibleName()
        dialog.some.setChecked(True)
        click(qtbot, dialog.save)
        seen["text"] = dialog.errors.accessibleName()
        seen["visible"] = dialog.isVisible()
        dialog.rows[0].text.setText("I was a trustee of a charity in the area until 2024")
        dialog.rows[0].type.setCurrentIndex(dialog.rows[0].type.findData("professional"))
        click(qtbot, dialog.save)

    with_dialog(qtbot, first)
    click(qtbot, view.overview.declare_button)
    assert words.ERR_DECLARATION_CHOOSE in seen["choose"]
    assert words.ERR_INTEREST_TEXT in seen["text"] and seen["visible"]
    decl = ws.declaration(app_id)
    assert decl is not None and not decl.none_to_declare
    assert [(i.type, i.text) for i in decl.interests] == [
        (InterestType.PROFESSIONAL, "I was a trustee of a charity in the area until 2024")]
    assert decl.application_revision == 1
    assert window.tabs.isTabEnabled(DOCUMENTS)
    assert "You declared your interests on" in view.overview.gate_text.text()
    assert not view.overview.summary.isHidden()
    assert "In review" in list_words(window)


def test_enough_notice_shows_no_banner(qtbot, member_profile, open_window, sealed):
    window, view, _ws, app_id = open_window(member_profile("example"))
    assert app_id == sealed.example.id
    assert "Wexmoor" in view.overview.caption.text()
    assert view.overview.findChild(Banner, "notice-banner") is None
    assert "56 days left to advise" in list_words(window)  # due 7 December


def test_send_declaration_writes_a_bundle_the_secretariat_can_open(qtbot, member_window, save_to, sealed):
    _window, view, ws, app_id = member_window
    declare_none(qtbot, view)
    click(qtbot, view.overview.send_button)
    assert len(save_to) == 1 and save_to[0].exists()
    assert str(save_to[0]) in view.overview.send_result.text()
    with sealed.open_sent(save_to[0]) as opened:
        assert opened.manifest.kind is Kind.DECLARATION
        assert opened.payload.none_to_declare and opened.payload.application_id == app_id
        assert opened.payload.member == ws.fingerprint


def test_a_new_revision_asks_again(qtbot, member_window, sealed):
    window, view, ws, app_id = member_window
    declare_none(qtbot, view)
    assert window.tabs.isTabEnabled(DOCUMENTS)
    with qtbot.waitSignal(view.imported, timeout=10000) as got:
        window.files_dropped.emit([str(sealed.bundles["short-rev2"])])
    assert got.args[0].status == "superseded", got.args[0].message
    assert view.app_id == app_id and ws.application(app_id).revision == 2
    assert not window.tabs.isTabEnabled(DOCUMENTS)
    assert view.overview.gate_text.text() == words.DECLARE_AGAIN
    assert cover_value(view, "Revision") == "2: New risk assessment"
    assert ws.declaration(app_id) is None
    declare_none(qtbot, view)
    assert ws.declaration(app_id).application_revision == 2
    assert window.tabs.isTabEnabled(DOCUMENTS)


def test_documents_highlight_edit_undo_find_search_zoom(qtbot, member_window):
    window, view, ws, app_id = member_window
    declare_none(qtbot, view)
    window.tabs.setCurrentIndex(DOCUMENTS)
    docs = view.documents
    qtbot.waitUntil(lambda: docs.viewer.page_count() > 0)
    assert docs.document == "documents/application.pdf"
    assert docs.thumbs.count() == docs.viewer.page_count()

    # drag across a line of text → the highlight dialog → a saved, private annotation
    page = docs.viewer.pages[0]
    x0, y0, x1, y1 = find_in_page(docs.viewer.document, 0, "Local Safeguarding Children Partnership")[0][1][0]
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
    notes = ws.annotations(app_id)
    assert len(notes) == 1
    a = notes[0]
    assert "Safeguarding" in a.quote and a.tag is AnnotationTag.CONSULTATION and not a.shared
    assert a.note == "Who else was asked?" and a.page == 1 and a.document == "documents/application.pdf" and a.rects
    assert docs.annotation_list.count() == 1
    assert any(m.key == a.id for m in docs.viewer.marks_for(0))

    # edit: share it
    docs.annotation_list.setCurrentRow(0)

    def share(dialog):
        dialog.shared.setChecked(True)
        click(qtbot, dialog.save)

    with_dialog(qtbot, share)
    click(qtbot, docs.edit_button)
    assert [(x.id, x.shared) for x in ws.annotations(app_id)] == [(a.id, True)]

    # delete, then undo
    docs.annotation_list.setCurrentRow(0)
    click(qtbot, docs.delete_button)
    assert ws.annotations(app_id) == []
    assert docs.annotation_list.count() == 0
    click(qtbot, docs.undo_button)
    assert [(x.id, x.note, x.shared) for x in ws.annotations(app_id)] == [(a.id, a.note, True)]

    # find in the document (Ctrl+F, Enter) and across the application (the profile's page index)
    keys = {sc.key().toString() for sc in docs.findChildren(QtGui.QShortcut)}
    assert {"Ctrl+F", "Ctrl++", "Ctrl+-", "Ctrl+0"} <= keys
    docs.focus_find()  # what Ctrl+F does (offscreen, a closed dialog keeps the shortcut map's focus)
    qtbot.keyClicks(docs.find, "IRO")
    qtbot.keyClick(docs.find, Qt.Key.Key_Return)
    assert docs.find_status.text().startswith("Result 1 of")
    click(qtbot, docs.search_all)
    found = {docs.results.item(i).data(Qt.ItemDataRole.UserRole)[0] for i in range(docs.results.count())}
    assert {"documents/application.pdf", "documents/risk-assessment.pdf"} <= found
    item = next(docs.results.item(i) for i in range(docs.results.count())
                if docs.results.item(i).data(Qt.ItemDataRole.UserRole)[0] == "documents/risk-assessment.pdf")
    docs.results.scrollToItem(item)
    qtbot.mouseClick(docs.results.viewport(), LEFT, pos=docs.results.visualItemRect(item).center())
    assert docs.document == "documents/risk-assessment.pdf"
    assert docs.doc_list.currentItem().data(Qt.ItemDataRole.UserRole) == "documents/risk-assessment.pdf"

    # a hit on page 2 of another document opens that document at page 2
    docs.find.clear()
    qtbot.keyClicks(docs.find, "pilot")
    click(qtbot, docs.search_all)
    assert docs.results.count() == 1
    item = docs.results.item(0)
    assert item.data(Qt.ItemDataRole.UserRole) == ("documents/supporting-evidence.pdf", 2)
    qtbot.mouseClick(docs.results.viewport(), LEFT, pos=docs.results.visualItemRect(item).center())
    assert docs.document == "documents/supporting-evidence.pdf"
    assert docs.viewer.current_page() == 1
    qtbot.wait(50)  # and still there once the new pages have been laid out and painted
    assert docs.viewer.current_page() == 1
    docs.doc_list.setCurrentRow(0)
    assert docs.document == "documents/application.pdf"

    # zoom in and out, then page through the 3-page annex with PgDn/PgUp
    zoom = docs.viewer.zoom
    click(qtbot, docs.zoom_in)
    assert docs.viewer.zoom > zoom
    click(qtbot, docs.zoom_out)
    assert abs(docs.viewer.zoom - zoom) < 1e-6
    annex = docs.doc_list.findItems("Supporting evidence", Qt.MatchFlag.MatchStartsWith)[0]
    qtbot.mouseClick(docs.doc_list.viewport(), LEFT, pos=docs.doc_list.visualItemRect(annex).center())
    assert docs.document == "documents/supporting-evidence.pdf"
    assert docs.viewer.page_count() == ANNEX_PAGES == docs.thumbs.count()
    assert docs.viewer.current_page() == 0
    docs.viewer.setFocus()
    qtbot.keyClick(docs.viewer, Qt.Key.Key_PageDown)
    assert docs.viewer.current_page() == 1
    qtbot.keyClick(docs.viewer, Qt.Key.Key_PageUp)
    assert docs.viewer.current_page() == 0


def answer_question(qtbot, step, rating: str, confidence: str, rationale: str) -> None:
    click(qtbot, step.fields["rating"].radios[rating])
    click(qtbot, step.fields["confidence"].radios[confidence])
    step.fields["rationale"].edit.setFocus()
    qtbot.keyClicks(step.fields["rationale"].edit, rationale)


def test_walkthrough_errors_autosave_change_and_send_twice(qtbot, member_window, save_to, sealed):
    window, view, ws, app_id = member_window
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
    assert ws.declaration(app_id).none_to_declare
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
    assert view.assessment.currentWidget() is step
    form = view.assessment.form.section("outcomes")
    missing = [f.error_missing for f in form.fields if f.required]
    assert step.errors.isVisible()
    assert [lbl.accessibleName() for lbl in step.errors._links] == missing
    step.errors._go("2")
    assert window.focusWidget() is step.fields["rationale"].edit
    assert step.fields["rating"].error.text() == missing[0]

    # typing autosaves within a second, durably: a second opening of the profile reads it from disk
    answer_question(qtbot, step, "improve", "medium", "Children keep a familiar reviewer.")
    qtbot.waitUntil(lambda: ws.answers(app_id).outcomes.rationale == "Children keep a familiar reviewer.",
                    timeout=1500)
    assert step.save_state.text() == words.SAVED
    with open_profile(ws.profile_dir, PASSPHRASE) as again:
        saved = again.answers(app_id).outcomes
    assert (saved.rating, saved.confidence, saved.rationale) == ("improve", "medium",
                                                                 "Children keep a familiar reviewer.")
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
    assert ws.answers(app_id).conditions == ["Report to the department each quarter"]
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
    assert "Sam Secretariat, the secretariat" in conf.details.text()
    assert conf.next_heading.text() == words.NEXT_STEPS
    view.assessment.show_tasks()
    assert tasks.rows["check"].status == words.COMPLETED
    assert "Response sent" in list_words(window)

    # editing after sending: sending again supersedes with revision 2
    step = view.assessment.open_step("outcomes")
    step.fields["rationale"].edit.setPlainText("Children keep a familiar reviewer, with a way back.")
    step.flush()
    view.assessment.show_tasks()
    assert tasks.rows["check"].status == words.IN_PROGRESS
    view.assessment.open_task("check")
    click(qtbot, view.assessment.check.send_button)
    qtbot.waitUntil(lambda: view.assessment.currentWidget() is view.assessment.confirmation, timeout=5000)
    assert "Revision 2" in conf.panel.title.text() + conf.panel.body.text()
    assert [r.revision for r in ws.responses(app_id, all_revisions=True)] == [1, 2]
    assert [r.revision for r in ws.responses(app_id)] == [2]
    with sealed.open_sent(save_to[-1]) as opened:
        assert opened.manifest.kind is Kind.RESPONSE and opened.manifest.revision == 2
        sent = opened.payload.answers
    assert sent.outcomes.rationale == "Children keep a familiar reviewer, with a way back."
    assert sent.monitoring.rating == "sufficient_with_conditions"


def test_evidence_comes_from_highlights(qtbot, member_window):
    window, view, ws, app_id = member_window
    declare_none(qtbot, view)
    window.tabs.setCurrentIndex(DOCUMENTS)
    docs = view.documents
    qtbot.waitUntil(lambda: docs.viewer.page_count() > 0)
    quote = "46 children in long-term placements"
    rects = find_in_page(docs.viewer.document, 0, quote)[0][1]
    docs.add_annotation(1, quote, rects, tag=AnnotationTag.OUTCOMES)
    docs.add_annotation(1, "the IRO service", find_in_page(docs.viewer.document, 0, "the IRO service")[0][1],
                        tag=AnnotationTag.CAPABILITY)
    window.tabs.setCurrentIndex(ASSESSMENT)
    step = view.assessment.open_step("outcomes")
    boxes = dict((e.quote, box) for box, e in step.fields["evidence"]._evidence)
    assert set(boxes) == {quote, "the IRO service"}  # every highlight may be cited
    click(qtbot, boxes[quote])
    step.flush()
    ev = ws.answers(app_id).outcomes.evidence
    assert [(e.document, e.page, e.quote) for e in ev] == [("documents/application.pdf", 1, quote)]


def test_draft_advice_dissent(qtbot, member_window, save_to, sealed):
    window, view, ws, app_id = member_window
    declare_none(qtbot, view)
    result = ws.import_bundle(sealed.bundles["draft"])
    assert result.recorded, result.message
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
    assert save_to == []  # nothing was sealed while the form had errors
    page.text.setPlainText("The route back for families is not strong enough.")
    click(qtbot, page.by_role)
    click(qtbot, page.send_button)
    assert view.assessment.currentWidget() is view.assessment.confirmation
    assert view.assessment.confirmation.panel.title.text() == words.SIGNOFF_SENT_TITLE
    [mine] = ws.signoffs(app_id)
    assert (mine.kind, mine.attribute, mine.draft_revision) == (SignOffKind.DISSENT, Attribution.ROLE, 1)
    with sealed.open_sent(save_to[-1]) as opened:
        assert opened.manifest.kind is Kind.SIGNOFF
        assert opened.payload.text == "The route back for families is not strong enough."
    assert "Signed off" in list_words(window)


def test_every_control_has_an_accessible_name(qtbot, member_window):
    window, view, _ws, _app_id = member_window
    declare_none(qtbot, view)
    for i in range(3):
        window.tabs.setCurrentIndex(i)
    view.assessment.open_step("outcomes")
    controls = (window.findChildren(QtWidgets.QAbstractButton) + window.findChildren(QtWidgets.QLineEdit)
                + window.findChildren(QtWidgets.QPlainTextEdit) + window.findChildren(QtWidgets.QComboBox))
    shown = [w for w in controls if w.isVisibleTo(window)]
    assert len(shown) > 20  # the check looks at a filled window, not an empty one
    unnamed = [w for w in shown if not w.accessibleName() and not getattr(w, "text", lambda: "")()]
    assert unnamed == []


def test_keyboard_order_follows_the_page(qtbot, member_window):
    """Tab walks a question step top to bottom: back, prompts, rating, confidence, texts, continue."""
    window, view, _ws, _app_id = member_window
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

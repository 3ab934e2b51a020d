"""A member from the unlock page to a sent response with the keyboard alone (DESIGN.md §7).

Every action is a key event sent to the widget that has focus (``QApplication.focusWidget()``):
no mouse, no slot called, no value set. At each stop the focused control must be visible, have an
accessible name, and be drawn with the yellow GOV.UK focus style (UX.md "Focus is always visible").

Two things come from outside the window, as they would for a person:
- the bundles arrive on the command line (``AppFlow(open_paths=…)``), as a native file dialog is
  not part of the app;
- the file to send is named through ``_parts.ask_save_path`` (the ``save_to`` fixture), the hook
  every member test uses: on a desktop it is the platform's own save dialog, which is not Qt's
  to drive and cannot be shown offscreen.
"""

from __future__ import annotations

import time

import pytest
from conftest import PASSPHRASE, TODAY, WORK_FACTOR

from panel_desk.core.model import AnnotationTag
from panel_desk.core.store import init_profile
from panel_desk.ui import theme
from panel_desk.ui.app import AppFlow
from panel_desk.ui.main_window import MainWindow
from panel_desk.ui.member import text as words
from panel_desk.ui.member._desk import MemberDesk
from panel_desk.ui.member.view import ASSESSMENT, DOCUMENTS, OVERVIEW
from panel_desk.ui.onboarding import UnlockPage
from panel_desk.ui.qt import Qt, QtCore, QtGui, QtWidgets

K = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
YELLOW = QtGui.QColor(theme.FOCUS)


def focused() -> QtWidgets.QWidget | None:
    return QtWidgets.QApplication.focusWidget()


def accessible_name(w: QtWidgets.QWidget) -> str:
    if w.accessibleName():
        return w.accessibleName()
    if isinstance(w, QtWidgets.QAbstractButton):
        return w.text()
    if isinstance(w, QtWidgets.QTabBar):
        return w.tabText(w.currentIndex())
    return ""


def _has_yellow(img: QtGui.QImage) -> bool:
    for y in range(0, img.height(), 2):
        for x in range(0, img.width(), 2):
            if img.pixelColor(x, y) == YELLOW:
                return True
    return False


def focus_is_shown(w: QtWidgets.QWidget) -> bool:
    """The control is drawn with the focus style: yellow behind a button, radio, checkbox or tab;
    the 3 px black frame (instead of 2 px) around a field or list."""
    img = w.grab().toImage()
    if isinstance(w, (QtWidgets.QAbstractButton, QtWidgets.QTabBar, QtWidgets.QLabel)):
        return _has_yellow(img)
    y = img.height() // 2
    return all(img.pixelColor(x, y).lightness() < 60 for x in range(3))


def step(qtbot, what: str, expect=None) -> QtWidgets.QWidget:
    """Check the focused control is sensible (visible, named, shown as focused); return it."""
    qtbot.waitUntil(lambda: focused() is not None and (expect is None or focused() is expect), timeout=3000)
    w = focused()
    assert w.isVisible() and w.width() > 0 and w.height() > 0, f"{what}: focus on a hidden {w!r}"
    assert accessible_name(w), f"{what}: focus on {w!r} with no accessible name"
    assert focus_is_shown(w), f"{what}: {accessible_name(w)!r} does not show the focus style"
    return w


def key(qtbot, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), k, modifier)


def type_text(qtbot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def tab_to(qtbot, target: QtWidgets.QWidget, what: str, *, back: bool = False, limit: int = 40) -> None:
    """Press Tab (or Shift+Tab) until ``target`` has focus, checking every stop on the way."""
    for _ in range(limit):
        if focused() is target:
            step(qtbot, what, target)
            return
        key(qtbot, K.Key_Backtab if back else K.Key_Tab, SHIFT if back else Qt.KeyboardModifier.NoModifier)
        step(qtbot, f"{what} (on the way)")
    raise AssertionError(f"{what}: Tab never reached {accessible_name(target)!r}")


def with_dialog(qtbot, action) -> None:
    """Run ``action(dialog)`` once the next modal dialog is shown (its exec() blocks the test).

    If ``action`` fails, the dialog is closed so the test reports the failure instead of hanging."""
    def poll():
        dialog = QtWidgets.QApplication.activeModalWidget()
        if isinstance(dialog, QtWidgets.QDialog) and dialog.isVisible() and dialog.isActiveWindow():
            try:
                action(dialog)
            except BaseException:
                dialog.reject()
                raise
        else:
            QtCore.QTimer.singleShot(10, poll)

    QtCore.QTimer.singleShot(0, poll)


@pytest.fixture
def themed(qapp):
    """The app's own look (the focus style is in its style sheet), undone afterwards for other tests."""
    font, palette = qapp.font(), qapp.palette()
    theme.apply_theme(qapp)
    yield qapp
    qapp.setStyleSheet("")
    qapp.setFont(font)
    qapp.setPalette(palette)


def back_to(qtbot, window) -> None:
    """The window manager's part when a modal dialog closes: the window is active again (the
    offscreen platform leaves no window active). Focus is wherever the app left it."""
    window.activateWindow()
    qtbot.waitActive(window)


def test_a_member_sends_a_response_with_the_keyboard_alone(qtbot, themed, sealed, tmp_path, save_to):
    started = time.monotonic()
    profile = tmp_path / "member"
    init_profile(profile, sealed.member_file, PASSPHRASE, trusted=[sealed.secretariat.card]).close()
    window = MainWindow(profile)
    qtbot.addWidget(window)
    window.resize(1280, 860)
    flow = AppFlow(window, profile, work_factor=WORK_FACTOR, today=lambda: TODAY,
                   open_paths=[sealed.bundles["example"], sealed.bundles["short"]])
    window.show()
    qtbot.waitActive(window)

    # --- unlock: the passphrase field has focus; type, Enter ------------------------------------
    unlock = flow.gate
    assert isinstance(unlock, UnlockPage)
    step(qtbot, "unlock page", unlock.passphrase)
    type_text(qtbot, PASSPHRASE)
    key(qtbot, K.Key_Return)
    qtbot.waitUntil(lambda: not window.gated() and flow.view is not None, timeout=10000)
    view = flow.view
    step(qtbot, "unlocked", window.applications)
    qtbot.waitUntil(lambda: window.applications.count() == 2 and view._task is None
                    and view.app_id == sealed.short.id, timeout=10000)

    # --- the applications list: arrows choose ------------------------------------------------
    lst = window.applications
    step(qtbot, "the files from the command line are open", lst)
    ids = [lst.item(i).data(Qt.ItemDataRole.UserRole) for i in range(2)]
    other = ids[1 - ids.index(sealed.short.id)]
    key(qtbot, K.Key_Down if ids.index(other) == 1 else K.Key_Up)
    qtbot.waitUntil(lambda: view.app_id == other)
    key(qtbot, K.Key_Up if ids.index(other) == 1 else K.Key_Down)
    qtbot.waitUntil(lambda: view.app_id == sealed.short.id)
    step(qtbot, "list", lst)
    assert window.tabs.currentIndex() == OVERVIEW and not window.tabs.isTabEnabled(DOCUMENTS)
    # Ctrl+Tab works from the list too, and skips Documents while it is closed
    key(qtbot, K.Key_Tab, CTRL)
    assert window.tabs.currentIndex() == ASSESSMENT
    key(qtbot, K.Key_Backtab, CTRL | SHIFT)
    assert window.tabs.currentIndex() == OVERVIEW
    step(qtbot, "list, after switching tabs", lst)

    # --- declare: Tab to the button, Space; the dialog by Space, Tab and Enter --------------------
    tab_to(qtbot, view.overview.declare_button, "declare button")

    def declare(dialog):
        step(qtbot, "declaration dialog opens", dialog.none)
        key(qtbot, K.Key_Space)
        assert dialog.none.isChecked()
        tab_to(qtbot, dialog.save, "save declaration")
        key(qtbot, K.Key_Return)

    with_dialog(qtbot, declare)
    key(qtbot, K.Key_Space)
    qtbot.waitUntil(lambda: window.tabs.isTabEnabled(DOCUMENTS))
    back_to(qtbot, window)
    step(qtbot, "back from the declaration", view.overview.declare_button)

    # --- tabs: the tab bar's arrows to Documents, Ctrl+Tab to Assessment --------------------------
    tab_to(qtbot, window.tabs.tabBar(), "the tab bar", back=True)
    key(qtbot, K.Key_Right)
    assert window.tabs.currentIndex() == DOCUMENTS
    step(qtbot, "Documents on the tab bar", window.tabs.tabBar())
    key(qtbot, K.Key_Tab, CTRL)
    assert window.tabs.currentIndex() == ASSESSMENT
    assessment = view.assessment
    step(qtbot, "assessment tab", window.tabs.tabBar())

    # --- the task list: Q1 -------------------------------------------------------------------
    tab_to(qtbot, assessment.tasks.rows["outcomes"].link, "Q1 in the task list")
    key(qtbot, K.Key_Space)
    q1 = assessment.steps["outcomes"]
    qtbot.waitUntil(lambda: assessment.currentWidget() is q1)
    step(qtbot, "Q1 opens", q1.scroll)
    # a prompt opens with Space, and its link to the application is the next Tab stop
    prompt = q1.prompts[0]
    tab_to(qtbot, prompt.button, "first prompt")
    key(qtbot, K.Key_Space)
    assert prompt.is_open()
    tab_to(qtbot, prompt.link, "the prompt's link to the application")

    # nothing answered yet: Save and continue shows the error summary, whose links lead to the fields
    tab_to(qtbot, q1.continue_button, "Q1 save and continue, nothing answered")
    key(qtbot, K.Key_Space)
    qtbot.waitUntil(q1.errors.isVisible)
    step(qtbot, "the error summary", q1.errors)
    key(qtbot, K.Key_Tab)
    step(qtbot, "the first error", q1.errors._links[0])
    key(qtbot, K.Key_Return)
    step(qtbot, "the field with the first error", next(iter(q1.fields["rating"].radios.values())))

    def answer(step_, rating: str, confidence: str, rationale: str) -> None:
        fields = step_.fields
        radios = list(fields["rating"].radios.values())
        tab_to(qtbot, radios[0], f"{step_.section.id}: rating")
        for _ in range(list(fields["rating"].radios).index(rating)):
            key(qtbot, K.Key_Down)
        key(qtbot, K.Key_Space)
        step(qtbot, f"{step_.section.id}: rating chosen", fields["rating"].radios[rating])
        assert fields["rating"].value() == rating
        key(qtbot, K.Key_Tab)  # out of the group, to the next question's first choice
        step(qtbot, f"{step_.section.id}: confidence", next(iter(fields["confidence"].radios.values())))
        for _ in range(list(fields["confidence"].radios).index(confidence)):
            key(qtbot, K.Key_Down)
        key(qtbot, K.Key_Space)
        assert fields["confidence"].value() == confidence
        key(qtbot, K.Key_Tab)
        step(qtbot, f"{step_.section.id}: rationale", fields["rationale"].edit)
        type_text(qtbot, rationale)
        key(qtbot, K.Key_Tab)
        step(qtbot, f"{step_.section.id}: internal note", fields["internal_note"].edit)
        tab_to(qtbot, step_.continue_button, f"{step_.section.id}: save and continue")
        key(qtbot, K.Key_Space)

    answer(q1, "improve", "medium", "Children keep a reviewer they know, with a way back.")
    q2 = assessment.steps["monitoring"]
    qtbot.waitUntil(lambda: assessment.currentWidget() is q2)
    step(qtbot, "Q2 opens", q2.scroll)
    answer(q2, "sufficient", "high", "Monthly reports to elected members and quarterly audits.")
    advice = assessment.steps["advice"]
    qtbot.waitUntil(lambda: assessment.currentWidget() is advice)
    step(qtbot, "conditions opens", advice.scroll)
    tab_to(qtbot, advice.continue_button, "conditions: save and continue")
    key(qtbot, K.Key_Space)

    # --- check your answers, send ---------------------------------------------------------------
    check = assessment.check
    qtbot.waitUntil(lambda: assessment.currentWidget() is check)
    step(qtbot, "check your answers opens", check.scroll)
    tab_to(qtbot, check.change_links[("outcomes", "rationale")], "a Change link")
    tab_to(qtbot, check.send_button, "send")
    key(qtbot, K.Key_Space)
    confirmation = assessment.confirmation
    qtbot.waitUntil(lambda: assessment.currentWidget() is confirmation, timeout=10000)
    assert save_to and save_to[-1].exists() and save_to[-1].name in confirmation.details.text()
    step(qtbot, "confirmation", confirmation.back_button)
    assert assessment.tasks.rows["check"].status == words.COMPLETED

    # --- Help › Keyboard shortcuts (F1) lists the keys this walk used ------------------------------
    listed: list[str] = []

    def read_shortcuts(box):
        listed.append(box.text())
        step(qtbot, "the shortcuts box")
        key(qtbot, K.Key_Escape)

    with_dialog(qtbot, read_shortcuts)
    key(qtbot, K.Key_F1)
    assert listed, "F1 did not open Help › Keyboard shortcuts"
    for keys in ("Ctrl+Tab", "Ctrl+Shift+Tab", "Tab, Shift+Tab", "Space", "Arrow keys", "Enter", "Esc", "F1"):
        assert f"<b>{keys}</b>" in listed[0], f"{keys} is not in Help › Keyboard shortcuts"
    back_to(qtbot, window)
    step(qtbot, "back from the shortcuts", confirmation.back_button)
    assert time.monotonic() - started < 20


# --- Documents: a highlight by keyboard (find the words, then Ctrl+M) ----------------------------

PHRASE = "Local Safeguarding Children Partnership"  # as the example's application.pdf has it, page 1


@pytest.fixture
def documents_by_keyboard(qtbot, themed, member_profile, open_window):
    """The example application, interests declared (through the store, as in the other tests), the
    window active and its Documents tab chosen with Ctrl+Tab; focus in the document list."""
    ws = member_profile("example")
    desk = MemberDesk(ws, today=lambda: TODAY)
    app_id = ws.applications()[0].id
    desk.declare(app_id, none=True, interests=[])
    window, view, ws, app_id = open_window(ws)
    window.activateWindow()
    qtbot.waitActive(window)
    docs = view.documents
    qtbot.waitUntil(lambda: docs.viewer.page_count() > 0 and docs.document == "documents/application.pdf")
    step(qtbot, "the applications list", window.applications)
    key(qtbot, K.Key_Tab, CTRL)
    assert window.tabs.currentIndex() == DOCUMENTS
    tab_to(qtbot, docs.doc_list, "the document list")
    return window, view, ws, app_id, docs


def test_a_member_highlights_found_words_with_the_keyboard_alone(qtbot, documents_by_keyboard):
    started = time.monotonic()
    window, view, ws, app_id, docs = documents_by_keyboard

    # Ctrl+F, the words in another case than the document's, Enter: the first (only) result
    key(qtbot, K.Key_F, CTRL)
    step(qtbot, "the find box", docs.find)
    type_text(qtbot, PHRASE.lower())
    key(qtbot, K.Key_Return)
    assert docs.find_status.text() == "Result 1 of 1 in this document"

    # Ctrl+M: the highlight dialog quotes the document's words; a note, a tag by arrows, Enter
    seen: dict[str, object] = {}

    def annotate(dialog):
        seen["title"] = dialog.windowTitle()
        seen["quote"] = [label.accessibleName() for label in dialog.findChildren(QtWidgets.QLabel)
                         if label.accessibleName().startswith("Highlighted text: ")]
        step(qtbot, "the highlight dialog opens on its note", dialog.note)
        type_text(qtbot, "Who else was asked?")
        key(qtbot, K.Key_Tab)
        step(qtbot, "the tag", dialog.tag)
        moves = dialog.tag.findData(AnnotationTag.CONSULTATION.value) - dialog.tag.currentIndex()
        for _ in range(abs(moves)):
            key(qtbot, K.Key_Down if moves > 0 else K.Key_Up)
        assert dialog.tag.currentData() == AnnotationTag.CONSULTATION.value
        key(qtbot, K.Key_Return)

    with_dialog(qtbot, annotate)
    key(qtbot, K.Key_M, CTRL)
    assert seen.get("title") == words.HIGHLIGHT_TITLE, "Ctrl+M did not open the highlight dialog"
    assert seen["quote"] == [f"Highlighted text: {PHRASE}"]

    # the real store has it, with the document's own words, its page and where they are on it
    [a] = ws.annotations(app_id)
    assert (a.document, a.page, a.quote) == ("documents/application.pdf", 1, PHRASE)
    assert a.rects and all(x1 > x0 and y1 > y0 for x0, y0, x1, y1 in a.rects)
    assert (a.note, a.tag, a.shared) == ("Who else was asked?", AnnotationTag.CONSULTATION, False)
    # … "Your highlights" lists it (chosen), and the find status says so in words
    assert docs.annotation_list.count() == 1
    assert f"“{PHRASE}”" in docs.annotation_list.currentItem().text()
    assert not docs.no_annotations.isVisible()
    assert docs.find_status.text() == words.HIGHLIGHT_SAVED.format(page=1)
    back_to(qtbot, window)
    step(qtbot, "back in the find box after saving", docs.find)

    # … and it can be cited: Ctrl+Tab to the assessment, Q1, its evidence box by Tab, Space
    key(qtbot, K.Key_Tab, CTRL)
    assert window.tabs.currentIndex() == ASSESSMENT
    assessment = view.assessment
    tab_to(qtbot, assessment.tasks.rows["outcomes"].link, "Q1 in the task list")
    key(qtbot, K.Key_Space)
    q1 = assessment.steps["outcomes"]
    qtbot.waitUntil(lambda: assessment.currentWidget() is q1)
    [(box, evidence)] = q1.fields["evidence"]._evidence
    assert evidence.quote == PHRASE and evidence.page == 1
    tab_to(qtbot, box, "the highlight as evidence")
    key(qtbot, K.Key_Space)
    assert box.isChecked()
    q1.flush()
    assert [(e.document, e.page, e.quote) for e in ws.answers(app_id).outcomes.evidence] == [
        ("documents/application.pdf", 1, PHRASE)]
    assert time.monotonic() - started < 5


def test_highlight_before_finding_says_what_to_do(qtbot, documents_by_keyboard):
    _window, _view, ws, app_id, docs = documents_by_keyboard
    # no dialog may open here: one that did is noted and closed (so the test fails, not hangs)
    opened: list[str] = []

    def no_dialog():
        dialog = QtWidgets.QApplication.activeModalWidget()
        if isinstance(dialog, QtWidgets.QDialog):
            opened.append(dialog.windowTitle())
            dialog.reject()

    guard = QtCore.QTimer(docs)
    guard.timeout.connect(no_dialog)
    guard.start(5)

    # Ctrl+M with nothing found yet: no dialog, words saying what to do
    key(qtbot, K.Key_M, CTRL)
    assert docs.find_status.text() == words.FIND_FIRST
    # words typed but not yet found (no Enter) are not a result either; nor are words not in the document
    key(qtbot, K.Key_F, CTRL)
    step(qtbot, "the find box", docs.find)
    type_text(qtbot, "partnership")
    key(qtbot, K.Key_M, CTRL)
    assert docs.find_status.text() == words.FIND_FIRST
    key(qtbot, K.Key_A, CTRL)
    type_text(qtbot, "no such words here")
    key(qtbot, K.Key_Return)
    assert docs.find_status.text() == words.NO_RESULTS.format(query="no such words here")
    # the button beside Previous and Next does the same, and is a named, visible Tab stop
    tab_to(qtbot, docs.highlight_hit, "the highlight button")
    assert accessible_name(docs.highlight_hit) == words.HIGHLIGHT_FOUND
    key(qtbot, K.Key_Space)
    assert docs.find_status.text() == words.FIND_FIRST
    qtbot.wait(20)
    guard.stop()
    assert opened == [], "a dialog opened without a result to highlight"
    assert ws.annotations(app_id) == [] and docs.annotation_list.count() == 0

    # Help › Keyboard shortcuts names the keys, and they are the page's own
    listed: list[str] = []

    def read_shortcuts(box):
        listed.append(box.text())
        key(qtbot, K.Key_Escape)

    with_dialog(qtbot, read_shortcuts)
    key(qtbot, K.Key_F1)
    assert listed, "F1 did not open Help › Keyboard shortcuts"
    page_keys = {sc.key().toString() for sc in docs.findChildren(QtGui.QShortcut)}
    for keys in ("Ctrl+F", "F3", "Shift+F3", "Ctrl+M"):
        assert f"<b>{keys}</b>" in listed[0], f"{keys} is not in Help › Keyboard shortcuts"
        assert keys in page_keys, f"the Documents tab has no {keys}"

"""The Documents tab: read the application's PDFs, find text, highlight passages and keep notes."""

from __future__ import annotations

import contextlib
import re

from panel_desk.core.errors import PanelDeskError
from panel_desk.core.model import Annotation, AnnotationTag, Feature, utcnow
from panel_desk.ui.member import text as words
from panel_desk.ui.member._desk import MemberDesk
from panel_desk.ui.member.pdf import (
    HIGHLIGHT,
    HIGHLIGHT_SHARED,
    HIT,
    HIT_CURRENT,
    Mark,
    PdfViewer,
    Rect,
    selection_rects,
)
from panel_desk.ui.qt import Qt, QtCore, QtGui, QtWidgets, Signal
from panel_desk.ui.widgets import FlowLayout, heading, paragraph


def _button(label: str, accessible: str = "", tip: str = "") -> QtWidgets.QPushButton:
    b = QtWidgets.QPushButton(label)
    b.setAccessibleName(accessible or label.replace("&", ""))
    if tip:
        b.setToolTip(tip)
    return b


class AnnotationDialog(QtWidgets.QDialog):
    """The note, tag and sharing of one highlight."""

    def __init__(self, parent, quote: str, note: str = "", tag: AnnotationTag = AnnotationTag.OTHER,
                 shared: bool = False, title: str = words.HIGHLIGHT_TITLE) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(10)
        layout.addWidget(heading(title, 2))
        q = paragraph(f"“{quote}”", "hint")
        q.setAccessibleName(f"Highlighted text: {quote}")
        layout.addWidget(q)
        note_label = QtWidgets.QLabel(words.NOTE)
        note_label.setProperty("role", "h3")
        self.note = QtWidgets.QPlainTextEdit(note)
        self.note.setAccessibleName(words.NOTE)
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(110)
        note_label.setBuddy(self.note)
        layout.addWidget(note_label)
        layout.addWidget(self.note)
        tag_label = QtWidgets.QLabel(words.TAG)
        tag_label.setProperty("role", "h3")
        self.tag = QtWidgets.QComboBox()
        self.tag.setAccessibleName(words.TAG)
        for t in AnnotationTag:
            self.tag.addItem(t.label, t.value)
        self.tag.setCurrentIndex(self.tag.findData(AnnotationTag(tag).value))
        tag_label.setBuddy(self.tag)
        layout.addWidget(tag_label)
        layout.addWidget(self.tag)
        self.shared = QtWidgets.QCheckBox(words.SHARED)
        self.shared.setChecked(shared)
        self.shared.setAccessibleName(words.SHARED)
        layout.addWidget(self.shared)
        layout.addWidget(paragraph(words.SHARED_HINT, "hint"))
        buttons = QtWidgets.QDialogButtonBox()
        self.save = buttons.addButton("Save highlight", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        self.save.setProperty("role", "primary")
        self.save.setDefault(True)
        cancel = buttons.addButton("Cancel", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAccessibleName("Cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.note.setFocus()

    def values(self) -> tuple[str, AnnotationTag, bool]:
        return self.note.toPlainText().strip(), AnnotationTag(self.tag.currentData()), self.shared.isChecked()


def _word_char(c: str) -> bool:
    return c.isalnum() or c in "'’-"


def snap_to_words(document, page: int, quote: str, rects: list) -> tuple[str, list]:
    """``quote`` (a selection on ``page``) widened to whole words, with the rects of the widened
    text. Unchanged when the selection cannot be found in the page's text."""
    if document is None or not quote.strip():
        return quote, rects
    text = document.text(page)
    words_ = quote.split()
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words_))
    matches = list(pattern.finditer(text))
    if not matches:
        return quote, rects
    # the occurrence whose place on the page is nearest the selection's first rect
    def distance(m) -> float:
        sel = selection_rects(document.getSelectionAtIndex(page, m.start(), m.end() - m.start()))
        if not sel or not rects:
            return 0.0
        return abs(sel[0][0] - rects[0][0]) + abs(sel[0][1] - rects[0][1])

    m = min(matches, key=distance) if len(matches) > 1 else matches[0]
    start, end = m.start(), m.end()
    while start > 0 and _word_char(text[start - 1]) and _word_char(text[start]):
        start -= 1
    while end < len(text) and _word_char(text[end]) and _word_char(text[end - 1]):
        end += 1
    if (start, end) == m.span():
        return quote, rects
    snapped = document.getSelectionAtIndex(page, start, end - start)
    return " ".join(text[start:end].split()), selection_rects(snapped) or rects


class _DeleteCommand(QtGui.QUndoCommand):
    """Deleting a highlight; undo saves it again, as it was."""

    def __init__(self, page: DocumentsPage, annotation: Annotation) -> None:
        super().__init__(f"Delete highlight on page {annotation.page}")
        self.page, self.annotation = page, annotation

    def redo(self) -> None:
        self.page.desk.delete_annotation(self.annotation)
        self.page.refresh_annotations()

    def undo(self) -> None:
        self.page.desk.save_annotation(self.annotation)
        self.page.refresh_annotations()


class DocumentsPage(QtWidgets.QWidget):
    """Documents and pages on the left, the page in the middle, highlights on the right."""

    annotationsChanged = Signal()
    documentOpened = Signal(str)

    def __init__(self, desk: MemberDesk, parent=None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.app_id = ""
        self.document = ""
        self.undo_stack = QtGui.QUndoStack(self)
        self._hits: list[tuple[int, str, list[Rect]]] = []  # page (0-based), the words as found, rects
        self._hit_index = -1  # the current result, -1 before Enter / F3 / Next

        # left rail: documents and page thumbnails (folds away: Ctrl+Shift+D, or its button)
        self.doc_list = QtWidgets.QListWidget()
        self.doc_list.setAccessibleName("Documents")
        self.doc_list.setWordWrap(True)
        self.doc_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.doc_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.doc_list.currentRowChanged.connect(self._doc_chosen)
        self.thumbs = QtWidgets.QListWidget()
        self.thumbs.setAccessibleName("Pages")
        # icon above its label, one per row: "Page 12" is never squeezed to "P" beside the icon
        self.thumbs.setViewMode(QtWidgets.QListView.ViewMode.IconMode)
        self.thumbs.setFlow(QtWidgets.QListView.Flow.TopToBottom)
        self.thumbs.setWrapping(False)
        self.thumbs.setMovement(QtWidgets.QListView.Movement.Static)
        self.thumbs.setResizeMode(QtWidgets.QListView.ResizeMode.Adjust)
        self.thumbs.setIconSize(QtCore.QSize(72, 100))
        self.thumbs.setGridSize(QtCore.QSize(150, 100 + 2 * self.fontMetrics().height() + 8))
        self.thumbs.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.thumbs.currentRowChanged.connect(lambda row: row >= 0 and self.viewer.go_to_page(row))
        left = self.left_rail = QtWidgets.QWidget()
        left.setObjectName("documents-rail")
        ll = QtWidgets.QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        dh = heading("Documents", 3)
        dh.setBuddy(self.doc_list)
        ll.addWidget(dh)
        ll.addWidget(self.doc_list, 1)
        ph = heading("Pages", 3)
        ph.setBuddy(self.thumbs)
        ll.addWidget(ph)
        ll.addWidget(self.thumbs, 2)
        left.setMinimumWidth(140)

        # middle: toolbar and pages
        self.viewer = PdfViewer()
        self.viewer.selected.connect(self._dragged)
        self.viewer.currentPageChanged.connect(self._page_changed)
        self.viewer.loaded.connect(self._document_loaded)
        self.viewer.thumbnailReady.connect(self._thumbnail_ready)
        self.find = QtWidgets.QLineEdit()
        self.find.setPlaceholderText(words.FIND_PLACEHOLDER)
        self.find.setAccessibleName(words.FIND_PLACEHOLDER)
        self.find.setClearButtonEnabled(True)
        # the placeholder fits whole, with room for the clear button
        self.find.setMinimumWidth(self.find.fontMetrics().horizontalAdvance(words.FIND_PLACEHOLDER) + 48)
        self.find.returnPressed.connect(self.find_next)
        self.find.textChanged.connect(lambda _t: self._clear_hits())
        self.prev_hit = _button("Previous", "Previous result")
        self.prev_hit.clicked.connect(self.find_previous)
        self.next_hit = _button("Next", "Next result")
        self.next_hit.clicked.connect(self.find_next)
        # the keyboard's way to highlight: find the words, then highlight the current result
        self.highlight_hit = _button(words.HIGHLIGHT_FOUND, words.HIGHLIGHT_FOUND, words.HIGHLIGHT_FOUND_TIP)
        self.highlight_hit.clicked.connect(self.highlight_found)
        self.search_all = _button(words.FIND_ALL, words.FIND_ALL, "Find these words in every document of the application")
        self.search_all.clicked.connect(self.search_application)
        self.zoom_out = _button("−", "Zoom out", "Zoom out (Ctrl+−)")
        self.zoom_out.clicked.connect(self.viewer.zoom_out)
        self.zoom_in = _button("+", "Zoom in", "Zoom in (Ctrl++)")
        self.zoom_in.clicked.connect(self.viewer.zoom_in)
        self.fit = _button("Fit width", "Fit page to width")
        self.fit.clicked.connect(self.viewer.set_fit_width)
        # the rails' switches: checkable buttons that say what they show (and a key each)
        self.show_documents = _button(words.SHOW_DOCUMENTS, words.SHOW_DOCUMENTS,
                                      "Show or hide the documents and pages (Ctrl+Shift+D)")
        self.show_highlights = _button(words.SHOW_HIGHLIGHTS, words.SHOW_HIGHLIGHTS,
                                       "Show or hide your highlights (Ctrl+Shift+H)")
        for b in (self.show_documents, self.show_highlights):
            b.setCheckable(True)
            b.setChecked(True)
        self.show_documents.toggled.connect(lambda on: self.set_rail("documents", on))
        self.show_highlights.toggled.connect(lambda on: self.set_rail("highlights", on))
        self.page_label = QtWidgets.QLabel("")
        self.page_label.setProperty("role", "caption")
        self.find_status = QtWidgets.QLabel("")
        self.find_status.setProperty("role", "caption")
        self.find_status.setAccessibleName("Search results")
        self.find_status.setWordWrap(True)  # a long message wraps; it never widens the window
        self.find_status.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored,
                                       QtWidgets.QSizePolicy.Policy.Preferred)
        # one toolbar that wraps onto a second row when the pane is narrow (never widens the window)
        bar = FlowLayout()
        for w in (self.show_documents, self.find, self.prev_hit, self.next_hit, self.search_all,
                  self.highlight_hit, self.zoom_out, self.zoom_in, self.fit, self.show_highlights):
            bar.addWidget(w)
        status = QtWidgets.QHBoxLayout()
        status.addWidget(self.find_status, 1)
        status.addWidget(self.page_label)
        self.results = QtWidgets.QListWidget()
        self.results.setAccessibleName("Results in the application")
        self.results.setWordWrap(True)
        self.results.itemActivated.connect(self._result_chosen)
        self.results.itemClicked.connect(self._result_chosen)
        self.results.hide()
        middle = QtWidgets.QWidget()
        ml = QtWidgets.QVBoxLayout(middle)
        ml.setContentsMargins(0, 0, 0, 0)
        ml.setSpacing(4)
        ml.addLayout(bar)
        ml.addLayout(status)
        ml.addWidget(self.results)
        ml.addWidget(self.viewer, 1)
        self.page_pane = middle

        # right rail: highlights (folds away: Ctrl+Shift+H, or its button)
        self.annotation_list = QtWidgets.QListWidget()
        self.annotation_list.setAccessibleName("Your highlights")
        self.annotation_list.setWordWrap(True)
        self.annotation_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.annotation_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.annotation_list.itemActivated.connect(self._annotation_chosen)
        self.annotation_list.itemClicked.connect(self._annotation_chosen)
        self.no_annotations = paragraph(words.NO_ANNOTATIONS, "hint")
        self.edit_button = _button("Change", "Change highlight")
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button = _button("Delete", "Delete highlight")
        self.delete_button.clicked.connect(self.delete_current)
        self.undo_button = _button(words.UNDO, "Undo delete")
        self.undo_button.setObjectName("undo-delete")
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_button.setEnabled(False)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        right = self.right_rail = QtWidgets.QWidget()
        right.setObjectName("highlights-rail")
        rl = QtWidgets.QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        ah = heading("Your highlights", 3)
        ah.setBuddy(self.annotation_list)
        rl.addWidget(ah)
        rl.addWidget(self.no_annotations)
        rl.addWidget(self.annotation_list, 1)
        buttons = FlowLayout()
        for b in (self.edit_button, self.delete_button, self.undo_button):
            buttons.addWidget(b)
        rl.addLayout(buttons)
        right.setMinimumWidth(160)

        splitter = self.splitter = QtWidgets.QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(middle)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 0)
        splitter.setSizes([150, 900, 180])
        splitter.setChildrenCollapsible(False)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(splitter)
        self._shortcut("Ctrl+Shift+D", self.show_documents.toggle)
        self._shortcut("Ctrl+Shift+H", self.show_highlights.toggle)
        self._restore_rails()

        self._shortcut("Ctrl+F", self.focus_find)
        self._shortcut(QtGui.QKeySequence.StandardKey.ZoomIn, self.viewer.zoom_in)
        self._shortcut("Ctrl+=", self.viewer.zoom_in)
        self._shortcut(QtGui.QKeySequence.StandardKey.ZoomOut, self.viewer.zoom_out)
        self._shortcut("Ctrl+0", self.viewer.set_fit_width)
        self._shortcut(QtGui.QKeySequence.StandardKey.FindNext, self.find_next)
        self._shortcut(QtGui.QKeySequence.StandardKey.FindPrevious, self.find_previous)
        self._shortcut("Ctrl+M", self.highlight_found)
        self._shortcut(QtGui.QKeySequence.StandardKey.Undo, self.undo_stack.undo)
        QtWidgets.QWidget.setTabOrder(self.doc_list, self.thumbs)
        QtWidgets.QWidget.setTabOrder(self.thumbs, self.find)

    # -- the rails ------------------------------------------------------------------------------

    RAILS_SETTING = "layout.documents"  # {"documents": bool, "highlights": bool}, per person

    def _restore_rails(self) -> None:
        try:
            state = self.desk.setting(self.RAILS_SETTING, {})
        except PanelDeskError:  # a locked profile: both rails shown
            state = {}
        state = state if isinstance(state, dict) else {}
        for name, button in (("documents", self.show_documents), ("highlights", self.show_highlights)):
            on = bool(state.get(name, True))
            button.blockSignals(True)
            button.setChecked(on)
            button.blockSignals(False)
            self._show_rail(name, on)

    def _show_rail(self, name: str, on: bool) -> None:
        rail = self.left_rail if name == "documents" else self.right_rail
        rail.setVisible(on)

    def set_rail(self, name: str, on: bool) -> None:
        """Show or fold away the documents rail or the highlights rail; remembered for this person."""
        self._show_rail(name, on)
        button = self.show_documents if name == "documents" else self.show_highlights
        if button.isChecked() != on:
            button.blockSignals(True)
            button.setChecked(on)
            button.blockSignals(False)
        state = {"documents": self.show_documents.isChecked(), "highlights": self.show_highlights.isChecked()}
        with contextlib.suppress(PanelDeskError):  # the layout still changes; only remembering it failed
            self.desk.set_setting(self.RAILS_SETTING, state)

    def _shortcut(self, keys, slot) -> None:
        sc = QtGui.QShortcut(QtGui.QKeySequence(keys), self)
        sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        sc.activated.connect(slot)

    # -- loading --------------------------------------------------------------------------------

    def set_application(self, app_id: str) -> None:
        self.app_id = app_id
        self.document = ""
        self.doc_list.blockSignals(True)
        self.doc_list.clear()
        for d in self.desk.documents(app_id):
            item = QtWidgets.QListWidgetItem(d.title)
            item.setData(Qt.ItemDataRole.UserRole, d.path)
            item.setToolTip(d.path)
            self.doc_list.addItem(item)
        self.doc_list.blockSignals(False)
        self.viewer.clear()
        self._clear_hits()  # a result in the previous application's document is no longer current
        self.thumbs.clear()
        self.results.clear()
        self.results.hide()
        self.undo_stack.clear()
        if self.doc_list.count():
            self.doc_list.setCurrentRow(0)
        self.refresh_annotations()

    def _doc_chosen(self, row: int) -> None:
        if row < 0:
            return
        self.open_document(self.doc_list.item(row).data(Qt.ItemDataRole.UserRole))

    def open_document(self, path: str, page: int = 1, y_points: float | None = None, then=None) -> None:
        """Show ``path`` at ``page`` (1-based), then call ``then()``. Decrypting (into memory only)
        and loading run off the GUI thread, in a renderer process that can be killed: this returns
        at once and the viewer shows progress, then the pages or why they could not be shown."""
        if path != self.document:
            self.document = path
            app_id = self.app_id
            self.thumbs.clear()
            self._clear_hits()
            self.viewer.open_pdf(lambda _progress: self.desk.open_document(app_id, path),
                                 page=page - 1, y_points=y_points, then=then)
            for i in range(self.doc_list.count()):
                if self.doc_list.item(i).data(Qt.ItemDataRole.UserRole) == path:
                    self.doc_list.blockSignals(True)
                    self.doc_list.setCurrentRow(i)
                    self.doc_list.blockSignals(False)
            self.documentOpened.emit(path)
            return
        self.viewer.go_to_page(page - 1, y_points)  # still opening: it goes there once loaded
        self._page_changed(self.viewer.current_page())
        if then is not None:
            self.viewer.when_loaded(then)

    def _document_loaded(self) -> None:
        self.thumbs.blockSignals(True)
        self.thumbs.clear()
        self.thumbs.addItems([f"Page {i + 1}" for i in range(self.viewer.page_count())])
        self.thumbs.blockSignals(False)
        self._page_changed(self.viewer.current_page())
        try:
            self._paint_annotations()
        except PanelDeskError:  # locked while the document was opening: nothing to paint
            self.viewer.clear()

    def _thumbnail_ready(self, page: int, image: QtGui.QImage) -> None:
        item = self.thumbs.item(page)
        if item is not None:
            item.setIcon(QtGui.QIcon(QtGui.QPixmap.fromImage(image)))

    def _page_changed(self, page: int) -> None:
        self.page_label.setText(words.PAGE_OF.format(page=page + 1, pages=self.viewer.page_count()))
        self.thumbs.blockSignals(True)
        self.thumbs.setCurrentRow(page)
        self.thumbs.blockSignals(False)

    # -- find -----------------------------------------------------------------------------------

    def focus_find(self) -> None:
        self.find.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find.selectAll()

    def _clear_hits(self) -> None:
        self._hits, self._hit_index = [], -1
        self.viewer.set_marks("hits", [])
        self.find_status.clear()

    def _run_find(self) -> None:
        query = self.find.text().strip()
        self._hits = []
        if query and self.viewer.document is not None:
            self._hits = self.viewer.find(query)  # in the renderer process, with a time limit
        self._hit_index = -1
        if not self._hits:
            self.find_status.setText(words.NO_RESULTS.format(query=query) if query else "")

    def _step_hit(self, step: int) -> None:
        if not self._hits:
            self._run_find()
        if not self._hits:
            return
        self._hit_index = (self._hit_index + step) % len(self._hits)
        page, _found, rects = self._hits[self._hit_index]
        marks = [Mark(p, r, HIT_CURRENT if i == self._hit_index else HIT) for i, (p, _f, r) in enumerate(self._hits)]
        self.viewer.set_marks("hits", marks)
        self.viewer.go_to_page(page, rects[0][1] if rects else None)
        self.find_status.setText(f"Result {self._hit_index + 1} of {len(self._hits)} in this document")

    def find_next(self) -> None:
        self._step_hit(1)

    def find_previous(self) -> None:
        self._step_hit(-1)

    def search_application(self) -> None:
        query = self.find.text().strip()
        self.results.clear()
        if not query:
            self.results.hide()
            return
        hits = self.desk.search(query, self.app_id)
        titles = {self.doc_list.item(i).data(Qt.ItemDataRole.UserRole): self.doc_list.item(i).text()
                  for i in range(self.doc_list.count())}
        for h in hits:
            item = QtWidgets.QListWidgetItem(f"{titles.get(h.document, h.document)}, page {h.page}: {h.snippet}")
            item.setData(Qt.ItemDataRole.UserRole, (h.document, h.page))
            self.results.addItem(item)
        self.find_status.setText(words.results(len(hits), query) if hits
                                 else words.NO_RESULTS.format(query=query))
        self.results.setVisible(bool(hits))
        self.results.setMaximumHeight(140)

    def _result_chosen(self, item: QtWidgets.QListWidgetItem) -> None:
        document, page = item.data(Qt.ItemDataRole.UserRole)

        def show_hit() -> None:
            self._run_find()
            for i, (p, _f, _r) in enumerate(self._hits):
                if p == page - 1:
                    self._hit_index = i - 1
                    self._step_hit(1)
                    break

        self.open_document(document, page, then=show_hit)

    # -- highlights -----------------------------------------------------------------------------

    def _dragged(self, page: int, quote: str, rects: list) -> Annotation | None:
        """Text dragged over on ``page``: a drag that starts or ends inside a word takes the whole
        word (as the quote, and as the highlighted area); then as :meth:`_selected`."""
        quote, rects = snap_to_words(self.viewer.document, page, quote, rects)
        return self._selected(page, quote, rects)

    def _selected(self, page: int, quote: str, rects: list) -> Annotation | None:
        """Text chosen on ``page`` (0-based): ask for its note and tag, then save it as a highlight."""
        dialog = AnnotationDialog(self, quote)
        dialog.setObjectName("annotation-dialog")
        accepted = dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted
        note, tag, shared = dialog.values()
        dialog.deleteLater()
        if not accepted:
            return None
        return self.add_annotation(page + 1, quote, rects, note, tag, shared)

    def highlight_found(self) -> None:
        """Highlight the current find result (Ctrl+M): the keyboard's way to do what dragging does.

        The quote is the document's own words at the result, not the query as typed.
        """
        if not (0 <= self._hit_index < len(self._hits)):
            self.find_status.setText(words.FIND_FIRST)
            return
        page, found, rects = self._hits[self._hit_index]
        if self._selected(page, found, rects) is not None:
            self.find_status.setText(words.HIGHLIGHT_SAVED.format(page=page + 1))

    def add_annotation(self, page: int, quote: str, rects: list, note: str = "",
                       tag: AnnotationTag = AnnotationTag.OTHER, shared: bool = False) -> Annotation:
        annotation = Annotation(application_id=self.app_id, document=self.document, page=page,
                                rects=[tuple(r) for r in rects], quote=quote, note=note, tag=tag, shared=shared)
        saved = self.desk.save_annotation(annotation)
        self.refresh_annotations(select=saved.id)
        return saved

    def refresh_annotations(self, select: str = "") -> None:
        if not self.app_id:
            return
        items = self.desk.annotations(self.app_id)
        titles = {self.doc_list.item(i).data(Qt.ItemDataRole.UserRole): self.doc_list.item(i).text()
                  for i in range(self.doc_list.count())}
        self.annotation_list.clear()
        for a in items:
            sharing = "Shared" if a.shared else "Private"
            label = (f"{titles.get(a.document, a.document)}, page {a.page}\n“{a.quote}”\n"
                     f"{a.tag.label} · {sharing}" + (f"\n{a.note}" if a.note else ""))
            item = QtWidgets.QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, a)
            self.annotation_list.addItem(item)
            if a.id == select:
                self.annotation_list.setCurrentItem(item)
        has = bool(items)
        self.no_annotations.setVisible(not has)
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self._paint_annotations(items)
        self.annotationsChanged.emit()

    def _paint_annotations(self, items: list[Annotation] | None = None) -> None:
        if not self.app_id or not self.document:
            return
        items = self.desk.annotations(self.app_id) if items is None else items
        self.viewer.set_marks("annotations", [
            Mark(a.page - 1, list(a.rects), HIGHLIGHT_SHARED if a.shared else HIGHLIGHT, a.id)
            for a in items if a.document == self.document])

    def current_annotation(self) -> Annotation | None:
        item = self.annotation_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _annotation_chosen(self, item: QtWidgets.QListWidgetItem) -> None:
        self.jump_to(item.data(Qt.ItemDataRole.UserRole))

    def jump_to(self, a: Annotation) -> None:
        self.open_document(a.document, a.page, a.rects[0][1] if a.rects else None)

    def edit_current(self) -> None:
        a = self.current_annotation()
        if a is None:
            return
        dialog = AnnotationDialog(self, a.quote, a.note, a.tag, a.shared, words.EDIT_HIGHLIGHT_TITLE)
        dialog.setObjectName("annotation-dialog")
        accepted = dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted
        note, tag, shared = dialog.values()
        dialog.deleteLater()
        if not accepted:
            return
        changed = a.model_copy(update={"note": note, "tag": tag, "shared": shared, "updated_at": utcnow()})
        self.desk.save_annotation(changed)
        self.refresh_annotations(select=a.id)

    def delete_current(self) -> None:
        a = self.current_annotation()
        if a is not None:
            self.undo_stack.push(_DeleteCommand(self, a))
            self.find_status.setText(words.DELETED + " Press Undo to bring it back.")

    def show_feature(self, feature: Feature) -> None:
        """Open the first document that covers ``feature`` (a prompt's link)."""
        for d in self.desk.documents(self.app_id):
            if feature in d.features:
                self.open_document(d.path)
                return
        if self.doc_list.count():
            self.doc_list.setCurrentRow(0)

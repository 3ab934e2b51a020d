"""A PDF reader that a hostile document cannot take down, with highlights painted and text selected.

Loading and rendering happen in a renderer process (:mod:`panel_desk.core.pdfrender`), fed the
decrypted bytes through a pipe (never a file) and killed when it overruns its time or memory:
QtPdf cannot be interrupted in-thread, and ``QPdfDocument.load`` spins for ever on a page tree
that lists itself. A worker thread talks to that process, so the window never waits on a load or
a render; a document that fails shows "This document could not be shown" with the reason.

Page views are created lazily for the pages in sight: the scroll area is virtual (its scroll
bar spans every page's height), so 50,000 pages cost 50,000 numbers, not 50,000 widgets. Each
page view paints the rendered image and the marks (highlights, search hits, the selection).
"""

from __future__ import annotations

import bisect
import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from panel_desk.core.errors import PanelDeskError
from panel_desk.core.pdfrender import DocumentInfo, PdfRenderer, RenderFailed, find_pattern
from panel_desk.ui.qt import Qt, QtCore, QtGui, QtWidgets, Signal

Rect = tuple[float, float, float, float]  # page points, origin top-left: x0, y0, x1, y1

HIGHLIGHT = QtGui.QColor(255, 221, 0, 110)  # GOV.UK yellow, see-through
HIGHLIGHT_SHARED = QtGui.QColor(29, 112, 184, 70)
HIT = QtGui.QColor(0, 112, 60, 80)
HIT_CURRENT = QtGui.QColor(212, 53, 28, 110)
SELECTION = QtGui.QColor(29, 112, 184, 110)
PAGE_GAP = 16
MIN_ZOOM, MAX_ZOOM = 0.25, 4.0
CACHED_PAGES = 24  # rendered pages kept in memory
THUMB_WIDTH = 72
FIRST_THUMBNAILS = 60  # pages whose thumbnails are drawn in the background after opening
QUICK_WAIT = 0.5  # seconds the GUI thread waits for the renderer (selection, text) before giving up
QUICK_SECONDS = 3.0  # and the most a quick request may take before the renderer is killed
FIND_SECONDS = 4.0  # the search answers with what it found after 60% of this
NOT_SHOWN = "This document could not be shown"


@dataclass
class Mark:
    """Something painted on a page: an annotation's rects, a search hit or the selection."""

    page: int  # 0-based
    rects: list[Rect]
    colour: QtGui.QColor
    key: str = ""


@dataclass(frozen=True)
class Selection:
    text: str
    rects: list[Rect]

    def isValid(self) -> bool:
        return bool(self.rects)


class RemoteDocument:
    """The open document as the GUI thread sees it: sizes known at once, text and selection asked
    of the renderer process with a short wait (a busy or hung renderer gives an empty answer)."""

    def __init__(self, renderer: PdfRenderer, info: DocumentInfo) -> None:
        self.renderer = renderer
        self.info = info

    def pageCount(self) -> int:
        return self.info.pages

    def pagePointSize(self, page: int) -> QtCore.QSizeF:
        w, h = self.info.sizes[page]
        return QtCore.QSizeF(w, h)

    def text(self, page: int) -> str:
        try:
            return self.renderer.text(page, wait=QUICK_WAIT, seconds=QUICK_SECONDS)
        except RenderFailed:
            return ""

    def getSelection(self, page: int, start: QtCore.QPointF, end: QtCore.QPointF) -> Selection:
        try:
            text, rects = self.renderer.select(page, (start.x(), start.y()), (end.x(), end.y()),
                                               wait=QUICK_WAIT, seconds=QUICK_SECONDS)
        except RenderFailed:
            return Selection("", [])
        return Selection(text, list(rects))

    def getSelectionAtIndex(self, page: int, start: int, length: int) -> Selection:
        try:
            text, rects = self.renderer.select_index(page, start, length, wait=QUICK_WAIT, seconds=QUICK_SECONDS)
        except RenderFailed:
            return Selection("", [])
        return Selection(text, list(rects))


def selection_rects(selection: Selection) -> list[Rect]:
    return list(selection.rects)


def find_matches(doc: RemoteDocument, page: int, query: str) -> list[tuple[str, str, list[Rect]]]:
    """Every occurrence of ``query`` on ``page`` (any case, any spacing between words), in order:
    (the words as the document has them, the text around them, their rects).

    The first item is what a highlight quotes: the document's own letters, whatever the case of
    the query, with a line break inside the phrase read as one space (as a mouse selection is).
    """
    pattern = find_pattern(query)
    if pattern is None:
        return []
    text = doc.text(page)
    out = []
    for m in pattern.finditer(text):
        start, end = m.span()
        sel = doc.getSelectionAtIndex(page, start, end - start)
        snippet = " ".join(text[max(0, start - 40): end + 40].split())
        out.append((" ".join(m.group().split()), snippet, selection_rects(sel)))
    return out


def find_in_page(doc: RemoteDocument, page: int, query: str) -> list[tuple[str, list[Rect]]]:
    """Every occurrence of ``query`` on ``page``: (the text around it, its rects). See find_matches."""
    return [(snippet, rects) for _found, snippet, rects in find_matches(doc, page, query)]


# --- the worker: loading and rendering off the GUI thread -----------------------------------------------


class _Bridge(QtCore.QObject):
    """Signals from the worker thread, delivered on the GUI thread (queued)."""

    progress = Signal(int, int, int)  # generation, done, total (0: not known)
    loaded = Signal(int, object)  # generation, DocumentInfo
    failed = Signal(int, str)  # generation, reason
    rendered = Signal(int, int, float, QtGui.QImage)  # generation, page, scale, image
    thumbnail = Signal(int, int, QtGui.QImage)  # generation, page, image


Fetch = Callable[[Callable[[int, int], None]], "bytes | BinaryIO"]  # bytes, or a file read as it is sent


class _Worker:
    """One thread that loads documents and renders pages, newest request first."""

    def __init__(self, renderer: PdfRenderer, bridge: _Bridge) -> None:
        self.renderer = renderer
        self.bridge = bridge
        self._cond = threading.Condition()
        self._load: tuple[int, Fetch] | None = None
        self._renders: OrderedDict[tuple[str, int], tuple[int, int, int, float]] = OrderedDict()
        self._generation = 0
        self._stopped = False
        self._thread = threading.Thread(target=self._run, daemon=True, name="pdf-viewer")
        self._thread.start()

    def load(self, generation: int, fetch: Fetch) -> None:
        with self._cond:
            self._generation = generation
            self._load = (generation, fetch)
            self._renders.clear()
            self._cond.notify()

    def forget(self, generation: int) -> None:
        with self._cond:
            self._generation = generation
            self._load = None
            self._renders.clear()

    def render(self, generation: int, kind: str, page: int, width: int, height: int, scale: float) -> None:
        with self._cond:
            key = (kind, page)
            self._renders.pop(key, None)
            self._renders[key] = (generation, width, height, scale)  # last in, first drawn
            self._cond.notify()

    def stop(self, wait: float = 0.0) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()
        if wait and threading.current_thread() is not self._thread:
            self._thread.join(wait)

    def _next(self):
        with self._cond:
            while not self._stopped and self._load is None and not self._renders:
                self._cond.wait()
            if self._stopped:
                return None
            if self._load is not None:
                job, self._load = self._load, None
                return ("load", *job)
            # the main view's pages before thumbnails, the latest request first
            for key in reversed(self._renders):
                if key[0] == "page":
                    return ("render", key, self._renders.pop(key))
            key, value = self._renders.popitem(last=True)
            return ("render", key, value)

    def _emit(self, name: str, *args) -> None:
        """Hand a result to the GUI thread; if the viewer is gone meanwhile, stop quietly."""
        try:
            getattr(self.bridge, name).emit(*args)
        except RuntimeError:  # the bridge was deleted with its viewer
            with self._cond:
                self._stopped = True

    def _current(self, generation: int) -> bool:
        with self._cond:
            return generation == self._generation

    def _run(self) -> None:
        while (job := self._next()) is not None:
            try:
                if job[0] == "load":
                    self._do_load(job[1], job[2])
                else:
                    self._do_render(*job[1], *job[2])
            except Exception as exc:  # a worker that died would leave the viewer waiting for ever
                self._emit("failed", job[1] if job[0] == "load" else job[2][0],
                           f"Something unexpected went wrong ({type(exc).__name__}).")
        self.renderer.close()

    def _do_load(self, generation: int, fetch: Fetch) -> None:
        def progress(done: int, total: int) -> None:
            if self._current(generation):
                self._emit("progress", generation, int(done), int(total))

        data = None
        try:
            data = fetch(progress)
            if not self._current(generation):
                return
            info = self.renderer.load(data, progress=progress)
        except PanelDeskError as exc:
            if self._current(generation):
                self._emit("failed", generation, str(exc))
            return
        except OSError as exc:  # reading a document file (a locked profile closes it under us)
            if self._current(generation):
                self._emit("failed", generation, f"It could not be read ({exc.strerror or exc}).")
            return
        finally:
            if hasattr(data, "close"):
                data.close()
            data = None
        if self._current(generation):
            self._emit("loaded", generation, info)

    def _do_render(self, kind: str, page: int, generation: int, width: int, height: int, scale: float) -> None:
        if not self._current(generation):
            return
        try:
            bitmap = self.renderer.render(page, width, height)
        except RenderFailed as exc:
            if self._current(generation):
                self._emit("failed", generation, str(exc))
            return
        image = QtGui.QImage(bitmap.data, bitmap.width, bitmap.height, bitmap.stride,
                             QtGui.QImage.Format.Format_RGB32).copy()
        if kind == "page":
            self._emit("rendered", generation, page, scale, image)
        else:
            self._emit("thumbnail", generation, page, image)


# --- the widgets ---------------------------------------------------------------------------------------


class PageWidget(QtWidgets.QWidget):
    """One page in sight: its rendered image and the marks painted over it; drag to select text."""

    selected = Signal(int, str, list)  # page (0-based), text, rects in points

    def __init__(self, viewer: PdfViewer, page: int) -> None:
        super().__init__(viewer.viewport())
        self.viewer = viewer
        self.page = page
        self._drag_from: QtCore.QPointF | None = None
        self._selection: list[Rect] = []
        self.setAccessibleName(f"Page {page + 1}")
        self.setCursor(Qt.CursorShape.IBeamCursor)

    def points(self) -> QtCore.QSizeF:
        return self.viewer.document.pagePointSize(self.page)

    def to_points(self, pos: QtCore.QPointF) -> QtCore.QPointF:
        s = self.viewer.scale
        return QtCore.QPointF(pos.x() / s, pos.y() / s)

    def paintEvent(self, event) -> None:
        painter = QtGui.QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        scale = self.viewer.scale
        image = self.viewer.image_for(self.page)
        if image is not None:
            painter.drawImage(QtCore.QRectF(self.rect()), image)
        for mark in self.viewer.marks_for(self.page):
            for x0, y0, x1, y1 in mark.rects:
                painter.fillRect(QtCore.QRectF(x0 * scale, y0 * scale, (x1 - x0) * scale, (y1 - y0) * scale),
                                 mark.colour)
        for x0, y0, x1, y1 in self._selection:
            painter.fillRect(QtCore.QRectF(x0 * scale, y0 * scale, (x1 - x0) * scale, (y1 - y0) * scale), SELECTION)
        painter.setPen(QtGui.QPen(QtGui.QColor("#b1b4b6")))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = event.position()
            self._selection = []
            self.update()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QtGui.QMouseEvent) -> None:
        if self._drag_from is not None and self.viewer.document is not None:
            sel = self.viewer.document.getSelection(self.page, self.to_points(self._drag_from),
                                                    self.to_points(event.position()))
            self._selection = selection_rects(sel)
            self.update()

    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:
        if self._drag_from is None or self.viewer.document is None:
            return
        start, self._drag_from = self._drag_from, None
        sel = self.viewer.document.getSelection(self.page, self.to_points(start), self.to_points(event.position()))
        self._selection = []
        self.update()
        if sel.isValid() and sel.text.strip():
            self.selected.emit(self.page, " ".join(sel.text.split()), selection_rects(sel))


class _PageViews:
    """``viewer.pages``: one view per page, made when first asked for (and for the pages in sight)."""

    def __init__(self, viewer: PdfViewer) -> None:
        self.viewer = viewer

    def __len__(self) -> int:
        return self.viewer.page_count()

    def __getitem__(self, page: int) -> PageWidget:
        n = len(self)
        if page < 0:
            page += n
        if not 0 <= page < n:
            raise IndexError(page)
        return self.viewer._view(page)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __bool__(self) -> bool:
        return len(self) > 0


class _Notice(QtWidgets.QFrame):
    """Over the pages: "Opening the document…" with a progress bar, or why it could not be shown."""

    def __init__(self, parent: QtWidgets.QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("pdf-notice")
        self.setStyleSheet("#pdf-notice { background: white; border: 1px solid #b1b4b6; }")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        self.title = QtWidgets.QLabel("")
        self.title.setProperty("role", "h3")
        self.title.setWordWrap(True)
        self.reason = QtWidgets.QLabel("")
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QtWidgets.QProgressBar()
        self.bar.setAccessibleName("Opening the document")
        self.bar.setTextVisible(False)
        layout.addWidget(self.title)
        layout.addWidget(self.reason)
        layout.addWidget(self.bar)
        self.hide()

    def show_progress(self, done: int, total: int) -> None:
        self.title.setText("Opening the document…")
        self.reason.hide()
        self.bar.show()
        self.bar.setRange(0, 1000 if total else 0)
        if total:
            self.bar.setValue(min(1000, round(1000 * done / total)))
        self.setAccessibleName("Opening the document")
        self._place()

    def show_failure(self, reason: str) -> None:
        self.title.setText(NOT_SHOWN + ".")
        self.reason.setText(reason)
        self.reason.show()
        self.bar.hide()
        self.setAccessibleName(f"{NOT_SHOWN}. {reason}")
        self._place()

    def _place(self) -> None:
        parent = self.parentWidget()
        width = min(460, max(200, parent.width() - 40))
        self.setFixedWidth(width)
        self.adjustSize()
        self.move((parent.width() - width) // 2, 40)
        self.show()
        self.raise_()


class PdfViewer(QtWidgets.QAbstractScrollArea):
    """Continuous pages, zoom and fit-width, PgUp/PgDn between pages, marks painted over text.

    ``set_pdf(data)`` / ``open_pdf(fetch)`` return at once; ``loaded`` or ``failed(reason)``
    follows. ``document`` is None until the document is loaded.
    """

    currentPageChanged = Signal(int)
    zoomChanged = Signal(float)
    selected = Signal(int, str, list)
    loaded = Signal()
    failed = Signal(str)
    thumbnailReady = Signal(int, QtGui.QImage)  # page (0-based), a picture THUMB_WIDTH wide

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.document: RemoteDocument | None = None
        self.error = ""
        self.zoom = 1.0
        self.fit_width = True
        self._generation = 0
        self._views: dict[int, PageWidget] = {}
        self._images: OrderedDict[int, tuple[float, QtGui.QImage]] = OrderedDict()
        self._requested: dict[int, float] = {}
        self._marks: dict[str, list[Mark]] = {}
        self._tops: list[int] = []
        self._ends: list[int] = []
        self._content_width = 0
        self._last_page = -1
        self._pending: tuple[int, float | None, Callable[[], None] | None] | None = None
        self.renderer = PdfRenderer()
        self._bridge = _Bridge(self)
        self._bridge.progress.connect(self._on_progress)
        self._bridge.loaded.connect(self._on_loaded)
        self._bridge.failed.connect(self._on_failed)
        self._bridge.rendered.connect(self._on_rendered)
        self._bridge.thumbnail.connect(self._on_thumbnail)
        self._worker = _Worker(self.renderer, self._bridge)
        worker = self._worker
        self.destroyed.connect(lambda *_: worker.stop())
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Document pages")
        self.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.viewport().setStyleSheet("background: #dee0e2;")
        self.verticalScrollBar().setSingleStep(40)
        self.horizontalScrollBar().setSingleStep(40)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.notice = _Notice(self.viewport())

    # -- content ------------------------------------------------------------------------------

    def set_pdf(self, data: bytes, *, page: int = 0, y_points: float | None = None,
                then: Callable[[], None] | None = None) -> None:
        """Show the PDF in ``data`` (held in memory only); returns before it is loaded."""
        self.open_pdf(lambda _progress: data, page=page, y_points=y_points, then=then)

    def open_pdf(self, fetch: Fetch, *, page: int = 0, y_points: float | None = None,
                 then: Callable[[], None] | None = None) -> None:
        """Show the PDF that ``fetch(progress)`` returns; ``fetch`` runs on a worker thread (it may
        decrypt) and may raise PanelDeskError. When loaded, go to ``page`` (0-based) and call
        ``then``. Returns at once."""
        self.clear()
        self._pending = (page, y_points, then)
        self.notice.show_progress(0, 0)
        self._worker.load(self._generation, fetch)

    def clear(self) -> None:
        """Show nothing; the renderer process (which holds the decrypted document) ends."""
        self._generation += 1
        self._worker.forget(self._generation)
        self.renderer.close()
        for view in self._views.values():
            view.hide()
            view.deleteLater()
        self._views.clear()
        self._images.clear()
        self._requested.clear()
        self._marks.clear()
        self._tops, self._ends = [], []
        self._pending = None
        self.document = None
        self.error = ""
        self.notice.hide()
        self._last_page = -1
        self._update_ranges()

    def when_loaded(self, then: Callable[[], None]) -> None:
        """Call ``then`` now if a document is shown, else once the one opening is loaded."""
        if self.document is not None:
            then()
        elif self._pending is not None:
            page, y_points, earlier = self._pending

            def both() -> None:
                if earlier is not None:
                    earlier()
                then()

            self._pending = (page, y_points, both)

    def shutdown(self) -> None:
        """End the worker and the renderer process (the window is closing)."""
        self.clear()
        self.renderer.close()  # first: a request in progress fails at once
        self._worker.stop(wait=2.0)
        # results the worker posted and nobody will read: dropped now, while Python is alive
        # (left to the interpreter's exit, PySide frees them too late and aborts)
        QtCore.QCoreApplication.removePostedEvents(self._bridge)

    def page_count(self) -> int:
        return self.document.pageCount() if self.document is not None else 0

    @property
    def pages(self) -> _PageViews:
        return _PageViews(self)

    def _on_progress(self, generation: int, done: int, total: int) -> None:
        if generation == self._generation and self.document is None and not self.error:
            self.notice.show_progress(done, total)

    def _on_loaded(self, generation: int, info: DocumentInfo) -> None:
        if generation != self._generation:
            return
        self.notice.hide()
        self.document = RemoteDocument(self.renderer, info)
        pending, self._pending = self._pending, None
        self._apply_zoom(keep_page=False)
        page, y_points, then = pending if pending is not None else (0, None, None)
        self.verticalScrollBar().setValue(0)
        self._last_page = -1
        self.go_to_page(page, y_points)
        for i in range(min(info.pages, FIRST_THUMBNAILS)):
            self._request_thumbnail(i)
        self.loaded.emit()
        if then is not None:
            then()

    def _on_failed(self, generation: int, reason: str) -> None:
        if generation != self._generation or self.error:
            return
        for view in self._views.values():
            view.hide()
            view.deleteLater()
        self._views.clear()
        self._images.clear()
        self.document = None
        self._tops, self._ends = [], []
        self._update_ranges()
        self.error = reason
        self._pending = None
        self.notice.show_failure(reason)
        self.failed.emit(reason)

    # -- scale --------------------------------------------------------------------------------

    @property
    def scale(self) -> float:
        """Pixels per PDF point at the current zoom."""
        return self.zoom * self.logicalDpiX() / 72.0

    def set_zoom(self, zoom: float) -> None:
        self.fit_width = False
        self.zoom = min(MAX_ZOOM, max(MIN_ZOOM, zoom))
        self._apply_zoom()

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * 1.25)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / 1.25)

    def set_fit_width(self) -> None:
        self.fit_width = True
        self._apply_zoom()

    def _fit_zoom(self) -> float:
        if self.document is None:
            return 1.0
        widest = max(self.document.info.widths)
        available = self.viewport().width() - 2 * PAGE_GAP - 4
        return min(MAX_ZOOM, max(MIN_ZOOM, available / (max(widest, 1.0) * self.logicalDpiX() / 72.0)))

    def _page_px(self, page: int) -> tuple[int, int]:
        w, h = self.document.info.sizes[page]
        s = self.scale
        return max(1, round(w * s)), max(1, round(h * s))

    def _apply_zoom(self, keep_page: bool = True) -> None:
        page = self.current_page()
        if self.fit_width:
            self.zoom = self._fit_zoom()
        if self.document is not None:
            s = self.scale
            info = self.document.info
            if len(set(info.heights)) == 1:  # pages of one size (the usual case): no loop in Python
                step = max(1, round(info.heights[0] * s)) + PAGE_GAP
                self._ends = list(range(PAGE_GAP + step, PAGE_GAP + step * (info.pages + 1), step))
            else:
                heights = [max(1, round(h * s)) + PAGE_GAP for h in info.heights]
                self._ends = list(itertools.accumulate(heights, initial=PAGE_GAP))[1:]
            self._tops = [PAGE_GAP, *self._ends[:-1]]
            self._content_width = max(1, round(max(info.widths) * s)) + 2 * PAGE_GAP
        self._update_ranges()
        self.zoomChanged.emit(self.zoom)
        if self.document is not None and keep_page:
            self.go_to_page(page)
        self._place_views()

    def _update_ranges(self) -> None:
        vp = self.viewport()
        total = self._ends[-1] if self._ends else 0
        vbar, hbar = self.verticalScrollBar(), self.horizontalScrollBar()
        vbar.setPageStep(max(1, vp.height()))
        vbar.setRange(0, max(0, total - vp.height()))
        hbar.setPageStep(max(1, vp.width()))
        hbar.setRange(0, max(0, (self._content_width if self._ends else 0) - vp.width()))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.document is not None:
            if self.fit_width:
                self._apply_zoom()
            else:
                self._update_ranges()
                self._place_views()
        if self.notice.isVisible():
            self.notice._place()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self._place_views()

    # -- page views ---------------------------------------------------------------------------

    def _view(self, page: int) -> PageWidget:
        view = self._views.get(page)
        if view is None:
            view = PageWidget(self, page)
            view.selected.connect(self.selected)
            self._views[page] = view
            self._position(page, view)
            view.show()
        return view

    def _position(self, page: int, view: PageWidget) -> None:
        w, h = self._page_px(page)
        area = max(self._content_width, self.viewport().width())
        x = (area - w) // 2 - self.horizontalScrollBar().value()
        y = self._tops[page] - self.verticalScrollBar().value()
        view.setGeometry(x, y, w, h)

    def visible_pages(self) -> range:
        """The pages at least partly in sight."""
        if not self._tops:
            return range(0)
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        first = min(bisect.bisect_right(self._ends, top), len(self._tops) - 1)
        last = max(first, bisect.bisect_left(self._tops, bottom) - 1)
        return range(first, min(last, len(self._tops) - 1) + 1)

    def _place_views(self) -> None:
        if self.document is None:
            return
        sight = self.visible_pages()
        keep = range(max(0, sight.start - 1), min(self.page_count(), sight.stop + 1))
        for page in [p for p in self._views if p not in keep]:
            view = self._views.pop(page)
            view.hide()
            view.deleteLater()
        for page in keep:
            view = self._view(page)
            self._position(page, view)
            self._want(page)
        for page in reversed(sight):  # the worker draws the last request first: the top page first
            self._want(page)

    def _want(self, page: int) -> None:
        scale = self.scale
        held = self._images.get(page)
        if (held is not None and held[0] == scale) or self._requested.get(page) == scale:
            return
        w, h = self._page_px(page)
        ratio = self.devicePixelRatioF()
        self._requested[page] = scale
        self._worker.render(self._generation, "page", page, round(w * ratio), round(h * ratio), scale)

    def _request_thumbnail(self, page: int) -> None:
        w, h = self.document.info.sizes[page]
        self._worker.render(self._generation, "thumb", page, THUMB_WIDTH, max(1, round(THUMB_WIDTH * h / max(w, 1.0))),
                            0.0)

    def image_for(self, page: int) -> QtGui.QImage | None:
        held = self._images.get(page)
        if held is None:
            return None
        self._images.move_to_end(page)
        return held[1]

    def _on_rendered(self, generation: int, page: int, scale: float, image: QtGui.QImage) -> None:
        if generation != self._generation:
            return
        if self._requested.get(page) == scale:
            del self._requested[page]
        image.setDevicePixelRatio(self.devicePixelRatioF())
        self._images[page] = (scale, image)
        self._images.move_to_end(page)
        while len(self._images) > CACHED_PAGES:
            self._images.popitem(last=False)
        view = self._views.get(page)
        if view is not None:
            view.update()
        self.thumbnailReady.emit(page, image.scaledToWidth(THUMB_WIDTH, Qt.TransformationMode.SmoothTransformation))

    def _on_thumbnail(self, generation: int, page: int, image: QtGui.QImage) -> None:
        if generation == self._generation:
            self.thumbnailReady.emit(page, image)

    # -- pages --------------------------------------------------------------------------------

    def current_page(self) -> int:
        if not self._ends:
            return 0
        y = self.verticalScrollBar().value() + self.viewport().height() // 3
        return min(bisect.bisect_right(self._ends, y), len(self._ends) - 1)

    def go_to_page(self, page: int, y_points: float | None = None) -> None:
        if self.document is None:
            if self._pending is not None:  # still loading: go there once it is
                self._pending = (page, y_points, self._pending[2])
            return
        page = min(max(0, page), self.page_count() - 1)
        y = self._tops[page] - PAGE_GAP // 2
        if y_points is not None:
            y = self._tops[page] + round(y_points * self.scale) - self.viewport().height() // 3
        self.verticalScrollBar().setValue(max(0, y))
        self._place_views()
        self._scrolled()

    def _scrolled(self, *_args) -> None:
        page = self.current_page()
        if page != self._last_page:
            self._last_page = page
            self.currentPageChanged.emit(page)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_PageDown:
            self.go_to_page(self.current_page() + 1)
        elif key == Qt.Key.Key_PageUp:
            self.go_to_page(self.current_page() - 1)
        elif key == Qt.Key.Key_Home and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.go_to_page(0)
        elif key == Qt.Key.Key_End and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.go_to_page(self.page_count() - 1)
        else:
            super().keyPressEvent(event)

    # -- find ---------------------------------------------------------------------------------

    def find(self, query: str) -> list[tuple[int, str, list[Rect]]]:
        """Every occurrence of ``query`` in the document: (page, the words as found, their rects).
        Asked of the renderer with a time limit; an empty list when it is busy or fails."""
        if self.document is None:
            return []
        try:
            found = self.renderer.find(query, wait=QUICK_WAIT, seconds=FIND_SECONDS)
        except RenderFailed:
            return []
        return [(page, words, rects) for page, words, _snippet, rects in found]

    # -- marks --------------------------------------------------------------------------------

    def set_marks(self, layer: str, marks: list[Mark]) -> None:
        """Replace one layer of marks ('annotations', 'hits', …) and repaint."""
        self._marks[layer] = marks
        for view in self._views.values():
            view.update()

    def marks_for(self, page: int) -> list[Mark]:
        return [m for layer in self._marks.values() for m in layer if m.page == page]

"""A PDF reader fed from memory, with its own page widgets so highlights can be painted and selected.

QPdfView has no text selection and no overlay API (LIBRARY-NOTES), so each page is a widget that
draws ``QPdfDocument.render`` and paints highlights, search hits and the selection on top. The
document is loaded from a QBuffer over the decrypted bytes: no temporary file ever exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from panel_desk.ui.qt import QPdfDocument, Qt, QtCore, QtGui, QtWidgets, Signal

Rect = tuple[float, float, float, float]  # page points, origin top-left: x0, y0, x1, y1

HIGHLIGHT = QtGui.QColor(255, 221, 0, 110)  # GOV.UK yellow, see-through
HIGHLIGHT_SHARED = QtGui.QColor(29, 112, 184, 70)
HIT = QtGui.QColor(0, 112, 60, 80)
HIT_CURRENT = QtGui.QColor(212, 53, 28, 110)
SELECTION = QtGui.QColor(29, 112, 184, 110)
PAGE_GAP = 16
MIN_ZOOM, MAX_ZOOM = 0.25, 4.0


@dataclass
class Mark:
    """Something painted on a page: an annotation's rects, a search hit or the selection."""

    page: int  # 0-based
    rects: list[Rect]
    colour: QtGui.QColor
    key: str = ""


def load_pdf(data: bytes, parent: QtCore.QObject | None = None) -> tuple[QPdfDocument, QtCore.QBuffer]:
    """A QPdfDocument over ``data`` held in memory. Keep the buffer alive as long as the document."""
    buffer = QtCore.QBuffer(parent)
    buffer.setData(QtCore.QByteArray(data))
    buffer.open(QtCore.QIODevice.OpenModeFlag.ReadOnly)
    doc = QPdfDocument(parent)
    doc.load(buffer)
    return doc, buffer


def selection_rects(selection) -> list[Rect]:
    """The bounding boxes of a QPdfSelection's polygons, in page points."""
    out = []
    for poly in selection.bounds():
        r = poly.boundingRect()
        out.append((r.left(), r.top(), r.right(), r.bottom()))
    return out


def _find_pattern(query: str) -> re.Pattern[str] | None:
    """``query`` as a pattern: any case, any run of spaces or line breaks between its words (a
    phrase may wrap in the PDF), and a straight apostrophe matching a curly one."""
    parts = query.split()
    if not parts:
        return None
    words = ("".join("['\u2019]" if c in "'\u2019" else re.escape(c) for c in p) for p in parts)
    return re.compile(r"\s+".join(words), re.IGNORECASE)


def find_matches(doc: QPdfDocument, page: int, query: str) -> list[tuple[str, str, list[Rect]]]:
    """Every occurrence of ``query`` on ``page`` (any case, any spacing between words), in order:
    (the words as the document has them, the text around them, their rects).

    The first item is what a highlight quotes: the document's own letters, whatever the case of
    the query, with a line break inside the phrase read as one space (as a mouse selection is).
    """
    pattern = _find_pattern(query)
    if pattern is None:
        return []
    text = doc.getAllText(page).text()
    out = []
    for m in pattern.finditer(text):
        start, end = m.span()
        sel = doc.getSelectionAtIndex(page, start, end - start)
        snippet = " ".join(text[max(0, start - 40): end + 40].split())
        out.append((" ".join(m.group().split()), snippet, selection_rects(sel)))
    return out


def find_in_page(doc: QPdfDocument, page: int, query: str) -> list[tuple[str, list[Rect]]]:
    """Every occurrence of ``query`` on ``page``: (the text around it, its rects). See find_matches."""
    return [(snippet, rects) for _found, snippet, rects in find_matches(doc, page, query)]


class PageWidget(QtWidgets.QWidget):
    """One page: its rendered image and the marks painted over it; drag to select text."""

    selected = Signal(int, str, list)  # page (0-based), text, rects in points

    def __init__(self, viewer: PdfViewer, page: int) -> None:
        super().__init__()
        self.viewer = viewer
        self.page = page
        self._image: QtGui.QImage | None = None
        self._image_scale = 0.0
        self._drag_from: QtCore.QPointF | None = None
        self._selection: list[Rect] = []
        self.setAccessibleName(f"Page {page + 1}")
        self.setCursor(Qt.CursorShape.IBeamCursor)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Fixed, QtWidgets.QSizePolicy.Policy.Fixed)
        self.update_size()

    def points(self) -> QtCore.QSizeF:
        return self.viewer.document.pagePointSize(self.page)

    def update_size(self) -> None:
        pts = self.points()
        scale = self.viewer.scale
        self.setFixedSize(max(1, round(pts.width() * scale)), max(1, round(pts.height() * scale)))

    def to_points(self, pos: QtCore.QPointF) -> QtCore.QPointF:
        s = self.viewer.scale
        return QtCore.QPointF(pos.x() / s, pos.y() / s)

    def paintEvent(self, event) -> None:
        painter = QtGui.QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        scale = self.viewer.scale
        ratio = self.devicePixelRatioF()
        if self._image is None or self._image_scale != scale:
            size = QtCore.QSize(round(self.width() * ratio), round(self.height() * ratio))
            self._image = self.viewer.document.render(self.page, size)
            self._image.setDevicePixelRatio(ratio)
            self._image_scale = scale
        painter.drawImage(0, 0, self._image)
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
        if self._drag_from is not None:
            sel = self.viewer.document.getSelection(self.page, self.to_points(self._drag_from),
                                                    self.to_points(event.position()))
            self._selection = selection_rects(sel) if sel.isValid() else []
            self.update()

    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:
        if self._drag_from is None:
            return
        start, self._drag_from = self._drag_from, None
        sel = self.viewer.document.getSelection(self.page, self.to_points(start), self.to_points(event.position()))
        self._selection = []
        self.update()
        if sel.isValid() and sel.text().strip():
            self.selected.emit(self.page, " ".join(sel.text().split()), selection_rects(sel))


class PdfViewer(QtWidgets.QScrollArea):
    """Continuous pages, zoom and fit-width, PgUp/PgDn between pages, marks painted over text."""

    currentPageChanged = Signal(int)
    zoomChanged = Signal(float)
    selected = Signal(int, str, list)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.document: QPdfDocument | None = None
        self._buffer: QtCore.QBuffer | None = None
        self.zoom = 1.0
        self.fit_width = True
        self.pages: list[PageWidget] = []
        self._marks: dict[str, list[Mark]] = {}
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Document pages")
        self.setBackgroundRole(QtGui.QPalette.ColorRole.Mid)
        self.setStyleSheet("QScrollArea { background: #dee0e2; border: 0; }")
        self._container = QtWidgets.QWidget()
        self._container.setStyleSheet("background: #dee0e2;")
        self._layout = QtWidgets.QVBoxLayout(self._container)
        self._layout.setSpacing(PAGE_GAP)
        self._layout.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        self.setWidget(self._container)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self._last_page = -1

    # -- content ------------------------------------------------------------------------------

    def set_pdf(self, data: bytes) -> None:
        """Show the PDF in ``data`` (held in memory only)."""
        self.clear()
        self.document, self._buffer = load_pdf(data, self)
        for i in range(self.document.pageCount()):
            page = PageWidget(self, i)
            page.selected.connect(self.selected)
            self.pages.append(page)
            self._layout.addWidget(page, 0, Qt.AlignmentFlag.AlignHCenter)
            # shown now, not on the next turn of the loop: the layout skips hidden widgets, and a
            # go_to_page() right after (a search result, a highlight) needs the pages in place
            page.show()
        self._apply_zoom()
        self.verticalScrollBar().setValue(0)
        self._last_page = -1
        self._scrolled()

    def clear(self) -> None:
        for page in self.pages:
            self._layout.removeWidget(page)  # out of the layout now; deleted later
            page.hide()
            page.deleteLater()
        self.pages = []
        self._marks.clear()
        if self.document is not None:
            self.document.close()
            self.document.deleteLater()
            self.document = None
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None

    def page_count(self) -> int:
        return len(self.pages)

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
        if not self.pages:
            return 1.0
        widest = max(p.points().width() for p in self.pages)
        available = self.viewport().width() - 2 * PAGE_GAP - 4
        return min(MAX_ZOOM, max(MIN_ZOOM, available / (widest * self.logicalDpiX() / 72.0)))

    def _apply_zoom(self) -> None:
        page = self.current_page()
        if self.fit_width:
            self.zoom = self._fit_zoom()
        for p in self.pages:
            p.update_size()
        self._layout.activate()
        self._container.adjustSize()
        self.zoomChanged.emit(self.zoom)
        if self.pages:
            self.go_to_page(page)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.fit_width and self.pages:
            self._apply_zoom()

    # -- pages --------------------------------------------------------------------------------

    def current_page(self) -> int:
        y = self.verticalScrollBar().value() + self.viewport().height() // 3
        for p in self.pages:
            if p.y() + p.height() + PAGE_GAP > y:
                return p.page
        return max(0, len(self.pages) - 1)

    def go_to_page(self, page: int, y_points: float | None = None) -> None:
        if not self.pages:
            return
        page = min(max(0, page), len(self.pages) - 1)
        widget = self.pages[page]
        y = widget.y() - PAGE_GAP // 2
        if y_points is not None:
            y = widget.y() + round(y_points * self.scale) - self.viewport().height() // 3
        self.verticalScrollBar().setValue(max(0, y))
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
            self.go_to_page(len(self.pages) - 1)
        else:
            super().keyPressEvent(event)

    # -- marks --------------------------------------------------------------------------------

    def set_marks(self, layer: str, marks: list[Mark]) -> None:
        """Replace one layer of marks ('annotations', 'hits', …) and repaint."""
        self._marks[layer] = marks
        for p in self.pages:
            p.update()

    def marks_for(self, page: int) -> list[Mark]:
        return [m for layer in self._marks.values() for m in layer if m.page == page]


def thumbnail(doc: QPdfDocument, page: int, width: int = 96) -> QtGui.QPixmap:
    """A small picture of one page for the page list."""
    pts = doc.pagePointSize(page)
    height = max(1, round(width * pts.height() / max(1.0, pts.width())))
    return QtGui.QPixmap.fromImage(doc.render(page, QtCore.QSize(width, height)))

"""The renderer process behind the member's viewer (panel_desk/core/pdfrender.py), without Qt."""

from __future__ import annotations

import io
import os
import time

import pytest
from hostile_pdfs import inflation_bomb, many_pages, self_looping_page_tree
from reportlab.pdfgen import canvas

from panel_desk.core.pdfrender import PdfRenderer, RenderFailed, find_pattern


def text_pdf(*pages: str) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pageCompression=0, invariant=1)
    for text in pages:
        c.drawString(72, 720, text)
        c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture
def renderer():
    r = PdfRenderer()
    yield r
    r.close()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split()[2] != "Z"


def test_pages_are_drawn_selected_and_found_through_the_pipe(renderer):
    info = renderer.load(text_pdf("Children keep a reviewer they know", "A second page"))
    assert info.pages == 2 and info.sizes[0] == pytest.approx((595.2756, 841.8898), abs=0.01)
    bitmap = renderer.render(0, 298, 421)
    assert (bitmap.width, bitmap.height) == (298, 421) and len(bitmap.data) == bitmap.stride * bitmap.height
    assert renderer.text(1) == "A second page"
    found = renderer.find("KEEP  a\nreviewer")
    assert [(page, words) for page, words, _snippet, _rects in found] == [(0, "keep a reviewer")]
    x0, y0, x1, y1 = found[0][3][0]
    assert 72 < x0 < x1 and 110 < y0 < y1 < 130  # page points from the top-left, as the viewer paints
    text, rects = renderer.select(0, (x0 + 1, (y0 + y1) / 2), (x1 - 1, (y0 + y1) / 2))
    assert text == "keep a reviewer" and rects
    assert renderer.select_index(0, 0, 8)[0] == "Children"


def test_a_self_looping_page_tree_is_refused_in_words_and_the_next_document_opens(renderer):
    with pytest.raises(RenderFailed, match="list of pages cannot be read"):
        renderer.load(self_looping_page_tree())
    assert renderer.load(many_pages(50_000)).pages == 50_000
    assert abs(renderer.render(49_999, 61, 79).width - 61) <= 1  # PDFium rounds up part pixels


def test_a_render_past_its_time_limit_kills_the_renderer(renderer):
    renderer.load(inflation_bomb(1 << 30))
    pid = renderer.pid
    start = time.monotonic()
    with pytest.raises(RenderFailed, match="Drawing page 1 took longer than the time allowed"):
        renderer.render(0, 600, 800, seconds=0.3)
    assert time.monotonic() - start < 3
    assert renderer.pid is None and not alive(pid)
    with pytest.raises(RenderFailed, match="No document is open"):
        renderer.text(0)


def test_a_render_past_its_memory_limit_is_reported_and_costs_only_the_renderer():
    r = PdfRenderer(memory=256 << 20)
    try:
        r.load(inflation_bomb(1 << 30))
        with pytest.raises(RenderFailed, match="stopped"):
            r.render(0, 600, 800)
    finally:
        r.close()


def test_find_pattern_matches_across_spacing_and_apostrophes():
    pattern = find_pattern("child's  review")
    assert pattern.search("the child\u2019s\nreview") and find_pattern("   ") is None


def test_a_search_that_runs_long_answers_with_what_it_found(renderer):
    renderer.load(many_pages(50_000))
    start = time.monotonic()
    assert renderer.find("nothing here", seconds=0.5) == []
    assert not renderer.find_complete and time.monotonic() - start < 1.5
    assert renderer.text(0) == ""  # and the renderer is still there


def test_a_document_file_is_streamed_to_the_renderer_with_progress(renderer):
    data = text_pdf("Streamed from a file, a megabyte at a time")
    seen = []
    info = renderer.load(io.BytesIO(data), progress=lambda done, total: seen.append((done, total)))
    assert info.pages == 1 and seen[-1] == (len(data), len(data))
    assert renderer.text(0) == "Streamed from a file, a megabyte at a time"

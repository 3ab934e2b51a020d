"""Hostile PDFs in the member's window (issue 12, items 2, 3 and 5): refused at import with the
reason shown; and where one is shown anyway, the viewer stays alive, responsive and bounded."""

from __future__ import annotations

import resource
import time

import pytest
from hostile_pdfs import inflation_bomb, many_pages, self_looping_page_tree

from panel_desk.core import bundle
from panel_desk.core.model import DocumentRef
from panel_desk.ui.member import text as words
from panel_desk.ui.member.pdf import NOT_SHOWN, PdfViewer
from panel_desk.ui.qt import QtCore, QtWidgets

pytestmark = [pytest.mark.timeout(120)]

# A frozen window stalls for seconds (10,000 pages used to freeze it for 22 s); this bound holds on
# a loaded test machine. The 100 ms target is measured in benchmarks/bench_pdf_viewer.py.
MAX_GAP_MS = 250
HOSTILE = {
    "self-looping page tree": (self_looping_page_tree, "list of pages refers back to itself"),
    "50,000 pages": (many_pages, "This document has 50,000 pages; Panel Desk opens documents of up to 10,000 pages."),
    "4 MB that unpack to 4 GB": (inflation_bomb, "unpacks to more than 512 MB"),
}


def peak_child_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


class Ticks:
    """A 10 ms timer on the GUI thread: the longest gap between ticks is the longest stall."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.timer = QtCore.QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(lambda: self.times.append(time.perf_counter()))
        self.timer.start()

    def longest_gap_ms(self) -> float:
        self.timer.stop()
        return max((b - a) * 1000 for a, b in zip(self.times, self.times[1:], strict=False))


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_pdf_is_refused_at_import_with_the_reason_shown(qtbot, sealed, member_profile, open_window,
                                                                  tmp_path, case):
    build, reason = HOSTILE[case]
    app = sealed.example
    docs = [DocumentRef(path="documents/annex.pdf", title="Annex")]
    payload = app.model_copy(update={"documents": docs}).model_dump(mode="json")
    path = tmp_path / "hostile.pdbundle"
    bundle.seal(bundle.Kind.APPLICATION, application_id=app.id, revision=1, payload=payload,
                files={"documents/annex.pdf": build()}, titles={"documents/annex.pdf": "Annex"},
                signer=sealed.secretariat, recipients=[sealed.member_card], out=path)
    screen = open_window(member_profile())
    results = []
    screen.view.imported.connect(results.append)
    ticks = Ticks()
    screen.view.open_files([path])
    qtbot.waitUntil(lambda: bool(results), timeout=60_000)
    assert ticks.longest_gap_ms() < MAX_GAP_MS * 2  # the import ran off the GUI thread
    assert results[0].refused and reason in results[0].message
    assert screen.view.notice.title.text() == words.PROBLEM_OPENING
    assert reason in screen.view.notice.text.text()
    assert screen.ws.applications() == []  # nothing half-imported
    assert peak_child_memory_mb() < 1500


@pytest.fixture
def viewer(qtbot):
    v = PdfViewer()
    qtbot.addWidget(v)
    v.resize(800, 700)
    v.show()
    qtbot.waitExposed(v)
    yield v
    v.shutdown()


def test_a_self_looping_page_tree_shows_could_not_be_shown_and_the_window_lives(qtbot, viewer):
    ticks = Ticks()
    with qtbot.waitSignal(viewer.failed, timeout=30_000) as failed:
        viewer.set_pdf(self_looping_page_tree())
    assert ticks.longest_gap_ms() < MAX_GAP_MS
    assert "list of pages cannot be read" in failed.args[0]
    assert viewer.notice.isVisible() and viewer.notice.title.text() == NOT_SHOWN + "."
    assert viewer.notice.accessibleName().startswith(NOT_SHOWN)
    assert viewer.page_count() == 0 and viewer.document is None
    with qtbot.waitSignal(viewer.loaded, timeout=30_000):  # and the next document shows as usual
        viewer.set_pdf(many_pages(3))
    assert viewer.page_count() == 3 and not viewer.notice.isVisible()


def test_50000_pages_open_with_page_views_only_for_the_pages_in_sight(qtbot, viewer):
    data = many_pages(50_000)
    ticks = Ticks()
    with qtbot.waitSignal(viewer.loaded, timeout=60_000):
        viewer.set_pdf(data)
    assert viewer.page_count() == 50_000
    qtbot.waitUntil(lambda: viewer.image_for(0) is not None, timeout=10_000)
    for page in (10_000, 49_999, 25_000):
        viewer.go_to_page(page)
        assert viewer.current_page() == page
        qtbot.waitUntil(lambda page=page: viewer.image_for(page) is not None, timeout=10_000)
    assert ticks.longest_gap_ms() < MAX_GAP_MS
    assert len(viewer.viewport().findChildren(QtWidgets.QWidget)) < 20  # not one widget per page
    viewer.zoom_in()
    assert viewer.current_page() == 25_000


def test_a_render_that_needs_too_much_memory_kills_only_the_renderer(qtbot, viewer):
    viewer.renderer.memory = 300 << 20
    ticks = Ticks()
    with qtbot.waitSignal(viewer.failed, timeout=60_000) as failed:
        viewer.set_pdf(inflation_bomb(1 << 30))
    assert ticks.longest_gap_ms() < MAX_GAP_MS
    assert "stopped" in failed.args[0] or "memory" in failed.args[0]
    assert viewer.notice.title.text() == NOT_SHOWN + "."
    assert peak_child_memory_mb() < 1500


def test_a_document_that_cannot_be_decrypted_shows_why(qtbot, viewer):
    from panel_desk.core.errors import InvalidInput

    def fetch(_progress):
        raise InvalidInput("This application has expired; ask the secretariat for a new copy.")

    with qtbot.waitSignal(viewer.failed, timeout=10_000):
        viewer.open_pdf(fetch)
    assert viewer.notice.reason.text() == "This application has expired; ask the secretariat for a new copy."

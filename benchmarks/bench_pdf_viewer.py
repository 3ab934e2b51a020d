"""Benchmark the member's PDF viewer and the import-time PDF check on large and hostile documents.

Usage: ``QT_QPA_PLATFORM=offscreen python benchmarks/bench_pdf_viewer.py [--mb 200] [--pages 50000]``

Reports, against the targets of issue 12 / DESIGN §7:

- opening a ``--mb`` MB document (200 pages, each with text and an incompressible 1 MB stream):
  the longest stall of the GUI thread while it opens (a 10 ms timer ticks throughout; target
  under 100 ms), the time until it is loaded, and until the first page is drawn (target 1 s);
- a ``--pages``-page document: the same, then jumping to 200 pages spread over it, each drawn;
- the import-time check (:func:`panel_desk.core.pdfcheck.check_pdf`) of each, and of the 4 MB
  that unpack to 4 GB: wall time and the peak memory of the checking process;
- end to end: the secretariat records a sealed application with a ``--mb`` MB annex, a member
  imports it (the check included) and opens the annex in the Documents tab (decrypted from the
  store off the GUI thread, loaded, first page drawn), with the longest GUI stall.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hostile_pdfs import assemble, inflation_bomb, many_pages  # noqa: E402

from panel_desk.core.pdfcheck import UnsafeDocument, check_pdf  # noqa: E402

MAX_GAP_MS = 100
FIRST_PAGE_S = 1.0


def big_pdf(mb: int) -> bytes:
    """``mb`` pages of text, each carrying 1 MB of incompressible bytes in a stream (scans)."""
    pages = max(1, mb)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (4 + 3 * i) for i in range(pages)),
                                                            pages),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i in range(pages):
        text = b"BT /F1 18 Tf 72 720 Td (Annex page %d: scanned consultation responses) Tj ET" % (i + 1)
        n = 4 + 3 * i
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> /PieceInfo << /Scan %d 0 R >> >>" % (n + 1, n + 2))
        objects.append(b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream")
        blob = os.urandom(1 << 20)
        objects.append(b"<< /Length %d >>\nstream\n" % len(blob) + blob + b"\nendstream")
    return assemble(objects)


def open_in_viewer(app, data: bytes, jumps: int = 0) -> dict:
    from panel_desk.ui.member.pdf import PdfViewer
    from panel_desk.ui.qt import QtCore

    viewer = PdfViewer()
    viewer.resize(900, 800)
    viewer.show()
    ticks: list[float] = []
    timer = QtCore.QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    loop = QtCore.QEventLoop()

    def spin_until(cond, limit: float) -> float:
        start = time.perf_counter()
        while not cond() and time.perf_counter() - start < limit:
            QtCore.QTimer.singleShot(5, loop.quit)
            loop.exec()
        return time.perf_counter()

    timer.start()
    start = time.perf_counter()
    viewer.set_pdf(data)
    loaded = spin_until(lambda: viewer.document is not None or bool(viewer.error), 120)
    first = spin_until(lambda: viewer.image_for(0) is not None or bool(viewer.error), 30)
    out = {"loaded_s": loaded - start, "first_page_s": first - start, "error": viewer.error}
    if jumps and viewer.document is not None:
        t = time.perf_counter()
        n = viewer.page_count()
        for k in range(jumps):
            page = (k * 7919) % n
            viewer.go_to_page(page)
            spin_until(lambda page=page: viewer.image_for(page) is not None, 10)
        out["per_jump_ms"] = (time.perf_counter() - t) * 1000 / jumps
        out["page_views"] = len(viewer._views)
    timer.stop()
    gaps = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]
    out["longest_stall_ms"] = max(gaps) if gaps else 0.0
    viewer.shutdown()
    viewer.deleteLater()
    return out


def end_to_end(app, mb: int) -> dict:
    """A member imports a sealed application carrying a ``mb`` MB annex (the PDF check included),
    then opens the annex in the Documents tab: decrypted from the store, loaded and drawn."""
    import shutil
    import tempfile

    from panel_desk.core import secretariat
    from panel_desk.core.identity import Identity
    from panel_desk.core.model import Role
    from panel_desk.core.store import init_profile
    from panel_desk.ui.member._desk import MemberDesk
    from panel_desk.ui.member.documents import DocumentsPage
    from panel_desk.ui.qt import QtCore

    tmp = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    try:
        folder = tmp / "application"
        shutil.copytree(ROOT / "resources" / "examples" / "application", folder)
        (folder / "documents" / "annex-scans.pdf").write_bytes(big_pdf(mb))
        sec = Identity.create("Sam Secretariat", Role.SECRETARIAT, "Panel secretariat")
        sec.save(tmp / "sec.age", "bench pass", work_factor=10)
        me = Identity.create("Asha Patel", Role.CHILDRENS_COMMISSIONER, "Office of the Children's Commissioner")
        me.save(tmp / "me.age", "bench pass", work_factor=10)
        with init_profile(tmp / "sec", tmp / "sec.age", "bench pass") as sec_ws:
            sec_ws.roster_add(me.card)
            sec_ws.roster_add(Identity.create("Ben Okafor", Role.CHIEF_INSPECTOR, "Ofsted").card)
            t = time.perf_counter()
            held = secretariat.new_application(sec_ws, folder)
            record_s = time.perf_counter() - t
            secretariat.seal_application(sec_ws, held.id, tmp / "big.pdbundle")
        ws = init_profile(tmp / "me", tmp / "me.age", "bench pass", [sec.card])
        t = time.perf_counter()
        result = ws.import_bundle(tmp / "big.pdbundle")
        import_s = time.perf_counter() - t
        desk = MemberDesk(ws)
        desk.declare(held.id, none=True, interests=[])
        page = DocumentsPage(desk)
        page.resize(1200, 800)
        page.show()
        page.set_application(held.id)
        loop = QtCore.QEventLoop()

        def spin_until(cond, limit: float) -> float:
            start = time.perf_counter()
            while not cond() and time.perf_counter() - start < limit:
                QtCore.QTimer.singleShot(5, loop.quit)
                loop.exec()
            return time.perf_counter()

        viewer = page.viewer
        annex = "documents/annex-scans.pdf"
        page.open_document(next(d.path for d in desk.documents(held.id) if d.path != annex))
        spin_until(lambda: viewer.image_for(0) is not None or bool(viewer.error), 60)
        ticks: list[float] = []
        timer = QtCore.QTimer()
        timer.setInterval(10)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        timer.start()
        start = time.perf_counter()
        page.open_document(annex)
        loaded = spin_until(lambda: (viewer.document is not None and viewer.page_count() == mb) or bool(viewer.error),
                            120)
        first = spin_until(lambda: viewer.image_for(0) is not None or bool(viewer.error), 30)
        timer.stop()
        gaps = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]
        out = {"secretariat record (check + text) s": record_s, "member import (check + text) s": import_s,
               "import": result.status, "open: decrypted + loaded s": loaded - start,
               "open: first page drawn s": first - start, "open: longest stall ms": max(gaps) if gaps else 0.0,
               "error": viewer.error}
        viewer.shutdown()
        page.deleteLater()
        ws.close()
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def timed_check(data: bytes) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    try:
        checked = check_pdf(data)
        verdict = f"accepted, {checked.pages} pages"
    except UnsafeDocument as exc:
        verdict = f"refused: {exc}"
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": time.perf_counter() - t, "verdict": verdict,
            "peak_child_mb (max over children so far)": max(peak, before) / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--pages", type=int, default=50_000)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from panel_desk.ui.qt import QtWidgets

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    big = big_pdf(args.mb)
    many = many_pages(args.pages)
    print(f"{len(big) / 1e6:.0f} MB document, {args.mb} pages:")
    for k, v in open_in_viewer(app, big).items():
        print(f"  viewer {k}: {v:.3f}" if isinstance(v, float) else f"  viewer {k}: {v}")
    for k, v in timed_check(big).items():
        print(f"  check {k}: {v:.2f}" if isinstance(v, float) else f"  check {k}: {v}")
    print(f"{args.pages:,}-page document ({len(many) / 1e6:.1f} MB):")
    for k, v in open_in_viewer(app, many, jumps=200).items():
        print(f"  viewer {k}: {v:.3f}" if isinstance(v, float) else f"  viewer {k}: {v}")
    for k, v in timed_check(many).items():
        print(f"  check {k}: {v:.2f}" if isinstance(v, float) else f"  check {k}: {v}")
    print(f"End to end, a {args.mb} MB annex in a sealed application:")
    for k, v in end_to_end(app, args.mb).items():
        print(f"  {k}: {v:.3f}" if isinstance(v, float) else f"  {k}: {v}")
    print("4 MB that unpack to 4 GB:")
    for k, v in timed_check(inflation_bomb()).items():
        print(f"  check {k}: {v:.2f}" if isinstance(v, float) else f"  check {k}: {v}")
    print(f"targets: GUI stall < {MAX_GAP_MS} ms, first page < {FIRST_PAGE_S} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

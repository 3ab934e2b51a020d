"""Opening a 100 MB application never stalls the window: a 10 ms timer keeps ticking throughout."""

from __future__ import annotations

import itertools
import os
import shutil
import time
from pathlib import Path

import pytest

from panel_desk.core import secretariat
from panel_desk.core.identity import Identity
from panel_desk.core.model import Role
from panel_desk.ui.main_window import MainWindow
from panel_desk.ui.member._desk import MemberDesk
from panel_desk.ui.member.view import MemberView
from panel_desk.ui.qt import QtCore

pytestmark = [pytest.mark.slow]

WORK_FACTOR = 10
PASS = "test pass phrase words"
SIZE = 100 * 1024 * 1024
MAX_GAP_MS = 100


def big_pdf(path: Path, size: int) -> None:
    """A valid one-page PDF carrying ``size`` random bytes in an unused stream (an annex of scans)."""
    content = b"BT /F1 18 Tf 72 720 Td (Annex: scanned consultation responses) Tj ET"
    blob = os.urandom(size)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(blob) + blob + b"\nendstream",
    ]
    with path.open("wb") as f:
        f.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for i, body in enumerate(objects, start=1):
            offsets.append(f.tell())
            f.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
        xref = f.tell()
        f.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
        for off in offsets:
            f.write(b"%010d 00000 n \n" % off)
        f.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))


def _setup(tmp_path: Path, example_application: Path, size: int, members: int = 1):
    """Profiles for ``members`` panel members and one bundle of ``size`` bytes sealed to them all."""
    from panel_desk.core.store import init_profile

    folder = tmp_path / "application"
    shutil.copytree(example_application, folder)
    big_pdf(folder / "documents" / "annex-scans.pdf", size)
    sec = Identity.create("Sam Secretariat", Role.SECRETARIAT, "Panel secretariat")
    sec.save(tmp_path / "sec.age", PASS, work_factor=WORK_FACTOR)
    inspector = Identity.create("Ben Okafor", Role.CHIEF_INSPECTOR, "Ofsted")
    sec_ws = init_profile(tmp_path / "sec-profile", tmp_path / "sec.age", PASS)
    sec_ws.roster_add(inspector.card)
    spaces = []
    for i in range(members):
        me = Identity.create(f"Asha Patel {i}", Role.CHILDRENS_COMMISSIONER, "Office of the Children's Commissioner")
        me.save(tmp_path / f"me{i}.age", PASS, work_factor=WORK_FACTOR)
        spaces.append(init_profile(tmp_path / f"my-profile-{i}", tmp_path / f"me{i}.age", PASS, [sec.card]))
        sec_ws.roster_add(me.card)
    app = secretariat.new_application(sec_ws, folder)
    bundle = tmp_path / "big.pdbundle"
    secretariat.seal_application(sec_ws, app.id, bundle)
    sec_ws.close()
    return spaces, bundle


def test_cancelling_an_import_leaves_nothing_behind(qtbot, tmp_path, example_application):
    (my_ws,), bundle = _setup(tmp_path, example_application, 16 * 1024 * 1024)
    try:
        window = MainWindow(tmp_path / "my-profile-0")
        qtbot.addWidget(window)
        view = MemberView(MemberDesk(my_ws), window)
        window.show()
        view.open_files([bundle])
        task = view._task
        task.cancel()
        qtbot.waitUntil(lambda: view._task is None, timeout=30000)
        assert window.applications.count() == 0
        assert my_ws.applications() == []
    finally:
        my_ws.close()


def _longest_gap_ms(qtbot, tmp_path: Path, ws, bundle: Path) -> float:
    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    view = MemberView(MemberDesk(ws), window)
    window.show()
    ticks: list[float] = []
    timer = QtCore.QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    qtbot.wait(50)
    with qtbot.waitSignal(view.imported, timeout=60000) as blocker:
        view.open_files([bundle])
    qtbot.wait(30)
    timer.stop()
    assert blocker.args[0].recorded, blocker.args[0].message
    assert window.applications.count() == 1 and view.app_id == blocker.args[0].application_id
    return max(b - a for a, b in itertools.pairwise(ticks)) * 1000


def test_a_100_mb_import_keeps_the_window_responsive(qtbot, tmp_path, example_application):
    """The longest gap between 10 ms ticks while a 100 MB application is imported stays under 100 ms.

    On a shared machine another process can steal the CPU for a moment; a second member imports
    the same bundle when the first run is over the limit, and the better run counts. A stall in
    Panel Desk shows in both.
    """
    spaces, bundle = _setup(tmp_path, example_application, SIZE, members=2)
    try:
        assert bundle.stat().st_size > SIZE
        runs = []
        for i, ws in enumerate(spaces):
            runs.append(_longest_gap_ms(qtbot, tmp_path / f"my-profile-{i}", ws, bundle))
            if runs[-1] < MAX_GAP_MS:
                break
        print(f"import of {bundle.stat().st_size / 1e6:.0f} MB: longest gap per run {[round(r, 1) for r in runs]} ms")
        assert min(runs) < MAX_GAP_MS
    finally:
        for ws in spaces:
            ws.close()

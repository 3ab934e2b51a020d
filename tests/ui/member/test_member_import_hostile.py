"""The member's window with hostile files: each refusal shown, the queue goes on, nothing shown raw.

Real profiles, real bundles sealed by the secretariat's real key (some with hostile manifests,
sealed exactly as given with the project's own ZIP writer and age encryption).
"""

from __future__ import annotations

from pathlib import Path

from hostile import seal_as_given

from panel_desk.core import bundle
from panel_desk.core.appdir import load_application_dir
from panel_desk.ui.member import text as words
from panel_desk.ui.member.view import ApplicationItem
from panel_desk.ui.qt import Qt, QtWidgets

EXAMPLE = Path(__file__).resolve().parents[3] / "resources" / "examples" / "application"


def _withdrawal_manifest(sealed, tmp_path: Path) -> dict:
    manifest = bundle.seal(bundle.Kind.WITHDRAWAL, application_id=sealed.example.id, revision=1,
                           payload={"reason": "Withdrawn."}, files={}, signer=sealed.secretariat,
                           recipients=[sealed.member_card], out=tmp_path / "base.pdbundle")
    return manifest.model_dump(mode="json")


def _notice_lines(view) -> list[str]:
    return view.notice.text.text().splitlines() if view.notice.isVisible() else []


def test_a_batch_with_hostile_files_shows_each_refusal_and_imports_the_rest(qtbot, sealed, member_profile,
                                                                             open_window, tmp_path):
    screen = open_window(member_profile())
    base = _withdrawal_manifest(sealed, tmp_path)
    huge = seal_as_given({**base, "revision": 2**63}, {}, signer=sealed.secretariat,
                         recipients=[sealed.member_card], out=tmp_path / "huge-revision.pdbundle")
    kind = seal_as_given({**base, "kind": []}, {}, signer=sealed.secretariat,
                         recipients=[sealed.member_card], out=tmp_path / "kind-list.pdbundle")
    junk = tmp_path / "notes.pdbundle"
    junk.write_bytes(b"not a bundle")
    files = [huge, kind, junk, sealed.bundles["example"]]
    screen.view.open_files(files)
    qtbot.waitUntil(lambda: len(_notice_lines(screen.view)) == 4 and screen.view._task is None, timeout=30000)
    lines = _notice_lines(screen.view)
    assert [line.split(": ")[0] for line in lines] == [p.name for p in files]
    assert "list of contents cannot be read" in lines[0]
    assert "of a kind this version of Panel Desk does not know" in lines[1]
    assert "not a Panel Desk bundle" in lines[2]
    assert lines[3].startswith("example.pdbundle: Imported ")
    assert screen.view.notice.title.text() == words.PROBLEM_OPENING
    assert screen.window.applications.count() == 1


def test_a_fault_in_one_import_is_reported_and_the_queue_goes_on(qtbot, sealed, member_profile, open_window,
                                                                  tmp_path, monkeypatch):
    screen = open_window(member_profile())
    desk = screen.view.desk
    real = desk.import_bundle
    first = tmp_path / "first.pdbundle"
    first.write_bytes(sealed.bundles["example"].read_bytes())

    def import_bundle(path, progress, cancelled):
        if Path(path) == first:  # stands in for a bug of ours on this one file
            raise RuntimeError("a fault")
        return real(path, progress, cancelled)

    monkeypatch.setattr(desk, "import_bundle", import_bundle)
    screen.view.open_files([first, sealed.bundles["example"]])
    qtbot.waitUntil(lambda: len(_notice_lines(screen.view)) == 2 and screen.view._task is None, timeout=30000)
    lines = _notice_lines(screen.view)
    assert lines[0] == f"first.pdbundle: {words.IMPORT_FAULT}"
    assert lines[1].startswith("example.pdbundle: Imported ")
    assert screen.window.applications.count() == 1


def test_titles_with_escapes_and_bidi_are_neutralised_in_the_list(qtbot, sealed, member_profile, open_window,
                                                                  tmp_path):
    app, files = load_application_dir(EXAMPLE)
    app = app.model_copy(update={"title": "Fostering <b>panels</b>\x1b[31m\u202efdp.exe",
                                 "authority": "Northshire\u202e County Council"}).with_id()
    path = tmp_path / "odd-title.pdbundle"
    bundle.seal(bundle.Kind.APPLICATION, application_id=app.id, revision=app.revision,
                payload=app.model_dump(mode="json"), files=files, signer=sealed.secretariat,
                recipients=[sealed.member_card], out=path)
    screen = open_window(member_profile())
    screen.view.open_files([path])
    qtbot.waitUntil(lambda: screen.window.applications.count() == 1 and screen.view._task is None, timeout=30000)
    lst = screen.window.applications
    item = lst.itemWidget(lst.item(0))
    assert isinstance(item, ApplicationItem)
    labels = item.findChildren(QtWidgets.QLabel)
    shown = [label.text() for label in labels]
    assert "Northshire\\u202e County Council" in shown
    assert "Fostering <b>panels</b>\\x1b[31m\\u202efdp.exe" in shown
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    notice = screen.view.notice.text
    assert "\u202e" not in notice.text() and notice.textFormat() == Qt.TextFormat.PlainText

"""Roster › Replace a lost key…: revoke a member's key, put their new card in its place and seal the open
application again for it — through the page, on real profiles."""

from __future__ import annotations

from test_secretariat_screens import import_folder

from panel_desk.core import secretariat as sec_core
from panel_desk.core.identity import Identity
from panel_desk.core.model import Role
from panel_desk.ui.qt import Qt, QtWidgets

LEFT = Qt.MouseButton.LeftButton


def test_replacing_a_lost_key_revokes_it_and_reseals_for_the_new_one(qtbot, tmp_path, on_roster, screen,
                                                                    scripted_files, example_application,
                                                                    monkeypatch):
    _window, view = screen
    import_folder(qtbot, view, scripted_files, example_application)
    app_id = view.app_id
    sec_core.seal_application(view.desk.ws, app_id, tmp_path / "application.pdbundle")
    page = view.roster
    view.tabs.setCurrentWidget(page)
    qtbot.mouseClick(page.replace_button, LEFT)  # nobody chosen yet: said, nothing changed
    assert page.errors.isVisible() and "Choose the member" in page.errors.accessibleName()
    ben = on_roster["Ben"]
    row = next(i for i, m in enumerate(view.desk.roster()) if m.fingerprint == ben.fingerprint)
    page.table.selectRow(row)
    new = Identity.create("Ben Okafor", Role.CHIEF_INSPECTOR, "Ofsted")
    new.card.save(tmp_path / "ben-new.card.json")
    scripted_files.queue("open_file", tmp_path / "ben-new.card.json")
    scripted_files.queue("folder", tmp_path / "resealed")
    monkeypatch.setattr(QtWidgets.QInputDialog, "getText", lambda *a, **k: ("Laptop lost on the train.", True))
    qtbot.mouseClick(page.replace_button, LEFT)
    assert not page.errors.isVisible(), page.errors.accessibleName()
    assert "old key is revoked" in page.message.text() and "1 open application(s)" in page.message.text()
    assert [p.suffix for p in (tmp_path / "resealed").iterdir()] == [".pdbundle"]
    fingerprints = [m.fingerprint for m in view.desk.roster()]
    assert new.fingerprint in fingerprints and ben.fingerprint not in fingerprints
    assert page.table.rowCount() == len(fingerprints)

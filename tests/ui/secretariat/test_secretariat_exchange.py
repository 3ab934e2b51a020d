"""The secretariat's exchange folder: sealing writes there without a dialog, and what members save
there is imported by itself, with a report line naming sender, kind and application."""

from __future__ import annotations

from test_secretariat_screens import LEFT, import_folder

from panel_desk.core import exchange, member


def test_seal_into_the_folder_and_import_what_members_save_there(qtbot, on_roster, screen, scripted_files,
                                                                    example_application, tmp_path, secretariat):
    _window, view = screen
    shared = tmp_path / "shared"
    shared.mkdir()
    exchange.set_folder(secretariat.ws, shared)
    app_id = import_folder(qtbot, view, scripted_files, example_application)
    page = view.application
    for check in page.member_checks.values():
        check.setChecked(True)
    qtbot.mouseClick(page.seal_button, LEFT)  # no file dialog is queued: none may open
    qtbot.waitUntil(page.confirmation.isVisible, timeout=20000)
    [sealed] = [p for p in shared.iterdir() if not p.name.startswith(".")]  # (a file being written is hidden)
    assert sealed.name.endswith(f" application {app_id} Sam Secretariat.pdbundle")

    # a member imports it from the same folder and saves their declaration there
    asha = on_roster["Asha"].ws
    exchange.set_folder(asha, shared)
    assert [line.outcome for line in exchange.sync(asha)] == ["imported"]
    member.declare(asha, app_id, none=True)
    out = exchange.outgoing_path(asha, "declaration", app_id)
    member.export_declaration(asha, app_id, out)
    exchange.remember_written(asha, out)

    view.exchange.sync_now()
    qtbot.waitUntil(lambda: view.imports.table.rowCount() == 1, timeout=10000)
    what = view.imports.table.item(0, 1).text()
    title = secretariat.ws.application(app_id).title
    assert what == f"Declaration of interests from Asha Patel about {title}"
    assert view.imports.table.item(0, 2).text() == "Imported"
    assert out.exists() and sealed.exists()

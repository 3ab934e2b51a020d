"""The exchange folder: named files that never collide, and sync that imports only what is addressed to you."""

from __future__ import annotations

from datetime import date

import pytest

from panel_desk.core import exchange, member, secretariat
from panel_desk.core.errors import InvalidInput, NotFound
from tests.core._workflow import copy_example, make_panel


@pytest.fixture
def panel(tmp_path):
    p = make_panel(tmp_path)
    yield p
    p.close()


def test_file_names_say_date_kind_application_and_sender_and_never_collide(tmp_path):
    name = exchange.file_name(date(2026, 11, 29), "response", "wexmoor-2026", "Tom Okafor")
    assert name == "2026-11-29 response wexmoor-2026 Tom Okafor.pdbundle"
    assert "/" not in exchange.file_name(date(2026, 11, 29), "draft-advice", "a/b:c", "Ann <x>")
    (tmp_path / name).write_bytes(b"x")
    second = exchange.free_path(tmp_path, name)
    assert second.name == "2026-11-29 response wexmoor-2026 Tom Okafor (2).pdbundle"


def test_a_folder_that_does_not_exist_is_refused_in_words(panel, tmp_path):
    with pytest.raises(InvalidInput, match="There is no folder"):
        exchange.set_folder(panel.sec, tmp_path / "nowhere")
    with pytest.raises(NotFound, match="exchange folder"):
        exchange.sync(panel.sec)


def test_the_whole_cycle_runs_through_one_shared_folder(panel, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    for ws in panel.profiles.values():
        exchange.set_folder(ws, shared)
    sec = panel.sec
    app = secretariat.new_application(sec, copy_example(tmp_path))
    out = exchange.outgoing_path(sec, "application", app.id)
    secretariat.seal_application(sec, app.id, out)
    exchange.remember_written(sec, out)
    assert out.name.startswith(f"{date.today().isoformat()} application {app.id} Sam Secretary")

    # every member imports it by syncing; the secretariat, who wrote it, skips it silently
    assert exchange.sync(sec) == []
    cara = panel.ws("Cara Okafor")
    lines = exchange.sync(cara)
    assert [(line.outcome, line.sender, line.kind) for line in lines] == [("imported", "Sam Secretary", "application")]
    assert lines[0].title == app.title
    assert exchange.sync(cara) == []  # remembered: not imported or reported twice

    # Cara's declaration goes to the folder; Ian (another member) cannot read it and skips it
    member.declare(cara, app.id, none=True)
    decl = exchange.outgoing_path(cara, "declaration", app.id)
    member.export_declaration(cara, app.id, decl)
    exchange.remember_written(cara, decl)
    ian = panel.ws("Ian Moss")
    ian_lines = exchange.sync(ian)
    assert {line.path.name: line.outcome for line in ian_lines}[decl.name] == "skipped"
    sec_lines = {line.path.name: line for line in exchange.sync(sec)}
    assert sec_lines[decl.name].outcome == "imported"
    assert sec_lines[decl.name].sender == "Cara Okafor"
    assert sec_lines[decl.name].title == app.title
    assert decl.exists() and out.exists()  # nothing the reader did not write is deleted


def test_a_damaged_file_is_refused_with_a_line_and_left_in_place(panel, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    bad = shared / "2026-11-29 response x Someone.pdbundle"
    bad.write_bytes(b"not a bundle")
    lines = exchange.sync(panel.sec, shared)
    assert [line.outcome for line in lines] == ["refused"]
    assert exchange.folder_of(panel.sec) == shared.resolve()
    assert bad.exists()

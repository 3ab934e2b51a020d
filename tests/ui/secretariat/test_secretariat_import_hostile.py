"""The secretariat's imports page with hostile files: a row for each, in words, and the batch goes on.

The bundles are really sealed with a roster member's key (hostile manifests sealed exactly as
given with the project's own ZIP writer and age encryption); the profile is a real profile.
"""

from __future__ import annotations

from datetime import UTC, datetime

from hostile import nested, seal_as_given

from panel_desk.core import bundle
from panel_desk.core.model import ConflictDeclaration


def test_hostile_files_each_get_a_refused_row_and_the_rest_are_read(qtbot, screen, secretariat, on_roster,
                                                                   tmp_path):
    _window, view = screen
    asha = on_roster["Asha"]
    declaration = ConflictDeclaration(application_id="wexmoor-2026-ab12", application_revision=1,
                                      member=asha.fingerprint, none_to_declare=True,
                                      declared_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    base = bundle.seal(bundle.Kind.DECLARATION, application_id="wexmoor-2026-ab12", revision=1,
                       payload=declaration.model_dump(mode="json"), files={}, signer=asha.identity,
                       recipients=[secretariat.card], out=tmp_path / "base.pdbundle").model_dump(mode="json")

    def hostile(name: str, **changes) -> object:
        return seal_as_given({**base, **changes}, {}, signer=asha.identity, recipients=[secretariat.card],
                             out=tmp_path / name)

    files = [
        hostile("deep\u202efdp.pdbundle", payload={**base["payload"], "x": nested(900)}),
        hostile("kind.pdbundle", kind={"a": 1}),
        hostile("year-9000.pdbundle", payload={**base["payload"], "declared_at": "9000-01-01T00:00:00+00:00"}),
        tmp_path / "base.pdbundle",  # well formed: read, then refused for what it says (the profile holds no such application)
    ]
    view.imports.import_files(files)
    qtbot.waitUntil(lambda: view.imports.table.rowCount() == 4, timeout=20000)
    table = view.imports.table
    names = [table.item(r, 0).text() for r in range(4)]
    results = [table.item(r, 2).text() for r in range(4)]
    assert names == ["deep\\u202efdp.pdbundle", "kind.pdbundle", "year-9000.pdbundle", "base.pdbundle"]
    assert all(r.startswith("Refused: ") for r in results)
    assert "cannot be read" in results[0]
    assert "of a kind this version of Panel Desk does not know" in results[1]
    assert "dated 1 January 9000 at 00:00 UTC, more than a day after the time on this computer" in results[2]
    assert view.imports.summary.text() == "0 imported, 4 refused."
    assert not view.imports.errors.isVisible()


def test_a_members_name_with_bidi_characters_is_shown_escaped_on_the_roster(qtbot, screen, secretariat, tmp_path):
    from panel_desk.core.identity import Identity
    from panel_desk.core.model import Role

    _window, view = screen
    odd = Identity.create("Asha\u202e Patel", Role.EXPERT, "University")
    secretariat.ws.roster_add(odd.card, role=Role.EXPERT)
    view.tabs.setCurrentWidget(view.roster)
    view.roster.refresh()
    names = [view.roster.table.item(r, 0).text() for r in range(view.roster.table.rowCount())]
    assert "Asha\\u202e Patel" in names and not any("\u202e" in n for n in names)

"""The secretariat's screens over real profiles: real identities, bundles, store and signed PDF.

Members act through the core (panel_desk.core.member); the secretariat acts only through the
screens, by clicks and typing. Identities use a small scrypt work factor, passed explicitly.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_secretariat_screens import shot

from panel_desk.core import member as member_core
from panel_desk.core.demo.builder import store_ready
from panel_desk.core.identity import Identity
from panel_desk.core.model import Answer, Confidence, Decision, Evidence, ResponseAnswers, Role, SignOffKind
from panel_desk.ui.main_window import MainWindow
from panel_desk.ui.qt import Qt, QtCore, QtWidgets
from panel_desk.ui.secretariat import SecretariatView
from panel_desk.ui.secretariat import _words as w

pytestmark = pytest.mark.skipif(not store_ready(), reason="the profile store is not implemented yet")

LEFT = Qt.MouseButton.LeftButton
WORK_FACTOR = 10  # tests only: real identities use 2^18 or more
PASS = "correct horse battery staple"

PEOPLE = [
    ("Sam Secretariat", Role.SECRETARIAT, "Panel secretariat", ""),
    ("Asha Patel", Role.CHILDRENS_COMMISSIONER, "Office of the Children's Commissioner", "Children's Commissioner"),
    ("Ben Okafor", Role.CHIEF_INSPECTOR, "Ofsted", "HM Chief Inspector"),
    ("Dev Sharma", Role.LOCAL_GOVERNMENT, "Local Government Association", ""),
]


class Files:
    """Answers the file dialogs from a queue."""

    def __init__(self) -> None:
        self.queue: list = []

    def _next(self, *_args):
        return self.queue.pop(0)

    open_file = open_files = folder = save_file = _next


def _person(tmp: Path, name: str, role: Role, org: str, acts_for: str):
    from panel_desk.core.store import init_profile  # imported late: the store may not be there yet

    slug = name.split()[0].lower()
    identity = Identity.create(name, role, org, acts_for)
    identity.save(tmp / f"{slug}.age", PASS, work_factor=WORK_FACTOR)
    identity.card.save(tmp / f"{slug}.card.json")
    return identity, tmp / f"{slug}.age", tmp / f"{slug}.card.json", init_profile


@pytest.fixture
def people(tmp_path):
    out = {}
    sec_card = None
    for name, role, org, acts_for in PEOPLE:
        identity, id_file, card, init_profile = _person(tmp_path, name, role, org, acts_for)
        trusted = [] if sec_card is None else [sec_card]
        ws = init_profile(tmp_path / f"profile-{name.split()[0].lower()}", id_file, PASS, trusted)
        if sec_card is None:
            sec_card = identity.card
        out[name.split()[0]] = (identity, card, ws)
    yield out
    for _identity, _card, ws in out.values():
        ws.close()


def _answers(rating: str, rationale: str) -> ResponseAnswers:
    return ResponseAnswers(
        outcomes=Answer(rating=rating, confidence=Confidence.MEDIUM, rationale=rationale,
                        evidence=[Evidence(document="documents/application.pdf", page=1,
                                           quote="Any child can return to an IRO-chaired review")]),
        monitoring=Answer(rating="sufficient_with_conditions", confidence=Confidence.HIGH,
                          rationale="Quarterly audits are proportionate."),
        conditions=["Report quarterly how many children asked to return to an IRO."])


def test_secretariat_journey_on_real_profiles(qtbot, tmp_path, people, example_application, themed):
    sec_ws = people["Sam"][2]
    files = Files()
    window = MainWindow(tmp_path)
    view = SecretariatView(sec_ws, window, files=files)
    window.setCentralWidget(view)
    window.resize(1280, 860)
    qtbot.addWidget(window)
    window.show()
    out = tmp_path / "out"
    out.mkdir()

    # Roster, from the members' cards, each confirmed by fingerprint.
    view.tabs.setCurrentWidget(view.roster)
    for key in ("Asha", "Ben", "Dev"):
        files.queue.append(people[key][1])
        qtbot.mouseClick(view.roster.add_button, LEFT)
        qtbot.waitExposed(view.roster.confirm_dialog)
        qtbot.mouseClick(view.roster.confirm_dialog.add, LEFT)
    assert [m.name for m in view.desk.panel_roster()] == ["Asha Patel", "Ben Okafor", "Dev Sharma"]

    # The application, sealed for the panel.
    files.queue.append(example_application)
    qtbot.mouseClick(view.import_folder_button, LEFT)
    qtbot.waitUntil(lambda: view.applications.count() == 1, timeout=10000)
    app_id = view.app_id
    assert view.roster.composition_tag.text() == "COMPLETE"
    files.queue.append(out / "application.pdbundle")
    qtbot.mouseClick(view.application.seal_button, LEFT)
    qtbot.waitUntil(lambda: view.application.confirmation.isVisible(), timeout=20000)
    assert "Asha Patel, Ben Okafor, Dev Sharma" in view.application.confirmation.accessibleName()

    # Members: import, declare, answer and send back (through the core).
    returned = []
    for key, interest in (("Asha", None), ("Ben", None), ("Dev", "Advised Wexmoor on this application.")):
        ws = people[key][2]
        assert not ws.import_bundle(out / "application.pdbundle").refused
        if interest:
            member_core.declare(ws, app_id, interests=[("prior-involvement", interest)])
        else:
            member_core.declare(ws, app_id, none=True)
        returned.append(member_core.export_declaration(ws, app_id, out / f"{key}-declaration.pdbundle"))
        if key != "Dev":
            ws.save_answers(app_id, _answers("improve" if key == "Asha" else "no_material_change",
                                             f"{key}'s publishable rationale."))
            member_core.send_response(ws, app_id, out / f"{key}-response.pdbundle")
            returned.append(out / f"{key}-response.pdbundle")
    damaged = out / "damaged.pdbundle"
    damaged.write_bytes((out / "Ben-response.pdbundle").read_bytes()[:-200])
    returned.append(damaged)

    # The secretariat imports them all at once by dropping them on the window.
    window.files_dropped.emit([str(p) for p in returned])
    qtbot.waitUntil(lambda: view.imports.table.rowCount() == len(returned), timeout=20000)
    results = [view.imports.table.item(r, 2).text() for r in range(len(returned))]
    assert results[:-1] == ["Imported"] * (len(returned) - 1)
    assert results[-1].startswith("Refused: ")
    shot(window, "imports-real")

    # Decide Dev's declared interest: recused, with a reason.
    view.tabs.setCurrentWidget(view.conflicts)
    row = next(i for i, r in enumerate(view.conflicts.rows) if r.name == "Dev Sharma")
    view.conflicts.table.selectRow(row)
    qtbot.mouseClick(view.conflicts.decide_button, LEFT)
    dialog = view.conflicts.dialog
    qtbot.waitExposed(dialog)
    radio = dialog.radios[Decision.RECUSED]
    qtbot.mouseClick(radio, LEFT, pos=QtCore.QPoint(8, radio.height() // 2))
    qtbot.keyClicks(dialog.reason, "Advised the authority on this application.")
    qtbot.mouseClick(dialog.ok, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert view.conflicts.rows[row].decision is Decision.RECUSED

    # Answers side by side.
    view.tabs.setCurrentWidget(view.consolidation)
    assert view.consolidation.matrices["outcomes"].rowCount() == 2
    assert [name for name, _ in view.consolidation.view.excluded] == ["Dev Sharma"]

    # Draft from the members' text, circulate, collect sign-offs (one dissent), finalise.
    view.tabs.setCurrentWidget(view.drafting)
    page = view.drafting
    qtbot.mouseClick(page.prefill_button, LEFT)
    assert "Asha's publishable rationale." in page.fields["outcomes"].toPlainText()
    files.queue.append(out / "draft.pdbundle")
    qtbot.mouseClick(page.circulate_button, LEFT)
    qtbot.waitUntil(lambda: page.confirmation.isVisible(), timeout=20000)
    dissent = "I dissent: the IRO's independence is the safeguard."
    signoffs = []
    for key, kind, text in (("Asha", SignOffKind.CONCUR, ""), ("Ben", SignOffKind.DISSENT, dissent)):
        ws = people[key][2]
        assert not ws.import_bundle(out / "draft.pdbundle").refused
        signoffs.append(out / f"{key}-signoff.pdbundle")
        member_core.sign_off(ws, app_id, kind, text=text, out=signoffs[-1])
    view.import_files([str(p) for p in signoffs])
    qtbot.waitUntil(lambda: view.imports.summary.text() == "2 imported.", timeout=20000)
    view.tabs.setCurrentWidget(view.drafting)
    assert [r.status for r in page.signoff_rows] == ["Concurred", "Dissented"]
    assert page.findChild(QtWidgets.QLabel, "signoff-text-1").text() == dissent
    qtbot.mouseClick(page.finalise_button, LEFT)
    qtbot.waitExposed(page.confirm)
    qtbot.mouseClick(next(b for b in page.confirm.buttons() if b.text() == w.FINALISE), LEFT)
    qtbot.waitUntil(lambda: page.fields["summary"].isReadOnly(), timeout=5000)

    # Publish: refused in words without a certificate, then signed and verified.
    view.tabs.setCurrentWidget(view.publish)
    files.queue.append(out / "advice.pdf")
    qtbot.mouseClick(view.publish.export_button, LEFT)
    qtbot.waitUntil(lambda: view.publish.errors.isVisible(), timeout=10000)
    assert "no publication certificate" in view.publish.errors.accessibleName()
    from panel_desk.core.publish.ca import create_panel_ca

    sec_ws.put_secret("publication-credentials", create_panel_ca().to_bytes())
    files.queue.append(out / "advice.pdf")
    qtbot.mouseClick(view.publish.export_button, LEFT)
    qtbot.waitUntil(lambda: view.publish.confirmation.isVisible(), timeout=30000)
    assert (out / "advice.pdf").exists() and (out / "advice.html").exists()
    files.queue.append(out / "advice.pdf")
    qtbot.mouseClick(view.publish.verify_button, LEFT)
    assert view.publish.verify_tag.text() == "SIGNATURE VALID"
    shot(window, "publish-verified")

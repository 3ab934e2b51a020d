"""The secretariat's whole journey over real profiles: real identities, bundles, store and signed PDF.

Members act through the core (panel_desk.core.member); the secretariat acts only through the
screens, by clicks and typing. The documented pictures of the secretariat's screens are taken
here (PANEL_DESK_SHOTS=1).
"""

from __future__ import annotations

from panel_desk.core import member as member_core
from panel_desk.core.model import Answer, Confidence, Decision, Evidence, ResponseAnswers, SignOffKind
from panel_desk.ui.qt import Qt, QtCore, QtWidgets
from panel_desk.ui.secretariat import _words as w

LEFT = Qt.MouseButton.LeftButton
CONDITION = "Report quarterly how many children asked to return to an IRO."


def _answers(rating: str, rationale: str, quote: str) -> ResponseAnswers:
    return ResponseAnswers(
        outcomes=Answer(rating=rating, confidence=Confidence.MEDIUM, rationale=rationale,
                        evidence=[Evidence(document="documents/application.pdf", page=1, quote=quote)]),
        monitoring=Answer(rating="sufficient_with_conditions", confidence=Confidence.HIGH,
                          rationale="Quarterly audits are proportionate."),
        conditions=[CONDITION])


def test_secretariat_journey_on_real_profiles(qtbot, tmp_path, secretariat, members, screen, scripted_files,
                                              example_application, shot):
    window, view = screen
    files = scripted_files
    desk = view.desk
    out = tmp_path / "out"
    out.mkdir()
    fps = {key: person.fingerprint for key, person in members.items()}

    # The application arrives before anyone is on the roster.
    files.queue("folder", example_application)
    qtbot.mouseClick(view.import_folder_button, LEFT)
    qtbot.waitUntil(lambda: view.applications.count() == 1, timeout=10000)
    app_id = view.app_id

    # Roster: a damaged card is refused in words; the members' cards are each confirmed by fingerprint.
    view.tabs.setCurrentWidget(view.roster)
    bad = tmp_path / "bad.card.json"
    bad.write_text(members["Asha"].card_file.read_text().replace("Asha Patel", "Asha Patil"))
    files.queue("open_file", bad)
    qtbot.mouseClick(view.roster.add_button, LEFT)
    assert view.roster.errors.isVisible()
    assert "altered or damaged" in view.roster.errors.accessibleName()
    assert desk.panel_roster() == []
    assert view.roster.composition_tag.text() == "SEATS MISSING"
    for key in ("Asha", "Ben", "Carys", "Dev"):
        files.queue("open_file", members[key].card_file)
        qtbot.mouseClick(view.roster.add_button, LEFT)
        dialog = view.roster.confirm_dialog
        qtbot.waitExposed(dialog)
        assert len(dialog.fingerprint.text().split()) == 8  # eight groups of four, read aloud
        assert "".join(dialog.fingerprint.text().split()).lower() == fps[key].lower()
        if key == "Asha":
            shot(dialog, "roster-fingerprint")
        qtbot.mouseClick(dialog.add, LEFT)
    assert not view.roster.errors.isVisible()
    assert [m.name for m in desk.panel_roster()] == ["Asha Patel", "Ben Okafor", "Carys Hughes", "Dev Sharma"]
    assert view.roster.table.rowCount() == len(desk.roster())
    assert view.roster.composition_tag.text() == "COMPLETE"
    shot(window, "roster")

    # The application, sealed for the whole panel; the confirmation says where the file is and for whom.
    view.tabs.setCurrentWidget(view.application)
    files.queue("save_file", out / "application.pdbundle")
    qtbot.mouseClick(view.application.seal_button, LEFT)
    qtbot.waitUntil(lambda: view.application.confirmation.isVisible(), timeout=20000)
    confirmation = view.application.confirmation.accessibleName()
    assert "application.pdbundle" in confirmation and str(out) in confirmation
    assert "Asha Patel, Ben Okafor, Carys Hughes, Dev Sharma" in confirmation

    # Members: import, declare, answer and send back (through the core). Carys declares but does not answer.
    returned = []
    for key, interest in (("Asha", None), ("Ben", None), ("Carys", None),
                          ("Dev", "Advised Wexmoor on this application.")):
        ws = members[key].ws
        assert not ws.import_bundle(out / "application.pdbundle").refused
        if interest:
            member_core.declare(ws, app_id, interests=[("prior-involvement", interest)])
        else:
            member_core.declare(ws, app_id, none=True)
        returned.append(member_core.export_declaration(ws, app_id, out / f"{key}-declaration.pdbundle"))
    for key, rating, rationale in (
            ("Asha", "improve", "Children's wishes come first, and the route back to an IRO is simple."),
            ("Ben", "no_material_change", "Outcomes are unlikely to change much; the released hours matter most."),
            ("Dev", "worsen", "Recused, so this must not count.")):
        members[key].ws.save_answers(app_id, _answers(rating, rationale, "Any child can return to an IRO-chaired review"))
        member_core.send_response(members[key].ws, app_id, out / f"{key}-response.pdbundle")
        returned.append(out / f"{key}-response.pdbundle")
    returned.append(out / "Ben-response.pdbundle")  # dropped twice: already had it
    notes = out / "notes.txt"
    notes.write_text("Call Wexmoor on Tuesday.")
    damaged = out / "damaged.pdbundle"
    damaged.write_bytes((out / "Ben-response.pdbundle").read_bytes()[:-200])
    returned += [notes, damaged]

    # The secretariat imports them all at once by dropping them on the window.
    view.tabs.setCurrentWidget(view.application)
    window.files_dropped.emit([str(p) for p in returned])
    qtbot.waitUntil(lambda: view.imports.table.rowCount() == len(returned), timeout=20000)
    assert view.tabs.currentWidget() is view.imports
    results = [view.imports.table.item(r, 2).text() for r in range(len(returned))]
    assert results[:-3] == ["Imported"] * (len(returned) - 3)
    assert results[-3] == "Already had it"
    assert results[-2] == "Refused: This file is not a Panel Desk bundle, or it is damaged."
    assert results[-1].startswith("Refused: ")
    assert view.imports.summary.text() == f"{len(returned) - 3} imported, 1 already had, 2 refused."
    shot(window, "imports")

    # Decide Dev's declared interest: a decision and a reason are required, then he is recused.
    view.tabs.setCurrentWidget(view.conflicts)
    assert [r.name for r in view.conflicts.rows] == ["Asha Patel", "Ben Okafor", "Carys Hughes", "Dev Sharma"]
    row = 3
    view.conflicts.table.selectRow(row)
    qtbot.mouseClick(view.conflicts.decide_button, LEFT)
    dialog = view.conflicts.dialog
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.ok, LEFT)
    assert dialog.isVisible()
    assert dialog.errors.isVisible()
    assert "Choose how to handle the interests" in dialog.errors.accessibleName()
    assert w.DECIDE_NO_REASON in dialog.errors.accessibleName()
    assert desk.recused(app_id) == {}
    shot(dialog, "decide-errors")
    radio = dialog.radios[Decision.RECUSED]
    qtbot.mouseClick(radio, LEFT, pos=QtCore.QPoint(8, radio.height() // 2))  # on its circle
    qtbot.keyClicks(dialog.reason, "Advised the authority on this application.")
    assert dialog.decision() is Decision.RECUSED, dialog.decision()
    assert dialog.reason_text() == "Advised the authority on this application."
    qtbot.mouseClick(dialog.ok, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert desk.recused(app_id) == {fps["Dev"]: "Recused from this application: Advised the authority on this "
                                                "application."}
    assert view.conflicts.rows[row].decision is Decision.RECUSED
    assert view.conflicts.table.item(row, 3).text() == Decision.RECUSED.label
    assert view.conflicts.table.item(0, 3).text() == "No interests to declare"
    shot(window, "conflicts")

    # The recused member can no longer be chosen to receive the application.
    view.tabs.setCurrentWidget(view.application)
    check = view.application.member_checks[fps["Dev"]]
    assert not check.isEnabled() and "Recused from this application: Advised the authority" in check.accessibleName()
    assert view.application.chosen_members() == [fps["Asha"], fps["Ben"], fps["Carys"]]
    # The checklist says what the next steps need, in the core's words (as 'panel-desk status' does).
    checklist = view.application.readiness
    assert checklist.step_tags["send"].text().lower() == "done"
    assert checklist.step_tags["circulate"].text().lower() == "cannot do yet"
    ready = desk.readiness(app_id).step("circulate")
    assert checklist.step_reasons["circulate"].text() == "\n".join(
        [ready.label, *(f"• {r}" for r in [*ready.reasons, *ready.notes])])
    assert "• There is no draft advice yet." in checklist.step_reasons["circulate"].text()
    shot(window, "application")

    # Answers side by side: Dev's does not count (excluded, with the reason); Carys has not replied.
    view.tabs.setCurrentWidget(view.consolidation)
    matrix = view.consolidation.matrices["outcomes"]
    assert matrix.rowCount() == 2
    assert matrix.item(0, 2).text().startswith("Improve")
    assert matrix.item(1, 2).text().startswith("No material change")
    assert view.consolidation.view.not_responded == ["Carys Hughes"]
    [(name, reason)] = view.consolidation.view.excluded
    assert name == "Dev Sharma" and "Advised the authority on this application." in reason
    csv_out = tmp_path / "answers.csv"
    files.queue("save_file", csv_out)
    qtbot.mouseClick(view.consolidation.csv_button, LEFT)
    assert "Children's wishes come first" in csv_out.read_text()
    assert csv_out.stat().st_mode & 0o777 == 0o600  # it holds internal notes: the secretariat's account alone
    shot(window, "consolidation")

    # Drafting: nothing written yet, so Circulate is disabled and says why beside it.
    view.tabs.setCurrentWidget(view.drafting)
    page = view.drafting
    assert not page.circulate_button.isEnabled()
    assert page.circulate_why.isVisible() and "There is no draft advice yet." in page.circulate_why.text()
    assert not page.finalise_button.isEnabled() and "There is no draft advice yet." in page.finalise_why.text()
    # Fill in from the members' answers (only those that count), edit (saved as typed), circulate.
    qtbot.mouseClick(page.prefill_button, LEFT)
    assert "Children's wishes come first" in page.fields["outcomes"].toPlainText()
    assert "Recused, so this must not count." not in page.fields["outcomes"].toPlainText()
    prefilled = page.fields["conditions"].toPlainText().splitlines()
    assert CONDITION in prefilled
    page.fields["conditions"].setFocus()
    qtbot.keyClick(page.fields["conditions"], Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(page.fields["conditions"], Qt.Key.Key_Return)
    qtbot.keyClicks(page.fields["conditions"], "Publish the evaluation's interim findings.")
    assert page.saved.text() == w.SAVING
    view.flush()  # what the window does before it locks: saved at once, not after the pause
    assert page.saved.text() == w.SAVED
    assert desk.latest_draft(app_id).conditions == [*prefilled, "Publish the evaluation's interim findings."]
    files.queue("save_file", out / "draft.pdbundle")
    qtbot.mouseClick(page.circulate_button, LEFT)
    qtbot.waitUntil(lambda: page.confirmation.isVisible(), timeout=20000)
    assert "Asha Patel, Ben Okafor, Carys Hughes" in page.confirmation.accessibleName()
    assert "Dev Sharma" not in page.confirmation.accessibleName()

    # Sign-offs: Asha concurs, Ben dissents (shown exactly as written), Carys has not replied yet.
    dissent = "I dissent: the IRO's  independence  is the safeguard.\nIt should not be traded for hours."
    signoffs = []
    for key, kind, text in (("Asha", SignOffKind.CONCUR, ""), ("Ben", SignOffKind.DISSENT, dissent)):
        ws = members[key].ws
        assert not ws.import_bundle(out / "draft.pdbundle").refused
        signoffs.append(out / f"{key}-signoff.pdbundle")
        member_core.sign_off(ws, app_id, kind, text=text, out=signoffs[-1])
    view.import_files([str(p) for p in signoffs])
    qtbot.waitUntil(lambda: view.imports.summary.text() == "2 imported.", timeout=20000)
    view.tabs.setCurrentWidget(view.drafting)
    assert [(r.name, r.status) for r in page.signoff_rows] == [
        ("Asha Patel", "Concurred"), ("Ben Okafor", "Dissented"), ("Carys Hughes", "Not replied")]
    assert page.findChild(QtWidgets.QLabel, "signoff-text-1").text() == dissent
    shot(window, "drafting")
    ws = members["Carys"].ws
    assert not ws.import_bundle(out / "draft.pdbundle").refused
    member_core.sign_off(ws, app_id, SignOffKind.CONCUR, out=out / "Carys-signoff.pdbundle")
    view.import_files([str(out / "Carys-signoff.pdbundle")])
    qtbot.waitUntil(lambda: view.imports.summary.text() == "1 imported.", timeout=20000)
    view.tabs.setCurrentWidget(view.drafting)
    assert [r.status for r in page.signoff_rows] == ["Concurred", "Dissented", "Concurred"]

    # Finalise behind a confirmation; then the text is locked.
    qtbot.mouseClick(page.finalise_button, LEFT)
    qtbot.waitExposed(page.confirm)
    qtbot.mouseClick(next(b for b in page.confirm.buttons() if b.text() == w.FINALISE), LEFT)
    qtbot.waitUntil(lambda: page.fields["summary"].isReadOnly(), timeout=5000)
    assert page.final_banner.isVisible()
    assert not page.circulate_button.isEnabled()

    # Publish: refused in words without a certificate, then signed and verified.
    view.tabs.setCurrentWidget(view.publish)
    files.queue("save_file", out / "advice.pdf")
    qtbot.mouseClick(view.publish.export_button, LEFT)
    qtbot.waitUntil(lambda: view.publish.errors.isVisible(), timeout=10000)
    assert "Create the publication certificate first" in view.publish.errors.accessibleName()
    assert not (out / "advice.pdf").exists()
    assert view.publish.create_certificate_button.isEnabled() and not view.publish.export_root_button.isEnabled()
    qtbot.mouseClick(view.publish.create_certificate_button, LEFT)  # made in the window, no terminal needed
    assert not view.publish.create_certificate_button.isEnabled() and view.publish.export_root_button.isEnabled()
    files.queue("save_file", out / "root.pem")
    qtbot.mouseClick(view.publish.export_root_button, LEFT)
    assert (out / "root.pem").read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    files.queue("save_file", out / "advice.pdf")
    qtbot.mouseClick(view.publish.export_button, LEFT)
    qtbot.waitUntil(lambda: view.publish.confirmation.isVisible(), timeout=30000)
    assert (out / "advice.pdf").exists() and (out / "advice.html").exists() and (out / "panel-root.pem").exists()
    actions = [e["action"] for e in secretariat.ws.audit_log()]
    assert actions[-2:] == ["advice.published", "advice.export"]  # the window publishes as the command line does
    files.queue("open_file", out / "advice.pdf")
    qtbot.mouseClick(view.publish.verify_button, LEFT)
    assert view.publish.verify_tag.text() == "SIGNATURE VALID"
    shot(window, "publish")

    # A published advice changed afterwards no longer verifies.
    tampered = out / "tampered.pdf"
    signed = (out / "advice.pdf").read_bytes()
    tampered.write_bytes(signed.replace(b"Wexmoor", b"Wexmoar", 1))
    assert tampered.read_bytes() != signed
    files.queue("open_file", tampered)
    qtbot.mouseClick(view.publish.verify_button, LEFT)
    assert view.publish.verify_tag.text() != "SIGNATURE VALID"

"""Two faces, one result: the whole cycle run once with the command line and once with the window's
widgets, on real profiles, ends in the same state — phase, register, published statements and the
same sequence of audit actions.

The members act through the core in both runs (their laptops are not the face under test); the
secretariat acts through `panel-desk …` in one run and through clicks and typing in the other.
"""

from __future__ import annotations

from conftest import MEMBERS, PASSPHRASE, SECRETARIAT, make_person

from panel_desk.cli import main
from panel_desk.core import member as member_core
from panel_desk.core import process
from panel_desk.core import secretariat as sec_core
from panel_desk.core.model import Answer, Confidence, Decision, ResponseAnswers, SignOffKind
from panel_desk.core.publish import _document
from panel_desk.core.store import open_profile
from panel_desk.ui.qt import Qt, QtCore
from panel_desk.ui.secretariat import _words as w

LEFT = Qt.MouseButton.LeftButton
DRAFT = {"summary": "Wexmoor asks to change the IRO duties.", "outcomes": "Outcomes are likely to improve.",
         "monitoring": "Monitoring is sufficient with conditions.", "conditions": "Report quarterly."}
FACE_ONLY = ("settings.",)  # remembering a folder or a fold is the window's own business


def _answers(rating: str) -> ResponseAnswers:
    return ResponseAnswers(outcomes=Answer(rating=rating, confidence=Confidence.MEDIUM, rationale=f"{rating}."),
                           monitoring=Answer(rating="sufficient", confidence=Confidence.HIGH, rationale="Fine."))


def _people(root, secretariat=None):
    root.mkdir(parents=True, exist_ok=True)
    sec = secretariat or make_person(root, *SECRETARIAT, trusted=[])
    members = {name.split()[0]: make_person(root, name, role, org, acts_for, trusted=[sec.card])
               for name, role, org, acts_for in MEMBERS}
    for name, role, _org, _acts_for in MEMBERS:
        sec.ws.roster_add(members[name.split()[0]].card, role=role, acts_for=members[name.split()[0]].card.acts_for)
    return sec, members


def _members_answer(members, app_id, app_file, out):
    """Every member imports, declares (Dev has an interest) and answers; returns the files they send."""
    sent = []
    for key, person in members.items():
        assert person.ws.import_bundle(app_file).recorded
        if key == "Dev":
            member_core.declare(person.ws, app_id, interests=[("prior-involvement", "Advised Wexmoor.")])
            sent.append(member_core.export_declaration(person.ws, app_id, out / f"{key}-declaration.pdbundle"))
            continue
        member_core.declare(person.ws, app_id, none=True)
        person.ws.save_answers(app_id, _answers("improve" if key != "Ben" else "no_material_change"))
        member_core.send_response(person.ws, app_id, out / f"{key}-response.pdbundle")
        sent.append(out / f"{key}-response.pdbundle")
    return sent


def _members_sign(members, app_id, draft_file, out):
    sent = []
    for key, person in members.items():
        if key == "Dev":
            continue  # recused: the draft was not sent to him
        assert person.ws.import_bundle(draft_file).recorded
        kind, text = (SignOffKind.DISSENT, "The way back is too weak.") if key == "Ben" else (SignOffKind.CONCUR, "")
        member_core.sign_off(person.ws, app_id, kind, text=text, out=out / f"{key}-signoff.pdbundle")
        sent.append(out / f"{key}-signoff.pdbundle")
    return sent


def _state(ws, app_id) -> dict:
    ready = process.readiness(ws, app_id)
    said = _document.process_statements(ws.publication(app_id))
    return {
        "phase": ready.phase,
        "steps": [(s.id, s.done, s.reasons) for s in ready.steps],
        "register": [(r.member.name, r.status) for r in sec_core.conflicts(ws, app_id)],
        "statements": (said.members_intro, said.interests_intro, said.kept_out, said.members_table),
        "audit": [e["action"] for e in ws.audit_log() if not e["action"].startswith(FACE_ONLY)],
    }


def _cli(profile, *argv) -> str:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--profile", str(profile), *map(str, argv)])
    assert code == 0, err.getvalue()
    return out.getvalue()


def _by_command_line(root, example_application, monkeypatch) -> dict:
    monkeypatch.setenv("PANEL_DESK_PASSPHRASE", PASSPHRASE)
    sec, members = _people(root)
    profile = sec.ws.profile_dir
    sec.ws.close()  # the command line opens the profile itself
    out = root / "out"
    out.mkdir()
    app_id = _cli(profile, "application", "new", example_application).strip().splitlines()[-1]
    _cli(profile, "application", "seal", app_id, "--out", out / "application.pdbundle")
    _cli(profile, "import", *_members_answer(members, app_id, out / "application.pdbundle", out))
    _cli(profile, "conflicts", "decide", app_id, "Dev Sharma", "recused", "--reason", "Advised the authority.")
    draft = root / "draft.toml"
    draft.write_text("".join(f'{k} = {v!r}\n' if k != "conditions" else f'{k} = [{v!r}]\n' for k, v in DRAFT.items())
                     .replace("'", '"'))
    _cli(profile, "advice", "draft", app_id, "--from", draft)
    _cli(profile, "advice", "circulate", app_id, "--out", out / "draft.pdbundle")
    _cli(profile, "import", *_members_sign(members, app_id, out / "draft.pdbundle", out))
    _cli(profile, "advice", "finalise", app_id)
    _cli(profile, "ca", "init")
    _cli(profile, "advice", "export", app_id, "--pdf", out / "advice.pdf", "--html", out / "advice.html")
    with open_profile(profile, PASSPHRASE) as ws:
        return _state(ws, app_id)


def _by_window(qtbot, root, make_screen, files, example_application) -> dict:
    sec, members = _people(root)
    _window, view = make_screen(sec.ws)
    out = root / "out"
    out.mkdir()
    files.queue("folder", example_application)
    qtbot.mouseClick(view.import_folder_button, LEFT)
    qtbot.waitUntil(lambda: view.applications.count() == 1, timeout=10000)
    app_id = view.app_id
    view.tabs.setCurrentWidget(view.application)
    files.queue("save_file", out / "application.pdbundle")
    qtbot.mouseClick(view.application.seal_button, LEFT)
    qtbot.waitUntil(lambda: view.application.confirmation.isVisible(), timeout=20000)
    view.import_files([str(p) for p in _members_answer(members, app_id, out / "application.pdbundle", out)])
    qtbot.waitUntil(lambda: view.imports.summary.text()[:1].isdigit(), timeout=20000)
    assert view.imports.summary.text() == "4 imported.", view.imports.summary.text()
    view.tabs.setCurrentWidget(view.conflicts)
    row = next(i for i, r in enumerate(view.conflicts.rows) if r.name == "Dev Sharma")
    view.conflicts.table.selectRow(row)
    qtbot.mouseClick(view.conflicts.decide_button, LEFT)
    dialog = view.conflicts.dialog
    qtbot.waitExposed(dialog)
    radio = dialog.radios[Decision.RECUSED]
    qtbot.mouseClick(radio, LEFT, pos=QtCore.QPoint(8, radio.height() // 2))
    qtbot.keyClicks(dialog.reason, "Advised the authority.")
    qtbot.mouseClick(dialog.ok, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    view.tabs.setCurrentWidget(view.drafting)
    page = view.drafting
    for key, text in DRAFT.items():
        page.fields[key].setPlainText(text)
    view.flush()
    files.queue("save_file", out / "draft.pdbundle")
    qtbot.waitUntil(page.circulate_button.isEnabled, timeout=5000)
    qtbot.mouseClick(page.circulate_button, LEFT)
    qtbot.waitUntil(lambda: page.confirmation.isVisible(), timeout=20000)
    view.import_files([str(p) for p in _members_sign(members, app_id, out / "draft.pdbundle", out)])
    qtbot.waitUntil(lambda: len(sec.ws.signoffs(app_id)) == 3 and view.imports.summary.text() == "3 imported.",
                    timeout=20000)
    view.tabs.setCurrentWidget(view.drafting)
    qtbot.waitUntil(page.finalise_button.isEnabled, timeout=5000)
    qtbot.mouseClick(page.finalise_button, LEFT)
    qtbot.waitExposed(page.confirm)
    qtbot.mouseClick(next(b for b in page.confirm.buttons() if b.text() == w.FINALISE), LEFT)
    qtbot.waitUntil(lambda: page.fields["summary"].isReadOnly(), timeout=5000)
    view.tabs.setCurrentWidget(view.publish)
    qtbot.mouseClick(view.publish.create_certificate_button, LEFT)
    files.queue("save_file", out / "advice.pdf")
    qtbot.mouseClick(view.publish.export_button, LEFT)
    qtbot.waitUntil(lambda: view.publish.confirmation.isVisible(), timeout=30000)
    return _state(sec.ws, app_id)


def test_the_command_line_and_the_window_end_in_the_same_state(qtbot, tmp_path, make_screen, scripted_files,
                                                              example_application, monkeypatch):
    by_cli = _by_command_line(tmp_path / "cli", example_application, monkeypatch)
    by_window = _by_window(qtbot, tmp_path / "window", make_screen, scripted_files, example_application)
    assert by_cli["phase"] is process.Phase.PUBLISHED
    assert ("Dev Sharma", Decision.RECUSED.label) in by_cli["register"]
    assert "Ben Okafor" in by_cli["statements"][0] and by_cli["audit"][-2:] == ["advice.published", "advice.export"]
    for key in ("phase", "steps", "register", "statements", "audit"):
        assert by_window[key] == by_cli[key], key

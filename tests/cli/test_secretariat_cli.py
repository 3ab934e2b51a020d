"""The secretariat's commands through main(): roster, application, conflicts, consolidate, advice."""

from __future__ import annotations

import csv
import io
import json
import re
import stat

import pytest
from _panel import EXAMPLE, MEMBERS, PASSPHRASE, make_desk


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch):
    monkeypatch.setenv("PANEL_DESK_PASSPHRASE", PASSPHRASE)


@pytest.fixture
def desk(tmp_path, capsys):
    return make_desk(tmp_path, capsys)


def _sent(desk) -> str:
    app_id = desk.run("sam", "application", "new", EXAMPLE).last
    desk.run("sam", "application", "seal", app_id, "--out", desk.file("app.pdbundle"))
    for m in MEMBERS:
        desk.import_(m, desk.file("app.pdbundle"))
    return app_id


def _declared(desk, app_id) -> None:
    for m in MEMBERS:
        args = (["--interest", "prior-involvement", "I advised Wexmoor."] if m == "eve" else ["--none"])
        desk.run(m, "declare", app_id, *args, "--out", desk.file(f"{m}-decl.pdbundle"))
        desk.import_("sam", desk.file(f"{m}-decl.pdbundle"))


# --- roster ---------------------------------------------------------------------------------------------


def test_roster_add_prints_the_fingerprint_last_and_list_begins_with_it(tmp_path, capsys):
    desk = make_desk(tmp_path, capsys, roster=False)
    r = desk.run("sam", "roster", "add", desk.file("cara.card"), "--role", "childrens-commissioner",
                 "--acts-for", "Children's Commissioner")
    assert r.last == desk.fp("cara")
    assert "Cara Okafor (Children's Commissioner) is on the roster." in r.out
    desk.run("sam", "roster", "add", desk.file("eve.card"), "--role", "expert")
    lines = desk.run("sam", "roster", "list").out.splitlines()
    assert [line.split()[0] for line in lines if line.split()[0] in (desk.fp("cara"), desk.fp("eve"))] == [
        desk.fp("cara"), desk.fp("eve")]
    assert any("Eve Hart (Other relevant expertise" in line for line in lines)
    assert any("acting for Children's Commissioner" in line for line in lines)


def test_roster_add_refusals(desk):
    desk.run("sam", "roster", "add", desk.file("cara.card"), "--role", "chair", expect=2)
    r = desk.run("sam", "roster", "add", desk.file("nobody.card"), "--role", "expert", expect=1)
    assert "nobody.card" in r.err


# --- applications ------------------------------------------------------------------------------------------


def test_application_new_prints_the_id_alone_on_the_last_line(desk):
    r = desk.run("sam", "application", "new", EXAMPLE)
    assert re.fullmatch(r"wexmoor-2026-[0-9a-f]{4}", r.last)
    assert "Recorded revision 1 of the application from Wexmoor County Council" in r.out
    assert "Warning" not in r.out


def test_application_new_warns_about_short_notice(desk, tmp_path):
    import shutil

    folder = tmp_path / "short"
    shutil.copytree(EXAMPLE, folder)
    toml = folder / "application.toml"
    toml.write_text(toml.read_text().replace("regulations_intended = 2027-01-18", "regulations_intended = 2026-11-01")
                    .replace("advice_due = 2026-12-07", "advice_due = 2026-10-30"))
    r = desk.run("sam", "application", "new", folder)
    assert "Warning: The panel was asked 27 days before the regulations are due." in r.out
    assert re.fullmatch(r"wexmoor-2026-[0-9a-f]{4}", r.last)


def test_application_new_refusals_are_one_line(desk, tmp_path):
    r = desk.run("sam", "application", "new", tmp_path / "nowhere", expect=1)
    assert "is not a folder" in r.err


def test_a_new_revision_by_id_needs_a_reason(desk, tmp_path):
    import shutil

    app_id = desk.run("sam", "application", "new", EXAMPLE).last
    folder = tmp_path / "rev"
    shutil.copytree(EXAMPLE, folder)
    (folder / "application.toml").write_text(f'id = "{app_id}"\n' + (folder / "application.toml").read_text())
    r = desk.run("sam", "application", "new", folder, expect=1)
    assert "give the reason for the change" in r.err
    r = desk.run("sam", "application", "new", folder, "--reason", "A new risk assessment.")
    assert "Recorded revision 2" in r.out and r.last == app_id


def test_application_seal_to_everyone_or_to_named_members(desk):
    app_id = desk.run("sam", "application", "new", EXAMPLE).last
    r = desk.run("sam", "application", "seal", app_id, "--out", desk.file("all.pdbundle"))
    assert "for 3 people: Cara Okafor, Ian Moss, Eve Hart." in r.out
    r = desk.run("sam", "application", "seal", app_id, "--out", desk.file("two.pdbundle"),
                 "--to", "Cara Okafor", desk.fp("ian"))
    assert "for 2 people: Cara Okafor, Ian Moss." in r.out
    r = desk.run("sam", "application", "seal", app_id, "--out", desk.file("x.pdbundle"), "--to", "Cara", expect=1)
    assert "'Cara'" in r.err and not desk.file("x.pdbundle").exists()


def test_application_seal_refuses_an_incomplete_panel(tmp_path, capsys):
    desk = make_desk(tmp_path, capsys, roster=False)
    desk.run("sam", "roster", "add", desk.file("eve.card"), "--role", "expert")
    app_id = desk.run("sam", "application", "new", EXAMPLE).last
    r = desk.run("sam", "application", "seal", app_id, "--out", desk.file("a.pdbundle"), expect=1)
    assert "The panel for this application is not complete." in r.err
    assert "Children's Commissioner" in r.err and "HM Chief Inspector" in r.err


def test_application_withdraw(desk):
    app_id = _sent(desk)
    r = desk.run("sam", "application", "withdraw", app_id, "--out", desk.file("w.pdbundle"))
    assert f"Withdrew {app_id}." in r.out and "for 3 people" in r.out
    desk.import_("cara", desk.file("w.pdbundle"))


# --- conflicts ---------------------------------------------------------------------------------------------


def test_conflicts_list_and_decide(desk):
    app_id = _sent(desk)
    lines = desk.run("sam", "conflicts", "list", app_id).out.splitlines()
    assert len(lines) == 3 and all(line.startswith(app_id) for line in lines)
    assert all("Waiting for a declaration" in line for line in lines)
    _declared(desk, app_id)
    out = desk.run("sam", "conflicts", "list").out
    assert "Eve Hart (Other relevant expertise): Prior involvement with this application: I advised Wexmoor. " \
           "Decision needed." in out
    r = desk.run("sam", "conflicts", "decide", app_id, "Eve Hart", "recused", "--reason", "She advised on the bid.")
    assert r.out.strip() == f"Recorded for Eve Hart on {app_id}: Recused; no access."
    out = desk.run("sam", "conflicts", "list", app_id).out
    assert "Recused; no access: She advised on the bid." in out
    desk.run("sam", "conflicts", "decide", app_id, "Eve Hart", "banished", "--reason", "x", expect=2)
    desk.run("sam", "conflicts", "decide", app_id, "Eve Hart", "recused", expect=2)
    r = desk.run("sam", "conflicts", "decide", app_id, "Nobody", "recused", "--reason", "x", expect=1)
    assert "'Nobody'" in r.err


def test_recused_member_is_not_sent_the_next_revision(desk, tmp_path):
    app_id = _sent(desk)
    desk.run("sam", "conflicts", "decide", app_id, desk.fp("eve"), "recused", "--reason", "Conflict.")
    r = desk.run("sam", "application", "seal", app_id, "--out", desk.file("again.pdbundle"))
    assert "for 2 people: Cara Okafor, Ian Moss." in r.out
    r = desk.run("sam", "application", "seal", app_id, "--out", desk.file("eve.pdbundle"), "--to", "Eve Hart",
                 expect=1)
    assert "Eve Hart is recused from this application and cannot be sent it." in r.err


# --- consolidation and advice ---------------------------------------------------------------------------------


def _responded(desk, app_id, who=("cara", "ian", "eve")) -> None:
    from panel_desk.core import member
    from panel_desk.core.model import Answer, ResponseAnswers

    for m, rating in (("cara", "improve"), ("ian", "no_material_change"), ("eve", "improve")):
        if m not in who:
            continue
        with desk.workspace(m) as ws:
            ws.save_answers(app_id, ResponseAnswers(
                outcomes=Answer(rating=rating, confidence="high", rationale=f"{m} reasons.", internal_note="NOTE-X"),
                monitoring=Answer(rating="sufficient", confidence="low", rationale=f"{m} monitoring.")))
            member.send_response(ws, app_id, desk.file(f"{m}-resp.pdbundle"))
        desk.import_("sam", desk.file(f"{m}-resp.pdbundle"))


def test_consolidate_prints_side_by_side_and_writes_csv_and_json(desk):
    app_id = _sent(desk)
    _declared(desk, app_id)
    _responded(desk, app_id)
    desk.run("sam", "conflicts", "decide", app_id, "Eve Hart", "read-only", "--reason", "Close to the authority.")
    r = desk.run("sam", "consolidate", app_id, "--csv", desk.file("c.csv"), "--json", desk.file("c.json"))
    assert "Q1 Outcomes for children" in r.out
    assert "  Improve: high confidence: Cara Okafor" in r.out
    assert "Excluded from the advice:\n  Eve Hart (Other relevant expertise): May read but takes no part in the " \
           "advice: Close to the authority." in r.out
    assert "internal note (never publish): NOTE-X" in r.out
    # they hold internal notes: readable by their owner alone
    assert stat.S_IMODE(desk.file("c.csv").stat().st_mode) == 0o600
    assert stat.S_IMODE(desk.file("c.json").stat().st_mode) == 0o600
    rows = list(csv.DictReader(io.StringIO(desk.file("c.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 3 * 2
    assert [r_["status"] for r_ in rows if r_["member"] == "Eve Hart"] == ["excluded", "excluded"]
    data = json.loads(desk.file("c.json").read_text(encoding="utf-8"))
    assert data["questions"][0]["counts"] == {"improve_significantly": 0, "improve": 1, "no_material_change": 1,
                                              "worsen": 0, "worsen_significantly": 0, "cannot_judge": 0}


def test_advice_commands_from_draft_to_finalise(desk, tmp_path):
    app_id = _sent(desk)
    _declared(desk, app_id)
    desk.run("sam", "conflicts", "decide", app_id, "Eve Hart", "recused", "--reason", "She advised on the bid.")
    _responded(desk, app_id, who=("cara", "ian"))
    assert desk.run("sam", "advice", "status", app_id).out.strip() == "No draft yet."
    r = desk.run("sam", "advice", "circulate", app_id, "--out", desk.file("d.pdbundle"), expect=1)
    assert "There is no draft advice" in r.err
    draft = tmp_path / "draft.toml"
    draft.write_text('summary = "S."\noutcomes = "O."\n')
    r = desk.run("sam", "advice", "draft", app_id, "--from", draft)
    assert "Saved draft 1" in r.out and "Still to do: Write the panel's advice on monitoring arrangements." in r.out
    r = desk.run("sam", "advice", "circulate", app_id, "--out", desk.file("d.pdbundle"), expect=1)
    assert "Draft 1 is not ready to send" in r.err
    draft.write_text('summary = "S."\noutcomes = "O."\nmonitoring = "M."\nconditions = ["C."]\n')
    desk.run("sam", "advice", "draft", app_id, "--from", draft)
    r = desk.run("sam", "advice", "circulate", app_id, "--out", desk.file("d.pdbundle"))
    assert "Sealed draft 1 of the advice" in r.out and "for 2 people: Cara Okafor, Ian Moss." in r.out
    r = desk.run("sam", "advice", "draft", app_id, "--from", draft, expect=1)
    assert "its text is locked" in r.err
    r = desk.run("sam", "advice", "finalise", app_id, expect=1)
    assert "Waiting for Cara Okafor and Ian Moss to sign off draft 1." in r.err
    for m, args in (("cara", ["--concur"]), ("ian", ["--dissent", "Monitoring is too thin.", "--attribute", "role"])):
        desk.import_(m, desk.file("d.pdbundle"))
        desk.run(m, "signoff", app_id, *args, "--out", desk.file(f"{m}-so.pdbundle"))
        desk.import_("sam", desk.file(f"{m}-so.pdbundle"))
    status = desk.run("sam", "advice", "status", app_id).out
    assert "Draft 1 sent to the panel: 2 of 2 replied." in status
    assert '  Ian Moss: Dissented (attributed by role): "Monitoring is too thin."' in status
    r = desk.run("sam", "advice", "finalise", app_id)
    assert "2 members took part, 1 dissent, 0 comments" in r.out
    r = desk.run("sam", "advice", "draft", app_id, "--from", draft, "--reason", "Clearer wording.")
    assert "Saved draft 2" in r.out


def test_advice_draft_refuses_an_unknown_field(desk, tmp_path):
    app_id = _sent(desk)
    draft = tmp_path / "draft.toml"
    draft.write_text('summary = "S."\nsumary = "typo"\n')
    r = desk.run("sam", "advice", "draft", app_id, "--from", draft, expect=1)
    assert "'sumary' is not part of a draft advice" in r.err


# --- status: what stands between now and each next step ---------------------------------------------


def test_status_lists_what_blocks_the_next_step_and_exits_1_until_it_is_clear(desk):
    app_id = desk.run("sam", "application", "new", EXAMPLE).last
    r = desk.run("sam", "status", app_id)  # nothing blocks sending: exit 0
    assert "Prepared, not yet sent to the panel." in r.out and "[ready] Send the application to the panel" in r.out
    assert "Advice due" in r.out and "the earliest the 6-week rule allows is" in r.out
    desk.run("sam", "application", "seal", app_id, "--out", desk.file("app.pdbundle"))
    for m in MEMBERS:
        desk.import_(m, desk.file("app.pdbundle"))
    r = desk.run("sam", "status", app_id, expect=1)
    assert "[done] Send the application to the panel" in r.out
    assert "[blocked] Circulate the draft advice" in r.out
    assert ("    - Waiting for Cara Okafor, Ian Moss and Eve Hart to declare their interests in revision 1 "
            "(or record that they are recused).") in r.out
    assert "    - There is no draft advice yet." in r.out
    assert "  Eve Hart: Waiting for declaration of interests and answers to Q1 and Q2" in r.out
    _declared(desk, app_id)
    r = desk.run("sam", "status", app_id, expect=1)
    assert "Waiting for Cara" not in r.out
    assert "    - Decide how Eve Hart's declared interests are handled." in r.out
    desk.run("sam", "conflicts", "decide", app_id, "Eve Hart", "read-only", "--reason", "Close to the authority.")
    r = desk.run("sam", "status", app_id, expect=1)
    assert _reasons(r.out, "Circulate the draft advice") == ["There is no draft advice yet."]
    assert ("(note) No answers yet from Cara Okafor and Ian Moss; the published advice will say they did not "
            "respond.") in r.out
    # a member's own status: their own steps
    r = desk.run("cara", "status", app_id, expect=1)
    assert "[done] Declare your interests" in r.out and "[blocked] Send your answers to Q1 and Q2" in r.out
    assert "    - Choose how children's outcomes are likely to be affected." in r.out
    assert "[blocked] Sign off the draft advice" in r.out and "No draft advice has arrived yet." in r.out


def _reasons(out: str, step: str) -> list[str]:
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.endswith(f"] {step}"))
    reasons = []
    for line in lines[start + 1:]:
        if not line.startswith("    "):
            break
        if line.startswith("    - "):
            reasons.append(line[6:])
    return reasons


def test_roster_add_warns_when_the_card_claims_another_role(tmp_path, capsys):
    desk = make_desk(tmp_path, capsys, roster=False)
    r = desk.run("sam", "roster", "add", desk.file("eve.card"), "--role", "voluntary-sector")
    assert "Warning: Eve Hart's card says they are 'Other relevant expertise', but you are adding them as " \
           "'Voluntary sector'." in r.err
    r = desk.run("sam", "roster", "add", desk.file("ian.card"), "--role", "chief-inspector")
    assert r.err == ""


# --- keys --------------------------------------------------------------------------------------------------


def test_keys_revoke_reseal_and_handover_from_the_command_line(desk, tmp_path):
    from panel_desk.core.identity import Identity
    from panel_desk.core.model import Role

    app_id = _sent(desk)
    new_ian = Identity.create("Ian Moss", Role.CHIEF_INSPECTOR, "Org")
    new_ian.card.save(desk.file("ian-new.card"))
    r = desk.run("sam", "keys", "revoke", "Ian Moss", "--reason", "Laptop lost.", "--replacement",
                 desk.file("ian-new.card"))
    assert "is revoked" in r.out and "keys reseal" in r.out
    r = desk.run("sam", "keys", "reseal", new_ian.fingerprint, "--folder", tmp_path / "resealed")
    assert f"({app_id}) again:" in r.out and len(list((tmp_path / "resealed").iterdir())) == 1
    r = desk.run("sam", "keys", "revoke", "Nobody", "--reason", "x", expect=1)
    assert "No one on the roster" in r.err
    nia = Identity.create("Nia Secretariat", Role.SECRETARIAT, "DfE")
    nia.card.save(desk.file("nia.card"))
    r = desk.run("sam", "keys", "handover", desk.file("nia.card"), "--out", desk.file("h.pdbundle"), "--reason",
                 "New officer.")
    assert "passes to Nia Secretariat" in r.out
    r = desk.run("cara", "import", desk.file("h.pdbundle"))
    assert "handed over from Sam Secretary to Nia Secretariat" in r.out
    r = desk.run("eve", "keys", "trust-secretariat", desk.file("nia.card"), "--fingerprint", "AAAA", expect=1)
    assert "does not match" in r.err
    r = desk.run("eve", "keys", "trust-secretariat", desk.file("nia.card"), "--fingerprint", nia.fingerprint)
    assert "You now accept applications and draft advice from Nia Secretariat" in r.out

"""End to end on real profiles: a panel finalises its advice, the secretariat publishes it, anyone verifies it.

Drives the CLI (``ca init``, ``ca export-root``, ``advice export``, ``verify``) against the real
encrypted store and the real secretariat code, and checks that the published files carry the
panel's publishable words and none of the members' internal notes.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from test_publish_render import pdf_pages

from panel_desk.cli import main
from panel_desk.core import member, secretariat
from panel_desk.core.model import Attribution, Decision, SignOffKind


def _workflow():
    if "_workflow" in sys.modules:
        return sys.modules["_workflow"]
    path = Path(__file__).resolve().parents[1] / "_workflow.py"
    spec = importlib.util.spec_from_file_location("_workflow", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["_workflow"] = module
    spec.loader.exec_module(module)
    return module


wf = _workflow()
NOW = wf.NOW
MEMBERS = ("Cara Okafor", "Ian Moss", "Eve Hart", "Pat Lowe")


@pytest.fixture
def panel(tmp_path):
    p = wf.make_panel(tmp_path)
    yield p
    p.close()


def _finalised(panel) -> str:
    sec = panel.sec
    app = secretariat.new_application(sec, wf.EXAMPLE, now=NOW)
    out = panel.out("application.pdbundle")
    secretariat.seal_application(sec, app.id, out, now=NOW)
    for name in MEMBERS:
        ws = panel.ws(name)
        assert ws.import_bundle(out, now=NOW).recorded
        if name == "Eve Hart":
            member.declare(ws, app.id, interests=[("prior-involvement", "I advised Wexmoor on this bid.")], now=NOW)
        else:
            member.declare(ws, app.id, none=True, now=NOW)
        decl = panel.out(f"{name}-declaration.pdbundle")
        member.export_declaration(ws, app.id, decl, now=NOW)
        assert sec.import_bundle(decl, now=NOW).recorded
    secretariat.decide(sec, app.id, "Eve Hart", Decision.RECUSED, "She advised on the bid.", now=NOW)
    for name in ("Cara Okafor", "Ian Moss", "Pat Lowe"):
        ws = panel.ws(name)
        ws.save_answers(app.id, wf.answers(name))
        resp = panel.out(f"{name}-response.pdbundle")
        member.send_response(ws, app.id, resp, now=NOW)
        assert sec.import_bundle(resp, now=NOW).recorded
    secretariat.draft_advice(sec, app.id, {"summary": "Wexmoor asks to change the IRO duties.",
                                           "outcomes": "Outcomes for children are likely to improve.",
                                           "monitoring": "Monitoring is sufficient with conditions.",
                                           "conditions": ["Report quarterly."], "other_advice": ""}, now=NOW)
    draft = panel.out("draft.pdbundle")
    secretariat.circulate(sec, app.id, draft, now=NOW)
    answers = {"Cara Okafor": (SignOffKind.CONCUR, "", Attribution.NAME),
               "Ian Moss": (SignOffKind.COMMENT, "Audits must include children's views.", Attribution.NAME),
               "Pat Lowe": (SignOffKind.DISSENT, "Monthly audits are not enough.", Attribution.ROLE)}
    for name, (kind, text, attribute) in answers.items():
        ws = panel.ws(name)
        assert ws.import_bundle(draft, now=NOW).recorded
        signoff = panel.out(f"{name}-signoff.pdbundle")
        member.sign_off(ws, app.id, kind, text=text, attribute=attribute, out=signoff, now=NOW)
        assert sec.import_bundle(signoff, now=NOW).recorded
    secretariat.finalise(sec, app.id, now=NOW)
    return app.id


def test_publish_a_finalised_advice_from_a_real_profile(panel, tmp_path, monkeypatch, capsys):
    app_id = _finalised(panel)
    profile = str(panel.sec.profile_dir)
    panel.sec.close()  # the CLI opens the profile itself
    monkeypatch.setenv("PANEL_DESK_PASSPHRASE", wf.PASSPHRASE)
    pdf, html, root = tmp_path / "advice.pdf", tmp_path / "advice.html", tmp_path / "root.pem"

    assert main(["advice", "export", app_id, "--pdf", str(pdf), "--profile", profile]) == 1
    assert "or run panel-desk ca init" in capsys.readouterr().err
    assert main(["ca", "init", "--profile", profile]) == 0
    assert main(["ca", "export-root", "--out", str(root), "--profile", profile]) == 0
    assert main(["advice", "export", app_id, "--pdf", str(pdf), "--html", str(html), "--profile", profile]) == 0
    capsys.readouterr()
    assert main(["verify", str(pdf), "--trust", str(root)]) == 0

    text = " ".join("\n".join(pdf_pages(pdf.read_bytes())).split())
    page = html.read_text(encoding="utf-8")
    for words in ("Outcomes for children are likely to improve.", "Report quarterly.", "Cara Okafor", "Ian Moss",
                  "I advised Wexmoor on this bid.", "Recused; no access", "She advised on the bid.",
                  "Monthly audits are not enough.", "Audits must include children's views."):
        assert words.replace("'", "’") in text, words
        assert words.replace("'", "’") in page, words
    assert wf.SECRET not in text and wf.SECRET not in page
    assert "Statement of dissent by" in text and "Statement of dissent by Pat Lowe" not in text  # by role, as Pat chose

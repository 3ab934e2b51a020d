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


# --- publishing is one verb: all or nothing ---------------------------------------------------------


def _state(ws, app_id: str, folder: Path):
    return (ws.status(app_id), [e["action"] for e in ws.audit_log()], sorted(p.name for p in folder.iterdir()))


def test_publishing_fails_whole_at_each_step_and_can_be_retried(panel, tmp_path, monkeypatch):
    from panel_desk.core import publish
    from panel_desk.core.errors import InvalidInput, NotFound
    from panel_desk.core.store import ApplicationStatus

    app_id = _finalised(panel)
    sec = panel.sec
    sec.put_secret(publish.CREDENTIALS_SECRET, publish.create_panel_ca(now=NOW).to_bytes())
    folder = tmp_path / "published"
    folder.mkdir()
    pdf, html = folder / "advice.pdf", folder / "advice.html"
    before = _state(sec, app_id, folder)
    assert before[0] is ApplicationStatus.FINALISED and before[2] == []

    def broken(*_a, **_k):
        raise InvalidInput("injected failure")

    for target, name in ((publish, "sign_pdf"), (publish, "render_html"), (sec, "record_publication")):
        with monkeypatch.context() as m:
            m.setattr(target, name, broken)
            with pytest.raises(InvalidInput, match="injected failure"):
                publish.publish_advice(sec, app_id, pdf_out=pdf, html_out=html, now=NOW)
        assert _state(sec, app_id, folder) == before, name  # no file claims publication, nothing recorded

    with pytest.raises(NotFound, match="does not exist"):  # a file that cannot be written: its folder is missing
        publish.publish_advice(sec, app_id, pdf_out=pdf, html_out=tmp_path / "nowhere" / "advice.html", now=NOW)
    assert _state(sec, app_id, folder) == before

    result = publish.publish_advice(sec, app_id, pdf_out=pdf, html_out=html, now=NOW)
    status, actions, files = _state(sec, app_id, folder)
    assert status is ApplicationStatus.PUBLISHED and files == ["advice.html", "advice.pdf", "panel-root.pem"]
    assert actions[len(before[1]):] == ["advice.published", "advice.export"]
    entry = sec.audit_log()[-1]
    assert entry["detail"]["pdf_sha256"] == result.pdf_sha256 and result.level == "PAdES B-LT"
    root = (folder / "panel-root.pem").read_bytes()
    assert publish.verify_pdf(pdf, [root], now=NOW).ok
    assert publish.fingerprint(root) in "".join("".join(pdf_pages(pdf.read_bytes())).split())  # may wrap


def test_publishing_with_a_configured_time_stamping_authority(panel, tmp_path, monkeypatch, capsys):
    from datetime import UTC, datetime

    from local_tsa import local_tsa

    app_id = _finalised(panel)
    profile = str(panel.sec.profile_dir)
    panel.sec.close()
    monkeypatch.setenv("PANEL_DESK_PASSPHRASE", wf.PASSPHRASE)
    pdf, html = tmp_path / "advice.pdf", tmp_path / "advice.html"
    with local_tsa(NOW) as (url, tsa_root):
        assert main(["ca", "init", "--profile", profile]) == 0
        assert main(["ca", "tsa", "not a url", "--profile", profile]) == 1
        assert "is not a web address" in capsys.readouterr().err
        assert main(["ca", "tsa", url, "--profile", profile]) == 0
        assert main(["advice", "export", app_id, "--pdf", str(pdf), "--html", str(html), "--profile", profile]) == 0
        assert "(PAdES B-LTA)" in capsys.readouterr().out
    (tmp_path / "tsa-root.pem").write_bytes(tsa_root)
    trust = ["--trust", str(tmp_path / "panel-root.pem"), "--trust", str(tmp_path / "tsa-root.pem")]
    assert main(["verify", str(pdf), *trust, "--as-of", "2040-01-01"]) == 0
    out = capsys.readouterr().out
    assert "Level: PAdES B-LTA" in out and "timestamps prove the advice was signed while it was valid" in out
    with pytest.raises(SystemExit) as usage:
        main(["verify", str(pdf), "--as-of", "someday", *trust])
    assert usage.value.code == 2 and "is not a date such as 2040-01-01" in capsys.readouterr().err
    assert datetime.now(UTC).year < 2040  # the check above really looked past the certificates' expiry
    assert main(["ca", "tsa", "--off", "--profile", profile]) == 0
    assert "without a timestamp (PAdES B-LT)" in capsys.readouterr().out


def test_revoke_issues_a_new_certificate_and_the_crl_lists_the_old_one(panel, tmp_path, monkeypatch, capsys):
    from asn1crypto import crl as asn1_crl

    from panel_desk.core import publish

    profile = str(panel.sec.profile_dir)
    panel.sec.close()
    monkeypatch.setenv("PANEL_DESK_PASSPHRASE", wf.PASSPHRASE)
    assert main(["ca", "init", "--profile", profile]) == 0
    capsys.readouterr()
    assert main(["ca", "revoke", "--profile", profile]) == 0
    out = capsys.readouterr().out
    assert "Revoked the publication certificate with serial number" in out and "same root" in out
    crl_path = tmp_path / "panel-root.crl"
    assert main(["ca", "crl", "--out", str(crl_path), "--profile", profile]) == 0
    assert "(1 revoked)" in capsys.readouterr().out
    crl = asn1_crl.CertificateList.load(crl_path.read_bytes())
    serial = int(out.split("serial number ")[1].split(".")[0], 16)
    assert [r["user_certificate"].native for r in crl["tbs_cert_list"]["revoked_certificates"]] == [serial]
    assert publish.PublicationCredentials  # the store kept the new credentials (read back by the CLI above)


def test_the_finalised_advice_says_what_the_records_show(panel):
    """Eve was recused; Cara, Ian and Pat declared first, answered and replied: the statements follow."""
    from panel_desk.core.publish import _document

    app_id = _finalised(panel)
    advice = panel.sec.publication(app_id)
    parts = {p.name: p for p in advice.participation}
    assert set(parts) == set(MEMBERS)
    assert parts["Eve Hart"].decision is Decision.RECUSED and not parts["Eve Hart"].answered
    assert all(parts[n].declared_first and parts[n].answered for n in ("Cara Okafor", "Ian Moss", "Pat Lowe"))
    assert parts["Pat Lowe"].signoff is SignOffKind.DISSENT
    said = _document.process_statements(advice)
    assert said.interests_intro.startswith("Every member declared their interests")
    assert "Cara Okafor, Ian Moss and Pat Lowe answered both questions." in said.members_intro
    assert "did not" not in said.members_intro

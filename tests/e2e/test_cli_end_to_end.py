"""The whole panel process through the command line only, with real identities, profiles and bundles.

A secretariat and four members (staff of the Children's Commissioner and of HM Chief Inspector, two
appointed experts): one expert declares a conflict and is recused, one member dissents. Every step
is a ``panel-desk`` command run through :func:`panel_desk.cli.main`, each person in their own
temporary profile.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from panel_desk.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "resources" / "examples" / "application"
FAST = ["--scrypt-work-factor", "10"]  # the real default (2^18) is tested in tests/core/test_identity.py
SECRET = "E2E-INTERNAL-NOTE-3b9"

PEOPLE = {
    "sam": ("Sam Secretary", "secretariat", "Department for Education", ""),
    "cara": ("Cara Okafor", "childrens-commissioner", "Office of the Children's Commissioner", "Children's Commissioner"),
    "ian": ("Ian Moss", "chief-inspector", "Ofsted", "HM Chief Inspector"),
    "eve": ("Eve Hart", "expert", "University of Wexmoor", ""),
    "pat": ("Pat Lowe", "expert", "Independent social work consultant", ""),
}
MEMBERS = ("cara", "ian", "eve", "pat")
TAKING_PART = ("cara", "ian", "pat")


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def last(self) -> str:
        return self.out.rstrip("\n").splitlines()[-1]


@pytest.fixture
def pd(tmp_path, capsys, monkeypatch):
    """Run ``panel-desk`` as a person (their profile), returning the exit code and output."""
    monkeypatch.setenv("PANEL_DESK_PASSPHRASE", "correct horse battery staple")
    monkeypatch.delenv("PANEL_DESK_HOME", raising=False)

    def run(who: str | None, *argv: str | Path, ok: bool = True) -> Run:
        args = [str(a) for a in argv]
        if who is not None:
            args = ["--profile", str(tmp_path / "profiles" / who), *args]
        capsys.readouterr()
        code = main(args)
        captured = capsys.readouterr()
        result = Run(code, captured.out, captured.err)
        if ok:
            assert code == 0, f"panel-desk {' '.join(args)} failed: {captured.err}"
        return result

    return run


def _fill(template: str, who: str, outcomes: str, monitoring: str, conditions: list[str]) -> str:
    """Fill in a response template as a member would, in a text editor."""
    q1, rest = template.split("\n[monitoring]\n")
    q2, advice = rest.split("\n[advice]\n")
    q1 = q1.replace('rating = ""', f'rating = "{outcomes}"').replace('confidence = ""', 'confidence = "high"')
    q1 = q1.replace('rationale = """\n"""', f'rationale = """\n{who}: children\'s wishes come first; the route '
                                             'back is clear.\n"""')
    q1 = q1.replace('internal_note = """\n"""', f'internal_note = """\n{SECRET} ({who})\n"""')
    q1 = q1.replace("evidence = []", 'evidence = [\n  { document = "documents/application.pdf", page = 1, '
                                     'quote = "Any child can return to an IRO-chaired review" },\n]')
    q2 = q2.replace('rating = ""', f'rating = "{monitoring}"').replace('confidence = ""', 'confidence = "medium"')
    q2 = q2.replace('rationale = """\n"""', f'rationale = """\n{who}: quarterly audits of 10% of cases.\n"""')
    q2 = q2.replace('internal_note = """\n"""', f'internal_note = """\n{SECRET} ({who}, Q2)\n"""')
    listed = "".join(f'  "{c}",\n' for c in conditions)
    advice = advice.replace("conditions = []", f"conditions = [\n{listed}]" if conditions else "conditions = []")
    return q1 + "\n[monitoring]\n" + q2 + "\n[advice]\n" + advice


def test_the_panel_process_end_to_end(pd, tmp_path):
    files = tmp_path / "files"
    files.mkdir()

    # --- identities, cards and profiles -------------------------------------------------------------
    for key, (name, role, org, acts_for) in PEOPLE.items():
        extra = ["--acts-for", acts_for] if acts_for else []
        pd(None, "identity", "new", "--name", name, "--role", role, "--organisation", org, *extra,
           "--out", files / f"{key}.id", *FAST)
        pd(None, "identity", "card", files / f"{key}.id", "--out", files / f"{key}.card")
    pd("sam", "init", "--identity", files / "sam.id", "--trust", *(files / f"{m}.card" for m in MEMBERS))
    for m in MEMBERS:
        pd(m, "init", "--identity", files / f"{m}.id", "--trust", files / "sam.card")

    # --- the roster ----------------------------------------------------------------------------------
    fingerprints = {}
    for m in MEMBERS:
        r = pd("sam", "roster", "add", files / f"{m}.card", "--role", PEOPLE[m][1],
               *(["--acts-for", PEOPLE[m][3]] if PEOPLE[m][3] else []))
        fingerprints[m] = r.last
        assert re.fullmatch(r"[A-Z2-7]{32}", r.last)
    listed = pd("sam", "roster", "list").out.splitlines()
    for m in MEMBERS:
        assert any(line.startswith(fingerprints[m] + " ") and PEOPLE[m][0] in line for line in listed)

    # --- the application, sealed for the panel -----------------------------------------------------------
    app_id = pd("sam", "application", "new", EXAMPLE).last
    assert re.fullmatch(r"wexmoor-2026-[0-9a-f]{4}", app_id)
    sealed = pd("sam", "application", "seal", app_id, "--out", files / "application.pdbundle")
    assert "for 4 people" in sealed.out
    for m in MEMBERS:
        pd(m, "import", files / "application.pdbundle")
    assert any(line.startswith(app_id) for line in pd("cara", "list").out.splitlines())

    # --- declarations, sent back on their own; the secretariat decides -------------------------------------
    for m in MEMBERS:
        if m == "eve":
            r = pd(m, "declare", app_id, "--interest", "prior-involvement", "I advised Wexmoor on this bid.",
                   "--interest", "professional", "I am writing up Wexmoor's earlier pilot.",
                   "--out", files / f"{m}-declaration.pdbundle")
            assert "2 interests" in r.out
        else:
            pd(m, "declare", app_id, "--none", "--out", files / f"{m}-declaration.pdbundle")
    pd("sam", "import", *(files / f"{m}-declaration.pdbundle" for m in MEMBERS))
    register = pd("sam", "conflicts", "list", app_id).out
    assert "Eve Hart" in register and "Decision needed" in register
    pd("sam", "conflicts", "decide", app_id, "Eve Hart", "recused", "--reason",
       "She advised the authority on this application.")
    pd("sam", "conflicts", "decide", app_id, fingerprints["cara"], "no-action", "--reason", "No interests.")
    register = pd("sam", "conflicts", "list", app_id).out
    assert "Recused; no access: She advised the authority on this application." in register

    # --- responses through the TOML template ----------------------------------------------------------------
    plans = {"cara": ("improve", "sufficient_with_conditions", ["Report the number of children outside IRO review "
                                                                 "to the department each quarter."]),
             "ian": ("improve", "sufficient", []),
             "pat": ("worsen", "insufficient", ["Audit every case in the first year."])}
    for m, (o, mon, conditions) in plans.items():
        template = pd(m, "response", "template", app_id).out
        assert f'application = "{app_id}"' in template and "improve_significantly — Improve significantly" in template
        form = files / f"{m}-FORM.toml"
        form.write_text(_fill(template, PEOPLE[m][0], o, mon, conditions), encoding="utf-8")
        r = pd(m, "response", "seal", form, "--out", files / f"{m}-response.pdbundle")
        assert "for the secretariat" in r.out
        # the template now shows what was sent
        assert pd(m, "response", "template", app_id).out == form.read_text(encoding="utf-8")
    bad = files / "bad-FORM.toml"
    bad.write_text(pd("ian", "response", "template", app_id).out.replace('"improve"', '"improves"', 1))
    refused = pd("ian", "response", "seal", bad, "--out", files / "bad.pdbundle", ok=False)
    assert refused.code == 1 and "outcomes.rating: 'improves' is not allowed; choose one of" in refused.err
    assert refused.err.count("\n") == 1 and not (files / "bad.pdbundle").exists()
    pd("sam", "import", *(files / f"{m}-response.pdbundle" for m in plans))

    # --- consolidation ------------------------------------------------------------------------------------
    cons = pd("sam", "consolidate", app_id, "--csv", files / "answers.csv", "--json", files / "answers.json")
    assert "Excluded from the advice:" in cons.out and "Eve Hart" in cons.out
    rows = list(csv.DictReader(io.StringIO((files / "answers.csv").read_text(encoding="utf-8"))))
    assert len(rows) == len(MEMBERS) * 2  # one row per member per question
    assert {(r["member"], r["question"]) for r in rows} == {
        (PEOPLE[m][0], q) for m in MEMBERS for q in ("outcomes", "monitoring")}
    eve_rows = [r for r in rows if r["member"] == "Eve Hart"]
    assert {r["status"] for r in eve_rows} == {"excluded"}
    assert all("Recused" in r["reason"] for r in eve_rows)
    pat = next(r for r in rows if r["member"] == "Pat Lowe" and r["question"] == "outcomes")
    assert (pat["status"], pat["rating"], pat["confidence"]) == ("included", "worsen", "high")
    assert "documents/application.pdf page 1" in pat["evidence"]
    data = json.loads((files / "answers.json").read_text(encoding="utf-8"))
    assert data["questions"][0]["counts"]["improve"] == 2

    # --- the draft, circulated to those taking part ---------------------------------------------------------
    draft = files / "draft.toml"
    draft.write_text('summary = "Wexmoor asks to target the IRO role for children in stable placements."\n'
                     'outcomes = "Most members judged that outcomes are likely to improve."\n'
                     'monitoring = "Sufficient, with the conditions below."\n'
                     'conditions = ["Report the number of children outside IRO review each quarter."]\n'
                     'other_advice = ""\n', encoding="utf-8")
    pd("sam", "advice", "draft", app_id, "--from", draft)
    circulated = pd("sam", "advice", "circulate", app_id, "--out", files / "draft.pdbundle")
    assert "for 3 people" in circulated.out and "Eve Hart" not in circulated.out
    payload_check = pd("cara", "bundle", "open", files / "draft.pdbundle", "--identity", files / "cara.id",
                       "--trust", files / "sam.card")
    assert "draft" in payload_check.out.lower()
    refused = pd("eve", "import", files / "draft.pdbundle", ok=False)
    assert "not addressed to you" in refused.out + refused.err
    for m in TAKING_PART:
        pd(m, "import", files / "draft.pdbundle")

    # --- sign-offs: one dissent, exactly as written -----------------------------------------------------
    dissent = ("I dissent. Children who change placement would wait too long for an independent reviewing "
               "officer; the route back must be immediate.")
    pd("cara", "signoff", app_id, "--concur", "--out", files / "cara-signoff.pdbundle")
    pd("ian", "signoff", app_id, "--comment", "Case audits should be published.", "--attribute", "role",
       "--out", files / "ian-signoff.pdbundle")
    pd("pat", "signoff", app_id, "--dissent", dissent, "--attribute", "name", "--out", files / "pat-signoff.pdbundle")
    pd("sam", "import", files / "cara-signoff.pdbundle", files / "ian-signoff.pdbundle")
    status = pd("sam", "advice", "status", app_id).out
    assert "2 of 3 replied" in status and "Pat Lowe: Not replied" in status
    early = pd("sam", "advice", "finalise", app_id, ok=False)
    assert early.code == 1 and "Waiting for Pat Lowe" in early.err
    pd("sam", "import", files / "pat-signoff.pdbundle")
    status = pd("sam", "advice", "status", app_id).out
    assert "3 of 3 replied" in status and f'"{dissent}"' in status
    final = pd("sam", "advice", "finalise", app_id)
    assert "3 members took part, 1 dissent, 1 comment" in final.out
    for who in ("sam", *MEMBERS):
        pd(who, "audit", "verify")

    # --- the published advice, signed and checked -----------------------------------------------------------
    pd("sam", "ca", "init")
    pd("sam", "ca", "export-root", "--out", files / "panel-root.pem")
    pd("sam", "advice", "export", app_id, "--pdf", files / "advice.pdf", "--html", files / "advice.html")
    html = (files / "advice.html").read_text(encoding="utf-8")
    assert "I dissent. Children who change placement would wait too long" in html
    assert "Pat Lowe" in html and "Eve Hart" in html  # the dissent's author; the register of interests
    assert SECRET not in html and SECRET.encode() not in (files / "advice.pdf").read_bytes()
    pd(None, "verify", files / "advice.pdf", "--trust", files / "panel-root.pem")
    untrusted = pd(None, "verify", files / "advice.pdf", ok=False)
    assert untrusted.code == 1 and "no trusted root was given" in untrusted.err

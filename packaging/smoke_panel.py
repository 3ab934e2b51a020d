"""For the build's signing smoke test: a secretariat profile whose advice on one application is finalised.

Run with the development install (``.venv/bin/python packaging/smoke_panel.py DIR``); the frozen
program then creates the publication certificate, exports the signed advice and verifies it
(``ca init``, ``advice export``, ``verify``), which exercises pyHanko, reportlab and the fonts inside
the build. Prints the profile folder and the application id. Throw-away identities with a low scrypt
work factor and a passphrase that is not secret.
"""

from __future__ import annotations

import sys
from pathlib import Path

from panel_desk.core import member, secretariat
from panel_desk.core.identity import Identity
from panel_desk.core.model import Answer, ResponseAnswers, Role
from panel_desk.core.store import init_profile

PASSPHRASE = "smoke-test-not-secret"
EXAMPLE = Path(__file__).resolve().parents[1] / "resources" / "examples" / "application"
PEOPLE = {
    "sam": ("Sam Secretary", Role.SECRETARIAT, ""),
    "cara": ("Cara Okafor", Role.CHILDRENS_COMMISSIONER, "Children's Commissioner"),
    "ian": ("Ian Moss", Role.CHIEF_INSPECTOR, "HM Chief Inspector"),
    "eve": ("Eve Hart", Role.EXPERT, ""),
}
MEMBERS = ("cara", "ian", "eve")


def build(root: Path) -> tuple[Path, str]:
    root.mkdir(parents=True, exist_ok=True)
    cards = {}
    for who, (name, role, acts_for) in PEOPLE.items():
        ident = Identity.create(name, role, "Org", acts_for)
        ident.save(root / f"{who}.id", PASSPHRASE, work_factor=10)
        cards[who] = ident.card
    sec = init_profile(root / "sam", root / "sam.id", PASSPHRASE, trusted=[cards[m] for m in MEMBERS])
    members = {m: init_profile(root / m, root / f"{m}.id", PASSPHRASE, trusted=[cards["sam"]]) for m in MEMBERS}
    try:
        for m in MEMBERS:
            sec.roster_add(cards[m], role=PEOPLE[m][1], acts_for=PEOPLE[m][2])
        app_id = secretariat.new_application(sec, EXAMPLE).id
        secretariat.seal_application(sec, app_id, root / "application.pdbundle")
        for m, ws in members.items():
            ws.import_bundle(root / "application.pdbundle")
            member.declare(ws, app_id, none=True)
            member.export_declaration(ws, app_id, root / f"{m}-declaration.pdbundle")
            answer = Answer(rating="improve", confidence="high", rationale=f"{m}: outcomes are likely to improve.")
            ws.save_answers(app_id, ResponseAnswers(outcomes=answer, monitoring=Answer(
                rating="sufficient", confidence="medium", rationale=f"{m}: monitoring is sufficient."),
                other_advice=""))
            member.send_response(ws, app_id, root / f"{m}-response.pdbundle")
            for kind in ("declaration", "response"):
                sec.import_bundle(root / f"{m}-{kind}.pdbundle")
        secretariat.draft_advice(sec, app_id, {"summary": "Smoke test.", "outcomes": "Likely to improve.",
                                               "monitoring": "Sufficient.", "conditions": ["Report quarterly."],
                                               "other_advice": ""})
        secretariat.circulate(sec, app_id, root / "draft.pdbundle")
        for m, ws in members.items():
            ws.import_bundle(root / "draft.pdbundle")
            member.sign_off(ws, app_id, "concur", out=root / f"{m}-signoff.pdbundle")
            sec.import_bundle(root / f"{m}-signoff.pdbundle")
        secretariat.finalise(sec, app_id)
    finally:
        for ws in (sec, *members.values()):
            ws.close()
    return root / "sam", app_id


if __name__ == "__main__":
    profile, app = build(Path(sys.argv[1]))
    print(profile, app)

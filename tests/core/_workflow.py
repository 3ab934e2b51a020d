"""A real panel for workflow tests: a secretariat and members, each with an identity and a profile.

Identities use a low scrypt work factor so a panel is made in a fraction of a second; everything
else (profiles, bundles, imports) is the real code.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from panel_desk.core.identity import Identity
from panel_desk.core.model import Answer, Evidence, ResponseAnswers, Role
from panel_desk.core.store import Workspace, init_profile

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "application"
PASSPHRASE = "correct horse battery staple"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SECRET = "INTERNAL-NOTE-MARKER-5c1d"

PEOPLE = (
    ("Sam Secretary", Role.SECRETARIAT, "Department for Education", ""),
    ("Cara Okafor", Role.CHILDRENS_COMMISSIONER, "Office of the Children's Commissioner", "Children's Commissioner"),
    ("Ian Moss", Role.CHIEF_INSPECTOR, "Ofsted", "HM Chief Inspector"),
    ("Eve Hart", Role.EXPERT, "University of Wexmoor", ""),
    ("Pat Lowe", Role.SOCIAL_WORK_PRACTICE, "Social Work England", ""),
)


@dataclass
class Panel:
    root: Path
    identities: dict[str, Identity]
    profiles: dict[str, Workspace] = field(default_factory=dict)

    @property
    def sec(self) -> Workspace:
        return self.profiles["Sam Secretary"]

    def ws(self, name: str) -> Workspace:
        return self.profiles[name]

    def fp(self, name: str) -> str:
        return self.identities[name].fingerprint

    def out(self, name: str) -> Path:
        return self.root / name

    def close(self) -> None:
        for ws in self.profiles.values():
            ws.close()


def make_identity(root: Path, name: str, role: Role, organisation: str = "Org", acts_for: str = "") -> Identity:
    ident = Identity.create(name, role, organisation, acts_for)
    ident.save(root / f"{name}.id", PASSPHRASE, work_factor=10)
    return ident


def make_panel(root: Path, people=PEOPLE, *, roster: bool = True) -> Panel:
    """Profiles for ``people`` (the first is the secretariat), each member trusting the secretariat and
    the secretariat trusting (and, if ``roster``, rostering) every member."""
    identities = {name: make_identity(root, name, role, org, acts_for) for name, role, org, acts_for in people}
    panel = Panel(root, identities)
    sec_name = people[0][0]
    sec_card = identities[sec_name].card
    member_cards = [identities[name].card for name, *_ in people[1:]]
    panel.profiles[sec_name] = init_profile(root / "profiles" / sec_name, root / f"{sec_name}.id", PASSPHRASE,
                                            trusted=member_cards, now=NOW)
    if roster:
        for name, role, _org, acts_for in people[1:]:
            panel.profiles[sec_name].roster_add(identities[name].card, role=role, acts_for=acts_for)
    for name, *_ in people[1:]:
        panel.profiles[name] = init_profile(root / "profiles" / name, root / f"{name}.id", PASSPHRASE,
                                            trusted=[sec_card], now=NOW)
    return panel


def copy_example(root: Path, name: str = "application") -> Path:
    dest = root / name
    shutil.copytree(EXAMPLE, dest)
    return dest


def answers(who: str, outcomes: str = "improve", monitoring: str = "sufficient", conditions=()) -> ResponseAnswers:
    """A complete set of answers, with an internal note carrying :data:`SECRET`."""
    return ResponseAnswers(
        outcomes=Answer(rating=outcomes, confidence="high", rationale=f"{who}: outcomes are likely to {outcomes}.",
                        internal_note=f"{SECRET} {who} outcomes",
                        evidence=[Evidence(document="documents/application.pdf", page=1, quote="stable placements")]),
        monitoring=Answer(rating=monitoring, confidence="medium", rationale=f"{who}: monitoring is {monitoring}.",
                          internal_note=f"{SECRET} {who} monitoring"),
        conditions=list(conditions), other_advice=f"{who}'s other advice.")


def send_application(panel: Panel, *, to=None, members=None) -> str:
    """The secretariat records the example application, seals it (for ``to``, or everyone not recused)
    and each member in ``members`` (default: those it was sealed for, or all) imports it. Returns its id."""
    from panel_desk.core import secretariat

    app = secretariat.new_application(panel.sec, EXAMPLE, now=NOW)
    out = panel.out("application.pdbundle")
    secretariat.seal_application(panel.sec, app.id, out, to=to, now=NOW)
    for name in members or to or [name for name in panel.profiles if name != "Sam Secretary"]:
        assert panel.ws(name).import_bundle(out, now=NOW).recorded
    return app.id

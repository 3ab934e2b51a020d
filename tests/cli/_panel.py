"""Profiles for CLI tests of the member and secretariat commands.

The profiles are made with the core (so these tests do not depend on ``panel-desk init``); every
command under test then runs through :func:`panel_desk.cli.main` with ``--profile``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from panel_desk.cli import main
from panel_desk.core.identity import Identity
from panel_desk.core.model import Role
from panel_desk.core.store import init_profile

PASSPHRASE = "correct horse battery staple"
EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "application"

PEOPLE = {
    "sam": ("Sam Secretary", Role.SECRETARIAT, ""),
    "cara": ("Cara Okafor", Role.CHILDRENS_COMMISSIONER, "Children's Commissioner"),
    "ian": ("Ian Moss", Role.CHIEF_INSPECTOR, "HM Chief Inspector"),
    "eve": ("Eve Hart", Role.EXPERT, ""),
}
MEMBERS = ("cara", "ian", "eve")


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def last(self) -> str:
        return self.out.rstrip("\n").splitlines()[-1]


@dataclass
class Desk:
    root: Path
    capsys: pytest.CaptureFixture
    identities: dict[str, Identity] = field(default_factory=dict)

    def profile(self, who: str) -> Path:
        return self.root / "profiles" / who

    def file(self, name: str) -> Path:
        return self.root / "files" / name

    def fp(self, who: str) -> str:
        return self.identities[who].fingerprint

    def run(self, who: str | None, *argv, expect: int = 0) -> Result:
        args = [str(a) for a in argv]
        if who is not None:
            args = ["--profile", str(self.profile(who)), *args]
        self.capsys.readouterr()
        try:
            code = main(args)
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code
        out, err = self.capsys.readouterr()
        assert code == expect, f"panel-desk {' '.join(args)} gave {code}, expected {expect}: {err}"
        if code == 1:
            assert err.startswith("panel-desk: ") and err.count("\n") == 1 and "Traceback" not in err
        return Result(code, out, err)

    def import_(self, who: str, *paths: Path) -> None:
        from panel_desk.core.store import open_profile

        with open_profile(self.profile(who), PASSPHRASE) as ws:
            for p in paths:
                result = ws.import_bundle(p)
                assert result.recorded, result.message

    def workspace(self, who: str):
        from panel_desk.core.store import open_profile

        return open_profile(self.profile(who), PASSPHRASE)


def make_desk(root: Path, capsys, *, roster: bool = True) -> Desk:
    """The secretariat and three members, each with a profile; the secretariat's roster filled in."""
    desk = Desk(root, capsys)
    (root / "files").mkdir()
    for who, (name, role, acts_for) in PEOPLE.items():
        ident = Identity.create(name, role, "Org", acts_for)
        ident.save(root / "files" / f"{who}.id", PASSPHRASE, work_factor=10)
        ident.card.save(root / "files" / f"{who}.card")
        desk.identities[who] = ident
    sec = init_profile(desk.profile("sam"), desk.file("sam.id"), PASSPHRASE,
                       trusted=[desk.identities[m].card for m in MEMBERS])
    with sec:
        if roster:
            for m in MEMBERS:
                sec.roster_add(desk.identities[m].card, role=PEOPLE[m][1], acts_for=PEOPLE[m][2])
    for m in MEMBERS:
        init_profile(desk.profile(m), desk.file(f"{m}.id"), PASSPHRASE, trusted=[desk.identities["sam"].card]).close()
    return desk

"""Build a complete demo workspace: a secretariat, five panel members and three sealed applications.

Everything lives under one folder so the demo can be thrown away::

    FOLDER/demo.json                      who is who (names, roles, demo passphrases, paths)
    FOLDER/people/<slug>/identity.age     each person's identity, under their demo passphrase
    FOLDER/people/<slug>/card.json        their public card
    FOLDER/people/<slug>/profile/         their encrypted profile
    FOLDER/applications/<slug>/           the authorities' application folders (TOML and PDFs)
    FOLDER/bundles/<application>.pdbundle the sealed applications, addressed to the five members

The demo identities use a deliberately low scrypt work factor (:data:`DEMO_WORK_FACTOR`, passed
explicitly) so the whole workspace builds in a few seconds. Real identities use at least 2^18. The
passphrases are printed on screen: nothing in a demo workspace is secret.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import tomli_w

from panel_desk.core.demo.applications import CASES, DOCUMENTS, DemoCase, application_for
from panel_desk.core.demo.documents import documents_for
from panel_desk.core.errors import Cancelled, InvalidInput
from panel_desk.core.model import Application, DocumentRef, Role

DEMO_WORK_FACTOR = 12  # scrypt log2(N) for throw-away demo identities only; real ones use >= 18
MANIFEST = "demo.json"
MANIFEST_VERSION = 1

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DemoPersonSpec:
    name: str
    role: Role
    organisation: str
    acts_for: str = ""

    @property
    def first_name(self) -> str:
        return self.name.split()[0]

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")

    @property
    def passphrase(self) -> str:
        return f"demo-{self.first_name.lower()}"


# Invented people. Staff of the two permanent members act for them; the experts are appointed.
PEOPLE: tuple[DemoPersonSpec, ...] = (
    DemoPersonSpec("Priya Natarajan", Role.SECRETARIAT, "Department for Education, panel secretariat (fictional)"),
    DemoPersonSpec("Tom Okafor", Role.CHILDRENS_COMMISSIONER, "Office of the Children's Commissioner (fictional staff)",
                   acts_for="The Children's Commissioner for England"),
    DemoPersonSpec("Rachel Lindqvist", Role.CHIEF_INSPECTOR, "Ofsted (fictional staff)",
                   acts_for="His Majesty's Chief Inspector of Education, Children's Services and Skills"),
    DemoPersonSpec("Grace Adeyemi", Role.VOLUNTARY_SECTOR, "Hearthside Families, a fostering and kinship charity (fictional)"),
    DemoPersonSpec("David Pryce", Role.LOCAL_GOVERNMENT, "Assistant Director, Calderbrook Council (fictional)"),
    DemoPersonSpec("Aisha Rahman", Role.SOCIAL_WORK_PRACTICE, "Principal social worker, Northfold Council (fictional)"),
)


@dataclass(frozen=True)
class DemoPerson:
    """One person in the demo, with everything needed to open the window as them."""

    name: str
    role: Role
    organisation: str
    acts_for: str
    passphrase: str
    identity_file: Path
    card_file: Path
    profile_dir: Path

    @property
    def label(self) -> str:
        """``Tom Okafor (Children's Commissioner)``: how the Demo menu names them."""
        return f"{self.name} ({self.role.label})"


@dataclass(frozen=True)
class DemoWorkspace:
    """What :func:`build_demo_workspace` made: the people, the applications and their bundles."""

    folder: Path
    people: tuple[DemoPerson, ...]
    application_ids: tuple[str, ...]
    bundles: tuple[Path, ...] = field(default=())

    @property
    def secretariat(self) -> DemoPerson:
        return next(p for p in self.people if p.role is Role.SECRETARIAT)

    @property
    def members(self) -> tuple[DemoPerson, ...]:
        return tuple(p for p in self.people if p.role is not Role.SECRETARIAT)

    def person(self, name: str) -> DemoPerson:
        """The person called ``name``. Raises KeyError."""
        for p in self.people:
            if p.name == name:
                return p
        raise KeyError(name)


# --- application folders ------------------------------------------------------------------------


def write_application_folder(case: DemoCase, folder: Path, today: date) -> Application:
    """Write ``case`` as an application folder (``application.toml`` and ``documents/*.pdf``).

    Returns the application as written (documents without hashes; the reader fills them in).
    """
    folder = Path(folder)
    (folder / "documents").mkdir(parents=True, exist_ok=True)
    refs = [DocumentRef(path=path, title=title, features=list(features)) for path, title, features in DOCUMENTS]
    app = application_for(case, today, refs)
    for path, data in documents_for(case, today).items():
        (folder / path).write_bytes(data)
    doc = app.model_dump(mode="json", exclude={"revision_reason"})
    doc["documents"] = [{"path": d.path, "title": d.title, "features": [f.value for f in d.features]}
                        for d in app.documents]
    header = (f"# A fictional demo application made by Panel Desk. {case.authority} is not a real authority.\n")
    (folder / "application.toml").write_text(header + tomli_w.dumps(doc), encoding="utf-8")
    return app


# --- the workspace ------------------------------------------------------------------------------


def _manifest(ws: DemoWorkspace) -> dict:
    return {
        "version": MANIFEST_VERSION,
        "note": "A throw-away Panel Desk demo. The passphrases are not secret; never reuse them.",
        "people": [{"name": p.name, "role": p.role.value, "organisation": p.organisation, "acts_for": p.acts_for,
                    "passphrase": p.passphrase, "identity_file": p.identity_file.relative_to(ws.folder).as_posix(),
                    "card_file": p.card_file.relative_to(ws.folder).as_posix(),
                    "profile_dir": p.profile_dir.relative_to(ws.folder).as_posix()} for p in ws.people],
        "application_ids": list(ws.application_ids),
        "bundles": [b.relative_to(ws.folder).as_posix() for b in ws.bundles],
    }


def load_demo_workspace(folder: Path) -> DemoWorkspace:
    """The demo workspace already built in ``folder``. Raises InvalidInput if there is none."""
    folder = Path(folder)
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if data.get("version") != MANIFEST_VERSION:
            raise ValueError("version")
        people = tuple(
            DemoPerson(name=p["name"], role=Role(p["role"]), organisation=p["organisation"],
                       acts_for=p["acts_for"], passphrase=p["passphrase"],
                       identity_file=folder / p["identity_file"], card_file=folder / p["card_file"],
                       profile_dir=folder / p["profile_dir"])
            for p in data["people"])
        return DemoWorkspace(folder=folder, people=people, application_ids=tuple(data["application_ids"]),
                             bundles=tuple(folder / b for b in data["bundles"]))
    except (OSError, ValueError, KeyError, TypeError):
        raise InvalidInput(f"{folder} does not hold a Panel Desk demo. Choose an empty folder to make one.") from None


def _check_empty(folder: Path) -> None:
    if folder.exists() and any(folder.iterdir()):
        raise InvalidInput(f"{folder} is not empty. Choose an empty folder for the demo.")


def build_demo_workspace(folder: Path, *, today: date | None = None, progress: Progress | None = None,
                         cancelled: Callable[[], bool] | None = None) -> DemoWorkspace:
    """Build the demo in ``folder`` (which must be empty or absent) and return what was made.

    Each person gets an identity (demo passphrase, :data:`DEMO_WORK_FACTOR`), a public card and a
    profile; the secretariat's roster holds the five members; the three applications are entered,
    sealed to the members and imported into each member's profile, so a member starts at
    "Declare your interests". ``progress(done, total)`` is called after each step; ``cancelled()``
    is checked between steps and raises Cancelled. Raises InvalidInput for a non-empty folder.
    """
    from panel_desk.core.identity import Identity

    folder = Path(folder).resolve()
    _check_empty(folder)
    today = today or date.today()
    steps = _Steps(len(PEOPLE) * 2 + len(CASES) * 2 + 1, progress, cancelled)
    folder.mkdir(parents=True, exist_ok=True)

    people: list[DemoPerson] = []
    identities: dict[str, Identity] = {}
    for spec in PEOPLE:
        home = folder / "people" / spec.slug
        home.mkdir(parents=True)
        identity = Identity.create(spec.name, spec.role, spec.organisation, spec.acts_for)
        person = DemoPerson(name=spec.name, role=spec.role, organisation=spec.organisation,
                            acts_for=spec.acts_for, passphrase=spec.passphrase,
                            identity_file=home / "identity.age", card_file=home / "card.json",
                            profile_dir=home / "profile")
        identity.save(person.identity_file, person.passphrase, work_factor=DEMO_WORK_FACTOR)
        identity.card.save(person.card_file)
        identities[person.name] = identity
        people.append(person)
        steps.done()

    folders = []
    for case in CASES:
        target = folder / "applications" / case.slug
        write_application_folder(case, target, today)
        folders.append(target)
        steps.done()

    ws = DemoWorkspace(folder=folder, people=tuple(people), application_ids=(), bundles=())
    ws = _enter_and_seal(ws, identities, folders, steps)
    (folder / MANIFEST).write_text(json.dumps(_manifest(ws), indent=2) + "\n", encoding="utf-8")
    _write_readme(ws)
    steps.done()
    return ws


class _Steps:
    def __init__(self, total: int, progress: Progress | None, cancelled: Callable[[], bool] | None) -> None:
        self.total, self.count, self.progress, self.cancelled = total, 0, progress, cancelled
        self.check()

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled("The demo was not made. Nothing you need was changed.")

    def done(self) -> None:
        self.count += 1
        if self.progress is not None:
            self.progress(min(self.count, self.total), self.total)
        self.check()


def store_ready() -> bool:
    """Whether the profile store is implemented (other tests skip on it; it is, since the store landed)."""
    try:
        from panel_desk.core.store import profile_exists

        profile_exists(Path(os.devnull) / "no-profile")
    except (ImportError, NotImplementedError):
        return False
    return True


def _enter_and_seal(ws: DemoWorkspace, identities: dict, folders: list[Path], steps: _Steps) -> DemoWorkspace:
    """Enter and seal each application as the secretariat, then import them into every member's profile."""
    from panel_desk.core.store import init_profile

    out_dir = ws.folder / "bundles"
    out_dir.mkdir()
    ids, bundles = [], []

    sec = ws.secretariat
    desk = init_profile(sec.profile_dir, sec.identity_file, sec.passphrase)
    try:
        for member in ws.members:
            desk.roster_add(identities[member.name].card, member.role, member.acts_for)
        # the demo can be published without a terminal: it has its publication certificate
        from panel_desk.core import publish

        desk.put_secret(publish.CREDENTIALS_SECRET, publish.create_panel_ca().to_bytes())
        for app_folder in folders:
            out = out_dir / f"{app_folder.name}.pdbundle"
            app_id = _enter_application(desk, app_folder, out)
            ids.append(app_id)
            bundles.append(out)
            steps.done()
    finally:
        desk.close()
    steps.done()
    secretariat_card = identities[sec.name].card
    for member in ws.members:
        profile = init_profile(member.profile_dir, member.identity_file, member.passphrase,
                               trusted=[secretariat_card])
        try:
            for path in bundles:
                result = profile.import_bundle(path)
                if result.refused:
                    raise InvalidInput(f"The demo application {path.name} was refused for {member.name}: "
                                       f"{result.message}")
        finally:
            profile.close()
        steps.done()
    return replace(ws, application_ids=tuple(ids), bundles=tuple(bundles))


def _enter_application(desk, app_folder: Path, out: Path) -> str:
    """Enter the application as the secretariat and seal it to every member; return its id."""
    from panel_desk.core import secretariat

    app = secretariat.new_application(desk, app_folder)
    secretariat.seal_application(desk, app.id, out)
    return app.id


def _write_readme(ws: DemoWorkspace) -> None:
    lines = ["Panel Desk demo workspace", "",
             "Everything here is fictional and throw-away. The passphrases below are not secret;",
             "never use them, or these identities, for real work.", ""]
    for p in ws.people:
        lines.append(f"{p.label:<55} passphrase: {p.passphrase}")
    lines += ["", "Open the window as someone:",
              "  panel-desk --profile people/<name>/profile   (or: panel-desk demo --dir THIS_FOLDER)"]
    path = ws.folder / "README.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.chmod(path, 0o644)

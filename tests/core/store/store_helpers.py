"""Helpers for the store tests: people with fast identities, PDFs in memory, applications, bundles."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from reportlab.pdfgen import canvas

from panel_desk.core import bundle
from panel_desk.core.identity import Identity
from panel_desk.core.model import (
    Application,
    ConflictDeclaration,
    Dates,
    DocumentRef,
    DraftAdvice,
    Features,
    Provision,
    Response,
    ResponseAnswers,
    Role,
    SignOff,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
PASS = "correct horse battery"
WORK_FACTOR = 2  # scrypt log2(N) for test identities only
APP_ID = "northshire-2026-ab12"
DOC = "documents/application.pdf"
DOC2 = "documents/risk.pdf"


def pdf(*pages: str) -> bytes:
    """A small PDF with one line of text per page, built in memory."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pageCompression=0, invariant=1)
    for text in pages:
        c.drawString(72, 720, text)
        c.showPage()
    c.save()
    return buf.getvalue()


class Person:
    """An identity saved to a file with a fast work factor."""

    def __init__(self, folder: Path, slug: str, name: str, role: Role, organisation: str = "Org") -> None:
        self.identity = Identity.create(name, role, organisation, now=NOW)
        self.file = folder / f"{slug}.age"
        self.identity.save(self.file, PASS, work_factor=WORK_FACTOR)
        self.card = self.identity.card
        self.fingerprint = self.identity.fingerprint
        self.name = name


class People:
    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.sam = Person(folder, "sam", "Sam Secretariat", Role.SECRETARIAT, "Department for Education")
        self.rita = Person(folder, "rita", "Rita Reader", Role.CHILDRENS_COMMISSIONER)
        self.colin = Person(folder, "colin", "Colin Colleague", Role.EXPERT)
        self.olive = Person(folder, "olive", "Olive Outsider", Role.EXPERT)


def application(app_id: str = APP_ID, revision: int = 1, *, title: str = "Fostering panels",
                documents: dict[str, str] | None = None, advice_due: date = date(2026, 12, 14)) -> Application:
    docs = documents if documents is not None else {DOC: "Application", DOC2: "Risk assessment"}
    return Application(
        id=app_id, revision=revision, authority="Northshire County Council", title=title,
        summary="Replace fostering panels with a decision by a senior manager.",
        provisions=[Provision(enactment="The Fostering Services (England) Regulations 2011", reference="regulation 23",
                              change="exemption", original_procedure="negative")],
        trial_months=24,
        dates=Dates(received=date(2026, 10, 1), panel_asked=date(2026, 10, 5),
                    regulations_intended=date(2027, 1, 15), advice_due=advice_due),
        features=Features(), documents=[DocumentRef(path=p, title=t) for p, t in docs.items()])


DEFAULT_FILES = {DOC: ("Consultation with zebra foster carers", "Outcomes for children improve"),
                 DOC2: ("Risk to children is mitigated by quokka safeguards",)}


def files_for(texts: dict[str, tuple[str, ...]] | None = None) -> dict[str, bytes]:
    return {path: pdf(*pages) for path, pages in (texts or DEFAULT_FILES).items()}


def seal_application(people: People, out: Path, *, revision: int = 1, app: Application | None = None,
                     files: dict[str, bytes] | None = None, to=None, signer=None, expires_at=None,
                     now: datetime = NOW) -> bundle.Manifest:
    app = app or application(revision=revision)
    files = files if files is not None else files_for()
    return bundle.seal(bundle.Kind.APPLICATION, application_id=app.id, revision=app.revision,
                       payload=app.model_dump(mode="json"), files=files,
                       titles={d.path: d.title for d in app.documents},
                       signer=(signer or people.sam).identity,
                       recipients=[p.card for p in (to or [people.rita, people.colin])], out=out,
                       expires_at=expires_at, now=now)


def seal_kind(kind: str, payload, *, signer: Person, to: Person, out: Path, app_id: str = APP_ID,
              revision: int | None = None, now: datetime = NOW) -> bundle.Manifest:
    """Seal a bundle of ``kind``; its revision is the one its payload carries unless given."""
    data = payload if isinstance(payload, dict) else payload.model_dump(mode="json")
    if revision is None:
        field = {"response": "revision", "declaration": "application_revision", "draft-advice": "revision",
                 "signoff": "draft_revision"}.get(kind)
        revision = data.get(field, 1) if field else 1
    return bundle.seal(kind, application_id=app_id, revision=revision, payload=data, files={},
                       signer=signer.identity, recipients=[to.card], out=out, now=now)


def declaration(member: Person, revision: int = 1, *, at: datetime = NOW, interest: str = "") -> ConflictDeclaration:
    if interest:
        return ConflictDeclaration(application_id=APP_ID, application_revision=revision, member=member.fingerprint,
                                   interests=[{"type": "professional", "text": interest}], declared_at=at)
    return ConflictDeclaration(application_id=APP_ID, application_revision=revision, member=member.fingerprint,
                               none_to_declare=True, declared_at=at)


def answers(rationale: str = "Outcomes improve because the panel meets weekly.") -> ResponseAnswers:
    return ResponseAnswers.model_validate({
        "outcomes": {"rating": "improve", "confidence": "medium", "rationale": rationale},
        "monitoring": {"rating": "sufficient", "confidence": "high", "rationale": "Quarterly reports to DfE."},
    })


def response(member: Person, revision: int = 1, *, app_revision: int = 1, rationale: str = "Better outcomes.",
             at: datetime = NOW) -> Response:
    return Response(application_id=APP_ID, application_revision=app_revision, member=member.fingerprint,
                    revision=revision, answers=answers(rationale), submitted_at=at)


def draft(revision: int = 1) -> DraftAdvice:
    return DraftAdvice(application_id=APP_ID, revision=revision, summary="Summary", outcomes="Likely to improve.",
                       monitoring="Sufficient.", created_at=NOW)


def signoff(member: Person, draft_revision: int = 1, *, at: datetime = NOW, kind: str = "concur",
            text: str = "") -> SignOff:
    return SignOff(application_id=APP_ID, draft_revision=draft_revision, member=member.fingerprint, kind=kind,
                   text=text, signed_at=at)


def later(minutes: int) -> datetime:
    return NOW + timedelta(minutes=minutes)

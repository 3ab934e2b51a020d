"""The one place the secretariat's screens call the core (store, secretariat, publish).

Every screen talks to :class:`Desk`, which calls the core and hands back the core's own objects
or small rows of words ready to show. No rule lives here: composition, problems, exclusion and
status are the core's; this module only translates shapes, so a change in the core's API has
one home in the ui.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from panel_desk.core import rules
from panel_desk.core import secretariat as _sec
from panel_desk.core.display import shown, shown_model
from panel_desk.core.errors import InvalidInput, PanelDeskError
from panel_desk.core.files import write_private
from panel_desk.core.identity import PublicCard, format_fingerprint
from panel_desk.core.model import Application, Decision, Member, Role

Progress = Callable[[int, int], None]
CREDENTIALS_SECRET = "publication-credentials"
NO_CERTIFICATE = ("There is no publication certificate yet, so the advice cannot be signed. "
                  "Create one with 'panel-desk ca init', or import your organisation's certificate "
                  "with 'panel-desk ca import-p12 FILE'.")


def _s(text: str) -> str:
    """Text from a member (a name, a rationale) with hidden characters made visible, line breaks kept."""
    return shown(text, multiline=True)


def _publish():
    """The publishing code, imported when first used (its signing libraries are slow to load)."""
    from panel_desk.core import publish

    return publish


def fingerprint_words(fp: str) -> str:
    try:
        return format_fingerprint(fp)
    except InvalidInput:  # shown only; a malformed one is shown as it is
        return fp


# --- rows of words ---------------------------------------------------------------------------------


@dataclass
class ImportRow:
    file: str
    what: str
    result: str
    refused: bool


@dataclass
class ConflictRow:
    member: str  # fingerprint
    name: str
    role: str
    interests: str
    declared_at: str
    decision: Decision | None
    reason: str
    status: str = ""  # where the member stands, in words
    needs_decision: bool = False


@dataclass
class Clock:
    asked: date
    due: date
    earliest: date
    days_left: str
    short_message: str  # empty when the 6-week minimum is met


@dataclass
class SignOffRow:
    name: str
    status: str  # concurred / commented / dissented / not replied
    colour: str
    text: str = ""
    attribution: str = ""


@dataclass
class MemberAnswer:
    name: str
    role: str
    rating: str = ""
    confidence: str = ""
    rationale: str = ""
    evidence: list[tuple[str, str, str]] = field(default_factory=list)  # document, page, quote


@dataclass
class QuestionView:
    id: str
    title: str
    answers: list[MemberAnswer]


@dataclass
class ConsolidationView:
    questions: list[QuestionView]
    conditions: list[tuple[str, str]]  # member, condition
    other_advice: list[tuple[str, str]]  # member, text
    not_responded: list[str]
    excluded: list[tuple[str, str]]  # member, reason
    source: object = None  # the core's Consolidation, for its CSV and JSON


QUESTION_TITLES = {"outcomes": "Q1: Outcomes for children", "monitoring": "Q2: Monitoring arrangements"}


def rating_words(rating: str) -> str:
    return (rating or "").replace("_", " ").capitalize() or "Not answered"


def when(value) -> str:
    if isinstance(value, datetime):
        return f"{rules.format_date(value.date())} at {value:%H:%M}"
    if isinstance(value, date):
        return rules.format_date(value)
    return str(value or "")


def status_colour(words: str) -> str:
    w = words.lower()
    if any(k in w for k in ("withdrawn", "refused", "dissent", "overdue")):
        return "red"
    if any(k in w for k in ("final", "published", "imported", "concurred", "complete")):
        return "green"
    if any(k in w for k in ("sealed", "sent", "circulated", "draft")):
        return "blue"
    if any(k in w for k in ("already", "comment")):
        return "yellow"
    return "grey"


class Desk:
    """The secretariat's verbs over one open workspace."""

    def __init__(self, workspace, *, today: Callable[[], date] | None = None) -> None:
        self.ws = workspace
        self._today = today or date.today

    def today(self) -> date:
        return self._today()

    # -- roster -----------------------------------------------------------------------------------

    def roster(self) -> list[Member]:
        """The roster as shown: names with hidden characters made visible (fingerprints are plain)."""
        return [shown_model(m) for m in self.ws.roster()]

    def panel_roster(self) -> list[Member]:
        """Members who can sit on a panel (everyone but the secretariat)."""
        return [m for m in self.roster() if Role(m.role) is not Role.SECRETARIAT]

    @staticmethod
    def load_card(path: Path) -> PublicCard:
        """Read a public card; raises the core's plain error when its self-signature fails."""
        return PublicCard.load(Path(path))

    def replace_key(self, old: str, card: PublicCard, reason: str, folder: Path) -> list:
        """Revoke ``old``'s key with ``card`` in its place; seal the open applications again into ``folder``."""
        from panel_desk.core import keys

        new = keys.revoke_member_key(self.ws, old, reason=reason, replacement=card)
        return keys.reseal_open_applications(self.ws, new.fingerprint, folder)

    def add_member(self, card: PublicCard, role: Role) -> Member:
        return self.ws.roster_add(card, role=role, acts_for=card.acts_for)

    def member(self, ref: str) -> Member | None:
        try:
            return self.ws.member(ref)
        except PanelDeskError:
            return None

    def name_of(self, ref: str) -> str:
        m = self.member(ref)
        return _s(m.name) if m is not None else fingerprint_words(ref)

    def composition(self, app_id: str | None) -> list[str]:
        """Empty permanent seats among the members who may read the application, in words."""
        members = self.addressed_members(app_id) if app_id else self.panel_roster()
        return [p.message for p in rules.composition_problems(members)]

    def seats(self, app_id: str) -> list:
        """The panel for this application: each member with the secretariat's decision on them."""
        return list(_sec.panel(self.ws, app_id))

    def addressed_members(self, app_id: str) -> list[Member]:
        return [s.member for s in self.seats(app_id) if s.may_read]

    # -- applications --------------------------------------------------------------------------

    def applications(self) -> list[Application]:
        return [self.application(row.id) for row in self.ws.applications(today=self.today())]

    def application(self, app_id: str) -> Application:
        return self.ws.application(app_id)

    def status(self, app_id: str) -> str:
        """The application's status in the store's own words."""
        return self.ws.status(app_id).label

    def readiness(self, app_id: str):
        """The process checklist (the same as 'panel-desk status')."""
        from panel_desk.core import process

        return process.readiness(self.ws, app_id)

    def new_application(self, folder: Path) -> Application:
        return _sec.new_application(self.ws, Path(folder))

    def new_revision(self, app_id: str, folder: Path, reason: str) -> Application:
        return _sec.new_revision(self.ws, app_id, Path(folder), reason=reason)

    def problems(self, app: Application) -> list[rules.Problem]:
        """Every problem the statutory rules find; ``blocking`` False for warnings (short notice)."""
        return rules.application_problems(app)

    def clock(self, app: Application) -> Clock:
        d = app.dates
        check = rules.notice_check(d.panel_asked, d.regulations_intended)
        return Clock(asked=d.panel_asked, due=d.advice_due, earliest=rules.earliest_regulations(d.panel_asked),
                     days_left=rules.days_left_words(d.advice_due, self.today()),
                     short_message="" if check.meets_minimum else check.message())

    def seal(self, app_id: str, out: Path, to: Sequence[str], *, expires: date | None, progress: Progress,
             cancelled: Callable[[], bool]) -> list[Member]:
        """Seal for the members ``to``; return whom it was sealed for. ``expires``: the last day it opens."""
        expires_at = None
        if expires is not None:  # it opens through the whole of that day, wherever the member is
            expires_at = datetime.combine(expires + timedelta(days=1), time(0, 0), tzinfo=UTC)
        total = max(1, sum(d.size for d in self.application(app_id).documents))

        def bytes_done(*args: int) -> None:
            # The bundle writer reports bytes written, one number; the bar wants (done, total).
            if len(args) == 2:
                progress(*args)
            else:
                progress(min(args[0], total), total)

        return _sec.seal_application(self.ws, app_id, Path(out), to=list(to), expires_at=expires_at,
                                               progress=bytes_done, cancel=cancelled)

    def withdraw(self, app_id: str, out: Path, reason: str) -> list[Member]:
        return _sec.withdraw(self.ws, app_id, Path(out), reason)

    # -- imports --------------------------------------------------------------------------------

    def import_many(self, paths: Sequence[Path], progress: Progress, cancelled: Callable[[], bool]) -> list[ImportRow]:
        results = self.ws.import_many([Path(p) for p in paths], progress=progress, cancel=cancelled)
        rows = []
        for r in results:
            what = shown(what_words(r.kind, getattr(r, "sender", ""), getattr(r, "title", "")))
            name = shown(Path(r.path).name)
            if r.status == "imported":
                rows.append(ImportRow(name, what, "Imported", False))
            elif r.status == "superseded":
                rows.append(ImportRow(name, what, "Imported; it replaces the earlier one", False))
            elif r.status == "duplicate":
                rows.append(ImportRow(name, what, "Already had it", False))
            else:
                rows.append(ImportRow(name, what, f"Refused: {shown(r.message)}" if r.message else "Refused", True))
        return rows

    def sync_rows(self, lines) -> list[ImportRow]:
        """Report rows for what the exchange folder brought (``core.exchange.SyncLine``s)."""
        rows = []
        for line in lines:
            what = what_words(line.kind, line.sender, line.title)
            if line.outcome == "imported":
                rows.append(ImportRow(line.path.name, what, "Imported", False))
            elif line.outcome == "skipped":
                rows.append(ImportRow(line.path.name, what, f"Skipped: {line.message}", False))
            else:
                rows.append(ImportRow(line.path.name, what, f"Refused: {line.message}", True))
        return rows

    # -- conflicts ------------------------------------------------------------------------------

    def recused(self, app_id: str) -> dict[str, str]:
        """Fingerprint → reason, for members who may not read this application."""
        return {s.member.fingerprint: s.exclusion_reason for s in self.seats(app_id) if not s.may_read}

    def conflicts(self, app_id: str) -> list[ConflictRow]:
        return conflict_rows(_sec.conflicts(self.ws, app_id))

    def decide(self, app_id: str, member: str, decision: Decision, reason: str):
        return _sec.decide(self.ws, app_id, member, decision, reason)

    # -- consolidation --------------------------------------------------------------------------

    def consolidate(self, app_id: str) -> ConsolidationView:
        return consolidation_view(_sec.consolidate(self.ws, app_id))

    @staticmethod
    def export_consolidation(view: ConsolidationView, path: Path, kind: str) -> None:
        """Write the secretariat's working papers (internal notes included, labelled as such)."""
        from panel_desk.core import consolidate as cons

        data = cons.to_csv(view.source) if kind == "csv" else cons.to_json(view.source)
        write_private(Path(path), data)  # internal notes: readable by the secretariat's account alone

    # -- drafting -------------------------------------------------------------------------------

    def latest_draft(self, app_id: str):
        return self.ws.latest_draft(app_id)

    def prefill(self, app_id: str):
        return _sec.prefill_draft(self.ws, app_id)

    def save_draft(self, app_id: str, *, summary: str, outcomes: str, monitoring: str,
                   conditions: list[str], other_advice: str, reason: str = ""):
        """Save the draft; once circulated, a change is a new revision and needs ``reason``."""
        return _sec.draft_advice(self.ws, app_id, summary=summary, outcomes=outcomes,
                                           monitoring=monitoring, conditions=conditions,
                                           other_advice=other_advice, reason=reason)

    def advice_status(self, app_id: str):
        return _sec.advice_status(self.ws, app_id)

    def circulate(self, app_id: str, out: Path) -> list[Member]:
        return _sec.circulate(self.ws, app_id, Path(out))

    def signoffs(self, app_id: str) -> list[SignOffRow]:
        status = self.advice_status(app_id)
        if not status.circulated:
            return []
        return [SignOffRow(name=_s(r.name), status=r.words, colour=_SIGNOFF_COLOURS.get(r.kind, "grey"), text=_s(r.text),
                           attribution=r.attribute) for r in status.rows]

    def is_final(self, app_id: str) -> bool:
        return self.advice_status(app_id).finalised

    def finalise(self, app_id: str):
        return _sec.finalise(self.ws, app_id)

    # -- publication ----------------------------------------------------------------------------

    def export_advice(self, app_id: str, pdf: Path, html: Path, progress: Progress, cancelled: Callable[[], bool]):
        """Publish the finalised advice (the core's one publish verb: files, record and audit entry together)."""
        return _publish().publish_advice(self.ws, app_id, pdf_out=Path(pdf), html_out=Path(html),
                                         progress=progress, cancel=cancelled)

    def has_certificate(self) -> bool:
        return self.ws.get_secret(CREDENTIALS_SECRET) is not None

    def create_certificate(self) -> str:
        """Create the panel's root and the publication certificate; return the root's fingerprint."""
        pub = _publish()
        creds = pub.create_panel_ca()
        pub.store_credentials(self.ws, creds, action="ca.init", replace=True)  # the button offers it once
        return pub.fingerprint(creds.root_cert_pem)

    def import_certificate(self, path: Path, password: str) -> str:
        """Use a PKCS#12 file from a certificate authority; return the signer's name."""
        pub = _publish()
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise InvalidInput(f"Cannot read {path}: {exc.strerror}.") from None
        creds = pub.PublicationCredentials.from_pkcs12(data, password)
        pub.store_credentials(self.ws, creds, action="ca.import-p12", replace=True)
        return creds.signer_name

    def export_root(self, path: Path) -> str:
        """Write the root certificate readers trust; return its fingerprint."""
        pub = _publish()
        creds = pub.stored_credentials(self.ws)
        if creds.root_cert_pem is None:
            raise InvalidInput("The publication certificate came from a certificate authority without its root. "
                               "Get the root certificate from that authority.")
        pub.write_atomic(Path(path), creds.root_cert_pem)
        return pub.fingerprint(creds.root_cert_pem)

    def verify_pdf(self, path: Path):
        """Check a published advice against the panel's own root certificate (when there is one)."""
        roots = []
        stored = self.ws.get_secret(CREDENTIALS_SECRET)
        if stored:
            creds = _publish().PublicationCredentials.from_bytes(stored)
            roots = [creds.root_cert_pem or creds.cert_pem]
        return _publish().verify_pdf(Path(path), roots)


_KIND_WORDS = {
    "application": "Application",
    "response": "Response",
    "declaration": "Declaration of interests",
    "signoff": "Sign-off",
    "sign-off": "Sign-off",
    "draft-advice": "Draft advice",
    "withdrawal": "Withdrawal",
}

def what_words(kind: str, sender: str = "", title: str = "") -> str:
    """"Response from Tom Okafor about Wexmoor's family network care": kind, sender, application."""
    what = _KIND_WORDS.get(kind, kind.capitalize() or "Could not be read")
    if sender:
        what += f" from {sender}"
    if title:
        what += f" about {title}"
    return what


_SIGNOFF_COLOURS = {"concur": "green", "comment": "yellow", "dissent": "red"}


def conflict_rows(core_rows) -> list[ConflictRow]:
    """The core's conflicts register as rows of words."""
    rows = []
    for r in core_rows:
        decl, d = r.declaration, r.decision
        rows.append(ConflictRow(member=r.member.fingerprint, name=_s(r.member.name), role=r.member.role_label,
                                interests=_s(r.interests_words),
                                declared_at=when(decl.declared_at) if decl else "Not yet",
                                decision=Decision(d.decision) if d else None,
                                reason=d.reason if d else "", status=r.status, needs_decision=r.needs_decision))
    return rows


def consolidation_view(c) -> ConsolidationView:
    """The core's Consolidation as rows of words for the screen (answers that count only)."""
    questions = []
    for q in c.questions:
        confidences = dict(q.confidences)
        answers = [MemberAnswer(name=_s(a.member.name), role=a.member.role_label, rating=a.rating_label or "Not answered",
                                confidence=confidences.get(a.confidence, a.confidence) or "Not given",
                                rationale=_s(a.rationale),
                                evidence=[(e.document, str(e.page), _s(e.quote)) for e in a.evidence])
                   for a in q.included]
        questions.append(QuestionView(q.id, f"{q.number}: {q.title}" if q.number else q.title, answers))
    return ConsolidationView(
        questions=questions,
        conditions=[(_s(p.member.name), _s(p.text)) for p in c.conditions],
        other_advice=[(_s(p.member.name), _s(p.text)) for p in c.other_advice],
        not_responded=[_s(m.name) for m in c.not_responded],
        excluded=[(_s(e.member.name), e.reason) for e in c.excluded],
        source=c)

"""The advice: drafts, members' sign-offs, conflict decisions and the finalised publication."""

from __future__ import annotations

from datetime import datetime

from panel_desk.core.errors import InvalidInput
from panel_desk.core.model import Advice as AdviceRecord
from panel_desk.core.model import ConflictDecision, ConflictDeclaration, DraftAdvice, SignOff, utcnow
from panel_desk.core.store._tx import Part, Tx, dump, from_iso, guarded, iso, load
from panel_desk.core.store.declarations import Declarations
from panel_desk.core.store.results import DeclarationNeeded, Refused
from panel_desk.core.store.roster import Roster


class Advice(Part):
    """``ws.advice``: ``.drafts``, ``.record_draft``, ``.signoffs``, ``.record_decision``, ``.publication``…"""

    def __init__(self, tx: Tx, roster: Roster, declarations: Declarations) -> None:
        super().__init__(tx)
        self._roster = roster
        self._declarations = declarations

    def _latest_draft_revision(self, app_id: str) -> int | None:
        return self.tx.one("SELECT max(revision) FROM drafts WHERE application_id = ?", (app_id,))[0]

    # -- drafts ------------------------------------------------------------------------------------

    def store_draft(self, d: DraftAdvice, bundle_id: str | None, now: datetime) -> bool:
        """Inside a transaction: record a draft; return whether an earlier draft revision is held.
        Raises Refused."""
        tx = self.tx
        record = tx.app_record(d.application_id)
        if record["withdrawn_at"]:
            raise Refused(f"Application {d.application_id} has been withdrawn.")
        latest = self._latest_draft_revision(d.application_id)
        same = tx.one("SELECT 1 FROM drafts WHERE application_id = ? AND revision = ?",
                      (d.application_id, d.revision))
        if latest is not None and d.revision < latest:
            raise Refused(f"Draft {d.revision} is older than draft {latest}, which is already held. "
                          "Nothing was changed.")
        if same and bundle_id is not None:
            raise Refused(f"Draft {d.revision} is already held. Nothing was changed.")
        if same and tx.one("SELECT 1 FROM sent WHERE application_id = ? AND kind = 'draft-advice' "
                           "AND revision = ?", (d.application_id, d.revision)):
            raise Refused(f"Draft {d.revision} has already been sent for sign-off; save your changes as "
                          f"draft {d.revision + 1}.")
        tx.database.execute(
            "INSERT INTO drafts (application_id, revision, data, bundle_id, recorded_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(application_id, revision) DO UPDATE SET data = excluded.data, recorded_at = excluded.recorded_at",
            (d.application_id, d.revision, dump(d), bundle_id, iso(now)))
        tx.audit("draft.record", d.application_id, {"revision": d.revision, "bundle": bundle_id}, now)
        return latest is not None and d.revision > latest

    @guarded
    def record_draft(self, d: DraftAdvice, *, now: datetime | None = None) -> None:
        """Record a draft advice (saving the same revision again replaces it until it is sent).

        Raises NotFound or InvalidInput (older than a draft held, or already sent).
        """
        with self.tx.write():
            self.store_draft(d, None, now or utcnow())

    def _drafts_readable(self, app_id: str) -> None:
        """A draft carries other members' reasoning: a member reads it only after declaring."""
        record = self.tx.app_record(app_id)
        if not self.tx.is_secretariat and not self._declarations.declared(app_id, record["revision"]):
            raise DeclarationNeeded("Declare your interests in this application before reading the draft advice.")

    @guarded
    def drafts(self, app_id: str) -> list[DraftAdvice]:
        """Every draft held, oldest first. Raises NotFound, or DeclarationNeeded (a member who has not
        declared for the current revision)."""
        self._drafts_readable(app_id)
        return [load(DraftAdvice, r[0]) for r in
                self.tx.all("SELECT data FROM drafts WHERE application_id = ? ORDER BY revision", (app_id,))]

    @guarded
    def draft_held(self, app_id: str) -> int | None:
        """The revision of the latest draft advice held (its content is not read), or None."""
        self.tx.app_record(app_id)
        return self._latest_draft_revision(app_id)

    @guarded
    def latest_draft(self, app_id: str) -> DraftAdvice | None:
        """The latest draft held, or None. Raises NotFound, or DeclarationNeeded (a member who has not
        declared for the current revision)."""
        self._drafts_readable(app_id)
        row = self.tx.one("SELECT data FROM drafts WHERE application_id = ? ORDER BY revision DESC LIMIT 1",
                          (app_id,))
        return load(DraftAdvice, row[0]) if row else None

    # -- sign-offs ---------------------------------------------------------------------------------

    def store_signoff(self, s: SignOff, bundle_id: str | None, now: datetime) -> bool:
        """Inside a transaction: record a sign-off; return whether it replaces an earlier one.
        Raises Refused."""
        tx = self.tx
        record = tx.app_record(s.application_id)
        if record["withdrawn_at"]:
            raise Refused(f"Application {s.application_id} has been withdrawn.")
        latest = self._latest_draft_revision(s.application_id)
        if latest is None or s.draft_revision > latest:
            raise Refused(f"This sign-off is for draft {s.draft_revision} of the advice on {s.application_id}, "
                          "which this profile does not hold.")
        if s.draft_revision < latest:
            raise Refused(f"This sign-off is for draft {s.draft_revision}, but draft {latest} has since been sent. "
                          "Ask the member to sign off the latest draft.")
        prior = tx.one("SELECT signed_at FROM signoffs WHERE application_id = ? AND draft_revision = ? "
                       "AND member = ? ORDER BY id DESC LIMIT 1", (s.application_id, s.draft_revision, s.member))
        if prior is not None and from_iso(prior[0]) >= s.signed_at:
            raise Refused("A later sign-off from this member is already recorded. Nothing was changed.")
        tx.database.execute(
            "INSERT INTO signoffs (application_id, draft_revision, member, data, signed_at, bundle_id, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (s.application_id, s.draft_revision, s.member, dump(s), iso(s.signed_at), bundle_id, iso(now)))
        tx.audit("signoff.record", s.application_id,
                 {"member": s.member, "draft": s.draft_revision, "kind": s.kind.value,
                  "replaces_earlier": prior is not None, "bundle": bundle_id}, now)
        return prior is not None

    @guarded
    def record_signoff(self, s: SignOff, *, now: datetime | None = None) -> None:
        """Record a sign-off of the latest draft (own, or received by the secretariat).

        Raises NotFound or InvalidInput (no such draft, an older draft, an earlier sign-off).
        """
        if not self.tx.is_secretariat and s.member != self.tx.fingerprint:
            raise InvalidInput("You can only record your own sign-off.")
        with self.tx.write():
            self.store_signoff(s, None, now or utcnow())

    @guarded
    def signoffs(self, app_id: str, draft_revision: int | None = None) -> list[SignOff]:
        """The latest sign-off per member for a draft revision (default: the latest draft)."""
        self.tx.app_record(app_id)
        if draft_revision is None:
            draft_revision = self._latest_draft_revision(app_id)
            if draft_revision is None:
                return []
        rows = self.tx.all("SELECT data FROM signoffs s WHERE application_id = ? AND draft_revision = ? AND id = "
                           "(SELECT max(id) FROM signoffs t WHERE t.application_id = s.application_id "
                           "AND t.draft_revision = s.draft_revision AND t.member = s.member) ORDER BY id",
                           (app_id, int(draft_revision)))
        return [load(SignOff, r[0]) for r in rows]

    # -- the secretariat's decisions and the publication -------------------------------------------

    @guarded
    def record_decision(self, d: ConflictDecision, *, now: datetime | None = None) -> ConflictDecision:
        """Record the secretariat's decision on a member's interests (later ones replace earlier),
        with the member's declaration for the current revision, if any, as the basis it was made on.

        Returns it as recorded (``decided_by`` filled in). Raises NotFound (application or member)
        or InvalidInput.
        """
        tx = self.tx
        tx.require_secretariat("decide on declared interests")
        moment = now or utcnow()
        record = tx.app_record(d.application_id)
        member = self._roster.member(d.member)
        d = d.model_copy(update={"member": member.fingerprint, "decided_by": d.decided_by or tx.fingerprint})
        basis = tx.one("SELECT max(id) FROM declarations WHERE application_id = ? AND revision = ? AND member = ?",
                       (d.application_id, record["revision"], d.member))[0]
        with tx.write() as db:
            db.execute("INSERT INTO decisions (application_id, member, data, recorded_at, basis) VALUES (?, ?, ?, ?, ?)",
                       (d.application_id, d.member, dump(d), iso(moment), basis))
            tx.audit("decision.record", d.application_id, {"member": d.member, "decision": d.decision.value},
                     moment)
        return d

    @guarded
    def decisions(self, app_id: str) -> list[ConflictDecision]:
        """Every decision recorded, oldest first (a later one for a member replaces the earlier)."""
        self.tx.app_record(app_id)
        return [load(ConflictDecision, r[0]) for r in
                self.tx.all("SELECT data FROM decisions WHERE application_id = ? ORDER BY id", (app_id,))]

    @guarded
    def decision_basis(self, app_id: str, member: str) -> ConflictDeclaration | None:
        """The declaration the latest decision on ``member`` (a fingerprint) was based on, whatever
        revision it was for; None when no decision was made on a declaration. Raises NotFound."""
        self.tx.app_record(app_id)
        row = self.tx.one("SELECT d.data FROM decisions c JOIN declarations d ON d.id = c.basis "
                          "WHERE c.application_id = ? AND c.member = ? ORDER BY c.id DESC LIMIT 1", (app_id, member))
        return load(ConflictDeclaration, row[0]) if row else None

    @guarded
    def record_publication(self, app_id: str, advice: AdviceRecord, *, published: bool = False,
                           now: datetime | None = None) -> None:
        """Record the finalised advice; ``published``: it has been exported and signed.

        Raises NotFound or InvalidInput (the advice is about another application).
        """
        tx = self.tx
        tx.require_secretariat("finalise the advice")
        moment = now or utcnow()
        tx.app_record(app_id)
        if advice.application_id != app_id:
            raise InvalidInput(f"This advice is about application {advice.application_id}, not {app_id}.")
        with tx.write() as db:
            db.execute("INSERT INTO publications (application_id, data, published, recorded_at) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT(application_id) DO UPDATE SET data = excluded.data, "
                       "published = max(published, excluded.published), recorded_at = excluded.recorded_at",
                       (app_id, dump(advice), int(bool(published)), iso(moment)))
            tx.audit("advice.published" if published else "advice.finalised", app_id,
                     {"advice_revision": advice.advice_revision}, moment)

    @guarded
    def publication(self, app_id: str) -> AdviceRecord | None:
        """The finalised advice, or None. Raises NotFound."""
        self.tx.app_record(app_id)
        row = self.tx.one("SELECT data FROM publications WHERE application_id = ?", (app_id,))
        return load(AdviceRecord, row[0]) if row else None

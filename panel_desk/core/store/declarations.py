"""Declarations of interests: each member's, per revision of an application."""

from __future__ import annotations

from datetime import datetime

from panel_desk.core.errors import InvalidInput
from panel_desk.core.identity import normalise_fingerprint
from panel_desk.core.model import ConflictDeclaration, utcnow
from panel_desk.core.store._tx import Part, check_revision, dump, from_iso, guarded, iso, load
from panel_desk.core.store.results import Refused


class Declarations(Part):
    """``ws.declarations(app_id)`` lists the latest per member; ``.get``, ``.save``, ``.declared``."""

    @guarded
    def get(self, app_id: str, member: str | None = None) -> ConflictDeclaration | None:
        """The latest declaration for the application's current revision (mine unless ``member``),
        or None (then only the cover may be shown). Raises NotFound."""
        record = self.tx.app_record(app_id)
        fp = normalise_fingerprint(member) if member else self.tx.fingerprint
        row = self.tx.one("SELECT data FROM declarations WHERE application_id = ? AND revision = ? AND member = ? "
                          "ORDER BY id DESC LIMIT 1", (app_id, record["revision"], fp))
        return load(ConflictDeclaration, row[0]) if row else None

    @guarded
    def __call__(self, app_id: str) -> list[ConflictDeclaration]:
        """Every member's latest declaration for the current revision, in the order they came."""
        record = self.tx.app_record(app_id)
        rows = self.tx.all("SELECT data FROM declarations d WHERE application_id = ? AND revision = ? AND id = "
                           "(SELECT max(id) FROM declarations e WHERE e.application_id = d.application_id "
                           "AND e.revision = d.revision AND e.member = d.member) ORDER BY id",
                           (app_id, record["revision"]))
        return [load(ConflictDeclaration, r[0]) for r in rows]

    def declared(self, app_id: str, revision: int, member: str | None = None) -> bool:
        """Whether ``member`` (default: me) has declared for that revision (inside a session)."""
        return self.tx.one("SELECT 1 FROM declarations WHERE application_id = ? AND revision = ? AND member = ?",
                           (app_id, revision, member or self.tx.fingerprint)) is not None

    def store(self, decl: ConflictDeclaration, bundle_id: str | None, now: datetime) -> bool:
        """Inside a transaction: record a declaration; return whether it replaces an earlier one.
        Raises Refused."""
        tx = self.tx
        record = tx.app_record(decl.application_id)
        check_revision("declaration", decl.application_id, decl.application_revision, record["revision"])
        if record["withdrawn_at"]:
            raise Refused(f"Application {decl.application_id} has been withdrawn.")
        prior = tx.one("SELECT declared_at FROM declarations WHERE application_id = ? AND revision = ? "
                       "AND member = ? ORDER BY id DESC LIMIT 1",
                       (decl.application_id, decl.application_revision, decl.member))
        if prior is not None and bundle_id is not None and from_iso(prior[0]) >= decl.declared_at:
            raise Refused("This declaration is older than the one already recorded for this member. "
                          "Nothing was changed.")
        tx.database.execute(
            "INSERT INTO declarations (application_id, revision, member, data, declared_at, bundle_id, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (decl.application_id, decl.application_revision, decl.member, dump(decl), iso(decl.declared_at),
             bundle_id, iso(now)))
        tx.audit("declaration.record", decl.application_id,
                 {"member": decl.member, "revision": decl.application_revision,
                  "none_to_declare": decl.none_to_declare, "interests": len(decl.interests),
                  "replaces_earlier": prior is not None, "bundle": bundle_id}, now)
        return prior is not None

    @guarded
    def save(self, decl: ConflictDeclaration, *, now: datetime | None = None) -> None:
        """Record a declaration of interests (the member's own, or one the secretariat takes down).

        Raises NotFound (unknown application) or InvalidInput (not for the current revision, or a
        member recording someone else's).
        """
        if not self.tx.is_secretariat and decl.member != self.tx.fingerprint:
            raise InvalidInput("You can only record your own declaration of interests.")
        with self.tx.write():
            self.store(decl, None, now or utcnow())

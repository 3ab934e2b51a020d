"""A member's own work on an application: annotations, saved answers, and the responses sent."""

from __future__ import annotations

from datetime import datetime

from panel_desk.core.errors import InvalidInput, NotFound
from panel_desk.core.model import Annotation, Response, ResponseAnswers, utcnow
from panel_desk.core.store._tx import Part, Tx, check_revision, dump, guarded, iso, load
from panel_desk.core.store.applications import Applications
from panel_desk.core.store.results import Refused


class Answers(Part):
    """``ws.answers(app_id)`` is the saved answers; ``.save``, ``.annotations``, ``.responses``…"""

    def __init__(self, tx: Tx, applications: Applications) -> None:
        super().__init__(tx)
        self._applications = applications

    # -- annotations -------------------------------------------------------------------------------

    @guarded
    def annotations(self, app_id: str, document: str | None = None) -> list[Annotation]:
        """Annotations on an application (on one document if given), by document, page and position."""
        self.tx.app_record(app_id)
        sql, params = "SELECT data FROM annotations WHERE application_id = ?", [app_id]
        if document is not None:
            sql += " AND document = ?"
            params.append(document)
        items = [load(Annotation, r[0]) for r in self.tx.all(sql, params)]
        return sorted(items, key=lambda a: (a.document, a.page, a.rects[0][1] if a.rects else 0.0,
                                            a.rects[0][0] if a.rects else 0.0, a.created_at, a.id))

    @guarded
    def save_annotation(self, ann: Annotation, *, now: datetime | None = None) -> Annotation:
        """Create or update an annotation; return it as stored (``updated_at`` set).

        Raises NotFound (unknown application or document).
        """
        moment = now or utcnow()
        app = self._applications.load(ann.application_id)
        if ann.document not in {d.path for d in app.documents}:
            raise NotFound(f"Application {ann.application_id} has no document {ann.document}.")
        ann = ann.model_copy(update={"updated_at": moment})
        with self.tx.write() as db:
            existed = self.tx.one("SELECT 1 FROM annotations WHERE id = ?", (ann.id,)) is not None
            db.execute("INSERT INTO annotations (id, application_id, document, page, data, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET application_id = excluded.application_id, "
                       "document = excluded.document, page = excluded.page, data = excluded.data, "
                       "updated_at = excluded.updated_at",
                       (ann.id, ann.application_id, ann.document, ann.page, dump(ann), iso(moment)))
            self.tx.audit("annotation.update" if existed else "annotation.add", ann.id,
                          {"application": ann.application_id, "document": ann.document, "page": ann.page}, moment)
        return ann

    @guarded
    def delete_annotation(self, ann_id: str, *, now: datetime | None = None) -> Annotation:
        """Delete an annotation and return it (save it again to undo). Raises NotFound."""
        row = self.tx.one("SELECT data FROM annotations WHERE id = ?", (str(ann_id),))
        if row is None:
            raise NotFound("That annotation no longer exists.")
        ann = load(Annotation, row[0])
        with self.tx.write() as db:
            db.execute("DELETE FROM annotations WHERE id = ?", (ann.id,))
            self.tx.audit("annotation.delete", ann.id, {"application": ann.application_id}, now)
        return ann

    # -- answers -----------------------------------------------------------------------------------

    @guarded
    def __call__(self, app_id: str) -> ResponseAnswers:
        """The member's saved answers (empty answers if none yet). Raises NotFound."""
        self.tx.app_record(app_id)
        row = self.tx.one("SELECT data FROM answers WHERE application_id = ?", (app_id,))
        return load(ResponseAnswers, row[0]) if row else ResponseAnswers()

    @guarded
    def save(self, app_id: str, answers: ResponseAnswers, *, now: datetime | None = None) -> None:
        """Save the answers at once (autosave: durable on disk when this returns). Raises NotFound."""
        moment = now or utcnow()
        self.tx.app_record(app_id)
        answers = ResponseAnswers.model_validate(answers.model_dump())
        with self.tx.write() as db:
            db.execute("INSERT INTO answers (application_id, data, updated_at) VALUES (?, ?, ?) "
                       "ON CONFLICT(application_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                       (app_id, dump(answers), iso(moment)))
            self.tx.audit("answers.save", app_id, None, moment)

    # -- reading progress ------------------------------------------------------------------------

    @guarded
    def mark_read(self, app_id: str, *, now: datetime | None = None) -> None:
        """Note that the member has read the application through. Raises NotFound."""
        self.tx.app_record(app_id)
        with self.tx.write() as db:
            if db.execute("INSERT OR IGNORE INTO applications_read (application_id) VALUES (?)", (app_id,)).rowcount:
                self.tx.audit("reading.read", app_id, None, now)

    @guarded
    def has_read(self, app_id: str) -> bool:
        """Whether the member has marked the application read. Raises NotFound."""
        self.tx.app_record(app_id)
        return self.tx.one("SELECT 1 FROM applications_read WHERE application_id = ?", (app_id,)) is not None

    @guarded
    def mark_visited(self, app_id: str, section: str, *, now: datetime | None = None) -> None:
        """Note that the member has been through a section of the form. Raises NotFound or InvalidInput."""
        if not section:
            raise InvalidInput("Say which section of the form was visited.")
        self.tx.app_record(app_id)
        with self.tx.write() as db:
            if db.execute("INSERT OR IGNORE INTO sections_visited (application_id, section) VALUES (?, ?)",
                          (app_id, section)).rowcount:
                self.tx.audit("reading.visited", app_id, {"section": section}, now)

    @guarded
    def visited_sections(self, app_id: str) -> set[str]:
        """The sections of the form the member has been through. Raises NotFound."""
        self.tx.app_record(app_id)
        return {r[0] for r in self.tx.all("SELECT section FROM sections_visited WHERE application_id = ?", (app_id,))}

    # -- responses ---------------------------------------------------------------------------------

    def store_response(self, response: Response, bundle_id: str | None, now: datetime) -> int | None:
        """Inside a transaction: record a response; return the revision it replaces, if any.
        Raises Refused."""
        tx = self.tx
        record = tx.app_record(response.application_id)
        if record["withdrawn_at"]:
            raise Refused(f"Application {response.application_id} has been withdrawn.")
        check_revision("response", response.application_id, response.application_revision, record["revision"])
        prior = tx.one("SELECT id, revision FROM responses WHERE application_id = ? AND application_revision = ? "
                       "AND member = ? AND superseded_by IS NULL ORDER BY revision DESC LIMIT 1",
                       (response.application_id, response.application_revision, response.member))
        if prior is not None and response.revision <= prior[1]:
            raise Refused(f"Response number {prior[1]} from this member is already recorded; this is number "
                          f"{response.revision}, so it is not the latest. Nothing was changed.")
        db = tx.database
        cur = db.execute(
            "INSERT INTO responses (application_id, application_revision, member, revision, data, bundle_id, "
            "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (response.application_id, response.application_revision, response.member, response.revision,
             dump(response), bundle_id, iso(now)))
        new_id = cur.lastrowid
        tx.audit("response.record", response.application_id,
                 {"member": response.member, "revision": response.revision,
                  "application_revision": response.application_revision, "bundle": bundle_id}, now)
        if prior is None:
            return None
        db.execute("UPDATE responses SET superseded_by = ? WHERE id = ?", (new_id, prior[0]))
        tx.audit("response.superseded", response.application_id,
                 {"member": response.member, "revision": prior[1], "by": response.revision}, now)
        return prior[1]

    @guarded
    def record_response(self, response: Response, *, now: datetime | None = None) -> None:
        """Record a response: the member's own sent response, or one received by the secretariat.

        A later response from the same member replaces the earlier one (both stay in the audit log).
        Raises NotFound or InvalidInput (a stale or foreign response).
        """
        if not self.tx.is_secretariat and response.member != self.tx.fingerprint:
            raise InvalidInput("You can only record your own response.")
        with self.tx.write():
            self.store_response(response, None, now or utcnow())

    @guarded
    def responses(self, app_id: str, *, all_revisions: bool = False) -> list[Response]:
        """The latest response per member for the current revision, in the order they came; with
        ``all_revisions`` every response ever held, oldest first. Raises NotFound."""
        record = self.tx.app_record(app_id)
        if all_revisions:
            rows = self.tx.all("SELECT data FROM responses WHERE application_id = ? ORDER BY id", (app_id,))
        else:
            rows = self.tx.all("SELECT data FROM responses WHERE application_id = ? AND application_revision = ? "
                               "AND superseded_by IS NULL ORDER BY id", (app_id, record["revision"]))
        return [load(Response, r[0]) for r in rows]

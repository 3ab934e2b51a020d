"""Applications: their revisions, sealed documents, page index, status, withdrawal and what was sent."""

from __future__ import annotations

import hashlib
import json
import mimetypes
import secrets
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from panel_desk.core.errors import InvalidInput, NotFound
from panel_desk.core.identity import normalise_fingerprint
from panel_desk.core.model import Application, DocumentRef, Member, parse_model, utcnow
from panel_desk.core.store import search as _search
from panel_desk.core.store._db import environment_errors
from panel_desk.core.store._tx import BUNDLE_SUFFIX, Part, Tx, dump, from_iso, guarded, iso, load, unlink
from panel_desk.core.store.declarations import Declarations
from panel_desk.core.store.results import ApplicationRow, ApplicationStatus, DeclarationNeeded
from panel_desk.core.store.roster import Roster, record_revocation


def _sha256(source: Path | bytes) -> tuple[str, int]:
    h = hashlib.sha256()
    if isinstance(source, bytes | bytearray | memoryview):
        h.update(source)
        return h.hexdigest(), len(source)
    size = 0
    with Path(source).open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def _title_from_path(path: str) -> str:
    stem = Path(path).stem.replace("_", " ").replace("-", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else path


def _is_pdf(path: str) -> bool:
    return path.lower().endswith(".pdf")


def _media_type(path: str) -> str:
    """The media type of a document, from its name (a listing's default is not trusted)."""
    return "application/pdf" if _is_pdf(path) else (mimetypes.guess_type(path)[0] or "application/octet-stream")


def record_bundle(tx: Tx, manifest, file_name: str, now: datetime) -> None:
    """Inside a transaction: note a bundle held (``file_name`` in bundles/, or "" when not kept)."""
    tx.database.execute(
        "INSERT INTO bundles (bundle_id, kind, application_id, revision, creator, recipients, file, "
        "created_at, expires_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (manifest.bundle_id, manifest.kind.value, manifest.application_id, manifest.revision,
         manifest.creator, json.dumps(list(manifest.recipients)), file_name, iso(manifest.created_at),
         iso(manifest.expires_at) if manifest.expires_at else None, iso(now)))
    if not tx.is_secretariat:
        _learn_revocations(tx, manifest, now)


def _learn_revocations(tx: Tx, manifest, now: datetime) -> None:
    """On a member's laptop: keep the revoked keys the secretariat listed, signed, in what it sent (its
    bundles reach here only after the authority check), so bundles signed by them are refused here too."""
    for entry in manifest.revoked:
        record_revocation(tx, entry.fingerprint, entry.revoked_at, "revoked by the secretariat", "", now,
                          source=manifest.bundle_id)


class Applications(Part):
    """``ws.applications()`` lists them; ``.get``, ``.put``, ``.withdraw``, ``.read_document``…"""

    def __init__(self, tx: Tx, roster: Roster, declarations: Declarations) -> None:
        super().__init__(tx)
        self._roster = roster
        self._declarations = declarations

    # -- reading -----------------------------------------------------------------------------------

    def load(self, app_id: str, revision: int | None = None) -> Application:
        """Inside a session: a revision of the application (default: the latest). Raises NotFound."""
        tx = self.tx
        record = tx.app_record(app_id)
        rev = record["revision"] if revision is None else revision
        cached = tx.apps.get((app_id, rev))
        if cached is None:
            row = tx.one("SELECT data FROM application_revisions WHERE application_id = ? AND revision = ?",
                         (app_id, rev))
            if row is None:
                raise NotFound(f"There is no revision {rev} of application {app_id} in this profile.")
            cached = tx.apps[(app_id, rev)] = load(Application, row[0])
        return cached.model_copy(deep=True)

    @guarded
    def __call__(self, *, today: date | None = None, now: datetime | None = None) -> list[ApplicationRow]:
        """Every application held, soonest advice due first, with its status."""
        moment = now or utcnow()
        day = today or date.today()
        out = []
        for r in self.tx.database.query("SELECT * FROM applications ORDER BY advice_due, id"):
            due = date.fromisoformat(r["advice_due"])
            out.append(ApplicationRow(id=r["id"], authority=r["authority"], title=r["title"],
                                      revision=r["revision"], status=self.status_of(r, moment),
                                      advice_due=due, provisions=r["provisions"], days_left=(due - day).days))
        return out

    @guarded
    def get(self, app_id: str) -> Application:
        """The latest revision of an application. Raises NotFound."""
        return self.load(app_id)

    @guarded
    def revisions(self, app_id: str) -> list[Application]:
        """Every revision held, oldest first. Raises NotFound."""
        self.tx.app_record(app_id)
        revs = [r[0] for r in self.tx.all("SELECT revision FROM application_revisions WHERE application_id = ? "
                                          "ORDER BY revision", (app_id,))]
        return [self.load(app_id, rev) for rev in revs]

    @guarded
    def status(self, app_id: str, *, now: datetime | None = None) -> ApplicationStatus:
        """Where the application stands, derived from what the profile holds. Raises NotFound."""
        return self.status_of(self.tx.app_record(app_id), now or utcnow())

    def status_of(self, r: dict[str, Any], now: datetime) -> ApplicationStatus:
        """The status of an applications row (inside a session)."""
        one = self.tx.one
        app_id, rev = r["id"], r["revision"]
        if r["withdrawn_at"]:
            return ApplicationStatus.WITHDRAWN
        if r["expires_at"] and now >= from_iso(r["expires_at"]):
            return ApplicationStatus.EXPIRED
        draft = one("SELECT max(revision) FROM drafts WHERE application_id = ?", (app_id,))[0]
        if self.tx.is_secretariat:
            pub = one("SELECT published FROM publications WHERE application_id = ?", (app_id,))
            if pub is not None:
                return ApplicationStatus.PUBLISHED if pub[0] else ApplicationStatus.FINALISED
            if draft is not None:
                sent = one("SELECT 1 FROM sent WHERE application_id = ? AND kind = 'draft-advice' "
                           "AND revision = ?", (app_id, draft))
                return ApplicationStatus.ADVICE_CIRCULATED if sent else ApplicationStatus.ADVICE_DRAFTED
            if one("SELECT 1 FROM responses WHERE application_id = ? AND application_revision = ?", (app_id, rev)):
                return ApplicationStatus.RESPONSES_IN
            if one("SELECT 1 FROM sent WHERE application_id = ? AND kind = 'application' AND revision = ?",
                   (app_id, rev)):
                return ApplicationStatus.CIRCULATED
            return ApplicationStatus.DRAFT
        me = self.tx.fingerprint
        if not self._declarations.declared(app_id, rev):
            return ApplicationStatus.INTERESTS_NEEDED
        if draft is not None:
            signed = one("SELECT 1 FROM signoffs WHERE application_id = ? AND draft_revision = ? "
                         "AND member = ?", (app_id, draft, me))
            return ApplicationStatus.SIGNED_OFF if signed else ApplicationStatus.DRAFT_TO_REVIEW
        if one("SELECT 1 FROM responses WHERE application_id = ? AND application_revision = ? AND member = ?",
               (app_id, rev, me)):
            return ApplicationStatus.RESPONSE_SENT
        return ApplicationStatus.IN_REVIEW

    # -- recording ---------------------------------------------------------------------------------

    @guarded
    def put(self, app: Application, files: Mapping[str, Path | bytes], *, reason: str = "",
            now: datetime | None = None) -> Application:
        """Secretariat: record a new application, or a new revision of one already held.

        ``files`` maps each document's path in the application (``documents/x.pdf``) to its file or
        bytes; documents not listed in ``app.documents`` are added with a title from their name.
        The content is sealed to the secretariat itself in ``bundles/`` so documents are read as
        members read them. Returns the application with its id, revision and documents filled in.
        Raises InvalidInput, NotFound or StoreError.
        """
        from panel_desk.core import bundle
        from panel_desk.core.store.textextract import pdf_pages

        tx = self.tx
        tx.require_secretariat("record applications")
        moment = (now or utcnow()).replace(microsecond=0)
        app = app.with_id()
        held = tx.one("SELECT revision, withdrawn_at FROM applications WHERE id = ?", (app.id,))
        if held is not None and held[1]:
            raise InvalidInput(f"Application {app.id} was withdrawn; it cannot have a new revision.")
        revision = held[0] + 1 if held is not None else 1
        listed = {d.path: d for d in app.documents}
        missing = sorted(set(listed) - set(files))
        if missing:
            raise InvalidInput(f"These documents are listed but no file was given for them: {', '.join(missing)}.")
        documents, texts = [], {}
        for path, source in files.items():
            if not isinstance(source, bytes | bytearray | memoryview):
                source = Path(source)
                if not source.is_file():
                    raise NotFound(f"There is no file {source}.")
            digest, size = _sha256(source)
            base = listed.get(path)
            documents.append({"path": path, "title": base.title if base else _title_from_path(path),
                              "features": list(base.features) if base else [],
                              "media_type": _media_type(path),
                              "sha256": digest, "size": size})
            if _is_pdf(path):
                if isinstance(source, Path):
                    with source.open("rb") as f:
                        texts[path] = pdf_pages(f)
                else:
                    texts[path] = pdf_pages(bytes(source))
        fields = app.model_dump(mode="json")
        fields.update(revision=revision, documents=documents,
                      revision_reason=reason or (app.revision_reason if revision > 1 else ""))
        app = parse_model(Application, fields, "the application")
        with environment_errors():
            tx.bundles_dir.mkdir(exist_ok=True, mode=0o700)
        name = f"{secrets.token_hex(16)}{BUNDLE_SUFFIX}"
        target = tx.bundles_dir / name
        manifest = bundle.seal(bundle.Kind.APPLICATION, application_id=app.id, revision=revision,
                               payload=app.model_dump(mode="json"), files=dict(files),
                               titles={d.path: d.title for d in app.documents}, signer=tx.identity,
                               recipients=[tx.identity.card], out=target, now=moment)
        try:
            with tx.write():
                tx.after_rollback.append(lambda: unlink(target))
                record_bundle(tx, manifest, name, moment)
                self.record(app, manifest.bundle_id, None, texts, moment)
                tx.audit("application.put", app.id, {"revision": revision, "bundle": manifest.bundle_id,
                                                     "documents": len(app.documents)}, moment)
        except BaseException:
            unlink(target)
            raise
        return self.load(app.id)

    def record(self, app: Application, bundle_id: str, expires_at: datetime | None,
               texts: Mapping[str, Sequence[str]], now: datetime) -> None:
        """Inside a transaction: make ``app`` the current revision and index its documents' pages."""
        db = self.tx.database
        provisions = "; ".join(p.citation for p in app.provisions)
        values = (app.revision, app.authority, app.title, app.dates.advice_due.isoformat(), provisions, bundle_id,
                  iso(expires_at) if expires_at else None, iso(now))
        if self.tx.one("SELECT 1 FROM applications WHERE id = ?", (app.id,)):
            db.execute("UPDATE applications SET revision = ?, authority = ?, title = ?, advice_due = ?, "
                       "provisions = ?, bundle_id = ?, expires_at = ?, updated_at = ? WHERE id = ?",
                       (*values, app.id))
        else:
            db.execute("INSERT INTO applications (revision, authority, title, advice_due, provisions, bundle_id, "
                       "expires_at, updated_at, id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (*values, app.id, iso(now)))
        db.execute("INSERT INTO application_revisions (application_id, revision, data, bundle_id, recorded_at) "
                   "VALUES (?, ?, ?, ?, ?)", (app.id, app.revision, dump(app), bundle_id, iso(now)))
        _search.drop(db, app.id)
        for doc in app.documents:
            pages = list(texts.get(doc.path, ()))
            db.execute("INSERT INTO documents (application_id, revision, path, title, page_count) VALUES (?, ?, ?, ?, ?)",
                       (app.id, app.revision, doc.path, doc.title, len(pages)))
            _search.index_pages(db, app.id, app.revision, doc.path, pages)

    def mark_withdrawn(self, app_id: str, reason: str, now: datetime) -> None:
        """Inside a transaction: mark withdrawn, drop the page index and the sealed content."""
        self.tx.database.execute("UPDATE applications SET withdrawn_at = ?, withdrawn_reason = ?, updated_at = ? "
                                 "WHERE id = ?", (iso(now), reason, iso(now), app_id))
        self._remove_content(app_id)

    @guarded
    def expire(self, *, now: datetime | None = None) -> list[str]:
        """On a member's profile: remove the documents of every application past its expiry date (the
        sealed bundle and the page index), keeping the member's own answers, notes and the record of
        what happened. Returns the ids whose content was removed. The secretariat keeps everything."""
        tx = self.tx
        if tx.is_secretariat:
            return []
        moment = now or utcnow()
        due = [r[0] for r in tx.all(
            "SELECT id FROM applications a WHERE expires_at IS NOT NULL AND expires_at <= ? AND EXISTS "
            "(SELECT 1 FROM bundles b WHERE b.application_id = a.id AND b.kind = 'application' AND b.file != '')",
            (iso(moment),))]
        if not due:
            return []
        with tx.write():
            for app_id in due:
                self._remove_content(app_id)
                tx.audit("application.expired", app_id, {"documents_removed": True}, moment)
        return due

    def _remove_content(self, app_id: str) -> None:
        """Inside a transaction: drop the page index and the sealed content (deleted once committed)."""
        tx = self.tx
        db = tx.database
        _search.drop(db, app_id)
        rows = tx.all("SELECT bundle_id, file FROM bundles WHERE application_id = ? AND kind = 'application' "
                      "AND file != ''", (app_id,))
        db.execute("UPDATE bundles SET file = '' WHERE application_id = ? AND kind = 'application'", (app_id,))
        for bundle_id, file_name in rows:
            opened = tx.opened.pop(bundle_id, None)
            if opened is not None:
                opened.close()
            tx.after_commit.append(lambda p=tx.bundles_dir / file_name: unlink(p))

    @guarded
    def withdraw(self, app_id: str, reason: str, *, now: datetime | None = None) -> None:
        """Secretariat: record that the application was withdrawn; its content is no longer used.

        Raises NotFound or InvalidInput (no reason, already withdrawn).
        """
        tx = self.tx
        tx.require_secretariat("withdraw an application")
        moment = now or utcnow()
        record = tx.app_record(app_id)
        if not str(reason).strip():
            raise InvalidInput("Give the reason the application is withdrawn.")
        if record["withdrawn_at"]:
            raise InvalidInput(f"Application {app_id} has already been withdrawn.")
        with tx.write():
            self.mark_withdrawn(app_id, str(reason).strip(), moment)
            tx.audit("application.withdraw", app_id, {"revision": record["revision"]}, moment)

    # -- documents ---------------------------------------------------------------------------------

    @guarded
    def bundle_path(self, app_id: str) -> Path:
        """The sealed bundle that holds the latest revision. Raises NotFound."""
        record = self.tx.app_record(app_id)
        row = self.tx.one("SELECT file FROM bundles WHERE bundle_id = ?", (record["bundle_id"],))
        if row is None or not row[0]:
            raise NotFound(f"The content of application {app_id} is no longer held in this profile.")
        return self.tx.bundles_dir / row[0]

    @guarded
    def documents(self, app_id: str) -> list[DocumentRef]:
        """The latest revision's documents (metadata only). Raises NotFound."""
        return list(self.load(app_id).documents)

    def check_usable(self, record: dict[str, Any], now: datetime) -> None:
        """Raise when the application's content may not be read now (withdrawn, expired, undeclared)."""
        if record["withdrawn_at"]:
            reason = record["withdrawn_reason"]
            raise InvalidInput(f"Application {record['id']} was withdrawn"
                               + (f" ({reason.rstrip('.')})" if reason else "")
                               + ". Its documents are no longer available.")
        if record["expires_at"] and now >= from_iso(record["expires_at"]):
            when = from_iso(record["expires_at"])
            raise InvalidInput(f"Application {record['id']} expired on {when:%d %B %Y}, so its documents are no "
                               "longer kept in this profile (your own answers and notes are). Ask the secretariat "
                               "for a current copy if the panel still needs it.")
        if not self.tx.is_secretariat and not self._declarations.declared(record["id"], record["revision"]):
            raise DeclarationNeeded()

    def _opened_bundle(self, bundle_id: str, now: datetime):
        from panel_desk.core import bundle

        tx = self.tx
        opened = tx.opened.get(bundle_id)
        if opened is None:
            row = tx.one("SELECT file FROM bundles WHERE bundle_id = ?", (bundle_id,))
            if row is None or not row[0]:
                raise NotFound("The content of this application is no longer held in this profile.")
            opened = bundle.open_bundle(tx.bundles_dir / row[0], tx.identity, self._roster.trusted(), now=now)
            tx.opened[bundle_id] = opened
        return opened

    def _document(self, app_id: str, path: str, now: datetime | None):
        moment = now or utcnow()
        record = self.tx.app_record(app_id)
        self.check_usable(record, moment)
        app = self.load(app_id)
        try:
            app.document(path)
        except KeyError:
            raise NotFound(f"Application {app_id} has no document {path}.") from None
        return self._opened_bundle(record["bundle_id"], moment)

    @guarded
    def read_document(self, app_id: str, path: str, *, now: datetime | None = None) -> bytes:
        """A document's bytes, decrypted from the sealed bundle in memory only.

        Raises NotFound, DeclarationNeeded (a member who has not declared for this revision),
        InvalidInput (withdrawn or expired application) or a BundleError (the file was damaged).
        """
        return self._document(app_id, path, now).read(path)

    @guarded
    def open_document(self, app_id: str, path: str, *, now: datetime | None = None) -> BinaryIO:
        """A read-only, seekable file over a document (decrypted lazily, in memory only).

        It stops working when the workspace is locked. Raises as :meth:`read_document`.
        """
        return self._document(app_id, path, now).open(path)

    # -- what was sent, and to whom ----------------------------------------------------------------

    @guarded
    def record_sent(self, kind: str, application_id: str, revision: int, recipients: Sequence[str],
                    bundle_id: str, *, now: datetime | None = None) -> None:
        """Record that a bundle of ``kind`` was sealed for ``recipients`` (fingerprints).

        The secretariat's status (sent to the panel, draft advice sent) is derived from this.
        Raises NotFound (unknown application) or InvalidInput.
        """
        from panel_desk.core.bundle import Kind

        moment = now or utcnow()
        try:
            kind = Kind(kind).value
        except ValueError:
            raise InvalidInput(f"'{kind}' is not a kind of bundle.") from None
        self.tx.app_record(application_id)
        fingerprints = [normalise_fingerprint(fp) for fp in recipients]
        with self.tx.write() as db:
            db.execute("INSERT INTO sent (kind, application_id, revision, recipients, bundle_id, sent_at) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       (kind, application_id, int(revision), json.dumps(fingerprints), bundle_id, iso(moment)))
            self.tx.audit(f"sent.{kind}", application_id,
                          {"revision": int(revision), "bundle": bundle_id, "recipients": fingerprints}, moment)

    @guarded
    def sent(self, application_id: str, kind: str | None = None) -> list[dict[str, Any]]:
        """Bundles sealed for others about this application, oldest first: dicts with kind,
        revision, recipients, bundle_id and sent_at."""
        sql = "SELECT kind, revision, recipients, bundle_id, sent_at FROM sent WHERE application_id = ?"
        params: list = [application_id]
        if kind is not None:
            sql += " AND kind = ?"
            params.append(str(kind))
        return [{"kind": r[0], "revision": r[1], "recipients": json.loads(r[2]), "bundle_id": r[3],
                 "sent_at": from_iso(r[4])} for r in self.tx.all(sql + " ORDER BY id", params)]

    @guarded
    def panel(self, app_id: str) -> list[Member]:
        """The people the current revision was sent to, as far as this profile knows them.

        The secretariat knows whom it sent it to (its roster); a member knows the recipients of the
        bundle they received, but only those whose cards they hold. Raises NotFound.
        """
        tx = self.tx
        record = tx.app_record(app_id)
        if tx.is_secretariat:
            row = tx.one("SELECT recipients FROM sent WHERE application_id = ? AND kind = 'application' "
                         "AND revision = ? ORDER BY id DESC LIMIT 1", (app_id, record["revision"]))
        else:
            row = tx.one("SELECT recipients FROM bundles WHERE bundle_id = ?", (record["bundle_id"],))
        fingerprints = json.loads(row[0]) if row else []
        roster = {m.fingerprint: m for m in self._roster.members()}
        out = []
        for fp in fingerprints:
            if fp in roster:
                out.append(roster[fp])
                continue
            card = self._roster.known_card(fp)
            if card is not None:
                out.append(card.member)
        return out


__all__ = ["Applications", "record_bundle"]

"""Importing bundles of every kind: verify completely first, then record in one transaction.

The file is first copied into ``bundles/`` under a temporary name and the copy is what gets
verified, so what is recorded is exactly what was checked. The copy becomes permanent only when
the transaction commits; on any failure it is removed and the profile is as it was.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol

from panel_desk.core import bundle
from panel_desk.core.bundle import Handover, Kind, Withdrawal
from panel_desk.core.errors import Cancelled, InvalidInput, Locked, NotFound, PanelDeskError
from panel_desk.core.files import fsync_dir
from panel_desk.core.model import (
    Application,
    ConflictDeclaration,
    DraftAdvice,
    Response,
    SignOff,
    utcnow,
)
from panel_desk.core.store import _authority
from panel_desk.core.store._db import StoreError, environment_errors
from panel_desk.core.store._tx import Tx, publish
from panel_desk.core.store.advice import Advice
from panel_desk.core.store.answers import Answers
from panel_desk.core.store.applications import Applications, record_bundle
from panel_desk.core.store.declarations import Declarations
from panel_desk.core.store.results import ImportResult, Progress, Refused
from panel_desk.core.store.roster import Roster
from panel_desk.core.store.textextract import pdf_pages


class Store(Protocol):
    """The parts of an open profile that importing records into (a Workspace is one)."""

    tx: Tx
    roster: Roster
    applications: Applications
    declarations: Declarations
    answers: Answers
    advice: Advice

_COPY_CHUNK = 1 << 20
_log = logging.getLogger(__name__)
UNEXPECTED = ("Panel Desk could not read this file because of a fault in Panel Desk itself. Nothing from it "
              "was recorded. Tell the secretariat, and keep the file.")


class _Outcome(Exception):
    """Ends an import early with a result that is not a refusal (a duplicate)."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def import_many(ws: Store, paths: list[Path], *, progress: Progress | None, cancel: Callable[[], bool] | None,
                now: datetime | None) -> list[ImportResult]:
    """Import each path; refusals never stop the rest; after a cancel the rest are reported."""
    sizes = []
    for p in paths:
        try:
            sizes.append(max(1, p.stat().st_size))
        except OSError:
            sizes.append(1)
    total = sum(sizes)
    done = 0
    results: list[ImportResult] = []
    cancelled = False
    for path, size in zip(paths, sizes, strict=True):
        if not cancelled and cancel is not None and cancel():
            cancelled = True
        if cancelled:
            results.append(ImportResult(path, "", "", "refused", "Not imported: you cancelled before this file."))
            continue
        base = done

        def step(n: int, _total: int, base: int = base, size: int = size) -> None:
            if progress is not None:
                progress(base + min(n, size), total)

        try:
            results.append(import_one(ws, path, progress=step, cancel=cancel, now=now))
        except Cancelled:
            cancelled = True
            results.append(ImportResult(path, "", "", "refused", "Not imported: you cancelled while it was being read."))
        except (Locked, StoreError):
            raise
        except PanelDeskError as exc:  # refused in words, whatever step said so
            results.append(ImportResult(path, "", "", "refused", str(exc)))
        except Exception:  # a fault of ours must not cost the person the other files
            _log.exception("import of one file failed unexpectedly")
            results.append(ImportResult(path, "", "", "refused", UNEXPECTED))
        done += size
        if progress is not None:
            progress(done, total)
    return results


def import_one(ws: Store, path: Path, *, progress: Progress | None, cancel: Callable[[], bool] | None,
               now: datetime | None) -> ImportResult:
    """Verify and record one bundle. Refusals are returned; Cancelled, Locked and StoreError are raised.

    The workspace is held only for the short steps that read or write the database; copying,
    decrypting, verifying and extracting text run without it.
    """
    moment = now or utcnow()
    folder = ws.tx.bundles_dir
    with ws.tx.session():
        identity, trusted = ws.tx.identity, ws.roster.trusted()
        folder.mkdir(exist_ok=True, mode=0o700)
    staged = folder / f".incoming-{secrets.token_hex(8)}.tmp"
    kind, app_id = "", ""
    opened = None
    try:
        try:
            with environment_errors():
                size = _copy(path, staged, cancel)
        except (NotFound, InvalidInput) as exc:
            return ImportResult(path, "", "", "refused", str(exc))

        def on_bytes(n: int) -> None:
            if progress is not None:
                progress(min(n, size), size)

        try:
            opened = bundle.open_bundle(staged, identity, trusted, now=moment, progress=on_bytes, cancel=cancel)
        except Cancelled:
            raise
        except PanelDeskError as exc:
            return ImportResult(path, "", "", "refused", str(exc))
        manifest = opened.manifest
        kind, app_id = manifest.kind.value, manifest.application_id
        try:
            with ws.tx.session():
                _check(ws, opened)  # before the slow part, so a duplicate is not read again
            texts = _texts(opened, cancel) if manifest.kind is Kind.APPLICATION else {}
            with ws.tx.session():
                _check(ws, opened)  # again: the profile may have changed meanwhile
                status, message = _HANDLERS[manifest.kind](ws, opened, staged, moment, texts)
        except _Outcome as out:
            return ImportResult(path, kind, app_id, out.status, out.message)
        except Refused as exc:
            return ImportResult(path, kind, app_id, "refused", str(exc))
        return ImportResult(path, kind, app_id, status, message)
    finally:
        if opened is not None:
            opened.close()
        with contextlib.suppress(FileNotFoundError):
            staged.unlink()


def _texts(opened, cancel: Callable[[], bool] | None) -> dict[str, list[str]]:
    """The text of every page of the application's PDFs (decrypted in memory as they are read)."""
    texts = {}
    for doc in opened.payload.documents:
        if doc.media_type == "application/pdf" or doc.path.lower().endswith(".pdf"):
            with opened.open(doc.path) as f:  # decrypted lazily, chunk by chunk, as PDFium reads
                texts[doc.path] = pdf_pages(f, cancel=cancel)
    return texts


def _copy(source: Path, target: Path, cancel: Callable[[], bool] | None) -> int:
    """Copy ``source`` to a new file ``target``, synced. Raises NotFound/InvalidInput (the source)."""
    try:
        src = source.open("rb")
    except FileNotFoundError:
        raise NotFound(f"There is no file {source}.") from None
    except IsADirectoryError:
        raise InvalidInput(f"{source} is a folder, not a bundle.") from None
    except OSError as exc:
        raise InvalidInput(f"Cannot read {source}: {exc.strerror}.") from None
    size = 0
    with src:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as dst:
            while True:
                if cancel is not None and cancel():
                    raise Cancelled()
                try:
                    block = src.read(_COPY_CHUNK)
                except OSError as exc:
                    raise InvalidInput(f"Cannot read {source}: {exc.strerror}.") from None
                if not block:
                    break
                dst.write(block)
                size += len(block)
            dst.flush()
            os.fsync(dst.fileno())
    return size


def _keep(ws: Store, staged: Path) -> str:
    """Inside the transaction: give the verified copy its permanent name (undone on rollback)."""
    name = f"{secrets.token_hex(16)}.pdbundle"
    final = ws.tx.bundles_dir / name
    publish(staged, final)
    ws.tx.after_rollback.append(lambda: final.unlink(missing_ok=True))
    fsync_dir(ws.tx.bundles_dir)  # the file's name is durable before the record of it is
    return name


def _check(ws: Store, opened) -> None:
    """Check the bundle against what the profile holds. Raises _Outcome (duplicate) or Refused."""
    manifest = opened.manifest
    kind = manifest.kind
    if ws.tx.one("SELECT 1 FROM bundles WHERE bundle_id = ?", (manifest.bundle_id,)):
        raise _Outcome("duplicate", f"You already have this bundle ({kind.label[0].lower()}{kind.label[1:]}); "
                       "nothing changed.")
    _authority.check_sender(ws, kind, opened.signer, opened.payload, manifest)
    if kind is Kind.APPLICATION:
        _check_application(ws, opened)
        return
    if kind is Kind.HANDOVER:
        return
    try:
        ws.tx.app_record(manifest.application_id)
    except NotFound:
        raise Refused(f"{kind.label} about application {manifest.application_id}, which this profile "
                      "does not hold. It was not imported.") from None


def _check_application(ws: Store, opened) -> None:
    app: Application = opened.payload  # its revision is the bundle's (open_bundle checks they agree)
    held = ws.tx.one("SELECT revision, withdrawn_at, title FROM applications WHERE id = ?", (app.id,))
    if held is None:
        return
    if held[1]:
        raise Refused(f"Application {app.id} has been withdrawn; this copy was not imported.")
    if app.revision < held[0]:
        raise Refused(f"This is revision {app.revision} of {held[2]}, older than revision {held[0]}, which you "
                      "already have. It was not imported.")
    if app.revision == held[0]:
        raise _Outcome("duplicate", f"You already have revision {app.revision} of {held[2]} (nothing changed).")


def _application(ws: Store, opened, staged: Path, now: datetime, texts) -> tuple[str, str]:
    manifest = opened.manifest
    app: Application = opened.payload
    held = ws.tx.one("SELECT revision FROM applications WHERE id = ?", (app.id,))
    with ws.tx.write():
        name = _keep(ws, staged)
        record_bundle(ws.tx, manifest, name, now)
        ws.applications.record(app, manifest.bundle_id, manifest.expires_at, texts, now)
        ws.tx.audit("bundle.import", app.id, {"kind": manifest.kind.value, "bundle": manifest.bundle_id,
                                               "signer": opened.signer.fingerprint, "revision": app.revision}, now)
    after = "" if ws.tx.is_secretariat else " Declare your interests before reading it."
    if held is None:
        return "imported", f"Imported {app.title} ({app.authority}), revision {app.revision}.{after}"
    after = "" if ws.tx.is_secretariat else " Declare your interests again before reading it."
    return "superseded", f"Revision {app.revision} of {app.title} replaces revision {held[0]}.{after}"


def _withdrawal(ws: Store, opened, staged: Path, now: datetime, texts) -> tuple[str, str]:
    manifest = opened.manifest
    w: Withdrawal = opened.payload
    record = ws.tx.app_record(manifest.application_id)
    if record["withdrawn_at"]:
        raise _Outcome("duplicate", f"{record['title']} was already withdrawn (nothing changed).")
    if manifest.revision < record["revision"]:
        raise Refused(f"This withdrawal is about revision {manifest.revision} of {record['title']}, but you have "
                      f"revision {record['revision']}. It was not imported; ask the secretariat.")
    with ws.tx.write():
        record_bundle(ws.tx, manifest, "", now)
        ws.applications.mark_withdrawn(record["id"], w.reason, now)
        ws.tx.audit("bundle.import", record["id"], {"kind": manifest.kind.value, "bundle": manifest.bundle_id,
                                                  "signer": opened.signer.fingerprint}, now)
    return "imported", (f"{record['title']} has been withdrawn by the secretariat ({w.reason.rstrip('.')}). "
                        "Its documents have been removed from this profile.")


def _handover(ws: Store, opened, staged: Path, now: datetime, texts) -> tuple[str, str]:
    """The secretariat this member trusts names its successor: trust the new card as the secretariat,
    and refuse what the old key signs from the handover's moment on."""
    from panel_desk.core.identity import PublicCard, format_fingerprint

    h: Handover = opened.payload
    if ws.is_secretariat:
        raise Refused("A handover of the secretariat's key is for panel members' profiles; this is the "
                      "secretariat's own. It was not imported.")
    try:
        card = PublicCard.from_json(json.dumps(h.new_card), "The new secretariat card")
    except PanelDeskError:
        raise Refused("The new secretariat card inside this handover is not a valid public card. It was not "
                      "imported; ask the secretariat.") from None
    old = opened.signer
    if card.fingerprint == old.fingerprint:
        raise Refused("This handover names the same key it comes from. It was not imported.")
    with ws.tx.write():
        record_bundle(ws.tx, opened.manifest, "", now)
        ws.roster.trust_card(card, now, as_secretariat=True)
        ws.roster.record_revocation(old.fingerprint, h.effective_at, f"handed over to {card.name}: {h.reason}",
                                    card.fingerprint, now)
        ws.tx.audit("secretariat.handover", card.fingerprint,
                    {"from": old.fingerprint, "effective_at": h.effective_at.isoformat(), "bundle":
                     opened.manifest.bundle_id}, now)
    return "imported", (f"The secretariat's key has been handed over from {old.name} to {card.name}. Check the new "
                        f"fingerprint with the secretariat by phone: {format_fingerprint(card.fingerprint)}. From "
                        f"{h.effective_at:%d %B %Y %H:%M} UTC, files signed with the old key are refused.")


def _record(ws: Store, opened, staged: Path, now: datetime, store):
    """In one transaction: keep the sealed file, store the payload with ``store`` (returning what it
    replaced, if anything), and audit the import. Returns what ``store`` returned."""
    manifest = opened.manifest
    with ws.tx.write():
        record_bundle(ws.tx, manifest, _keep(ws, staged), now)
        replaced = store(opened.payload, manifest.bundle_id, now)
        ws.tx.audit("bundle.import", opened.payload.application_id,
                  {"kind": manifest.kind.value, "bundle": manifest.bundle_id, "signer": opened.signer.fingerprint},
                  now)
    return replaced


def _draft(ws: Store, opened, staged: Path, now: datetime, texts) -> tuple[str, str]:
    d: DraftAdvice = opened.payload
    newer = _record(ws, opened, staged, now, ws.advice.store_draft)
    if newer:
        return "superseded", f"Draft {d.revision} of the advice on {d.application_id} replaces the earlier draft."
    return "imported", f"Imported draft {d.revision} of the advice on {d.application_id}."


def _with_declaration(ws: Store, store):
    """``store``, after recording the declaration the payload carries (unless it is already held)."""

    def both(payload, bundle_id: str, now: datetime):
        decl: ConflictDeclaration | None = payload.declaration
        if decl is not None and not _held(ws, decl, or_later=True):
            ws.declarations.store(decl, bundle_id, now)
        return store(payload, bundle_id, now)

    return both


def _held(ws: Store, decl: ConflictDeclaration, *, or_later: bool = False) -> bool:
    """Whether this very declaration (``or_later``: or a later one from the same member) is recorded."""
    held = ws.declarations.get(decl.application_id, decl.member)
    if held is None or held.application_revision != decl.application_revision:
        return False
    return held.declared_at >= decl.declared_at if or_later else held == decl


def _response(ws: Store, opened, staged: Path, now: datetime, texts) -> tuple[str, str]:
    r: Response = opened.payload
    name = opened.signer.name
    replaced = _record(ws, opened, staged, now, _with_declaration(ws, ws.answers.store_response))
    if replaced is not None:
        return "superseded", (f"Response number {r.revision} from {name} on {r.application_id} replaces their "
                              f"response number {replaced}.")
    return "imported", f"Imported the response from {name} on {r.application_id}."


def _declaration(ws: Store, opened, staged: Path, now: datetime, texts) -> tuple[str, str]:
    d: ConflictDeclaration = opened.payload
    name = opened.signer.name
    if _held(ws, d):
        raise _Outcome("duplicate", f"You already have this declaration of interests from {name} (it came with "
                       "their response or sign-off); nothing changed.")
    replaced = _record(ws, opened, staged, now, ws.declarations.store)
    if replaced:
        return "superseded", f"The declaration of interests from {name} on {d.application_id} replaces their earlier one."
    return "imported", f"Imported the declaration of interests from {name} on {d.application_id}."


def _signoff(ws: Store, opened, staged: Path, now: datetime, texts) -> tuple[str, str]:
    s: SignOff = opened.payload
    name = opened.signer.name
    replaced = _record(ws, opened, staged, now, _with_declaration(ws, ws.advice.store_signoff))
    if replaced:
        return "superseded", f"The sign-off from {name} on draft {s.draft_revision} replaces their earlier one."
    return "imported", f"Imported the sign-off from {name} on draft {s.draft_revision} of {s.application_id}."


_HANDLERS = {
    Kind.APPLICATION: _application,
    Kind.WITHDRAWAL: _withdrawal,
    Kind.DRAFT_ADVICE: _draft,
    Kind.RESPONSE: _response,
    Kind.DECLARATION: _declaration,
    Kind.SIGNOFF: _signoff,
    Kind.HANDOVER: _handover,
}

"""Backing a profile up into one encrypted file, and restoring it on another computer.

A backup file is::

    panel-desk backup v1\\n
    <length of the identity file>\\n
    <the profile's identity file, as it is: encrypted under the owner's passphrase>
    <an age file, to the owner's X25519 key and to any recovery card>

The age payload is a sequence of entries, each a JSON header line (``{"name":…, "size":…}``)
followed by that many bytes: ``store.db`` (a consistent copy of the database made with SQLite's
online backup API into a new database keyed with the same store key, so its bytes are encrypted
at rest like the profile's own), then every stored bundle (already sealed), then
``manifest.json`` (what the backup holds, with each file's SHA-256 and the audit head, signed by
the owner), then an end marker. Nothing is ever written in plaintext: the copy is made in a
private folder inside the profile and is SQLCipher-encrypted there.

Restoring unlocks the identity with the owner's passphrase (or the payload with the recovery
card's identity), unpacks into a private folder beside the target, checks everything (age's
authentication of every 64 KiB chunk, the manifest's signature and hashes, SQLCipher's seal on
every page, SQLite's structure, the audit chain, every bundle's signature and hashes) and only
then moves the files into the target folder. A damaged or truncated file leaves nothing behind.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from sqlcipher3 import dbapi2

from panel_desk.core import age
from panel_desk.core.errors import InvalidInput, NotFound, PanelDeskError, WrongPassphrase
from panel_desk.core.files import atomic_output, fsync_dir
from panel_desk.core.identity import MAX_FILE_BYTES, Identity, PublicCard, age_recipients, canonical_json
from panel_desk.core.integrity import check_database, check_integrity, connect_raw, damage_message
from panel_desk.core.model import utcnow
from panel_desk.core.store import audit
from panel_desk.core.store._db import environment_errors
from panel_desk.core.store.workspace import (
    BUNDLES_DIR,
    DATABASE_FILE,
    IDENTITY_FILE,
    Workspace,
    open_profile,
)

__all__ = [
    "BackupError",
    "BackupResult",
    "RestoreResult",
    "backup_reminder",
    "make_backup",
    "recovery_card",
    "restore_backup",
    "set_recovery_card",
]

MAGIC = b"panel-desk backup v1\n"
MANIFEST_FORMAT = "panel-desk-backup"
SIGN_DOMAIN = b"panel-desk backup manifest v1\n"
LAST_BACKUP_SETTING = "backup.last_at"
REMIND_DAYS_SETTING = "backup.remind_days"
RECOVERY_SETTING = "backup.recovery_card"
DEFAULT_REMIND_DAYS = 7
MAX_HEADER = 4096
MAX_MANIFEST = 64 * 1024 * 1024
_BUNDLE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
_CHUNK = 1 << 20
STALE_SECONDS = 3600

Progress = Callable[[int, int], None]

DAMAGED = ("This backup file is damaged or incomplete ({why}). It was not restored and nothing was "
           "written. Use another copy of the backup.")


_NOT_WRITTEN = " No backup was written, so an older good backup is not replaced by a damaged one."


class BackupError(InvalidInput):
    """A backup that cannot be made or restored; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    """What :func:`make_backup` wrote."""

    path: Path
    size: int
    bundles: int
    audit_entries: int
    recipients: tuple[str, ...]  # fingerprints the backup can be opened with
    made_at: datetime

    @property
    def message(self) -> str:
        extra = " and the recovery card" if len(self.recipients) > 1 else ""
        return (f"Backed up the profile to {self.path} ({self.bundles} bundle{'s' if self.bundles != 1 else ''}, "
                f"{self.audit_entries} audit entries). It can be opened with your identity{extra}; "
                "keep it somewhere other than this computer.")


@dataclass(frozen=True)
class RestoreResult:
    """What :func:`restore_backup` put in place."""

    profile_dir: Path
    owner: str  # fingerprint
    owner_name: str
    made_at: datetime
    bundles: int
    audit_entries: int

    @property
    def message(self) -> str:
        return (f"Restored the profile of {self.owner_name} from the backup of "
                f"{self.made_at:%d %B %Y %H:%M} UTC into {self.profile_dir}. Every check passed: the "
                f"database, the audit log ({self.audit_entries} entries) and {self.bundles} "
                f"bundle{'s' if self.bundles != 1 else ''}.")


# --- settings: recovery card and reminder --------------------------------------------------------


def recovery_card(ws: Workspace) -> PublicCard | None:
    """The organisation's recovery card every backup is also encrypted to, or None."""
    text = ws.get_setting(RECOVERY_SETTING)
    return PublicCard.from_json(text) if text else None


def set_recovery_card(ws: Workspace, card: PublicCard | None, *, now: datetime | None = None) -> None:
    """Encrypt every later backup also to ``card`` (None: to the owner only)."""
    ws.set_setting(RECOVERY_SETTING, card.to_json().decode("utf-8") if card else None, now=now)


def backup_reminder(ws: Workspace, *, now: datetime | None = None) -> str | None:
    """A reminder in words when the secretariat's last backup is older than the setting (7 days by
    default; 0 switches it off), else None. Members' profiles are not reminded."""
    if not ws.is_secretariat:
        return None
    days = ws.get_setting(REMIND_DAYS_SETTING, DEFAULT_REMIND_DAYS)
    if not isinstance(days, int) or days <= 0:
        return None
    moment = now or utcnow()
    last = ws.get_setting(LAST_BACKUP_SETTING)
    if not last:
        return ("This profile has never been backed up. It is the only copy of the panel's records: "
                "make a backup now (File › Back up…) and keep it off this computer.")
    when = datetime.fromisoformat(last)
    age_days = (moment - when) // timedelta(days=1)
    if age_days < days:
        return None
    return (f"The last backup was made {age_days} days ago ({when:%d %B %Y}). Make a new one now "
            "(File › Back up…) and keep it off this computer.")


# --- making a backup ------------------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


class _Stream(io.RawIOBase):
    """A readable stream over a sequence of byte strings and files (read lazily)."""

    def __init__(self, parts: Iterator[bytes | Path], on_bytes: Callable[[int], None] | None = None) -> None:
        self._parts = parts
        self._current: BinaryIO | None = None
        self._pending = b""
        self._on_bytes = on_bytes

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        view = memoryview(buffer)
        while True:
            if self._pending:
                n = min(len(view), len(self._pending))
                view[:n] = self._pending[:n]
                self._pending = self._pending[n:]
                return n
            if self._current is not None:
                n = self._current.readinto(view)
                if n:
                    if self._on_bytes:
                        self._on_bytes(n)
                    return n
                self._current.close()
                self._current = None
            try:
                part = next(self._parts)
            except StopIteration:
                return 0
            if isinstance(part, Path):
                self._current = part.open("rb")
            else:
                self._pending = part

    def close(self) -> None:
        if self._current is not None:
            self._current.close()
        super().close()


def _entry_header(name: str, size: int) -> bytes:
    return json.dumps({"name": name, "size": size}, separators=(",", ":")).encode("ascii") + b"\n"


def _snapshot(ws: Workspace, work: Path) -> tuple[list[str], bytes]:
    """Copy the committed database into ``work``/store.db (keyed like the profile's) and hard-link
    the bundles it refers to; return the bundle file names and the identity file's bytes.

    A separate connection sees only committed data, so a transaction open elsewhere (even in this
    thread) is not in the copy; holding the workspace's lock keeps a committed withdrawal from
    deleting a bundle between the copy and the links.
    """
    with ws.tx.session():
        key = ws.identity.store_key
        identity_bytes = (ws.profile_dir / IDENTITY_FILE).read_bytes()
        source = connect_raw(ws.profile_dir / DATABASE_FILE, key)
        target = connect_raw(work / DATABASE_FILE, key)
        try:
            source.backup(target)  # one step: a consistent snapshot of the last commit
            files = [r[0] for r in target.execute("SELECT file FROM bundles WHERE file != '' ORDER BY file")]
            target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            target.close()
            source.close()
        (work / BUNDLES_DIR).mkdir(mode=0o700)
        for name in files:
            src, dst = ws.bundles_dir / name, work / BUNDLES_DIR / name
            if not _BUNDLE_NAME.match(name) or not src.is_file():
                raise BackupError(f"The stored bundle {name} is missing from the profile, so the backup "
                                  "would be incomplete. Nothing was written. Check the profile "
                                  "(panel-desk profile check).")
            try:
                os.link(src, dst)
            except OSError:
                shutil.copyfile(src, dst)
    return files, identity_bytes


def _sweep_stale(folder: Path) -> None:
    """Remove what a backup stopped by a crash left in the profile (older than an hour)."""
    cutoff = time.time() - STALE_SECONDS
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            if entry.name.startswith(".backup-") and entry.is_dir() and entry.stat().st_mtime < cutoff:
                shutil.rmtree(entry, ignore_errors=True)


def make_backup(ws: Workspace, out: Path, *, recovery: PublicCard | None = None, now: datetime | None = None,
                progress: Progress | None = None) -> BackupResult:
    """Write one encrypted backup of the open profile ``ws`` to ``out`` (which must not exist).

    Encrypted to the owner's identity and to ``recovery`` (default: the profile's recovery card
    setting). The copy is checked before it is written (every page's seal, the structure, the
    audit chain); a damaged profile is refused in words so a damaged copy never replaces a good
    one. Records the backup in the audit log and the time in the settings.
    Raises BackupError, InvalidInput (``out`` exists or cannot be written), NotFound, Locked.
    """
    out = Path(out)
    if out.exists():
        raise InvalidInput(f"{out} already exists. Choose another file name; nothing was overwritten.")
    if not out.parent.is_dir():
        raise NotFound(f"The folder {out.parent} does not exist.")
    report = check_integrity(ws)  # before any backup: a damaged copy must never replace a good one
    if not report.ok:
        raise BackupError(report.message + _NOT_WRITTEN)
    card = recovery if recovery is not None else recovery_card(ws)
    identity = ws.identity
    moment = now or utcnow()
    _sweep_stale(ws.profile_dir)
    with environment_errors():
        work = Path(tempfile.mkdtemp(prefix=".backup-", dir=ws.profile_dir))  # 0700, beside the database
    try:
        try:
            files, identity_bytes = _snapshot(ws, work)
        except dbapi2.DatabaseError:
            raise BackupError(damage_message(["its database cannot be read to the end"]) + _NOT_WRITTEN) from None
        conn = connect_raw(work / DATABASE_FILE, identity.store_key)
        try:
            problems, entries = check_database(conn)
            head_row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone() \
                if not problems else None
        finally:
            conn.close()
        if problems:
            raise BackupError(damage_message(problems) + _NOT_WRITTEN)
        paths = [work / DATABASE_FILE] + [work / BUNDLES_DIR / f for f in files]
        names = [DATABASE_FILE] + [f"{BUNDLES_DIR}/{f}" for f in files]
        hashes = {name: {"sha256": _sha256_file(p), "size": p.stat().st_size} for name, p in zip(names, paths, strict=True)}
        manifest = {
            "format": MANIFEST_FORMAT, "version": 1, "made_at": moment.isoformat(),
            "owner": identity.fingerprint, "owner_name": identity.name, "owner_card": identity.card.to_json().decode(),
            "identity_sha256": hashlib.sha256(identity_bytes).hexdigest(),
            "store_key": base64.b64encode(identity.store_key).decode("ascii"),
            "audit_head": {"seq": head_row[0] if head_row else 0, "hash": head_row[1] if head_row else audit.GENESIS},
            "files": hashes,
        }
        signed = canonical_json(manifest)
        manifest_bytes = canonical_json({"manifest": manifest,
                                         "signature": base64.b64encode(identity.sign(signed, SIGN_DOMAIN)).decode()})
        total = sum(h["size"] for h in hashes.values())
        done = [0]

        def on_bytes(n: int) -> None:
            done[0] += n
            if progress:
                progress(done[0], total)

        def parts() -> Iterator[bytes | Path]:
            for name, path in zip(names, paths, strict=True):
                yield _entry_header(name, hashes[name]["size"])
                yield path
            yield _entry_header("manifest.json", len(manifest_bytes))
            yield manifest_bytes
            yield _entry_header("", 0)  # the end

        # hybrid post-quantum recipients when the owner's and the recovery card both have one (age never mixes)
        recipients = age_recipients([identity.card] + ([card] if card else []))
        with atomic_output(out, mode=0o600, exclusive=True) as f:
            f.write(MAGIC + f"{len(identity_bytes)}\n".encode("ascii") + identity_bytes)
            with _Stream(parts(), on_bytes) as stream:
                age.encrypt(recipients, io.BufferedReader(stream, _CHUNK), f)
        size = out.stat().st_size
    finally:
        shutil.rmtree(work, ignore_errors=True)
    fps = (identity.fingerprint,) + ((card.fingerprint,) if card else ())
    with ws.transaction():
        ws.audit("profile.backup", identity.fingerprint,
                 {"bundles": len(files), "entries": entries, "bytes": size, "recipients": list(fps)}, now=moment)
        ws.set_setting(LAST_BACKUP_SETTING, moment.isoformat(), now=moment)
    return BackupResult(path=out, size=size, bundles=len(files), audit_entries=entries, recipients=fps,
                        made_at=moment)


# --- restoring ------------------------------------------------------------------------------------


class _Unpacker:
    """Receives the authenticated plaintext and writes each entry into the staging folder."""

    def __init__(self, staging: Path) -> None:
        self.staging = staging
        self._buf = bytearray()
        self._file: BinaryIO | None = None
        self._hash = None
        self._left = 0
        self._name = ""
        self.files: dict[str, dict[str, Any]] = {}
        self.manifest = b""
        self.ended = False

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        view = memoryview(data)
        n = len(view)
        while len(view):
            if self.ended:
                raise BackupError(DAMAGED.format(why="there is data after its end"))
            if self._left:
                take = min(self._left, len(view))
                chunk = view[:take]
                if self._file is not None:
                    self._file.write(chunk)
                    self._hash.update(chunk)
                else:
                    self.manifest += bytes(chunk)
                self._left -= take
                view = view[take:]
                if not self._left:
                    self._close_entry()
                continue
            newline = bytes(view[:MAX_HEADER]).find(b"\n")
            if newline < 0:
                if len(self._buf) + len(view) > MAX_HEADER:
                    raise BackupError(DAMAGED.format(why="an entry's header is not readable"))
                self._buf += view
                break
            self._buf += view[:newline]
            view = view[newline + 1:]
            self._start(bytes(self._buf))
            self._buf.clear()
        return n

    def _start(self, header: bytes) -> None:
        try:
            raw = json.loads(header)
            name, size = raw["name"], raw["size"]
            if not isinstance(name, str) or not isinstance(size, int) or size < 0:
                raise ValueError
        except (ValueError, KeyError, TypeError):
            raise BackupError(DAMAGED.format(why="an entry's header is not readable")) from None
        if name == "":
            self.ended = True
            return
        if name in self.files or (name == "manifest.json" and self.manifest):
            raise BackupError(DAMAGED.format(why=f"it holds {name} twice"))
        self._name = name
        self._left = size
        if name == "manifest.json":
            if size > MAX_MANIFEST:
                raise BackupError(DAMAGED.format(why="its list of contents is far too large"))
            self._file = None
        else:
            if name == DATABASE_FILE:
                path = self.staging / DATABASE_FILE
            elif name.startswith(BUNDLES_DIR + "/") and _BUNDLE_NAME.match(name[len(BUNDLES_DIR) + 1:]):
                path = self.staging / BUNDLES_DIR / name[len(BUNDLES_DIR) + 1:]
            else:
                raise BackupError(DAMAGED.format(why=f"it holds an unexpected file {name!r}"))
            self._file = os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
            self._hash = hashlib.sha256()
        if not size:
            self._close_entry()

    def _close_entry(self) -> None:
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            self.files[self._name] = {"sha256": self._hash.hexdigest(), "size": self._file_size()}
            self._file = None
        self._name = ""

    def _file_size(self) -> int:
        name = self._name
        path = self.staging / (DATABASE_FILE if name == DATABASE_FILE else name)
        return path.stat().st_size

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def _read_head(f: BinaryIO, source: Path) -> bytes:
    not_backup = (f"{source} is not a Panel Desk backup. Choose the file made by 'Back up…' "
                  "or 'panel-desk backup'.")
    if f.read(len(MAGIC)) != MAGIC:
        raise BackupError(not_backup)
    line = f.readline(16)
    try:
        length = int(line.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        raise BackupError(DAMAGED.format(why="its beginning is not readable")) from None
    if not 0 < length <= MAX_FILE_BYTES or not line.endswith(b"\n"):
        raise BackupError(DAMAGED.format(why="its beginning is not readable"))
    identity_bytes = f.read(length)
    if len(identity_bytes) != length:
        raise BackupError(DAMAGED.format(why="it ends too early"))
    return identity_bytes


def _refuse_non_empty(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise BackupError(f"{target} is a file, not a folder. Choose a new, empty folder for the profile.")
    if target.is_dir():
        held = sorted(p.name for p in target.iterdir())
        if held:
            shown = ", ".join(held[:3]) + ("…" if len(held) > 3 else "")
            raise BackupError(f"The folder {target} is not empty (it holds {shown}). A backup is restored only "
                              "into a new or empty folder, so nothing there is overwritten. Choose another folder.")


def _verify_manifest(unpacked: _Unpacker, identity_bytes: bytes) -> dict[str, Any]:
    if not unpacked.ended or not unpacked.manifest:
        raise BackupError(DAMAGED.format(why="it ends too early"))
    try:
        outer = json.loads(unpacked.manifest)
        manifest, signature = outer["manifest"], base64.b64decode(outer["signature"], validate=True)
        card = PublicCard.from_json(manifest["owner_card"])
        if manifest.get("format") != MANIFEST_FORMAT or manifest.get("version") != 1:
            raise ValueError
    except (ValueError, KeyError, TypeError, PanelDeskError):
        raise BackupError(DAMAGED.format(why="its list of contents is not readable")) from None
    if card.fingerprint != manifest["owner"] or not card.verify(canonical_json(manifest), signature, SIGN_DOMAIN):
        raise BackupError(DAMAGED.format(why="its list of contents is not signed by the profile's owner"))
    if hashlib.sha256(identity_bytes).hexdigest() != manifest["identity_sha256"]:
        raise BackupError(DAMAGED.format(why="its identity file is not the one it was made with"))
    if unpacked.files != manifest["files"]:
        raise BackupError(DAMAGED.format(why="its files do not match its list of contents"))
    return manifest


def restore_backup(source: Path, profile_dir: Path, passphrase: str | None = None, *,
                   recovery: Identity | None = None, now: datetime | None = None) -> RestoreResult:
    """Rebuild a profile in ``profile_dir`` (new or empty) from the backup file ``source``, checked.

    Unlock with the owner's ``passphrase`` (the identity inside the backup), or with the
    ``recovery`` card's identity (the organisation's). Checks the whole file, the database's
    seal and structure, the audit chain and, with the owner's passphrase, every bundle's
    signature and hashes; only then are files moved into place (with the owner's passphrase the
    restore is recorded in the profile's audit log). Nothing is written when a check fails.
    Raises BackupError (damaged, not a backup, non-empty folder), WrongPassphrase, NotFound.
    """
    source, target = Path(source), Path(profile_dir)
    if passphrase is None and recovery is None:
        raise ValueError("a passphrase or a recovery identity is needed")
    _refuse_non_empty(target)
    if not target.parent.is_dir():
        raise NotFound(f"The folder {target.parent} does not exist.")
    try:
        f = source.open("rb")
    except FileNotFoundError:
        raise NotFound(f"There is no file {source}. Check the name and try again.") from None
    except OSError as exc:
        raise InvalidInput(f"Cannot read {source}: {exc.strerror}.") from None
    with f:
        identity_bytes = _read_head(f, source)
        if recovery is None:
            try:
                owner = Identity.from_bytes(identity_bytes, passphrase or "", source=f"The identity inside {source}")
            except WrongPassphrase:
                raise
            except InvalidInput:
                raise BackupError(DAMAGED.format(why="the identity file inside it is damaged")) from None
            age_identities = owner.age_identities
        else:
            age_identities = recovery.age_identities
        with environment_errors():
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.restore-", dir=target.parent))
        try:
            (staging / BUNDLES_DIR).mkdir(mode=0o700)
            unpacked = _Unpacker(staging)
            try:
                age.decrypt(list(age_identities), f, unpacked)
            except age.NoIdentityMatch:
                who = "the recovery card" if recovery is not None else "this identity"
                raise BackupError(f"This backup was not made for {who}, so it cannot be opened. "
                                  "Nothing was written.") from None
            except age.AgeError as exc:
                raise BackupError(DAMAGED.format(why=_age_why(exc))) from None
            finally:
                unpacked.close()
            manifest = _verify_manifest(unpacked, identity_bytes)
            store_key = base64.b64decode(manifest["store_key"])
            if recovery is None and (store_key != owner.store_key or owner.fingerprint != manifest["owner"]):
                raise BackupError(DAMAGED.format(why="its database key is not the identity's"))
            _write_private(staging / IDENTITY_FILE, identity_bytes)
            entries = _check_restored_database(staging, store_key, manifest)
            bundles = len(manifest["files"]) - 1
            if recovery is None:
                _check_bundles_and_record(staging, passphrase or "", manifest, now)
            _move_into_place(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return RestoreResult(profile_dir=target, owner=manifest["owner"], owner_name=PublicCard.from_json(
        manifest["owner_card"]).name, made_at=datetime.fromisoformat(manifest["made_at"]), bundles=bundles,
        audit_entries=entries)


def _age_why(exc: age.AgeError) -> str:
    if isinstance(exc, age.PayloadError) and "trunc" in str(exc).lower():
        return "it ends too early"
    return "a part of it does not match its seal"


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def _check_restored_database(staging: Path, store_key: bytes, manifest: dict[str, Any]) -> int:
    try:
        conn = connect_raw(staging / DATABASE_FILE, store_key)
    except dbapi2.DatabaseError:
        raise BackupError(DAMAGED.format(why="its database cannot be opened")) from None
    try:
        problems, entries = check_database(conn)
        if problems:
            raise BackupError(DAMAGED.format(why="; ".join(problems)))
        row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        head = {"seq": row[0], "hash": row[1]} if row else {"seq": 0, "hash": audit.GENESIS}
        if head != manifest["audit_head"]:
            raise BackupError(DAMAGED.format(why="its audit log does not end where the backup says"))
        owner = conn.execute("SELECT value FROM meta WHERE key = 'owner'").fetchone()
        if owner is None or owner[0] != manifest["owner"]:
            raise BackupError(DAMAGED.format(why="its database belongs to someone else"))
        files = {f"{BUNDLES_DIR}/{r[0]}" for r in conn.execute("SELECT file FROM bundles WHERE file != ''")}
        if files != set(manifest["files"]) - {DATABASE_FILE}:
            raise BackupError(DAMAGED.format(why="its bundles do not match its database"))
    finally:
        conn.close()
    return entries


def _check_bundles_and_record(staging: Path, passphrase: str, manifest: dict[str, Any], now: datetime | None) -> None:
    """Open the staged profile, check every bundle's signature and hashes, record the restore."""
    from panel_desk.core import bundle

    ws = open_profile(staging, passphrase)
    try:
        with ws.tx.session():
            cards = [PublicCard.from_json(r[0]) for r in ws.tx.all("SELECT card FROM cards")]
            rows = ws.tx.all("SELECT bundle_id, file, recorded_at FROM bundles WHERE file != ''")
            identity = ws.identity
        for bundle_id, name, recorded_at in rows:
            try:
                with bundle.open_bundle(staging / BUNDLES_DIR / name, identity, cards,
                                        now=datetime.fromisoformat(recorded_at)):
                    pass
            except PanelDeskError as exc:
                raise BackupError(DAMAGED.format(why=f"the stored bundle {bundle_id} does not check: {exc}")) from None
        ws.audit("profile.restore", ws.fingerprint,
                 {"made_at": manifest["made_at"], "entries": manifest["audit_head"]["seq"],
                  "bundles": len(rows)}, now=now)
    finally:
        ws.close()


def _move_into_place(staging: Path, target: Path) -> None:
    """Give the checked files their place: rename the staging folder, or move into an empty one."""
    with environment_errors():
        os.chmod(staging, 0o700)
        try:
            os.rename(staging, target)  # a new folder, or an empty one (rename replaces an empty dir)
        except OSError:
            _refuse_non_empty(target)
            for entry in sorted(staging.iterdir()):
                os.rename(entry, target / entry.name)
            with contextlib.suppress(OSError):
                staging.rmdir()
            os.chmod(target, 0o700)
            fsync_dir(target)
        fsync_dir(target.parent)

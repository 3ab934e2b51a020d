"""Sealed bundles: signed, encrypted ZIPs that carry everything between the panel's laptops.

Three verbs: :func:`seal` writes a bundle, :func:`open_bundle` verifies one completely and then
reads its files lazily, :func:`inspect` tells what can be known without keys. A bundle is an age
v1 file (readable by the reference ``age`` tool) whose plaintext is a STORED ZIP holding
``manifest.json`` (canonical JSON), ``manifest.sig`` (Ed25519 over a domain prefix and the
manifest, followed for a post-quantum signer by ML-DSA-65 over the same; both must verify) and the files the manifest lists with their SHA-256 and size. Every refusal is a
:class:`BundleError` whose message a person can act on.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import os
import tempfile
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from pydantic import BaseModel

from panel_desk.core import age
from panel_desk.core.bundle import _zip
from panel_desk.core.bundle._dates import check_dates
from panel_desk.core.bundle._errors import (
    BundleError,
    Damaged,
    Expired,
    NotAddressedToYou,
    RecipientMismatch,
    UnsafeContent,
    UnsupportedVersion,
    UntrustedSigner,
    WrongDate,
    WrongKind,
)
from panel_desk.core.bundle._manifest import (
    HANDOVER_APPLICATION_ID,
    MANIFEST_DOMAIN,
    MANIFEST_NAME,
    MAX_MANIFEST_BYTES,
    SIGNATURE_BYTES,
    SIGNATURE_NAME,
    FileEntry,
    Handover,
    Kind,
    Manifest,
    Withdrawal,
    check_payload,
    parse_raw,
    validate,
)
from panel_desk.core.errors import InvalidInput, NotFound
from panel_desk.core.files import atomic_output
from panel_desk.core.identity import (
    DUAL_SIGNATURE_BYTES,
    Identity,
    PublicCard,
    age_recipients,
    format_fingerprint,
)
from panel_desk.core.model import utcnow

__all__ = [
    "HANDOVER_APPLICATION_ID",
    "MANIFEST_DOMAIN",
    "BundleError",
    "BundleInfo",
    "Damaged",
    "Expired",
    "FileEntry",
    "Handover",
    "Kind",
    "Manifest",
    "NotAddressedToYou",
    "OpenedBundle",
    "RecipientMismatch",
    "UnsafeContent",
    "UnsupportedVersion",
    "UntrustedSigner",
    "Withdrawal",
    "WrongDate",
    "WrongKind",
    "inspect",
    "open_bundle",
    "seal",
]

MAX_RECIPIENTS = 20  # age's own limit on header stanzas
_READ_PIECE = 1 << 20
FILE_SUFFIX = ".pdbundle"

Progress = Callable[[int], None]
CancelCheck = Callable[[], bool]


# --- sealing ------------------------------------------------------------------------------------


def _media_type(path: str) -> str:
    guessed, _ = mimetypes.guess_type(path, strict=False)
    return guessed or "application/octet-stream"


def seal(kind: Kind | str, *, application_id: str, revision: int, payload: dict,
         files: Mapping[str, bytes | Path | Callable[[], BinaryIO]], signer: Identity, recipients: Sequence[PublicCard], out: Path,
         titles: Mapping[str, str] | None = None, expires_at: datetime | None = None,
         form: tuple[str, int] | None = None, now: datetime | None = None,
         progress: Progress | None = None, cancel: CancelCheck | None = None) -> Manifest:
    """Sign and encrypt a bundle of ``kind`` to ``recipients`` and write it to ``out``.

    ``files`` maps each path inside the bundle to its bytes, a file on disk, or a function that
    opens a readable binary file afresh each time it is called (a document decrypted lazily from
    another bundle): files and opened files are read twice in 1 MiB pieces, once to hash and once
    to write, and never held in memory whole. ``payload`` is the
    kind's structured content (e.g. ``Application.model_dump(mode="json")``). The signer is not a
    recipient unless listed. The ZIP streams straight into the encryptor and the ciphertext goes
    to a temporary file beside ``out`` that is renamed into place, so no plaintext touches the
    disk and ``out`` is never half-written. Returns the signed manifest.

    Raises InvalidInput (bad payload, file names, recipients…), NotFound (a missing file or
    folder) or Cancelled.
    """
    try:
        kind = Kind(kind)
    except ValueError:
        raise InvalidInput(f"'{kind}' is not a kind of bundle. Use one of: {', '.join(k.value for k in Kind)}.") from None
    recipients = list(recipients)
    if not recipients:
        raise InvalidInput("A bundle needs at least one recipient.")
    if len(recipients) > MAX_RECIPIENTS:
        raise InvalidInput(f"A bundle can be sealed for at most {MAX_RECIPIENTS} people.")
    fingerprints = [card.fingerprint for card in recipients]
    if len(set(fingerprints)) != len(fingerprints):
        raise InvalidInput("The same person is listed twice among the recipients.")
    titles = dict(titles or {})
    unknown = set(titles) - set(files)
    if unknown:
        raise InvalidInput(f"There is a title for a file that is not in the bundle: {', '.join(sorted(unknown))}.")
    if len(files) > _zip.MAX_FILES:
        raise InvalidInput(f"A bundle can hold at most {_zip.MAX_FILES} files.")
    created = (now or utcnow()).replace(microsecond=0)
    if expires_at is not None and expires_at <= created:
        raise InvalidInput("The expiry date must be in the future.")

    entries: list[FileEntry] = []
    members: list[_zip.Member] = []
    total = 0
    for name, source in files.items():
        if name in (MANIFEST_NAME, SIGNATURE_NAME):
            raise InvalidInput(f"{name} is a name Panel Desk keeps for itself. Rename that file.")
        try:
            _zip.check_name(name)
        except UnsafeContent:
            raise InvalidInput(f"{name!a} cannot be a file name in a bundle: use a relative path without "
                               "'..', with no invisible or direction-changing characters, its accents written "
                               "as single letters (Unicode NFC). Rename the file.") from None
        if not isinstance(source, bytes | bytearray | memoryview) and not callable(source):
            source = Path(source)
        sha, size, crc = _zip.digest_source(source, cancel=cancel)
        if size > _zip.MAX_FILE_SIZE:
            raise InvalidInput(f"{name} is larger than a bundle can carry ({_zip.MAX_FILE_SIZE // 1024**2} MB).")
        total += size
        if total > _zip.MAX_TOTAL_SIZE:
            raise InvalidInput(f"These files are more than a bundle can carry ({_zip.MAX_TOTAL_SIZE // 1024**2} MB).")
        entries.append(FileEntry(path=name, sha256=sha, size=size, media_type=_media_type(name),
                                 title=titles.get(name, "")))
        members.append(_zip.Member(name=name, source=source, size=size, crc=crc))
    folded = [_zip.folded(e.path) for e in entries]
    if len(set(folded)) != len(folded):
        raise InvalidInput("Two files in the bundle have the same name (ignoring capitals).")

    check_payload(kind, payload, application_id, entries, revision)
    form_id, form_version = form if form is not None else ("", 0)
    try:
        manifest = Manifest(kind=kind, bundle_id=uuid.uuid4().hex, application_id=application_id,
                            revision=revision, created_at=created, expires_at=expires_at,
                            creator=signer.fingerprint, recipients=fingerprints, form_id=form_id,
                            form_version=form_version, files=entries, payload=payload)
    except ValueError as exc:
        raise InvalidInput(f"This bundle cannot be sealed: {exc}") from None
    manifest_bytes = manifest.to_bytes()
    try:  # never write what open_bundle would refuse (e.g. a float or an oversized payload)
        validate(parse_raw(manifest_bytes))
    except BundleError:
        raise InvalidInput("This bundle cannot be sealed: its description is not in a form Panel Desk "
                           "can read back (check the payload holds only text, whole numbers and lists, no "
                           "text longer than 200,000 characters, nested at most 16 deep).") from None
    signature = signer.sign_dual(manifest_bytes, MANIFEST_DOMAIN)  # Ed25519, and ML-DSA-65 if post-quantum
    head = [_zip.Member(MANIFEST_NAME, manifest_bytes, len(manifest_bytes), _crc(manifest_bytes)),
            _zip.Member(SIGNATURE_NAME, signature, len(signature), _crc(signature))]
    source = _zip.ZipSource(head + members, created)
    # Post-quantum (hybrid) recipients when every card has one, else classic for all: never mixed.
    _write_encrypted(Path(out), age_recipients(recipients), source, progress, cancel)
    return manifest


def _crc(data: bytes) -> int:
    import zlib

    return zlib.crc32(data)


def _write_encrypted(out: Path, recipients: list, source: BinaryIO, progress: Progress | None,
                     cancel: CancelCheck | None) -> None:
    with atomic_output(out) as f, source:
        age.encrypt(recipients, source, f, progress=progress, cancel=cancel)


# --- what can be told without keys --------------------------------------------------------------


@dataclass(frozen=True)
class BundleInfo:
    """What a bundle file says about itself before anyone opens it."""

    path: Path
    size: int
    armored: bool
    recipients: int
    stanza_types: tuple[str, ...]

    @property
    def post_quantum(self) -> bool:
        """Whether every recipient key is age's post-quantum hybrid (ML-KEM-768 + X25519)."""
        return bool(self.stanza_types) and all(t == age.HYBRID_STANZA for t in self.stanza_types)

    @property
    def protection(self) -> str:
        """Which kind of encryption the bundle uses, in words."""
        return protection_words(self.stanza_types)


def protection_words(stanza_types: Sequence[str]) -> str:
    """Say in words which kind of keys a bundle with these age stanza types is sealed with."""
    kinds = set(stanza_types)
    if kinds == {age.HYBRID_STANZA}:
        return "post-quantum (ML-KEM-768 + X25519): safe against a future quantum computer"
    if kinds == {"X25519"}:
        return "classic (X25519): a future quantum computer could open a copy kept today"
    return "not the way Panel Desk seals bundles (key types: " + ", ".join(sorted(kinds)) + ")"


def inspect(path: Path) -> BundleInfo:
    """Return what can be told about the bundle at ``path`` without keys.

    Raises NotFound, or Damaged when it is not an age file at all.
    """
    path = Path(path)
    try:
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            armored = age.is_armored(f.read(64))
            f.seek(0)
            types = age.header_stanza_types(f)
    except FileNotFoundError:
        raise NotFound(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a folder, not a bundle.") from None
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror}.") from None
    except age.AgeError:
        raise Damaged("This file is not a Panel Desk bundle, or it is damaged.") from None
    return BundleInfo(path=path, size=size, armored=armored, recipients=len(types), stanza_types=tuple(types))


# --- opening ------------------------------------------------------------------------------------


class _Verifier:
    """The writable end of the full decryption: parses the ZIP, checks the manifest, hashes files.

    Each decrypted batch is parsed and hashed inside :meth:`write`, straight from the
    decryptor's buffer (no copy). ``age.decrypt`` calls ``write`` on its writer thread while it
    decrypts the next batch into its other buffer, and hashlib and the AEAD both release the GIL,
    so hashing and decryption overlap; correctness does not depend on it. Memory stays bounded
    by the decryptor's buffers.
    """

    def __init__(self, on_manifest: Callable[[bytes, bytes], Manifest]) -> None:
        self._on_manifest = on_manifest
        self._zip = _zip.ZipStreamReader(self._entry, self._data, self._end)
        self.manifest: Manifest | None = None
        self._small: dict[str, bytearray] = {}
        self._expected: list[FileEntry] = []
        self._hashers: dict[str, hashlib._Hash] = {}

    def write(self, data) -> int:
        self._zip.write(data)
        return len(data)

    def _entry(self, entry: _zip.Entry) -> None:
        index = len(self._zip.entries) - 1
        if index == 0:
            if entry.name != MANIFEST_NAME or entry.size > MAX_MANIFEST_BYTES:
                raise Damaged("This file is not a Panel Desk bundle, or it is damaged.")
            self._small[entry.name] = bytearray()
            return
        if index == 1:
            if entry.name != SIGNATURE_NAME or entry.size not in (SIGNATURE_BYTES, DUAL_SIGNATURE_BYTES):
                raise Damaged("This bundle has no valid signature. Ask the sender for a new copy.")
            self._small[entry.name] = bytearray()
            return
        files = self._expected
        if index - 2 >= len(files) or files[index - 2].path != entry.name:
            raise UnsafeContent(f"This bundle holds a file its signed list of contents does not mention "
                                f"({entry.name!r}). It has not been opened. Tell the secretariat.")
        if files[index - 2].size != entry.size:
            raise Damaged()
        self._hashers[entry.name] = hashlib.sha256()

    def _data(self, entry: _zip.Entry, view: memoryview) -> None:
        small = self._small.get(entry.name)
        if small is not None:
            small += view
        else:
            self._hashers[entry.name].update(view)

    def _end(self, entry: _zip.Entry) -> None:
        if entry.name == SIGNATURE_NAME:
            self.manifest = self._on_manifest(bytes(self._small.pop(MANIFEST_NAME)),
                                              bytes(self._small.pop(SIGNATURE_NAME)))
            self._expected = list(self.manifest.files)

    @property
    def plaintext_size(self) -> int:
        """How many decrypted bytes the ZIP reader has been given."""
        return self._zip.consumed

    def finish(self) -> list[_zip.Entry]:
        """Check the ZIP's end and every file's hash; return the entries."""
        entries = self._zip.close()
        if self.manifest is None or len(entries) != len(self._expected) + 2:
            raise Damaged()
        for expected in self._expected:
            if self._hashers[expected.path].hexdigest() != expected.sha256:
                raise Damaged()
        return entries


def _stanza_count(f: BinaryIO) -> int:
    try:
        types = age.header_stanza_types(f)
    except age.AgeError:
        raise Damaged("This file is not a Panel Desk bundle, or it is damaged.") from None
    if set(types) not in ({"X25519"}, {age.HYBRID_STANZA}):  # one kind of key, never mixed
        raise RecipientMismatch("This bundle was not sealed the way Panel Desk seals bundles. "
                                "Ask the sender for a new copy.")
    return len(types)


def _binary_source(f: BinaryIO) -> BinaryIO:
    """``f`` itself, or for a text (armored) bundle its binary ciphertext in a temporary file."""
    head = f.read(64)
    f.seek(0)
    if not age.is_armored(head):
        return f
    spool = tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024)  # noqa: SIM115 - returned open; ciphertext only
    try:
        age.dearmor(f, spool)
    except age.AgeError:
        spool.close()
        raise Damaged("This text-form bundle is damaged. Ask the sender for a new copy.") from None
    spool.seek(0)
    f.close()
    return spool


def _translate(exc: age.AgeError) -> BundleError:
    if isinstance(exc, age.NoIdentityMatch):
        return NotAddressedToYou()
    return Damaged()


def open_bundle(path: Path, identity: Identity, trusted: Sequence[PublicCard], *, now: datetime | None = None,
                expect_kind: Kind | str | None = None, progress: Progress | None = None,
                cancel: CancelCheck | None = None) -> OpenedBundle:
    """Verify the bundle at ``path`` completely, then return it open for lazy reading.

    Checks, once: that ``identity`` is a recipient; the manifest's signature; that the signer
    is one of ``trusted``; that the manifest's recipients match the file's and include the
    reader; every file's SHA-256 and size (streamed, bounded memory, hashing beside decryption);
    expiry (against ``now``), format version, kind (``expect_kind``), payload and ZIP safety.
    Afterwards reading one file decrypts only that file's chunks. Returns an
    :class:`OpenedBundle` (close it, or use ``with``).

    The manifest is checked against a bounded schema before use, and its dates against ``now``
    (nothing more than a day ahead of this computer's clock, nothing before 2016).

    Raises NotAddressedToYou, Damaged, UntrustedSigner, RecipientMismatch, Expired, WrongDate,
    UnsupportedVersion, UnsafeContent, WrongKind (all BundleError), NotFound, InvalidInput or
    Cancelled. Nothing is returned half-checked.
    """
    path = Path(path)
    now = now or utcnow()
    expected_kind = Kind(expect_kind) if expect_kind is not None else None
    trusted_by_fp = {card.fingerprint: card for card in trusted}
    reader_fp = identity.fingerprint
    try:
        f: BinaryIO = path.open("rb")
    except FileNotFoundError:
        raise NotFound(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a folder, not a bundle.") from None
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror}.") from None
    ok = False
    try:
        f = _binary_source(f)
        stanzas = _stanza_count(f)
        f.seek(0)
        signer_box: list[PublicCard] = []
        payload_box: list[BaseModel] = []

        def on_manifest(manifest_bytes: bytes, signature: bytes) -> Manifest:
            raw = parse_raw(manifest_bytes)
            creator = raw.get("creator")
            card = trusted_by_fp.get(creator) if isinstance(creator, str) else None
            if card is None:
                shown = format_fingerprint(creator) if isinstance(creator, str) and len(creator) == 32 else "unknown"
                raise UntrustedSigner(f"This bundle was signed by someone you have not been asked to trust "
                                      f"(fingerprint {shown}). Check with the secretariat before using it.")
            if not card.verify_dual(manifest_bytes, signature, MANIFEST_DOMAIN):
                raise Damaged("This file was changed after it was signed. Ask the sender for a new copy.")
            manifest = validate(raw)
            if expected_kind is not None and manifest.kind is not expected_kind:
                raise WrongKind(f"This is {manifest.kind.label.lower()}, not {expected_kind.label.lower()}.")
            if reader_fp not in manifest.recipients:
                raise RecipientMismatch("This bundle does not list you among its recipients, although "
                                        "it opens with your key. Ask the sender for a new copy.")
            if len(set(manifest.recipients)) != len(manifest.recipients) or len(manifest.recipients) != stanzas:
                raise RecipientMismatch()
            if manifest.expires_at is not None and now >= manifest.expires_at:
                raise Expired(f"This bundle expired on {manifest.expires_at:%d %B %Y}. "
                              "Ask the sender for a current copy.")
            _check_files(manifest)
            try:
                payload_box.append(check_payload(manifest.kind, manifest.payload, manifest.application_id,
                                                 list(manifest.files), manifest.revision))
            except InvalidInput as exc:
                raise Damaged(f"This bundle's content is not valid ({exc}). Ask the sender for a new copy.") from None
            check_dates(manifest.kind.label, manifest.created_at, manifest.expires_at, payload_box[-1], now)
            signer_box.append(card)
            return manifest

        verifier = _Verifier(on_manifest)
        try:
            age.decrypt(identity.age_identities, f, verifier, progress=progress, cancel=cancel)
            entries = verifier.finish()
        except age.AgeError as exc:
            raise _translate(exc) from None
        manifest = verifier.manifest
        assert manifest is not None  # finish() refuses otherwise
        try:
            reader = age.open_seekable(identity.age_identities, f)
        except age.AgeError as exc:
            raise _translate(exc) from None
        if reader.size != verifier.plaintext_size:
            raise Damaged("This bundle changed on disk while it was being opened. Open it again.")
        opened = OpenedBundle(path, f, reader, manifest, signer_box[0], payload_box[0], entries)
        ok = True
        return opened
    finally:
        if not ok:
            f.close()


def _check_files(manifest: Manifest) -> None:
    if len(manifest.files) > _zip.MAX_FILES:
        raise UnsafeContent(f"This bundle contains more than {_zip.MAX_FILES} files, more than Panel Desk "
                            "accepts. It has not been opened.")
    seen: set[str] = set()
    for entry in manifest.files:
        _zip.check_name(entry.path)
        if entry.path in (MANIFEST_NAME, SIGNATURE_NAME) or _zip.folded(entry.path) in seen:
            raise UnsafeContent(f"This bundle contains the file {entry.path!a} twice. It has not been opened.")
        seen.add(_zip.folded(entry.path))


class OpenedBundle:
    """A bundle that has been verified completely; its files are decrypted only when read.

    Not for use from several threads at once (a lock keeps reads consistent if it happens).
    """

    def __init__(self, path: Path, file: BinaryIO, reader: age.SeekableReader, manifest: Manifest,
                 signer: PublicCard, payload: BaseModel, entries: list[_zip.Entry]) -> None:
        self.path = path
        self.manifest = manifest
        self.signer = signer
        self.payload = payload  # the kind's model: Application, Response, … or Withdrawal
        self._file = file
        self._reader = reader
        self._entries = {e.name: e for e in entries[2:]}
        self._lock = threading.Lock()

    def __enter__(self) -> OpenedBundle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Drop the decrypted cache and close the file."""
        self._reader.close()
        self._file.close()

    @property
    def chunks_decrypted(self) -> int:
        """How many 64 KiB chunks lazy reads have decrypted so far (for tests and benchmarks)."""
        return getattr(self._reader, "chunks_decrypted", -1)

    def open(self, path: str) -> BinaryIO:
        """Return a read-only, seekable file over one file of the bundle.

        Raises NotFound for a path the bundle does not hold; reads raise Damaged if the file on
        disk changed since it was verified.
        """
        entry = self._entries.get(path)
        if entry is None:
            raise NotFound(f"This bundle has no file {path}.")
        return io.BufferedReader(_MemberFile(self, entry), buffer_size=age.CHUNK_SIZE)

    def read(self, path: str) -> bytes:
        """Return the bytes of one file of the bundle. Raises NotFound or Damaged."""
        entry = self._entries.get(path)
        if entry is None:
            raise NotFound(f"This bundle has no file {path}.")
        return self._read_at(entry.offset, entry.size)

    def _read_at(self, offset: int, size: int) -> bytes:
        # In 1 MiB pieces joined at the end: bytes.join releases the GIL on large joins, so a
        # window reading a 100 MB document on a worker thread never stalls for the whole copy.
        pieces: list[bytes] = []
        with self._lock:
            try:
                self._reader.seek(offset)
                left = size
                while left > 0:
                    piece = self._reader.read(min(left, _READ_PIECE))
                    if not piece:
                        break
                    pieces.append(piece)
                    left -= len(piece)
            except age.AgeError:
                raise Damaged("This bundle changed on disk after it was opened. Open it again.") from None
        if left > 0:
            raise Damaged("This bundle changed on disk after it was opened. Open it again.")
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)

    def _readinto_at(self, offset: int, buf: memoryview) -> int:
        with self._lock:
            try:
                self._reader.seek(offset)
                return self._reader.readinto(buf)
            except age.AgeError:
                raise Damaged("This bundle changed on disk after it was opened. Open it again.") from None


class _MemberFile(io.RawIOBase):
    """A window onto one STORED member of an opened bundle."""

    def __init__(self, bundle: OpenedBundle, entry: _zip.Entry) -> None:
        super().__init__()
        self._bundle = bundle
        self._entry = entry
        self._pos = 0
        self.name = entry.name

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.closed:
            raise ValueError("I/O operation on closed file.")
        mv = memoryview(buffer).cast("B")
        n = max(0, min(len(mv), self._entry.size - self._pos))
        if n == 0:
            return 0
        got = self._bundle._readinto_at(self._entry.offset + self._pos, mv[:n])
        self._pos += got
        return got

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            pos = offset
        elif whence == io.SEEK_CUR:
            pos = self._pos + offset
        elif whence == io.SEEK_END:
            pos = self._entry.size + offset
        else:
            raise ValueError(f"invalid whence {whence}")
        if pos < 0:
            raise ValueError("negative seek position")
        self._pos = pos
        return pos

    def tell(self) -> int:
        return self._pos

    def readall(self) -> bytes:
        """The rest of the file in one read (not in 8 KiB steps)."""
        if self.closed:
            raise ValueError("I/O operation on closed file.")
        n = max(0, self._entry.size - self._pos)
        data = self._bundle._read_at(self._entry.offset + self._pos, n) if n else b""
        self._pos += len(data)
        return data


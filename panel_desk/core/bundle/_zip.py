"""The bundle's ZIP container: a streaming writer and a strict streaming reader, STORED only.

The writer is a readable stream (pull), so the age encryptor can read the ZIP as it is made and
no plaintext ever touches the disk. Every member is STORED (no compression: documents are PDFs,
already compressed) with its CRC and sizes in the local header, no data descriptors, no extra
fields except ZIP64 offsets in the central directory.

The reader is fed the decrypted bytes in order (any split) and accepts only that exact shape:
local headers and data tiling the file from offset 0 with no gaps, then a central directory that
repeats every local header exactly, then the end records with no comment and nothing after them.
Anything else is :class:`UnsafeContent` or :class:`Damaged`.
"""

from __future__ import annotations

import io
import queue
import stat
import struct
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from panel_desk.core.bundle._errors import Damaged, UnsafeContent
from panel_desk.core.display import is_hidden
from panel_desk.core.errors import InvalidInput

try:  # zlib-ng's CRC-32 is about ten times the standard library's: checking every member's costs little
    from zlib_ng.zlib_ng import crc32
except ImportError:  # pragma: no cover - the same function, slower
    from zlib import crc32

# Limits (module attributes so tests can shrink them).
MAX_FILES = 1000  # files besides manifest.json and manifest.sig
MAX_FILE_SIZE = 2 * 1024**3
MAX_TOTAL_SIZE = 8 * 1024**3
MAX_NAME_BYTES = 512

_LFH = struct.Struct("<IHHHHHIIIHH")  # local file header, 30 bytes
_CDH = struct.Struct("<IHHHHHHIIIHHHHHII")  # central directory header, 46 bytes
_EOCD = struct.Struct("<IHHHHIIH")  # end of central directory, 22 bytes
_EOCD64 = struct.Struct("<IQHHIIQQQQ")  # zip64 end of central directory, 56 bytes
_LOC64 = struct.Struct("<IIQI")  # zip64 end of central directory locator, 20 bytes
_LFH_SIG, _CDH_SIG, _EOCD_SIG = 0x04034B50, 0x02014B50, 0x06054B50
_EOCD64_SIG, _LOC64_SIG = 0x06064B50, 0x07064B50
_FLAG_UTF8 = 0x0800
_VERSION = 20
_VERSION_ZIP64 = 45
_MADE_BY = (3 << 8) | _VERSION_ZIP64  # Unix
_EXTERNAL_ATTR = (0o100644 << 16)
_U32 = 0xFFFFFFFF
ZIP64_FROM = _U32  # offsets from here on are written as ZIP64 (tests lower it)
_READ_BLOCK = 1 << 20

_UNSAFE_NAME = ("This bundle contains a file with an unsafe name ({name}). It has not been opened. "
                "Tell the secretariat.")


def check_name(name: str) -> None:
    """Refuse a member name that is absolute, climbs with ``..``, or is otherwise unsafe.

    Also refused: names that are not in Unicode's composed form (NFC), so two names that look
    the same are the same name, and names holding invisible or direction-changing characters
    (U+202E and the like), which can make ``cod.exe\u202efdp`` read as a PDF. Raises UnsafeContent.
    """
    shown = ascii(name[:80])
    bad = (not name or name.startswith("/") or "\\" in name or ":" in name or name.endswith("/")
           or any(is_hidden(c) for c in name)  # control, bidi, zero-width, unassigned…
           or any(part in ("", ".", "..") for part in name.split("/"))
           or len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES)
    if bad:
        raise UnsafeContent(_UNSAFE_NAME.format(name=shown))
    if unicodedata.normalize("NFC", name) != name:
        raise UnsafeContent(f"This bundle contains a file name written in an unusual Unicode form ({shown}), "
                            "which could pass for another name. It has not been opened. Tell the secretariat.")


def folded(name: str) -> str:
    """The form in which two names count as the same (ignoring capitals and look-alike forms)."""
    return unicodedata.normalize("NFKC", name).casefold()


def _dos_time(when: datetime) -> tuple[int, int]:
    year = min(max(when.year, 1980), 2107)
    date = ((year - 1980) << 9) | (when.month << 5) | when.day
    time = (when.hour << 11) | (when.minute << 5) | (when.second // 2)
    return time, date


# --- writing -------------------------------------------------------------------------------------


# Opens a readable binary file afresh each time it is called (e.g. a document decrypted lazily from
# a stored bundle): a source that is read twice, once to measure it and once to write it, without
# ever being held in memory whole.
Opener = Callable[[], BinaryIO]
Source = bytes | Path | Opener


@dataclass
class Member:
    """One file to write: its bytes, a file on disk or an opener, with the size and CRC computed beforehand."""

    name: str
    source: Source
    size: int
    crc: int


def _open_source(source: Path | Opener) -> BinaryIO:
    """Open a file or call an opener. Raises NotFound or InvalidInput (or the opener's own error)."""
    from panel_desk.core.errors import NotFound

    if not isinstance(source, Path):
        return source()
    try:
        return source.open("rb")
    except FileNotFoundError:
        raise NotFound(f"There is no file {source}.") from None
    except OSError as exc:
        raise InvalidInput(f"Cannot read {source}: {exc.strerror}.") from None


class _Background:
    """Feeds blocks to ``fn`` on a second thread, so two digests of the same bytes overlap.

    hashlib and the CRC release the GIL on large buffers; blocks must be immutable (``bytes``).
    """

    def __init__(self, fn: Callable[[bytes], None]) -> None:
        self._fn = fn
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=8)
        self._thread = threading.Thread(target=self._run, name="bundle-digest", daemon=True)
        self._thread.start()
        self._done = False

    def _run(self) -> None:
        while (block := self._queue.get()) is not None:
            self._fn(block)

    def feed(self, block: bytes) -> None:
        self._queue.put(block)

    def finish(self) -> None:
        """Wait until every block fed so far has been digested (safe to call twice)."""
        if not self._done:
            self._done = True
            self._queue.put(None)
            self._thread.join()


def digest_source(source: Source, cancel: Callable[[], bool] | None = None) -> tuple[str, int, int]:
    """Return (sha256 hex, size, crc32) of bytes, a file or an opener's file, hashing SHA-256
    beside the CRC and reading 1 MiB at a time (never the whole file at once).

    Raises InvalidInput or NotFound for an unreadable file, Cancelled if ``cancel()`` says so.
    """
    import hashlib

    from panel_desk.core.errors import Cancelled

    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        return hashlib.sha256(data).hexdigest(), len(data), crc32(data)
    sha, crc, size = hashlib.sha256(), 0, 0
    background = _Background(sha.update)
    try:
        with _open_source(source) as f:
            while block := f.read(_READ_BLOCK):
                if cancel is not None and cancel():
                    raise Cancelled()
                background.feed(block)
                crc = crc32(block, crc)
                size += len(block)
    except OSError as exc:
        raise InvalidInput(f"Cannot read {source}: {exc.strerror}.") from None
    finally:
        background.finish()
    return sha.hexdigest(), size, crc


class ZipSource(io.RawIOBase):
    """A readable stream producing the ZIP of ``members`` in order (nothing is buffered whole).

    Files on disk are read as they are reached; a file whose size or CRC differs from what was
    measured before raises InvalidInput ("… changed while it was being sealed").
    """

    def __init__(self, members: Sequence[Member], when: datetime) -> None:
        super().__init__()
        self._pieces = self._generate(list(members), when)
        self._current = memoryview(b"")
        self._done = False

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        """Stop producing (closing files and helper threads of a seal cut short)."""
        self._pieces.close()
        super().close()

    def readinto(self, buffer) -> int:
        out = memoryview(buffer).cast("B")
        filled = 0
        while filled < len(out):
            if not self._current:
                if self._done:
                    break
                try:
                    self._current = memoryview(next(self._pieces))
                except StopIteration:
                    self._done = True
                    break
                continue
            n = min(len(self._current), len(out) - filled)
            out[filled:filled + n] = self._current[:n]
            self._current = self._current[n:]
            filled += n
        return filled

    def _generate(self, members: list[Member], when: datetime) -> Iterator[bytes]:
        time, date = _dos_time(when)
        central: list[bytes] = []
        offset = 0
        for m in members:
            name = m.name.encode("utf-8")
            if m.size > _U32 - 1:
                raise InvalidInput(f"{m.name} is too large for a bundle.")
            header = _LFH.pack(_LFH_SIG, _VERSION, _FLAG_UTF8, 0, time, date, m.crc, m.size, m.size,
                               len(name), 0) + name
            extra = b""
            stored_offset = offset
            if offset >= ZIP64_FROM:
                extra = struct.pack("<HHQ", 1, 8, offset)
                stored_offset = _U32
            central.append(_CDH.pack(_CDH_SIG, _MADE_BY, _VERSION_ZIP64 if extra else _VERSION, _FLAG_UTF8, 0,
                                     time, date, m.crc, m.size, m.size, len(name), len(extra), 0, 0, 0,
                                     _EXTERNAL_ATTR, stored_offset) + name + extra)
            yield header
            offset += len(header)
            yield from self._data(m)
            offset += m.size
        cd = b"".join(central)
        yield cd
        cd_offset, count = offset, len(members)
        if cd_offset >= ZIP64_FROM:
            eocd64_at = cd_offset + len(cd)
            yield _EOCD64.pack(_EOCD64_SIG, _EOCD64.size - 12, _MADE_BY, _VERSION_ZIP64, 0, 0, count, count,
                               len(cd), cd_offset)
            yield _LOC64.pack(_LOC64_SIG, 0, eocd64_at, 1)
            cd_offset = _U32
        yield _EOCD.pack(_EOCD_SIG, 0, 0, count, count, len(cd), cd_offset, 0)

    @staticmethod
    def _data(m: Member) -> Iterator[bytes]:
        if isinstance(m.source, bytes | bytearray | memoryview):
            yield bytes(m.source)
            return
        shown = m.source if isinstance(m.source, Path) else m.name
        changed = InvalidInput(f"{shown} changed while it was being sealed. Try again.")
        crc, size = [0], 0

        def update(block: bytes) -> None:
            crc[0] = crc32(block, crc[0])

        background = _Background(update)  # re-check the CRC beside the encryption
        try:
            with _open_source(m.source) as f:
                while block := f.read(_READ_BLOCK):
                    size += len(block)
                    if size > m.size:
                        raise changed
                    background.feed(block)
                    yield block
        except OSError as exc:
            raise InvalidInput(f"Cannot read {shown}: {exc.strerror}.") from None
        finally:
            background.finish()
        if size != m.size or crc[0] != m.crc:
            raise changed


# --- reading -------------------------------------------------------------------------------------


_DOS_DIRECTORY, _DOS_VOLUME = 0x10, 0x08


def _plain_file(external: int) -> bool:
    """Whether a central directory's external attributes describe a plain file.

    The high 16 bits are a Unix mode (as Panel Desk and Python's zipfile write them): its type
    must be a regular file (or unset) and it may not carry setuid, setgid or sticky bits; the low
    byte's MS-DOS attributes may not say folder or volume label. Symbolic links, devices, FIFOs
    and folders are refused, since an unpacking tool would create them as such.
    """
    mode = external >> 16
    kind = stat.S_IFMT(mode)
    return (kind in (0, stat.S_IFREG) and not mode & 0o7000
            and not external & (_DOS_DIRECTORY | _DOS_VOLUME))


@dataclass(frozen=True)
class Entry:
    """A member found in the ZIP: where its bytes are in the plaintext, and how many."""

    name: str
    offset: int  # of the data, in the plaintext
    size: int
    crc: int
    header_offset: int
    dos_time: int
    dos_date: int


_NOT_BUNDLE = "This file is damaged or is not a Panel Desk bundle. Ask the sender for a new copy."


@dataclass
class _Pending:
    """A local header being collected across writes."""

    need: int
    buf: bytearray = field(default_factory=bytearray)


class ZipStreamReader:
    """Checks a STORED ZIP fed to :meth:`write` in order, calling back for each member's bytes.

    ``on_entry(entry)`` is called when a member's local header has been read (raise to refuse
    it); ``on_data(entry, view)`` receives consecutive slices of its data (``view`` is only
    valid during the call); ``on_end(entry)`` when its data is complete. :meth:`close` checks
    the central directory and end records and returns the entries.
    """

    def __init__(self, on_entry: Callable[[Entry], None], on_data: Callable[[Entry, memoryview], None],
                 on_end: Callable[[Entry], None]) -> None:
        self._on_entry, self._on_data, self._on_end = on_entry, on_data, on_end
        self.entries: list[Entry] = []
        self._names: set[str] = set()
        self._position = 0  # bytes consumed so far
        self._header = bytearray()  # a local header being collected
        self._entry: Entry | None = None  # whose data is streaming
        self._remaining = 0
        self._tail: bytearray | None = None  # central directory onwards
        self._total = 0
        self._crc = 0  # of the member whose data is streaming
        max_cd = (MAX_FILES + 2) * (_CDH.size + MAX_NAME_BYTES + 12)
        self._max_tail = max_cd + _EOCD64.size + _LOC64.size + _EOCD.size

    # the writable side --------------------------------------------------------------------------

    def write(self, data) -> int:
        view = memoryview(data).cast("B")
        n = len(view)
        while view:
            if self._tail is not None:
                if len(self._tail) + len(view) > self._max_tail:
                    raise UnsafeContent("This bundle has more data after its contents than it should. "
                                        "It has not been opened. Tell the secretariat.")
                self._tail += view
                break
            if self._entry is not None:
                take = min(self._remaining, len(view))
                piece = view[:take]
                self._crc = crc32(piece, self._crc)
                self._on_data(self._entry, piece)
                self._remaining -= take
                self._position += take
                view = view[take:]
                if self._remaining == 0:
                    entry, self._entry = self._entry, None
                    self._check_crc(entry)
                    self._on_end(entry)
                continue
            view = self._collect_header(view)
        return n

    def _collect_header(self, view: memoryview) -> memoryview:
        header = self._header
        if len(header) < 4:
            take = min(4 - len(header), len(view))
            header += view[:take]
            view = view[take:]
            if len(header) < 4:
                return view
            sig = int.from_bytes(header[:4], "little")
            if sig == _CDH_SIG:
                self._tail = bytearray(header)
                header.clear()
                return view
            if sig != _LFH_SIG:
                raise Damaged(_NOT_BUNDLE)
        if len(header) < _LFH.size:
            take = min(_LFH.size - len(header), len(view))
            header += view[:take]
            view = view[take:]
            if len(header) < _LFH.size:
                return view
        fields = _LFH.unpack_from(header)
        name_len, extra_len = fields[9], fields[10]
        if name_len > MAX_NAME_BYTES:
            raise UnsafeContent(_UNSAFE_NAME.format(name="too long"))
        full = _LFH.size + name_len + extra_len
        take = min(full - len(header), len(view))
        header += view[:take]
        view = view[take:]
        if len(header) == full:
            self._start_entry(bytes(header))
            header.clear()
        return view

    def _start_entry(self, header: bytes) -> None:
        (_sig, _version, flags, method, dos_time, dos_date, crc, csize, usize, name_len,
         extra_len) = _LFH.unpack_from(header)
        if method != 0:
            raise UnsafeContent("This bundle contains compressed files, which Panel Desk does not accept. "
                                "It has not been opened. Tell the secretariat.")
        if flags not in (0, _FLAG_UTF8) or extra_len != 0 or csize != usize:
            raise UnsafeContent("This bundle's contents are not laid out as Panel Desk writes them. "
                                "It has not been opened. Tell the secretariat.")
        try:
            name = header[_LFH.size:_LFH.size + name_len].decode("utf-8")
        except UnicodeDecodeError:
            raise UnsafeContent(_UNSAFE_NAME.format(name="not UTF-8")) from None
        check_name(name)
        same = folded(name)
        if same in self._names:
            raise UnsafeContent(f"This bundle contains the file {name!r} twice. It has not been opened. "
                                "Tell the secretariat.")
        if len(self.entries) >= MAX_FILES + 2:
            raise UnsafeContent(f"This bundle contains more than {MAX_FILES} files, more than Panel Desk "
                                "accepts. It has not been opened.")
        if usize > MAX_FILE_SIZE:
            raise UnsafeContent(f"The file {name!r} in this bundle is larger than Panel Desk accepts "
                                f"({MAX_FILE_SIZE // 1024**2} MB). It has not been opened.")
        self._total += usize
        if self._total > MAX_TOTAL_SIZE:
            raise UnsafeContent(f"This bundle holds more than {MAX_TOTAL_SIZE // 1024**2} MB, more than "
                                "Panel Desk accepts. It has not been opened.")
        self._names.add(same)
        header_offset = self._position
        self._position += len(header)
        entry = Entry(name=name, offset=self._position, size=usize, crc=crc, header_offset=header_offset,
                      dos_time=dos_time, dos_date=dos_date)
        self.entries.append(entry)
        self._on_entry(entry)
        self._crc = 0
        if usize == 0:
            self._check_crc(entry)
            self._on_end(entry)
        else:
            self._entry, self._remaining = entry, usize

    def _check_crc(self, entry: Entry) -> None:
        if self._crc != entry.crc:
            raise Damaged(f"The file {entry.name!r} in this bundle is damaged (its check value does not "
                          "match). Ask the sender for a new copy.")

    @property
    def consumed(self) -> int:
        """How many bytes have been written so far."""
        return self._position + len(self._header) + (len(self._tail) if self._tail is not None else 0)

    # the end ------------------------------------------------------------------------------------

    def close(self) -> list[Entry]:
        """Check the central directory and end records; return the entries.

        Raises Damaged (truncated, or not a bundle) or UnsafeContent (a central directory that
        does not describe exactly the members read, trailing data, a comment).
        """
        if self._entry is not None or self._header or self._tail is None:
            raise Damaged(_NOT_BUNDLE)
        tail = bytes(self._tail)
        cd_offset = self._position
        mismatch = UnsafeContent("This bundle's table of contents does not match its contents. "
                                 "It has not been opened. Tell the secretariat.")
        if len(tail) < _EOCD.size:
            raise Damaged(_NOT_BUNDLE)
        (sig, disk, cd_disk, on_disk, count, cd_size, cd_off32, comment_len) = _EOCD.unpack_from(tail, len(tail) - _EOCD.size)
        if sig != _EOCD_SIG or disk or cd_disk or comment_len or on_disk != count:
            raise mismatch
        end_of_cd = len(tail) - _EOCD.size
        if cd_off32 == _U32:
            end_of_cd -= _EOCD64.size + _LOC64.size
            if end_of_cd < 0:
                raise mismatch
            (sig64, rec_size, _made, _need, d64, cd64_disk, on64, count64, cd_size64,
             cd_off64) = _EOCD64.unpack_from(tail, end_of_cd)
            (sigl, ldisk, eocd64_at, disks) = _LOC64.unpack_from(tail, end_of_cd + _EOCD64.size)
            if (sig64 != _EOCD64_SIG or rec_size != _EOCD64.size - 12 or d64 or cd64_disk or on64 != count64
                    or sigl != _LOC64_SIG or ldisk or disks != 1 or eocd64_at != cd_offset + end_of_cd
                    or count64 != count or cd_size64 != cd_size or cd_off64 != cd_offset or cd_offset < ZIP64_FROM):
                raise mismatch
        elif cd_off32 != cd_offset or cd_offset >= ZIP64_FROM:
            raise mismatch
        if cd_size != end_of_cd or count != len(self.entries):
            raise mismatch
        pos = 0
        for entry in self.entries:
            if pos + _CDH.size > end_of_cd:
                raise mismatch
            (sig, _made, _need, flags, method, dos_time, dos_date, crc, csize, usize, name_len, extra_len,
             comment_len, disk_start, _internal, external, offset32) = _CDH.unpack_from(tail, pos)
            pos += _CDH.size
            name = tail[pos:pos + name_len]
            pos += name_len
            extra = tail[pos:pos + extra_len]
            pos += extra_len
            offset = offset32
            if offset32 == _U32:
                if len(extra) != 12 or struct.unpack_from("<HH", extra) != (1, 8):
                    raise mismatch
                (offset,) = struct.unpack_from("<Q", extra, 4)
                if offset < ZIP64_FROM:
                    raise mismatch
            elif extra or offset >= ZIP64_FROM:
                raise mismatch
            if not _plain_file(external):
                raise UnsafeContent(f"This bundle marks the file {entry.name!r} as something other than a "
                                    "plain file (a link or a program, say). It has not been opened. "
                                    "Tell the secretariat.")
            if (sig != _CDH_SIG or flags not in (0, _FLAG_UTF8) or method != 0 or comment_len or disk_start
                    or crc != entry.crc or csize != entry.size or usize != entry.size
                    or dos_time != entry.dos_time or dos_date != entry.dos_date
                    or name != entry.name.encode("utf-8") or offset != entry.header_offset):
                raise mismatch
        if pos != end_of_cd:
            raise mismatch
        return list(self.entries)

"""Showing a PDF without letting it take the caller down: PDFium in a child process behind a pipe.

QtPdf cannot be interrupted: ``QPdfDocument.load`` spins for ever on a page tree that lists
itself, and a crash in PDFium is a crash of the window. So the member's viewer asks a small
renderer process (:mod:`panel_desk.core._pdfserver`) to load, render, select and find, each with
a time limit; a request that overruns kills the process and the document is reported as one
that could not be shown, with the reason. The decrypted document goes through the pipe, never
through a file, and the renderer may not write files at all.

Every call may raise :class:`RenderFailed`; after one, the renderer is closed and a new
``load`` starts a fresh process. Calls are serialised by a lock, so one renderer may be used
from a worker thread (loading, rendering) and from the GUI thread (selection) alike.
"""

from __future__ import annotations

import array
import contextlib
import json
import os
import re
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from panel_desk.core.errors import PanelDeskError

MB = 1024 * 1024
Rect = tuple[float, float, float, float]  # page points, origin top-left: x0, y0, x1, y1


class RenderFailed(PanelDeskError):
    """The document could not be shown; the message says why in words."""


class RendererBusy(RenderFailed):
    """Another request holds the renderer (a quick call gave up waiting); nothing is broken."""


@dataclass(frozen=True)
class DocumentInfo:
    pages: int
    sizes: list[tuple[float, float]]  # points, per page
    widths: list[float] = field(default_factory=list)  # the same, one list per axis
    heights: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Bitmap:
    """A rendered page: ``data`` is rows of 4-byte BGRx pixels, ``stride`` bytes apart."""

    width: int
    height: int
    stride: int
    data: bytes


@dataclass(frozen=True)
class _Stream:
    """A file sent as a request's blob, read as it goes."""

    file: BinaryIO
    size: int

    def __len__(self) -> int:
        return self.size


def child_command(module: str) -> list[str]:
    """The command that runs ``module`` as a child of this program (the frozen build runs itself)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--child-process", module]
    return [sys.executable, "-I", "-m", module]


def find_pattern(query: str) -> re.Pattern[str] | None:
    """``query`` as a pattern: any case, any run of spaces or line breaks between its words (a
    phrase may wrap in the PDF), and a straight apostrophe matching a curly one."""
    parts = query.split()
    if not parts:
        return None
    words = ("".join("['\u2019]" if c in "'\u2019" else re.escape(c) for c in p) for p in parts)
    return re.compile(r"\s+".join(words), re.IGNORECASE)


class PdfRenderer:
    """One renderer process at a time, started afresh by each :meth:`load` with an address-space
    limit of ``memory`` plus three times the document."""

    def __init__(self, *, memory: int = 1024 * MB, load_seconds: float = 20.0, call_seconds: float = 10.0) -> None:
        self.memory = memory
        self.load_seconds = load_seconds
        self.call_seconds = call_seconds
        self._proc: subprocess.Popen | None = None  # guarded by _lock
        self._lock = threading.Lock()
        self.info: DocumentInfo | None = None
        self.find_complete = True

    # -- process ----------------------------------------------------------------------------------

    def _start(self, memory: int) -> subprocess.Popen:
        proc = subprocess.Popen([*child_command("panel_desk.core._pdfserver"), str(memory)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                close_fds=True, bufsize=0)
        os.set_blocking(proc.stdin.fileno(), False)
        os.set_blocking(proc.stdout.fileno(), False)
        return proc

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        self.info = None
        if proc is None:
            return
        with contextlib.suppress(OSError):
            proc.kill()
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            proc.wait(2)
        for f in (proc.stdin, proc.stdout):
            with contextlib.suppress(OSError):
                f.close()

    def close(self) -> None:
        """End the renderer process (it holds the decrypted document in memory). Never waits for a
        request in progress: that request fails at once instead."""
        proc = self._proc
        if proc is not None:
            with contextlib.suppress(OSError):
                proc.kill()
        if self._lock.acquire(timeout=0):
            try:
                self._kill()
            finally:
                self._lock.release()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    # -- framing ----------------------------------------------------------------------------------

    def _write(self, fd: int, data: bytes | memoryview, deadline: float, progress, total: int, what: str) -> None:
        view = memoryview(data)
        sent = 0
        while sent < len(view):
            left = deadline - time.monotonic()
            if left <= 0:
                raise RenderFailed(f"{what} took longer than the time allowed.")
            _r, w, _x = select.select([], [fd], [], min(left, 0.25))
            if not w:
                continue
            try:
                sent += os.write(fd, view[sent: sent + MB])
            except BlockingIOError:
                continue
            except (BrokenPipeError, OSError):
                raise RenderFailed(self._death_words()) from None
            if progress is not None and total:
                progress(sent, total)

    def _read(self, fd: int, n: int, deadline: float, what: str) -> bytes:
        out = bytearray()
        while len(out) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RenderFailed(f"{what} took longer than the time allowed.")
            r, _w, _x = select.select([fd], [], [], min(left, 0.25))
            if not r:
                continue
            try:
                block = os.read(fd, min(n - len(out), 4 * MB))
            except BlockingIOError:
                continue
            if not block:
                raise RenderFailed(self._death_words())
            out += block
        return bytes(out)

    def _death_words(self) -> str:
        proc = self._proc
        code = proc.poll() if proc is not None else None
        if code is not None and code < 0:
            return "The program that shows documents stopped on it (it may be damaged or need too much memory)."
        return "The program that shows documents stopped unexpectedly."

    def _call(self, header: dict, blob: bytes | _Stream = b"", *, seconds: float, what: str, progress=None,
              wait: float | None = None) -> tuple[dict, bytes]:
        if not self._lock.acquire(timeout=-1 if wait is None else wait):
            raise RendererBusy("The document is busy; try again in a moment.")
        try:
            if self._proc is None:
                raise RenderFailed("No document is open.")
            deadline = time.monotonic() + seconds
            raw = json.dumps(dict(header, blob=len(blob))).encode("utf-8")
            try:
                self._write(self._proc.stdin.fileno(), struct.pack(">I", len(raw)) + raw, deadline, None, 0, what)
                if isinstance(blob, _Stream):  # read (decrypted) and sent a megabyte at a time
                    sent = 0
                    while sent < len(blob):
                        block = blob.file.read(min(MB, len(blob) - sent))
                        if not block:
                            raise RenderFailed("The document ended sooner than expected.")
                        self._write(self._proc.stdin.fileno(), block, deadline, None, 0, what)
                        sent += len(block)
                        if progress is not None:
                            progress(sent, len(blob))
                elif blob:
                    self._write(self._proc.stdin.fileno(), blob, deadline, progress, len(blob), what)
                fd = self._proc.stdout.fileno()
                (n,) = struct.unpack(">I", self._read(fd, 4, deadline, what))
                if n > 16 * MB:
                    raise RenderFailed("The program that shows documents answered with something unexpected.")
                reply = json.loads(self._read(fd, n, deadline, what))
                size = int(reply.get("blob", 0))
                if size > 1024 * MB:
                    raise RenderFailed("The program that shows documents answered with something unexpected.")
                data = self._read(fd, size, deadline, what) if size else b""
            except RenderFailed:
                self._kill()
                raise
            except (ValueError, TypeError):
                self._kill()
                raise RenderFailed("The program that shows documents answered with something unexpected.") from None
            if "error" in reply:
                raise RenderFailed(str(reply["error"]))
            return reply, data
        finally:
            self._lock.release()

    # -- verbs ------------------------------------------------------------------------------------

    def load(self, data: bytes | BinaryIO, *, progress: Callable[[int, int], None] | None = None) -> DocumentInfo:
        """Open ``data`` (bytes, or a readable, seekable file such as a document decrypted lazily
        from its sealed bundle, streamed to the renderer as it is read) in a new renderer process.
        Returns its pages and their sizes in points. Raises RenderFailed (it did not open within
        the time allowed, or PDFium could not read it)."""
        if isinstance(data, bytes | bytearray | memoryview):
            blob: bytes | _Stream = bytes(data)
        else:
            here = data.tell()
            blob = _Stream(data, data.seek(0, 2) - here)
            data.seek(here)
        with self._lock:  # a fresh process each time: its memory limit fits this document
            self._kill()
            self._proc = self._start(self.memory + 3 * len(blob))
        seconds = self.load_seconds + len(blob) / (50 * MB)
        reply, raw = self._call({"op": "load"}, blob, seconds=seconds, what="Opening the document",
                                progress=progress)
        try:
            pages = int(reply["pages"])
            flat = array.array("d")
            flat.frombytes(raw)
            if len(flat) != 2 * pages:
                raise ValueError("sizes")
            widths, heights = flat[0::2].tolist(), flat[1::2].tolist()
            info = DocumentInfo(pages, list(zip(widths, heights, strict=True)), widths, heights)
        except (KeyError, ValueError, TypeError):
            self.close()
            raise RenderFailed("The program that shows documents answered with something unexpected.") from None
        if info.pages <= 0:
            raise RenderFailed("It has no pages.")
        self.info = info
        return info

    def render(self, page: int, width: int, height: int, *, wait: float | None = None,
               seconds: float | None = None) -> Bitmap:
        """Page ``page`` (0-based) drawn to fit ``width`` × ``height`` pixels. Raises RenderFailed."""
        reply, data = self._call({"op": "render", "page": page, "width": width, "height": height},
                                 seconds=seconds or self.call_seconds, what=f"Drawing page {page + 1}", wait=wait)
        return Bitmap(int(reply["width"]), int(reply["height"]), int(reply["stride"]), data)

    def text(self, page: int, *, wait: float | None = None, seconds: float | None = None) -> str:
        """The text of ``page`` as PDFium orders it (indexes match :meth:`select_index`)."""
        reply, _ = self._call({"op": "text", "page": page}, seconds=seconds or self.call_seconds,
                              what=f"Reading page {page + 1}", wait=wait)
        return str(reply["text"])

    def select(self, page: int, start: tuple[float, float], end: tuple[float, float], *,
               wait: float | None = None, seconds: float | None = None) -> tuple[str, list[Rect]]:
        """The text between two points of ``page`` (in points, origin top-left) and its rects."""
        reply, _ = self._call({"op": "select", "page": page, "start": list(start), "end": list(end)},
                              seconds=seconds or self.call_seconds, what="Selecting text", wait=wait)
        return str(reply["text"]), [tuple(r) for r in reply["rects"]]

    def select_index(self, page: int, start: int, length: int, *,
                     wait: float | None = None, seconds: float | None = None) -> tuple[str, list[Rect]]:
        """The text of ``length`` characters from ``start`` on ``page`` and its rects."""
        reply, _ = self._call({"op": "select_index", "page": page, "start": start, "length": length},
                              seconds=seconds or self.call_seconds, what="Selecting text", wait=wait)
        return str(reply["text"]), [tuple(r) for r in reply["rects"]]

    def find(self, query: str, *, limit: int = 5000, seconds: float | None = None,
             wait: float | None = None) -> list[tuple[int, str, str, list[Rect]]]:
        """Every occurrence of ``query`` in the document (see :func:`find_pattern`), in order:
        (page, the words as the document has them, the text around them, their rects). The search
        stops early, with what it found, after most of ``seconds`` or ``limit`` matches
        (``find_complete`` is then False), so a long document does not cost the renderer."""
        pattern = find_pattern(query)
        if pattern is None:
            return []
        seconds = seconds or self.call_seconds
        reply, _ = self._call({"op": "find", "pattern": pattern.pattern, "limit": limit, "budget": seconds * 0.6},
                              seconds=seconds, what="Finding text", wait=wait)
        self.find_complete = bool(reply.get("complete", True))
        return [(int(p), str(f), str(s), [tuple(r) for r in rects]) for p, f, s, rects in reply["matches"]]

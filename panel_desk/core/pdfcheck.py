"""Checking a PDF before it is kept: parsed with limits, in a child process that can be killed.

A signed bundle proves who sent a document, not that it is sane. Before a PDF is recorded (at
import, and when the secretariat records an application) it is parsed in a separate Python
process with a memory and CPU limit of its own (``resource.setrlimit``) and a wall-clock
deadline, and refused in words when it exceeds the limits below: pages, objects, nesting depth,
unpacked bytes per stream and in all, image size. The same process then extracts each page's text
(PDFium), so a document that hangs or crashes PDFium costs a killed child, never the caller.

The document reaches the child through a pipe: no temporary file ever exists, and the child may
not write files at all (``RLIMIT_FSIZE`` is 0).
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import BinaryIO

from panel_desk.core.errors import Cancelled, InvalidInput

MB = 1024 * 1024
_FEED_CHUNK = 1 << 20


@dataclass(frozen=True)
class Limits:
    """What one document may hold. The defaults suit application documents of up to 512 MB."""

    pages: int = 10_000
    objects: int = 2_000_000
    depth: int = 100  # arrays and dictionaries inside one another
    stream_bytes: int = 512 * MB  # one stream, unpacked
    total_bytes: int = 2048 * MB  # every stream, unpacked
    image_pixels: int = 250_000_000  # one image's width × height
    seconds: float = 60.0  # wall-clock, plus a second per 10 MB of document
    memory: int = 1536 * MB  # address space of the checking process, plus three times the document
    text_chars: int = 200_000  # a page with more text than this is cut (it is only for finding pages)

    def deadline(self, size: int) -> float:
        return self.seconds + size / (10 * MB)

    def address_space(self, size: int) -> int:
        return self.memory + 3 * size


DEFAULT_LIMITS = Limits()


class UnsafeDocument(InvalidInput):
    """A PDF that exceeds a limit, loops, or cannot be checked in time or memory. The message says
    why in words; callers add which document and what happens next."""


@dataclass(frozen=True)
class CheckedPdf:
    """What the check found: ``readable`` is False for a file the parser cannot make sense of
    (kept, as before, but it cannot be searched); ``texts`` is each page's text, page 1 first."""

    readable: bool
    pages: int
    texts: list[str]


def check_pdf(source: bytes | BinaryIO, *, limits: Limits = DEFAULT_LIMITS,
              cancel: Callable[[], bool] | None = None, extract_text: bool = True) -> CheckedPdf:
    """Check the PDF in ``source`` (bytes, or a readable binary file read from where it stands)
    in a child process, and extract its text. Returns a CheckedPdf.

    Raises UnsafeDocument with the reason in words, or Cancelled when ``cancel()`` becomes true
    (the child is killed at once).
    """
    if isinstance(source, bytes | bytearray | memoryview):
        size = len(source)
        data: bytes | None = bytes(source)
    else:
        data = None
        try:
            here = source.tell()
            size = source.seek(0, os.SEEK_END) - here
            source.seek(here)
        except (OSError, AttributeError):
            size = 0
    if size == 0 and data is not None:
        return CheckedPdf(False, 0, [])
    if cancel is not None and cancel():
        raise Cancelled()
    settings = dict(asdict(limits), size=size, extract_text=extract_text,
                    address_space=limits.address_space(size))
    from panel_desk.core import _pdfchild

    ours, theirs = _context().Pipe()
    proc = _context().Process(target=_pdfchild.serve, args=(theirs, settings), daemon=True,
                              name="panel-desk-pdfcheck")
    with _START_LOCK, _main_module_hidden():
        proc.start()
    theirs.close()
    output: list[bytes] = []
    failure: list[BaseException] = []

    def feed() -> None:
        try:
            if data is not None:
                for at in range(0, len(data), _FEED_CHUNK):
                    ours.send_bytes(data, at, min(_FEED_CHUNK, len(data) - at))
            else:
                while block := source.read(_FEED_CHUNK):
                    ours.send_bytes(block)
            ours.send_bytes(b"")
        except (BrokenPipeError, OSError, ValueError):
            pass  # the child stopped reading: its answer says why
        except Exception as exc:  # reading the source failed (a damaged bundle): raised below
            failure.append(exc)

    feeder = threading.Thread(target=feed, daemon=True, name="pdfcheck-feed")
    feeder.start()
    deadline = time.monotonic() + limits.deadline(size)
    try:
        while True:
            if cancel is not None and cancel():
                raise Cancelled()
            if failure:
                raise failure[0]
            try:
                if ours.poll(0.05):
                    output.append(ours.recv_bytes(64 * MB + limits.pages * limits.text_chars * 4))
                    break
            except (EOFError, OSError):
                break  # the child died: its exit code says how
            if not proc.is_alive() and not ours.poll(0):
                break
            if time.monotonic() > deadline:
                raise UnsafeDocument(f"This document took longer than {round(limits.deadline(size))} seconds to "
                                     "check, so it cannot be opened safely.")
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        exitcode = proc.exitcode
        ours.close()
        feeder.join(5)
        proc.close()
    answer = _answer(output[0] if output else b"")
    if answer is None:  # stopped by its own limits: the CPU limit (SIGXCPU), or memory (abort, segfault)
        if exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
            raise UnsafeDocument(f"This document took longer than {round(limits.deadline(size))} seconds to "
                                 "check, so it cannot be opened safely.")
        raise UnsafeDocument(_memory_words(limits, size))
    if answer.get("refused"):
        raise UnsafeDocument(str(answer["refused"]))
    if answer.get("memory"):
        raise UnsafeDocument(_memory_words(limits, size))
    texts = [str(t) for t in answer.get("texts", [])]
    return CheckedPdf(bool(answer.get("readable")), int(answer.get("pages", 0)), texts)


_CONTEXT = None
_START_LOCK = threading.Lock()


@contextlib.contextmanager
def _main_module_hidden():
    """While a check process starts, hide the program's main script from multiprocessing, which
    would otherwise import it again in the child (pytest, a benchmark, the window's launcher):
    hundreds of milliseconds per document, and a script without a ``__main__`` guard would run."""
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    saved = {k: main.__dict__[k] for k in ("__file__", "__spec__") if k in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__dict__["__spec__"] = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


def _context():
    """A fork server that has already imported the parsers: each check forks from it in a few
    milliseconds instead of starting Python (a clean process with no threads and no Qt)."""
    global _CONTEXT
    if _CONTEXT is None:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["panel_desk.core._pdfchild", "pikepdf", "pypdfium2"])
        _CONTEXT = ctx
    return _CONTEXT


def _memory_words(limits: Limits, size: int) -> str:
    return (f"This document needs more memory than Panel Desk allows for checking one document "
            f"({limits.address_space(size) // MB:,} MB), so it cannot be opened safely.")


def _answer(raw: bytes) -> dict | None:
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return answer if isinstance(answer, dict) else None


def check_files(files: dict[str, os.PathLike | str], *, limits: Limits = DEFAULT_LIMITS) -> None:
    """Check each PDF of an application folder before it is sealed (``files`` maps each document's
    path in the application to its file). Raises UnsafeDocument naming the first that fails."""
    for path, file in files.items():
        with open(file, "rb") as f:
            try:
                check_pdf(f, limits=limits, extract_text=False)
            except UnsafeDocument as exc:
                raise UnsafeDocument(f"{path} cannot be sealed: {exc} Replace it with a sound copy.") from None

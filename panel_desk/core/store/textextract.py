"""The text of each page of a PDF, for search, read only after the PDF passed its checks.

The parsing runs in a child process with limits (:mod:`panel_desk.core.pdfcheck`), fed from
memory or from a file object through a pipe: never a temporary file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from panel_desk.core.pdfcheck import DEFAULT_LIMITS, UnsafeDocument, check_pdf

MAX_PAGES = DEFAULT_LIMITS.pages
MAX_PAGE_CHARS = DEFAULT_LIMITS.text_chars


def pdf_pages(source: bytes | BinaryIO, *, cancel: Callable[[], bool] | None = None) -> list[str]:
    """Return the text of every page of the PDF in ``source`` (bytes, or a readable, seekable binary
    file such as a document opened lazily from a sealed bundle), page 1 first.

    A file object is streamed to the checking process, so a large document is never copied whole
    here. A document the parser cannot read at all gives an empty list (it is still kept; it just
    cannot be searched). Raises UnsafeDocument (an InvalidInput) with the reason in words when the
    document exceeds a limit (pages, nesting, unpacked size, time, memory), naming the file when
    ``source`` is a named file; Cancelled when ``cancel()`` becomes true.
    """
    if isinstance(source, bytes | bytearray | memoryview) and not source:
        return []
    try:
        return check_pdf(source, cancel=cancel).texts
    except UnsafeDocument as exc:
        name = getattr(source, "name", None)
        if isinstance(name, str) and name:
            raise UnsafeDocument(f"{Path(name).name}: {exc}") from None
        raise

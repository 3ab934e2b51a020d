"""The text of each page of a PDF, for search (pypdfium2, from memory: never a temporary file)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import BinaryIO

from panel_desk.core.errors import Cancelled

MAX_PAGES = 10_000
MAX_PAGE_CHARS = 200_000  # a page with more text than this is cut (it is only for finding pages)


def pdf_pages(source: bytes | BinaryIO, *, cancel: Callable[[], bool] | None = None) -> list[str]:
    """Return the text of every page of the PDF in ``source`` (bytes, or a readable, seekable binary
    file such as a document opened lazily from a sealed bundle), page 1 first.

    A file object is read by PDFium as it needs it, so a large document is never copied whole.
    A document PDFium cannot read gives an empty list (it is still kept; it just cannot be
    searched). Raises Cancelled when ``cancel()`` becomes true.
    """
    import pypdfium2 as pdfium

    if isinstance(source, bytes | bytearray | memoryview):
        if not source:
            return []
        source = io.BytesIO(source)
    try:
        pdf = pdfium.PdfDocument(source)  # read through callbacks: never a temporary file
    except pdfium.PdfiumError:
        return []
    texts: list[str] = []
    try:
        for index in range(min(len(pdf), MAX_PAGES)):
            if cancel is not None and cancel():
                raise Cancelled()
            texts.append(_page_text(pdf, index))
    finally:
        pdf.close()
    return texts


def _page_text(pdf, index: int) -> str:
    import pypdfium2 as pdfium

    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        return ""
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
        finally:
            textpage.close()
    except pdfium.PdfiumError:
        text = ""
    finally:
        page.close()
    return text.replace("\r\n", "\n").replace("\x00", "")[:MAX_PAGE_CHARS]

"""The text of each page of a PDF, for search (pypdfium2, from memory: never a temporary file)."""

from __future__ import annotations

from collections.abc import Callable

from panel_desk.core.errors import Cancelled

MAX_PAGES = 10_000
MAX_PAGE_CHARS = 200_000  # a page with more text than this is cut (it is only for finding pages)


def pdf_pages(data: bytes, *, cancel: Callable[[], bool] | None = None) -> list[str]:
    """Return the text of every page of the PDF in ``data``, page 1 first.

    A document PDFium cannot read gives an empty list (it is still kept; it just cannot be
    searched). Raises Cancelled when ``cancel()`` becomes true.
    """
    import pypdfium2 as pdfium

    if not data:
        return []
    try:
        pdf = pdfium.PdfDocument(bytes(data))  # bytes: PDFium reads from memory
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

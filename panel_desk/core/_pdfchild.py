"""The child process of :mod:`panel_desk.core.pdfcheck`: limits itself, reads a PDF on stdin, checks it.

It answers with one JSON object on stdout: ``{"refused": words}``, ``{"memory": true}`` or
``{"readable": bool, "pages": n, "texts": [...]}``. It never writes a file (``RLIMIT_FSIZE`` 0).
"""

from __future__ import annotations

import io
import json
import resource
import sys
import zlib

MB = 1024 * 1024
_IMAGE_CODECS = {"/DCTDecode", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode"}


class Refusal(Exception):
    pass


def _limit_self(settings: dict) -> None:
    cpu = int(settings["seconds"] + settings["size"] / (10 * MB)) + 5
    for what, value in ((resource.RLIMIT_AS, int(settings["address_space"])), (resource.RLIMIT_CPU, cpu),
                        (resource.RLIMIT_FSIZE, 0), (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(what, (value, value))


def _read_input(settings: dict) -> bytes:
    cap = max(int(settings["size"]), 0) + MB if settings["size"] else 600 * MB
    return sys.stdin.buffer.read(cap)


def _inflated_size(raw: bytes, most: int) -> int:
    """Bytes a Flate stream unpacks to, counted without ever holding more than 1 MB of it; stops
    counting once past ``most``. A damaged stream counts what it gave before the damage."""
    d = zlib.decompressobj()
    total = 0
    data = raw
    try:
        while data and total <= most:
            total += len(d.decompress(data, MB))
            data = d.unconsumed_tail
            if d.eof:
                break
    except zlib.error:
        pass
    return total


def _words_mb(n: int) -> str:
    return f"{n // MB:,} MB"


def check(data: bytes, settings: dict) -> dict:
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as exc:
        if "loop" in str(exc).lower():
            raise Refusal("This document's list of pages refers back to itself, so it cannot be opened "
                          "safely.") from None
        return {"readable": False, "pages": 0, "texts": []}
    with pdf:
        pages = len(pdf.pages)
        if pages > settings["pages"]:
            raise Refusal(f"This document has {pages:,} pages; Panel Desk opens documents of up to "
                          f"{settings['pages']:,} pages.")
        objects = pdf.objects
        if len(objects) > settings["objects"]:
            raise Refusal(f"This document is made of {len(objects):,} parts; Panel Desk opens documents of up "
                          f"to {settings['objects']:,} parts.")
        total = 0
        for obj in objects:
            _check_depth(obj, settings["depth"], pikepdf)
            if isinstance(obj, pikepdf.Stream):
                total += _check_stream(obj, settings, pikepdf)
                if total > settings["total_bytes"]:
                    raise Refusal(f"This document unpacks to more than {_words_mb(settings['total_bytes'])}; "
                                  f"Panel Desk opens documents that unpack to at most "
                                  f"{_words_mb(settings['total_bytes'])} in all.")
    texts = _texts(data, settings) if settings["extract_text"] else []
    return {"readable": True, "pages": pages, "texts": texts}


def _check_depth(root, most: int, pikepdf) -> None:
    stack = [(root, 0)]
    while stack:
        obj, depth = stack.pop()
        if depth > most:
            raise Refusal(f"This document's structure is nested more than {most} levels deep, so it cannot "
                          "be opened safely.")
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            children = obj.values()
        elif isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            continue
        stack.extend((c, depth + 1) for c in children
                     if isinstance(c, pikepdf.Dictionary | pikepdf.Array) and not c.is_indirect)


def _filters(obj, pikepdf) -> list[str]:
    f = obj.get("/Filter")
    if f is None:
        return []
    if isinstance(f, pikepdf.Array):
        return [str(x) for x in f]
    return [str(f)]


def _check_stream(obj, settings: dict, pikepdf) -> int:
    """The unpacked size of one stream (refused past the per-stream limit)."""
    most = settings["stream_bytes"]
    if obj.get("/Subtype") == pikepdf.Name.Image:
        w, h = obj.get("/Width", 0), obj.get("/Height", 0)
        if isinstance(w, int) and isinstance(h, int) and w * h > settings["image_pixels"]:
            raise Refusal(f"An image in this document is {int(w):,} × {int(h):,} pixels; Panel Desk opens images "
                          f"of up to {settings['image_pixels'] // 1_000_000:,} million pixels.")
    filters = _filters(obj, pikepdf)
    raw = obj.read_raw_bytes()
    if not filters:
        size = len(raw)
    elif filters[0] in ("/FlateDecode", "/Fl"):
        size = _inflated_size(raw, most)
    elif filters[0] in _IMAGE_CODECS:
        size = len(raw)  # decoded by the renderer page by page; its size is bounded by the image check
    else:
        try:  # other filters are undone by qpdf, within this process's memory limit
            size = len(obj.read_bytes())
        except pikepdf.PdfError:
            size = len(raw)
    if size > most:
        raise Refusal(f"A part of this document unpacks to more than {_words_mb(most)}; Panel Desk opens "
                      f"documents whose parts unpack to at most {_words_mb(most)} each.")
    return size


def _texts(data: bytes, settings: dict) -> list[str]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return []
    texts = []
    try:
        for index in range(min(len(pdf), settings["pages"])):
            texts.append(_page_text(pdf, index, settings["text_chars"]))
    finally:
        pdf.close()
    return texts


def _page_text(pdf, index: int, most: int) -> str:
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
    return text.replace("\r\n", "\n").replace("\x00", "")[:most]


def _answer(data_source, settings: dict) -> bytes:
    try:
        data = data_source()
        answer = check(data, settings)
    except Refusal as exc:
        answer = {"refused": str(exc)}
    except MemoryError:
        answer = {"memory": True}
    except RecursionError:
        answer = {"refused": "This document's structure is nested too deeply, so it cannot be opened safely."}
    return json.dumps(answer).encode("utf-8")


def serve(conn, settings: dict) -> None:
    """The child's work when forked from the fork server (parsers already imported): the document
    arrives as byte messages on ``conn``, ended by an empty one; the answer goes back on it."""
    _limit_self(settings)

    def receive() -> bytes:
        cap = int(settings["size"]) + MB if settings["size"] else 600 * MB
        parts, total = [], 0
        while block := conn.recv_bytes():
            total += len(block)
            if total > cap:
                raise Refusal("This document is larger than it said it was.")
            parts.append(block)
        return b"".join(parts)

    conn.send_bytes(_answer(receive, settings))
    conn.close()


def main() -> int:
    settings = json.loads(sys.argv[1])
    _limit_self(settings)
    out = sys.stdout.buffer
    out.write(_answer(lambda: _read_input(settings), settings))
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The renderer process of :mod:`panel_desk.core.pdfrender`: PDFium behind a pipe.

It limits itself (address space, no files, no core dumps), then answers requests framed as a
4-byte length, a JSON header and an optional binary blob (see pdfrender). The document arrives as
a blob through the pipe and stays in this process's memory: no file is ever written.
"""

from __future__ import annotations

import array
import json
import re
import resource
import struct
import sys
import time

MB = 1024 * 1024
HIT_TOLERANCE = 16.0  # points around the pointer that still pick a character (as QtPdf does)


def _read_exact(f, n: int) -> bytes:
    out = bytearray()
    while len(out) < n:
        block = f.read(n - len(out))
        if not block:
            raise EOFError
        out += block
    return bytes(out)


def _send(out, header: dict, blob: bytes | memoryview = b"") -> None:
    header = dict(header, blob=len(blob))
    raw = json.dumps(header).encode("utf-8")
    out.write(struct.pack(">I", len(raw)) + raw)
    if blob:
        out.write(blob)
    out.flush()


class Server:
    def __init__(self) -> None:
        self.pdf = None
        self.data = b""
        self._textpages: dict[int, tuple] = {}

    # -- document ---------------------------------------------------------------------------------

    def load(self, req: dict, blob: bytes) -> tuple[dict, bytes]:
        import pypdfium2 as pdfium

        self._close()
        self.data = blob
        try:
            self.pdf = pdfium.PdfDocument(self.data)
        except pdfium.PdfiumError as exc:
            return {"error": f"It is not a PDF that can be read ({exc})."}, b""
        n = len(self.pdf)
        sizes = array.array("d")
        try:
            for i in range(n):
                sizes.extend(self.pdf.get_page_size(i))
        except pdfium.PdfiumError:
            return {"error": "Its list of pages cannot be read (the file is damaged or made to mislead)."}, b""
        return {"pages": n}, sizes.tobytes()  # width, height of each page as doubles: quick to read

    def _close(self) -> None:
        for page, textpage in self._textpages.values():
            textpage.close()
            page.close()
        self._textpages.clear()
        if self.pdf is not None:
            self.pdf.close()
            self.pdf = None

    def _text(self, index: int):
        """(page, textpage, cropbox) for ``index``, a few kept open (selection asks many times)."""
        if index not in self._textpages:
            if len(self._textpages) > 8:
                old = next(iter(self._textpages))
                page, textpage = self._textpages.pop(old)
                textpage.close()
                page.close()
            page = self.pdf[index]
            self._textpages[index] = (page, page.get_textpage())
        page, textpage = self._textpages[index]
        return page, textpage

    def _rects(self, page, textpage, start: int, count: int) -> list[list[float]]:
        left, _bottom, _right, top = page.get_cropbox()
        out = []
        for i in range(textpage.count_rects(start, count)):
            x0, y0, x1, y1 = textpage.get_rect(i)
            out.append([x0 - left, top - y1, x1 - left, top - y0])
        return out

    # -- requests ---------------------------------------------------------------------------------

    def render(self, req: dict) -> tuple[dict, bytes | memoryview]:
        page = self.pdf[int(req["page"])]
        try:
            w, h = page.get_size()
            width, height = max(1, int(req["width"])), max(1, int(req["height"]))
            scale = min(width / max(w, 1.0), height / max(h, 1.0))
            bitmap = page.render(scale=scale, may_draw_forms=True, prefer_bgrx=True)
            try:
                buf = bitmap.buffer
                header = {"width": bitmap.width, "height": bitmap.height, "stride": bitmap.stride}
                data = bytes(memoryview(buf).cast("B"))
            finally:
                bitmap.close()
        finally:
            page.close()
        return header, data

    def text(self, req: dict) -> dict:
        _page, textpage = self._text(int(req["page"]))
        return {"text": textpage.get_text_range()}

    def select(self, req: dict) -> dict:
        page, textpage = self._text(int(req["page"]))
        left, _bottom, _right, top = page.get_cropbox()
        ends = []
        for x, y in (req["start"], req["end"]):
            ends.append(textpage.get_index(x + left, top - y, HIT_TOLERANCE, HIT_TOLERANCE))
        a, b = ends
        if a is None or b is None or a < 0 or b < 0 or a == b:
            return {"text": "", "rects": []}
        start, end = min(a, b), max(a, b)
        count = end - start + 1
        return {"text": textpage.get_text_range(start, count), "rects": self._rects(page, textpage, start, count)}

    def select_index(self, req: dict) -> dict:
        page, textpage = self._text(int(req["page"]))
        start, count = int(req["start"]), int(req["length"])
        return {"text": textpage.get_text_range(start, count), "rects": self._rects(page, textpage, start, count)}

    def find(self, req: dict) -> dict:
        pattern = re.compile(req["pattern"], re.IGNORECASE)
        limit = int(req.get("limit", 5000))
        stop = time.monotonic() + float(req.get("budget", 5.0))
        matches = []
        n = len(self.pdf)
        for index in range(n):
            if time.monotonic() > stop:  # answer in time with what was found: the caller kills overruns
                return {"matches": matches, "complete": False, "pages_searched": index}
            page = self.pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range()
                    for m in pattern.finditer(text):
                        start, end = m.span()
                        snippet = " ".join(text[max(0, start - 40): end + 40].split())
                        matches.append([index, " ".join(m.group().split()), snippet,
                                        self._rects(page, textpage, start, end - start)])
                        if len(matches) >= limit:
                            return {"matches": matches, "complete": False, "pages_searched": index + 1}
                finally:
                    textpage.close()
            finally:
                page.close()
        return {"matches": matches, "complete": True, "pages_searched": n}

    def handle(self, req: dict, blob: bytes) -> tuple[dict, bytes | memoryview]:
        op = req.get("op")
        if op == "load":
            return self.load(req, blob)
        if self.pdf is None:
            return {"error": "No document is open."}, b""
        if op == "render":
            return self.render(req)
        if op in ("text", "select", "select_index", "find"):
            return getattr(self, op)(req), b""
        return {"error": f"Unknown request {op!r}."}, b""


def main() -> int:
    memory = int(sys.argv[1]) if len(sys.argv) > 1 else 2048 * MB
    for what, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_FSIZE, 0), (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(what, (value, value))
    import pypdfium2  # noqa: F401  (loaded before the first request, so the first page is not slower)

    inp, out = sys.stdin.buffer, sys.stdout.buffer
    server = Server()
    while True:
        try:
            (n,) = struct.unpack(">I", _read_exact(inp, 4))
            req = json.loads(_read_exact(inp, n))
            blob = _read_exact(inp, int(req.get("blob", 0))) if req.get("blob") else b""
        except EOFError:
            return 0
        try:
            header, data = server.handle(req, blob)
        except MemoryError:
            header, data = {"error": "It needs more memory than Panel Desk allows for showing a document."}, b""
        except Exception as exc:  # PDFium's own errors and damaged pages: reported, the process goes on
            header, data = {"error": f"PDFium could not do it ({type(exc).__name__}: {exc})."}, b""
        del blob
        _send(out, header, data)


if __name__ == "__main__":
    sys.exit(main())

"""Hostile PDFs for tests and benchmarks, built byte by byte (issue 12: items 2, 3 and 5)."""

from __future__ import annotations

import zlib


def assemble(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF with ``objects`` numbered from 1 and a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def self_looping_page_tree() -> bytes:
    """About 400 bytes: a page-tree node that lists itself among its kids (froze QPdfDocument.load)."""
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ])


def many_pages(count: int = 50_000) -> bytes:
    """``count`` empty pages in one flat page tree (50,000 pages: about 3 MB)."""
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /MediaBox [0 0 612 792] /Count %d /Kids [%s] >>" % (count, kids)]
    objects += [b"<< /Type /Page /Parent 2 0 R >>"] * count
    return assemble(objects)


def inflation_bomb(inflated: int = 4 << 30) -> bytes:
    """One page whose content stream is ``inflated`` bytes of spaces deflated to about 1/1000 of that."""
    block = b" " * (1 << 20)
    c = zlib.compressobj(9)
    first = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    middle = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)  # the same bytes for every further block
    blocks = max(2, inflated // len(block))
    adler = 1
    for _ in range(blocks):  # the checksum of the whole, so strict readers accept the stream
        adler = zlib.adler32(block, adler)
    tail = c.flush(zlib.Z_FINISH)[:-4]  # drops the checksum of the two blocks compressed
    data = first + middle * (blocks - 1) + tail + adler.to_bytes(4, "big")
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        stream,
    ])


def deeply_nested(depth: int = 300) -> bytes:
    """One page whose dictionary holds arrays nested ``depth`` levels deep."""
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Junk " + b"[" * depth + b"]" * depth + b" >>",
    ])

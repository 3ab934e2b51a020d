"""Strict ASCII armor for age files: PEM-style ``AGE ENCRYPTED FILE``, padded base64, 64 columns.

Accepted: LF or CRLF line ends, whitespace before the first and after the last line, no line end
after the last line. Refused: anything else outside the armor, headers, empty or over-long lines,
a short line anywhere but last, missing or non-canonical padding.
"""

from __future__ import annotations

import binascii
import io
from typing import BinaryIO

from ._format import ArmorError
from ._stream import write_all

BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
END = b"-----END AGE ENCRYPTED FILE-----"
COLUMNS = 64
LINE_BYTES = 48
MAX_WHITESPACE = 1024
_WHITESPACE = b" \t\r\n"
_READ_SIZE = 1 << 20
_MAX_LINE = COLUMNS + 1  # a full line and its CR, before the LF


def looks_armored(head: bytes) -> bool:
    """Return True if ``head`` (the first bytes of a file) looks like the start of an armored file."""
    if head.startswith(b"age-encryption.org/"):
        return False
    return head.lstrip(_WHITESPACE).startswith(b"-----") or b"-----BEGIN" in head[: MAX_WHITESPACE + 64]


class ArmorWriter:
    """Writes armored text to ``dst``; call :meth:`finish` once at the end (it does not close dst)."""

    def __init__(self, dst: BinaryIO) -> None:
        self._dst = dst
        self._pending = bytearray()
        dst.write(BEGIN + b"\n")

    def write(self, data: bytes | memoryview) -> int:
        """Buffer ``data`` and write every complete group of lines; return ``len(data)``."""
        self._pending += data
        whole = len(self._pending) - len(self._pending) % (LINE_BYTES * 1024)
        if whole:
            self._emit(bytes(self._pending[:whole]))
            del self._pending[:whole]
        return len(data)

    def _emit(self, data: bytes) -> None:
        text = binascii.b2a_base64(data, newline=False)
        lines = [text[i : i + COLUMNS] for i in range(0, len(text), COLUMNS)]
        write_all(self._dst, memoryview(b"".join(line + b"\n" for line in lines)))

    def finish(self) -> None:
        """Write the rest and the closing line."""
        if self._pending:
            self._emit(bytes(self._pending))
            self._pending.clear()
        self._dst.write(END + b"\n")


class ArmorReader(io.RawIOBase):
    """Decodes armored text from ``src`` (after ``prefix``, bytes already read from it).

    Reads raise :class:`ArmorError` as soon as the text breaks a rule.
    """

    def __init__(self, src: BinaryIO, prefix: bytes = b"") -> None:
        super().__init__()
        self._src = src
        self._text = bytearray(prefix)
        self._eof = False
        self._state = "start"  # start -> body -> tail -> done
        self._saw_short = False
        self._out = bytearray()
        self._outpos = 0

    def readable(self) -> bool:
        """Return True."""
        return True

    def _more(self) -> bool:
        if self._eof:
            return False
        data = self._src.read(_READ_SIZE)
        if not data:
            self._eof = True
            return False
        self._text += data
        return True

    def _start(self) -> None:
        while True:
            stripped = self._text.lstrip(_WHITESPACE)
            skipped = len(self._text) - len(stripped)
            if skipped > MAX_WHITESPACE:
                raise ArmorError("too much whitespace before the armor")
            if stripped and not stripped.startswith(BEGIN[: len(stripped)]):
                raise ArmorError("garbage before the armor")
            if len(stripped) > len(BEGIN):
                break
            if not self._more():
                raise ArmorError("no armor begin line")
        del self._text[:skipped]
        nl = self._text.find(b"\n")
        if nl < 0 or bytes(self._text[:nl]).removesuffix(b"\r") != BEGIN:
            raise ArmorError("bad armor begin line")
        del self._text[: nl + 1]
        self._state = "body"

    def _body(self) -> None:
        """Decode the complete lines in the buffer."""
        end = self._text.rfind(b"\n")
        if end < 0:
            # No line end yet: a line can be at most 64 columns and a CR, so anything longer is
            # refused now rather than read on (a single 400 MB line must not be buffered).
            if len(self._text) > _MAX_LINE:
                raise ArmorError("armor line longer than 64 columns")
            if self._more():
                return
            self._finish_body(bytes(self._text))
            return
        lines = bytes(self._text[:end]).split(b"\n")
        del self._text[: end + 1]
        full: list[bytes] = []
        for index, raw in enumerate(lines):
            line = raw[:-1] if raw.endswith(b"\r") else raw
            if self._saw_short:
                if line != END:
                    raise ArmorError("armor line after the short last line")
                self._state = "tail"
                self._text[:0] = b"\n".join(lines[index + 1 :]) + (b"\n" if index + 1 < len(lines) else b"")
                break
            if len(line) == COLUMNS and b"=" not in line:
                full.append(line)
                continue
            if line == END:
                self._state = "tail"
                self._text[:0] = b"\n".join(lines[index + 1 :]) + (b"\n" if index + 1 < len(lines) else b"")
                break
            if not line or len(line) > COLUMNS:
                raise ArmorError("armor line empty or longer than 64 columns")
            self._decode(full)
            full = []
            self._out += self._decode_last(line)
            self._saw_short = True
        self._decode(full)
        if self._state == "body" and len(self._text) > _MAX_LINE:
            raise ArmorError("armor line longer than 64 columns")

    def _decode(self, full: list[bytes]) -> None:
        if full:
            try:
                self._out += binascii.a2b_base64(b"".join(full), strict_mode=True)
            except binascii.Error:
                raise ArmorError("invalid base64 in armor") from None

    @staticmethod
    def _decode_last(line: bytes) -> bytes:
        if len(line) % 4:
            raise ArmorError("armor base64 not padded")
        try:
            data = binascii.a2b_base64(line, strict_mode=True)
        except binascii.Error:
            raise ArmorError("invalid base64 in armor") from None
        if binascii.b2a_base64(data, newline=False) != line:
            raise ArmorError("non-canonical base64 in armor")
        return data

    def _finish_body(self, rest: bytes) -> None:
        """At end of input with no line end left: the rest must be the end line."""
        if rest.removesuffix(b"\r") != END:
            raise ArmorError("armor end line missing")
        self._text.clear()
        self._state = "tail"

    def _tail(self) -> None:
        while self._more():
            if len(self._text) > MAX_WHITESPACE:
                break
        if len(self._text) > MAX_WHITESPACE or self._text.strip(_WHITESPACE):
            raise ArmorError("data after the armor end line")
        self._state = "done"

    def _step(self) -> None:
        if self._state == "start":
            self._start()
        elif self._state == "body":
            self._body()
        elif self._state == "tail":
            self._tail()

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        """Fill ``buffer`` with decoded bytes; return how many (0 at the end)."""
        mv = memoryview(buffer).cast("B")
        while len(self._out) - self._outpos == 0 and self._state != "done":
            self._out.clear()
            self._outpos = 0
            self._step()
        n = min(len(mv), len(self._out) - self._outpos)
        mv[:n] = self._out[self._outpos : self._outpos + n]
        self._outpos += n
        if self._outpos > (1 << 20):
            del self._out[: self._outpos]
            self._outpos = 0
        return n

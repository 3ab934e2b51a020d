"""Scan files for marker strings that must never reach the disk in plaintext (reusable by GUI tests).

Usage::

    hits = scan_for_markers([profile_dir, tempfile.gettempdir()], ["ZQX-marker-1", …])
    assert hits == []

Each marker is looked for as UTF-8, UTF-16 (little and big endian) and, when cheap, in lower and
upper case, in every regular file under the given paths (files or folders, walked recursively).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class Hit:
    """A marker found in a file, with the encoding it was found in and the byte offset."""

    path: Path
    marker: str
    encoding: str
    offset: int

    def __str__(self) -> str:
        return f"{self.path}: {self.marker!r} ({self.encoding}) at byte {self.offset}"


def _variants(marker: str) -> list[tuple[str, bytes]]:
    out = []
    for case, text in (("as written", marker), ("lower case", marker.lower()), ("upper case", marker.upper())):
        if case != "as written" and text == marker:
            continue
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            out.append((f"{encoding}, {case}", text.encode(encoding)))
    return out


def _files(paths: Iterable[Path]) -> Iterable[Path]:
    for base in paths:
        base = Path(base)
        if base.is_file():
            yield base
        elif base.is_dir():
            for folder, _dirs, names in os.walk(base):
                for name in names:
                    path = Path(folder) / name
                    if path.is_file() and not path.is_symlink():
                        yield path


def scan_for_markers(paths: Iterable[Path], markers: Iterable[str]) -> list[Hit]:
    """Every place any marker occurs in any file under ``paths``; an empty list means none."""
    patterns = [(m, enc, data) for m in markers for enc, data in _variants(m)]
    hits: list[Hit] = []
    for path in _files(paths):
        try:
            with path.open("rb") as f:
                content = f.read(MAX_FILE_BYTES)
        except OSError:
            continue
        for marker, encoding, data in patterns:
            offset = content.find(data)
            if offset >= 0:
                hits.append(Hit(path, marker, encoding, offset))
    return hits

"""Writing files so that a reader never sees half of one, and failures leave nothing behind.

Every file Panel Desk writes for a person (identities, bundles, the published advice) goes
through a temporary file in the same folder that is fsynced, then renamed into place, and the
folder is fsynced so the new name survives a power cut. Errors from the disk become one plain
:class:`InvalidInput` or :class:`NotFound`.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from panel_desk.core.errors import InvalidInput, NotFound


def fsync_dir(folder: Path) -> None:
    """Make a new or renamed name in ``folder`` durable (best effort: not every file system can)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _already_exists(path: Path) -> InvalidInput:
    return InvalidInput(f"{path} already exists. Choose another file name; nothing was overwritten.")


@contextlib.contextmanager
def atomic_output(path: Path, *, mode: int = 0o644, exclusive: bool = False) -> Iterator[BinaryIO]:
    """Yield a binary file whose content appears at ``path`` only if the block succeeds.

    ``exclusive`` refuses to replace an existing file, even one that appears meanwhile.
    Raises NotFound (no such folder) or InvalidInput (cannot write, or the file exists).
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if exclusive and path.exists():
        raise _already_exists(path)
    tmp = folder / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileNotFoundError:
        raise NotFound(f"The folder {folder} does not exist.") from None
    except OSError as exc:
        raise InvalidInput(f"Cannot write in {folder}: {exc.strerror}.") from None
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        if exclusive:
            _link_into_place(tmp, path)
        else:
            os.replace(tmp, path)
        fsync_dir(folder)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise InvalidInput(f"Cannot write {path}: {exc.strerror}.") from None
        raise


def _link_into_place(tmp: Path, path: Path) -> None:
    # link() refuses to replace a file that appeared meanwhile; rename would not.
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise _already_exists(path) from None
    except OSError:  # no hard links here (e.g. a FAT memory stick): check, then rename
        if path.exists():
            raise _already_exists(path) from None
        os.replace(tmp, path)
    else:
        os.unlink(tmp)


def write_atomic(path: Path, data: bytes, *, mode: int = 0o644, exclusive: bool = False) -> None:
    """Write ``data`` to ``path`` as :func:`atomic_output` does."""
    with atomic_output(path, mode=mode, exclusive=exclusive) as f:
        f.write(data)


@contextlib.contextmanager
def removed_on_failure(path: Path) -> Iterator[None]:
    """Remove the file at ``path`` if the block fails: a bundle that was sealed but not recorded
    must not exist, or the profile would not know it had sent it."""
    try:
        yield
    except BaseException:
        with contextlib.suppress(OSError):
            Path(path).unlink()
        raise


def private_folder(folder: Path) -> None:
    """Make ``folder`` readable by its owner only (0700), whatever mode it was created with.

    A profile folder made by hand, or by an older version, may be 0755: its names and sizes
    would be visible to every account on the computer. Where the file system has no modes (a
    FAT memory stick) this does nothing.
    """
    with contextlib.suppress(OSError):
        if os.stat(folder).st_mode & 0o777 != 0o700:
            os.chmod(folder, 0o700)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` readable by its owner only (0600), never half-written.

    For files that hold internal notes (a consolidation's CSV or JSON): another account on the
    computer must not read them. Raises NotFound or InvalidInput as :func:`atomic_output`.
    """
    write_atomic(Path(path), text.encode("utf-8"), mode=0o600)

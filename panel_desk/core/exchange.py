"""The exchange folder: one folder (a synced or shared drive, a USB stick) where a person's files
come and go.

A person names the folder once; it is kept in their profile's settings (``exchange_folder``). What they send is written there under
a name that says date, kind, application and sender (``2026-11-29 response wexmoor-2026 Tom
Okafor.pdbundle``), never over another file. :func:`sync` imports every bundle in the folder that
is addressed to this person and not yet seen, and reports one line per file: *imported*,
*skipped* (not for this person, already held, or written by them) or *refused* (with the reason).
Nothing in the folder is ever deleted or changed by the reader. Which files were seen is kept in
the profile (by name, size and modification time), so a file is reported once, and again only if
it changes.

This module never imports Qt: the CLI (``panel-desk sync``) and the window share it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from panel_desk.core.errors import InvalidInput, NotFound

SETTING = "exchange"  # {"seen": {name: "size:mtime_ns:outcome"}, "written": [name…]}; the folder is in Settings
SUFFIX = ".pdbundle"
MAX_SEEN = 5000  # the oldest remembered names are forgotten past this (a folder used for years)

Outcome = Literal["imported", "skipped", "refused"]

# Kinds in file names: short words a person would use.
KIND_WORDS = {
    "application": "application",
    "response": "response",
    "declaration": "declaration",
    "draft-advice": "draft advice",
    "signoff": "sign-off",
    "withdrawal": "withdrawal",
}

_UNSAFE = re.compile(r"[^\w .,'()&+-]+", re.UNICODE)


@dataclass(frozen=True)
class SyncLine:
    """What happened to one file in the exchange folder."""

    path: Path
    outcome: Outcome
    message: str  # a sentence for a person
    kind: str = ""  # the bundle's kind ("response"…), "" when it could not be told
    application_id: str = ""
    title: str = ""  # the application's title, when known
    sender: str = ""  # who signed the file, when known

    @property
    def what(self) -> str:
        """"A member's response from Tom Okafor about <title>" (as much as could be told), or ""."""
        from panel_desk.core.bundle import Kind

        try:
            what = Kind(self.kind).label
        except ValueError:
            return ""
        if self.sender:
            what += f" from {self.sender}"
        if self.title:
            what += f" about {self.title}"
        return what

    def line(self) -> str:
        """One line for the command line and the import report: file, outcome, what it is, what happened."""
        what = f"{self.what}. " if self.what else ""
        return f"{self.path.name}: {self.outcome}: {what}{self.message}"


# --- the folder ---------------------------------------------------------------------------------


def _state(ws) -> dict[str, Any]:
    value = ws.get_setting(SETTING, None)
    return dict(value) if isinstance(value, dict) else {}


def folder_of(ws) -> Path | None:
    """The exchange folder kept in the profile's settings, or None if the person has not named one."""
    from panel_desk.core import settings

    return settings.load_or_defaults(settings.store_of(ws))[0].exchange_folder


def check_folder(folder: Path) -> Path:
    """``folder`` made absolute, if it is a folder this person can read and write. Raises InvalidInput."""
    folder = Path(folder).expanduser()
    if not folder.exists():
        raise InvalidInput(f"There is no folder {folder}. Create it, or choose another exchange folder.")
    if not folder.is_dir():
        raise InvalidInput(f"{folder} is a file, not a folder. Choose a folder for exchanging files.")
    if not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
        raise InvalidInput(f"You cannot write to {folder}. Choose a folder you can save files in.")
    return folder.resolve()


def set_folder(ws, folder: Path | None) -> Path | None:
    """Name ``folder`` as this person's exchange folder (None: stop using one); kept in the profile.

    Raises InvalidInput for a folder that does not exist or cannot be written. Files already seen
    stay remembered, so choosing the same folder again imports nothing twice.
    """
    from panel_desk.core import settings

    store = settings.store_of(ws)
    current, problem = settings.load_or_defaults(store)
    if problem is not None:
        raise InvalidInput(problem)  # never overwrite settings that could not be read
    folder = None if folder is None else check_folder(folder)
    settings.save(store, current.model_copy(update={"exchange_folder": folder}))
    return folder


def _safe(text: str) -> str:
    """Words safe in a file name on every system: no slashes, colons, control characters."""
    text = _UNSAFE.sub("-", text).strip(" .-")
    return re.sub(r"\s+", " ", text)[:60] or "unnamed"


def file_name(day: date, kind: str, application_id: str, sender: str) -> str:
    """``2026-11-29 response wexmoor-2026 Tom Okafor.pdbundle``."""
    words = KIND_WORDS.get(kind, kind)
    return f"{day.isoformat()} {_safe(words)} {_safe(application_id)} {_safe(sender)}{SUFFIX}"


def free_path(folder: Path, name: str) -> Path:
    """``folder/name``, or ``folder/name (2)``, ``(3)``… : the first that does not exist yet."""
    folder = Path(folder)
    stem, suffix = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else name, SUFFIX if name.endswith(SUFFIX) else ""
    candidate = folder / name
    n = 2
    while candidate.exists() or candidate.is_symlink():
        candidate = folder / f"{stem} ({n}){suffix}"
        n += 1
    return candidate


def outgoing_path(ws, kind: str, application_id: str, *, day: date | None = None,
                  folder: Path | None = None) -> Path:
    """Where a file this person sends is to be written in the exchange folder (not created yet).

    Raises NotFound when the person has no exchange folder, InvalidInput when it cannot be used.
    """
    folder = folder or folder_of(ws)
    if folder is None:
        raise NotFound("You have not chosen an exchange folder. Choose one in Settings, or save the file "
                       "somewhere and send it yourself.")
    folder = check_folder(folder)
    return free_path(folder, file_name(day or date.today(), kind, application_id, ws.identity.card.name))


def remember_written(ws, path: Path) -> None:
    """Note that this person wrote ``path`` into the exchange folder (so sync never imports it)."""
    state = _state(ws)
    written = [n for n in state.get("written", []) if isinstance(n, str)]
    if path.name not in written:
        written.append(path.name)
    state["written"] = written[-MAX_SEEN:]
    ws.set_setting(SETTING, state)


# --- reading what arrived -----------------------------------------------------------------------


def _signature(path: Path) -> str | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}"


def pending(ws, folder: Path | None = None) -> list[Path]:
    """The bundles in the exchange folder not yet seen (or changed since), oldest name first."""
    folder = folder or folder_of(ws)
    if folder is None:
        return []
    state = _state(ws)
    seen = state.get("seen", {}) if isinstance(state.get("seen"), dict) else {}
    written = set(state.get("written", []))
    out = []
    try:
        entries = sorted(Path(folder).iterdir())
    except OSError:
        return []
    for path in entries:
        if path.name.startswith(".") or not path.name.lower().endswith(SUFFIX) or path.name in written:
            continue
        if not path.is_file():
            continue
        sig = _signature(path)
        if sig is None:
            continue
        before = seen.get(path.name, "")
        if before.rsplit(":", 1)[0] != sig:
            out.append(path)
    return out


def _not_for_you(message: str) -> bool:
    from panel_desk.core.age import _format
    from panel_desk.core.bundle import NotAddressedToYou

    return message in (str(NotAddressedToYou()), str(_format.NoIdentityMatch()))


def _line(result) -> SyncLine:
    sender = getattr(result, "sender", "")
    title = getattr(result, "title", "")
    if result.recorded:
        outcome: Outcome = "imported"
        message = result.message
    elif result.status == "duplicate":
        outcome, message = "skipped", result.message
    elif _not_for_you(result.message):
        outcome, message = "skipped", "Not addressed to you; left in the folder for the people it is for."
    else:
        outcome, message = "refused", result.message
    return SyncLine(Path(result.path), outcome, message, result.kind, result.application_id, title, sender)


def sync(ws, folder: Path | None = None, *, progress: Callable[[int, int], None] | None = None,
         cancel: Callable[[], bool] | None = None) -> list[SyncLine]:
    """Import what is new in the exchange folder and addressed to this person; one line per new file.

    ``folder`` (if given) becomes the person's exchange folder. Files seen before and unchanged are
    left alone and not reported again. Raises NotFound when there is no exchange folder,
    InvalidInput when it cannot be read; each file's own problems are lines, never exceptions.
    """
    if folder is not None:
        if folder_of(ws) != check_folder(folder):
            set_folder(ws, folder)
        folder = check_folder(folder)
    else:
        folder = folder_of(ws)
        if folder is None:
            raise NotFound("You have not chosen an exchange folder. Give one with --folder DIR "
                           "(it is remembered), or choose one in Settings.")
        folder = check_folder(folder)
    paths = pending(ws, folder)
    if not paths:
        return []
    signatures = {p.name: _signature(p) for p in paths}
    results = ws.import_many(paths, progress=progress, cancel=cancel)
    lines = [_line(r) for r in results]
    state = _state(ws)
    seen = dict(state.get("seen", {})) if isinstance(state.get("seen"), dict) else {}
    cancelled = cancel is not None and cancel()
    for line in lines:
        sig = signatures.get(line.path.name)
        if sig is None or (cancelled and line.outcome == "refused"):
            continue  # a file not read because of a cancel is tried again next time
        seen.pop(line.path.name, None)
        seen[line.path.name] = f"{sig}:{line.outcome}"
    if len(seen) > MAX_SEEN:
        seen = dict(list(seen.items())[-MAX_SEEN:])
    state["seen"] = seen
    ws.set_setting(SETTING, state)
    return lines

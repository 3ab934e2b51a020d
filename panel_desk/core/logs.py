"""The profile's rotating log, which records what happened and never what anything says.

Nothing about an application, an answer or an annotation may reach the disk in plaintext
(DESIGN §5), and a log is the easiest place for it to leak. So the policy here fails closed:

- Code logs through :func:`log_event` with an event name and fields. A field is written only if its
  *name* says it is an id, a count, a size, a duration or a kind (see :data:`SAFE_FIELD`), and its
  value is a number, a boolean or a short token; every other field is written as ``[withheld]``.
  Titles, texts, answers, names and paths are never written, whatever their value looks like.
- Any other record (``logger.info("...%s", x)`` here or in a library) is written as its logger,
  level and call site, with the message and its arguments withheld: the message might have been
  built from content with an f-string, and a filter cannot tell.
- An exception is written as its type and the stack frames (file, line, function), without its
  message, which may quote the input that caused it.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import time
import traceback
from pathlib import Path

LOG_DIR = "logs"
LOG_FILE = "panel-desk.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
WITHHELD = "[withheld]"
EVENT_ATTR = "panel_desk_event"
FIELDS_ATTR = "panel_desk_fields"

# Field names allowed to carry a value: ids, counts and measures, kinds and states (vocabularies).
SAFE_FIELD = re.compile(
    r"^(?:id|[a-z_]+_id|[a-z_]+_ids|count|[a-z_]*_count|n_[a-z_]+|revision|[a-z_]+_revision|size|[a-z_]+_bytes|"
    r"bytes|ms|[a-z_]+_ms|seconds|kind|[a-z_]+_kind|status|role|version|schema_version|"
    r"fingerprint|exit_code|ok|page|pages)$"
)
_EVENT = re.compile(r"^[a-z][a-z0-9_.-]{0,63}$")
_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:+-]{0,79}$")

log = logging.getLogger("panel_desk")


def _safe_value(value: object) -> str:
    if isinstance(value, bool | int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, str) and _TOKEN.match(value):
        return value
    if isinstance(value, list | tuple | set | frozenset) and len(value) <= 50:
        items = sorted(value) if isinstance(value, set | frozenset) else value
        parts = [_safe_value(v) for v in items]
        return WITHHELD if WITHHELD in parts else ",".join(parts)
    return WITHHELD


def safe_fields(fields: dict[str, object]) -> str:
    """``key=value`` pairs with every value the policy does not allow replaced by ``[withheld]``."""
    out = []
    for key in sorted(fields):
        value = _safe_value(fields[key]) if SAFE_FIELD.match(key) else WITHHELD
        out.append(f"{key}={value}")
    return " ".join(out)


def log_event(event: str, logger: logging.Logger | None = None, level: int = logging.INFO,
              **fields: object) -> None:
    """Record ``event`` (a dotted name such as ``application.imported``) with its ids and counts.

    Raises ValueError for an event name that is not a lower-case dotted token (a bug: the name is
    a constant in the code, never built from content).
    """
    if not _EVENT.match(event):
        raise ValueError(f"log event names are lower-case dotted tokens, not {event!r}")
    (logger or log).log(level, event, extra={EVENT_ATTR: event, FIELDS_ATTR: dict(fields)}, stacklevel=2)


class ContentFreeFormatter(logging.Formatter):
    """Formats records under the policy above: UTC time, level, event and safe fields only."""

    converter = time.gmtime

    def __init__(self) -> None:
        super().__init__(datefmt="%Y-%m-%dT%H:%M:%SZ")

    def format(self, record: logging.LogRecord) -> str:
        when = self.formatTime(record, self.datefmt)
        event = getattr(record, EVENT_ATTR, None)
        if event is not None:
            fields = safe_fields(getattr(record, FIELDS_ATTR, {}))
            line = f"{when} {record.levelname} {event}" + (f" {fields}" if fields else "")
        else:
            where = f"{Path(record.pathname).name}:{record.lineno}"
            line = f"{when} {record.levelname} {record.name} at {where} (message withheld)"
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _exc, tb = record.exc_info
            frames = "".join(
                f"\n    {Path(f.filename).name}:{f.lineno} in {f.name}" for f in traceback.extract_tb(tb)
            )
            line += f"\n  {exc_type.__name__} (message withheld){frames}"
        return line


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Rotating file handler whose files are readable by their owner only."""

    def _open(self):
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(fd, self.mode.replace("w", "a"), encoding=self.encoding, errors=self.errors)


def log_path(profile_dir: Path) -> Path:
    """Where the log of the profile in ``profile_dir`` lives."""
    return Path(profile_dir) / LOG_DIR / LOG_FILE


def setup_logging(profile_dir: Path, *, level: int = logging.INFO, max_bytes: int = MAX_BYTES,
                  backups: int = BACKUPS) -> logging.Handler:
    """Send the process's log records to the profile's rotating log, under the content-free policy.

    Returns the handler (pass it to :func:`stop_logging`). Calling it again replaces the previous
    handler, so switching profile (as the demo does) moves the log. Raises OSError if the log
    folder cannot be created.
    """
    path = log_path(profile_dir)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _PrivateRotatingFileHandler)]:
        stop_logging(old)
    handler = _PrivateRotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8",
                                          delay=True)
    handler.setFormatter(ContentFreeFormatter())
    handler.setLevel(level)
    root.addHandler(handler)
    if log.getEffectiveLevel() > level or log.level == logging.NOTSET:
        log.setLevel(level)
    return handler


def stop_logging(handler: logging.Handler) -> None:
    """Detach and close a handler made by :func:`setup_logging`."""
    logging.getLogger().removeHandler(handler)
    handler.close()

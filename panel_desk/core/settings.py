"""A person's preferences: a typed, versioned model, loaded from and saved to any key-value store.

Settings are passed down to whatever needs them, never held in a global (STYLE.md). They are kept
as one JSON document under :data:`KEY` in a store with ``get(key)`` and ``set(key, value)``; the
profile's Workspace provides that through ``get_setting``/``set_setting`` (see :func:`store_of`).
Older documents are migrated step by step; a document from a newer Panel Desk is refused rather
than half-understood and overwritten.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from panel_desk.core.errors import InvalidInput
from panel_desk.core.model import explain

KEY = "settings"
SCHEMA_VERSION = 2
MAX_DOCUMENT_CHARS = 64 * 1024


class Theme(StrEnum):
    STANDARD = "standard"
    HIGH_CONTRAST = "high-contrast"


class Settings(BaseModel):
    """What a person can change in Settings. Defaults are the values a new profile starts with."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    schema_version: int = Field(SCHEMA_VERSION, title="Settings version")
    auto_lock_minutes: int = Field(10, ge=1, le=240, title="Lock Panel Desk after this many idle minutes")
    export_folder: Path | None = Field(None, title="Folder for exported files",
                                       description="None: ask each time, starting in the Documents folder")
    theme: Theme = Field(Theme.STANDARD, title="Colours")
    # what the published advice says about its publisher (the secretariat sets these)
    tsa_url: str | None = Field(None, max_length=500, pattern=r"^https?://\S+$",
                                title="Time-stamping authority (RFC 3161) address",
                                description="None: advice is published without a timestamp (PAdES B-LT)")
    contact_email: str = Field("", max_length=200, title="Contact e-mail printed in the published advice",
                               description="empty: the advice gives the postal address only")
    contact_address: str = Field("Department for Education, Sanctuary Buildings, 20 Great Smith Street, "
                                 "London SW1P 3BT", max_length=500,
                                 title="Postal address printed in the published advice")
    root_location: str = Field("www.gov.uk, on the page that publishes this advice", max_length=500,
                               title="Where the panel's root certificate is published")

    @property
    def high_contrast(self) -> bool:
        return self.theme is Theme.HIGH_CONTRAST


class SettingsStore(Protocol):
    """Anything that keeps a string under a key (a Workspace through :func:`store_of`, a dict in tests)."""

    def get(self, key: str) -> Any: ...

    def set(self, key: str, value: str) -> None: ...


class DictStore:
    """A settings store in memory (tests, and the window before a profile is unlocked)."""

    def __init__(self, data: dict[str, str] | None = None) -> None:
        self.data: dict[str, str] = {} if data is None else data

    def get(self, key: str) -> str | None:
        return self.data.get(key)

    def set(self, key: str, value: str) -> None:
        self.data[key] = value


class _WorkspaceStore:
    def __init__(self, workspace: Any) -> None:
        self._ws = workspace

    def get(self, key: str) -> Any:
        return self._ws.get_setting(key)

    def set(self, key: str, value: str) -> None:
        self._ws.set_setting(key, value)


def store_of(workspace: Any) -> SettingsStore:
    """Adapt an object with ``get_setting``/``set_setting`` (the profile's Workspace) to a store."""
    return _WorkspaceStore(workspace)


# --- migrations ---------------------------------------------------------------------------------


def _v0_to_v1(doc: dict) -> dict:
    """Version 0 (before versioning) said ``lock_after`` and ``high_contrast: bool``."""
    doc = dict(doc)
    if "lock_after" in doc:
        doc["auto_lock_minutes"] = doc.pop("lock_after")
    if "high_contrast" in doc:
        doc["theme"] = Theme.HIGH_CONTRAST.value if doc.pop("high_contrast") else Theme.STANDARD.value
    return doc


def _v1_to_v2(doc: dict) -> dict:
    """Version 1 kept an empty string for "no export folder"; version 2 uses null."""
    doc = dict(doc)
    if doc.get("export_folder") == "":
        doc["export_folder"] = None
    return doc


MIGRATIONS: dict[int, Callable[[dict], dict]] = {0: _v0_to_v1, 1: _v1_to_v2}
assert sorted(MIGRATIONS) == list(range(SCHEMA_VERSION))


def migrate(doc: dict) -> dict:
    """Bring a settings document up to :data:`SCHEMA_VERSION`, one step at a time.

    Raises InvalidInput for a version that is not a whole number, or newer than this program.
    """
    version = doc.get("schema_version", 0)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise InvalidInput("The saved settings have no readable version. Reset them in Settings.")
    if version > SCHEMA_VERSION:
        raise InvalidInput("These settings were saved by a newer version of Panel Desk. "
                           "Update Panel Desk to use them; until then the defaults apply.")
    while version < SCHEMA_VERSION:
        doc = MIGRATIONS[version](doc)
        version += 1
        doc["schema_version"] = version
    return doc


# --- load and save ------------------------------------------------------------------------------


def parse(raw: Any) -> Settings:
    """Settings from a stored value (a JSON string, bytes or an already-decoded dict).

    ``None`` gives the defaults. Raises InvalidInput naming every field that is wrong.
    """
    if raw is None or raw == "":
        return Settings()
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    if isinstance(raw, str):
        if len(raw) > MAX_DOCUMENT_CHARS:
            raise InvalidInput("The saved settings are too large to be settings. Reset them in Settings.")
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError:
            raise InvalidInput("The saved settings are damaged. Reset them in Settings.") from None
    if not isinstance(raw, dict):
        raise InvalidInput("The saved settings are damaged. Reset them in Settings.")
    try:
        return Settings.model_validate(migrate(raw))
    except ValidationError as exc:
        raise InvalidInput(" ".join(explain(exc, Settings, "Settings"))) from None


def load(store: SettingsStore) -> Settings:
    """The settings kept in ``store`` (defaults if none). Raises InvalidInput as :func:`parse`."""
    return parse(store.get(KEY))


def load_or_defaults(store: SettingsStore) -> tuple[Settings, str | None]:
    """The settings in ``store``, or the defaults and the reason the saved ones could not be used."""
    try:
        return load(store), None
    except InvalidInput as exc:
        return Settings(), str(exc)


def dumps(settings: Settings) -> str:
    """The JSON document :func:`parse` reads back (keys sorted, so saving twice writes the same)."""
    return json.dumps(settings.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))


def save(store: SettingsStore, settings: Settings) -> None:
    """Write ``settings`` to ``store`` under :data:`KEY`."""
    store.set(KEY, dumps(settings))

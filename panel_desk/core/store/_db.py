"""The SQLCipher connection: keying, pragmas, schema migrations and environment errors."""

from __future__ import annotations

from panel_desk.core.errors import PanelDeskError

SCHEMA_VERSION = 1


class StoreError(PanelDeskError):
    """The profile's database cannot be used because of the computer it is on (disk full,
    read-only folder, damaged file, another identity's profile, a newer Panel Desk).
    The message says what to do."""

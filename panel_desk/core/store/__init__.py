"""The profile's encrypted store: one SQLCipher database, sealed bundles and a hash-chained audit log.

Callers never write SQL. Open a profile with :func:`open_profile` (or make one with
:func:`init_profile`) and use the :class:`Workspace` it returns: applications and their documents
(read from the sealed bundles, in memory only), declarations, annotations, answers, responses,
drafts, sign-offs, the roster, settings, search and the audit chain.
"""

from __future__ import annotations

from panel_desk.core.store._db import StoreError
from panel_desk.core.store._schema import SCHEMA_VERSION
from panel_desk.core.store.workspace import (
    ApplicationRow,
    ApplicationStatus,
    AuditResult,
    DeclarationNeeded,
    ImportResult,
    SearchHit,
    Workspace,
    init_profile,
    open_profile,
    profile_exists,
)

__all__ = [
    "SCHEMA_VERSION",
    "ApplicationRow",
    "ApplicationStatus",
    "AuditResult",
    "DeclarationNeeded",
    "ImportResult",
    "SearchHit",
    "StoreError",
    "Workspace",
    "init_profile",
    "open_profile",
    "profile_exists",
]

"""The profile's encrypted store: one SQLCipher database, sealed bundles and a hash-chained audit log.

Callers never write SQL. Open a profile with :func:`open_profile` (or make one with
:func:`init_profile`) and use the :class:`Workspace` it returns, a handle over focused parts that
share one transaction: ``roster``, ``applications`` (and their documents, read from the sealed
bundles in memory only), ``declarations``, ``answers`` (annotations, answers, responses),
``advice`` (drafts, sign-offs, decisions, the publication) and ``search``; settings and the audit
chain are on the handle itself. The types the store returns are in :mod:`.results`.
"""

from __future__ import annotations

from panel_desk.core.store._db import StoreError
from panel_desk.core.store._schema import SCHEMA_VERSION
from panel_desk.core.store.audit import AuditResult
from panel_desk.core.store.results import (
    ApplicationRow,
    ApplicationStatus,
    DeclarationNeeded,
    ImportResult,
    Refused,
)
from panel_desk.core.store.search import SearchHit
from panel_desk.core.store.workspace import (
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
    "Refused",
    "SearchHit",
    "StoreError",
    "Workspace",
    "init_profile",
    "open_profile",
    "profile_exists",
]

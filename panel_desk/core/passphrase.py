"""Changing the passphrase of a profile, in one step that cannot leave it half-changed.

What the passphrase protects (DESIGN §5): the profile's database is keyed with a random store key
that lives *inside* the identity file (``identity.age``, encrypted with age's scrypt recipient
under the passphrase). So the store key never changes with the passphrase and the database is
not re-encrypted: the identity file is the only thing rewritten. It is written to a temporary file
in the same folder, synced, then renamed over the old one (one atomic rename), and the folder is
synced. A stop at any moment leaves either the old file (the old passphrase opens the profile)
or the new one (the new passphrase does); never both, never neither, and the database is not
touched until the change is recorded in its audit log afterwards.

A forgotten passphrase cannot be recovered (nothing here holds it): see the README, "If you forget
your passphrase".
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from panel_desk.core.errors import InvalidInput, NotFound
from panel_desk.core.identity import DEFAULT_WORK_FACTOR, Identity
from panel_desk.core.store.workspace import (
    IDENTITY_FILE,
    Workspace,
    no_profile_message,
    open_profile,
    profile_exists,
)

__all__ = ["change_passphrase"]


def change_passphrase(profile_dir: Path, old: str, new: str, *, ws: Workspace | None = None,
                      work_factor: int = DEFAULT_WORK_FACTOR, now: datetime | None = None) -> Identity:
    """Re-encrypt the profile's identity file from ``old`` to ``new`` and record it in the audit log.

    ``ws``: the profile when it is already open (the window); otherwise it is opened with the new
    passphrase to record the change. Returns the identity (keys and fingerprint unchanged).
    Raises WrongPassphrase (``old`` does not unlock it), InvalidInput (empty, or the same as
    before), NotFound (no profile) or StoreError.
    """
    folder = Path(profile_dir)
    if not profile_exists(folder):
        raise NotFound(no_profile_message(folder))
    if not new:
        raise InvalidInput("The new passphrase is empty. Choose a passphrase of several words.")
    if new == old:
        raise InvalidInput("The new passphrase is the same as the current one. Choose a different one.")
    path = folder / IDENTITY_FILE
    identity = Identity.load(path, old)
    if ws is not None and ws.fingerprint != identity.fingerprint:
        raise InvalidInput("This is not the identity of the open profile. Nothing was changed.")
    identity.save(path, new, work_factor=work_factor)  # the one step: an atomic rename
    detail = {"work_factor": work_factor}
    if ws is not None:
        ws.audit("identity.passwd", identity.fingerprint, detail, now=now)
    else:
        with open_profile(folder, new) as opened:
            opened.audit("identity.passwd", identity.fingerprint, detail, now=now)
    return identity

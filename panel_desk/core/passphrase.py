"""Passphrases: the one rule every new passphrase meets, and changing a profile's in one step.

**The rule** (one source for every face): at least 12 characters, and hard to guess. How hard is
estimated by zxcvbn (Dropbox's estimator: dictionaries of common passwords, names and words,
keyboard patterns, dates, repeats, l33t). A passphrase guards an identity file that anyone holding
a copy can attack offline, so the bar is zxcvbn's score 3 ("safely unguessable") and the person's
own name and organisation count against it. The first-run window shows :func:`assess` as the
person types and refuses with its ``problem``; ``panel-desk identity new``, ``identity passwd``
and :func:`change_passphrase` call :func:`require_strong`. The demo's fixed, published passphrases
do not go through this rule (they guard nothing; see core/demo/builder.py).

**Changing it** (DESIGN §5): the profile's database is keyed with a random store key that lives
*inside* the identity file (``identity.age``, encrypted with age's scrypt recipient under the
passphrase). So the store key never changes with the passphrase and the database is not
re-encrypted: the identity file is the only thing rewritten. It is written to a temporary file
in the same folder, synced, then renamed over the old one (one atomic rename), and the folder is
synced. A stop at any moment leaves either the old file (the old passphrase opens the profile)
or the new one (the new passphrase does); never both, never neither, and the database is not
touched until the change is recorded in its audit log afterwards.

A forgotten passphrase cannot be recovered (nothing here holds it): see the README, "If you forget
your passphrase".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from zxcvbn import zxcvbn

from panel_desk.core.errors import InvalidInput, NotFound
from panel_desk.core.identity import DEFAULT_WORK_FACTOR, Identity
from panel_desk.core.store.workspace import (
    IDENTITY_FILE,
    Workspace,
    no_profile_message,
    open_profile,
    profile_exists,
)

__all__ = ["Strength", "assess", "change_passphrase", "require_strong"]

MIN_LENGTH = 12
MIN_SCORE = 3  # zxcvbn's 0..4; 3: "safely unguessable, moderate protection from an offline attack"
STRENGTH_WORDS = ("Very weak", "Weak", "Fair", "Strong", "Very strong")
TOO_SHORT = f"Choose a passphrase of at least {MIN_LENGTH} characters"
TOO_WEAK = "Choose a stronger passphrase: use 4 or more random words"


@dataclass(frozen=True)
class Strength:
    """How a passphrase measures up: ``score`` 0..4 (zxcvbn's; 0 also when too short), ``words``
    for a person ("Too short", "Weak"…), and ``problem``: why it is refused, or "" when accepted."""

    score: int
    words: str
    problem: str

    @property
    def ok(self) -> bool:
        return not self.problem


def assess(passphrase: str, *, user_inputs: Iterable[str] = ()) -> Strength:
    """Measure ``passphrase`` against the rule. ``user_inputs``: the person's name, organisation…,
    which make a passphrase easier to guess when it contains them."""
    if len(passphrase) < MIN_LENGTH:
        return Strength(0, "Too short", TOO_SHORT)
    texts = [str(t).strip().lower() for t in user_inputs if str(t).strip()]
    inputs = texts + [w for t in texts for w in t.split()]  # "rita reader" and "rita", "reader"
    result = zxcvbn(passphrase, user_inputs=inputs)
    score = int(result["score"])
    if score >= MIN_SCORE:
        return Strength(score, STRENGTH_WORDS[score], "")
    warning = str(result["feedback"].get("warning") or "").strip().rstrip(".")
    return Strength(score, STRENGTH_WORDS[score], f"{TOO_WEAK} ({warning.lower()})" if warning else TOO_WEAK)


def require_strong(passphrase: str, *, user_inputs: Iterable[str] = ()) -> None:
    """Raise InvalidInput, in words, unless ``passphrase`` meets the rule."""
    strength = assess(passphrase, user_inputs=user_inputs)
    if not strength.ok:
        raise InvalidInput(f"{strength.problem}. Nothing was saved.")


def change_passphrase(profile_dir: Path, old: str, new: str, *, ws: Workspace | None = None,
                      work_factor: int = DEFAULT_WORK_FACTOR, now: datetime | None = None) -> Identity:
    """Re-encrypt the profile's identity file from ``old`` to ``new`` and record it in the audit log.

    ``ws``: the profile when it is already open (the window); otherwise it is opened with the new
    passphrase to record the change. Returns the identity (keys and fingerprint unchanged).
    Raises WrongPassphrase (``old`` does not unlock it), InvalidInput (empty, the same as before,
    or not meeting the rule), NotFound (no profile) or StoreError.
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
    require_strong(new, user_inputs=(identity.name, identity.organisation, identity.acts_for))
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

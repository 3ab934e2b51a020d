"""The passphrase rule, one source for every face: at least 12 characters, and hard to guess.

How hard a passphrase is to guess is estimated by zxcvbn (Dropbox's estimator: dictionaries of
common passwords, names and words, keyboard patterns, dates, repeats, l33t). A passphrase guards
an identity file that anyone holding a copy can attack offline, so the bar is zxcvbn's score 3
("safely unguessable") and the person's own name and organisation count against it.

The first-run window shows :func:`assess` as the person types and refuses with its ``problem``;
``panel-desk identity new`` and ``identity passwd`` call :func:`require_strong`. The demo's fixed,
published passphrases do not go through this rule (they guard nothing; see core/demo/builder.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from zxcvbn import zxcvbn

from panel_desk.core.errors import InvalidInput

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

"""The passphrase rule (panel_desk/core/passphrase.py), shared by the window and the command line."""

from __future__ import annotations

import pytest

from panel_desk.core.errors import InvalidInput
from panel_desk.core.passphrase import MIN_LENGTH, TOO_SHORT, TOO_WEAK, assess, require_strong


@pytest.mark.parametrize("weak", ["a", "x" * (MIN_LENGTH - 1), "aaaaaaaaaaaaaaaa", "password1234", "qwertyuiop123"])
def test_short_or_guessable_passphrases_are_refused_in_words(weak):
    strength = assess(weak)
    assert not strength.ok and strength.problem.startswith(TOO_SHORT if len(weak) < MIN_LENGTH else TOO_WEAK)
    with pytest.raises(InvalidInput, match="Nothing was saved"):
        require_strong(weak)


def test_random_words_pass_and_the_persons_own_name_counts_against_them():
    assert assess("violet harbour kettle meadow").words == "Very strong"
    require_strong("violet harbour kettle meadow", user_inputs=["Asha Patel"])
    assert assess("asha patel 2026").ok
    assert not assess("asha patel 2026", user_inputs=["Asha Patel", "Office of the Children's Commissioner"]).ok

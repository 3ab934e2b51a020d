"""The committed bundle vectors: each file opens, or is refused, as its name says.

``good_*`` open; ``fail_<outcome>_*`` are refused with that outcome's error. The files were
written once by ``make_vectors.py`` with fixed test keys, so this also guards the format: a
change that can no longer read them is a change of format.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from make_vectors import OPENED_AT, person

from panel_desk.core import bundle

VECTORS = Path(__file__).resolve().parent / "vectors"
OUTCOMES = {
    "damaged": bundle.Damaged,
    "not_addressed": bundle.NotAddressedToYou,
    "untrusted": bundle.UntrustedSigner,
    "recipient_mismatch": bundle.RecipientMismatch,
    "expired": bundle.Expired,
    "unsupported": bundle.UnsupportedVersion,
    "unsafe": bundle.UnsafeContent,
}


def _expected(name: str) -> type[bundle.BundleError] | None:
    if name.startswith("good_"):
        return None
    rest = name.removeprefix("fail_")
    for outcome, error in OUTCOMES.items():
        if rest.startswith(outcome):
            return error
    raise AssertionError(f"{name} does not say its outcome")


@pytest.mark.parametrize("path", sorted(VECTORS.glob("*.pdbundle")), ids=lambda p: p.stem)
def test_vector(path):
    reader = person("reader")
    trusted = [person("secretariat").card]
    expected = _expected(path.name)
    if expected is None:
        with bundle.open_bundle(path, reader, trusted, now=OPENED_AT) as opened:
            for entry in opened.manifest.files:
                assert len(opened.read(entry.path)) == entry.size
        return
    with pytest.raises(expected):
        bundle.open_bundle(path, reader, trusted, now=OPENED_AT)


def test_there_are_vectors_of_every_outcome():
    names = [p.name for p in VECTORS.glob("*.pdbundle")]
    assert any(n.startswith("good_") for n in names)
    for outcome in OUTCOMES:
        assert any(n.startswith(f"fail_{outcome}") for n in names), outcome

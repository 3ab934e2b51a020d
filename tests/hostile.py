"""Hypothesis strategies for hostile manifests: every shape a signed manifest.json can take.

A signature proves who made a manifest, not that it is sane. These strategies start from a valid
manifest and change one place in it (replace a value with any JSON, drop a key, add one), with
the values a probe would try: integers past 2^63, dates in year 1 or 9999 with extreme offsets,
nesting hundreds of levels deep, control and bidi characters, wrong types everywhere.
"""

from __future__ import annotations

import copy

from hypothesis import strategies as st

FINGERPRINT = "A" * 32
INTERESTING_STRINGS = [
    "", " ", "application", "withdrawal", "declaration", "response", "signoff", "draft-advice",
    "0001-01-01T00:00:00+12:00", "9999-12-31T23:59:59-12:00", "9000-01-01T00:00:00+00:00",
    "2026-11-23T12:00:00+23:59", "2026-11-23T12:00:00", "2026-11-23", "0001-01-01", "9999-12-31",
    "1970-01-01T00:00:00Z", "2026-11-23T12:00:00.999999+00:00", "\x1b[2J\x1b[31mred", "evil\u202efdp.exe",
    "a\x00b", "e\u0301", "\ufb01le.pdf", "../../etc/passwd", "/abs", "x" * 600, FINGERPRINT, "f" * 64,
    "application/pdf", "documents/a.pdf", "NaN",
]
INTERESTING_INTS = [0, -1, 1, 2, 2**31, 2**53, 2**53 + 1, 2**63 - 1, 2**63, 2**64, -(2**63), 10**30, 10_001]


def nested(depth: int, leaf: object = 0) -> object:
    """A value nested ``depth`` levels deep, alternating lists and objects."""
    value = leaf
    for i in range(depth):
        value = [value] if i % 2 else {"a": value}
    return value


scalars = st.one_of(
    st.none(), st.booleans(),
    st.sampled_from(INTERESTING_INTS), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(INTERESTING_STRINGS), st.text(max_size=40),
)
json_values = st.one_of(
    st.recursive(scalars, lambda children: st.lists(children, max_size=4)
                 | st.dictionaries(st.text(max_size=10), children, max_size=4), max_leaves=20),
    st.integers(min_value=2, max_value=900).map(nested),
)


def _paths(value: object, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON value, as the keys and indexes that lead there."""
    out = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            out += _paths(child, (*prefix, i))
    return out


@st.composite
def mutated(draw, base: dict) -> dict:
    """``base`` (a valid manifest as a dict) with one to three places changed."""
    manifest = copy.deepcopy(base)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(_paths(manifest)))
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if not path:  # the whole manifest
            if action == "replace":
                value = draw(json_values)
                manifest = value if isinstance(value, dict) else {"format": 1, "value": value}
            elif action == "add":
                manifest[draw(st.text(max_size=10))] = draw(json_values)
            continue
        parent = manifest
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        if action == "replace":
            parent[last] = draw(json_values)
        elif action == "delete":
            del parent[last]
        elif isinstance(parent[last], dict):
            parent[last][draw(st.text(max_size=10))] = draw(json_values)
        elif isinstance(parent[last], list):
            parent[last].append(draw(json_values))
        else:
            parent[last] = draw(json_values)
    return manifest


def seal_as_given(manifest: dict, files: dict[str, bytes], *, signer, recipients: list, out):
    """Seal ``manifest`` exactly as given, with the project's own code: signed by ``signer`` (an
    Identity), zipped by our ZIP writer with ``files``, age-encrypted to ``recipients`` (cards)."""
    import zlib
    from datetime import UTC, datetime

    from panel_desk.core import age
    from panel_desk.core.bundle import _zip
    from panel_desk.core.bundle._manifest import MANIFEST_DOMAIN
    from panel_desk.core.identity import age_recipients, canonical_json

    data = canonical_json(manifest)
    members = [("manifest.json", data), ("manifest.sig", signer.sign_dual(data, MANIFEST_DOMAIN)), *files.items()]
    when = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    plain = _zip.ZipSource([_zip.Member(n, d, len(d), zlib.crc32(d)) for n, d in members], when).read()
    out.write_bytes(age.encrypt_bytes(age_recipients(recipients), plain))
    return out

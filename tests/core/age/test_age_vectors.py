"""Conformance: every C2SP/CCTV age test vector in tests/vectors/age-testkit, run by one test."""

from __future__ import annotations

import hashlib
import io
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from panel_desk.core import age

TESTKIT = Path(__file__).resolve().parents[2] / "vectors" / "age-testkit"

EXPECTED_ERRORS: dict[str, type[Exception]] = {
    "no match": age.NoIdentityMatch,
    "header failure": age.HeaderError,
    "HMAC failure": age.HmacError,
    "payload failure": age.PayloadError,
    "armor failure": age.ArmorError,
}


@dataclass
class Vector:
    name: str
    expect: str
    payload_sha256: str | None
    file_key: str
    identities: list[str]
    passphrases: list[str]
    armored: bool
    body: bytes

    @property
    def post_quantum(self) -> bool:
        return any(i.startswith("AGE-SECRET-KEY-PQ-") for i in self.identities)


def load(path: Path) -> Vector:
    raw = path.read_bytes()
    head, body = raw.split(b"\n\n", 1)
    fields: dict[str, list[str]] = {}
    for line in head.decode().splitlines():
        key, _, value = line.partition(": ")
        fields.setdefault(key, []).append(value)
    if fields.get("compressed") == ["zlib"]:
        body = zlib.decompress(body)
    return Vector(
        name=path.name,
        expect=fields["expect"][0],
        payload_sha256=fields.get("payload", [None])[0],
        file_key=fields["file key"][0],
        identities=fields.get("identity", []),
        passphrases=fields.get("passphrase", []),
        armored=fields.get("armored") == ["yes"],
        body=body,
    )


VECTORS = [load(p) for p in sorted(TESTKIT.iterdir())]


def _params():
    for v in VECTORS:
        yield pytest.param(v, id=v.name)


def _identity(text: str) -> age.Identity:
    if text.startswith("AGE-SECRET-KEY-PQ-"):
        return age.HybridIdentity.parse(text)
    return age.X25519Identity.parse(text)


def _identities(v: Vector) -> list[age.Identity]:
    ids: list[age.Identity] = [_identity(s) for s in v.identities]
    ids += [age.ScryptIdentity(p) for p in v.passphrases]
    return ids or [age.X25519Identity.generate()]


@pytest.mark.parametrize("vector", list(_params()))
def test_vector(vector: Vector) -> None:
    out = io.BytesIO()
    if vector.expect == "success":
        age.decrypt(_identities(vector), io.BytesIO(vector.body), out)
    else:
        with pytest.raises(EXPECTED_ERRORS[vector.expect]):
            age.decrypt(_identities(vector), io.BytesIO(vector.body), out)
    if vector.payload_sha256 is not None:
        assert hashlib.sha256(out.getvalue()).hexdigest() == vector.payload_sha256
    elif vector.expect != "success":
        assert out.getvalue() == b""


def test_vector_inventory() -> None:
    """Every vector of the kit runs, the 19 post-quantum hybrid ones included; none is skipped."""
    hybrid = [v.name for v in VECTORS if v.post_quantum]
    print(f"\nage testkit: {len(VECTORS)} vectors, all run ({len(hybrid)} post-quantum hybrid)")
    assert len(VECTORS) == 143
    assert len(hybrid) == 19
    assert all("hybrid" in name for name in hybrid)

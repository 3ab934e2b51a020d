"""Helpers for the bundle tests: people, real sealed bundles and hand-forged ones."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from panel_desk.core import age, bundle
from panel_desk.core.bundle import _zip
from panel_desk.core.bundle._manifest import MANIFEST_DOMAIN, Manifest
from panel_desk.core.identity import Identity
from panel_desk.core.model import Role

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
APP_ID = "northshire-2026-ab12"


class People:
    def __init__(self) -> None:
        self.secretariat = Identity.create("Sam Secretariat", Role.SECRETARIAT, "Department for Education", now=NOW)
        self.reader = Identity.create("Rita Reader", Role.CHILDRENS_COMMISSIONER, "Office of the Children's Commissioner",
                                      acts_for="Children's Commissioner", now=NOW)
        self.colleague = Identity.create("Colin Colleague", Role.EXPERT, "University", now=NOW)
        self.outsider = Identity.create("Olive Outsider", Role.EXPERT, "Elsewhere", now=NOW)


def seal_withdrawal(people: People, out: Path, files: dict | None = None, **kwargs) -> bundle.Manifest:
    """A real bundle from the secretariat to the reader and a colleague."""
    kwargs.setdefault("recipients", [people.reader.card, people.colleague.card])
    kwargs.setdefault("now", NOW)
    return bundle.seal(bundle.Kind.WITHDRAWAL, application_id=APP_ID, revision=1,
                       payload={"reason": "The authority withdrew its application."},
                       files=files if files is not None else {"letter.txt": b"withdrawn"},
                       signer=people.secretariat, out=out, **kwargs)


def forger(people: People, tmp_path: Path) -> Callable[..., Path]:
    """Build a bundle by hand: any ZIP members, a validly signed manifest, real age encryption.

    ``members`` is a list of (name, bytes); the manifest lists ``listed`` (default: the members
    after the first two) unless ``manifest`` is given; ``zip_bytes`` replaces the whole ZIP.
    """

    def make(members: list[tuple[str, bytes]] | None = None, *, files: dict[str, bytes] | None = None,
             manifest: dict | None = None, sign_with: Identity | None = None,
             encrypt_to: list | None = None, zip_bytes: bytes | None = None,
             mangle_manifest: Callable[[dict], None] | None = None) -> Path:
        signer = sign_with or people.secretariat
        files = files if files is not None else {"letter.txt": b"withdrawn"}
        recipients = encrypt_to if encrypt_to is not None else [people.reader.card]
        if manifest is None:
            import hashlib

            manifest = Manifest(
                kind=bundle.Kind.WITHDRAWAL, bundle_id="f" * 32, application_id=APP_ID, revision=1,
                created_at=NOW, creator=signer.fingerprint, recipients=[c.fingerprint for c in recipients],
                files=[bundle.FileEntry(path=k, sha256=hashlib.sha256(v).hexdigest(), size=len(v))
                       for k, v in files.items()],
                payload={"reason": "test"}).model_dump(mode="json")
        if mangle_manifest is not None:
            mangle_manifest(manifest)
        from panel_desk.core.identity import canonical_json

        manifest_bytes = canonical_json(manifest)
        signature = signer.sign_dual(manifest_bytes, MANIFEST_DOMAIN)
        if zip_bytes is None:
            if members is None:
                members = list(files.items())
            zip_bytes = make_zip([("manifest.json", manifest_bytes), ("manifest.sig", signature), *members])
        out = tmp_path / f"forged-{len(list(tmp_path.iterdir()))}.pdbundle"
        out.write_bytes(age.encrypt_bytes([c.recipient for c in recipients], zip_bytes))
        return out

    return make


def make_zip(members: list[tuple[str, bytes]]) -> bytes:
    """A STORED ZIP exactly as Panel Desk writes it, whatever the names."""
    source = _zip.ZipSource([_zip.Member(n, d, len(d), zlib.crc32(d)) for n, d in members], NOW)
    return source.read()


def signed_parts(people: People, files: dict[str, bytes]) -> tuple[bytes, bytes]:
    """A valid manifest and signature listing ``files``."""
    import hashlib

    from panel_desk.core.identity import canonical_json

    manifest = Manifest(
        kind=bundle.Kind.WITHDRAWAL, bundle_id="e" * 32, application_id=APP_ID, revision=1, created_at=NOW,
        creator=people.secretariat.fingerprint, recipients=[people.reader.fingerprint],
        files=[bundle.FileEntry(path=k, sha256=hashlib.sha256(v).hexdigest(), size=len(v)) for k, v in files.items()],
        payload={"reason": "test"}).model_dump(mode="json")
    data = canonical_json(manifest)
    return data, people.secretariat.sign_dual(data, MANIFEST_DOMAIN)

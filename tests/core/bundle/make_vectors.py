"""Write the bundle test vectors in ``vectors/``: files named by the outcome opening them must have.

``good_*`` open; ``fail_<outcome>_*`` are refused with that outcome's error. The keys are fixed
test keys (``vectors/keys.json``), never used for anything else, so the files stay readable by
later versions: a change that can no longer open them breaks the format. Regenerate only on
purpose::

    .venv/bin/python tests/core/bundle/make_vectors.py
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import zipfile
import zlib
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from panel_desk.core import age, bundle
from panel_desk.core.bundle import _zip
from panel_desk.core.bundle._manifest import MANIFEST_DOMAIN, Manifest
from panel_desk.core.identity import Identity, canonical_json
from panel_desk.core.model import Role

HERE = Path(__file__).resolve().parent / "vectors"
SEALED_AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
OPENED_AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # the "now" the vector test opens them at
APP_ID = "northshire-2026-ab12"
PEOPLE = {  # name: (role, 32-byte X25519 secret seed, 32-byte Ed25519 seed), test keys only
    "secretariat": (Role.SECRETARIAT, bytes(range(1, 33)), bytes(range(33, 65))),
    "reader": (Role.CHILDRENS_COMMISSIONER, bytes(range(65, 97)), bytes(range(97, 129))),
    "colleague": (Role.EXPERT, bytes(range(129, 161)), bytes(range(161, 193))),
    "outsider": (Role.EXPERT, bytes(range(193, 225)), bytes(range(224, 256))),
}


def person(name: str) -> Identity:
    """The fixed test identity ``name``."""
    role, x_seed, ed_seed = PEOPLE[name]
    return Identity(name=name.title(), role=role, organisation="Test vectors", acts_for="", created_at=SEALED_AT,
                    age_identity=age.X25519Identity.from_bytes(x_seed),
                    signing_key=Ed25519PrivateKey.from_private_bytes(ed_seed), store_key=bytes(32))


def _manifest(files: dict[str, bytes], recipients: list[Identity], signer: Identity, **changes) -> dict:
    m = Manifest(kind=bundle.Kind.WITHDRAWAL, bundle_id="0" * 32, application_id=APP_ID, revision=1,
                 created_at=SEALED_AT, creator=signer.fingerprint, recipients=[p.fingerprint for p in recipients],
                 files=[bundle.FileEntry(path=k, sha256=hashlib.sha256(v).hexdigest(), size=len(v), title=k)
                        for k, v in files.items()],
                 payload={"reason": "The authority withdrew its application."}).model_dump(mode="json")
    m.update(changes)
    return m


def _zip_of(manifest: dict, signer: Identity, members: list[tuple[str, bytes]]) -> bytes:
    data = canonical_json(manifest)
    sig = signer.sign(data, MANIFEST_DOMAIN)
    items = [("manifest.json", data), ("manifest.sig", sig), *members]
    return _zip.ZipSource([_zip.Member(n, d, len(d), zlib.crc32(d)) for n, d in items], SEALED_AT).read()


def _encrypt(plain: bytes, to: list[Identity]) -> bytes:
    return age.encrypt_bytes([p.card.recipient for p in to], plain)


def _flip(data: bytes, at: int) -> bytes:
    out = bytearray(data)
    out[at] ^= 0x01
    return bytes(out)


def build() -> dict[str, bytes]:
    """Return every vector by file name."""
    sec, reader, colleague, outsider = (person(n) for n in ("secretariat", "reader", "colleague", "outsider"))
    doc = b"%PDF-1.7\n" + hashlib.sha256(b"vectors").digest() * 2100  # ~67 KB: the ZIP spans two chunks
    files = {"documents/letter.pdf": doc, "notes.txt": b"withdrawn"}
    honest = _zip_of(_manifest(files, [reader, colleague], sec), sec, list(files.items()))
    good = _encrypt(honest, [reader, colleague])
    header_end = good.index(b"\n", good.index(b"\n--- ") + 1) + 1 + 16
    chunk = age.CHUNK_SIZE + 16
    chunks = [good[header_end + i:header_end + i + chunk] for i in range(0, len(good) - header_end, chunk)]
    assert len(chunks) == 2

    def forged(manifest: dict, members: list[tuple[str, bytes]], to=(reader,)) -> bytes:
        return _encrypt(_zip_of(manifest, sec, members), list(to))

    one = {"notes.txt": b"withdrawn"}
    out = {
        "good_two_recipients.pdbundle": good,
        "good_armored.pdbundle": age.encrypt_bytes([reader.card.recipient, colleague.card.recipient], honest, armor=True),
        "good_no_files.pdbundle": forged(_manifest({}, [reader], sec), []),
        "fail_damaged_flipped_header_mac.pdbundle": _flip(good, good.index(b"\n--- ") + 10),
        "fail_damaged_flipped_payload.pdbundle": _flip(good, header_end + 1000),
        "fail_damaged_truncated_chunk.pdbundle": good[:-100],
        "fail_damaged_missing_last_chunk.pdbundle": good[:header_end + chunk],
        "fail_damaged_swapped_chunks.pdbundle": good[:header_end] + chunks[1] + chunks[0],
        "fail_damaged_trailing_data.pdbundle": good + b"\0",
        "fail_damaged_file_hash.pdbundle": forged(_manifest(one, [reader], sec), [("notes.txt", b"withdrawN")]),
        "fail_not_addressed_to_you.pdbundle": _encrypt(honest, [colleague]),
        "fail_untrusted_signer.pdbundle": _encrypt(_zip_of(_manifest(one, [reader], outsider), outsider,
                                                            list(one.items())), [reader]),
        "fail_recipient_mismatch_count.pdbundle": forged(_manifest(one, [reader, colleague], sec), list(one.items())),
        "fail_recipient_mismatch_not_listed.pdbundle": forged(_manifest(one, [colleague], sec), list(one.items())),
        "fail_expired.pdbundle": forged(_manifest(one, [reader], sec, expires_at="2026-11-30T00:00:00Z"),
                                        list(one.items())),
        "fail_unsupported_version.pdbundle": forged(_manifest(one, [reader], sec, format=2), list(one.items())),
        "fail_unsafe_absolute_path.pdbundle": forged(_manifest({"/etc/passwd": b"x"}, [reader], sec),
                                                     [("/etc/passwd", b"x")]),
        "fail_unsafe_parent_path.pdbundle": forged(_manifest(one, [reader], sec), [("../notes.txt", b"withdrawn")]),
        "fail_unsafe_duplicate_name.pdbundle": forged(_manifest(one, [reader], sec),
                                                      [("notes.txt", b"withdrawn"), ("notes.txt", b"withdrawn")]),
        "fail_unsafe_unlisted_file.pdbundle": forged(_manifest(one, [reader], sec),
                                                     [("notes.txt", b"withdrawn"), ("run.exe", b"MZ")]),
    }
    # a compressed entry (a bomb in miniature) written by another tool
    bomb = b"\0" * 1_000_000
    manifest = canonical_json(_manifest({"bomb.pdf": bomb}, [reader], sec))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("manifest.json", manifest)
        zf.writestr("manifest.sig", sec.sign(manifest, MANIFEST_DOMAIN))
        zf.writestr("bomb.pdf", bomb, compress_type=zipfile.ZIP_DEFLATED)
    out["fail_unsafe_compressed.pdbundle"] = _encrypt(buf.getvalue(), [reader])
    return out


def keys() -> dict:
    """The test identities' public cards and the reader's age key, for the record."""
    return {"reader_age_key": person("reader").age_identity.to_string(),
            "cards": {n: json.loads(person(n).card.to_json()) for n in PEOPLE}}


def main() -> int:
    HERE.mkdir(exist_ok=True)
    for old in HERE.glob("*.pdbundle"):
        old.unlink()
    for name, data in build().items():
        (HERE / name).write_bytes(data)
    (HERE / "keys.json").write_text(json.dumps(keys(), indent=2) + "\n")
    print(f"wrote {len(list(HERE.glob('*.pdbundle')))} vectors to {HERE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark the memory of sealing an application for the panel (``secretariat.seal_application``).

Issue 13 ("Numbers"): sealing an application of 1 GiB of documents may grow peak memory by at
most 64 MB over sealing a tiny one. The documents live sealed in the secretariat's profile;
sealing decrypts each one from there as it goes (twice: once to hash it, once to write it) and
streams the ZIP into the encryptor, so nothing is held whole.

For each size (the example application alone, then the example plus random documents of up to
400 MiB each making up the size), a real secretariat profile with a real panel is made in ``--dir``; then a fresh
subprocess unlocks the profile, notes its resident memory (VmRSS), seals the application and
reports its peak (VmHWM) and the growth (peak minus resident before sealing). Run::

    .venv/bin/python benchmarks/bench_seal_memory.py [--sizes 1G] [--dir DIR]

Target: growth(big) - growth(tiny) <= 64 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "resources" / "examples" / "application"
PASSPHRASE = "benchmark only"
TARGET_MB = 64
PIECE = 400 * 1024**2
PEOPLE = (
    ("Sam Secretary", "secretariat", "Children's Commissioner"),
    ("Cara Okafor", "childrens-commissioner", "Children's Commissioner"),
    ("Ian Moss", "chief-inspector", "HM Chief Inspector"),
)


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _prepare(work: Path, extra_bytes: int) -> None:
    """A secretariat profile holding the example application plus ``extra_bytes`` of document."""
    from panel_desk.core import secretariat
    from panel_desk.core.identity import Identity
    from panel_desk.core.model import Role
    from panel_desk.core.store import init_profile

    work.mkdir(parents=True)
    folder = work / "application"
    shutil.copytree(EXAMPLE, folder)
    pieces = -(-extra_bytes // PIECE)  # documents are at most 512 MB each: annexes of up to 400 MiB
    for i in range(pieces):
        with (folder / "documents" / f"annex-{i + 1}.pdf").open("wb") as f:
            f.write(b"%PDF-1.7\n")
            left = min(PIECE, extra_bytes - i * PIECE) - 9
            while left > 0:
                n = min(8 << 20, left)
                f.write(os.urandom(n))
                left -= n
    cards = []
    for i, (name, role, acts_for) in enumerate(PEOPLE):
        ident = Identity.create(name, Role(role), "Organisation", acts_for if i else "")
        ident.save(work / f"{i}.id", PASSPHRASE, work_factor=10)  # throw-away identities protect nothing
        cards.append(ident.card)
    ws = init_profile(work / "profile", work / "0.id", PASSPHRASE, trusted=cards[1:])
    try:
        for (_name, role, acts_for), card in zip(PEOPLE[1:], cards[1:], strict=True):
            ws.roster_add(card, role=role, acts_for=acts_for)
        app = secretariat.new_application(ws, folder)
    finally:
        ws.close()
    (work / "app-id").write_text(app.id)
    shutil.rmtree(folder)  # only the sealed copy in the profile remains


def _worker(work: Path) -> dict:
    from panel_desk.core import secretariat
    from panel_desk.core.store import open_profile

    ws = open_profile(work / "profile", PASSPHRASE)
    app_id = (work / "app-id").read_text()
    docs = sum(d.size for d in ws.application(app_id).documents)
    before = _status_kib("VmRSS")
    start = time.perf_counter()
    secretariat.seal_application(ws, app_id, work / "out.pdbundle")
    seconds = time.perf_counter() - start
    peak = _status_kib("VmHWM")
    ws.close()
    size = (work / "out.pdbundle").stat().st_size
    (work / "out.pdbundle").unlink()
    return {"documents_mb": docs / 1e6, "bundle_mb": size / 1e6, "seconds": round(seconds, 2),
            "rss_before_mb": round(before / 1024, 1), "peak_mb": round(peak / 1024, 1),
            "growth_mb": round((peak - before) / 1024, 1)}


def _parse_size(text: str) -> int:
    text = text.strip().upper()
    units = {"K": 1024, "M": 1024**2, "G": 1024**3}
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1G", help="extra document sizes, comma-separated (default 1G)")
    parser.add_argument("--dir", type=Path, default=None, help="where to make the profiles (default: a temp folder)")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_worker(args.worker)))
        return 0
    base = Path(tempfile.mkdtemp(prefix="bench-seal-", dir=args.dir))
    results = {}
    try:
        for label, extra in [("tiny", 0)] + [(s, _parse_size(s)) for s in args.sizes.split(",")]:
            work = base / label
            _prepare(work, extra)
            out = subprocess.run([sys.executable, __file__, "--worker", str(work)], check=True,
                                 capture_output=True, text=True)
            results[label] = json.loads(out.stdout.strip().splitlines()[-1])
            print(label, json.dumps(results[label]), flush=True)
            shutil.rmtree(work)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    tiny = results["tiny"]["growth_mb"]
    ok = True
    for label, r in results.items():
        if label == "tiny":
            continue
        over = r["growth_mb"] - tiny
        verdict = "ok" if over <= TARGET_MB else "OVER TARGET"
        ok &= over <= TARGET_MB
        print(f"{label}: peak grows {over:.1f} MB more than for the tiny application "
              f"(target <= {TARGET_MB} MB): {verdict}; {r['documents_mb']:.0f} MB of documents sealed in "
              f"{r['seconds']} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

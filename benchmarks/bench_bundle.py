"""Benchmark sealing and opening bundles against the reference ``age`` tool.

For a 100 MB and a 1 GiB synthetic application (one big random document, a 5 MB document and a
few small ones) it measures, each in a fresh subprocess so peak memory is the operation's own:

- seal: MB/s and peak RSS;
- open and verify everything: MB/s and peak RSS, beside ``age -d -i KEY -o /dev/null`` on the
  same file in the same run (``--repeat`` alternating runs), and the ratio best against best and
  the median of the paired runs' ratios (open+verify uses two threads, so it suffers more than
  single-threaded ``age`` when something else is busy on the machine);
- reading the 5 MB document out of the opened bundle (cold cache), in milliseconds.

Targets (DESIGN §7 and the bundle issue): open-and-verify at least 1.15x ``age -d``; peak RSS at
most 150 MB for 1 GiB; the 5 MB read within 50 ms. Run::

    .venv/bin/python benchmarks/bench_bundle.py [--sizes 100M,1G] [--repeat 3] [--dir /dev/shm]
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

SMALL_DOC = 5 * 1000 * 1000
PASSPHRASE = "benchmark only"


def _peak_rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- workers (run in a subprocess) ---------------------------------------------------------------


def _worker_seal(work: Path, out: Path) -> dict:
    from panel_desk.core import bundle
    from panel_desk.core.identity import Identity, PublicCard

    signer = Identity.load(work / "sam.id", PASSPHRASE)
    reader = PublicCard.load(work / "rita.card")
    files = {f"documents/{p.name}": p for p in sorted((work / "documents").iterdir())}
    total = sum(p.stat().st_size for p in files.values())
    start = time.perf_counter()
    bundle.seal(bundle.Kind.WITHDRAWAL, application_id="benchmark-2026-0001", revision=1,
                payload={"reason": "benchmark"}, files=files, signer=signer, recipients=[reader], out=out)
    elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "mb_s": total / elapsed / 1e6, "peak_rss_mb": _peak_rss_mb()}


def _worker_open(work: Path, path: Path) -> dict:
    from panel_desk.core import bundle
    from panel_desk.core.identity import Identity, PublicCard

    reader = Identity.load(work / "rita.id", PASSPHRASE)
    trusted = [PublicCard.load(work / "sam.card")]
    size = path.stat().st_size
    start = time.perf_counter()
    opened = bundle.open_bundle(path, reader, trusted)
    elapsed = time.perf_counter() - start
    before = opened.chunks_decrypted
    t = time.perf_counter()
    data = opened.read("documents/b-5mb.pdf")
    read_ms = (time.perf_counter() - t) * 1000
    assert len(data) == SMALL_DOC
    chunks = opened.chunks_decrypted - before
    opened.close()
    return {"seconds": elapsed, "mb_s": size / elapsed / 1e6, "peak_rss_mb": _peak_rss_mb(),
            "read_5mb_ms": read_ms, "read_5mb_chunks": chunks}


# --- the driver ------------------------------------------------------------------------------------


def _run_worker(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--worker", *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _run_age(key: Path, path: Path) -> dict:
    start = time.perf_counter()
    proc = subprocess.Popen(["age", "-d", "-i", str(key), "-o", "/dev/null", str(path)])
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit("age -d failed")
    return {"seconds": elapsed, "mb_s": path.stat().st_size / elapsed / 1e6, "peak_rss_mb": usage.ru_maxrss / 1024}


def _write_random(path: Path, size: int) -> None:
    block = 8 * 1024 * 1024
    with path.open("wb") as f:
        f.write(b"%PDF-1.7\n")
        left = size - 9
        while left > 0:
            n = min(block, left)
            f.write(os.urandom(n))
            left -= n


def _parse_size(text: str) -> int:
    text = text.strip().upper()
    units = {"K": 1024, "M": 1000 * 1000, "G": 1024**3}
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


def _prepare(work: Path, size: int) -> None:
    from panel_desk.core.identity import Identity
    from panel_desk.core.model import Role

    docs = work / "documents"
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    small = [SMALL_DOC, 200_000, 50_000, 10_000]
    _write_random(docs / "a-big.pdf", size - sum(small))
    for name, n in zip(["b-5mb.pdf", "c.pdf", "d.pdf", "e.pdf"], small, strict=True):
        _write_random(docs / name, n)
    if not (work / "sam.id").exists():
        sam = Identity.create("Sam Secretariat", Role.SECRETARIAT, "DfE")
        rita = Identity.create("Rita Reader", Role.EXPERT, "University")
        # A low scrypt cost is fine here: these throw-away identities protect nothing.
        sam.save(work / "sam.id", PASSPHRASE, work_factor=10)
        rita.save(work / "rita.id", PASSPHRASE, work_factor=10)
        sam.card.save(work / "sam.card")
        rita.card.save(work / "rita.card")
        (work / "rita.key").write_text(rita.export_age_key())
        os.chmod(work / "rita.key", 0o600)


def _bench(work: Path, size: int, repeat: int) -> dict:
    _prepare(work, size)
    out = work / "bench.pdbundle"
    seals = [_run_worker("seal", str(work), str(out)) for _ in range(max(1, repeat - 1))]
    opens, ages = [], []
    for _ in range(repeat):  # alternate so both see the same machine conditions
        ages.append(_run_age(work / "rita.key", out))
        opens.append(_run_worker("open", str(work), str(out)))
    import statistics

    paired = [a["seconds"] / o["seconds"] for a, o in zip(ages, opens, strict=True)]
    best_open = min(opens, key=lambda r: r["seconds"])
    best_age = min(ages, key=lambda r: r["seconds"])
    best_seal = min(seals, key=lambda r: r["seconds"])
    result = {
        "size_bytes": out.stat().st_size,
        "seal": best_seal,
        "open": best_open,
        "age_d": best_age,
        "ratio_open_vs_age": best_age["seconds"] / best_open["seconds"],
        "ratio_paired_median": statistics.median(paired),
        "open_mb_s_runs": [round(r["mb_s"]) for r in opens],
        "age_mb_s_runs": [round(r["mb_s"]) for r in ages],
        "peak_rss_open_max_mb": max(r["peak_rss_mb"] for r in opens),
        "read_5mb_ms_best": min(r["read_5mb_ms"] for r in opens),
        "read_5mb_ms_worst": max(r["read_5mb_ms"] for r in opens),
    }
    out.unlink()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100M,1G", help="comma-separated sizes, e.g. 100M,1G")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", default="/dev/shm" if Path("/dev/shm").is_dir() else None)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, work, path = args.worker
        fn = _worker_seal if kind == "seal" else _worker_open
        print(json.dumps(fn(Path(work), Path(path))))
        return 0
    if shutil.which("age") is None:
        raise SystemExit("the reference age tool is needed (apt install age)")
    sizes = [_parse_size(s) for s in args.sizes.split(",")]
    base = Path(args.dir) if args.dir else None
    if base is not None and shutil.disk_usage(base).free < 2.2 * max(sizes):
        base = None
    results = {}
    with tempfile.TemporaryDirectory(prefix="panel-desk-bench-", dir=base) as tmp:
        work = Path(tmp)
        print(f"working in {work} ({os.cpu_count()} CPUs, Python {sys.version.split()[0]})", file=sys.stderr)
        for size in sizes:
            r = _bench(work, size, args.repeat)
            label = f"{size / 1e6:.0f} MB" if size < 1024**3 else f"{size / 1024**3:.0f} GiB"
            results[label] = r
            print(f"{label}: seal {r['seal']['mb_s']:.0f} MB/s (peak RSS {r['seal']['peak_rss_mb']:.0f} MB); "
                  f"open+verify {r['open']['mb_s']:.0f} MB/s (peak RSS {r['peak_rss_open_max_mb']:.0f} MB); "
                  f"age -d {r['age_d']['mb_s']:.0f} MB/s (peak RSS {r['age_d']['peak_rss_mb']:.0f} MB); "
                  f"ratio best/best {r['ratio_open_vs_age']:.2f}x, median of pairs {r['ratio_paired_median']:.2f}x "
                  f"(open runs {r['open_mb_s_runs']}, age runs {r['age_mb_s_runs']}); 5 MB document read "
                  f"{r['read_5mb_ms_best']:.1f}-{r['read_5mb_ms_worst']:.1f} ms "
                  f"({r['open']['read_5mb_chunks']} chunks)")
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

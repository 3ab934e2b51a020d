"""Benchmark panel_desk.core.age against the reference ``age`` tool on one synthetic file.

Usage: ``python benchmarks/bench_age.py --size-mb 200 [--runs 3] [--dir /dev/shm]``

Makes a random plaintext on tmpfs, encrypts it to a new X25519 recipient with our code, then
decrypts it with ours and with ``age -d -i key``, each in its own process so the peak RSS of each
is measured alone (VmHWM from /proc). Prints throughput (best of ``--runs``), peak RSS and the ratio.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[4])
from panel_desk.core import age
ident = age.X25519Identity.parse(open(sys.argv[1]).read().strip())
t0 = time.perf_counter()
with open(sys.argv[2], "rb") as src, open(sys.argv[3], "wb") as dst:
    age.decrypt([ident], src, dst)
seconds = time.perf_counter() - t0
with open("/proc/self/status") as status:
    hwm = next((int(l.split()[1]) for l in status if l.startswith("VmHWM:")), 0)
print(json.dumps({"seconds": seconds, "vmhwm_kib": hwm}))
"""


def _vmhwm(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next((int(line.split()[1]) for line in status if line.startswith("VmHWM:")), 0)
    except OSError:
        return 0


def _run(cmd: list[str]) -> tuple[float, int, str]:
    """Run ``cmd``; return wall seconds, peak RSS in KiB (polled VmHWM) and its stdout.

    ``ru_maxrss`` from wait4 is not used: a child forked from this (larger) process starts with
    this process's high-water mark, which would hide the child's own.
    """
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _vmhwm(proc.pid))
            time.sleep(0.001)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            raise SystemExit(f"{cmd[0]} failed: {err.read().decode(errors='replace')}")
        return wall, peak, out.read().decode()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def main() -> None:
    """Run the benchmark and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", default="/dev/shm" if os.path.isdir("/dev/shm") else None)
    args = parser.parse_args()
    if shutil.which("age") is None:
        raise SystemExit("the reference `age` tool is not installed")
    sys.path.insert(0, str(ROOT))
    from panel_desk.core import age

    size = args.size_mb * 1024 * 1024
    with tempfile.TemporaryDirectory(dir=args.dir, prefix="bench_age_") as tmp:
        work = Path(tmp)
        plain, enc, out = work / "plain.bin", work / "plain.age", work / "out.bin"
        with plain.open("wb") as f:
            block = os.urandom(1 << 20)
            for i in range(args.size_mb):
                f.write(block[i % 251 :] + block[: i % 251])
        ident = age.X25519Identity.generate()
        key = work / "key.txt"
        key.write_text(ident.to_string() + "\n")
        enc_s = float("inf")
        for _ in range(args.runs):
            t0 = time.perf_counter()
            with plain.open("rb") as src, enc.open("wb") as dst:
                age.encrypt([ident.recipient], src, dst)
            enc_s = min(enc_s, time.perf_counter() - t0)
        want = _sha256(plain)

        ours_inner, ours_wall, ours_rss = [], [], 0
        ref_wall, ref_rss = [], 0
        for _ in range(args.runs):
            wall, rss, stdout = _run([sys.executable, "-c", _CHILD, str(key), str(enc), str(out), str(ROOT)])
            report = json.loads(stdout)
            ours_inner.append(report["seconds"])
            ours_wall.append(wall)
            ours_rss = max(ours_rss, rss, report["vmhwm_kib"])
            assert _sha256(out) == want, "our decryption is wrong"
            out.unlink()
            wall, rss, _ = _run(["age", "-d", "-i", str(key), "-o", str(out), str(enc)])
            ref_wall.append(wall)
            ref_rss = max(ref_rss, rss)
            assert _sha256(out) == want, "age -d output differs"
            out.unlink()

    mb = size / 1e6
    ours, ours_w, ref = mb / min(ours_inner), mb / min(ours_wall), mb / min(ref_wall)
    version = subprocess.run(["age", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"file: {args.size_mb} MiB on {args.dir or tempfile.gettempdir()}, best of {args.runs}")
    print(f"encrypt (ours, in process):         {mb / enc_s:8.0f} MB/s")
    print(f"decrypt (ours, in process):         {ours:8.0f} MB/s   peak RSS {ours_rss / 1024:6.1f} MiB")
    print(f"decrypt (ours, process wall time):  {ours_w:8.0f} MB/s   (includes Python start-up and imports)")
    print(f"decrypt (age {version} -d):            {ref:8.0f} MB/s   peak RSS {ref_rss / 1024:6.1f} MiB")
    print(f"ratio ours/age: {ours / ref:.2f}x in process, {ours_w / ref:.2f}x wall to wall")


if __name__ == "__main__":
    main()

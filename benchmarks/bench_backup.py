"""Benchmark backup and restore of a profile, and the cost of the head record on each commit.

Builds a secretariat profile in a temporary folder with ``--applications`` applications recorded
by ``put_application`` (each with a ``--mb`` MB incompressible document, so bundles dominate the
size as they do in use) and ``--settings`` small committed changes, then times
``make_backup`` (integrity check, online backup, age encryption), ``restore_backup`` (decryption,
checks of every page, the audit chain and every bundle) and the median commit with its head
record written. Run::

    .venv/bin/python benchmarks/bench_backup.py [--applications 10] [--mb 5] [--settings 200] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

PASSPHRASE = "benchmark only"
EXAMPLE = Path(__file__).resolve().parents[1] / "resources" / "examples" / "application"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=10)
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--settings", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from panel_desk.core import backup
    from panel_desk.core.appdir import load_application_dir
    from panel_desk.core.identity import Identity
    from panel_desk.core.model import DocumentRef, Role
    from panel_desk.core.store import init_profile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        me = Identity.create("Bench Secretariat", Role.SECRETARIAT, "Bench")
        me.save(root / "me.age", PASSPHRASE, work_factor=10)
        ws = init_profile(root / "profile", root / "me.age", PASSPHRASE)
        example, files = load_application_dir(EXAMPLE)
        extra = DocumentRef(path="documents/data.bin", title="Data", media_type="application/octet-stream")
        for _n in range(args.applications):
            app = example.with_id().model_copy(update={"documents": [*example.documents, extra]})
            content = dict(files, **{"documents/data.bin": os.urandom(int(args.mb * 1024 * 1024))})
            ws.put_application(app, content, now=datetime.now(UTC))
        commits = []
        for n in range(args.settings):
            t = time.perf_counter()
            ws.set_setting(f"bench-{n}", n)
            commits.append(time.perf_counter() - t)
        out = root / "b.pdbackup"
        t = time.perf_counter()
        made = backup.make_backup(ws, out)
        backup_s = time.perf_counter() - t
        ws.close()
        t = time.perf_counter()
        backup.restore_backup(out, root / "restored", PASSPHRASE)
        restore_s = time.perf_counter() - t
        result = {"applications": args.applications, "backup_mb": round(made.size / 1e6, 1),
                  "backup_s": round(backup_s, 2), "restore_s": round(restore_s, 2),
                  "commit_median_ms": round(statistics.median(commits) * 1000, 2)}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"backup of {result['backup_mb']} MB ({args.applications} applications): {result['backup_s']} s; "
              f"restore with every check: {result['restore_s']} s; "
              f"median commit with its head record: {result['commit_median_ms']} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

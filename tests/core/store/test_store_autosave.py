"""Autosave survives a killed process (WAL, synchronous FULL): nothing acknowledged is lost."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time

import pytest
from store_helpers import APP_ID, NOW, PASS

from panel_desk.core.store import open_profile

WRITER = r"""
import sys
from panel_desk.core.model import ResponseAnswers
from panel_desk.core.store import open_profile

ws = open_profile(sys.argv[1], sys.argv[2])
app_id, n = sys.argv[3], int(sys.argv[4])
while True:
    n += 1
    answers = ResponseAnswers.model_validate({"outcomes": {"rationale": f"autosave {n}"}, "other_advice": "x" * (n % 500)})
    ws.save_answers(app_id, answers)
    sys.stdout.write(f"{n}\n")  # only after save_answers returned: acknowledged
    sys.stdout.flush()
"""


def _stored(ws) -> int:
    text = ws.answers(APP_ID).outcomes.rationale
    return int(text.split()[-1]) if text else 0


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_answers_survive_sigkill_at_random_moments(member, app_bundle):
    member.import_bundle(app_bundle, now=NOW)
    folder = member.profile_dir
    member.close()
    rng = random.Random(os.getpid())
    stored = 0
    for _round in range(3):
        child = subprocess.Popen([sys.executable, "-c", WRITER, str(folder), PASS, APP_ID, str(stored)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        acks: list[tuple[int, float]] = []
        first = threading.Event()

        def read(child=child, acks=acks, first=first):
            for line in child.stdout:
                acks.append((int(line), time.monotonic()))
                first.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        assert first.wait(30), child.stderr.read() if child.poll() is not None else "the writer never saved"
        time.sleep(rng.uniform(0.05, 0.4))
        child.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        child.wait(10)
        reader.join(10)
        child.stdout.close()
        child.stderr.close()
        assert child.returncode == -signal.SIGKILL
        ws = open_profile(folder, PASS)
        try:
            assert ws.tx.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            stored = _stored(ws)
            # everything acknowledged is there (a fortiori all written more than 1 s before the kill)
            assert stored >= acks[-1][0]
            assert stored >= max((n for n, t in acks if t < killed_at - 1.0), default=0)
            assert ws.verify_audit().ok
        finally:
            ws.close()
    assert stored > 3

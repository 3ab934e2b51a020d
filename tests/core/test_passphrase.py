"""Changing the passphrase (issue 15 item 4): one step that a kill cannot leave half-done.

The store key lives inside the identity file, so only ``identity.age`` is rewritten (atomically).
A child process is killed with SIGKILL at each point of the change; afterwards the profile opens
with exactly one of the two passphrases and holds everything it held before.
"""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest
from _workflow import NOW, PASSPHRASE, PEOPLE, make_panel

from panel_desk.core import passphrase
from panel_desk.core.errors import InvalidInput, WrongPassphrase
from panel_desk.core.store import open_profile

NEW = "a quite different passphrase now"

CHILD = r"""
import os, signal, sys
point, folder, old, new = sys.argv[1:5]

def die():
    os.kill(os.getpid(), signal.SIGKILL)

if point == "before-sync":
    real_fsync = os.fsync
    os.fsync = lambda fd: die()
elif point in ("before-rename", "after-rename"):
    real_replace = os.replace
    def replace(src, dst):
        if point == "before-rename":
            die()
        real_replace(src, dst)
        die()
    os.replace = replace
elif point == "during-audit":
    from panel_desk.core.store import audit
    audit.append = lambda *a, **k: die()

from panel_desk.core import passphrase
passphrase.change_passphrase(folder, old, new, work_factor=10)
print("finished")
"""


def _opens(folder, secret: str) -> bool:
    try:
        open_profile(folder, secret).close()
    except WrongPassphrase:
        return False
    return True


@pytest.fixture
def profile(tmp_path):
    panel = make_panel(tmp_path, PEOPLE[:2])
    ws = panel.ws(PEOPLE[1][0])
    ws.set_setting("kept", {"answers": "all of them"}, now=NOW)
    folder = ws.profile_dir
    before = ws.audit_log()
    panel.close()
    return folder, before


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize(("point", "opens_with"), [("before-sync", PASSPHRASE), ("before-rename", PASSPHRASE),
                                                   ("after-rename", NEW), ("during-audit", NEW)])
def test_a_kill_at_any_step_leaves_exactly_one_passphrase_working(profile, point, opens_with):
    folder, before = profile
    child = subprocess.run([sys.executable, "-c", CHILD, point, str(folder), PASSPHRASE, NEW],
                           capture_output=True, text=True, timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert [_opens(folder, PASSPHRASE), _opens(folder, NEW)] == [opens_with == PASSPHRASE, opens_with == NEW]
    with open_profile(folder, opens_with) as ws:
        assert ws.get_setting("kept") == {"answers": "all of them"}
        assert ws.audit_log()[:len(before)] == before and ws.verify_audit().ok


def test_change_passphrase_records_it_and_keeps_the_keys(profile):
    folder, _ = profile
    with open_profile(folder, PASSPHRASE) as ws:
        fingerprint = ws.fingerprint
    identity = passphrase.change_passphrase(folder, PASSPHRASE, NEW, work_factor=10, now=NOW)
    assert identity.fingerprint == fingerprint
    assert not _opens(folder, PASSPHRASE)
    with open_profile(folder, NEW) as ws:
        assert ws.audit_log()[-1]["action"] == "identity.passwd"
        assert ws.get_setting("kept") == {"answers": "all of them"}


def test_change_passphrase_refuses_in_words(profile):
    folder, _ = profile
    with pytest.raises(WrongPassphrase):
        passphrase.change_passphrase(folder, "wrong", NEW, work_factor=10)
    with pytest.raises(InvalidInput, match="same as the current one"):
        passphrase.change_passphrase(folder, PASSPHRASE, PASSPHRASE, work_factor=10)
    with pytest.raises(InvalidInput, match="empty"):
        passphrase.change_passphrase(folder, PASSPHRASE, "", work_factor=10)
    assert _opens(folder, PASSPHRASE)

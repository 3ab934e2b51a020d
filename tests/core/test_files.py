"""Files appear whole or not at all."""

from __future__ import annotations

import pytest

from panel_desk.core.errors import InvalidInput, NotFound
from panel_desk.core.files import atomic_output, removed_on_failure, write_atomic


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "advice.pdf"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_output(target) as f:
        f.write(b"half of the new")
        raise RuntimeError("the disk went away")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["advice.pdf"]


def test_exclusive_refuses_to_replace_and_modes_are_kept(tmp_path):
    target = tmp_path / "me.identity"
    write_atomic(target, b"secret", mode=0o600, exclusive=True)
    assert target.stat().st_mode & 0o777 == 0o600
    with pytest.raises(InvalidInput, match="already exists"):
        write_atomic(target, b"other", exclusive=True)
    assert target.read_bytes() == b"secret"
    write_atomic(target, b"replaced")
    assert target.read_bytes() == b"replaced"


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(NotFound, match="does not exist"):
        write_atomic(tmp_path / "nowhere" / "x", b"x")


def test_removed_on_failure_only_on_failure(tmp_path):
    sent = tmp_path / "response.pdbundle"
    sent.write_bytes(b"sealed")
    with removed_on_failure(sent):
        pass
    assert sent.exists()
    with pytest.raises(ValueError), removed_on_failure(sent):
        raise ValueError("recording failed")
    assert not sent.exists()

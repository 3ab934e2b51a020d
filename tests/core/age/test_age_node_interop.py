"""Interoperability of the post-quantum hybrid recipient with a second implementation.

The second implementation is typage, the npm package ``age-encryption`` 0.3.x (by age's author),
driven through ``node_age/age_tool.mjs``. Its pinned copy is installed into ``node_age/`` by
``npm ci`` (``packaging/bootstrap.sh test`` does it; so does this module on first use). Tests
skip, with the reason, only when Node is missing or npm cannot reach its registry.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from panel_desk.core import age

NODE_DIR = Path(__file__).resolve().parent / "node_age"
TOOL = NODE_DIR / "age_tool.mjs"
SIZES = {"empty": 0, "one-chunk": 1000, "chunk-boundary": 65536, "past-boundary": 65537,
         "several-MB": 3 * 1024 * 1024 + 17}


def _install() -> str | None:
    """Make sure typage is installed; return why it cannot be, or None."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "Node.js/npm is not installed"
    if (NODE_DIR / "node_modules" / "age-encryption" / "package.json").exists():
        return None
    try:
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE_DIR,
                              capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return "npm could not reach its registry (timed out installing age-encryption)"
    if done.returncode != 0:
        return f"npm could not install age-encryption: {done.stderr.strip()[:200]}"
    return None


@pytest.fixture(scope="module")
def typage() -> None:
    reason = _install()
    if reason is not None:
        pytest.skip(reason)


def _node(*args: str) -> str:
    done = subprocess.run(["node", str(TOOL), *args], cwd=NODE_DIR, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _node_keygen() -> tuple[str, str]:
    identity, recipient = _node("keygen").split()
    return identity, recipient


def test_typage_is_the_pinned_version(typage: None) -> None:
    import json

    meta = json.loads((NODE_DIR / "node_modules" / "age-encryption" / "package.json").read_text())
    assert meta["version"].startswith("0.3.")


def test_keys_agree(typage: None) -> None:
    """typage's identity string parses here to the very recipient typage derives from it."""
    identity, recipient = _node_keygen()
    ours = age.HybridIdentity.parse(identity)
    assert ours.recipient.to_string() == recipient
    assert ours.to_string() == identity
    assert age.HybridRecipient.parse(recipient) == ours.recipient


@pytest.mark.parametrize("armor", [False, True], ids=["binary", "armored"])
@pytest.mark.parametrize("size", list(SIZES.values()), ids=list(SIZES))
def test_typage_opens_ours(typage: None, tmp_path: Path, size: int, armor: bool) -> None:
    identity, recipient = _node_keygen()
    mine = age.HybridIdentity.generate()
    data = os.urandom(size)
    sealed = tmp_path / "file.age"
    with sealed.open("wb") as dst:
        age.encrypt([age.HybridRecipient.parse(recipient), mine.recipient], io.BytesIO(data), dst, armor=armor)
    assert age.header_stanza_types(io.BytesIO(sealed.read_bytes())) == ["mlkem768x25519"] * 2
    _node("decrypt", str(sealed), str(tmp_path / "out"), identity)
    assert (tmp_path / "out").read_bytes() == data
    assert age.decrypt_bytes([mine], sealed.read_bytes()) == data


@pytest.mark.parametrize("armor", [False, True], ids=["binary", "armored"])
@pytest.mark.parametrize("size", list(SIZES.values()), ids=list(SIZES))
def test_we_open_typages(typage: None, tmp_path: Path, size: int, armor: bool) -> None:
    mine = age.HybridIdentity.generate()
    data = os.urandom(size)
    (tmp_path / "plain").write_bytes(data)
    sealed = tmp_path / "file.age"
    _node("encrypt", str(tmp_path / "plain"), str(sealed), "armor" if armor else "binary",
          mine.recipient.to_string())
    assert age.is_armored(sealed.read_bytes()[:64]) == armor
    out = io.BytesIO()
    with sealed.open("rb") as src:
        age.decrypt([mine], src, out)
    assert out.getvalue() == data
    if not armor:
        with sealed.open("rb") as src:
            reader = age.open_seekable([mine], src)
            reader.seek(max(0, size - 10))
            assert reader.read() == data[max(0, size - 10):]


def test_typage_file_to_someone_else_is_not_ours(typage: None, tmp_path: Path) -> None:
    _, recipient = _node_keygen()
    (tmp_path / "plain").write_bytes(b"for someone else")
    _node("encrypt", str(tmp_path / "plain"), str(tmp_path / "f.age"), "binary", recipient)
    with pytest.raises(age.NoIdentityMatch):
        age.decrypt_bytes([age.HybridIdentity.generate()], (tmp_path / "f.age").read_bytes())

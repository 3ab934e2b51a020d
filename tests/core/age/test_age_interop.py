"""Interoperability with the reference ``age`` tool (1.1.1), in both directions."""

from __future__ import annotations

import io
import os
import pty
import shutil
import subprocess
import time
import warnings
from pathlib import Path
from typing import BinaryIO

import pytest

from panel_desk.core import age, errors

pytestmark = pytest.mark.skipif(
    shutil.which("age") is None or shutil.which("age-keygen") is None,
    reason="the reference age tool is not installed",
)

SIZES = [0, 1, 65536, 65537, 3 * 1024 * 1024 + 17]


def _keygen(tmp_path: Path, name: str) -> tuple[Path, age.X25519Identity]:
    """Return an ``age-keygen`` key file and the identity we parse from it."""
    key = tmp_path / name
    subprocess.run(["age-keygen", "-o", str(key)], check=True, capture_output=True)
    secret = next(line for line in key.read_text().splitlines() if line.startswith("AGE-SECRET-KEY-1"))
    ident = age.X25519Identity.parse(secret)
    public = subprocess.run(["age-keygen", "-y", str(key)], check=True, capture_output=True, text=True)
    assert ident.recipient.to_string() == public.stdout.strip()
    return key, ident


def _our_key(tmp_path: Path, name: str) -> tuple[Path, age.X25519Identity]:
    ident = age.X25519Identity.generate()
    key = tmp_path / name
    key.write_text(f"# made by panel_desk\n{ident.to_string()}\n")
    return key, ident


def plain_src(tmp_path: Path, data: bytes) -> BinaryIO:
    path = tmp_path / "plain"
    path.write_bytes(data)
    return path.open("rb")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("armor", [False, True], ids=["binary", "armored"])
def test_age_decrypts_ours(tmp_path: Path, size: int, armor: bool) -> None:
    key1, ident1 = _our_key(tmp_path, "k1")
    key2, ident2 = _keygen(tmp_path, "k2")
    data = os.urandom(size)
    enc = tmp_path / "file.age"
    with plain_src(tmp_path, data) as src, open(enc, "wb") as dst:
        age.encrypt([ident1.recipient, ident2.recipient], src, dst, armor=armor)
    for key in (key1, key2):
        out = subprocess.run(["age", "-d", "-i", str(key), str(enc)], check=True, capture_output=True)
        assert out.stdout == data


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("armor", [False, True], ids=["binary", "armored"])
def test_we_decrypt_age(tmp_path: Path, size: int, armor: bool) -> None:
    _, ident1 = _keygen(tmp_path, "k1")
    _, ident2 = _our_key(tmp_path, "k2")
    _, ident3 = _keygen(tmp_path, "k3")
    data = os.urandom(size)
    plain = tmp_path / "plain"
    plain.write_bytes(data)
    enc = tmp_path / "file.age"
    cmd = ["age", "-e", "-r", ident1.recipient.to_string(), "-r", ident2.recipient.to_string()]
    subprocess.run([*cmd, *(["-a"] if armor else []), "-o", str(enc), str(plain)], check=True)
    raw = enc.read_bytes()
    assert raw.startswith(b"-----BEGIN AGE ENCRYPTED FILE-----" if armor else b"age-encryption.org/v1\n")
    with enc.open("rb") as f:
        assert age.header_stanza_types(f) == ["X25519", "X25519"]
    for ident in (ident1, ident2):
        assert age.decrypt_bytes([ident], raw) == data
    with pytest.raises(age.NoIdentityMatch):
        age.decrypt_bytes([ident3], raw)
    if not armor:
        with enc.open("rb") as f, age.open_seekable([ident2], f) as reader:
            assert reader.size == size
            reader.seek(size // 2)
            assert reader.read(70_000) == data[size // 2 : size // 2 + 70_000]


def test_age_refuses_our_tampered_file(tmp_path: Path) -> None:
    key, ident = _our_key(tmp_path, "k")
    enc = bytearray(age.encrypt_bytes([ident.recipient], os.urandom(100_000)))
    enc[-5] ^= 1
    (tmp_path / "bad.age").write_bytes(enc)
    result = subprocess.run(["age", "-d", "-i", str(key), str(tmp_path / "bad.age")], capture_output=True)
    assert result.returncode != 0
    with pytest.raises(age.PayloadError):
        age.decrypt_bytes([ident], bytes(enc))


def _age_with_passphrase(argv: list[str], passphrase: str) -> int:
    """Run ``age`` on a pseudo-terminal (it reads passphrases only from a tty); return its exit code."""
    with warnings.catch_warnings():
        # Python 3.12+ warns about fork() in a process that has threads; age is exec'd at once.
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            pid, fd = pty.fork()
        except OSError as exc:  # pragma: no cover - machines without pseudo-terminals
            pytest.skip(f"no pseudo-terminal for age's passphrase prompt: {exc}")
    if pid == 0:  # pragma: no cover - the child process
        os.execvp(argv[0], argv)
    output = b""
    sent = 0
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            try:
                data = os.read(fd, 1024)
            except OSError:
                break
            if not data:
                break
            output += data
            if output.lower().count(b"passphrase") > sent:
                sent += 1
                os.write(fd, passphrase.encode() + b"\r")
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status)


def test_passphrase_files_both_ways(tmp_path: Path) -> None:
    data = os.urandom(70_000)
    plain = tmp_path / "plain"
    plain.write_bytes(data)
    theirs = tmp_path / "theirs.age"
    assert _age_with_passphrase(["age", "-p", "-o", str(theirs), str(plain)], "correct horse") == 0
    assert age.header_stanza_types(io.BytesIO(theirs.read_bytes())) == ["scrypt"]
    assert age.decrypt_bytes([age.ScryptIdentity("correct horse")], theirs.read_bytes()) == data
    with pytest.raises(errors.WrongPassphrase):
        age.decrypt_bytes([age.ScryptIdentity("wrong horse")], theirs.read_bytes())

    ours = tmp_path / "ours.age"
    ours.write_bytes(age.encrypt_bytes([age.ScryptRecipient("battery staple", work_factor=12)], data))
    out = tmp_path / "out"
    assert _age_with_passphrase(["age", "-d", "-o", str(out), str(ours)], "battery staple") == 0
    assert out.read_bytes() == data

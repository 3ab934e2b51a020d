"""The bundle's ZIP container: what the writer makes, standard tools and the strict reader accept."""

from __future__ import annotations

import io
import subprocess
import zipfile
import zlib

import pytest
from bundle_helpers import NOW, make_zip
from hypothesis import given, settings
from hypothesis import strategies as st

from panel_desk.core.bundle import Damaged, UnsafeContent, _zip

MEMBERS = [("manifest.json", b"{}"), ("manifest.sig", b"s" * 64), ("documents/a.pdf", b"%PDF" * 5000),
           ("empty.txt", b""), ("documents/café.pdf", b"accents")]


def _read(data: bytes, splits: list[int] | None = None) -> tuple[list[_zip.Entry], dict[str, bytes]]:
    got: dict[str, bytearray] = {}
    ended: list[str] = []
    reader = _zip.ZipStreamReader(lambda e: got.setdefault(e.name, bytearray()),
                                  lambda e, view: got[e.name].extend(view), lambda e: ended.append(e.name))
    points = [*sorted(set(splits or [])), len(data)]
    start = 0
    for p in points:
        reader.write(data[start:p])
        start = p
    entries = reader.close()
    assert ended == [e.name for e in entries]
    return entries, {k: bytes(v) for k, v in got.items()}


def test_written_zip_is_a_standard_zip():
    data = make_zip(MEMBERS)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        assert [(i.filename, i.compress_type) for i in zf.infolist()] == [(n, zipfile.ZIP_STORED) for n, _ in MEMBERS]
        assert {n: zf.read(n) for n, _ in MEMBERS} == dict(MEMBERS)


def test_written_zip_passes_unzip(tmp_path):
    path = tmp_path / "x.zip"
    path.write_bytes(make_zip(MEMBERS))
    try:
        result = subprocess.run(["unzip", "-tq", str(path)], capture_output=True, text=True)
    except FileNotFoundError:
        pytest.skip("unzip is not installed")
    assert result.returncode == 0, result.stdout + result.stderr


def test_reader_finds_every_member_where_it_is():
    data = make_zip(MEMBERS)
    entries, contents = _read(data)
    assert contents == dict(MEMBERS)
    for entry in entries:
        assert data[entry.offset:entry.offset + entry.size] == dict(MEMBERS)[entry.name]
        assert entry.crc == zlib.crc32(dict(MEMBERS)[entry.name])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 21_000), max_size=12))
def test_reader_gives_the_same_result_however_the_bytes_arrive(splits):
    data = make_zip(MEMBERS)
    assert _read(data, splits) == _read(data)


def test_zip64_offsets_round_trip(monkeypatch):
    monkeypatch.setattr(_zip, "ZIP64_FROM", 100)
    data = make_zip(MEMBERS)
    assert b"PK\x06\x06" in data and b"PK\x06\x07" in data
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert {n: zf.read(n) for n, _ in MEMBERS} == dict(MEMBERS)
    _entries, contents = _read(data)
    assert contents == dict(MEMBERS)


def test_zip64_records_where_none_are_needed_are_refused(monkeypatch):
    monkeypatch.setattr(_zip, "ZIP64_FROM", 100)
    data = make_zip(MEMBERS)
    monkeypatch.setattr(_zip, "ZIP64_FROM", 0xFFFFFFFF)
    with pytest.raises(UnsafeContent):
        _read(data)


@pytest.mark.parametrize("cut", [1, 10, 29, 31, 100, -1, -22, -30])
def test_truncated_zip_is_refused(cut):
    data = make_zip(MEMBERS)
    with pytest.raises((Damaged, UnsafeContent)):
        _read(data[:cut])


def test_empty_input_is_not_a_zip():
    with pytest.raises(Damaged):
        _read(b"")


@pytest.mark.parametrize("name", ["ok.pdf", "documents/ok.pdf", "Ünïcode/ok.pdf"])
def test_safe_names_pass(name):
    _zip.check_name(name)


@pytest.mark.parametrize("name", ["", "/abs", "../up", "a/../b", "a\\b", "c:x", "a//b", "./a", "a/.", "dir/",
                                  "nul\x00", "x" * 600, "\ud800"])
def test_unsafe_names_are_refused(name):
    with pytest.raises(UnsafeContent):
        _zip.check_name(name)


def test_reader_refuses_a_long_name_before_reading_it():
    data = bytearray(make_zip([("a" * 10, b"x")]))
    data[26:28] = (60_000).to_bytes(2, "little")
    with pytest.raises(UnsafeContent):
        _read(bytes(data))


def test_reader_refuses_an_oversized_central_directory(monkeypatch):
    monkeypatch.setattr(_zip, "MAX_FILES", 1)
    honest = make_zip([("a", b"x")])
    cd = honest.index(b"PK\x01\x02")
    with pytest.raises(UnsafeContent, match="more data"):
        _read(honest[:cd] + b"PK\x01\x02" + b"\0" * 10_000)


def test_encrypted_or_data_descriptor_entries_are_refused():
    data = bytearray(make_zip([("a.txt", b"x")]))
    data[6:8] = (0x0808).to_bytes(2, "little")  # data descriptor flag
    with pytest.raises(UnsafeContent):
        _read(bytes(data))
    data[6:8] = (0x0801).to_bytes(2, "little")  # encrypted
    with pytest.raises(UnsafeContent):
        _read(bytes(data))


def test_dos_time_is_the_seal_time():
    time, date = _zip._dos_time(NOW)
    assert date >> 9 == NOW.year - 1980 and (time >> 11) == NOW.hour


def _patch(data: bytes, at: int, value: bytes) -> bytes:
    return data[:at] + value + data[at + len(value):]


@pytest.mark.parametrize("case", ["disk number", "entries on disk", "cd size", "cd offset", "cd signature",
                                  "cd method", "cd comment", "cd extra", "cd name", "cd time", "short tail"])
def test_central_directory_must_repeat_the_local_headers(case):
    data = make_zip([("a.txt", b"x"), ("b.txt", b"yy")])
    eocd = data.rindex(b"PK\x05\x06")
    cd0 = data.index(b"PK\x01\x02")
    cd1 = data.rindex(b"PK\x01\x02")
    mutated = {
        "disk number": lambda: _patch(data, eocd + 4, b"\x01\x00"),
        "entries on disk": lambda: _patch(data, eocd + 8, b"\x01\x00"),
        "cd size": lambda: _patch(data, eocd + 12, (data[eocd + 12] + 1).to_bytes(1, "little")),
        "cd offset": lambda: _patch(data, eocd + 16, b"\x00"),
        "cd signature": lambda: _patch(data, cd1, b"PK\x01\x03"),
        "cd method": lambda: _patch(data, cd0 + 10, b"\x08\x00"),
        "cd comment": lambda: _patch(data, cd0 + 32, b"\x01\x00"),
        "cd extra": lambda: _patch(data, cd0 + 30, b"\x04\x00"),
        "cd name": lambda: _patch(data, cd0 + 46, b"z"),
        "cd time": lambda: _patch(data, cd0 + 12, b"\x00\x00"),
        "short tail": lambda: data[:cd0] + b"PK\x01\x02" + data[-10:],
    }[case]()
    with pytest.raises((UnsafeContent, Damaged)):
        _read(mutated)


@pytest.mark.parametrize("field", [("eocd64 signature", 0, b"PK\x06\x07"), ("eocd64 size", 4, b"\x00"),
                                   ("eocd64 count", 32, b"\x09"), ("locator offset", 56 + 8, b"\x00"),
                                   ("locator disks", 56 + 16, b"\x02")])
def test_zip64_end_records_are_checked(monkeypatch, field):
    monkeypatch.setattr(_zip, "ZIP64_FROM", 100)
    data = make_zip(MEMBERS)
    _name, offset, value = field
    at = data.rindex(b"PK\x06\x06") + offset
    with pytest.raises(UnsafeContent):
        _read(_patch(data, at, value))


def test_zip64_extra_field_is_checked(monkeypatch):
    monkeypatch.setattr(_zip, "ZIP64_FROM", 100)
    data = make_zip(MEMBERS)
    last_cd = data.rindex(b"PK\x01\x02")
    name_len = int.from_bytes(data[last_cd + 28:last_cd + 30], "little")
    extra_at = last_cd + 46 + name_len
    with pytest.raises(UnsafeContent):
        _read(_patch(data, extra_at, b"\x02\x00"))  # not the ZIP64 tag
    with pytest.raises(UnsafeContent):
        _read(_patch(data, extra_at + 4, b"\x01"))  # an offset below the threshold

"""The profile log records events, ids and counts, and never a title, a text or an answer."""

from __future__ import annotations

import logging
import stat

import pytest

from panel_desk.core import logs

MARKERS = {
    "title": "TITLE-MARKER-7f3a",
    "answer": "ANSWER-MARKER-91c2",
    "text": "Children in Wexmoor ANNOTATION-MARKER-55d0 said",
    "name": "NAME-MARKER-Ada",
    "path": "/home/someone/PATH-MARKER-3b/application.pdf",
}


@pytest.fixture
def profile_log(tmp_path):
    handler = logs.setup_logging(tmp_path)
    yield tmp_path, logs.log_path(tmp_path)
    logs.stop_logging(handler)


def test_a_sessions_events_are_logged_without_any_content(profile_log):
    _profile, path = profile_log
    lg = logging.getLogger("panel_desk.member")
    logs.log_event("workspace.unlocked", n_applications=3, ms=412.5)
    logs.log_event("application.imported", application_id="wexmoor-2026-demo", revision=1, count=4,
                   title=MARKERS["title"], **{"document_bytes": 13169})
    logs.log_event("response.saved", application_id="wexmoor-2026-demo", answer=MARKERS["answer"],
                   rationale=MARKERS["text"], kind=MARKERS["answer"] + " and more words")
    logs.log_event("annotation.added", page=3, note=MARKERS["text"], author=MARKERS["name"])
    logs.log_event("export.saved", pdf_bytes=1234, path=MARKERS["path"], ok=True)
    # free-form records, ours and a library's, with content in the message and in the arguments
    lg.warning(f"could not index {MARKERS['title']}")
    lg.info("opened %s for %s", MARKERS["title"], MARKERS["name"])
    logging.getLogger("pyhanko.sign").error("bad field %r", MARKERS["answer"])
    try:
        raise ValueError(f"Input should be valid: {MARKERS['answer']!r}")
    except ValueError:
        lg.exception("import failed for %s", MARKERS["path"])
    logging.getLogger().handlers[-1].flush()

    written = path.read_text(encoding="utf-8")
    for marker in ("TITLE-MARKER", "ANSWER-MARKER", "ANNOTATION-MARKER", "NAME-MARKER", "PATH-MARKER", "Wexmoor"):
        assert marker not in written
    lines = written.splitlines()
    assert "workspace.unlocked ms=412.5 n_applications=3" in lines[0]
    assert ("application.imported application_id=wexmoor-2026-demo count=4 document_bytes=13169 "
            "revision=1 title=[withheld]") in lines[1]
    assert "kind=[withheld]" in lines[2] and "answer=[withheld]" in lines[2]
    assert "annotation.added author=[withheld] note=[withheld] page=3" in lines[3]
    assert "ok=True path=[withheld] pdf_bytes=1234" in lines[4]
    assert "panel_desk.member at test_logs.py:" in lines[5] and "(message withheld)" in lines[5]
    assert "pyhanko.sign at" in written
    assert "ValueError (message withheld)" in written
    assert "test_logs.py:" in written.split("ValueError (message withheld)")[1]  # the frames are kept


def test_the_log_is_private_to_its_owner(profile_log):
    _profile, path = profile_log
    logs.log_event("workspace.locked")
    logging.getLogger().handlers[-1].flush()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_log_rotates(tmp_path):
    handler = logs.setup_logging(tmp_path, max_bytes=2000, backups=2)
    try:
        for i in range(200):
            logs.log_event("search.run", count=i)
    finally:
        logs.stop_logging(handler)
    files = sorted(p.name for p in logs.log_path(tmp_path).parent.iterdir())
    assert files == ["panel-desk.log", "panel-desk.log.1", "panel-desk.log.2"]
    assert all(p.stat().st_size <= 2100 for p in logs.log_path(tmp_path).parent.iterdir())


def test_setting_up_again_moves_the_log_to_the_new_profile(tmp_path):
    first = logs.setup_logging(tmp_path / "a")
    second = logs.setup_logging(tmp_path / "b")
    try:
        assert first not in logging.getLogger().handlers
        logs.log_event("demo.switched", role="chief-inspector")
        second.flush()
    finally:
        logs.stop_logging(second)
    assert "demo.switched role=chief-inspector" in logs.log_path(tmp_path / "b").read_text()
    assert not logs.log_path(tmp_path / "a").exists()


def test_event_names_are_constants_not_content():
    with pytest.raises(ValueError):
        logs.log_event("Imported " + MARKERS["title"])


@pytest.mark.parametrize(("fields", "expected"), [
    ({"application_ids": ["a-1", "b-2"]}, "application_ids=a-1,b-2"),
    ({"application_ids": ["a-1", "two words"]}, "application_ids=[withheld]"),
    ({"count": 2**70}, f"count={2**70}"),
    ({"status": "x" * 81}, "status=[withheld]"),
    ({"summary_count": None}, "summary_count=[withheld]"),
    ({"fingerprint": "ab12-cd34"}, "fingerprint=ab12-cd34"),
])
def test_safe_fields(fields, expected):
    assert logs.safe_fields(fields) == expected

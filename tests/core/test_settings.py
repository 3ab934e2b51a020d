"""Settings: typed defaults, validation in words, migrations, and any get/set store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from panel_desk.core import settings as st
from panel_desk.core.errors import InvalidInput


def test_defaults_are_what_a_new_profile_starts_with():
    s = st.load(st.DictStore())
    assert (s.auto_lock_minutes, s.export_folder, s.theme, s.schema_version) == (10, None, st.Theme.STANDARD, 2)
    assert not s.high_contrast


def test_round_trip_through_a_store(tmp_path):
    store = st.DictStore()
    s = st.Settings(auto_lock_minutes=5, export_folder=tmp_path, theme="high-contrast")
    st.save(store, s)
    publication = {k: getattr(st.Settings(), k) for k in ("contact_email", "contact_address", "root_location",
                                                          "tsa_url")}
    assert json.loads(store.data[st.KEY]) == {"auto_lock_minutes": 5, "export_folder": str(tmp_path),
                                              "schema_version": 2, "theme": "high-contrast", **publication}
    again = st.load(store)
    assert again == s and again.high_contrast and isinstance(again.export_folder, Path)
    st.save(store, again)
    assert store.data[st.KEY] == st.dumps(s)  # saving twice writes the same bytes


def test_a_workspace_with_get_setting_and_set_setting_is_a_store():
    class FakeWorkspace:
        def __init__(self):
            self.values = {}

        def get_setting(self, key):
            return self.values.get(key)

        def set_setting(self, key, value):
            self.values[key] = value

    ws = FakeWorkspace()
    st.save(st.store_of(ws), st.Settings(auto_lock_minutes=30))
    assert st.load(st.store_of(ws)).auto_lock_minutes == 30
    assert list(ws.values) == ["settings"]


@pytest.mark.parametrize(("doc", "expected"), [
    ({"lock_after": 15, "high_contrast": True}, (15, st.Theme.HIGH_CONTRAST, None)),
    ({"high_contrast": False, "export_folder": ""}, (10, st.Theme.STANDARD, None)),
    ({"schema_version": 1, "auto_lock_minutes": 20, "export_folder": "", "theme": "standard"},
     (20, st.Theme.STANDARD, None)),
    ({"schema_version": 1, "export_folder": "/srv/exports"}, (10, st.Theme.STANDARD, Path("/srv/exports"))),
])
def test_older_documents_are_migrated(doc, expected):
    s = st.parse(json.dumps(doc))
    assert (s.auto_lock_minutes, s.theme, s.export_folder) == expected
    assert s.schema_version == st.SCHEMA_VERSION


def test_settings_from_a_newer_panel_desk_are_refused_not_overwritten():
    store = st.DictStore({st.KEY: json.dumps({"schema_version": 99, "future": 1})})
    with pytest.raises(InvalidInput, match="newer version of Panel Desk"):
        st.load(store)
    s, problem = st.load_or_defaults(store)
    assert s == st.Settings() and "newer version" in problem


@pytest.mark.parametrize(("raw", "message"), [
    ('{"auto_lock_minutes": 0}', "Lock Panel Desk after this many idle minutes is too small"),
    ('{"theme": "dark"}', "Colours must be one of 'standard' or 'high-contrast'"),
    ('{"colour": "red"}', "is not a field this form knows"),
    ('{"auto_lock_minutes": "soon"}', "must be a whole number"),
    ("{not json", "damaged"),
    ("[1, 2]", "damaged"),
    (b'{"schema_version": "two"}', "no readable version"),
    ('{"schema_version": true}', "no readable version"),
    ("x" * 70_000, "too large"),
])
def test_bad_documents_are_explained_in_words(raw, message):
    with pytest.raises(InvalidInput, match=message):
        st.parse(raw)


def test_assignment_is_validated():
    s = st.Settings()
    with pytest.raises(ValueError):
        s.auto_lock_minutes = 1000


def test_the_time_stamping_authority_must_be_a_web_address():
    assert st.Settings(tsa_url="http://127.0.0.1:8080/tsr").tsa_url == "http://127.0.0.1:8080/tsr"
    with pytest.raises(ValueError):
        st.Settings(tsa_url="not a url")
    with pytest.raises(InvalidInput, match="Time-stamping authority"):
        st.parse(json.dumps({"schema_version": 2, "tsa_url": "ftp://x"}))

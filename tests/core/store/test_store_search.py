"""Search over documents' pages (panel_desk/core/store/search.py, textextract.py)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_helpers import APP_ID, DOC, DOC2, NOW, application, pdf

from panel_desk.core.errors import Cancelled, InvalidInput
from panel_desk.core.store import _db
from panel_desk.core.store._schema import MIGRATIONS
from panel_desk.core.store.search import SearchHit, match_expression, search
from panel_desk.core.store.textextract import pdf_pages

PAGES = {
    DOC: ("The local consultation reached 400 foster carers in Northshire.",
          "Outcomes for children: placement stability should improve within a year.",
          "Independent reviewing officers remain available to every family who prefers them."),
    DOC2: ("Risk to disabled children is mitigated by a weekly café-style drop-in.",),
}


@pytest.fixture
def indexed(secretariat):
    secretariat.put_application(application(), {p: pdf(*t) for p, t in PAGES.items()}, now=NOW)
    secretariat.put_application(application("southshire-2026-cc00", title="Reviewing officers"),
                                {DOC: pdf("Southshire consultation with reviewing officers."), DOC2: pdf("Risk")},
                                now=NOW)
    return secretariat


def test_search_returns_document_title_page_and_snippet(indexed):
    hits = indexed.search("placement stability", app_id=APP_ID)
    assert hits == [SearchHit(application_id=APP_ID, document=DOC, title="Application", page=2,
                              snippet="Outcomes for children: placement stability should improve within a year.",
                              highlights=((23, 32), (33, 42)))]
    assert hits[0].marked() == "Outcomes for children: [placement] [stability] should improve within a year."


def test_every_word_must_be_on_the_page_and_phrases_keep_their_order(indexed):
    assert {(h.application_id, h.page) for h in indexed.search("consultation")} == {
        (APP_ID, 1), ("southshire-2026-cc00", 1)}
    assert indexed.search("consultation disabled") == []
    assert [h.page for h in indexed.search('"reviewing officers"', app_id=APP_ID)] == [3]
    assert indexed.search('"officers reviewing"', app_id=APP_ID) == []


def test_prefixes_accents_and_case(indexed):
    assert [h.page for h in indexed.search("stabil*", app_id=APP_ID)] == [2]
    assert [h.document for h in indexed.search("CAFE")] == [DOC2]
    assert [h.document for h in indexed.search("café")] == [DOC2]


def test_search_syntax_is_never_passed_through(indexed):
    for query in ('NEAR(outcomes children)', 'outcomes OR nothing', '-outcomes', 'text:outcomes', 'a"b', "^x",
                  'outcomes AND', "children)", "((children"):
        indexed.search(query)  # no SQL error, whatever the punctuation
    assert indexed.search("outcomes OR nothing") == []  # OR is a word here, not an operator


def test_an_empty_query_is_refused(indexed):
    for query in ("", "   ", '""', "*", "!!", "((("):
        with pytest.raises(InvalidInput, match="Type a word or a phrase"):
            indexed.search(query)


def test_limit_and_application_filter(indexed):
    assert len(indexed.search("children")) == 2
    assert len(indexed.search("children", limit=1)) == 1
    assert indexed.search("children", limit=0) == []
    assert {h.application_id for h in indexed.search("consultation", app_id="southshire-2026-cc00")} == {
        "southshire-2026-cc00"}


def test_match_expression_quotes_every_term():
    assert match_expression('risk "local authority" monit* say "hi') == '"risk" "local authority" "monit"* "say" "\"\"hi"'


def test_pdf_pages_reads_from_memory_and_tolerates_non_pdfs():
    assert pdf_pages(pdf("one", "two", "three")) == ["one", "two", "three"]
    assert pdf_pages(b"") == []
    assert pdf_pages(b"%PDF-1.7 broken") == []
    with pytest.raises(Cancelled):
        pdf_pages(pdf("one"), cancel=lambda: True)


@pytest.fixture(scope="module")
def bare_db(tmp_path_factory):
    db = _db.connect(tmp_path_factory.mktemp("fts") / "s.db", bytes(32))
    _db.migrate(db, MIGRATIONS)
    yield db
    db.conn.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=40))
def test_any_typed_text_is_either_refused_in_words_or_searched(bare_db, query):
    try:
        assert search(bare_db, query, application_ids=["a"]) == []
    except InvalidInput as exc:
        assert str(exc) == "Type a word or a phrase to search for."

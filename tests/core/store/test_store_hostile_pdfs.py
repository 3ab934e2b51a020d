"""Hostile PDFs at import (issue 12, items 2, 3 and 5): refused in words, nothing kept, bounded."""

from __future__ import annotations

import resource

import pytest
from hostile_pdfs import deeply_nested, inflation_bomb, many_pages, self_looping_page_tree
from store_helpers import APP_ID, DOC, DOC2, NOW, files_for, seal_application
from test_store_import import state

from panel_desk.core import pdfcheck
from panel_desk.core.errors import Cancelled
from panel_desk.core.pdfcheck import Limits, UnsafeDocument, check_pdf

HOSTILE = {
    "self-looping page tree": (self_looping_page_tree, "list of pages refers back to itself"),
    "50,000 pages": (many_pages, "This document has 50,000 pages; Panel Desk opens documents of up to 10,000 pages."),
    "4 MB that unpack to 4 GB": (inflation_bomb, "unpacks to more than 512 MB"),
    "nesting 300 deep": (deeply_nested, "nested more than 100 levels deep"),
}


@pytest.fixture(scope="module")
def hostile() -> dict[str, bytes]:
    return {name: build() for name, (build, _words) in HOSTILE.items()}


def children_peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_pdf_in_a_signed_application_is_refused_in_words_and_nothing_is_kept(
        member, people, tmp_path, hostile, case):
    path = tmp_path / "hostile.pdbundle"
    files = files_for()
    files[DOC2] = hostile[case]
    seal_application(people, path, files=files)
    before = state(member)
    result = member.import_bundle(path, now=NOW)
    assert result.status == "refused" and result.application_id == APP_ID
    assert result.message.startswith(f"Risk assessment ({DOC2}) cannot be kept: ")
    assert HOSTILE[case][1] in result.message
    assert result.message.endswith("It was not imported; ask the secretariat for a corrected copy.")
    assert state(member) == before  # no record, no audit entry, no staged copy left in bundles/
    assert children_peak_kib() < 1_200_000  # the 4 GB bomb was counted, never held (peak child memory)


def test_the_secretariat_cannot_record_an_application_with_a_hostile_pdf(secretariat, hostile):
    from store_helpers import application

    with pytest.raises(UnsafeDocument, match="refers back to itself"):
        secretariat.put_application(application(), {DOC: files_for()[DOC], DOC2: hostile["self-looping page tree"]},
                                    now=NOW)
    assert secretariat.applications() == []


def test_an_ordinary_application_still_imports_with_its_text(member, app_bundle):
    assert member.import_bundle(app_bundle, now=NOW).status == "imported"


def test_the_check_is_killed_when_it_runs_out_of_time_or_memory(hostile):
    with pytest.raises(UnsafeDocument, match="took longer than 0 seconds"):
        check_pdf(hostile["4 MB that unpack to 4 GB"], limits=Limits(seconds=0.01, stream_bytes=1 << 40,
                                                                      total_bytes=1 << 40))
    with pytest.raises(UnsafeDocument, match="needs more memory than Panel Desk allows"):
        check_pdf(many_pages(50_000), limits=Limits(memory=1 << 20, pages=1_000_000))


def test_smaller_limits_name_what_was_exceeded(hostile):
    with pytest.raises(UnsafeDocument, match="unpacks to more than 1 MB; Panel Desk opens documents that unpack "
                                             "to at most 1 MB in all"):
        check_pdf(inflation_bomb(8 << 20), limits=Limits(total_bytes=1 << 20, stream_bytes=1 << 40))
    with pytest.raises(UnsafeDocument, match="This document has 3 pages; Panel Desk opens documents of up to 2"):
        check_pdf(many_pages(3), limits=Limits(pages=2))
    with pytest.raises(UnsafeDocument, match="made of 6 parts; Panel Desk opens documents of up to 4 parts"):
        check_pdf(many_pages(3), limits=Limits(objects=4))


def test_cancel_kills_the_check(hostile):
    with pytest.raises(Cancelled):
        pdfcheck.check_pdf(hostile["4 MB that unpack to 4 GB"], cancel=lambda: True)


def test_text_extraction_names_the_file_it_refuses(tmp_path, hostile):
    from panel_desk.core.store.textextract import pdf_pages

    path = tmp_path / "annex.pdf"
    path.write_bytes(hostile["self-looping page tree"])
    with path.open("rb") as f, pytest.raises(UnsafeDocument, match=r"^annex\.pdf: This document's list of pages"):
        pdf_pages(f)
    with pytest.raises(UnsafeDocument, match=r"^This document's list of pages"):
        pdf_pages(hostile["self-looping page tree"])


def test_a_source_that_fails_while_being_read_raises_its_own_error():
    from panel_desk.core.errors import InvalidInput

    class Damaged:
        def tell(self):
            return 0

        def seek(self, *_args):
            return 1 << 20

        def read(self, _n):
            raise InvalidInput("This bundle was changed after it was signed.")

    with pytest.raises(InvalidInput, match="changed after it was signed"):
        check_pdf(Damaged())

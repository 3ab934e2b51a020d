"""The published advice as PDF and HTML: every publishable field where it belongs, and nothing else."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from io import BytesIO

import pypdfium2 as pdfium
import pytest
from publish_samples import NOW, advice_dict, marked_advice, sample_advice
from pyhanko.pdf_utils.reader import PdfFileReader

from panel_desk.core import publish
from panel_desk.core.errors import InvalidInput
from panel_desk.core.model import Advice, parse_model
from panel_desk.core.publish import _document

# The advice's fields, each placed by _document.build; a new field must be placed (or left out
# deliberately) before this list changes.
PUBLISHED_FIELDS = {
    "application_id", "application_revision", "advice_revision", "authority", "title", "provisions",
    "trial_months", "extension_months", "dates", "date_of_advice", "summary", "outcomes", "monitoring",
    "conditions", "other_advice", "members", "interests", "dissents", "comments", "participation", "finalised_at",
}

# marker → the section (by anchor) whose text must hold it; "title" means the title page
WHERE = {
    "authority": "title", "title": "title", "enactment": "summary", "reference": "summary", "replacement": "summary",
    "summary": "summary", "outcomes": "outcomes", "monitoring": "monitoring",
    "condition_one": "conditions", "condition_two": "conditions", "other_advice": "other-advice",
    "member_name": "members", "organisation": "members", "acts_for": "members",
    "imember": "interests", "interest_text": "interests", "decision_reason": "interests",
    "dissent_by": "dissent", "dissent_text": "dissent", "comment_by": "dissent", "comment_text": "dissent",
}
SECTION_TITLES = {s.anchor: _document.typographic(f"{s.number}. {s.title}")
                  for s in _document.build(sample_advice()).sections}


def pdf_pages(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    try:
        out = []
        for page in doc:
            text = page.get_textpage()
            out.append(text.get_text_bounded().replace("\r\n", "\n"))
            text.close()
            page.close()
        return out
    finally:
        doc.close()


def pdf_toc(pdf: bytes) -> list[tuple[int, str]]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [(item.level, item.get_title()) for item in doc.get_toc()]
    finally:
        doc.close()


@pytest.fixture(scope="module")
def marked():
    advice, markers = marked_advice()
    return advice, markers, publish.render_pdf(advice, now=NOW), publish.render_html(advice)


def test_advice_has_only_the_fields_the_document_places():
    assert set(Advice.model_fields) == PUBLISHED_FIELDS


def test_internal_notes_have_no_way_into_an_advice():
    for internal in ("internal_note", "evidence", "rating", "confidence"):
        with pytest.raises(InvalidInput, match="not a field"):
            parse_model(Advice, advice_dict(**{internal: "INTERNALSECRET"}))


def test_every_publishable_marker_is_in_the_pdf_where_it_belongs(marked):
    _advice, markers, pdf, _html = marked
    pages = pdf_pages(pdf)
    body = " ".join("\n".join(pages[1:]).split())  # headings may wrap
    for name, marker in markers.items():
        where = WHERE[name]
        if where == "title":
            assert marker in pages[0], name
            continue
        start = body.rindex(SECTION_TITLES[where])  # the heading, not its line in the contents
        following = [body.rindex(t) for t in SECTION_TITLES.values() if body.rindex(t) > start]
        end = min(following) if following else len(body)
        assert marker in body[start:end], f"{name} not in section {where}"


def test_every_publishable_marker_is_in_the_html_where_it_belongs(marked):
    _advice, markers, _pdf, html = marked
    head, _, rest = html.partition('<nav class="contents"')
    sections = dict(re.findall(r'<section aria-labelledby="([a-z-]+)">(.*?)</section>', rest, re.S))
    for name, marker in markers.items():
        where = WHERE[name]
        if where == "title":
            assert marker in head, name
        else:
            assert marker in sections[where], f"{name} not in section {where}"


def test_the_document_says_every_fact_in_words():
    advice = sample_advice()
    text = "\n".join(pdf_pages(publish.render_pdf(advice, now=NOW)))
    flat = " ".join(text.split())
    for words in (
        "How children’s outcomes are likely to be affected",
        "Whether there are sufficient monitoring arrangements",
        "Applicant authority Northshire County Council",
        "Date the panel was asked 14 September 2026",
        "Date of advice 20 November 2026",
        "Modification a review chaired by the child",
        "Negative procedure", "Affirmative procedure", "Exemption",
        "91 days later", "at least 6 weeks (42 days)", "This minimum is met",
        "A trial can last at most 36 months (3 years), and can be extended once, by at most 36 more months",
        "trial of 24 months",
        "Statement of dissent by Tom Evans", "I do not think monthly audits are enough.",
        "Social work practice: Children must be told of the way back.",
        "Worked for Northshire until 2023", "Takes part; interest published.",
        "Children’s Commissioner Office of the Children’s Commissioner",  # not "acting for" their own role
        "Mary O’Neill & Co <b>",  # escaped, so printed as written
        "The authority reports monthly", "The Department audits",
    ):
        assert words in flat, words


def test_short_notice_and_no_dissent_are_stated():
    advice = sample_advice(dates={"received": "2026-10-01", "panel_asked": "2026-11-01",
                                  "regulations_intended": "2026-12-01", "advice_due": "2026-11-20"},
                           dissents=[], comments=[], conditions=[], other_advice="", extension_months=12)
    flat = " ".join("\n".join(pdf_pages(publish.render_pdf(advice, now=NOW))).split())
    assert "30 days later" in flat and "This minimum is not met: the panel was asked 12 days too late." in flat
    assert "No member dissented from the panel’s advice." in flat
    assert "The panel makes no conditions or recommendations." in flat
    assert "The panel has no other advice." in flat
    assert "an extension of 12 months" in flat


def test_pdf_metadata_language_outline_and_fonts(unsigned_pdf):
    reader = PdfFileReader(BytesIO(unsigned_pdf))
    root = reader.root
    assert str(root["/Lang"]) == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    info = reader.trailer["/Info"]
    assert str(info["/Author"]) == "Expert advisory panel on the power to test different ways of working"
    assert str(info["/Title"]).startswith("Targeted independent reviewing officer oversight")
    assert "Northshire County Council" in str(info["/Subject"])
    assert str(info["/CreationDate"]).startswith("D:20261120140500")
    toc = pdf_toc(unsigned_pdf)
    assert [t for level, t in toc if level == 1][:1] == ["Contents"]
    assert [t for level, t in toc if level == 1][1:] == list(SECTION_TITLES.values())
    assert (2, "Statement of dissent by Tom Evans") in toc


def test_every_font_is_embedded(unsigned_pdf, tmp_path):
    pdffonts = shutil.which("pdffonts")
    if pdffonts is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    path = tmp_path / "advice.pdf"
    path.write_bytes(unsigned_pdf)
    lines = subprocess.run([pdffonts, str(path)], capture_output=True, text=True, check=True,
                           timeout=60).stdout.splitlines()[2:]
    assert lines and all(re.search(r"DejaVu-?Sans", ln) and re.search(r"\byes\s+yes\b", ln) for ln in lines), lines


def test_every_page_has_the_running_header_and_page_x_of_y(unsigned_pdf):
    pages = pdf_pages(unsigned_pdf)
    assert len(pages) >= 4
    for i, text in enumerate(pages, 1):
        assert f"Page {i} of {len(pages)}" in text
        if i > 1:
            assert "Advice of the expert advisory panel: Northshire County Council" in text
            assert "20 November 2026" in text


def test_the_contents_list_links_to_each_section_on_its_page(unsigned_pdf):
    flat = [" ".join(p.split()) for p in pdf_pages(unsigned_pdf)]
    for title in SECTION_TITLES.values():
        entry = re.search(rf"{re.escape(title)} (\d+)", flat[1])
        assert entry, title
        page = int(entry.group(1))
        assert flat[page - 1].count(title) >= (2 if page == 2 else 1), title  # page 2 also holds the contents
    reader = PdfFileReader(BytesIO(unsigned_pdf))
    contents_page = reader.root["/Pages"]["/Kids"][1].get_object()
    links = [a.get_object() for a in contents_page.get("/Annots", []) if a.get_object()["/Subtype"] == "/Link"]
    assert {str(link["/Dest"]) for link in links} == set(SECTION_TITLES)


def test_paragraphs_are_numbered_by_section(unsigned_pdf):
    text = "\n".join(pdf_pages(unsigned_pdf))
    for number in ("1.1", "1.2", "2.1", "2.2", "3.1", "9.1", "10.1"):
        assert re.search(rf"(^|\n){re.escape(number)}\s", text), number


def test_the_signature_field_waits_on_the_last_page(unsigned_pdf):
    from pyhanko.sign import fields

    reader = PdfFileReader(BytesIO(unsigned_pdf))
    found = list(fields.enumerate_sig_fields(reader))
    assert [(name, value) for name, value, _ in found] == [("PanelSignature", None)]
    field_ref = found[0][2].reference
    pages = reader.root["/Pages"]["/Kids"]
    annots = [[a.reference for a in page.get_object().get("/Annots", [])] for page in pages]
    on = [i for i, a in enumerate(annots) if field_ref in a]
    flat = [" ".join(p.split()) for p in pdf_pages(unsigned_pdf)]
    assert len(on) == 1 and SECTION_TITLES["signature"] in flat[on[0]]  # on the page of the signature section


# --- HTML ------------------------------------------------------------------------------------------


class _Checker(HTMLParser):
    VOID = frozenset({"meta", "br", "link", "img", "hr", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, f"</{tag}> closes nothing open"


def test_html_is_semantic_accessible_and_self_contained():
    html = publish.render_html(sample_advice())
    checker = _Checker()
    checker.feed(html)
    checker.close()
    assert checker.stack == []
    tags = checker.tags
    assert html.startswith("<!DOCTYPE html>")
    assert ("html", {"lang": "en-GB"}) in tags
    assert [t for t, _ in tags].count("h1") == 1
    assert [t for t, _ in tags].count("main") == 1
    h2 = [t for t, _ in tags if t == "h2"]
    assert len(h2) == len(SECTION_TITLES) + 1  # plus contents
    assert any(t == "h3" for t, _ in tags)
    assert all(a.get("scope") in ("col", "row") for t, a in tags if t == "th")
    assert [t for t, _ in tags].count("caption") == [t for t, _ in tags].count("table") == 3
    assert all(a.get("href", "#").startswith("#") for t, a in tags if t == "a")
    lowered = html.lower()
    for external in ("http://", "https://", "src=", "<link", "@import", "url(", "<script"):
        assert external not in lowered, external
    assert "@media print" in html
    assert '<ol class="paras">' in html and 'id="para-2.1"' in html


def test_html_escapes_everything():
    hostile = '<script>alert("x")</script> & "quotes" \'single\''
    html = publish.render_html(sample_advice(summary=hostile, title=hostile, members=[
        {"name": hostile, "role": "expert"}]))
    assert "<script" not in html
    assert "&lt;script&gt;alert(“x”)&lt;/script&gt; &amp; “quotes” ‘single’" in html


def test_pdf_prints_markup_as_text():
    hostile = "<b>not bold</b> & <font size=40>big</font>"
    flat = " ".join("\n".join(pdf_pages(publish.render_pdf(sample_advice(summary=hostile), now=NOW))).split())
    assert hostile in flat


def test_advice_text_keeps_its_paragraphs_and_lists():
    advice = sample_advice(other_advice="First point.\n\n- one\n- two\n\nLast point.")
    html = publish.render_html(advice)
    section = re.search(r'<section aria-labelledby="other-advice">(.*?)</section>', html, re.S).group(1)
    assert re.search(r"5\.1</span> First point\.", section)
    assert "<ul class=\"items\">\n<li>one</li>\n<li>two</li>\n</ul>" in section
    assert re.search(r"5\.2</span> Last point\.", section)

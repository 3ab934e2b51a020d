"""Typeset the published advice as a tagged, archival PDF, laid out like a UK government publication.

WeasyPrint typesets the print layout of the very HTML the web version is (one source, one set of
words: :mod:`._document`), and writes PDF/A-2a: a structure tree of headings, paragraphs, lists
and tables with header cells, an outline, the language, the title shown in the title bar, an
sRGB output intent; the XMP also names PDF/UA-1. reportlab cannot tag a PDF, so it only draws
the small signature stamp (an appearance stream inside the signature widget) here. DejaVu Sans
is embedded (from ``resources/fonts`` or the system).
"""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
)

from panel_desk.core.errors import InvalidInput
from panel_desk.core.model import Advice, utcnow
from panel_desk.core.publish import _document as d
from panel_desk.core.publish.html import render_html

FONT_DIR = Path(__file__).resolve().parents[3] / "resources" / "fonts"
SYSTEM_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "PanelSans"
FONT_BOLD = "PanelSans-Bold"
FONT_ITALIC = "PanelSans-Oblique"

TEXT = colors.HexColor("#0b0c0c")
BLUE = colors.HexColor("#1d70b8")
GREY = colors.HexColor("#505a5f")
BORDER = colors.HexColor("#b1b4b6")
LIGHT = colors.HexColor("#f3f2f1")

PAGE_W, PAGE_H = A4
MARGIN_X = 25 * mm
MARGIN_TOP = 28 * mm
MARGIN_BOTTOM = 25 * mm
BODY_W = PAGE_W - 2 * MARGIN_X
NUMBER_INDENT = 12 * mm
FIELD_NAME = "PanelSignature"  # the empty signature field left for the stamp
STAMP_SIZE = (340.0, 92.0)  # points: wide enough for the secretariat's name at 9.5 pt
# the stamp's alternative text (the field's /TU), read out by screen readers for the signature
STAMP_ALT = "Digital signature of the panel’s secretariat: who signed and when"

_fonts_lock = threading.Lock()
_fonts_ready = False


def _register_fonts() -> None:
    """Register DejaVu Sans with reportlab once per process (the registry is global)."""
    global _fonts_ready
    with _fonts_lock:
        if _fonts_ready:
            return
        for name, file in ((FONT, "DejaVuSans.ttf"), (FONT_BOLD, "DejaVuSans-Bold.ttf"),
                           (FONT_ITALIC, "DejaVuSans-Oblique.ttf")):
            path = FONT_DIR / file
            if not path.is_file():
                path = SYSTEM_FONT_DIR / file
            if not path.is_file():
                raise InvalidInput(f"The font {file} is missing from {FONT_DIR}. Reinstall Panel Desk.")
            pdfmetrics.registerFont(TTFont(name, str(path)))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                      boldItalic=FONT_BOLD)
        _fonts_ready = True


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, bulletFontName=FONT, fontSize=11, leading=16, textColor=TEXT,
                          alignment=TA_LEFT,
                          spaceAfter=8)
    return {
        "body": base,
        "number": ParagraphStyle("number", parent=base, leftIndent=NUMBER_INDENT, bulletIndent=0,
                                 bulletFontName=FONT, bulletColor=GREY),
        "item": ParagraphStyle("item", parent=base, leftIndent=NUMBER_INDENT + 7 * mm,
                               bulletIndent=NUMBER_INDENT, spaceAfter=5),
        "h1": ParagraphStyle("h1", parent=base, fontName=FONT_BOLD, fontSize=19, leading=24, spaceBefore=4,
                             spaceAfter=12),
        "h2": ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=15, leading=20, spaceBefore=14,
                             spaceAfter=10),
        "h3": ParagraphStyle("h3", parent=base, fontName=FONT_BOLD, fontSize=12.5, leading=17, spaceBefore=8,
                             spaceAfter=6),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=13.5, spaceAfter=0),
        "th": ParagraphStyle("th", parent=base, fontName=FONT_BOLD, fontSize=10, leading=13.5, spaceAfter=0),
        "caption": ParagraphStyle("caption", parent=base, fontName=FONT_BOLD, fontSize=11, leading=15,
                                  spaceBefore=4, spaceAfter=6),
        "kicker": ParagraphStyle("kicker", parent=base, fontSize=12, leading=16, textColor=GREY, spaceAfter=18),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=28, leading=34, spaceAfter=14),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=15, leading=21, spaceAfter=26),
        "key": ParagraphStyle("key", parent=base, fontName=FONT_BOLD, spaceAfter=0),
        "value": ParagraphStyle("value", parent=base, spaceAfter=0),
        "small": ParagraphStyle("small", parent=base, fontSize=10, leading=14, textColor=GREY, spaceAfter=0),
    }


def _text(value: str) -> str:
    """Plain text as reportlab paragraph markup: escaped, with line breaks kept."""
    return escape(value).replace("\n", "<br/>")


class _Heading(Paragraph):
    """A heading that becomes an outline entry when it is drawn."""

    def __init__(self, text: str, style: ParagraphStyle, *, outline: str, key: str, level: int) -> None:
        super().__init__(_text(text), style)
        self.outline = (outline, key, level)


class _SignatureBox(Flowable):
    """Empty space for the signature stamp; remembers where it was drawn."""

    def __init__(self, width: float, height: float, sink: dict) -> None:
        super().__init__()
        self.width, self.height, self._sink = width, height, sink

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        self._sink["box"] = (x, y, x + self.width, y + self.height)
        self._sink["page"] = self.canv.getPageNumber()


class _Template(BaseDocTemplate):
    def __init__(self, buf: BytesIO, document: d.Document, created: datetime, **kw) -> None:
        super().__init__(buf, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                         bottomMargin=MARGIN_BOTTOM, lang="en-GB", displayDocTitle=1, invariant=1, **kw)
        self.document = document
        self.created = created
        self.total_pages = 0  # known after a first pass
        self.heading_pages: dict[str, int] = {}  # section anchor → page, from the first pass
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, BODY_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        title_frame = Frame(MARGIN_X, MARGIN_BOTTOM, BODY_W, PAGE_H - 40 * mm - MARGIN_BOTTOM, id="title",
                            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("title", [title_frame], onPage=self._title_page),
            PageTemplate("body", [frame], onPage=self._body_page),
        ])

    def afterFlowable(self, flowable) -> None:
        outline = getattr(flowable, "outline", None)
        if outline:
            title, key, level = outline
            self.heading_pages[key] = self.page
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(title, key, level=level, closed=False)

    def _common(self, canv: Canvas) -> None:
        if canv.getPageNumber() == 1:
            stamp = self.created.astimezone(UTC).strftime("D:%Y%m%d%H%M%SZ")
            canv._doc.setDateFormatter(lambda *_: stamp)
            canv.showOutline()
        canv.saveState()
        canv.setFillColor(GREY)
        canv.setFont(FONT, 9)
        page = canv.getPageNumber()
        canv.drawString(MARGIN_X, 14 * mm, f"Page {page} of {self.total_pages or page}")
        canv.drawRightString(PAGE_W - MARGIN_X, 14 * mm, _fit(self.document.reference, 110 * mm, 9))
        canv.restoreState()

    def _title_page(self, canv: Canvas, doc) -> None:
        self._common(canv)
        canv.saveState()
        canv.setFillColor(BLUE)
        canv.rect(0, PAGE_H - 12 * mm, PAGE_W, 12 * mm, stroke=0, fill=1)
        canv.setFillColor(colors.white)
        canv.setFont(FONT_BOLD, 10)
        canv.drawString(MARGIN_X, PAGE_H - 7.6 * mm, "Published advice")
        canv.restoreState()

    def _body_page(self, canv: Canvas, doc) -> None:
        self._common(canv)
        canv.saveState()
        canv.setFillColor(GREY)
        canv.setFont(FONT, 9)
        top = PAGE_H - 15 * mm
        canv.drawString(MARGIN_X, top, _fit(self.document.running_head, 120 * mm, 9))
        canv.drawRightString(PAGE_W - MARGIN_X, top, self.document.date_of_advice)
        canv.setStrokeColor(BLUE)
        canv.setLineWidth(1.2)
        canv.line(MARGIN_X, top - 3 * mm, PAGE_W - MARGIN_X, top - 3 * mm)
        canv.restoreState()


def _fit(text: str, width: float, size: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` points."""
    if pdfmetrics.stringWidth(text, FONT, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


PX = 0.75  # points per CSS pixel
_UA_XMP = b"""<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
  xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"><pdfuaid:part>1</pdfuaid:part></rdf:Description>
"""


def _tagged_pdf(advice: Advice, now: datetime, details: d.PublicationDetails | None) -> tuple[bytes, dict]:
    """The advice typeset by WeasyPrint from the print layout of the same HTML: tagged, PDF/A-2a, PDF/UA-1."""
    import weasyprint  # imported here: it loads Pango, which only publishing needs

    html = render_html(advice, details, print_mode=True)
    document = weasyprint.HTML(string=html, base_url=str(FONT_DIR)).render()
    stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    document.metadata.created = document.metadata.modified = stamp
    document.metadata.generator = "Panel Desk"
    rdf = document.metadata.generate_rdf_metadata

    def with_pdf_ua(*args, **kwargs) -> bytes:
        # the PDF/UA identifier (and its PDF/A extension schema) inside WeasyPrint's own rdf:RDF,
        # where pyHanko finds and keeps it when it updates the XMP at signing
        data = rdf(*args, **kwargs)
        return data.replace(b"</rdf:RDF>", _UA_XMP + b"</rdf:RDF>", 1)

    document.metadata.generate_rdf_metadata = with_pdf_ua
    sink: dict = {}
    for number, page in enumerate(document.pages, 1):
        if "signature-box" in page.anchors:
            x, y, _w, _h = page.anchors["signature-box"]
            top = page.height * PX - y * PX
            left = x * PX
            sink = {"page": number, "box": (left, top - STAMP_SIZE[1], left + STAMP_SIZE[0], top)}
    pdf = document.write_pdf(pdf_variant="pdf/a-2a", pdf_identifier=uuid.uuid5(uuid.NAMESPACE_URL, html).bytes,
                             finisher=_scope_header_cells)
    return pdf, sink


def _scope_header_cells(_document, pdf) -> None:
    """Give each table header cell its /Scope: Column in the header row, Row in the body.

    A WeasyPrint finisher (it runs on the PDF's objects just before they are written). WeasyPrint
    links data cells to their headers with /Headers and /IDs; the scope on the header cells is what
    some checkers and screen readers look for (PDF/UA 7.5, the HTML's ``th scope``).
    """
    def parent(obj):
        ref = obj.get("P")
        try:
            return pdf.objects[int(str(ref).split()[0])]
        except (ValueError, IndexError, TypeError):
            return None

    for obj in pdf.objects:
        if not isinstance(obj, dict) or obj.get("S") != "/TH" or not isinstance(obj.get("A"), dict):
            continue
        row = parent(obj)
        group = parent(row) if isinstance(row, dict) else None
        in_head = isinstance(group, dict) and group.get("S") == "/THead"
        obj["A"]["Scope"] = "/Column" if in_head else "/Row"


def _add_signature_field(pdf: bytes, sink: dict) -> bytes:
    """Add the empty signature field where the stamp space was left (an incremental update)."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    x0, y0, x1, y1 = sink["box"]
    fields.append_signature_field(writer, fields.SigFieldSpec(
        sig_field_name=FIELD_NAME, on_page=sink["page"] - 1, box=(round(x0, 2), round(y0, 2), round(x1, 2), round(y1, 2)),
        readable_field_name=STAMP_ALT))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def render_pdf(advice: Advice, *, now: datetime | None = None, details: d.PublicationDetails | None = None) -> bytes:
    """The unsigned published advice as PDF bytes (``now`` sets the creation date).

    Tagged (headings, paragraphs, lists, tables with header cells), PDF/A-2a with the PDF/UA-1
    identifier, typeset from the same HTML as the web version. The page with the signature
    section holds an empty signature field named ``PanelSignature`` where
    :func:`~panel_desk.core.publish.sign_pdf` puts its stamp.
    """
    pdf, sink = _tagged_pdf(advice, now or utcnow(), details)
    return _add_signature_field(pdf, sink) if sink else pdf


def render_stamp(size: tuple[float, float], *, title: str, signer: str, when: str) -> bytes:
    """The visible signature stamp as a one-page PDF of ``size`` points (imported by the signer)."""
    _register_fonts()
    buf = BytesIO()
    w, h = size
    canv = Canvas(buf, pagesize=size, invariant=1, pageCompression=1, initialFontName=FONT, initialFontSize=9)
    canv.setFillColor(colors.white)
    canv.rect(0, 0, w, h, stroke=0, fill=1)
    canv.setFillColor(LIGHT)
    canv.rect(0, 0, w, h, stroke=0, fill=1)
    canv.setFillColor(BLUE)
    canv.rect(0, 0, 5, h, stroke=0, fill=1)
    canv.setFillColor(TEXT)
    x = 16
    canv.setFont(FONT, 10.5)  # one font: its subset tag differs from the body's
    canv.drawString(x, h - 22, _fit(title, w - x - 10, 10.5))
    canv.setFont(FONT, 9.5)
    canv.drawString(x, h - 42, "Signed by " + _fit(signer, w - x - 60, 9.5))
    canv.drawString(x, h - 58, "On " + when)
    canv.setFillColor(GREY)
    canv.setFont(FONT, 8.5)
    canv.drawString(x, h - 78, "Digital signature (PAdES). Check it in your PDF reader's signature panel.")
    canv.showPage()
    canv.save()
    return buf.getvalue()

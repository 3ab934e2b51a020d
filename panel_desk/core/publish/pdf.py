"""Typeset the published advice as a PDF (reportlab), laid out like a UK government publication.

DejaVu Sans (open licence, in ``resources/fonts``) is embedded. The document has a title page,
numbered paragraphs, a running header and a "Page x of y" footer, an outline, metadata with the
language en-GB, and an empty signature field on the last page where the signature stamp goes.
reportlab cannot tag a PDF for screen readers, so the accessible version is the HTML.
"""

from __future__ import annotations

import threading
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
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from panel_desk.core.errors import InvalidInput
from panel_desk.core.model import Advice, utcnow
from panel_desk.core.publish import _document as d

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


def _table(block: d.Table, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    data = [[Paragraph(_text(h), st["th"]) for h in block.headers]]
    data += [[Paragraph(_text(c), st["cell"]) for c in row] for row in block.rows]
    widths = [BODY_W * w for w in block.widths]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # reportlab sets each cell's font, even for Paragraph cells
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, TEXT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.6, BORDER),
    ]))
    return [CondPageBreak(40 * mm), Paragraph(_text(block.caption), st["caption"]), table, Spacer(1, 12)]


def _title_page(doc: d.Document, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = [
        Paragraph(_text(doc.kicker), st["kicker"]),
        Paragraph(_text(doc.title), st["title"]),
        Paragraph(_text(doc.subtitle), st["subtitle"]),
    ]
    rows = [[Paragraph(_text(f.label), st["key"]), Paragraph(_text(f.value), st["value"])] for f in doc.facts]
    facts = Table(rows, colWidths=[BODY_W * 0.36, BODY_W * 0.64], hAlign="LEFT")
    facts.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 7),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ("LINEABOVE", (0, 0), (-1, 0), 0.6, BORDER),
        ("LINEBELOW", (0, 0), (-1, -1), 0.6, BORDER),
    ]))
    out += [facts, Spacer(1, 22), Paragraph("Provisions the authority asks to change", st["h3"])]
    for p in doc.provisions:
        what = p.change + (f": replaced by {p.replacement}" if p.replacement else "")
        out.append(KeepTogether([
            Paragraph(_text(p.citation), ParagraphStyle("prov", parent=st["body"], fontName=FONT_BOLD,
                                                        spaceAfter=1, leftIndent=4 * mm)),
            Paragraph(_text(f"{what}. {p.procedure}."), ParagraphStyle("provd", parent=st["body"],
                                                                        leftIndent=4 * mm, spaceAfter=10)),
        ]))
    return out


def _contents(doc: d.Document, st: dict[str, ParagraphStyle], pages: dict[str, int]) -> list[Flowable]:
    """The contents list, each entry a link to its section, with page numbers from the first pass."""
    link = ParagraphStyle("contents", parent=st["body"], spaceAfter=0, textColor=BLUE)
    num = ParagraphStyle("contents-page", parent=st["body"], spaceAfter=0, textColor=GREY, alignment=2)
    rows = [[Paragraph(f'<a href="#{s.anchor}">{s.number}. {_text(s.title)}</a>', link),
             Paragraph(str(pages.get(s.anchor, "")), num)] for s in doc.sections]
    table = Table(rows, colWidths=[BODY_W - 20 * mm, 20 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]))
    heading = _Heading("Contents", ParagraphStyle("contents-h", parent=st["h2"], spaceBefore=0), outline="Contents",
                       key="contents", level=0)
    return [heading, table, Spacer(1, 14)]


def _body(doc: d.Document, st: dict[str, ParagraphStyle], sink: dict) -> list[Flowable]:
    out: list[Flowable] = []
    for section in doc.sections:
        heading = _Heading(f"{section.number}. {section.title}", st["h2"],
                           outline=f"{section.number}. {section.title}", key=section.anchor, level=0)
        flows: list[list[Flowable]] = [[CondPageBreak(45 * mm), heading]]
        for block in section.blocks:
            if isinstance(block, d.Para):
                flows.append([Paragraph(_text(block.text), st["number"], bulletText=block.number)])
            elif isinstance(block, d.Items):
                flows.append([Paragraph(_text(item), st["item"], bulletText=f"{i}." if block.ordered else "•")
                              for i, item in enumerate(block.items, 1)] + [Spacer(1, 4)])
            elif isinstance(block, d.Table):
                flows.append(_table(block, st))
            elif isinstance(block, d.Subheading):
                flows.append([CondPageBreak(30 * mm),
                              _Heading(block.text, st["h3"], outline=block.text, key=block.anchor, level=1)])
            else:  # d.Signature
                flows.append([Spacer(1, 6), _SignatureBox(*STAMP_SIZE, sink)])
        if any(isinstance(b, d.Signature) for b in section.blocks):
            # the signature section is short: never leave the stamp alone on a page
            out.append(KeepTogether([f for group in flows for f in group]))
            continue
        pending = flows[0]  # headings wait to be kept with the first thing under them
        for block, group in zip(section.blocks, flows[1:], strict=True):
            if isinstance(block, d.Subheading):
                pending = [*pending, *group]
            elif pending:
                first = next(i for i, f in enumerate(group) if not isinstance(f, CondPageBreak)) + 1
                out.append(KeepTogether([*pending, *group[:first]]))
                out.extend(group[first:])
                pending = []
            else:
                out.extend(group)
        out.extend(pending)
    return out


def _build(advice: Advice, now: datetime) -> tuple[bytes, dict]:
    _register_fonts()
    document = d.build(advice)
    st = _styles()
    sink: dict = {}
    buf = BytesIO()
    template = _Template(buf, document, now, initialFontName=FONT, initialFontSize=11, title=f"{document.title}: advice of the expert advisory panel",
                         author=d.AUTHOR, subject=document.subject, creator="Panel Desk",
                         producer="Panel Desk (reportlab)",
                         keywords=["power to test different ways of working", "children's social care",
                                   document.authority],
                         pageCompression=1)
    def story() -> list[Flowable]:
        # "body" from the next page on, even if the cover overflows (many provisions)
        return [NextPageTemplate("body"), *_title_page(document, st), PageBreak(),
                *_contents(document, st, template.heading_pages), *_body(document, st, sink)]

    # "Page x of y" needs y: lay the document out once to count its pages, then for real. (A
    # form XObject filled in at the end would save the pass but splits the words for text readers.)
    template.build(story())
    template.total_pages = template.page
    buf.seek(0)
    buf.truncate()
    template.build(story())
    return buf.getvalue(), sink


def _add_signature_field(pdf: bytes, sink: dict) -> bytes:
    """Add the empty signature field where the stamp space was left (an incremental update)."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    x0, y0, x1, y1 = sink["box"]
    fields.append_signature_field(writer, fields.SigFieldSpec(
        sig_field_name=FIELD_NAME, on_page=sink["page"] - 1, box=(round(x0, 2), round(y0, 2), round(x1, 2), round(y1, 2))))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def render_pdf(advice: Advice, *, now: datetime | None = None) -> bytes:
    """The unsigned published advice as PDF bytes (``now`` sets the creation date).

    The last page holds an empty signature field named ``PanelSignature`` where
    :func:`~panel_desk.core.publish.sign_pdf` puts its stamp.
    """
    pdf, sink = _build(advice, now or utcnow())
    return _add_signature_field(pdf, sink)


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
    canv.setFont(FONT_BOLD, 10.5)
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

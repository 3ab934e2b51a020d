"""The published advice as one self-contained, accessible HTML page for publication on the web.

Same words as the PDF (both come from :mod:`._document`), semantic markup in the manner of a
GOV.UK publication: ``lang="en-GB"``, one ``h1``, ``h2`` per section and ``h3`` below, numbered
paragraphs in ordered lists, tables with captions and ``th scope``, a contents list, print
styles, and no external resource of any kind. Every piece of text is escaped.
"""

from __future__ import annotations

from html import escape

from panel_desk.core.model import Advice
from panel_desk.core.publish import _document as d

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #0b0c0c; font-family: "Helvetica Neue", Arial, "DejaVu Sans", sans-serif;
  font-size: 1.1875rem; line-height: 1.5; }
.skip { position: absolute; left: -9999px; }
.skip:focus { position: static; display: inline-block; margin: 8px; padding: 4px 8px; background: #fd0; color: #0b0c0c; }
header.masthead { background: #1d70b8; color: #fff; padding: 12px 0; }
header.masthead p { margin: 0 auto; max-width: 960px; padding: 0 24px; font-weight: 700; }
main { display: block; margin: 0 auto; max-width: 960px; padding: 24px 24px 48px; }
.kicker { color: #505a5f; margin: 24px 0 8px; }
h1 { font-size: 2.5rem; line-height: 1.15; margin: 0 0 16px; }
.subtitle { font-size: 1.5rem; margin: 0 0 32px; }
h2 { font-size: 1.75rem; line-height: 1.25; margin: 48px 0 16px; }
h3 { font-size: 1.3rem; margin: 32px 0 12px; }
p, li, td, th, dd, dt { max-width: 42em; }
a { color: #1d70b8; }
a:visited { color: #4c2c92; }
a:focus { outline: 3px solid transparent; background: #fd0; color: #0b0c0c; box-shadow: 0 -2px #fd0, 0 4px #0b0c0c;
  text-decoration: none; }
dl.facts { display: grid; grid-template-columns: minmax(10em, 1fr) 2fr; margin: 0 0 32px; border-top: 1px solid #b1b4b6; }
dl.facts dt, dl.facts dd { margin: 0; padding: 10px 16px 10px 0; border-bottom: 1px solid #b1b4b6; }
dl.facts dt { font-weight: 700; }
ol.paras { list-style: none; padding: 0; margin: 0 0 16px; }
ol.paras > li { position: relative; padding-left: 3.5em; margin-bottom: 16px; }
ol.paras > li > .num { position: absolute; left: 0; color: #505a5f; }
ul.items, ol.items { margin: 0 0 20px 3.5em; padding-left: 1.25em; }
ul.items li, ol.items li { margin-bottom: 8px; }
table { border-collapse: collapse; width: 100%; margin: 0 0 32px; }
caption { text-align: left; font-weight: 700; font-size: 1.2rem; padding-bottom: 8px; }
th, td { text-align: left; vertical-align: top; padding: 10px 20px 10px 0; border-bottom: 1px solid #b1b4b6; }
thead th { border-bottom: 2px solid #0b0c0c; }
.provisions li { margin-bottom: 12px; }
nav.contents ol { padding-left: 0; list-style: none; }
.signature { border-left: 5px solid #1d70b8; background: #f3f2f1; padding: 16px 20px; margin: 16px 0; }
footer.wrap { margin: 0 auto; max-width: 960px; padding: 16px 24px 32px; }
footer { border-top: 1px solid #b1b4b6; color: #505a5f; font-size: 1rem; }
@media print {
  body { font-size: 11pt; }
  header.masthead { background: none; color: #0b0c0c; border-bottom: 2pt solid #1d70b8; }
  main { max-width: none; padding: 0; }
  nav.contents, .skip { display: none; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  table, tr, .signature { break-inside: avoid; page-break-inside: avoid; }
  a { color: #0b0c0c; text-decoration: none; }
}
"""


def _css_string(text: str) -> str:
    text = d.typographic(text)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


_PRINT_CSS = """
@page { size: A4; margin: 28mm 25mm 25mm 25mm; font-family: "DejaVu Sans", sans-serif;
  @top-left { content: @RUNNING@; font-size: 9pt; color: #505a5f; vertical-align: bottom; padding-bottom: 3mm;
    border-bottom: 1.2pt solid #1d70b8; width: 125mm; }
  @top-right { content: @DATE@; font-size: 9pt; color: #505a5f; vertical-align: bottom; padding-bottom: 3mm;
    border-bottom: 1.2pt solid #1d70b8; width: 35mm; text-align: right; }
  @bottom-left { content: "Page " counter(page) " of " counter(pages); font-size: 9pt; color: #505a5f; }
  @bottom-right { content: @REFERENCE@; font-size: 9pt; color: #505a5f; } }
@page :first { @top-left { content: none; border: none; } @top-right { content: none; border: none; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.45; }
header.masthead { background: #1d70b8; color: #fff; padding: 6pt 0; border: none; }
main { max-width: none; padding: 0; }
.cover { break-after: page; }
h1 { font-size: 24pt; } h2 { font-size: 15pt; margin: 18pt 0 8pt; } h3 { font-size: 12.5pt; margin: 12pt 0 6pt; }
.subtitle { font-size: 14pt; }
nav.contents { display: block; margin-bottom: 12pt; }
nav.contents a::after { content: " " target-counter(attr(href), page); color: #505a5f; }
table { font-size: 9.5pt; }
th, td { padding: 5pt 8pt 5pt 0; }
caption { font-size: 11pt; }
h2, h3, caption { break-after: avoid; }
table { break-before: auto; } thead { break-after: avoid; }
tr, .signature-box { break-inside: avoid; }
section[aria-labelledby="signature"] { break-inside: avoid; }  /* the stamp never alone on a page */
.signature-box { width: 340pt; height: 92pt; margin: 8pt 0; }
a { color: #0b0c0c; text-decoration: none; }
/* nothing positioned: painting order then follows reading order, so copied text reads in order */
ol.paras > li { position: static; }
ol.paras > li > .num { position: static; display: inline-block; width: 3.5em; margin-left: -3.5em; }
"""


def _e(text: str) -> str:
    return escape(d.typographic(text), quote=True)


def _attr(text: str) -> str:
    return escape(text, quote=True)


def _lines(text: str) -> str:
    return "<br>".join(_e(line) for line in text.split("\n"))


def _block_html(block: d.Block, out: list[str], in_paras: list[bool], details: d.PublicationDetails,
                print_mode: bool) -> None:
    def close() -> None:
        if in_paras[0]:
            out.append("</ol>")
            in_paras[0] = False

    if isinstance(block, d.Para):
        if not in_paras[0]:
            out.append('<ol class="paras">')
            in_paras[0] = True
        out.append(f'<li id="para-{_e(block.number)}"><span class="num">{_e(block.number)}</span> '
                   f"{_lines(block.text)}</li>")
        return
    close()
    if isinstance(block, d.Items):
        tag = "ol" if block.ordered else "ul"
        out.append(f'<{tag} class="items">')
        out.extend(f"<li>{_lines(item)}</li>" for item in block.items)
        out.append(f"</{tag}>")
    elif isinstance(block, d.Table):
        out.append(f"<table>\n<caption>{_e(block.caption)}</caption>")
        out.append("<thead><tr>" + "".join(f'<th scope="col">{_e(h)}</th>' for h in block.headers) + "</tr></thead>")
        out.append("<tbody>")
        for row in block.rows:
            cells = [f'<th scope="row">{_lines(row[0])}</th>'] + [f"<td>{_lines(c)}</td>" for c in row[1:]]
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</tbody>\n</table>")
    elif isinstance(block, d.Subheading):
        out.append(f'<h3 id="{_e(block.anchor)}">{_e(block.text)}</h3>')
    elif print_mode:  # d.Signature: the space the signature stamp fills
        out.append('<div id="signature-box" class="signature-box"></div>')
    else:
        pdf = (f'<a href="{_attr(details.pdf_name)}">signed PDF</a>' if details.pdf_name else "signed PDF")
        root = (f'<a href="{_attr(details.root_name)}">the panel’s root certificate</a>' if details.root_name
                else "the panel’s root certificate")
        out.append(f'<div class="signature"><p>The {pdf} is the authoritative version of this advice. '
                   "Its signature shows who signed it and when: open the signature panel of your PDF reader, "
                   f"trusting {root}.</p></div>")


def render_html(advice: Advice, details: d.PublicationDetails | None = None, *, print_mode: bool = False) -> str:
    """The advice as one HTML document (a string; write it as UTF-8).

    ``print_mode`` gives the same document laid out for the tagged PDF (pages, running header and
    footer, a box for the signature stamp) instead of the web page's masthead and links.
    """
    doc = d.build(advice, details)
    css = _CSS + (_PRINT_CSS.replace("@RUNNING@", _css_string(doc.running_head))
                  .replace("@DATE@", _css_string(doc.date_of_advice))
                  .replace("@REFERENCE@", _css_string(doc.reference)) if print_mode else "")
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="author" content="{_e(d.AUTHOR)}">',
        f'<meta name="description" content="{_e(doc.subject)}">',
        f"<title>{_e(doc.title)}: advice of the expert advisory panel</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        *(() if print_mode else ('<a class="skip" href="#content">Skip to the advice</a>',)),
        '<header class="masthead"><p>Published advice</p></header>',
        '<main id="content">',
        '<div class="cover">',
        f'<p class="kicker">{_e(doc.kicker)}</p>',
        f"<h1>{_e(doc.title)}</h1>",
        f'<p class="subtitle">{_e(doc.subtitle)}</p>',
        '<dl class="facts">',
    ]
    for fact in doc.facts:
        out.append(f"<dt>{_e(fact.label)}</dt><dd>{_e(fact.value)}</dd>")
    out.append("</dl>")
    out.append("</div>")
    out.append('<nav class="contents" aria-labelledby="contents-title"><h2 id="contents-title">Contents</h2><ol>')
    out.extend(f'<li><a href="#{_e(s.anchor)}">{s.number}. {_e(s.title)}</a></li>' for s in doc.sections)
    out.append("</ol></nav>")
    for section in doc.sections:
        out.append(f'<section aria-labelledby="{_e(section.anchor)}">')
        out.append(f'<h2 id="{_e(section.anchor)}">{section.number}. {_e(section.title)}</h2>')
        state = [False]
        for block in section.blocks:
            _block_html(block, out, state, doc.details, print_mode)
        if state[0]:
            out.append("</ol>")
        out.append("</section>")
    out.append("</main>")
    if not print_mode:
        out.append(f'<footer class="wrap"><p>{_e(doc.running_head)}. {_e(doc.date_of_advice)}. '
                   f"Reference: {_e(doc.reference)}.</p></footer>")
    out.append("</body>\n</html>\n")
    return "\n".join(out)

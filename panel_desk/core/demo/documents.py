"""Realistic, clearly fictional PDFs for the demo applications, made in memory with reportlab.

Each demo application carries four documents: the application itself (six features, several
pages, tables), a consultation summary, a risk assessment and a monitoring and evaluation plan.
Output is deterministic for the same case and ``today`` (reportlab's ``invariant`` mode), so tests
can compare bytes, and quick: all twelve documents take well under a second.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from panel_desk.core.demo.applications import DOCUMENTS, DemoCase
from panel_desk.core.model import Feature
from panel_desk.core.rules import format_date

FICTION = ("Fictional demonstration document. {authority} is not a real council; the people, places and "
           "numbers are invented for Panel Desk's demo.")
INK = colors.HexColor("#0b0c0c")
GREY = colors.HexColor("#505a5f")
BLUE = colors.HexColor("#1d70b8")
LINE = colors.HexColor("#b1b4b6")
SHADE = colors.HexColor("#f3f2f1")
MARGIN = 20 * mm


def _styles() -> StyleSheet1:
    s = StyleSheet1()
    base = ParagraphStyle("body", fontName="Helvetica", fontSize=10.5, leading=14.5, textColor=INK,
                          alignment=TA_LEFT, spaceAfter=7)
    s.add(base)
    s.add(ParagraphStyle("title", parent=base, fontName="Helvetica-Bold", fontSize=22, leading=27, spaceAfter=12))
    s.add(ParagraphStyle("subtitle", parent=base, fontSize=13, leading=17, textColor=GREY, spaceAfter=18))
    s.add(ParagraphStyle("h1", parent=base, fontName="Helvetica-Bold", fontSize=16, leading=20, spaceBefore=12,
                         spaceAfter=8, keepWithNext=1))
    s.add(ParagraphStyle("h2", parent=base, fontName="Helvetica-Bold", fontSize=12.5, leading=16, spaceBefore=8,
                         spaceAfter=5, keepWithNext=1))
    s.add(ParagraphStyle("cell", parent=base, fontSize=9, leading=11.5, spaceAfter=0))
    s.add(ParagraphStyle("cellhead", parent=base, fontName="Helvetica-Bold", fontSize=9, leading=11.5, spaceAfter=0))
    s.add(ParagraphStyle("small", parent=base, fontSize=8.5, leading=11, textColor=GREY))
    s.add(ParagraphStyle("notice", parent=base, fontName="Helvetica-Bold", fontSize=10.5, leading=14.5,
                         textColor=INK, borderColor=BLUE, borderWidth=2, borderPadding=8, spaceBefore=8,
                         spaceAfter=16, backColor=colors.white))
    return s


STYLES = _styles()


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(escape(text), STYLES[style])


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> Table:
    """A ruled table with a shaded header row; cells wrap."""
    data = [[_p(h, "cellhead") for h in header]] + [[_p(str(c), "cell") for c in row] for row in rows]
    total = A4[0] - 2 * MARGIN
    table = Table(data, colWidths=[w * total for w in widths], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.5, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def _facts(rows: Sequence[tuple[str, str]]) -> Table:
    """Two columns of label and value, without a header row."""
    total = A4[0] - 2 * MARGIN
    table = Table([[_p(k, "cellhead"), _p(v, "cell")] for k, v in rows], colWidths=[0.38 * total, 0.62 * total],
                  hAlign="LEFT")
    table.setStyle(TableStyle([
        ("LINEABOVE", (0, 0), (-1, 0), 0.5, LINE),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def _bullets(items: Sequence[str]) -> ListFlowable:
    return ListFlowable([ListItem(_p(i), leftIndent=12) for i in items], bulletType="bullet", start="•",
                        leftIndent=12, bulletFontSize=9)


def _numbered(items: Sequence[str]) -> ListFlowable:
    return ListFlowable([ListItem(_p(i), leftIndent=14) for i in items], bulletType="1", leftIndent=14,
                        bulletFontName="Helvetica", bulletFontSize=10)


def _render(case: DemoCase, title: str, story: list) -> bytes:
    """Lay out ``story`` on A4 with the fictional-document header and page numbers; return PDF bytes."""
    buffer = io.BytesIO()
    fiction = FICTION.format(authority=case.authority)

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        width, height = A4
        canvas.setFillColor(INK)
        canvas.rect(0, height - 11 * mm, width, 11 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont("Helvetica-Bold", 9.5)
        canvas.drawString(MARGIN, height - 7.3 * mm, case.authority.upper())
        canvas.setFont("Helvetica", 9)
        canvas.drawRightString(width - MARGIN, height - 7.3 * mm, "FICTIONAL: FOR DEMONSTRATION ONLY")
        canvas.setFillColor(GREY)
        canvas.setFont("Helvetica", 7.5)
        canvas.drawString(MARGIN, 10 * mm, fiction)
        canvas.drawRightString(width - MARGIN, 14 * mm, f"{title} · page {doc.page}")
        canvas.setStrokeColor(LINE)
        canvas.line(MARGIN, 17 * mm, width - MARGIN, 17 * mm)
        canvas.restoreState()

    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=20 * mm,
                            bottomMargin=22 * mm, title=f"{title}: {case.authority} (fictional)",
                            author=f"{case.authority} (fictional)", subject=case.title,
                            creator="Panel Desk demo", invariant=1)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def _cover(case: DemoCase, today: date, doc_title: str, lead: str,
           extra: Sequence[tuple[str, str]] = ()) -> list:
    dates = case.dates(today)
    return [
        Spacer(1, 10 * mm),
        _p(doc_title, "title"),
        _p(case.title, "subtitle"),
        _p(FICTION.format(authority=case.authority), "notice"),
        _p(lead),
        _facts([
            ("Applicant authority", f"{case.authority} (fictional)"),
            ("Submitted by", case.director),
            ("Date of application", format_date(dates.received)),
            ("Proposed length of trial", f"{case.trial_months} months"),
            *extra,
        ]),
        Spacer(1, 6 * mm),
    ]


def _event_rows(case: DemoCase, today: date) -> list[tuple[str, str, str, str]]:
    received = case.dates(today).received
    return [(format_date(received - timedelta(days=e.days_before)), e.who, e.how, str(e.people))
            for e in case.consultation]


def application_pdf(case: DemoCase, today: date) -> bytes:
    """The application: cover, summary, provisions and the six features with their evidence tables."""
    dates = case.dates(today)
    story = _cover(case, today, "Application to test a different way of working",
                   "An application to the Secretary of State for Education to use the power to test different "
                   "ways of working in children's social care (Children and Social Work Bill, clauses 29 to 31).",
                   [("Proposed start of trial", format_date(dates.regulations_intended + timedelta(days=28))),
                    ("Extension", "None requested at this stage")])
    story += [_p("Summary", "h1"), _p(case.summary)]
    story += [_p("The provisions concerned", "h1"),
              _p("The authority asks for the following provisions to be exempted or modified for the trial. "
                 "Nothing in this application touches the restrictions on profit-making in children's social "
                 "care."),
              _table(("Legislation", "Provision", "Change", "What replaces it"),
                     [(p.enactment, p.reference, p.change.value.capitalize(), p.replacement) for p in case.provisions],
                     (0.22, 0.24, 0.13, 0.41)),
              CondPageBreak(90 * mm)]
    people = sum(e.people for e in case.consultation)
    for number, feature in enumerate(Feature, start=1):
        story.append(_p(f"{number}. {feature.label}", "h1"))
        story.extend(_p(t) for t in case.sections[feature.value])
        if feature is Feature.CONSULTATION:
            story += [_p("Strands of the consultation", "h2"),
                      _table(("Date", "Who", "How", "People"), _event_rows(case, today), (0.2, 0.33, 0.35, 0.12)),
                      _p(f"In all, {people} people took part in {len(case.consultation)} strands of consultation.",
                         "small")]
        elif feature is Feature.CAPABILITY:
            story += [_p("Key facts", "h2"), _facts(case.capability_facts)]
        elif feature is Feature.RISK:
            story += [_p("Principal risks (full assessment attached)", "h2"),
                      _table(("Risk", "Likelihood", "Impact"), [(r.risk, r.likelihood, r.impact) for r in case.risks],
                             (0.64, 0.18, 0.18))]
        elif feature is Feature.MONITORING:
            story += [_p("Measures and baselines", "h2"),
                      _table(("Measure", "Baseline", "Reported"), [(m.measure, m.baseline, m.frequency)
                                                                   for m in case.measures], (0.56, 0.24, 0.2))]
        elif feature is Feature.EVALUATION:
            story += [_p("Questions the evaluation will answer", "h2"), _numbered(case.evaluation_questions)]
    story += [Spacer(1, 8 * mm), KeepTogether([
        _p("Declaration", "h2"),
        _p("I confirm that the authority has consulted locally as described above, including with its "
           "safeguarding partners, and that the information in this application is accurate."),
        _p(f"Signed: {case.director}, {case.authority} (fictional), {format_date(dates.received)}"),
    ])]
    return _render(case, "Application", story)


def consultation_pdf(case: DemoCase, today: date) -> bytes:
    """The consultation summary: who was asked, when and how, what they said, what changed."""
    people = sum(e.people for e in case.consultation)
    story = _cover(case, today, "Summary of the local consultation",
                   "This summary sets out how the authority consulted on its proposal, what consultees said, "
                   "and what the authority changed as a result.")
    story += [_p("How we consulted", "h1"), *(_p(t) for t in case.sections["consultation"]),
              _p("Every strand, with dates and numbers", "h2"),
              _table(("Date", "Who", "How", "People"), _event_rows(case, today), (0.2, 0.33, 0.35, 0.12)),
              _p(f"Total: {people} people across {len(case.consultation)} strands.", "small"),
              _p("What we heard and what we changed", "h1"),
              _table(("What we heard", "What we changed"), [(t.heard, t.response) for t in case.themes], (0.5, 0.5)),
              _p("Statutory safeguarding partners", "h1"),
              _p("The local authority, the chief officer of police and the integrated care board were each "
                 "consulted as safeguarding partners. Their written responses are held on file and can be "
                 "provided to the panel on request. None of the partners objected to the trial; their "
                 "conditions are reflected in the risk assessment."),
              _p("Next steps", "h1"),
              _bullets(["Share the final proposal with everyone who took part, in an accessible format.",
                        "Ask the children in care council to review the information for children before launch.",
                        "Repeat the consultation questions with the same groups at the midpoint of the trial."])]
    return _render(case, "Consultation summary", story)


def risk_pdf(case: DemoCase, today: date) -> bytes:
    """The risk assessment: method, a rating key, the full risk table, and safeguards for vulnerable groups."""
    story = _cover(case, today, "Risk assessment and safeguards",
                   "This assessment considers the risks the trial could pose to children, particularly the most "
                   "vulnerable, and the mitigations and safeguards the authority will put in place.")
    story += [_p("Method", "h1"),
              _p("Risks were identified in workshops with practitioners, the safeguarding partnership and young "
                 "people, and rated before mitigation for likelihood and impact on a three-point scale."),
              _table(("Rating", "Likelihood", "Impact on a child"),
                     [("Low", "Unlikely during the trial", "Short-lived, quickly put right"),
                      ("Medium", "Could happen in a minority of cases", "Harm to the child's plan or wellbeing"),
                      ("High", "Likely without mitigation", "Serious harm to a child's safety or welfare")],
                     (0.16, 0.42, 0.42)),
              _p("Our assessment", "h1"), *(_p(t) for t in case.sections["risk"]),
              _p("Risk register", "h1"),
              _table(("Risk", "Likelihood", "Impact", "Mitigation", "Owner"),
                     [(r.risk, r.likelihood, r.impact, r.mitigation, r.owner) for r in case.risks],
                     (0.24, 0.11, 0.1, 0.35, 0.2)),
              _p("Return to the existing arrangements", "h1"),
              _p("Any child or family can return to the existing statutory arrangements at any time, for any "
                 "reason. The following also return a child automatically, on the same day:"),
              _bullets(["a safeguarding referral or enquiry about the child;",
                        "a planned or unplanned change of placement or of the child's legal status;",
                        "the child, a parent, a carer or a professional asking for it;",
                        "a measure in the monitoring plan reaching its trigger for that child."]),
              _p("Children in vulnerable groups", "h1"),
              _p("Disabled children, children who communicate without speech, children placed out of the area "
                 "and children from minority ethnic communities are offered an independent advocate, and their "
                 "cases are over-sampled in audits (one in four rather than one in ten).")]
    return _render(case, "Risk assessment", story)


def monitoring_pdf(case: DemoCase, today: date) -> bytes:
    """The monitoring and evaluation plan: governance, measures with baselines, triggers, evaluation."""
    story = _cover(case, today, "Monitoring and evaluation plan",
                   "This plan sets out how the trial will be governed and monitored locally, what the department "
                   "will see, when the trial should be stopped, and how it will be evaluated.")
    story += [_p("Local accountability", "h1"), *(_p(t) for t in case.sections["monitoring"]),
              _table(("Who", "Receives", "How often"),
                     [("Elected members (scrutiny or corporate parenting)", "Dashboard and report", "Monthly"),
                      ("Safeguarding Children Partnership", "Audit findings", "Six-monthly"),
                      ("Department for Education", "Measures below; audit results", "Quarterly"),
                      ("Trial board (chaired by the Director)", "All measures; exceptions", "Monthly")],
                     (0.42, 0.38, 0.2)),
              _p("Measures, baselines and triggers", "h1"),
              _table(("Measure", "Baseline", "Target", "Reported", "Trigger for action"),
                     [(m.measure, m.baseline, m.target, m.frequency, m.trigger) for m in case.measures],
                     (0.3, 0.14, 0.14, 0.13, 0.29)),
              _p("Case audits", "h2"),
              _p("Auditors from outside the service read a random sample of trial cases every quarter against "
                 "a published audit tool; cases of children in vulnerable groups are over-sampled. The "
                 "department may join any audit."),
              _p("Triggers for revocation", "h1"),
              _p("The authority will recommend to the department that the exemption is revoked, and will return "
                 "every child to the existing arrangements, if any of the following occurs:"),
              _bullets(["a serious incident notification concerning a child in the trial in which the trial "
                        "arrangements are found to have contributed;",
                        "two consecutive quarters in which a measure is past its trigger and the trial board's "
                        "action plan has not brought it back;",
                        "an audit rating any case unsafe that the independent auditor links to the trial;",
                        "the safeguarding partnership withdrawing its support."]),
              _p("Evaluation", "h1"), *(_p(t) for t in case.sections["evaluation"]),
              _p("Questions", "h2"), _numbered(case.evaluation_questions),
              _p("Timeline", "h2"),
              _table(("Month", "Milestone"),
                     [("0", "Trial starts; baseline data frozen"),
                      (str(case.trial_months // 4), "First quarterly return to the department"),
                      (str(case.trial_months // 2), "Interim evaluation report; consultation repeated"),
                      (str(case.trial_months), "Trial ends; final evaluation report published")],
                     (0.15, 0.85)),
              _p("Data protection", "h2"),
              _p("The evaluation uses pseudonymised data under a data sharing agreement; no child is named in "
                 "any report, and small numbers are suppressed.")]
    return _render(case, "Monitoring and evaluation plan", story)


RENDERERS: dict[str, Callable[[DemoCase, date], bytes]] = {
    "documents/application.pdf": application_pdf,
    "documents/consultation-summary.pdf": consultation_pdf,
    "documents/risk-assessment.pdf": risk_pdf,
    "documents/monitoring-and-evaluation-plan.pdf": monitoring_pdf,
}
assert set(RENDERERS) == {path for path, _, _ in DOCUMENTS}


def documents_for(case: DemoCase, today: date) -> dict[str, bytes]:
    """Every document of ``case`` as ``{path inside the application: PDF bytes}``."""
    return {path: RENDERERS[path](case, today) for path, _, _ in DOCUMENTS}

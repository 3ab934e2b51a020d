"""The published advice as one structure of sections and blocks, typeset by both the PDF and the HTML.

Every word the public reads is chosen here, once, so the two formats cannot drift apart. Text
from the advice is kept as plain strings; each renderer escapes it for its own format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from panel_desk.core.model import Advice, Change, Decision
from panel_desk.core.publish.ca import DEFAULT_PANEL_NAME
from panel_desk.core.rules import (
    MAX_EXTENSION_MONTHS,
    MAX_TRIAL_MONTHS,
    MIN_NOTICE_DAYS,
    days_in_words,
    format_date,
    notice_check,
)

PANEL_NAME = DEFAULT_PANEL_NAME
AUTHOR = DEFAULT_PANEL_NAME  # the PDF's and the page's author: the panel, not a person
Q1 = "How children's outcomes are likely to be affected"
Q2 = "Whether there are sufficient monitoring arrangements"


@dataclass(frozen=True)
class Para:
    """A numbered paragraph (``number`` such as ``2.1``)."""

    number: str
    text: str


@dataclass(frozen=True)
class Items:
    """A list; ``ordered`` lists are numbered 1, 2, 3."""

    items: tuple[str, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # relative column widths


@dataclass(frozen=True)
class Subheading:
    text: str
    anchor: str


@dataclass(frozen=True)
class Signature:
    """Where the signature stamp goes (the PDF leaves a box; the HTML explains where to find it)."""


Block = Para | Items | Table | Subheading | Signature


@dataclass
class Section:
    number: int
    title: str
    anchor: str
    blocks: list[Block] = field(default_factory=list)
    _count: int = 0

    def para(self, text: str) -> None:
        self._count += 1
        self.blocks.append(Para(f"{self.number}.{self._count}", text))

    def text(self, text: str) -> None:
        """Add an advice field: blank lines separate paragraphs; lines starting '- ' make a list."""
        for chunk in split_paragraphs(text):
            lines = chunk.splitlines()
            if all(re.match(r"^\s*[-*•]\s+", ln) for ln in lines) and lines:
                self.blocks.append(Items(tuple(re.sub(r"^\s*[-*•]\s+", "", ln).strip() for ln in lines)))
            else:
                self.para(" ".join(ln.strip() for ln in lines))


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class ProvisionLine:
    citation: str
    change: str  # "Exemption" or "Modification"
    replacement: str
    procedure: str  # "Affirmative procedure"


@dataclass
class Document:
    kicker: str
    title: str
    subtitle: str
    authority: str
    facts: list[Fact]
    provisions: list[ProvisionLine]
    sections: list[Section]
    running_head: str
    date_of_advice: str
    subject: str
    reference: str


def split_paragraphs(text: str) -> list[str]:
    return [p.strip("\n") for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()) if p.strip()]


def months_words(n: int) -> str:
    return "1 month" if n == 1 else f"{n} months"


def _years(months: int) -> str:
    return f"{months // 12} years" if months % 12 == 0 and months >= 24 else months_words(months)


def _interest_text(entry) -> str:
    if entry.none_to_declare:
        return "None declared"
    return "\n".join(f"{i.type.label}: {i.text}" for i in entry.interests)


def _handling(entry) -> str:
    if entry.decision is None:
        return "No action needed" if entry.none_to_declare else "Not recorded"
    words = entry.decision.label
    return f"{words}. {entry.reason}" if entry.reason else words


def build(advice: Advice) -> Document:
    """Lay out ``advice`` as the sections of the published document."""
    notice = notice_check(advice.dates.panel_asked, advice.dates.regulations_intended)
    provisions = [
        ProvisionLine(
            citation=p.citation,
            change="Exemption" if p.change is Change.EXEMPTION else "Modification",
            replacement=p.replacement,
            procedure=f"{p.parliamentary_procedure.value.capitalize()} procedure",
        )
        for p in advice.provisions
    ]
    sections: list[Section] = []

    def section(title: str, anchor: str) -> Section:
        s = Section(len(sections) + 1, title, anchor)
        sections.append(s)
        return s

    s = section("Summary of the application", "summary")
    s.text(advice.summary)
    s.para(f"{advice.authority} asks for the following provisions to be changed for a trial of "
           f"{months_words(advice.trial_months)}.")
    s.blocks.append(Table(
        caption="Provisions the authority asks to change",
        headers=("Legislation and provision", "Exemption or modification", "What replaces it",
                 "Parliamentary procedure"),
        rows=tuple((p.citation, p.change, p.replacement or "Nothing: the provision would not apply",
                    p.procedure) for p in provisions),
        widths=(0.32, 0.22, 0.26, 0.20),
    ))

    s = section(Q1, "outcomes")
    s.text(advice.outcomes)

    s = section(Q2, "monitoring")
    s.text(advice.monitoring)

    s = section("Conditions and recommendations", "conditions")
    if advice.conditions:
        s.para("The panel advises that the following conditions and recommendations should apply.")
        s.blocks.append(Items(tuple(c.strip() for c in advice.conditions), ordered=True))
    else:
        s.para("The panel makes no conditions or recommendations.")

    s = section("Other advice", "other-advice")
    if advice.other_advice.strip():
        s.text(advice.other_advice)
    else:
        s.para("The panel has no other advice.")

    s = section("Members of the panel who took part", "members")
    if advice.members:
        s.para("These members of the panel took part in this advice.")
        s.blocks.append(Table(
            caption="Members who took part",
            headers=("Name", "Role on the panel", "Organisation"),
            rows=tuple((m.name, m.role.label + (f", acting for {m.acts_for}" if m.acts_for else ""),
                        m.organisation or "—") for m in advice.members),
            widths=(0.30, 0.38, 0.32),
        ))
    else:
        s.para("No members are recorded as having taken part.")

    s = section("Register of declared interests", "interests")
    if advice.interests:
        s.para("Every member declared their interests before reading the application. This register "
               "shows what each declared and how the secretariat handled it.")
        s.blocks.append(Table(
            caption="Declared interests and how they were handled",
            headers=("Member", "Interests declared", "How it was handled"),
            rows=tuple((f"{e.member}\n{e.role.label}", _interest_text(e), _handling(e)) for e in advice.interests),
            widths=(0.27, 0.40, 0.33),
        ))
        kept_out = [e for e in advice.interests if e.decision in (Decision.READ_ONLY, Decision.RECUSED)]
        if kept_out:
            s.para(f"{_count_words(len(kept_out), 'member')} took no part in forming the advice because of "
                   "their interests.")
    else:
        s.para("No declarations of interest are recorded.")

    s = section("Dissenting statements and comments", "dissent")
    if advice.dissents:
        s.para("The following statements are published as the members wrote them, attributed as each "
               "member chose.")
        for i, d in enumerate(advice.dissents, 1):
            s.blocks.append(Subheading(f"Statement of dissent by {d.attributed_to}", f"dissent-{i}"))
            s.text(d.statement)
    else:
        s.para("No member dissented from the panel's advice.")
    if advice.comments:
        s.blocks.append(Subheading("Comments from members who concurred", "comments"))
        for c in advice.comments:
            s.para(f"{c.attributed_to}: {c.statement}")

    s = section("Timetable and length of the trial", "timetable")
    s.para(f"The Secretary of State asked the panel for its advice on {format_date(advice.dates.panel_asked)}. "
           f"The regulations are intended to be made on {format_date(advice.dates.regulations_intended)}, "
           f"{days_in_words(notice.days)} later.")
    if notice.meets_minimum:
        s.para(f"The panel must be asked at least 6 weeks ({MIN_NOTICE_DAYS} days) before the regulations are "
               "made. This minimum is met.")
    else:
        s.para(f"The panel must be asked at least 6 weeks ({MIN_NOTICE_DAYS} days) before the regulations are "
               f"made. This minimum is not met: the panel was asked {days_in_words(notice.short_by)} too late.")
    s.para(f"The authority proposes a trial of {months_words(advice.trial_months)}. A trial can last at most "
           f"{MAX_TRIAL_MONTHS} months ({_years(MAX_TRIAL_MONTHS)}), and can be extended once, by at most "
           f"{MAX_EXTENSION_MONTHS} more months ({_years(MAX_EXTENSION_MONTHS)}).")
    if advice.trial_months > MAX_TRIAL_MONTHS:
        s.para(f"The proposed trial is {months_words(advice.trial_months - MAX_TRIAL_MONTHS)} longer than "
               "the maximum.")
    if advice.extension_months:
        s.para(f"The authority also asks for an extension of {months_words(advice.extension_months)}.")
    s.para("The power cannot be used to revisit the restrictions on profit-making in children's social care.")

    s = section("Signature", "signature")
    s.para("The panel's secretariat signed the PDF of this advice electronically on the panel's behalf. Any "
           "change made to that file after signing shows when its signature is checked, in any PDF reader that "
           "shows signatures or with the command panel-desk verify.")
    s.blocks.append(Signature())

    reference = f"{advice.application_id}, application revision {advice.application_revision}, " \
                f"advice revision {advice.advice_revision}"
    return Document(
        kicker=PANEL_NAME,
        title=advice.title,
        subtitle=f"Advice to the Secretary of State on the application from {advice.authority}",
        authority=advice.authority,
        facts=[
            Fact("Applicant authority", advice.authority),
            Fact("Date the panel was asked", format_date(advice.dates.panel_asked)),
            Fact("Date of advice", format_date(advice.date_of_advice)),
            Fact("Proposed trial", months_words(advice.trial_months)
                 + (f", with an extension of {months_words(advice.extension_months)}" if advice.extension_months else "")),
            Fact("Reference", reference),
        ],
        provisions=provisions,
        sections=sections,
        running_head=f"Advice of the expert advisory panel: {advice.authority}",
        date_of_advice=format_date(advice.date_of_advice),
        subject=f"The panel's advice on {Q1.lower()} and {Q2.lower()}, for the application from "
                f"{advice.authority}: {advice.title}",
        reference=reference,
    )


_NUMBER_WORDS = ("No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten")


def _count_words(n: int, noun: str) -> str:
    head = _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else str(n)
    return f"{head} {noun}" + ("" if n == 1 else "s")

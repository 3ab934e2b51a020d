"""The published advice as one structure of sections and blocks, typeset by both the PDF and the HTML.

Every word the public reads is chosen here, once, so the two formats cannot drift apart. Text
from the advice is kept as plain strings; each renderer escapes it for its own format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from panel_desk.core.model import Advice, Change, Decision, Participation, SignOffKind
from panel_desk.core.publish.ca import DEFAULT_PANEL_NAME
from panel_desk.core.rules import (
    MAX_EXTENSION_MONTHS,
    MAX_TRIAL_MONTHS,
    MIN_NOTICE_DAYS,
    and_list,
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
class PublicationDetails:
    """What the secretariat says about the publication (settings) and the root it signs under."""

    contact_email: str = ""
    contact_address: str = ""
    root_fingerprint: str = ""  # SHA-256, "AB:CD:…"
    root_location: str = ""  # where the root certificate is published, in words
    pdf_name: str = ""  # the signed PDF's file name, for the HTML's link
    root_name: str = ""  # the root certificate's file name, for the HTML's link
    timestamped: bool = False


@dataclass(frozen=True)
class ProcessStatements:
    """What the advice says about how it was reached (each None: say nothing)."""

    members_intro: str
    interests_intro: str
    kept_out: str | None
    members_table: tuple[tuple[str, str, str, str], ...] = ()  # name, role, organisation, part taken


_REPLIES = {SignOffKind.CONCUR: "concurred with the final draft",
            SignOffKind.COMMENT: "concurred with the final draft, with a comment",
            SignOffKind.DISSENT: "dissented from the final draft"}


def _part(p: Participation) -> str:
    """One member's part in the advice, in words, from the records."""
    if p.decision is Decision.RECUSED:
        return "Recused because of their interests: took no part"
    if p.decision is Decision.READ_ONLY:
        return "Could read the application but took no part in the advice, because of their interests"
    said = ["answered Q1 and Q2" if p.answered else "did not answer Q1 and Q2"]
    said.append(_REPLIES[p.signoff] if p.signoff else "did not reply to the final draft")
    text = "; ".join(said)
    return text[0].upper() + text[1:]


def process_statements(advice: Advice) -> ProcessStatements:
    """The sentences about the panel's process, computed from the facts recorded with the advice
    (:attr:`Advice.participation`): who declared when, who answered, who signed off, who dissented,
    who was recused and who did not respond. No sentence claims what the records do not show.

    An advice finalised before these facts were recorded says only what its register shows.
    """
    kept_out = [e for e in advice.interests if e.decision in (Decision.READ_ONLY, Decision.RECUSED)]
    kept_words = (f"{_count_words(len(kept_out), 'member')} took no part in forming the advice because of "
                  "their interests.") if kept_out else None
    parts = list(advice.participation)
    if not parts:
        return ProcessStatements(
            members_intro="These members of the panel took part in this advice.",
            interests_intro="This register shows what each member declared and how the secretariat handled it.",
            kept_out=kept_words,
        )
    taking = [p for p in parts if p.decision not in (Decision.READ_ONLY, Decision.RECUSED)]
    answered = [p.name for p in taking if p.answered]
    silent = [p.name for p in taking if not p.answered]
    unsigned = [p.name for p in taking if p.signoff is None]
    intro = [f"{_count_words(len(parts), 'member')} of the panel {'was' if len(parts) == 1 else 'were'} asked "
             "for their advice on this application."]
    if answered:
        intro.append(f"{and_list(answered)} answered both questions.")
    if silent:
        intro.append(f"{and_list(silent)} did not answer.")
    if unsigned:
        intro.append(f"{and_list(unsigned)} did not reply to the final draft.")
    declared_first = [p for p in parts if p.declared and p.declared_first]
    late = [p.name for p in parts if p.declared and not p.declared_first]
    undeclared = [p.name for p in parts if not p.declared]
    if len(declared_first) == len(parts):
        interests = ("Every member declared their interests in the application before giving any answer and "
                     "before replying to the draft advice.")
    else:
        said = []
        if declared_first:
            said.append(f"{and_list([p.name for p in declared_first])} declared their interests before giving any "
                        "answer and before replying to the draft advice.")
        if late:
            said.append(f"{and_list(late)} declared their interests only after answering or replying to the draft.")
        if undeclared:
            said.append(f"{and_list(undeclared)} made no declaration of interests for the version of the "
                        "application advised on.")
        interests = " ".join(said)
    table = tuple((p.name, p.role.label + _acting_for(p.role.label, p.acts_for), p.organisation or "—", _part(p))
                  for p in parts)
    return ProcessStatements(
        members_intro=" ".join(intro),
        interests_intro=interests + " This register shows what each declared and how the secretariat handled it.",
        kept_out=kept_words,
        members_table=table,
    )


OGL_NOTICE = ("© Crown copyright {year}. This publication is licensed under the terms of the Open Government "
              "Licence v3.0 except where otherwise stated. To view this licence, visit "
              "nationalarchives.gov.uk/doc/open-government-licence/version/3. Where we have identified any "
              "third-party copyright information you will need to obtain permission from the copyright holders "
              "concerned.")


def typographic(text: str) -> str:
    """Straight quotes and apostrophes as curly ones (’ “ ”), so the whole document uses one style."""
    text = re.sub(r"(?<=\w)'|'(?=\w)(?<=\w')", "’", text)
    text = re.sub(r"(^|[\s(\[{—–-])'", r"\1‘", text)
    text = text.replace("'", "’")
    text = re.sub(r'(^|[\s(\[{—–-])"', r"\1“", text)
    return text.replace('"', "”")


def _acting_for(role_label: str, acts_for: str) -> str:
    """``, acting for X`` when the member acts for someone other than their own role."""
    def norm(x: str) -> str:
        return re.sub(r"^(the|hm)\s+", "", typographic(x).strip().lower())

    if not acts_for.strip() or norm(acts_for) == norm(role_label):
        return ""
    return f", acting for {acts_for.strip()}"


def human_reference(advice: Advice) -> str:
    """``Northshire County Council 2026/3FA1``: authority, year the panel was asked, the application's number."""
    number = advice.application_id.rsplit("-", 1)[-1].upper()
    return f"{advice.authority} {advice.dates.panel_asked.year}/{number}"


def _sentence(text: str) -> str:
    """``text`` ending with exactly one full stop (or its own ? or !)."""
    text = text.strip()
    return text if text[-1:] in ".?!" else text + "."


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class ProvisionLine:
    legislation: str
    provision: str
    change: str  # "Exemption" or "Modification"
    replacement: str
    procedure: str  # "Affirmative procedure"

    @property
    def citation(self) -> str:
        return f"{self.legislation}, {self.provision}"


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
    details: PublicationDetails = field(default_factory=PublicationDetails)
    year: int = 0


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


def build(advice: Advice, details: PublicationDetails | None = None) -> Document:
    """Lay out ``advice`` as the sections of the published document (both renderers start here)."""
    details = details or PublicationDetails()
    said = process_statements(advice)
    notice = notice_check(advice.dates.panel_asked, advice.dates.regulations_intended)
    provisions = [
        ProvisionLine(
            legislation=p.enactment.strip(),
            provision=p.reference.strip(),
            change="Exemption" if p.change is Change.EXEMPTION else "Modification",
            replacement=p.replacement.strip().rstrip("."),
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
        headers=("Legislation", "Provision", "Exemption or modification", "What replaces it",
                 "Parliamentary procedure"),
        rows=tuple((p.legislation, p.provision, p.change, p.replacement or "Nothing: the provision would not apply",
                    p.procedure) for p in provisions),
        widths=(0.25, 0.17, 0.15, 0.27, 0.16),
    ))

    s = section(Q1, "outcomes")
    s.text(advice.outcomes)

    s = section(Q2, "monitoring")
    s.text(advice.monitoring)

    s = section("Conditions and recommendations", "conditions")
    if advice.conditions:
        s.para("The panel advises that the following conditions and recommendations should apply.")
        s.blocks.append(Items(tuple(_sentence(c) for c in advice.conditions if c.strip()), ordered=True))
    else:
        s.para("The panel makes no conditions or recommendations.")

    s = section("Other advice", "other-advice")
    if advice.other_advice.strip():
        s.text(advice.other_advice)
    else:
        s.para("The panel has no other advice.")

    s = section("Members of the panel who took part", "members")
    if said.members_table:
        s.para(said.members_intro)
        s.blocks.append(Table(
            caption="Members of the panel and their part in this advice",
            headers=("Name", "Role on the panel", "Organisation", "Part in this advice"),
            rows=said.members_table,
            widths=(0.22, 0.26, 0.22, 0.30),
        ))
    elif advice.members:
        s.para(said.members_intro)
        s.blocks.append(Table(
            caption="Members who took part",
            headers=("Name", "Role on the panel", "Organisation"),
            rows=tuple((m.name, m.role.label + _acting_for(m.role.label, m.acts_for),
                        m.organisation or "—") for m in advice.members),
            widths=(0.30, 0.38, 0.32),
        ))
    else:
        s.para("No members are recorded as having taken part.")

    s = section("Register of declared interests", "interests")
    if advice.interests:
        s.para(said.interests_intro)
        s.blocks.append(Table(
            caption="Declared interests and how they were handled",
            headers=("Member", "Interests declared", "How it was handled"),
            rows=tuple((f"{e.member}\n{e.role.label}", _interest_text(e), _handling(e)) for e in advice.interests),
            widths=(0.27, 0.40, 0.33),
        ))
        if said.kept_out:
            s.para(said.kept_out)
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
            s.para(f"{c.attributed_to}: {_sentence(c.statement)}")

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

    s = section("Signature and how to check it", "signature")
    s.para("The panel’s secretariat certified and signed the PDF of this advice electronically on the panel’s "
           "behalf. The certification allows no changes: any change made to that file after signing shows when "
           "its signature is checked, in any PDF reader that shows signatures or with the command "
           "panel-desk verify.")
    s.para("The file carries what is needed to check the signature in future (the certificate chain and the "
           "panel’s revocation list)" + (", with a timestamp from an independent time-stamping authority."
                                         if details.timestamped else
                                         ". It has no timestamp from a time-stamping authority, so its signing time "
                                         "is the secretariat’s own statement."))
    if details.root_fingerprint:
        where = f", published at {details.root_location}" if details.root_location else ""
        s.para(f"The signature leads to the panel’s root certificate{where}. Its SHA-256 fingerprint is "
               f"{details.root_fingerprint}. Check that the root certificate you trust has this fingerprint.")
    s.blocks.append(Signature())

    s = section("Copyright and contact", "contact")
    s.para(OGL_NOTICE.format(year=advice.date_of_advice.year))
    contact = "Questions about this advice go to the panel’s secretariat"
    if details.contact_email:
        contact += f" by e-mail at {details.contact_email}"
    if details.contact_address:
        contact += (" or" if details.contact_email else "") + f" by post at {details.contact_address}"
    s.para(contact + ".")

    reference = human_reference(advice)
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
            Fact("Revision", f"Advice revision {advice.advice_revision}, on revision {advice.application_revision} "
                             "of the application"),
        ],
        provisions=provisions,
        sections=sections,
        running_head=f"Advice of the expert advisory panel: {advice.authority}",
        date_of_advice=format_date(advice.date_of_advice),
        subject=f"The panel's advice on {Q1.lower()} and {Q2.lower()}, for the application from "
                f"{advice.authority}: {advice.title}",
        reference=reference,
        details=details,
        year=advice.date_of_advice.year,
    )


_NUMBER_WORDS = ("No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten")


def _count_words(n: int, noun: str) -> str:
    head = _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else str(n)
    return f"{head} {noun}" + ("" if n == 1 else "s")

"""The three demo applications, as data: three fictional authorities, each with a case to advise on.

Drawn from the policy statement's §1.3 examples: targeting the independent reviewing officer role
(a Hampshire-like proposal), short breaks for disabled children without the full looked-after
review process, and fostering and adoption panels with proportionate kinship-carer assessment (a
North Yorkshire-like proposal). The authorities, people and numbers are invented; the documents
say so. Statutory dates are set relative to ``today`` so that the demo always has one application
asked with less than 6 weeks' notice (37 days) and two asked in time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from panel_desk.core.model import (
    Application,
    Change,
    Dates,
    DocumentRef,
    Feature,
    Features,
    OriginalProcedure,
    Provision,
)

CPPCR = "The Care Planning, Placement and Case Review (England) Regulations 2010"
CA1989 = "Children Act 1989"
FSR = "The Fostering Services (England) Regulations 2011"
AAR = "The Adoption Agencies Regulations 2005"


@dataclass(frozen=True)
class ConsultationEvent:
    """One strand of the local consultation (days counted back from the date of the application)."""

    days_before: int
    who: str
    how: str
    people: int


@dataclass(frozen=True)
class Theme:
    """What consultees said, and what the authority changed in response."""

    heard: str
    response: str


@dataclass(frozen=True)
class Risk:
    risk: str
    likelihood: str
    impact: str
    mitigation: str
    owner: str


@dataclass(frozen=True)
class Measure:
    """A monitoring measure with its baseline, how often it is reported and when it triggers action."""

    measure: str
    baseline: str
    target: str
    frequency: str
    trigger: str


@dataclass(frozen=True)
class DemoCase:
    """Everything the demo knows about one fictional authority's application."""

    slug: str
    authority: str
    director: str
    title: str
    summary: str
    trial_months: int
    received_days_ago: int
    panel_asked_days_ago: int
    notice_days: int  # from asking the panel to the intended regulations
    advice_days_before_regulations: int
    provisions: tuple[Provision, ...]
    features: dict[str, str]  # the short text carried in application.toml
    sections: dict[str, tuple[str, ...]]  # the long text of each feature in the application PDF
    consultation: tuple[ConsultationEvent, ...]
    themes: tuple[Theme, ...]
    risks: tuple[Risk, ...]
    measures: tuple[Measure, ...]
    evaluation_questions: tuple[str, ...]
    capability_facts: tuple[tuple[str, str], ...]

    def dates(self, today: date) -> Dates:
        """The statutory dates of this application, seen from ``today``."""
        panel_asked = today - timedelta(days=self.panel_asked_days_ago)
        regulations = panel_asked + timedelta(days=self.notice_days)
        return Dates(
            received=today - timedelta(days=self.received_days_ago),
            panel_asked=panel_asked,
            regulations_intended=regulations,
            advice_due=regulations - timedelta(days=self.advice_days_before_regulations),
        )

    def application_id(self, today: date) -> str:
        return f"{self.slug}-{self.dates(today).received.year}-demo"


# Which demo documents each application carries, the features each covers, and their titles.
DOCUMENTS: tuple[tuple[str, str, tuple[Feature, ...]], ...] = (
    ("documents/application.pdf", "Application to test a different way of working", tuple(Feature)),
    ("documents/consultation-summary.pdf", "Summary of the local consultation", (Feature.CONSULTATION,)),
    ("documents/risk-assessment.pdf", "Risk assessment and safeguards", (Feature.RISK,)),
    ("documents/monitoring-and-evaluation-plan.pdf", "Monitoring and evaluation plan",
     (Feature.MONITORING, Feature.EVALUATION)),
)


WEXMOOR = DemoCase(
    slug="wexmoor",
    authority="Wexmoor County Council",
    director="Dr Helen Ashcombe, Director of Children's Services",
    title="Targeting the independent reviewing officer role for children in stable long-term placements",
    summary=(
        "Wexmoor asks to modify the independent reviewing officer (IRO) duties so that children in stable, "
        "long-term placements who do not want an IRO at their review can have it chaired by their social "
        "worker or chair it themselves, with a route back to IRO oversight whenever circumstances change or "
        "the child asks. The IRO time released goes to children whose plans need more scrutiny."
    ),
    trial_months=24,
    received_days_ago=49,
    panel_asked_days_ago=14,
    notice_days=84,
    advice_days_before_regulations=28,
    provisions=(
        Provision(
            enactment=CPPCR,
            reference="Regulations 36 and 37 (the role and functions of the independent reviewing officer at reviews)",
            change=Change.MODIFICATION,
            replacement=("For children in placements stable for at least two years who choose it, the review is "
                         "chaired by the child's social worker or by the child; an IRO reads the record of every "
                         "such review within 15 working days and can resume chairing at any time."),
            original_procedure=OriginalProcedure.NEGATIVE,
        ),
        Provision(
            enactment=CA1989,
            reference="Section 25B (functions of the independent reviewing officer), for the children above",
            change=Change.MODIFICATION,
            replacement=("The IRO's monitoring function continues through a quarterly review of the child's "
                         "record, with a duty to resume chairing on the child's request or on any trigger."),
            original_procedure=OriginalProcedure.PRIMARY,
        ),
    ),
    features={
        "consultation": ("Consulted the safeguarding partnership (police, integrated care board), the Children in "
                         "Care Council, 46 children in long-term placements and their carers, the IRO service and "
                         "Cafcass over 14 weeks. A summary of responses is attached."),
        "outcomes": ("Children in stable placements say they do not want a stranger at their review. The change "
                     "puts their wishes first and frees about 1,900 IRO hours a year for children whose plans "
                     "need more scrutiny. Any child can return to an IRO-chaired review at any time."),
        "capability": ("Ofsted judged Wexmoor's children's services good, with outstanding leadership. The IRO "
                       "service is fully staffed and its manager leads the change."),
        "risk": ("Risks: drift in care plans; children not knowing they can ask for an IRO; social workers "
                 "marking their own work. Mitigations: eligibility rules, an IRO read of every record, a guide "
                 "for children, and automatic return to an IRO when a placement changes."),
        "monitoring": ("Monthly report to the Corporate Parenting Panel of elected members; quarterly audits of "
                       "10% of children in the trial; the number of children outside IRO-chaired review "
                       "reported to the department each quarter."),
        "evaluation": ("Independent evaluation by a university partner with a matched comparison group, "
                       "children's own accounts of their reviews and a report on transferability."),
    },
    sections={
        "consultation": (
            "Wexmoor consulted for fourteen weeks before applying. The consultation was led jointly by the "
            "Head of Quality Assurance and the chair of the Children in Care Council, and was designed with "
            "young people so that the questions asked were theirs as much as ours.",
            "We wrote to the three statutory safeguarding partners and discussed the proposal at two meetings of "
            "the Wexmoor Safeguarding Children Partnership executive. The police and the integrated care board "
            "support the trial on condition that a child's return to IRO oversight is automatic on any "
            "safeguarding referral, which we have adopted.",
            "We met 46 of the 212 children who would be eligible, individually or in small groups, and "
            "surveyed their carers (118 responses, a 61% response rate). Thirty-eight of the 46 children said "
            "they would choose a review chaired by their social worker or by themselves; eight preferred to keep "
            "their IRO, and would keep them under the proposal.",
            "The IRO service, the local branch of the social workers' union, Cafcass and the regional "
            "adoption agency were consulted separately. The table in the consultation summary sets out every "
            "strand, its dates and the number of people who took part.",
        ),
        "outcomes": (
            "Children in long-term foster placements of two years or more tell us consistently that the review "
            "meeting feels like an inspection of their home. In our 2025 survey, 64% of them said they did not "
            "want someone they did not know at their review, and 22% had chaired part of a review themselves.",
            "The change puts the child's wishes at the centre of who chairs their review. It does not remove "
            "anyone's entitlement to an IRO: the child, their carer, their social worker, their parent or the "
            "IRO can restore an IRO-chaired review at any time, with no reason needed.",
            "Our IROs currently carry an average of 78 children each, above the 50 to 70 range in the IRO "
            "Handbook. The trial would release an estimated 1,900 IRO hours a year, which the service will spend "
            "on children in their first year of care, children placed out of county and children whose plans "
            "have drifted: the groups where audits show the most value from independent challenge.",
            "The same result cannot be achieved under the current law. Guidance already allows the child to "
            "chair part of the review, but regulation 36 requires the IRO to chair the meeting and the IRO "
            "must attend; a review without the IRO is not a review under the Regulations.",
        ),
        "capability": (
            "Ofsted's most recent inspection judged Wexmoor's services for children in need of help and "
            "protection good and the impact of leaders outstanding. The authority has been a Partner in "
            "Practice since 2023 and led the regional review of care planning in 2024.",
            "The IRO service has twelve permanent IROs and no vacancies. Its manager, who will lead the trial, "
            "has run the service for six years. Social work caseloads in the long-term teams average 14.",
        ),
        "risk": (
            "We have assessed the risks with the safeguarding partnership and the Children in Care Council. The "
            "main risks are that care plans drift without independent challenge, that children do not know or "
            "forget that they can ask for an IRO, and that social workers chair reviews of their own work.",
            "Eligibility is narrow: placements stable for at least two years, no child protection plan in the "
            "last two years, no change of placement planned and the child's own informed choice, recorded in "
            "their words. Children under 10 are included only with their carer's and IRO's agreement.",
            "Every review held without the IRO is read by an IRO within 15 working days. Any of eight triggers "
            "(listed in the risk assessment) returns the child to IRO oversight the same day.",
        ),
        "monitoring": (
            "Local accountability runs through the Corporate Parenting Panel of elected members, which will "
            "receive a monthly dashboard and a quarterly report, and through the Safeguarding Children "
            "Partnership, which will receive the audit findings twice a year.",
            "We propose that the department monitors the trial through a quarterly return of the measures in "
            "the monitoring plan, a joint case audit each year and a visit in months 6 and 18.",
        ),
        "evaluation": (
            "The evaluation will be carried out by the Centre for Children's Services Research at a partner "
            "university, independently of the service, and will report at 12 and 24 months.",
            "It will compare children in the trial with a matched group of children in stable placements in "
            "two neighbouring fictional authorities, and will use children's own accounts of their reviews, "
            "collected by young researchers from the Children in Care Council.",
        ),
    },
    consultation=(
        ConsultationEvent(150, "Children in Care Council", "Two design workshops", 14),
        ConsultationEvent(138, "Children in long-term placements", "Individual and small-group conversations", 46),
        ConsultationEvent(131, "Foster and kinship carers", "Online survey", 118),
        ConsultationEvent(124, "Safeguarding partnership executive", "Two meetings and written response", 9),
        ConsultationEvent(110, "IRO service", "Team sessions and anonymous survey", 12),
        ConsultationEvent(96, "Cafcass and regional adoption agency", "Written consultation", 4),
        ConsultationEvent(60, "Elected members (Corporate Parenting Panel)", "Panel meeting", 11),
    ),
    themes=(
        Theme("Children wanted to be sure they could change their mind.",
              "A child can restore an IRO-chaired review by telling anyone; no form is needed."),
        Theme("IROs were concerned about losing sight of children.",
              "An IRO reads every review record and holds a quarterly check on each child."),
        Theme("The police asked for automatic return after any safeguarding referral.",
              "Adopted as trigger 1 in the risk assessment."),
        Theme("Carers asked who would explain the change to younger children.",
              "A guide in three versions (under 10, 10 to 15, 16 and over), written with young people."),
    ),
    risks=(
        Risk("Care plans drift without independent challenge", "Medium", "High",
             "IRO reads every review record within 15 working days; quarterly IRO check of each child's plan",
             "IRO service manager"),
        Risk("Child unaware they can ask for an IRO", "Medium", "High",
             "Guide for children; the question asked and recorded at every review and visit",
             "Children in Care Council lead"),
        Risk("Social worker chairs a review of their own practice", "High", "Medium",
             "Team manager signs off every review; random audit of 10% each quarter", "Head of Service"),
        Risk("Placement breaks down between reviews", "Low", "High",
             "Placement change is an automatic trigger back to IRO oversight the same day", "Team managers"),
        Risk("Disabled children's views not heard", "Medium", "High",
             "Advocate offered to every disabled child; communication passport used", "Advocacy service"),
    ),
    measures=(
        Measure("Reviews held on time", "91%", "At least 95%", "Monthly", "Below 90% for two months"),
        Measure("Children in the trial", "0 (212 eligible)", "Up to 150", "Monthly", "Above 150"),
        Measure("Returns to IRO oversight", "n/a", "Reported, no target", "Monthly",
                "Any return without the trigger recorded"),
        Measure("Audited reviews rated good or better", "72%", "At least 80%", "Quarterly",
                "Below 70% in any quarter"),
        Measure("Placement stability (no move in 12 months)", "89%", "At least 89%", "Quarterly",
                "A fall of 3 points against the comparison group"),
        Measure("Children who say their review was theirs", "41%", "At least 60%", "Six-monthly",
                "A fall below the baseline"),
    ),
    evaluation_questions=(
        "Do children in the trial feel more in control of their reviews than those in the comparison group?",
        "Do care plans for children in the trial drift, measured by actions overdue at audit?",
        "Does IRO time released improve the quality of review for children new to care?",
        "What conditions would another authority need for the change to work?",
    ),
    capability_facts=(
        ("Latest Ofsted judgement", "Good overall; impact of leaders outstanding"),
        ("Independent reviewing officers", "12 permanent, no vacancies"),
        ("Average IRO caseload", "78 children"),
        ("Children looked after", "684"),
        ("Children in stable placements of two years or more", "212"),
    ),
)


HARBOURNE = DemoCase(
    slug="harbourne",
    authority="Harbourne City Council",
    director="Marcus Oyelaran, Director of Children's Services",
    title="Short breaks for disabled children without the full looked-after review process",
    summary=(
        "Harbourne asks to modify the short-break thresholds so that disabled children who use intensive "
        "short breaks, where there is no safeguarding concern and parents agree, are supported through a "
        "child-in-need plan with a family-led review instead of becoming looked after with the full "
        "care-planning and review process. Any family can keep the existing arrangements."
    ),
    trial_months=18,
    received_days_ago=30,
    panel_asked_days_ago=9,
    notice_days=37,
    advice_days_before_regulations=7,
    provisions=(
        Provision(
            enactment=CPPCR,
            reference="Regulation 48 (short breaks), and the 17-day and 75-day limits in paragraph (1)",
            change=Change.MODIFICATION,
            replacement=("For disabled children with no safeguarding concern whose parents agree, the limits "
                         "become 28 consecutive days and 120 days a year, with a short-break plan reviewed by "
                         "a named social worker every six months."),
            original_procedure=OriginalProcedure.NEGATIVE,
        ),
        Provision(
            enactment=CA1989,
            reference="Section 22C (ways in which looked after children are to be accommodated), as it applies "
                      "to the children above",
            change=Change.MODIFICATION,
            replacement=("Short-break placements for these children are arranged under the child-in-need plan "
                         "with the carer approved as a short-break carer; the child is not looked after."),
            original_procedure=OriginalProcedure.PRIMARY,
        ),
    ),
    features={
        "consultation": ("Consulted 63 families of disabled children using short breaks, the parent carer forum, "
                         "the safeguarding partnership, short-break providers, the disabled children's "
                         "team and the special educational needs service over ten weeks."),
        "outcomes": ("Parents want short breaks without their child being treated as looked after. Fewer "
                     "intrusive reviews, breaks sized to need, and social work time spent with families."),
        "capability": ("Ofsted judged services good. The disabled children's team is stable and the short-break "
                       "service was rated outstanding by its regulator."),
        "risk": ("Risks: a safeguarding concern missed without looked-after oversight; drift for children "
                 "with complex health needs; family pressure to opt out. Mitigations: exclusion criteria, "
                 "six-monthly reviews, an independent health check and an advocate."),
        "monitoring": ("Quarterly report to the scrutiny committee; audits of a quarter of cases each year; the "
                       "number of children outside the looked-after regime reported to the department monthly."),
        "evaluation": ("Evaluation by an independent research organisation with families as co-researchers, "
                       "reporting at 9 and 18 months."),
    },
    sections={
        "consultation": (
            "Harbourne's consultation ran for ten weeks and was co-produced with the Harbourne Parent Carer "
            "Forum, which helped write the questions and ran two of the sessions itself.",
            "Of the 94 families whose disabled child uses short breaks above the current thresholds, 63 took "
            "part. 57 of them supported the proposal and 6 preferred the existing arrangements; every family "
            "will be asked individually and can keep the current arrangements.",
            "Twelve disabled children and young people gave their views with the support of the advocacy "
            "service, using symbols, photographs and their usual communication methods.",
            "The safeguarding partnership, the three short-break providers, the integrated care board's "
            "designated nurse, the special educational needs service and the Independent Reviewing Officer "
            "service were consulted in writing and at meetings.",
        ),
        "outcomes": (
            "Today, a disabled child who stays at a short-break unit for more than 17 days at a time, or for "
            "more than 75 days a year, must be looked after with the full care-planning and review process. "
            "Parents tell us they ration short breaks to stay under the limits, because they do not want their "
            "child to be 'in care', and find statutory reviews intrusive when nothing is wrong at home.",
            "Under the trial, these children would be supported by a child-in-need plan with a short-break plan "
            "reviewed every six months by a named social worker, with the family leading the review. Breaks "
            "could be sized to the child's needs rather than to the thresholds.",
            "We expect families to receive the breaks they need (in 2025, 38 families turned down breaks they "
            "had been assessed as needing), fewer placement breakdowns at home, and about 600 hours of social "
            "work time a year moved from review paperwork to direct work.",
            "The alternative arrangements do not reduce any child's support: the assessment, the short-break "
            "service and the carers are the same. Only the legal status and the review process change.",
        ),
        "capability": (
            "Ofsted judged Harbourne's children's services good overall. The disabled children's team has 9 "
            "social workers, a turnover of 6% last year, and has been led by the same manager since 2021.",
            "The short-break unit at Marram House was rated outstanding at its last inspection.",
        ),
        "risk": (
            "Children who are looked after have an IRO and statutory visits; children in the trial would not. "
            "We have considered carefully whether any child could be less safe, particularly children who "
            "cannot speak for themselves.",
            "A child is excluded if there has been a child protection enquiry in the last two years, if they "
            "have a health need requiring nursing care at the unit, or if the parents disagree with each other. "
            "Every child in the trial has an annual independent health check and an advocate.",
        ),
        "monitoring": (
            "The Children and Young People Scrutiny Committee will receive a quarterly report, and the "
            "Safeguarding Children Partnership will audit a quarter of trial cases each year.",
            "We propose that the department receives a monthly count of children in the trial and a "
            "quarterly return of the measures in the monitoring plan, and joins the annual case audit.",
        ),
        "evaluation": (
            "An independent research organisation will evaluate the trial with parent co-researchers from the "
            "Parent Carer Forum, reporting at 9 and 18 months.",
            "It will compare families in the trial with families in two fictional neighbouring authorities, "
            "and will ask what the looked-after regime adds for disabled children on short breaks.",
        ),
    },
    consultation=(
        ConsultationEvent(112, "Harbourne Parent Carer Forum", "Co-design sessions", 16),
        ConsultationEvent(101, "Families using intensive short breaks", "Interviews and survey", 63),
        ConsultationEvent(95, "Disabled children and young people", "Supported conversations", 12),
        ConsultationEvent(88, "Safeguarding partnership executive", "Meeting and written response", 8),
        ConsultationEvent(80, "Short-break providers", "Workshop", 7),
        ConsultationEvent(74, "Designated nurse and SEN service", "Written consultation", 5),
    ),
    themes=(
        Theme("Parents were worried that opting in would mean fewer breaks.",
              "The short-break assessment is unchanged; the plan records the breaks the child is assessed to need."),
        Theme("The designated nurse asked about children with complex health needs.",
              "Children needing nursing care at the unit are excluded; every child has an annual health check."),
        Theme("Providers asked who they should contact with a concern.",
              "A named social worker for each child, and the existing duty line; the protocol is in the plan."),
    ),
    risks=(
        Risk("A safeguarding concern is missed without looked-after oversight", "Low", "High",
             "Exclusion criteria; unit staff trained to the same reporting protocol; six-monthly review",
             "Disabled children's team manager"),
        Risk("A child who cannot speak for themselves is not heard", "Medium", "High",
             "Advocate for every child; communication passport; observation at the unit", "Advocacy service"),
        Risk("Health needs drift without statutory health assessment", "Medium", "Medium",
             "Annual independent health check; designated nurse reviews the list quarterly",
             "Designated nurse"),
        Risk("Families feel pressed to opt in or out", "Low", "Medium",
             "Written information; decision recorded by a worker independent of the allocation",
             "Head of Service"),
    ),
    measures=(
        Measure("Children in the trial", "0 (94 eligible)", "Up to 70", "Monthly", "Above 70"),
        Measure("Short-break plans reviewed on time", "n/a", "At least 95%", "Monthly", "Below 90%"),
        Measure("Safeguarding referrals for children in the trial", "3 a year (cohort)", "Reported",
                "Monthly", "Any referral: immediate review and return to full process"),
        Measure("Families who say they get the breaks they need", "52%", "At least 75%", "Six-monthly",
                "A fall below the baseline"),
        Measure("Family breakdowns leading to full care", "4 a year (cohort)", "Fewer than 4", "Quarterly",
                "Two in any quarter"),
    ),
    evaluation_questions=(
        "Do families in the trial use the breaks they are assessed as needing?",
        "Are children in the trial as safe as comparable looked-after children on short breaks?",
        "What does the looked-after regime add for these children, and what could replace it elsewhere?",
    ),
    capability_facts=(
        ("Latest Ofsted judgement", "Good"),
        ("Disabled children's team", "9 social workers; 6% turnover"),
        ("Short-break unit", "Marram House, rated outstanding"),
        ("Families above the current thresholds", "94"),
    ),
)


EASTMARSH = DemoCase(
    slug="eastmarsh",
    authority="Eastmarsh Borough Council",
    director="Siobhan Treadwell, Corporate Director, Children and Young People's Services",
    title="Agency decisions without a panel in straightforward fostering and adoption cases, "
          "and proportionate assessment of kinship carers",
    summary=(
        "Eastmarsh asks for an exemption from the requirement to refer every fostering and adoption case to "
        "a panel, keeping panels for complex cases and using a specialist advisory review for the rest, and "
        "for a modification of the assessment of friends and family (connected person) carers so that it is "
        "proportionate to caring for one child they already know."
    ),
    trial_months=36,
    received_days_ago=21,
    panel_asked_days_ago=2,
    notice_days=63,
    advice_days_before_regulations=14,
    provisions=(
        Provision(
            enactment=FSR,
            reference="Regulations 23 to 27 (fostering panels, assessment and approval of foster parents)",
            change=Change.EXEMPTION,
            replacement=("Straightforward cases go to a specialist advisory review (medical adviser, legal "
                         "adviser, an experienced carer and an independent social worker) before the agency "
                         "decision maker decides; complex cases still go to a panel."),
            original_procedure=OriginalProcedure.NEGATIVE,
        ),
        Provision(
            enactment=AAR,
            reference="Part 2 (regulations 3 to 6: the adoption panel) for prospective adopters only",
            change=Change.EXEMPTION,
            replacement=("The same specialist advisory review for straightforward adopter approvals; matches "
                         "and all cases involving a child still go to the adoption panel."),
            original_procedure=OriginalProcedure.NEGATIVE,
        ),
        Provision(
            enactment=CPPCR,
            reference="Regulation 24 (temporary approval of relative, friend or other connected person)",
            change=Change.MODIFICATION,
            replacement=("A proportionate kinship assessment, completed in 12 weeks, focused on the one child and "
                         "the support the carer needs; full fostering assessment only if the carer wishes to "
                         "foster other children."),
            original_procedure=OriginalProcedure.NEGATIVE,
        ),
    ),
    features={
        "consultation": ("Consulted foster carers, adopters, kinship carers, the fostering and adoption panels, "
                         "the regional adoption agency, the children in care council and the safeguarding "
                         "partnership over twelve weeks; 211 people took part."),
        "outcomes": ("Quicker, less intrusive approvals for straightforward cases; panels' expertise kept for "
                     "complex ones; kinship carers assessed for the child they already love and supported better."),
        "capability": ("Ofsted judged services outstanding. The fostering service and regional adoption agency "
                       "are both rated good, and the authority leads the regional kinship care programme."),
        "risk": ("Risks: weaker scrutiny of approvals; unsuitable carers approved; kinship carers missing "
                 "support. Mitigations: criteria for complex cases, independent review, quality audits and "
                 "a support plan for every kinship carer."),
        "monitoring": ("Six-monthly report to the Corporate Parenting Board; independent audit of 20% of "
                       "decisions; placement disruption tracked against a baseline and reported to the department."),
        "evaluation": ("Independent mixed-methods evaluation over 36 months with a cost study, reporting "
                       "annually, co-ordinated with any other authority trialling similar changes."),
    },
    sections={
        "consultation": (
            "Eastmarsh consulted for twelve weeks. We wrote to every approved foster carer, every adopter "
            "approved in the last three years and every connected-person carer, and held sessions in the "
            "evening and at weekends so that working carers could come.",
            "211 people took part, including 74 foster carers, 39 adopters, 41 kinship carers and 18 members of "
            "the fostering and adoption panels. The children in care council ran its own session with 15 "
            "young people, 9 of whom live with relatives.",
            "Most carers supported the change. Panel members were divided: most agreed that straightforward "
            "cases could be decided without a panel, and several argued strongly that panels bring independent "
            "challenge. In response we have kept panels for every complex case and for every match.",
        ),
        "outcomes": (
            "The average time from application to approval for foster carers is 7.4 months, against a national "
            "expectation of six; for kinship carers under regulation 24 it is 26 weeks, with 31% of temporary "
            "approvals extended. The panel step accounts for a median of 6 weeks of the fostering timeline.",
            "Carers tell us that presenting to a panel of up to ten people feels like an interview for "
            "something they are already doing. Kinship carers in particular find an assessment designed for "
            "people joining the fostering workforce intrusive and irrelevant to caring for their grandchild.",
            "We expect approvals to be six weeks quicker in straightforward cases, kinship assessments to be "
            "completed in 12 weeks, and fewer kinship carers to withdraw (11 withdrew in 2025).",
            "Panel expertise is not lost: the medical and legal advisers and an experienced carer review every "
            "case, and a panel still considers every complex case. Any applicant can ask for a panel.",
        ),
        "capability": (
            "Ofsted judged Eastmarsh's children's services outstanding in 2024. The fostering service has 212 "
            "approved fostering households and the authority is a member of the regional adoption agency.",
            "The authority leads the regional kinship care programme and has a dedicated kinship team of six.",
        ),
        "risk": (
            "The main risk is that removing the panel step weakens scrutiny of approvals, so that an unsuitable "
            "carer is approved. Cases are complex, and still go to a panel, if any of the criteria in the risk "
            "assessment applies.",
            "For kinship carers the risk is that a lighter assessment misses a concern, or that carers receive "
            "less support. Every kinship carer has a support plan and the same checks (DBS, health, references "
            "and a home visit).",
        ),
        "monitoring": (
            "The Corporate Parenting Board will receive a six-monthly report; an independent reviewer will audit "
            "20% of decisions made without a panel, and every decision that a carer or the child's social "
            "worker challenges.",
            "We propose that the department receives the measures in the monitoring plan each quarter and "
            "joins the annual audit, and that any disruption above the trigger is reported within a month.",
        ),
        "evaluation": (
            "An independent mixed-methods evaluation will run for the full 36 months, with a cost study and "
            "interviews with carers, children and decision makers, reporting each year.",
            "We will co-ordinate the evaluation with any other authority testing similar changes, as the policy "
            "statement anticipates, so that learning is shared.",
        ),
    },
    consultation=(
        ConsultationEvent(130, "Foster carers", "Evening and weekend sessions; survey", 74),
        ConsultationEvent(124, "Adopters approved since 2023", "Survey and interviews", 39),
        ConsultationEvent(117, "Kinship (connected person) carers", "Sessions with the kinship support group", 41),
        ConsultationEvent(110, "Fostering and adoption panel members", "Two workshops", 18),
        ConsultationEvent(103, "Children in care council", "Young people's own session", 15),
        ConsultationEvent(96, "Regional adoption agency", "Board discussion", 8),
        ConsultationEvent(89, "Safeguarding partnership", "Executive meeting", 9),
        ConsultationEvent(75, "Social workers and team managers", "Staff briefings", 7),
    ),
    themes=(
        Theme("Panel members feared losing independent challenge.",
              "Panels kept for every complex case and every match; an independent social worker on each review."),
        Theme("Kinship carers wanted support, not a lighter assessment alone.",
              "Every kinship carer has a written support plan agreed before approval."),
        Theme("Young people asked that carers still be checked properly.",
              "The same statutory checks are kept; only the scope of the assessment changes."),
    ),
    risks=(
        Risk("Unsuitable carer approved without panel scrutiny", "Low", "High",
             "Complex-case criteria; specialist advisory review; independent audit of 20%", "Agency decision maker"),
        Risk("Loss of independent challenge to the agency", "Medium", "Medium",
             "Independent social worker on each review; any applicant may ask for a panel", "Head of Fostering"),
        Risk("Kinship assessment misses a concern", "Low", "High",
             "All statutory checks kept; home visit; manager sign-off; return to full assessment on any concern",
             "Kinship team manager"),
        Risk("Kinship carers receive less support", "Medium", "Medium",
             "Support plan agreed before approval; review at three months", "Kinship team manager"),
        Risk("Placement disruption rises", "Low", "High",
             "Disruption tracked monthly against baseline; trigger for revocation", "Corporate Parenting Board"),
    ),
    measures=(
        Measure("Weeks from application to fostering approval", "32 weeks", "26 weeks", "Quarterly",
                "Above 32 weeks for two quarters"),
        Measure("Kinship assessments completed in 12 weeks", "18%", "At least 80%", "Quarterly", "Below 50%"),
        Measure("Placement disruptions in first year", "7%", "No more than 7%", "Monthly",
                "Above 9% over any six months"),
        Measure("Audited decisions rated safe", "n/a", "100%", "Quarterly", "Any decision rated unsafe"),
        Measure("Kinship carers withdrawing", "11 a year", "Fewer than 6", "Six-monthly", "Above 11"),
        Measure("Complaints about approval process", "9 a year", "Fewer than 9", "Six-monthly", "Above 12"),
    ),
    evaluation_questions=(
        "Are decisions made without a panel as safe and well reasoned as panel decisions?",
        "Do quicker approvals increase the number and stability of placements?",
        "Do kinship carers assessed proportionately feel better supported?",
        "What does the change cost or save, and could it work in a smaller authority?",
    ),
    capability_facts=(
        ("Latest Ofsted judgement", "Outstanding (2024)"),
        ("Approved fostering households", "212"),
        ("Kinship team", "6 social workers"),
        ("Fostering approvals last year", "41, of which 29 straightforward"),
    ),
)

CASES: tuple[DemoCase, ...] = (WEXMOOR, HARBOURNE, EASTMARSH)


def application_for(case: DemoCase, today: date, documents: list[DocumentRef] | None = None) -> Application:
    """The validated :class:`Application` for ``case``, dated relative to ``today``."""
    return Application(
        id=case.application_id(today),
        authority=case.authority,
        title=case.title,
        summary=case.summary,
        provisions=list(case.provisions),
        trial_months=case.trial_months,
        dates=case.dates(today),
        features=Features(**case.features),
        documents=documents or [],
    )

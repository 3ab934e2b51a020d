"""Sample finalised advice for the publication tests: realistic text, or a marker in every field."""

from __future__ import annotations

from datetime import UTC, datetime

from panel_desk.core.model import Advice

NOW = datetime(2026, 11, 20, 14, 5, 0, tzinfo=UTC)  # in the past, so pdfsig finds the certificates valid

OUTCOMES = (
    "The panel considers that children in stable, long-term placements are likely to benefit from "
    "reviews that they can choose to chair themselves, or that their social worker chairs. Children told "
    "the authority's consultation that meeting an unfamiliar reviewing officer was the part of the "
    "process they valued least."
)
MONITORING = (
    "The authority proposes monthly case audits of every child whose review is not chaired by an "
    "independent reviewing officer, reported to the lead member and to the Department."
)


def advice_dict(**over) -> dict:
    """A model dict of a finalised advice (publishable fields only, as the secretariat hands over)."""
    data = {
        "application_id": "northshire-2026-3fa1",
        "application_revision": 2,
        "advice_revision": 1,
        "authority": "Northshire County Council",
        "title": "Targeted independent reviewing officer oversight for children in stable placements",
        "provisions": [
            {"enactment": "The Care Planning, Placement and Case Review (England) Regulations 2010",
             "reference": "regulation 36 and Part 6", "change": "modification",
             "replacement": "a review chaired by the child or their social worker, with a way back to an IRO",
             "original_procedure": "negative"},
            {"enactment": "Children Act 1989", "reference": "section 25B(1)(a)", "change": "exemption",
             "replacement": "", "original_procedure": "primary"},
        ],
        "trial_months": 24,
        "extension_months": 0,
        "dates": {"received": "2026-09-01", "panel_asked": "2026-09-14",
                  "regulations_intended": "2026-12-14", "advice_due": "2026-11-30"},
        "date_of_advice": "2026-11-20",
        "summary": ("Northshire proposes that children in stable, long-term placements may choose who chairs "
                    "their review.\n\nAn independent reviewing officer would still oversee every child whose "
                    "placement is not stable, and any child may ask to return to the full process."),
        "outcomes": OUTCOMES + "\n\n" + "The panel is less certain about children aged under 10.",
        "monitoring": MONITORING,
        "conditions": ["The authority reports monthly on every child who asked to return to an IRO.",
                       "The Department audits twenty cases in the first six months."],
        "other_advice": "The evaluation should ask children themselves how reviews felt.",
        "members": [
            {"name": "Asha Patel", "role": "childrens-commissioner", "organisation": "Office of the Children's Commissioner",
             "acts_for": "the Children's Commissioner"},
            {"name": "Tom Evans", "role": "chief-inspector", "organisation": "Ofsted", "acts_for": "HM Chief Inspector"},
            {"name": "Mary O'Neill & Co <b>", "role": "social-work-practice", "organisation": "BASW"},
        ],
        "interests": [
            {"member": "Asha Patel", "role": "childrens-commissioner", "none_to_declare": True,
             "decision": "no-action"},
            {"member": "Mary O'Neill & Co <b>", "role": "social-work-practice", "none_to_declare": False,
             "interests": [{"type": "employment", "text": "Worked for Northshire until 2023"}],
             "decision": "declared", "reason": "The work ended three years ago and was not on this service."},
        ],
        "dissents": [{"attributed_to": "Tom Evans", "statement": "I do not think monthly audits are enough."}],
        "comments": [{"attributed_to": "Social work practice", "statement": "Children must be told of the way back."}],
        "finalised_at": "2026-11-20T10:00:00Z",
    }
    data.update(over)
    return data


def sample_advice(**over) -> Advice:
    return Advice.model_validate(advice_dict(**over))


def marked_advice() -> tuple[Advice, dict[str, str]]:
    """An advice whose every publishable field carries its own marker; returns it and field → marker."""
    markers: dict[str, str] = {}

    def m(name: str) -> str:
        value = f"MK{name.upper().replace('_', '')}ZQ"
        markers[name] = value
        return value

    data = advice_dict(
        authority=f"Council {m('authority')}",
        title=f"Title {m('title')}",
        provisions=[{"enactment": f"Act {m('enactment')}", "reference": f"ref {m('reference')}",
                     "change": "modification", "replacement": f"by {m('replacement')}",
                     "original_procedure": "affirmative"}],
        summary=f"Summary {m('summary')}",
        outcomes=f"Outcomes {m('outcomes')}",
        monitoring=f"Monitoring {m('monitoring')}",
        conditions=[f"Condition {m('condition_one')}", f"Condition {m('condition_two')}"],
        other_advice=f"Other {m('other_advice')}",
        members=[{"name": f"Name {m('member_name')}", "role": "expert", "organisation": f"Org {m('organisation')}",
                  "acts_for": f"for {m('acts_for')}"}],
        interests=[{"member": f"Name {m('imember')}", "role": "expert", "none_to_declare": False,
                    "interests": [{"type": "financial", "text": f"Shares {m('interest_text')}"}],
                    "decision": "read-only", "reason": f"Because {m('decision_reason')}"}],
        dissents=[{"attributed_to": f"By {m('dissent_by')}", "statement": f"Dissent {m('dissent_text')}"}],
        comments=[{"attributed_to": f"By {m('comment_by')}", "statement": f"Comment {m('comment_text')}"}],
        application_id="markers-2026-abcd",
    )
    return Advice.model_validate(data), markers


def long_advice(pages: int = 20) -> Advice:
    """An advice long enough to fill about ``pages`` pages."""
    para = OUTCOMES + " " + MONITORING
    n = max(1, pages * 2)
    return sample_advice(
        outcomes="\n\n".join([para] * n),
        monitoring="\n\n".join([MONITORING * 2] * n),
        conditions=[f"Condition {i}: " + MONITORING for i in range(1, 11)],
    )

"""Vocabularies the form definition and the records share, in a module that imports neither.

Each id used in files (the value) is declared with the words people read (``.label``) where
there are any (:class:`Labelled`). :mod:`panel_desk.core.model` re-exports them.
"""

from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    """An id used in files (the value) with the words people read (``.label``), declared together:
    ``EMPLOYMENT = "employment", "Employment"``."""

    def __new__(cls, value: str, label: str = "") -> Labelled:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        return member


class Feature(Labelled):
    """The six features every application must cover (policy statement, §1.2 table)."""

    CONSULTATION = "consultation", "Local consultation"
    OUTCOMES = "outcomes", "Better outcomes, or the same outcomes more efficiently"
    CAPABILITY = "capability", "Local capability"
    RISK = "risk", "Risk to children, mitigations and safeguards"
    MONITORING = "monitoring", "Monitoring and local accountability"
    EVALUATION = "evaluation", "Evaluation"


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class OutcomesRating(StrEnum):
    IMPROVE_SIGNIFICANTLY = "improve_significantly"
    IMPROVE = "improve"
    NO_MATERIAL_CHANGE = "no_material_change"
    WORSEN = "worsen"
    WORSEN_SIGNIFICANTLY = "worsen_significantly"
    CANNOT_JUDGE = "cannot_judge"


class MonitoringRating(StrEnum):
    SUFFICIENT = "sufficient"
    SUFFICIENT_WITH_CONDITIONS = "sufficient_with_conditions"
    INSUFFICIENT = "insufficient"
    CANNOT_JUDGE = "cannot_judge"

"""The panel's domain: applications, members, interests, answers, drafts, sign-offs and advice.

Pydantic v2 models shared by the CLI, the store, the bundles and the window. Field titles are
the words a secretariat officer uses; :func:`explain` turns a validation failure into sentences
that name the field.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from panel_desk.core.errors import InvalidInput

_M = TypeVar("_M", bound=BaseModel)


def utcnow() -> datetime:
    """The current time, aware, in UTC (callers inject their own ``now`` in tests)."""
    return datetime.now(UTC)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False,
                              use_enum_values=False, validate_assignment=True)


NonEmpty = Annotated[str, Field(min_length=1)]


# --- vocabularies (ids from DESIGN §8) --------------------------------------------------------


class Labelled(StrEnum):
    """An id used in files (the value) with the words people read (``.label``), declared together:
    ``EMPLOYMENT = "employment", "Employment"``."""

    def __new__(cls, value: str, label: str = "") -> Labelled:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        return member


class Role(Labelled):
    SECRETARIAT = "secretariat", "Secretariat"
    CHILDRENS_COMMISSIONER = "childrens-commissioner", "Children's Commissioner"
    CHIEF_INSPECTOR = "chief-inspector", "HM Chief Inspector"
    VOLUNTARY_SECTOR = "voluntary-sector", "Voluntary sector"
    LOCAL_GOVERNMENT = "local-government", "Local government"
    SOCIAL_WORK_PRACTICE = "social-work-practice", "Social work practice"
    EXPERT = "expert", "Other relevant expertise"

    @property
    def permanent(self) -> bool:
        """Staff acting for one of the two permanent members of the panel."""
        return self in (Role.CHILDRENS_COMMISSIONER, Role.CHIEF_INSPECTOR)


ROLE_LABELS = {m: m.label for m in Role}


class InterestType(Labelled):
    EMPLOYMENT = "employment", "Employment"
    FINANCIAL = "financial", "Financial"
    PERSONAL = "personal", "Personal"
    PROFESSIONAL = "professional", "Professional"
    PRIOR_INVOLVEMENT = "prior-involvement", "Prior involvement with this application"
    REGULATORY = "regulatory", "Regulatory"
    OTHER = "other", "Other"


INTEREST_LABELS = {m: m.label for m in InterestType}


class Decision(Labelled):
    """How the secretariat handles a declared interest."""

    NO_ACTION = "no-action", "No action needed"
    DECLARED = "declared", "Takes part; interest published"
    READ_ONLY = "read-only", "May read; no part in the advice"
    RECUSED = "recused", "Recused; no access"

    @property
    def takes_part(self) -> bool:
        """Whether the member's answers count towards the advice."""
        return self in (Decision.NO_ACTION, Decision.DECLARED)

    @property
    def may_read(self) -> bool:
        return self is not Decision.RECUSED


DECISION_LABELS = {m: m.label for m in Decision}


class Change(StrEnum):
    EXEMPTION = "exemption"
    MODIFICATION = "modification"


class OriginalProcedure(StrEnum):
    """How the provision was originally made, which fixes the procedure for the trial (policy §3)."""

    PRIMARY = "primary"
    AFFIRMATIVE = "affirmative"
    NEGATIVE = "negative"


class ParliamentaryProcedure(StrEnum):
    AFFIRMATIVE = "affirmative"
    NEGATIVE = "negative"


class Feature(Labelled):
    """The six features every application must cover (policy statement, §1.2 table)."""

    CONSULTATION = "consultation", "Local consultation"
    OUTCOMES = "outcomes", "Better outcomes, or the same outcomes more efficiently"
    CAPABILITY = "capability", "Local capability"
    RISK = "risk", "Risk to children, mitigations and safeguards"
    MONITORING = "monitoring", "Monitoring and local accountability"
    EVALUATION = "evaluation", "Evaluation"


FEATURE_LABELS = {m: m.label for m in Feature}


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


class SignOffKind(StrEnum):
    CONCUR = "concur"
    COMMENT = "comment"
    DISSENT = "dissent"


class Attribution(StrEnum):
    NAME = "name"
    ROLE = "role"


# --- the application --------------------------------------------------------------------------


class Provision(_Model):
    """One provision the authority asks to be exempted from, or to have modified."""

    enactment: NonEmpty = Field(title="Legislation", description="e.g. The Care Planning, Placement and Case Review (England) Regulations 2010")
    reference: NonEmpty = Field(title="Provision", description="e.g. regulation 36 and Part 6")
    change: Change = Field(title="Exemption or modification")
    replacement: str = Field("", title="What replaces it")
    original_procedure: OriginalProcedure = Field(title="Procedure of the original legislation")
    concerns_profit_making: bool = Field(False, title="Touches the restrictions on profit-making")

    @property
    def parliamentary_procedure(self) -> ParliamentaryProcedure:
        from panel_desk.core.rules import parliamentary_procedure

        return parliamentary_procedure(self.original_procedure)

    @property
    def citation(self) -> str:
        return f"{self.enactment}, {self.reference}"


class Features(_Model):
    """The application's text on each of the six features (empty string: not covered)."""

    consultation: str = Field("", title="Local consultation")
    outcomes: str = Field("", title="Better outcomes")
    capability: str = Field("", title="Local capability")
    risk: str = Field("", title="Risk to children")
    monitoring: str = Field("", title="Monitoring and local accountability")
    evaluation: str = Field("", title="Evaluation")

    def text(self, feature: Feature) -> str:
        return getattr(self, feature.value)


class DocumentRef(_Model):
    """A document of the application (its bytes travel in the bundle, never here)."""

    path: NonEmpty = Field(title="File", description="path inside the application, e.g. documents/application.pdf")
    title: NonEmpty = Field(title="Title")
    features: list[Feature] = Field(default_factory=list, title="Features it covers")
    media_type: str = Field("application/pdf", title="Media type")
    sha256: str = Field("", title="SHA-256")
    size: int = Field(0, ge=0, title="Size in bytes")

    @field_validator("path")
    @classmethod
    def _safe_path(cls, v: str) -> str:
        if v.startswith(("/", "\\")) or ".." in v.replace("\\", "/").split("/") or ":" in v:
            raise ValueError("must be a relative path inside the application folder, without '..'")
        return v


class Dates(_Model):
    received: date = Field(title="Date the application was received")
    panel_asked: date = Field(title="Date the panel was asked")
    regulations_intended: date = Field(title="Intended date of the regulations")
    advice_due: date = Field(title="Date the advice is due")

    @model_validator(mode="after")
    def _order(self) -> Dates:
        if self.panel_asked < self.received:
            raise ValueError("the panel cannot be asked before the application was received")
        if self.advice_due < self.panel_asked:
            raise ValueError("the advice cannot be due before the panel was asked")
        if self.advice_due > self.regulations_intended:
            raise ValueError("the advice must be due on or before the intended date of the regulations")
        return self


_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{2,62}$")


def new_application_id(authority: str, year: int) -> str:
    """A readable id such as ``northshire-2026-3fa1``."""
    slug = re.sub(r"[^a-z0-9]+", "-", authority.lower()).strip("-")
    slug = re.sub(r"-(county|city|borough|metropolitan|district)?-?council$", "", slug) or "application"
    return f"{slug[:24].strip('-')}-{year}-{secrets.token_hex(2)}"


class Application(_Model):
    """An authority's application to test a different way of working."""

    id: str = Field("", title="Application id")
    revision: int = Field(1, ge=1, title="Revision")
    authority: NonEmpty = Field(title="Applicant authority")
    title: NonEmpty = Field(title="Title")
    summary: NonEmpty = Field(title="Summary")
    provisions: list[Provision] = Field(min_length=1, title="Provisions")
    trial_months: int = Field(ge=1, title="Proposed trial length in months")
    extension_months: int = Field(0, ge=0, title="Extension requested in months")
    dates: Dates = Field(title="Dates")
    features: Features = Field(title="Features of the application")
    documents: list[DocumentRef] = Field(default_factory=list, title="Documents")
    revision_reason: str = Field("", title="Reason for this revision")

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if v and not _ID_RE.match(v):
            raise ValueError("use 3 to 63 lower-case letters, digits and hyphens")
        return v

    @field_validator("documents")
    @classmethod
    def _unique_docs(cls, v: list[DocumentRef]) -> list[DocumentRef]:
        seen = set()
        for d in v:
            if d.path in seen:
                raise ValueError(f"the document {d.path} is listed twice")
            seen.add(d.path)
        return v

    def with_id(self) -> Application:
        """This application with an id (a new one if it had none)."""
        if self.id:
            return self
        return self.model_copy(update={"id": new_application_id(self.authority, self.dates.received.year)})

    def document(self, path: str) -> DocumentRef:
        for d in self.documents:
            if d.path == path:
                return d
        raise KeyError(path)


# --- people -----------------------------------------------------------------------------------


class Member(_Model):
    """A person on the roster: the secretariat or a panel member (from their public card)."""

    fingerprint: NonEmpty = Field(title="Fingerprint")
    name: NonEmpty = Field(title="Name")
    role: Role = Field(title="Role")
    organisation: str = Field("", title="Organisation")
    acts_for: str = Field("", title="Acts for", description="for staff: the permanent member they act for")

    @property
    def role_label(self) -> str:
        return self.role.label


# --- interests --------------------------------------------------------------------------------


class Interest(_Model):
    type: InterestType = Field(title="Type of interest")
    text: NonEmpty = Field(title="Description of the interest")


class ConflictDeclaration(_Model):
    """A member's declaration of interests for one revision of an application."""

    application_id: NonEmpty
    application_revision: int = Field(ge=1)
    member: NonEmpty = Field(title="Member's fingerprint")
    none_to_declare: bool = Field(False, title="I have no interests to declare")
    interests: list[Interest] = Field(default_factory=list, title="Interests")
    declared_at: datetime = Field(default_factory=utcnow)

    @model_validator(mode="after")
    def _attested(self) -> ConflictDeclaration:
        if self.none_to_declare and self.interests:
            raise ValueError("either declare your interests or say you have none, not both")
        if not self.none_to_declare and not self.interests:
            raise ValueError("declare at least one interest, or say you have no interests to declare")
        return self


class ConflictDecision(_Model):
    """The secretariat's decision on a member's declared interests."""

    application_id: NonEmpty
    member: NonEmpty
    decision: Decision
    reason: NonEmpty = Field(title="Reason for the decision")
    decided_by: str = ""
    decided_at: datetime = Field(default_factory=utcnow)


# --- answers ----------------------------------------------------------------------------------


class Evidence(_Model):
    """A passage of the application a member cites."""

    document: NonEmpty = Field(title="Document")
    page: int = Field(ge=1, title="Page")
    quote: str = Field("", title="Quoted text")
    annotation_id: str = ""


QuestionId = Literal["outcomes", "monitoring"]


class Answer(_Model):
    """A member's answer to one of the two questions."""

    rating: str = Field("", title="Rating")
    confidence: Confidence | None = Field(None, title="Confidence")
    rationale: str = Field("", title="Rationale (publishable)")
    internal_note: str = Field("", title="Internal note (not published)")
    evidence: list[Evidence] = Field(default_factory=list, title="Evidence")


class ResponseAnswers(_Model):
    """Everything a member answers in the form."""

    outcomes: Answer = Field(default_factory=Answer)
    monitoring: Answer = Field(default_factory=Answer)
    conditions: list[NonEmpty] = Field(default_factory=list, title="Conditions (publishable)")
    other_advice: str = Field("", title="Other advice (publishable)")

    @field_validator("outcomes")
    @classmethod
    def _outcomes_rating(cls, v: Answer) -> Answer:
        if v.rating and v.rating not in {r.value for r in OutcomesRating}:
            raise ValueError(f"'{v.rating}' is not a rating for outcomes; use one of {', '.join(r.value for r in OutcomesRating)}")
        return v

    @field_validator("monitoring")
    @classmethod
    def _monitoring_rating(cls, v: Answer) -> Answer:
        if v.rating and v.rating not in {r.value for r in MonitoringRating}:
            raise ValueError(f"'{v.rating}' is not a rating for monitoring; use one of {', '.join(r.value for r in MonitoringRating)}")
        return v

    def answer(self, question: QuestionId) -> Answer:
        return getattr(self, question)

    def missing(self) -> list[str]:
        """What still has to be answered before the response can be sent, in words."""
        out = []
        if not self.outcomes.rating:
            out.append("Choose how children's outcomes are likely to be affected")
        if self.outcomes.confidence is None:
            out.append("Choose how confident you are in your answer on outcomes")
        if not self.outcomes.rationale:
            out.append("Explain your answer on outcomes")
        if not self.monitoring.rating:
            out.append("Choose whether the monitoring arrangements are sufficient")
        if self.monitoring.confidence is None:
            out.append("Choose how confident you are in your answer on monitoring")
        if not self.monitoring.rationale:
            out.append("Explain your answer on monitoring")
        if self.monitoring.rating == MonitoringRating.SUFFICIENT_WITH_CONDITIONS and not self.conditions:
            out.append("Add the conditions under which monitoring would be sufficient")
        return out


class Response(_Model):
    """A member's signed answers to one application revision."""

    application_id: NonEmpty
    application_revision: int = Field(ge=1)
    member: NonEmpty
    revision: int = Field(1, ge=1, title="Response revision")
    form_id: str = "panel-advice"
    form_version: int = 1
    answers: ResponseAnswers
    submitted_at: datetime = Field(default_factory=utcnow)
    declaration: ConflictDeclaration | None = Field(
        None, title="Declaration of interests", description="the member's declaration for this revision, sent with it")

    @model_validator(mode="after")
    def _complete(self) -> Response:
        missing = self.answers.missing()
        if missing:
            raise ValueError("the response is not complete: " + "; ".join(missing))
        return self


class AnnotationTag(StrEnum):
    """What a highlight is about: one of the six features, or other."""

    CONSULTATION = "consultation"
    OUTCOMES = "outcomes"
    CAPABILITY = "capability"
    RISK = "risk"
    MONITORING = "monitoring"
    EVALUATION = "evaluation"
    OTHER = "other"


class Annotation(_Model):
    """A highlight on a document page with a note; private unless shared with the panel."""

    id: str = Field(default_factory=lambda: secrets.token_hex(8))
    application_id: NonEmpty
    document: NonEmpty = Field(title="Document")
    page: int = Field(ge=1, title="Page")
    rects: list[tuple[float, float, float, float]] = Field(
        default_factory=list, description="highlighted areas in page points, origin top-left: x0, y0, x1, y1")
    quote: str = Field("", title="Highlighted text")
    note: str = Field("", title="Note")
    tag: AnnotationTag = Field(AnnotationTag.OTHER, title="Tag")
    shared: bool = Field(False, title="Shared with the panel")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    def as_evidence(self) -> Evidence:
        return Evidence(document=self.document, page=self.page, quote=self.quote, annotation_id=self.id)


# --- drafting, sign-off, publication ----------------------------------------------------------


class DraftAdvice(_Model):
    """The secretariat's draft of the panel's advice."""

    application_id: NonEmpty
    revision: int = Field(1, ge=1, title="Draft revision")
    summary: str = Field("", title="Summary of the application")
    outcomes: str = Field("", title="The panel's advice on outcomes for children")
    monitoring: str = Field("", title="The panel's advice on monitoring arrangements")
    conditions: list[NonEmpty] = Field(default_factory=list, title="Conditions and recommendations")
    other_advice: str = Field("", title="Other advice")
    reason: str = Field("", title="Reason for this revision")
    created_at: datetime = Field(default_factory=utcnow)

    def missing(self) -> list[str]:
        out = []
        if not self.summary:
            out.append("Write a summary of the application")
        if not self.outcomes:
            out.append("Write the panel's advice on outcomes for children")
        if not self.monitoring:
            out.append("Write the panel's advice on monitoring arrangements")
        return out


class SignOff(_Model):
    """A member's answer to a circulated draft: concur, concur with a comment, or dissent."""

    application_id: NonEmpty
    draft_revision: int = Field(ge=1)
    member: NonEmpty
    kind: SignOffKind
    text: str = Field("", title="Comment or dissenting statement")
    attribute: Attribution = Field(Attribution.NAME, title="Attribute by")
    signed_at: datetime = Field(default_factory=utcnow)
    declaration: ConflictDeclaration | None = Field(
        None, title="Declaration of interests", description="the member's declaration for the application's "
        "current revision, sent with it")

    @model_validator(mode="after")
    def _text(self) -> SignOff:
        if self.kind is SignOffKind.COMMENT and not self.text:
            raise ValueError("write your comment, or concur without one")
        if self.kind is SignOffKind.DISSENT and not self.text:
            raise ValueError("write the statement of your dissent; it is published as you write it")
        if self.kind is SignOffKind.CONCUR and self.text:
            raise ValueError("a plain concurrence has no text; choose 'concur with a comment' to add one")
        return self


class AdviceMember(_Model):
    name: str
    role: Role
    organisation: str = ""
    acts_for: str = ""


class Participation(_Model):
    """What the records show of one panel member's part in an advice (every statement the published
    advice makes about the process is computed from these)."""

    name: str
    role: Role
    organisation: str = ""
    acts_for: str = ""
    decision: Decision | None = Field(None, title="Decision on their interests")
    declared: bool = Field(False, title="Declared interests in the revision advised on")
    declared_first: bool = Field(False, title="Declared before answering and before signing off")
    answered: bool = Field(False, title="Answered Q1 and Q2")
    signoff: SignOffKind | None = Field(None, title="Reply to the final draft")


class AdviceInterest(_Model):
    """One line of the published register of interests."""

    member: str = Field(title="Member (as attributed)")
    role: Role
    none_to_declare: bool
    interests: list[Interest] = Field(default_factory=list)
    decision: Decision | None = None
    reason: str = ""


class AdviceDissent(_Model):
    attributed_to: NonEmpty = Field(title="Attributed to", description="the member's name, or their role, as they chose")
    statement: NonEmpty


class Advice(_Model):
    """The panel's finalised advice, ready to publish: publishable content only."""

    application_id: NonEmpty
    application_revision: int = Field(ge=1)
    advice_revision: int = Field(1, ge=1)
    authority: NonEmpty
    title: NonEmpty
    provisions: list[Provision] = Field(min_length=1)
    trial_months: int
    extension_months: int = 0
    dates: Dates
    date_of_advice: date
    summary: NonEmpty
    outcomes: NonEmpty
    monitoring: NonEmpty
    conditions: list[str] = Field(default_factory=list)
    other_advice: str = ""
    members: list[AdviceMember] = Field(default_factory=list)
    interests: list[AdviceInterest] = Field(default_factory=list)
    dissents: list[AdviceDissent] = Field(default_factory=list)
    comments: list[AdviceDissent] = Field(default_factory=list)
    participation: list[Participation] = Field(default_factory=list)
    finalised_at: datetime = Field(default_factory=utcnow)


# --- error messages ---------------------------------------------------------------------------


def _field_title(model: type[BaseModel] | None, loc: tuple) -> str:
    """Best human name for a location such as ('dates', 'panel_asked')."""
    names: list[str] = []
    current = model
    for part in loc:
        if isinstance(part, int):
            names.append(f"number {part + 1}")
            current = None if current is None else current
            continue
        title = None
        if current is not None and part in getattr(current, "model_fields", {}):
            info = current.model_fields[part]
            title = info.title
            ann = info.annotation
            nested = getattr(ann, "__args__", (ann,))
            current = next((a for a in nested if isinstance(a, type) and issubclass(a, BaseModel)), None)
        names.append(title or str(part).replace("_", " "))
    return " › ".join(names) if names else "this file"


_MESSAGES = {
    "missing": "is missing",
    "date_from_datetime_parsing": "must be a date written as YYYY-MM-DD",
    "date_parsing": "must be a date written as YYYY-MM-DD",
    "date_type": "must be a date written as YYYY-MM-DD",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "string_too_short": "must not be empty",
    "too_short": "needs at least one entry",
    "extra_forbidden": "is not a field this form knows (check the spelling)",
    "greater_than_equal": "is too small",
    "bool_parsing": "must be true or false",
}


def explain(exc: ValidationError, model: type[BaseModel], source: str = "") -> list[str]:
    """Turn a pydantic error into sentences naming each field, e.g.
    ``application.toml: Dates › Date the panel was asked must be a date written as YYYY-MM-DD.``"""
    lines = []
    for err in exc.errors():
        loc = tuple(err.get("loc", ()))
        where = _field_title(model, loc)
        kind = err.get("type", "")
        if kind == "enum":
            expected = err.get("ctx", {}).get("expected", "")
            what = f"must be one of {expected}"
        elif kind in _MESSAGES:
            what = _MESSAGES[kind]
        else:
            what = str(err.get("msg", "is not valid")).removeprefix("Value error, ")
        where = where if loc else "This file"
        prefix = f"{source}: " if source else ""
        sentence = f"{prefix}{where} {what}"
        lines.append(sentence if sentence.endswith(".") else sentence + ".")
    return lines


def parse_model(model: type[_M], data: object, source: str = "") -> _M:
    """Validate ``data`` as ``model``; raise InvalidInput listing every problem in words."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(" ".join(explain(exc, model, source))) from None


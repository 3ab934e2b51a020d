"""The statutory rules the panel works under (policy statement §1.2; DESIGN §1).

Pure functions of their inputs (dates are passed in, never read from the clock), each returning
what a person needs to read: a yes/no and the words that explain it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from panel_desk.core.model import (
    Application,
    Feature,
    Member,
    Provision,
    Role,
)

MIN_NOTICE_DAYS = 42  # the Secretary of State asks the panel at least 6 weeks before making regulations
MAX_TRIAL_MONTHS = 36  # a trial lasts at most 3 years
MAX_EXTENSION_MONTHS = 36  # and can be extended once, by at most 3 more years
PERMANENT_SEATS = (Role.CHILDRENS_COMMISSIONER, Role.CHIEF_INSPECTOR)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an application, in words, and the field it concerns."""

    field: str
    message: str
    blocking: bool = True  # False: a warning the secretariat may proceed past

    def __str__(self) -> str:
        return self.message


def format_date(d: date) -> str:
    """Dates as people write them: ``23 November 2026``."""
    return f"{d.day} {d:%B %Y}"


def and_list(items) -> str:
    """Names as a sentence lists them: ``A``, ``A and B``, ``A, B and C``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def days_in_words(n: int) -> str:
    return "1 day" if abs(n) == 1 else f"{n} days"


# --- the 6-week rule --------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeCheck:
    """Whether the panel was asked at least 42 days before the intended regulations."""

    days: int
    meets_minimum: bool
    short_by: int  # 0 when the minimum is met

    def message(self) -> str:
        if self.meets_minimum:
            return (f"The panel was asked {days_in_words(self.days)} before the regulations are due. "
                    f"The minimum is {MIN_NOTICE_DAYS} days.")
        return (f"The panel was asked {days_in_words(self.days)} before the regulations are due. "
                f"The minimum is {MIN_NOTICE_DAYS} days, so this is {days_in_words(self.short_by)} short.")


def notice_check(panel_asked: date, regulations_intended: date) -> NoticeCheck:
    """Check the 6-week minimum between asking the panel and making the regulations."""
    days = (regulations_intended - panel_asked).days
    short = max(0, MIN_NOTICE_DAYS - days)
    return NoticeCheck(days=days, meets_minimum=short == 0, short_by=short)


def earliest_regulations(panel_asked: date) -> date:
    """The earliest date regulations may be made after the panel was asked."""
    return panel_asked + timedelta(days=MIN_NOTICE_DAYS)


def days_left(advice_due: date, today: date) -> int:
    """Days until the advice is due (negative when overdue)."""
    return (advice_due - today).days


def days_left_words(advice_due: date, today: date) -> str:
    n = days_left(advice_due, today)
    if n > 0:
        return f"{days_in_words(n)} left to advise"
    if n == 0:
        return "Advice due today"
    return f"Advice overdue by {days_in_words(-n)}"


# --- trial length -----------------------------------------------------------------------------


def trial_problems(trial_months: int, extension_months: int = 0) -> list[Problem]:
    """A trial lasts at most 36 months; one extension of at most 36 more."""
    out = []
    if trial_months < 1:
        out.append(Problem("trial_months", "Enter the proposed length of the trial in months."))
    elif trial_months > MAX_TRIAL_MONTHS:
        out.append(Problem("trial_months",
                           f"The trial is {trial_months} months long. A trial can last at most "
                           f"{MAX_TRIAL_MONTHS} months (3 years)."))
    if extension_months < 0:
        out.append(Problem("extension_months", "The extension cannot be negative."))
    elif extension_months > MAX_EXTENSION_MONTHS:
        out.append(Problem("extension_months",
                           f"The extension is {extension_months} months. A trial can be extended once, "
                           f"by at most {MAX_EXTENSION_MONTHS} months (3 years)."))
    return out


# --- scope: profit-making ---------------------------------------------------------------------

_PROFIT = re.compile(r"profit[- ]?making|for[- ]profit|\bprofits?\b", re.IGNORECASE)


def touches_profit_making(provision: Provision) -> bool:
    """The power can never be used to revisit the restrictions on profit-making."""
    text = " ".join((provision.enactment, provision.reference, provision.replacement))
    return provision.concerns_profit_making or bool(_PROFIT.search(text))


# --- the panel --------------------------------------------------------------------------------


def composition_problems(members: Iterable[Member]) -> list[Problem]:
    """Both permanent seats (Children's Commissioner, HM Chief Inspector) must be filled."""
    roles = {m.role for m in members}
    return [
        Problem("members", f"No one on the panel sits for the {role.label}. Add a member with that role.")
        for role in PERMANENT_SEATS
        if role not in roles
    ]


# --- the whole application --------------------------------------------------------------------


def feature_problems(app: Application) -> list[Problem]:
    return [
        Problem(f"features.{f.value}", f"The application does not cover: {f.label.lower()}.")
        for f in Feature
        if not app.features.text(f).strip()
    ]


def application_problems(app: Application, members: Iterable[Member] | None = None) -> list[Problem]:
    """Every problem with an application under the statutory rules, in words.

    Notice shorter than 6 weeks is a warning (the panel still advises; the advice records it);
    everything else blocks sealing.
    """
    out: list[Problem] = []
    notice = notice_check(app.dates.panel_asked, app.dates.regulations_intended)
    if not notice.meets_minimum:
        out.append(Problem("dates.regulations_intended", notice.message(), blocking=False))
    out.extend(trial_problems(app.trial_months, app.extension_months))
    for i, p in enumerate(app.provisions):
        if touches_profit_making(p):
            out.append(Problem(f"provisions.{i}",
                               f"{p.citation} concerns the restrictions on profit-making in children's "
                               "social care. The power cannot be used to revisit them."))
    out.extend(feature_problems(app))
    if members is not None:
        out.extend(composition_problems(members))
    return out

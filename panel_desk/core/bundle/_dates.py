"""Clock sanity: a bundle's dates must be possible, judged against the receiving computer's clock.

A laptop with a wrong clock would otherwise date a declaration in the year 9000, and the
member's real declaration afterwards would look older and be refused. Every time in a bundle
(the manifest's and every one in its payload) must be no more than a day ahead of the reader's
clock and not before 2016, the year of the Bill that created the panel's work; every calendar
date in it must fall between 2016 and 2200.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from pydantic import BaseModel

from panel_desk.core.bundle._errors import WrongDate
from panel_desk.core.bundle._manifest import MAX_OFFSET

EARLIEST = datetime(2016, 1, 1, tzinfo=UTC)
FIRST_DAY = EARLIEST.date()
LAST_DAY = date(2200, 12, 31)
AHEAD = timedelta(days=1)

_AFTER = ("Check the date and time on this computer; if they are right, ask the sender to check "
          "theirs and send a new copy.")


def _day(d: date) -> str:
    return f"{d.day} {d:%B} {d.year}"


def _moment(t: datetime) -> str:
    try:
        t = t.astimezone(UTC)
    except OverflowError:  # at the very ends of the calendar: as written, with its offset
        return f"{_day(t)} at {t:%H:%M} (UTC{t:%z})"
    return f"{_day(t)} at {t:%H:%M} UTC"


def _walk(value: object) -> Iterator[date]:
    """Every date and datetime inside a payload model, however nested (iteratively)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, date):
            yield item
        elif isinstance(item, BaseModel):
            stack.extend(getattr(item, name) for name in type(item).model_fields)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)


def check_dates(what: str, created_at: datetime, expires_at: datetime | None, payload: BaseModel,
                now: datetime) -> None:
    """Refuse a bundle whose dates are impossible on this computer's clock ``now``.

    ``what`` is the kind in words ("A declaration of interests"). Every time is compared after
    conversion to UTC (the manifest's schema has already refused times that cannot be).
    Raises WrongDate naming the date and, for a date in the future, this computer's time too.
    """
    latest = now + AHEAD
    times = [created_at, *(d for d in _walk(payload) if isinstance(d, datetime))]
    for t in times:
        offset = t.utcoffset()
        if offset is None or abs(offset) > MAX_OFFSET:
            raise WrongDate(f"{what} holding a time without a usable time zone ({t.isoformat()}). "
                            "It was not opened. Ask the sender for a new copy.")
        if t < EARLIEST:
            raise WrongDate(f"{what} dated {_moment(t)}, before 2016, when the panel's work began. "
                            f"It was not opened. {_AFTER}")
        if t > latest:
            raise WrongDate(f"{what} dated {_moment(t)}, more than a day after the time on this computer "
                            f"({_moment(now)}). It was not opened. {_AFTER}")
    days = [d for d in _walk(payload) if not isinstance(d, datetime)]
    if expires_at is not None:
        days.append(expires_at.date())
    for d in days:
        if not FIRST_DAY <= d <= LAST_DAY:
            raise WrongDate(f"{what} holding the date {_day(d)}, outside the years Panel Desk accepts "
                            "(2016 to 2200). It was not opened. Ask the sender for a new copy.")

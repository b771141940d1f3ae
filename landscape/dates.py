"""Partial dates, one parser for all: the data gives dates as precisely as its sources do, as a day
(YYYY-MM-DD), a month (YYYY-MM), a quarter (YYYY-Qn), a half year (YYYY-Hn) or a year (YYYY). Each names a
period; this module says where the period starts and ends, how precise it is, and how it reads."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

PRECISIONS = ("day", "month", "quarter", "half", "year")
_FORMS = (
    ("day", re.compile(r"(\d{4})-(\d{2})-(\d{2})")),
    ("month", re.compile(r"(\d{4})-(\d{2})")),
    ("quarter", re.compile(r"(\d{4})-Q([1-4])")),
    ("half", re.compile(r"(\d{4})-H([12])")),
    ("year", re.compile(r"(\d{4})")),
)


@dataclass(frozen=True)
class Period:
    """The days a partial date covers, first and last included."""

    start: dt.date
    end: dt.date
    precision: str  # one of PRECISIONS


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_period(value: object) -> Period | None:
    """Return the period a partial date names, or None when it is blank or not a real date."""
    text = "" if value is None else str(value).strip()
    for precision, form in _FORMS:
        match = form.fullmatch(text)
        if not match:
            continue
        parts = [int(p) for p in match.groups()]
        try:
            if precision == "day":
                day = dt.date(*parts)
                return Period(day, day, precision)
            year = parts[0]
            first_month, months = {
                "month": (parts[-1], 1),
                "quarter": (3 * parts[-1] - 2, 3),
                "half": (6 * parts[-1] - 5, 6),
                "year": (1, 12),
            }[precision]
            last_month = first_month + months - 1
            return Period(dt.date(year, first_month, 1), _month_end(year, last_month), precision)
        except ValueError:
            return None
    return None


def first_day(value: object) -> dt.date | None:
    """Return the first day of the period (a month's first, a year's 1 January), None when not a date."""
    period = parse_period(value)
    return period.start if period else None


def last_day(value: object) -> dt.date | None:
    """Return the last day of the period (a month's last, a year's 31 December), None when not a date."""
    period = parse_period(value)
    return period.end if period else None


def precision(value: object) -> str | None:
    """Return how precise a partial date is (one of PRECISIONS), None when not a date."""
    period = parse_period(value)
    return period.precision if period else None


def sort_key(value: object) -> tuple[dt.date, dt.date]:
    """Return a key that orders partial dates by start, the shorter period first; undated last."""
    period = parse_period(value)
    return (period.start, period.end) if period else (dt.date.max, dt.date.max)


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day months later (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return min(day.replace(year=year, month=month + 1, day=1), _month_end(year, month + 1)).replace(
        day=min(day.day, _month_end(year, month + 1).day)
    )


def words(value: object) -> str:
    """Return a partial date as it reads ('2027-H1' -> '1H 2027', '2027-Q2' -> 'Q2 2027'); other forms as
    written; blank when not a date."""
    period = parse_period(value)
    if period is None:
        return ""
    text = str(value).strip()
    if period.precision == "half":
        return f"{text[-1]}H {text[:4]}"
    if period.precision == "quarter":
        return f"{text[-2:]} {text[:4]}"
    return text

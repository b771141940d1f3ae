"""Partial dates as the data writes them (YYYY, YYYY-MM or YYYY-MM-DD), read one way everywhere: the period
a date can mean (its first and last day), how precise it is, where to draw it and how it sorts."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from landscape.values import is_missing

Precision = Literal["year", "month", "day"]
PRECISIONS: tuple[Precision, ...] = ("year", "month", "day")  # coarsest first
_FORM = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day, as the period it can mean."""

    text: str
    first: dt.date  # the first day it can mean ("2024-03" -> 2024-03-01)
    last: dt.date  # the last day it can mean ("2024-03" -> 2024-03-31)
    precision: Precision

    @property
    def marker_day(self) -> dt.date:
        """Return the day a chart draws this date at: the day itself, the 15th of a month, 1 July of a year."""
        if self.precision == "day":
            return self.first
        if self.precision == "month":
            return self.first.replace(day=15)
        return self.first.replace(month=7, day=1)

    @property
    def sort_key(self) -> tuple[dt.date, int]:
        """Order by first day, a coarser date before a finer one on the same first day (as ISO text sorts)."""
        return self.first, PRECISIONS.index(self.precision)


def parse(value: object, coarsest: Precision = "year") -> PartialDate | None:
    """Return the partial date a cell holds; None when the cell is missing, not of the form YYYY, YYYY-MM or
    YYYY-MM-DD, coarser than `coarsest` (a column that needs at least the month), or no real calendar date
    (2019-02-30)."""
    if is_missing(value):
        return None
    text = str(value)
    match = _FORM.fullmatch(text)
    if match is None:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    precision: Precision = "day" if day is not None else "month" if month is not None else "year"
    if PRECISIONS.index(precision) < PRECISIONS.index(coarsest):
        return None
    try:
        if day is not None:
            first = last = dt.date(year, month, day)
        elif month is not None:
            first = dt.date(year, month, 1)
            last = first.replace(day=calendar.monthrange(year, month)[1])
        else:
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None
    return PartialDate(text, first, last, precision)


def first_day(value: object) -> dt.date | None:
    """Return the first day a partial date can mean, None when missing or invalid."""
    parsed = parse(value)
    return parsed.first if parsed else None


def last_day(value: object) -> dt.date | None:
    """Return the last day a partial date can mean, None when missing or invalid."""
    parsed = parse(value)
    return parsed.last if parsed else None


def first_timestamp(value: object) -> pd.Timestamp:
    """Return the first day a partial date can mean as a Timestamp (for frames and charts), NaT when missing
    or invalid."""
    parsed = parse(value)
    return pd.Timestamp(parsed.first.isoformat()) if parsed else pd.NaT


def marker_timestamp(value: object) -> pd.Timestamp:
    """Return the day a chart draws a partial date at (see PartialDate.marker_day), NaT when missing or invalid."""
    parsed = parse(value)
    return pd.Timestamp(parsed.marker_day.isoformat()) if parsed else pd.NaT


def sort_keys(values: pd.Series) -> pd.Series:
    """Return each partial date's sort key (see PartialDate.sort_key), missing where the date is, for
    DataFrame.sort_values(key=...)."""
    keys = [parsed.sort_key if (parsed := parse(v)) else None for v in values]
    return pd.Series(keys, index=values.index, dtype=object)

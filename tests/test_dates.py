"""Partial dates: one reading of YYYY, YYYY-MM and YYYY-MM-DD (period, precision, marker day, order)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from landscape import dates

D = dt.date


@pytest.mark.parametrize(
    ("text", "first", "last", "precision", "marker"),
    [
        ("2024-03-07", D(2024, 3, 7), D(2024, 3, 7), "day", D(2024, 3, 7)),
        ("2024-03", D(2024, 3, 1), D(2024, 3, 31), "month", D(2024, 3, 15)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "month", D(2024, 2, 15)),  # leap year
        ("2023-02", D(2023, 2, 1), D(2023, 2, 28), "month", D(2023, 2, 15)),
        ("2024-12", D(2024, 12, 1), D(2024, 12, 31), "month", D(2024, 12, 15)),
        ("2024", D(2024, 1, 1), D(2024, 12, 31), "year", D(2024, 7, 1)),
    ],
)
def test_a_partial_date_is_the_period_it_can_mean(text, first, last, precision, marker):
    parsed = dates.parse(text)
    assert (parsed.first, parsed.last, parsed.precision, parsed.marker_day) == (first, last, precision, marker)
    assert dates.first_day(text) == first and dates.last_day(text) == last
    assert dates.first_timestamp(text) == pd.Timestamp(first) and dates.marker_timestamp(text) == pd.Timestamp(marker)


@pytest.mark.parametrize(
    "value",
    [
        None,
        pd.NA,
        float("nan"),
        "",
        "2019-02-30",  # no such day
        "2019-13",  # no such month
        "2019-00-10",
        "2019/01/02",
        "20190102",
        "2019-1-2",
        "19",
        " 2019-01-02",
        "2019-01-02\n",
        "2019-01-02T10:00",
    ],
)
def test_what_is_not_a_partial_date_reads_as_none(value):
    assert dates.parse(value) is None
    assert dates.first_day(value) is None and dates.last_day(value) is None
    assert dates.first_timestamp(value) is pd.NaT and dates.marker_timestamp(value) is pd.NaT


@pytest.mark.parametrize(
    ("text", "coarsest", "ok"),
    [
        ("2024", "year", True),
        ("2024", "month", False),
        ("2024-03", "month", True),
        ("2024-03", "day", False),
        ("2024-03-07", "day", True),
        ("2024-03-07", "month", True),
    ],
)
def test_a_column_can_ask_for_at_least_a_precision(text, coarsest, ok):
    assert (dates.parse(text, coarsest=coarsest) is not None) is ok


def test_partial_dates_sort_as_their_iso_text_does_missing_last():
    values = ["2024-03-07", "2024", "2023-12-31", None, "2024-03", "2024-01", "2024-03-01", "2024-01-01"]
    frame = pd.DataFrame({"d": pd.array(values, dtype="string")})
    ordered = frame.sort_values("d", key=dates.sort_keys, kind="stable")["d"].tolist()
    present = sorted(v for v in values if v is not None)
    assert ordered == [*present, pd.NA]
    newest_first = frame.sort_values("d", key=dates.sort_keys, ascending=False, kind="stable")["d"].tolist()
    assert newest_first == [*reversed(present), pd.NA]

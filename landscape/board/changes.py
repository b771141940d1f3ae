"""What changed since a day: approvals, label changes and readouts dated after it, newest first. A date
known only to the month or year that may fall after the day is listed and marked imprecise."""

from __future__ import annotations

import datetime as dt

from landscape import dates
from landscape.board.result import Change
from landscape.model import Landscape
from landscape.values import is_missing


def _after(value: object, cutoff: dt.date) -> tuple[bool, bool]:
    """Return whether a date (a day, month, quarter, half or year) may fall after the cutoff, and whether it
    is imprecise about it. A missing or unreadable date is not listed."""
    period = dates.parse(value)
    if period is None:
        return False, False
    after = period.last > cutoff
    return after, after and period.first <= cutoff


def changes_since(landscape: Landscape, since: str) -> tuple[Change, ...]:
    """Return approvals, label changes and readouts dated after `since`, newest first."""
    cutoff = dt.date.fromisoformat(since)
    out = []
    for row in landscape.approvals.itertuples(index=False):
        include, imprecise = _after(row.approval_date, cutoff)
        if include:
            relabel = not is_missing(row.approval_type) and row.approval_type == "label update"
            where = "" if not row.other_tumour else f" ({row.tumour_type})"
            text = f"{row.agency}: {row.regimen_short}, {row.line_of_therapy}, {row.biomarker_label}{where}"
            kind = "label change" if relabel else "approval"
            out.append(Change(str(row.approval_date), kind, text, str(row.source_id), imprecise))
    readouts = landscape.outcomes.drop_duplicates(["trial_id", "analysis", "readout_date"])
    for row in readouts.itertuples(index=False):
        include, imprecise = _after(row.readout_date, cutoff)
        if include:
            text = f"{row.acronym}: {row.analysis} ({row.line_of_therapy})"
            out.append(Change(str(row.readout_date), "readout", text, str(row.source_id), imprecise))
    return tuple(sorted(out, key=lambda c: (c.date, c.kind, c.text), reverse=True))

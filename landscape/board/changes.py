"""What changed since a day: approvals, label changes and readouts dated after it, newest first. A date
known only to the month or year that may fall after the day is listed and marked imprecise."""

from __future__ import annotations

import datetime as dt

from landscape.board.result import Change
from landscape.model import Landscape
from landscape.values import is_missing


def _period(value: str) -> tuple[dt.date, dt.date]:
    """Return the first and last day a YYYY, YYYY-MM or YYYY-MM-DD date can mean."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        first = dt.date(parts[0], parts[1], 1)
        nxt = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return first, nxt - dt.timedelta(days=1)
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def _after(value: object, cutoff: dt.date) -> tuple[bool, bool]:
    """Return whether a date may fall after the cutoff, and whether it is imprecise about it."""
    if is_missing(value):
        return False, False
    first, last = _period(str(value))
    return (first > cutoff or last > cutoff), first <= cutoff


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

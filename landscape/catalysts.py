"""The catalyst calendar: expected readouts, regulatory and guideline events and conference presentations in
one dated list, each with its basis and sources, as rows for a table, JSON, CSV, text or iCalendar. One
function builds the list that every surface (the Timeline page, the command line) renders."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import pandas as pd

from landscape import dates
from landscape.model import Landscape
from landscape.status import READOUT_WINDOW_MONTHS
from landscape.values import is_missing, split_ids

KINDS = ("readout", "regulatory", "guideline", "conference")
STATES = ("upcoming", "overdue", "past")
# A regulator's expected decision that passed without an approval of the agent by that agency is overdue.
DECISION_TYPES = frozenset({"target action date", "approval expected"})
CALENDAR_NAME = "HER2+ gastric cancer landscape: catalysts"


@dataclass(frozen=True)
class Catalyst:
    item_id: str
    date: str  # partial date as the source gives it
    date_precision: str
    kind: str  # one of KINDS
    trial_id: str
    acronym: str
    agent_ids: tuple[str, ...]
    what: str
    status: str  # one of STATES
    basis: str
    source_ids: tuple[str, ...]

    @property
    def first_day(self) -> dt.date:
        return dates.first_day(self.date) or dt.date.max


def _text(value: object) -> str:
    return "" if is_missing(value) else str(value)


def _state(date: str, as_of: dt.date, overdue: bool = False) -> str:
    if overdue:
        return "overdue"
    return "past" if dates.last_day(date) < as_of else "upcoming"


def _readouts(landscape: Landscape) -> list[Catalyst]:
    out = []
    for t in landscape.trials.itertuples(index=False):
        state = _text(t.readout_state)
        if state not in {"upcoming", "later", "overdue"} or is_missing(t.expected_readout):
            continue
        out.append(
            Catalyst(
                item_id=f"readout_{t.trial_id}",
                date=str(t.expected_readout),
                date_precision=dates.precision(t.expected_readout) or "",
                kind="readout",
                trial_id=t.trial_id,
                acronym=_text(t.acronym),
                agent_ids=tuple(split_ids(t.agent_ids)),
                what=f"{_text(t.acronym)}: primary readout expected ({_text(t.phase)}, {_text(t.line_of_therapy)})",
                status="overdue" if state == "overdue" else "upcoming",
                basis=_text(t.expected_readout_basis),
                source_ids=tuple(split_ids(_text(t.expected_readout_sources))),
            )
        )
    return out


def _approved_after(approvals: pd.DataFrame, agents: Iterable[str], agency: str, date: str) -> bool:
    start = dates.first_day(date)
    wanted = set(agents)
    for a in approvals.itertuples(index=False):
        if a.agency == agency and wanted & set(split_ids(a.agent_id)):
            day = dates.first_day(a.approval_date)
            if day is not None and start is not None and day >= start:
                return True
    return False


def _events(landscape: Landscape, as_of: dt.date) -> list[Catalyst]:
    out = []
    for e in landscape.events.itertuples(index=False):
        # Guidance on a readout already becomes the trial's expected readout; shown once, there.
        if e.kind == "readout" and e.event_type != "results announced" and not is_missing(e.trial_id):
            trial = landscape.trials[landscape.trials["trial_id"] == e.trial_id]
            if (
                not trial.empty
                and _text(trial.iloc[0]["expected_readout_basis"]).startswith("company guidance")
                and _text(trial.iloc[0]["readout_state"]) in {"upcoming", "later", "overdue"}
            ):
                continue
        agents = tuple(split_ids(e.agent_ids))
        passed = dates.last_day(e.event_date) < as_of
        overdue = (
            passed
            and e.event_type in DECISION_TYPES
            and not _approved_after(landscape.approvals, agents, _text(e.agency), e.event_date)
        )
        agency = f" ({e.agency})" if not is_missing(e.agency) else ""
        out.append(
            Catalyst(
                item_id=f"event_{e.event_id}",
                date=str(e.event_date),
                date_precision=dates.precision(e.event_date) or "",
                kind=e.kind,
                trial_id=_text(e.trial_id),
                acronym=_text(e.acronym),
                agent_ids=agents,
                what=str(e.what),
                status=_state(e.event_date, as_of, overdue),
                basis=f"{e.event_type}{agency}",
                source_ids=(e.source_id,),
            )
        )
    return out


def _approvals(landscape: Landscape) -> list[Catalyst]:
    out = []
    for a in landscape.approvals.itertuples(index=False):
        if a.other_tumour:
            continue
        out.append(
            Catalyst(
                item_id=f"approval_{a.approval_id}",
                date=str(a.approval_date),
                date_precision=dates.precision(a.approval_date) or "",
                kind="regulatory",
                trial_id="",
                acronym="",
                agent_ids=tuple(split_ids(a.agent_id)),
                what=f"{a.agency}: {a.regimen} ({a.line_of_therapy})",
                status="past",
                basis=f"decision ({_text(a.approval_type) or 'pathway not stated'})",
                source_ids=(a.source_id,),
            )
        )
    return out


def build_catalysts(
    landscape: Landscape,
    within_months: int = READOUT_WINDOW_MONTHS,
    since: str | None = None,
    trial_ids: Iterable[str] | None = None,
) -> list[Catalyst]:
    """Return the calendar, soonest first: everything upcoming within within_months of the as-of date,
    everything overdue, and, when since is given, what happened from that date on (results, decisions,
    events). trial_ids limits readouts and trial events to those trials (the page's filtered view)."""
    as_of = dt.date.fromisoformat(landscape.as_of)
    horizon = dates.add_months(as_of, within_months)
    start = dates.first_day(since) if since else None
    items = _readouts(landscape) + _events(landscape, as_of) + (_approvals(landscape) if start else [])
    keep = set(trial_ids) if trial_ids is not None else None
    out = []
    for item in items:
        if keep is not None and item.trial_id and item.trial_id not in keep:
            continue
        if item.status == "overdue":
            out.append(item)
        elif item.status == "upcoming" and item.first_day <= horizon:
            out.append(item)
        elif item.status == "past" and start is not None and dates.last_day(item.date) >= start:
            out.append(item)
    return sorted(out, key=lambda c: (dates.sort_key(c.date), KINDS.index(c.kind), c.item_id))


FIELDS = ("date", "date_precision", "kind", "trial_id", "acronym", "agent_ids", "what", "status", "basis", "source_ids")


def to_records(items: Iterable[Catalyst]) -> list[dict]:
    """Return the items as JSON-ready dicts (the command line's JSON contract)."""
    return [{k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(c).items() if k in FIELDS} for c in items]


def to_frame(items: Iterable[Catalyst]) -> pd.DataFrame:
    """Return the items as a table, id lists ';'-joined."""
    rows = [
        {k: (";".join(v) if isinstance(v, tuple) else v) for k, v in asdict(c).items() if k in FIELDS} for c in items
    ]
    return pd.DataFrame(rows, columns=list(FIELDS))


def to_json(items: Iterable[Catalyst]) -> str:
    return json.dumps(to_records(items), indent=2, ensure_ascii=False) + "\n"


def to_csv(items: Iterable[Catalyst]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(to_frame(items).to_dict("records"))
    return buffer.getvalue()


def to_text(items: list[Catalyst]) -> str:
    if not items:
        return "No catalysts in this window.\n"
    lines = []
    for c in items:
        flag = " [OVERDUE]" if c.status == "overdue" else ""
        lines.append(f"{dates.words(c.date):<12} {c.kind:<11} {c.what}{flag}")
        lines.append(f"{'':<12} {'':<11} basis: {c.basis}; sources: {', '.join(c.source_ids) or 'none recorded'}")
    return "\n".join(lines) + "\n"


def _title(c: Catalyst) -> str:
    precision = "" if c.date_precision == "day" else f" (date: {dates.words(c.date)})"
    flag = "OVERDUE: " if c.status == "overdue" else ""
    return f"{flag}{c.what}{precision}"


def to_ics(items: Iterable[Catalyst], landscape: Landscape) -> bytes:
    """Return an iCalendar file: one all-day VEVENT per item on its date (a partial date on its period's
    first day, the precision said in the title), the basis and source links in the description."""
    from icalendar import Calendar, Event

    urls = dict(zip(landscape.sources["source_id"], landscape.sources["url"], strict=True))
    stamp = dt.datetime.combine(dt.date.fromisoformat(landscape.as_of), dt.time(), tzinfo=dt.UTC)
    cal = Calendar()
    cal.add("prodid", "-//her2-gastric-landscape//catalysts//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", CALENDAR_NAME)
    for c in items:
        event = Event()
        event.add("uid", f"{c.item_id}@her2-gastric-landscape")
        event.add("dtstamp", stamp)
        event.add("dtstart", c.first_day)
        event.add("dtend", c.first_day + dt.timedelta(days=1))
        event.add("summary", _title(c))
        links = [f"{s}: {urls.get(s, '')}" for s in c.source_ids]
        event.add("description", "\n".join([f"Status: {c.status}", f"Basis: {c.basis}", "Sources:", *links]))
        event.add("categories", [c.kind, c.status])
        if c.source_ids and urls.get(c.source_ids[0]):
            event.add("url", urls[c.source_ids[0]])
        cal.add_component(event)
    return cal.to_ical()

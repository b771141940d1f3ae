"""The catalyst calendar: what the window holds, overdue flags, and every surface (JSON, CSV, text, iCalendar,
the command line) carrying the same items."""

from __future__ import annotations

import csv
import io
import json

import pytest
from icalendar import Calendar

from landscape import catalysts, dates
from landscape.__main__ import main


@pytest.fixture(scope="module")
def items(landscape):
    return catalysts.build_catalysts(landscape)


def test_the_default_window_holds_upcoming_within_12_months_and_every_overdue_item(landscape, items):
    horizon = dates.add_months(dates.first_day(landscape.as_of), 12)
    assert items, "the bundled data has overdue readouts"
    assert {c.status for c in items} <= {"upcoming", "overdue"}
    for c in items:
        if c.status == "upcoming":
            assert dates.first_day(c.date) <= horizon and dates.last_day(c.date) >= dates.first_day(landscape.as_of)
    overdue_trials = set(landscape.trials.loc[landscape.trials["readout_state"] == "overdue", "trial_id"])
    assert overdue_trials <= {c.trial_id for c in items if c.kind == "readout" and c.status == "overdue"}
    assert [dates.sort_key(c.date) for c in items] == sorted(dates.sort_key(c.date) for c in items)


def test_a_since_date_adds_what_happened_and_never_drops_overdue(landscape, items):
    since = catalysts.build_catalysts(landscape, since="2025-01")
    past = [c for c in since if c.status == "past"]
    assert past and all(dates.last_day(c.date) >= dates.first_day("2025-01") for c in past)
    assert {c.item_id for c in items} <= {c.item_id for c in since}
    assert any(c.item_id.startswith("approval_") for c in past), "decisions since the date are listed"


def test_a_zero_window_keeps_only_overdue_and_current_items(landscape):
    narrow = catalysts.build_catalysts(landscape, within_months=0)
    assert all(c.status == "overdue" or dates.first_day(c.date) <= dates.first_day(landscape.as_of) for c in narrow)


def test_a_trial_filter_limits_readouts_to_those_trials(landscape, items):
    chosen = next(c.trial_id for c in items if c.kind == "readout")
    limited = catalysts.build_catalysts(landscape, trial_ids=[chosen])
    assert {c.trial_id for c in limited if c.trial_id} == {chosen}


def test_every_item_names_its_basis_and_kind(items):
    for c in items:
        assert c.kind in catalysts.KINDS and c.status in catalysts.STATES
        assert c.basis and c.date_precision in dates.PRECISIONS


def test_ics_has_one_all_day_event_per_item_with_the_precision_in_the_title(landscape):
    items = catalysts.build_catalysts(landscape, since="2020")
    cal = Calendar.from_ical(catalysts.to_ics(items, landscape))
    events = cal.walk("VEVENT")
    assert len(events) == len(items)
    by_uid = {str(e["uid"]): e for e in events}
    for c in items:
        event = by_uid[f"{c.item_id}@her2-gastric-landscape"]
        assert event.decoded("dtstart") == dates.first_day(c.date)
        assert c.basis in str(event["description"])
        if c.date_precision != "day":
            assert f"(date: {dates.words(c.date)})" in str(event["summary"])
        assert str(event["summary"]).startswith("OVERDUE: ") == (c.status == "overdue")


def test_json_csv_and_text_carry_the_same_items(items):
    records = json.loads(catalysts.to_json(items))
    assert [r["what"] for r in records] == [c.what for c in items]
    assert set(records[0]) == set(catalysts.FIELDS)
    assert records[0]["kind"] in ("readout", "regulatory", "guideline", "conference")
    rows = list(csv.DictReader(io.StringIO(catalysts.to_csv(items))))
    assert [r["what"] for r in rows] == [c.what for c in items]
    text = catalysts.to_text(items)
    assert all(c.what in text for c in items)
    assert catalysts.to_text([]) == "No catalysts in this window.\n"


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "ics"])
def test_command_line_writes_each_format(tmp_path, fmt, capsys):
    out = tmp_path / f"catalysts.{fmt}"
    assert main(["catalysts", "--within", "24", "--since", "2025", "--format", fmt, "--out", str(out)]) == 0
    assert out.stat().st_size > 0
    if fmt == "json":
        assert isinstance(json.loads(out.read_text(encoding="utf-8")), list)
    if fmt == "ics":
        assert Calendar.from_ical(out.read_bytes()).walk("VEVENT")


@pytest.mark.parametrize(("args", "message"), [(["--since", "soon"], "--since"), (["--within", "-1"], "--within")])
def test_command_line_refuses_bad_values_naming_the_flag(args, message, capsys):
    assert main(["catalysts", *args]) == 2
    assert message in capsys.readouterr().err

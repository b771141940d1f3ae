"""Timeline: trials from start to completion, approvals over time, upcoming and overdue readouts, and the
catalyst calendar (readouts and events in a window, overdue flagged, as CSV or iCalendar)."""

import pandas as pd
import streamlit as st

from landscape import catalysts, charts, filters, summaries, ui
from landscape.model import flatten_ids

CALENDAR = "Catalyst calendar"
WINDOWS = (3, 6, 12, 24, 36)


def timeline_page() -> None:
    landscape = ui.get_landscape()
    ui.page_intro("Timeline", landscape, "When trials run and read out, and when regulators approved.")
    state = ui.filter_sidebar(landscape, "timeline")
    today = pd.Timestamp(landscape.as_of)
    trials = filters.apply_filters(landscape.trials, state)
    approvals = filters.apply_filters(landscape.approvals, state)

    view = (
        st.segmented_control(
            "View",
            ["Trials and readouts", "Approvals", CALENDAR],
            default="Trials and readouts",
            key="view",
            bind="query-params",
        )
        or "Trials and readouts"
    )
    if view == "Approvals":
        show_approvals(landscape, state, approvals)
    elif view == CALENDAR:
        show_calendar(landscape, trials)
    else:
        show_trials_and_readouts(landscape, state, trials, today)
    ui.show_sources(
        landscape,
        ("timeline", view, state.key),
        lambda: flatten_ids(trials["source_ids"]) if view != "Approvals" else approvals["source_id"],
    )


def show_trials_and_readouts(landscape, state, trials, today) -> None:
    if ui.show_filter_result(state, "trials", trials, landscape.trials):
        st.caption(
            "Solid: actual dates; hatched: estimated. "
            "Dark segment: start to primary completion; light: primary completion to study completion. "
            "Orange diamonds: when a result was first reported (hollow: the year only). "
            "Grey, cross-hatched: start date not recorded, drawn from the trial's first known date (first result, "
            "primary completion or completion; hover for which); a grey square: the only date known. "
            "Trials with no dates in their sources are left out of the chart and listed in the Trials page."
        )
        ui.memo_chart(
            landscape,
            "trial_timeline",
            state.key,
            lambda: charts.trial_gantt(
                trials,
                today,
                caption=f"Dates from registry records and publications · data as of {landscape.as_of}",
                readouts=landscape.outcomes[["trial_id", "readout_date", "analysis"]],
            ),
        )
    st.subheader("Readouts")
    cols = [
        "acronym",
        "phase",
        "line_of_therapy",
        "status",
        "expected_readout",
        "expected_readout_basis",
        "primary_results_basis",
        "registry_url",
    ]
    links = {"registry_url": st.column_config.LinkColumn("registry", display_text="open")}
    upcoming, overdue = summaries.readout_watch(trials)
    blurbs = (
        (
            "Upcoming",
            upcoming,
            f"expected within 12 months of {landscape.as_of} (registry primary completion, else completion, "
            "else company guidance), primary result not yet reported",
        ),
        (
            "Overdue",
            overdue,
            "expected date passed, primary result not reported (an interim or earlier result does not count), "
            "not terminated or withdrawn",
        ),
    )
    for column, (title, frame, blurb) in zip(st.columns(2), blurbs, strict=True):
        with column:
            st.markdown(f"**{title}** ({len(frame)}): {blurb}")
            if frame.empty:
                st.caption("None in the current selection.")
            else:
                ui.show_frame(frame[cols], column_config=links)


def show_calendar(landscape, trials) -> None:
    left, right = st.columns(2)
    within = left.selectbox(
        "Window after the as-of date (months)", WINDOWS, index=WINDOWS.index(12), key="calendar_window"
    )
    since = right.date_input("Also show what happened since (optional)", value=None, key="calendar_since")
    items = catalysts.build_catalysts(
        landscape, within, since.isoformat() if since else None, trial_ids=trials["trial_id"]
    )
    overdue = sum(c.status == "overdue" for c in items)
    st.markdown(
        f"**{len(items)} catalysts** ({overdue} overdue) from {landscape.as_of} to {within} months later"
        + (" and since the chosen date" if since else "")
        + ": expected readouts (registry primary completion, else completion, else company guidance), regulatory "
        "and guideline events and conference presentations, each with its basis. Overdue: the expected date has "
        "passed and the primary result is not reported, or a regulator's expected decision passed without an "
        "approval. Readouts follow the sidebar filters; events are listed for every trial in the view and "
        "those not tied to a trial."
    )
    if not items:
        st.info("No catalysts in this window. Widen the window or choose a date to show past events.")
        return
    frame = catalysts.to_frame(items)
    ui.show_frame(frame)
    left, right = st.columns(2)
    ui.csv_download(frame, "catalysts", "Download CSV", key="calendar_csv", container=left)
    right.download_button(
        "Download calendar (.ics)",
        lambda: catalysts.to_ics(items, landscape),
        file_name="catalysts.ics",
        mime="text/calendar",
        key="calendar_ics",
        on_click="ignore",
    )


def show_approvals(landscape, state, approvals) -> None:
    if ui.show_filter_result(state, "approvals", approvals, landscape.approvals):
        ui.memo_chart(
            landscape,
            "approvals_timeline",
            state.key,
            lambda: charts.approvals_timeline(
                approvals,
                caption=ui.chart_caption(landscape, approvals, "regulator notices, labels and press releases"),
            ),
        )
        ui.show_table(
            approvals[
                [
                    "approval_date",
                    "agency",
                    "agent_names",
                    "regimen",
                    "approval_type",
                    "line_of_therapy",
                    "biomarker",
                    "tumour_type",
                    "indication",
                    "source_url",
                ]
            ],
            "approvals",
            column_config={
                "source_url": st.column_config.LinkColumn("source", display_text="open"),
                "agent_names": "agents",
            },
            key="approvals_table",
        )


timeline_page()

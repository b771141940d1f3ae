"""Timeline: trials from start to completion, approvals over time, upcoming and overdue readouts."""

import pandas as pd
import streamlit as st

from landscape import charts, filters, ui


def timeline_page() -> None:
    landscape = ui.get_landscape()
    ui.page_intro("Timeline", landscape, "When trials run and read out, and when regulators approved.")
    state = ui.filter_sidebar(landscape)
    today = pd.Timestamp(landscape.as_of)
    trials = filters.apply_filters(landscape.trials, state)
    approvals = filters.apply_filters(landscape.approvals, state)

    st.subheader("Trials")
    ui.show_filter_summary(state, "trials", trials, landscape.trials)
    if trials.empty:
        ui.show_empty_state(state, landscape.trials, "trials")
    else:
        st.caption(
            "Solid: actual dates; hatched: estimated. Dark segment: start to primary completion; light: primary completion to study completion. Trials with no dates in their sources are left out of the chart and listed in the Trials page."
        )
        ui.show_chart(
            ui.memo(landscape, "trial_gantt", state.key, lambda: charts.trial_gantt(trials, today, caption=f"Dates from registry records and publications · data as of {landscape.as_of}")),
            "trial_timeline",
        )

    st.subheader("Approvals")
    ui.show_filter_summary(state, "approvals", approvals, landscape.approvals)
    if approvals.empty:
        ui.show_empty_state(state, landscape.approvals, "approvals")
    else:
        ui.show_chart(
            ui.memo(
                landscape, "approvals_timeline", state.key, lambda: charts.approvals_timeline(approvals, caption=ui.chart_caption(landscape, approvals, "regulator notices, labels and press releases"))
            ),
            "approvals_timeline",
        )
        ui.show_table(
            approvals[["approval_date", "agency", "agent_names", "regimen", "approval_type", "line_of_therapy", "biomarker", "tumour_type", "indication", "source_url"]],
            "approvals",
            column_config={"source_url": st.column_config.LinkColumn("source", display_text="open"), "agent_names": "agents"},
            key="approvals_table",
        )

    st.subheader("Readouts")
    left, right = st.columns(2)
    upcoming = trials[(trials["primary_completion"] >= today) & ~trials["results_reported"].fillna(False)].sort_values("primary_completion")
    overdue = trials[trials["overdue"]].sort_values("primary_completion")
    cols = ["acronym", "phase", "line_of_therapy", "status", "primary_completion_date", "primary_completion_date_type", "registry_url"]
    links = {"registry_url": st.column_config.LinkColumn("registry", display_text="open")}
    with left:
        st.markdown(f"**Upcoming** ({len(upcoming)}): primary completion on or after {landscape.as_of}, no results yet")
        if upcoming.empty:
            st.caption("None in the current selection.")
        else:
            st.dataframe(upcoming[cols], hide_index=True, column_config=links)
    with right:
        st.markdown(f"**Overdue** ({len(overdue)}): estimated primary completion already past, no results found")
        if overdue.empty:
            st.caption("None in the current selection.")
        else:
            st.dataframe(overdue[cols], hide_index=True, column_config=links)
    ui.show_sources(landscape, [s for ids in trials["source_ids"].dropna() for s in ids.split(";")] + list(approvals["source_id"]))


timeline_page()

"""Trials: filterable table with registry and publication links, and a detail view per trial."""

import streamlit as st

from landscape import display, filters, safety, text, ui
from landscape.model import flatten_ids, is_missing

# What a reader scans first, on screen at 1440 px without scrolling: name, phase, line, status, sponsor.
LEAD_COLUMNS = [
    ("acronym", "trial", 165),
    ("phase", "phase", 85),
    ("line_of_therapy", "line", 100),
    ("status", "registry status", 170),
    ("sponsor", "lead sponsor", 260),
    ("status_as_of", "status as of", 105),
]
TABLE_COLUMNS = [
    *(column for column, *_ in LEAD_COLUMNS),
    "arms_label",
    "registry_stale",
    "primary_endpoint_met",
    "nct_id",
    "design",
    "enrollment",
    "enrollment_type",
    "country_names",
    "her2_criterion",
    "pdl1_criterion",
    "primary_endpoint",
    "agent_names",
    "registry_url",
    "publication_url",
    "source_ids",
]
LINKS = {
    "registry_url": st.column_config.LinkColumn("registry", display_text="open"),
    "publication_url": st.column_config.LinkColumn("publication", display_text="open"),
    "source_url": st.column_config.LinkColumn("source", display_text="open"),
}


def trials_page() -> None:
    landscape = ui.get_landscape()
    ui.page_intro(
        "Trials",
        landscape,
        "Every trial of HER2-directed therapy in the landscape, with its registry record and publication.",
    )
    state = ui.filter_sidebar(landscape, "trials")
    shown = filters.apply_filters(landscape.trials, state)
    if ui.show_filter_result(state, "trials", shown, landscape.trials):
        ui.show_table(
            shown[TABLE_COLUMNS],
            "trials",
            column_config={
                **LINKS,
                **ui.lead_columns(LEAD_COLUMNS),
                "arms_label": st.column_config.TextColumn("arms (experimental vs control)", width="large"),
                "registry_stale": st.column_config.TextColumn("registry facts may be stale", width="medium"),
                "primary_endpoint_met": "primary endpoint met",
            },
            key="trials_table",
        )
        stale = int((shown["registry_stale"] != "").sum())
        st.caption(
            f"{stale} of {len(shown)} trials have registry facts that may be out of date: "
            "no status recorded, or a status that can still change "
            f"that is not dated or was last confirmed over 12 months before {landscape.as_of}. "
            "A status is shown as open only when a dated source within 12 months says so."
        )

    trial_id = ui.record_selector(
        landscape,
        "Trial detail",
        landscape.trials,
        "trial_id",
        "acronym",
        "trial",
        "Choose a trial to see its arms, outcomes and sources",
    )
    if trial_id:
        show_trial_detail(landscape, trial_id)
    ui.show_sources(landscape, ("trials", state.key), lambda: flatten_ids(shown["source_ids"]))


def show_trial_detail(landscape, trial_id: str) -> None:
    """One trial: its registry facts, arms and outcomes, safety by arm, named sites and sources."""
    trial = landscape.trials.set_index("trial_id").loc[trial_id]
    st.header(text.md_escape(trial["acronym"]))
    if isinstance(trial["title"], str):
        st.caption(text.md_escape(trial["title"]))
    for label, value in trial_facts(trial).items():
        if not is_missing(value) and value != "":
            st.markdown(f"**{label}:** {text.md_escape(value)}")
    if isinstance(trial["registry_url"], str):
        st.link_button("Open registry record", trial["registry_url"])
    outcomes = landscape.outcomes[landscape.outcomes["trial_id"] == trial_id]
    show_trial_outcomes(outcomes)
    rates = safety.rate_table(landscape.safety, [trial_id], safety.arm_roles(outcomes))
    show_trial_safety(rates)
    sites = landscape.sites[(landscape.sites["trial_id"] == trial_id) & (landscape.sites["level"] == "site")]
    if not sites.empty:
        st.subheader(f"Named sites ({len(sites)})")
        ui.show_frame(sites[["facility", "city", "country_name", "source_url"]], column_config=LINKS)
    st.subheader("Sources")
    ids = set(flatten_ids([trial["source_ids"]])) | set(outcomes["source_id"]) | set(rates["source_id"])
    ui.show_frame(
        ui.source_table(landscape, sorted(ids)),
        column_config={"url": st.column_config.LinkColumn("link", display_text="open")},
    )


def trial_facts(trial) -> dict[str, object]:
    """Return the trial's registry facts by label, in reading order (missing ones are left out when shown)."""
    status = (
        trial["status"]
        + (f" (as of {trial['status_as_of']})" if isinstance(trial["status_as_of"], str) else " (undated)")
        if isinstance(trial["status"], str)
        else "not recorded"
    )
    enrolment = f"{trial['enrollment']} ({trial['enrollment_type']})" if not is_missing(trial["enrollment"]) else None
    updated = trial["registry_last_updated"]
    return {
        "Registry": trial["nct_id"] if isinstance(trial["nct_id"], str) else "no NCT number",
        "Other ids": trial["other_ids"],
        "Phase": trial["phase"],
        "Line": trial["line_of_therapy"],
        "Design": trial["design"],
        "Arms": trial["arms_label"],
        "Status": status,
        "What the status means": trial["status_group"],
        "Registry record last updated": updated if isinstance(updated, str) else "not recorded",
        "Registry facts may be stale": trial["registry_stale"],
        "Primary endpoint met": trial["primary_endpoint_met"],
        "Enrolment": enrolment,
        "HER2": trial["her2_criterion"],
        "PD-L1": trial["pdl1_criterion"],
        "Primary endpoint": trial["primary_endpoint"],
        "Sponsor": trial["sponsor"],
        "Control": trial["control_regimen"],
        "Countries": trial["country_names"],
        "Notes": trial["notes"],
    }


OUTCOME_COLUMNS = [
    "arm_role",
    "regimen",
    "population",
    "analysis",
    "data_cutoff",
    "assessment",
    "n",
    "orr_pct",
    "orr_confirmed",
    "median_pfs",
    "pfs_hr_ci",
    "median_os",
    "os_hr_ci",
    "notes",
    "source_url",
]


def show_trial_outcomes(outcomes) -> None:
    """The trial's arms and outcomes, one row per arm, population and analysis."""
    st.subheader(f"Arms and outcomes ({len(outcomes)} rows)")
    if outcomes.empty:
        st.caption("No efficacy results recorded for this trial.")
        return
    ui.show_frame(
        display.with_display_columns(outcomes)[OUTCOME_COLUMNS],
        hide_index=True,
        column_config={
            **LINKS,
            "orr_pct": st.column_config.NumberColumn("ORR %", format="%.1f"),
            "median_pfs": "median PFS (mo)",
            "median_os": "median OS (mo)",
            "pfs_hr_ci": "PFS HR (95% CI)",
            "os_hr_ci": "OS HR (95% CI)",
        },
    )


def show_trial_safety(rates) -> None:
    """The trial's safety rates by arm, beside the outcomes."""
    st.subheader(f"Safety by arm ({len(rates)} rows)")
    if rates.empty:
        st.caption("No arm-level safety rates recorded for this trial.")
        return
    st.caption(
        "Harm beside the benefit above, arm by arm as the source prints it; all-cause and treatment-related "
        "rates are different measures and are never merged."
    )
    ui.show_frame(
        rates.drop(columns=["acronym"]),
        hide_index=True,
        column_config={
            **LINKS,
            "measure_words": "measure",
            "n_safety": st.column_config.NumberColumn("n (safety)"),
            "notes": st.column_config.TextColumn("notes", width="large"),
        },
    )


trials_page()

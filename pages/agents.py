"""Agents: filterable table (aliases find the agent) and a detail view per agent."""

import streamlit as st

from landscape import display, filters, safety, text, ui, vocab
from landscape.model import flatten_ids, rows_with_id

# What a reader scans first, on screen at 1440 px without scrolling: name, phase, line, status, sponsor.
LEAD_COLUMNS = [
    ("name", "name", 170),
    ("highest_status", "highest phase", 115),
    ("lines", "lines (of its trials)", 175),
    ("programme_status", "programme in G/GEJ", 140),
    ("developer", "sponsor (developer)", 330),
]
TABLE_COLUMNS = [
    *(column for column, *_ in LEAD_COLUMNS),
    "approved_by",
    "programme_note",
    "aliases",
    "modality",
    "target",
    "scope",
    "n_trials",
]


def agents_page() -> None:
    landscape = ui.get_landscape()
    ui.page_intro("Agents", landscape, "HER2-directed agents, their partners and the chemotherapy backbones.")
    state = ui.filter_sidebar(landscape, "agents")
    her2_only = st.toggle("HER2-directed agents only", value=True, key="her2only", bind="query-params")
    base = landscape.agents[landscape.agents["scope"] == vocab.HER2_SCOPE] if her2_only else landscape.agents
    shown = filters.apply_filters(base, state)
    if ui.show_filter_result(state, "HER2-directed agents" if her2_only else "agents", shown, base):
        ui.show_table(
            shown[TABLE_COLUMNS + ["status_note", "source_ids"]],
            "agents",
            column_config={
                **ui.lead_columns(LEAD_COLUMNS),
                "n_trials": st.column_config.NumberColumn("trials"),
                "programme_note": st.column_config.TextColumn("why (programme)", width="large"),
                "approved_by": "approved by (gastric)",
                "status_note": st.column_config.TextColumn("status note", width="large"),
            },
            key="agents_table",
        )

    agent_id = ui.record_selector(
        landscape,
        "Agent detail",
        landscape.agents,
        "agent_id",
        "name",
        "agent",
        "Choose an agent to see its trials, approvals and evidence",
    )
    if agent_id:
        show_agent_detail(landscape, agent_id)
    ui.show_sources(landscape, ("agents", her2_only, state.key), lambda: flatten_ids(shown["source_ids"]))


def show_agent_detail(landscape, agent_id: str) -> None:
    agent = landscape.agents.set_index("agent_id").loc[agent_id]
    st.header(text.md_escape(agent["name"]))
    st.markdown(
        " · ".join(
            text.md_escape(v) for v in [agent["modality"], agent["target"], agent["developer"]] if isinstance(v, str)
        )
    )
    if isinstance(agent["aliases"], str):
        st.caption("Also known as: " + text.md_escape(agent["aliases"]))
    status = agent["highest_status"] if isinstance(agent["highest_status"], str) else "not applicable (backbone)"
    programme = agent["programme_status"] if isinstance(agent["programme_status"], str) else "not recorded"
    st.markdown(
        f"**Programme in HER2+ gastric/GEJ cancer:** {text.md_escape(programme)} · "
        f"**highest phase reached:** {text.md_escape(status)}"
    )
    if isinstance(agent["programme_note"], str):
        st.caption(text.md_escape(agent["programme_note"]))
    if isinstance(agent["status_note"], str):
        st.caption(text.md_escape(agent["status_note"]))

    trials = rows_with_id(landscape.trials, "agent_ids", agent_id)
    st.subheader(f"Trials ({len(trials)})")
    ui.show_frame(
        trials[["acronym", "nct_id", "phase", "line_of_therapy", "design", "status", "registry_url"]],
        hide_index=True,
        column_config={"registry_url": st.column_config.LinkColumn("registry", display_text="open")},
    )

    approvals = rows_with_id(landscape.approvals, "agent_id", agent_id)
    st.subheader(f"Approvals ({len(approvals)})")
    if approvals.empty:
        st.caption("No regulatory approval recorded.")
    else:
        ui.show_frame(
            approvals[
                [
                    "agency",
                    "approval_date",
                    "approval_type",
                    "line_of_therapy",
                    "biomarker",
                    "tumour_type",
                    "indication",
                    "source_url",
                ]
            ],
            hide_index=True,
            column_config={"source_url": st.column_config.LinkColumn("source", display_text="open")},
        )

    show_label_warnings(landscape, agent_id)
    show_best_evidence(landscape, agent_id)
    show_trial_safety(landscape, trials)


SOURCE_LINK = {"source_url": st.column_config.LinkColumn("source", display_text="open")}


def show_label_warnings(landscape, agent_id: str) -> None:
    """The label's boxed warnings, warnings and monitoring, agency by agency, each with its source."""
    labels = safety.label_table(landscape.safety, agent_id)
    st.subheader("Label warnings by agency")
    if labels.empty:
        st.caption("No label warnings recorded for this agent.")
        return
    held = ", ".join(labels["agency"].drop_duplicates())
    st.caption(text.md_escape(f"Labels held: {held}. Boxed warnings first within each label."))
    ui.show_frame(
        labels, hide_index=True, column_config={**SOURCE_LINK, "topic": st.column_config.TextColumn(width="large")}
    )


def show_trial_safety(landscape, trials) -> None:
    """The arm-level safety rows of the trials that test the agent, every arm (the control beside)."""
    rates = safety.rate_table(landscape.safety, trials["trial_id"], safety.arm_roles(landscape.outcomes))
    st.subheader("Safety in this agent's trials")
    if rates.empty:
        st.caption("No arm-level safety rates recorded for this agent's trials.")
        return
    st.caption(
        "Every arm of each trial, as the source prints it; all-cause and treatment-related rates are different "
        "measures and are never merged. Cross-trial rows: populations and definitions differ."
    )
    ui.show_frame(rates, hide_index=True, column_config=RATE_COLUMNS)


RATE_COLUMNS = {
    **SOURCE_LINK,
    "measure_words": "measure",
    "n_safety": st.column_config.NumberColumn("n (safety)"),
    "notes": st.column_config.TextColumn("notes", width="large"),
}


def show_best_evidence(landscape, agent_id: str) -> None:
    evidence = rows_with_id(landscape.outcomes, "agent_ids", agent_id)
    st.subheader("Best evidence")
    if evidence.empty:
        st.caption("No efficacy results recorded for arms containing this agent.")
        return
    table = display.best_evidence(evidence)
    ui.show_frame(
        table[
            [
                "acronym",
                "line_of_therapy",
                "regimen",
                "population",
                "analysis",
                "n",
                "orr_pct",
                "median_os",
                "os_hr_ci",
                "source_url",
            ]
        ],
        hide_index=True,
        column_config={
            "orr_pct": st.column_config.NumberColumn("ORR %", format="%.1f"),
            "median_os": "median OS (months)",
            "os_hr_ci": "OS HR (95% CI)",
            "source_url": st.column_config.LinkColumn("source", display_text="open"),
        },
    )
    st.caption(
        "Cross-trial rows: lines, populations and assessments differ; compare with care. "
        "Full detail on the Efficacy page."
    )


agents_page()

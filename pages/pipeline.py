"""Pipeline: HER2-directed programmes by modality or mechanism, highest phase reached and line, coloured by
programme status; a cell's programmes and trials; sponsors; where the trials enrol."""

import pandas as pd
import streamlit as st

from landscape import filters, pipeline, pipeline_charts, text, ui, vocab
from landscape.model import flatten_ids


def pipeline_page() -> None:
    landscape = ui.get_landscape()
    ui.page_intro(
        "Pipeline",
        landscape,
        "Every HER2-directed programme by modality or mechanism, highest phase reached and line of therapy.",
    )
    state = ui.filter_sidebar(landscape, "pipeline")
    grouping = choose_grouping()
    agents, trials, approvals, lines = pipeline.filtered_inputs(
        landscape.agents, landscape.trials, landscape.approvals, state
    )
    programmes = ui.memo(
        landscape,
        "pipeline_programmes",
        (state.key, grouping),
        lambda: pipeline.programme_lines(agents, trials, approvals, grouping, lines),
    )
    matrix = ui.memo(landscape, "pipeline_matrix", (state.key, grouping), lambda: pipeline.pipeline_matrix(programmes))
    st.caption(text.md_escape(counts_caption(landscape, state, programmes, matrix, trials)))
    ui.memo_chart(
        landscape,
        f"pipeline_{grouping}",
        state.key,
        lambda: pipeline_charts.pipeline_chart(programmes, matrix, pipeline.GROUPINGS[grouping]),
    )
    st.caption(
        "Highest phase reached per programme and line: Approved when the agent has a current gastric/GEJ "
        "approval in that line (not another tumour, not superseded), else the highest phase of its trials in "
        "that line. A 2L+ trial counts in 2L and in 3L+. A trial of two programmes counts in both cells. "
        "Programme status is the programme's in G/GEJ cancer as a whole; blank in the data shows as "
        '"not recorded", never as active. Hover a dot for the agent.'
    )
    if matrix.empty:
        # Counted as what the tips count: the trials of HER2-directed programmes, with a filter loosened.
        her2_trials = landscape.trials[landscape.trials["scope"] == vocab.HER2_SCOPE]
        ui.show_empty_state(state, her2_trials, "trials of HER2-directed programmes")
        return
    ui.csv_download(matrix.drop(columns=["cell"]), f"pipeline_{grouping}", "Download the matrix (CSV)", "csv_matrix")

    show_cell(programmes, matrix, trials, grouping)
    show_sponsors_and_regions(programmes, trials, lines)
    ui.show_sources(
        landscape,
        ("pipeline", state.key, grouping),
        lambda: flatten_ids(pipeline.pipeline_trials(programmes, trials)["source_ids"]),
    )


def counts_caption(landscape, state: filters.FilterState, programmes, matrix, trials) -> str:
    """What the chart counts under the filters: programmes, cells, their trials, and the filters in words."""
    return (
        f"{programmes['agent_id'].nunique()} HER2-directed programmes in {len(matrix)} cells, from "
        f"{len(pipeline.pipeline_trials(programmes, trials))} of their trials (a programme with no trial "
        "or approval recorded is not shown). "
        # Every filter applies to the agents, the trials or the approvals the pipeline reads: none is
        # "not applicable" here (approved by chooses agents, not trials).
        + filters.describe_filters(state, "trials", len(trials), len(landscape.trials))
        + (
            " Sponsor chooses programmes by their developers; their trials count whoever leads them."
            if state.selected("sponsor")
            else ""
        )
    )


def choose_grouping() -> str:
    """The rows of the chart, kept in the address as ?group= (modality by default)."""
    return (
        st.segmented_control(
            "Rows (mechanism = modality and target)",
            list(pipeline.GROUPINGS),
            default="modality",
            key="group",
            bind="query-params",
        )
        or "modality"
    )


def show_cell(programmes: pd.DataFrame, matrix: pd.DataFrame, trials: pd.DataFrame, grouping: str) -> None:
    """A cell chosen by its label (kept in the address as ?cell=), with its programmes and their trials."""
    st.subheader("Programmes in a cell")
    labels = {
        row.cell: f"{row.line} · {row.group} · {row.highest_phase} ({row.programmes} agents, {row.trials} trials)"
        for row in matrix.itertuples(index=False)
    }
    current = st.query_params.get("cell")
    if current and current not in labels:
        st.warning(
            text.md_escape(f'Ignored "{current[:80]}" for cell: no such cell under these filters.'),
            icon=":material/warning:",
        )
    # The labels are the options (no format_func), so a reader's choice and a link's stay the same value.
    by_label = {label: cell_id for cell_id, label in labels.items()}
    choice = st.selectbox(
        "Cell (line · group · highest phase)",
        list(by_label),
        index=list(labels).index(current) if current in labels else None,
        placeholder="Choose a cell to list its programmes and trials",
        # One choice per grouping: switching modality and mechanism offers other cells.
        key=f"cell_choice_{grouping}",
    )
    cell = by_label.get(choice) if choice else None
    if not cell:
        if "cell" in st.query_params:
            del st.query_params["cell"]
        return
    st.query_params["cell"] = cell
    chosen = pipeline.cell_programmes(programmes, cell)
    ui.show_table(
        chosen[["name", "sponsor", "highest_phase", "programme_status", "trial_acronyms", "programme_note"]],
        "pipeline_cell_programmes",
        column_config={
            "highest_phase": "highest phase in this line",
            "programme_status": "programme status",
            "programme_note": st.column_config.TextColumn("why", width="large"),
            "trial_acronyms": "trials in this line",
        },
        key="cell_programmes",
    )
    ui.show_table(
        pipeline.cell_trials(programmes, trials, cell)[
            ["acronym", "programmes", "phase", "line_of_therapy", "status", "status_group", "nct_id", "sponsor"]
        ],
        "pipeline_cell_trials",
        column_config={"status_group": "enrolment status", "status": "registry status"},
        key="cell_trials",
    )


def show_sponsors_and_regions(programmes: pd.DataFrame, trials: pd.DataFrame, lines) -> None:
    """The sponsors of these programmes and where their trials enrol."""
    st.subheader("Sponsors")
    st.caption(
        "Each company of a co-development counts; highest phase reached in any line; active = programme status active."
    )
    ui.show_table(
        pipeline.sponsor_table(programmes),
        "pipeline_sponsors",
        column_config={
            "highest_phase": "highest phase reached",
            "active_programmes": "active programmes",
            "agents": st.column_config.TextColumn("agents", width="medium"),
        },
        key="sponsors",
    )
    st.subheader("Where the trials enrol")
    st.caption("Trials of these programmes, by their recorded countries; a 2L+ trial counts in 2L and 3L+.")
    ui.show_table(
        pipeline.region_split(pipeline.pipeline_trials(programmes, trials), lines),
        "pipeline_regions",
        key="regions",
    )


pipeline_page()

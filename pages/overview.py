"""Overview: headline counts, the line-of-therapy board, latest approvals and readouts."""

import streamlit as st

from landscape import filters, summaries, text, ui

BOARD_MAX = 15  # trials listed per line before "…and N more"


def overview_page() -> None:
    landscape = ui.get_landscape()
    ui.page_intro("HER2-positive advanced gastric and GEJ cancer: treatment landscape", landscape, "Approved and investigational HER2-directed therapy at a glance.")
    state = ui.filter_sidebar(landscape, "overview")
    trials = filters.apply_filters(landscape.trials, state)
    approvals = filters.apply_filters(landscape.approvals, state)

    counts = ui.memo(landscape, "headline_counts", None, lambda: summaries.headline_counts(landscape))
    for col, (label, value) in zip(st.columns(len(counts)), counts.items()):
        col.metric(label, value)

    st.subheader("Line-of-therapy board")
    ui.show_filter_summary(state, "trials", trials, landscape.trials)
    st.caption(
        "Approved: each agency's current gastric/GEJ indication (a later label change supersedes an earlier one). Investigational: trials not completed, terminated or withdrawn, latest phase first. A 2L+ entry appears under 2L and 3L+."
    )
    board = ui.memo(landscape, "line_board", state.key, lambda: summaries.line_board(landscape, trials, approvals))
    for col, column in zip(st.columns(len(summaries.BOARD_LINES)), board):
        with col.container(border=True):
            st.markdown(f"#### {column.line}\n**Approved**")
            if column.approved.empty:
                st.caption("No approval in this line for the current filters.")
            else:
                st.markdown("\n".join(f"- **{text.md_escape(r.regimen_short)}** ({text.md_escape(r.biomarker_label)}): {text.md_escape(r.agencies)}" for r in column.approved.itertuples(index=False)))
            st.markdown("**Investigational**")
            if column.investigational.empty:
                st.caption("No open or ongoing trial in this line for the current filters.")
            shown = column.investigational.head(BOARD_MAX)
            st.markdown(
                "\n".join(
                    f"- {text.md_escape(r.phase)} · **{text.md_escape(r.acronym)}**: {text.md_escape(r.key_agents)}"
                    + (f" · {text.md_escape(r.status)}" if isinstance(r.status, str) else " · _status not recorded_")
                    for r in shown.itertuples(index=False)
                )
            )
            if len(column.investigational) > BOARD_MAX:
                st.caption(f"…and {len(column.investigational) - BOARD_MAX} more: filter by line on the Trials page.")

    left, right = st.columns(2)
    with left:
        st.subheader("Latest approvals and label changes")
        latest = ui.memo(landscape, "latest_approvals", None, lambda: summaries.latest_approvals(landscape))
        ui.show_frame(latest.drop(columns=["source_id"]), column_config={"source_url": st.column_config.LinkColumn("source", display_text="open"), "agent_names": "agents"})
    with right:
        st.subheader("Latest readouts")
        readouts = ui.memo(landscape, "latest_readouts", None, lambda: summaries.latest_readouts(landscape))
        ui.show_frame(
            readouts.drop(columns=["trial_id", "source_id"]), hide_index=True, column_config={"source_url": st.column_config.LinkColumn("source", display_text="open"), "source_citation": "citation"}
        )

    st.subheader("Scope")
    st.markdown(
        "HER2-positive (IHC 3+, or IHC 2+ with ISH+) unresectable or metastatic gastric and gastro-oesophageal "
        "junction adenocarcinoma; trials that enrol HER2-overexpressing or HER2-low disease are marked with their own "
        "criterion. Approvals are by FDA, EMA/European Commission, PMDA and NMPA; approvals in other tumour types are "
        "shown only as context and are marked."
    )
    st.warning(ui.NOT_ADVICE, icon=":material/medical_information:")
    ui.show_sources(landscape, ("overview",), lambda: list(latest["source_id"]) + list(readouts["source_id"]))


overview_page()

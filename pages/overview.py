"""Overview: headline counts, the line-of-therapy board, latest approvals and readouts."""

import streamlit as st

from landscape import filters, summaries, ui


def overview_page() -> None:
    landscape = ui.get_landscape()
    ui.page_intro("HER2-positive advanced gastric and GEJ cancer: treatment landscape", landscape, "Approved and investigational HER2-directed therapy at a glance.")
    state = ui.filter_sidebar(landscape)
    trials = filters.apply_filters(landscape.trials, state)
    approvals = filters.apply_filters(landscape.approvals, state)

    counts = summaries.headline_counts(landscape)
    for col, (label, value) in zip(st.columns(len(counts)), counts.items()):
        col.metric(label, value)

    st.subheader("Line-of-therapy board")
    ui.show_filter_summary(state, "trials", trials, landscape.trials)
    st.caption(
        "Approved: each agency's current gastric/GEJ indication (a later label change supersedes an earlier one). Investigational: trials not completed, terminated or withdrawn, latest phase first. A 2L+ entry appears under 2L and 3L+."
    )
    for col, column in zip(st.columns(len(summaries.BOARD_LINES)), summaries.line_board(landscape, trials, approvals)):
        with col.container(border=True):
            st.markdown(f"#### {column.line}")
            st.markdown("**Approved**")
            if column.approved.empty:
                st.caption("No approval in this line for the current filters.")
            for row in column.approved.itertuples(index=False):
                st.markdown(f"- **{ui.md_escape(row.regimen_short)}** ({ui.md_escape(row.biomarker_label)}): {ui.md_escape(row.agencies)}")
            st.markdown("**Investigational**")
            if column.investigational.empty:
                st.caption("No open or ongoing trial in this line for the current filters.")
            for row in column.investigational.itertuples(index=False):
                status = f" · {ui.md_escape(row.status)}" if isinstance(row.status, str) else ""
                st.markdown(f"- {ui.md_escape(row.phase)} · **{ui.md_escape(row.acronym)}**: {ui.md_escape(row.key_agents)}{status}")

    left, right = st.columns(2)
    with left:
        st.subheader("Latest approvals and label changes")
        latest = summaries.latest_approvals(landscape)
        st.dataframe(latest, hide_index=True, column_config={"source_url": st.column_config.LinkColumn("source", display_text="open"), "agent_names": "agents"})
    with right:
        st.subheader("Latest readouts")
        readouts = summaries.latest_readouts(landscape)
        st.dataframe(
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
    ui.show_sources(landscape, list(latest["source_url"].index.map(lambda i: landscape.approvals.loc[i, "source_id"])) + list(readouts["source_id"]))


overview_page()

"""Overview: headline counts, the line-of-therapy board, latest approvals and readouts."""

import pandas as pd
import streamlit as st

from landscape import filters, summaries, text, ui

# Regimens and trials listed per line before "…and N more" (the curated data has a handful per line; a long list
# would cost every reader's browser, as a 100x copy showed: ~500 approved items per line).
BOARD_MAX = 15


def overview_page() -> None:
    landscape = ui.get_landscape()
    ui.page_intro(
        "HER2-positive advanced gastric and GEJ cancer: treatment landscape",
        landscape,
        "Approved and investigational HER2-directed therapy at a glance.",
    )
    state = ui.filter_sidebar(landscape, "overview")
    trials = filters.apply_filters(landscape.trials, state)
    approvals = filters.apply_filters(landscape.approvals, state)

    counts = ui.memo(landscape, "headlines", state.key, lambda: summaries.headlines(landscape, state))
    for col, headline in zip(st.columns(len(counts)), counts, strict=True):
        col.metric(headline.label, f"{headline.value:,}", help=headline.meaning)
    st.caption(text.md_escape(headline_caption(state, counts)))

    show_line_board(landscape, state, trials, approvals)
    left, right = st.columns(2)
    with left:
        latest = show_latest_approvals(landscape, state, approvals)
    with right:
        readouts = show_latest_readouts(landscape, state)

    st.subheader("Scope")
    st.markdown(
        "HER2-positive (IHC 3+, or IHC 2+ with ISH+) unresectable or metastatic gastric and gastro-oesophageal "
        "junction adenocarcinoma; trials that enrol HER2-overexpressing or HER2-low disease are marked with their own "
        "criterion. Approvals are by FDA, EMA/European Commission, PMDA and NMPA; approvals in other tumour types are "
        "shown only as context and are marked."
    )
    st.warning(ui.NOT_ADVICE, icon=":material/medical_information:")
    ui.show_sources(landscape, ("overview",), lambda: list(latest["source_id"]) + list(readouts["source_id"]))


def show_line_board(landscape, state: filters.FilterState, trials: pd.DataFrame, approvals: pd.DataFrame) -> None:
    """The line-of-therapy board: per line, the current approvals, the verified investigational trials and,
    folded, the trials whose status is not verified."""
    st.subheader("Line-of-therapy board")
    ui.show_filter_summary(state, "trials", trials, landscape.trials)
    st.caption(
        "Approved: each agency's current gastric/GEJ indication (a later label change supersedes an earlier one); "
        "standards that are not HER2-directed are marked. "
        "Investigational: HER2-directed trials that a source dated within 12 months of the as-of date gives as "
        "recruiting, not yet recruiting, enrolling or active; "
        "trials whose status is unknown, not recorded or older are listed apart. "
        "Each trial shows its experimental arm(s) ('|' between several) vs its control. "
        "A 2L+ entry appears under 2L and 3L+."
    )
    board = ui.memo(landscape, "line_board", state.key, lambda: summaries.line_board(landscape, trials, approvals))
    for col, column in zip(st.columns(len(board)), board, strict=True):
        with col.container(border=True):
            show_board_column(column)


def show_board_column(column: summaries.BoardColumn) -> None:
    st.markdown(f"#### {column.line}\n**Approved**")
    if column.approved.empty:
        st.caption("No approval in this line for the current filters.")
    else:
        st.markdown("\n".join(approved_line(r) for r in column.approved.head(BOARD_MAX).itertuples(index=False)))
    if len(column.approved) > BOARD_MAX:
        st.caption(
            f"…and {len(column.approved) - BOARD_MAX} more approved regimens: every approval is on the "
            "Timeline page (Approvals view)."
        )
    st.markdown("**Investigational (status verified)**")
    if column.investigational.empty:
        st.caption("No trial in this line that a recent dated source gives as open or active.")
    st.markdown("\n".join(trial_line(r) for r in column.investigational.head(BOARD_MAX).itertuples(index=False)))
    if len(column.investigational) > BOARD_MAX:
        st.caption(f"…and {len(column.investigational) - BOARD_MAX} more: filter by line on the Trials page.")
    if not column.unverified.empty:
        with st.expander(f"Status unknown, not recorded or not verified ({len(column.unverified)})"):
            st.caption("Not shown as open: check each registry record before telling a patient about it.")
            st.markdown("\n".join(trial_line(r) for r in column.unverified.head(BOARD_MAX).itertuples(index=False)))
            if len(column.unverified) > BOARD_MAX:
                st.caption(f"…and {len(column.unverified) - BOARD_MAX} more on the Trials page.")


def show_latest_approvals(landscape, state: filters.FilterState, approvals: pd.DataFrame) -> pd.DataFrame:
    st.subheader("Latest approvals and label changes")
    context = st.toggle("Include other tumour types (context)", key="context", bind="query-params")
    latest = ui.memo(
        landscape,
        "latest_approvals",
        (context, state.key),
        lambda: summaries.latest_approvals(landscape, include_other_tumours=context, approvals=approvals),
    )
    ui.show_frame(
        latest.drop(columns=["source_id"]),
        column_config={"source_url": st.column_config.LinkColumn("source", display_text="open")},
    )
    return latest


def show_latest_readouts(landscape, state: filters.FilterState) -> pd.DataFrame:
    st.subheader("Latest readouts")
    readouts = ui.memo(
        landscape,
        "latest_readouts",
        state.key,
        lambda: summaries.latest_readouts(landscape, outcomes=filters.apply_filters(landscape.outcomes, state)),
    )
    st.caption("First reported as precisely as the source dates it: a year alone means it gives no month.")
    ui.show_frame(
        readouts.drop(columns=["trial_id", "source_id", "source_citation"]),
        column_config={
            "source_url": st.column_config.LinkColumn("source", display_text="open"),
            "evidence_tier": "tier",
            "readout_date": "first reported",
        },
    )
    return readouts


def headline_caption(state: filters.FilterState, counts: list[summaries.Headline]) -> str:
    """Say what the counts count: the whole landscape, or the filters and the whole landscape's numbers."""
    phrases = filters.selection_phrases(state)
    if not phrases:
        return "Counts of the whole landscape (no filters). Hover a count for what it counts."
    whole = ", ".join(f"{h.total:,} {h.label}" for h in counts)
    return f"Counts follow the filters ({'; '.join(phrases)}). The whole landscape: {whole}."


def approved_line(r) -> str:
    """One bullet per regimen: its biomarker and agencies, or each wording of the indication with its agencies."""
    context = "" if r.her2_directed else " · _not HER2-directed_"
    regimen = f"- **{text.md_escape(r.regimen_short)}**"
    if len(r.indications) == 1:
        ((agencies, marker),) = r.indications
        return f"{regimen} ({text.md_escape(marker)}): {text.md_escape(agencies)}{context}"
    wordings = " · ".join(f"{text.md_escape(a)} ({text.md_escape(m)})" for a, m in r.indications)
    return f"{regimen}: {wordings}{context}"


def trial_line(r) -> str:
    if isinstance(r.status, str):
        status = text.md_escape(r.status) + (
            f" (as of {text.md_escape(r.status_as_of)})" if isinstance(r.status_as_of, str) else " (undated)"
        )
    else:
        status = "_status not recorded_"
    return f"- {text.md_escape(r.phase)} · **{text.md_escape(r.acronym)}**: {text.md_escape(r.arms_label)} · {status}"


overview_page()

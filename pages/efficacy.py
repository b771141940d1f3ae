"""Efficacy: response rates with exact CIs by line, median PFS and OS, hazard-ratio forests and
randomised pairs, with the cross-trial caution and comparability flags."""

import streamlit as st

from landscape import charts, filters, stats, ui

CAUTION = (
    "Cross-trial comparison: these results come from different trials, lines, populations, assessments and "
    "HER2 criteria. Read each trial's line, population and n beside its number; only arms within one "
    "randomised trial are directly comparable."
)
HR_COLUMNS = ["pfs_hr", "pfs_hr_ci_low", "pfs_hr_ci_high", "os_hr", "os_hr_ci_low", "os_hr_ci_high"]
TABLE_COLUMNS = [
    "acronym",
    "line_of_therapy",
    "arm_role",
    "regimen",
    "population",
    "analysis",
    "assessment",
    "her2_category",
    "n",
    "orr_pct",
    "orr_ci_low_pct",
    "orr_ci_high_pct",
    "responders_used",
    "responders_derived",
    "orr_confirmed",
    "median_pfs",
    "median_os",
    *HR_COLUMNS,
    "not_directly_comparable",
    "source_citation",
    "source_url",
]


def efficacy_page() -> None:
    landscape = ui.get_landscape()
    ui.page_intro("Efficacy", landscape, "Response rates, survival and hazard ratios as published, with their populations and sources.")
    state = ui.filter_sidebar(landscape, "efficacy")
    shown = filters.apply_filters(landscape.outcomes, state)
    if not ui.show_filter_result(state, "outcome rows", shown, landscape.outcomes):
        return
    if stats.is_cross_trial(shown):
        st.warning(CAUTION, icon=":material/warning:")

    table = ui.memo(landscape, "efficacy_table", state.key, lambda: stats.efficacy_table(shown), large=True)
    view = st.segmented_control("View", ["Response rates", "Survival", "Hazard ratios", "Randomised pairs", "Table"], default="Response rates", key="view", bind="query-params")
    if view == "Response rates":
        st.caption("Exact (Clopper-Pearson) 95% CIs from responders and n; where only a percentage was published, responders are derived from it and the hover says so.")
        with_orr = shown[shown["orr_pct"].notna()]
        ui.show_chart(ui.memo(landscape, "orr_forest", state.key, lambda: charts.orr_forest(shown, caption=ui.chart_caption(landscape, with_orr))), "orr_forest")
    elif view == "Survival":
        for endpoint in ("os", "pfs"):
            ui.show_chart(ui.memo(landscape, f"median_{endpoint}", state.key, lambda e=endpoint: charts.median_comparison(shown, e, caption=ui.chart_caption(landscape, shown))), f"median_{endpoint}")
    elif view == "Hazard ratios":
        hr_rows = ui.memo(landscape, "hr_rows", state.key, lambda: stats.with_control_regimen(shown), large=True)
        for endpoint in ("os", "pfs"):
            rows = hr_rows[hr_rows[f"{endpoint}_hr"].notna()]
            ui.show_chart(
                ui.memo(landscape, f"{endpoint}_hr_forest", state.key, lambda e=endpoint, r=rows: charts.hr_forest(hr_rows, e, caption=ui.chart_caption(landscape, r))), f"{endpoint}_hr_forest"
            )
    elif view == "Randomised pairs":
        pairs = stats.randomised_pairs(table)
        st.caption("Each experimental arm beside its control from the same trial, population, analysis and assessment.")
        if pairs.empty:
            st.info("No randomised comparison in the current selection.", icon=":material/search_off:")
        else:
            cols = [
                "acronym",
                "line_of_therapy",
                "population",
                "analysis",
                "regimen",
                "n",
                "orr_pct",
                "median_pfs",
                "median_os",
                "regimen_control",
                "n_control",
                "orr_pct_control",
                "median_pfs_control",
                "median_os_control",
                *HR_COLUMNS,
                "source_url",
            ]
            ui.show_table(
                pairs[cols],
                "randomised_pairs",
                column_config={"source_url": st.column_config.LinkColumn("source", display_text="open"), "regimen": "experimental", "regimen_control": "control"},
                key="pairs_table",
            )
    else:
        ui.show_table(
            table[TABLE_COLUMNS],
            "outcomes",
            column_config={
                "source_url": st.column_config.LinkColumn("source", display_text="open"),
                "not_directly_comparable": "not directly comparable (differs in)",
                "orr_ci_low_pct": st.column_config.NumberColumn("ORR CI low", format="%.1f"),
                "orr_ci_high_pct": st.column_config.NumberColumn("ORR CI high", format="%.1f"),
            },
            key="outcomes_table",
        )
    flagged = int((table["not_directly_comparable"] != "").sum())
    if flagged:
        st.caption(f"{flagged} of {len(table)} rows differ from the most common line, population, assessment or HER2 criterion of this selection; the Table view names how.")
    ui.show_sources(landscape, ("efficacy", state.key), lambda: shown["source_id"])


efficacy_page()

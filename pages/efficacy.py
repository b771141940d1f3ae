"""Efficacy: response rates with exact CIs (one chart per line), median PFS and OS, hazard-ratio
forests by comparator, randomised pairs and the anchor comparison; headline results and evidence tiers.
Comparisons show advanced disease unless perioperative results are asked for, rows in the order chosen."""

import pandas as pd
import streamlit as st

from landscape import charts, display, evidence, filters, harm_charts, safety, text, ui, vocab

CAUTION = (
    "Cross-trial comparison: these results come from different trials, lines, populations, assessments and "
    "HER2 criteria. Read each trial's line, population, comparator and n beside its number; only arms within one "
    "randomised trial are directly comparable. Use the reference comparison view to see how two results differ."
)
BENEFIT_HARM = "Benefit and harm"
CHART_VIEWS = ("Response rates", "Survival", "Hazard ratios")
VIEWS = [
    "Response rates",
    "Survival",
    "Hazard ratios",
    "Randomised pairs",
    "Compare with a reference",
    BENEFIT_HARM,
    "Table",
]
# The benefit-harm view's choices as the page (and its link) shows them -> the measure each names.
EFFICACY_CHOICES = {"ORR": "orr_pct", "median PFS": "median_pfs_months", "median OS": "median_os_months"}
HARM_CHOICES = {"all-cause": "grade3plus_ae_pct", "treatment-related": "grade3plus_trae_pct"}
SHOW_CHOICES = ["Chart", "Table"]
ROW_CHOICES = ["Headline results", "All results"]
# How the rows of the charts (and tables) are ordered -> the order each names.
ORDER_CHOICES = {"Line, phase, n": charts.ORDER_CLINICAL, "Alphabetical": charts.ORDER_ALPHABETICAL}
TIER_CHOICES = [f"tier {t}" for t in evidence.TIERS]
LINK = {"source_url": st.column_config.LinkColumn("source", display_text="open")}
TABLE_COLUMNS = [
    "acronym",
    "regimen",
    "vs_label",
    "n",
    "orr_pct",
    "orr_ci",
    "median_pfs",
    "median_os",
    "pfs_hr_ci",
    "os_hr_ci",
    "evidence_tier",
    "tier_reason",
    "line_of_therapy",
    "population",
    "analysis",
    "assessment",
    "orr_confirmed",
    "her2_category",
    "source_citation",
    "source_url",
]


def efficacy_page() -> None:
    landscape = ui.get_landscape()
    ui.page_intro(
        "Efficacy",
        landscape,
        "Response rates, survival and hazard ratios as published, "
        "with their populations, comparators, evidence tiers and sources.",
    )
    state = ui.filter_sidebar(landscape, "efficacy")
    rows, order, tiers = row_controls()
    filtered = filters.apply_filters(landscape.outcomes, state)
    selected = ui.memo(
        landscape,
        "efficacy_rows",
        (state.key, rows, tuple(tiers)),
        lambda: evidence.select_rows(filtered, rows == ROW_CHOICES[0], tiers),
        large=True,
    )
    settings = filters.efficacy_settings(state)
    # The comparisons (charts, pairs, reference) show the chosen settings; the table lists every row, its line named.
    shown = charts.in_settings(selected, settings)
    if not ui.show_filter_result(state, "outcome rows", shown, landscape.outcomes):
        explain_empty(settings, selected, filtered, rows)
        return
    st.caption(text.md_escape(setting_note(settings, len(selected) - len(shown))))
    st.caption(ui.tier_legend(shown))
    if display.is_cross_trial(shown):
        st.warning(CAUTION, icon=":material/warning:")

    view = st.segmented_control("View", VIEWS, default=VIEWS[0], key="view", bind="query-params") or VIEWS[0]
    key = (state.key, rows, tuple(tiers), settings, order)
    if view == "Table":
        show_outcome_table(landscape, selected, (state.key, rows, tuple(tiers), order), order)
    else:
        show_view(landscape, view, shown, key, settings, order)
    harmed, listed = view == BENEFIT_HARM, selected if view == "Table" else shown
    ui.show_sources(
        landscape,
        ("efficacy", state.key, rows, tuple(tiers), settings if view != "Table" else (), harmed),
        lambda: [*listed["source_id"], *(harm_sources(landscape, listed) if harmed else [])],
    )


def explain_empty(settings: tuple, selected: pd.DataFrame, filtered: pd.DataFrame, rows: str) -> None:
    """Say why nothing is compared: the rows are in another setting, or only non-headline results match."""
    if len(selected):
        st.caption(text.md_escape(setting_note(settings, len(selected))))
    elif rows == ROW_CHOICES[0] and len(filtered):
        st.caption(
            f"{len(filtered)} result(s) match when every result is shown, not only headline results: "
            "choose All results."
        )


def show_view(landscape, view: str, shown: pd.DataFrame, key: tuple, settings: tuple, order: str) -> None:
    """Show one of the comparison views (charts, randomised pairs, a reference, benefit and harm)."""
    if view in CHART_VIEWS:
        show_charts(landscape, view, shown, key, settings, order)
    elif view == "Randomised pairs":
        show_pairs(charts.order_rows(shown, order))
    elif view == "Compare with a reference":
        show_anchor_comparison(landscape, shown, settings)
    elif view == BENEFIT_HARM:
        show_benefit_harm(landscape, shown, key, settings)


def show_outcome_table(landscape, selected: pd.DataFrame, key: tuple, order: str) -> None:
    """The table view: every selected row, whatever its setting, its line named."""
    table = ui.memo(
        landscape,
        "efficacy_table",
        key,
        lambda: display.with_display_columns(charts.order_rows(selected, order)),
        large=True,
    )
    ui.show_table(
        table[TABLE_COLUMNS],
        "outcomes",
        column_config={**LINK, "vs_label": "comparison", "tier_reason": "why this tier", "evidence_tier": "tier"},
        key="outcomes_table",
    )


def row_controls() -> tuple[str, str, list[str]]:
    """Show the page's row controls; return the rows (headline or all), their order and the tiers shown."""
    left, middle, right = st.columns([1, 1, 2])
    rows = (
        left.segmented_control("Rows", ROW_CHOICES, default=ROW_CHOICES[0], key="rows", bind="query-params")
        or ROW_CHOICES[0]
    )
    order_words = (
        middle.segmented_control(
            "Order rows by",
            list(ORDER_CHOICES),
            default="Line, phase, n",
            key="order",
            bind="query-params",
            help="Line, phase, n: by line of therapy, then phase (latest first), then number of patients (largest "
            "first), so the pivotal trials of each line lead. Alphabetical: by trial name.",
        )
        or "Line, phase, n"
    )
    tiers = right.multiselect(
        "Evidence tiers shown",
        TIER_CHOICES,
        default=TIER_CHOICES,
        key="tiers",
        bind="query-params",
        help="\n".join(evidence.TIERS.values()),
    )
    return rows, ORDER_CHOICES[order_words], tiers


def show_charts(landscape, view: str, shown, key, settings: tuple[str, ...], order: str) -> None:
    """The chart views: ORR forests (one per line), medians by arm, hazard-ratio forests, in the settings and
    the order chosen."""
    caption = ui.chart_caption(landscape, shown)

    def chart(name: str, build) -> None:
        ui.memo_chart(landscape, name, key, build)

    if view == "Response rates":
        st.caption(
            "One chart per line of therapy. Exact (Clopper-Pearson) 95% CIs from responders and n; "
            "where only a percentage was published, responders are derived from it and the hover says so."
        )
        with_orr = shown[shown["orr_pct"].notna()]
        if with_orr.empty:
            st.info("No response rates in this selection.", icon=":material/search_off:")
        orr_caption = ui.chart_caption(landscape, with_orr)
        for line in charts.line_groups(with_orr):
            chart(
                f"orr_forest_{line}",
                lambda li=line: charts.orr_forest(with_orr, li, caption=orr_caption, settings=settings, order=order),
            )
    elif view == "Survival":
        for endpoint in ("os", "pfs"):
            chart(
                f"median_{endpoint}",
                lambda e=endpoint: charts.median_comparison(shown, e, caption=caption, settings=settings, order=order),
            )
    else:
        for endpoint in ("os", "pfs"):
            chart(
                f"{endpoint}_hr_forest",
                lambda e=endpoint: charts.hr_forest(shown, e, caption=caption, settings=settings, order=order),
            )


def setting_note(settings: tuple[str, ...], hidden: int) -> str:
    """Say which disease settings the comparisons show, and how to see the other (with how many rows it holds)."""
    if settings == (vocab.ADVANCED,):
        more = f" ({hidden} result(s) in this selection)" if hidden else ""
        return (
            "Advanced (unresectable or metastatic) disease only. Perioperative results answer another question and "
            "are shown on their own when the perioperative setting or line is chosen in the filters"
            f"{more}; the Table view lists every result."
        )
    if settings == (vocab.PERIOPERATIVE,):
        return "Perioperative results only, as chosen in the filters."
    return "Advanced and perioperative results, each setting in its own panel (never compared on one)."


def harm_sources(landscape, shown) -> list[str]:
    """The sources of the grade >= 3 rates of the selected trials' arms (what the benefit-harm view shows)."""
    rates = landscape.safety[
        landscape.safety["trial_id"].isin(set(shown["trial_id"]))
        & landscape.safety["measure"].isin(list(HARM_CHOICES.values()))
    ]
    return list(rates["source_id"])


def show_benefit_harm(landscape, shown, key, settings) -> None:
    """Per arm, the efficacy measure chosen against the grade >= 3 adverse-event rate of the same arm, in one
    definition; a trial's arms joined; as a chart or a table with both sides' population, analysis and source."""
    efficacy_words, harm_words, show = benefit_harm_controls()
    efficacy, harm = EFFICACY_CHOICES[efficacy_words], HARM_CHOICES[harm_words]
    joined = ui.memo(
        landscape,
        "benefit_harm_rows",
        (key, efficacy, harm),
        lambda: safety.benefit_harm(shown, landscape.safety, efficacy, harm),
    )
    st.caption(
        text.md_escape(
            "Each arm's efficacy (its ITT row, else its headline row) against its own grade >= 3 adverse-event "
            f"rate, {harm_words} (where a source does not say whether all-cause or "
            "treatment-related, the hover says 'not stated'); arms of one trial are joined by a line. "
            + harm_charts.CROSS_TRIAL
        )
    )
    if joined.empty:
        st.info(
            text.md_escape(
                harm_charts.EMPTY.format(efficacy=harm_charts.axis_title(efficacy), harm=harm_charts.axis_title(harm))
                + " Try the other definition, another efficacy measure, All results or looser filters."
            ),
            icon=":material/search_off:",
        )
        return
    if show == "Chart":
        ui.memo_chart(
            landscape,
            f"benefit_harm_{efficacy}_{harm}",
            key,
            lambda: harm_charts.benefit_harm(joined, efficacy, harm, settings=settings),
        )
        return
    show_benefit_harm_table(landscape, joined, efficacy, harm)


def benefit_harm_controls() -> tuple[str, str, str]:
    """Show the Benefit and harm view's controls; return the efficacy measure's and the harm definition's words
    and whether a chart or a table is shown."""
    left, middle, right = st.columns(3)
    efficacy_words = (
        left.segmented_control(
            "Efficacy", list(EFFICACY_CHOICES), default="median OS", key="bh_efficacy", bind="query-params"
        )
        or "median OS"
    )
    harm_words = (
        middle.segmented_control(
            "Grade >= 3 adverse events",
            list(HARM_CHOICES),
            default="all-cause",
            key="bh_harm",
            bind="query-params",
            help="All-cause (any adverse event) and treatment-related (attributed to treatment by the "
            "investigator) are different measures: one axis shows one of them, never both.",
        )
        or "all-cause"
    )
    show = right.segmented_control("Show", SHOW_CHOICES, default="Chart", key="bh_show", bind="query-params") or "Chart"
    return efficacy_words, harm_words, show


def show_benefit_harm_table(landscape, joined: pd.DataFrame, efficacy: str, harm: str) -> None:
    """Benefit and harm side by side, then each side's population, analysis and source."""
    urls = dict(zip(landscape.sources["source_id"], landscape.sources["url"], strict=True))
    table = joined.assign(
        efficacy_source_url=joined["efficacy_source_id"].map(urls),
        harm_source_url=joined["harm_source_id"].map(urls),
    ).drop(columns=["trial_id", "arm_id", "efficacy_source_id", "harm_source_id"])
    # Benefit and harm side by side first, then each side's population, analysis and source.
    lead = ["acronym", "arm_role", "efficacy", "harm", "harm_attribution", "regimen"]
    table = table[lead + [c for c in table.columns if c not in lead]]
    ui.show_table(
        table,
        "benefit_harm",
        column_config={
            "efficacy": st.column_config.NumberColumn(harm_charts.axis_title(efficacy), format="%.1f"),
            "harm": st.column_config.NumberColumn(harm_charts.axis_title(harm), format="%.1f"),
            "harm_attribution": "attribution (as the source says)",
            "n_safety": st.column_config.NumberColumn("n (safety)"),
            "harm_notes": st.column_config.TextColumn("safety notes", width="large"),
            "efficacy_source_url": st.column_config.LinkColumn("efficacy source", display_text="open"),
            "harm_source_url": st.column_config.LinkColumn("safety source", display_text="open"),
        },
        key="benefit_harm_table",
    )


def show_pairs(shown) -> None:
    pairs = display.randomised_pairs(display.with_display_columns(shown))
    st.caption("Each experimental arm beside its control from the same trial, population and analysis.")
    if pairs.empty:
        st.info("No randomised comparison in the current selection.", icon=":material/search_off:")
        return
    cols = [
        "acronym",
        "regimen",
        "regimen_control",
        "n",
        "n_control",
        "orr_pct",
        "orr_pct_control",
        "median_pfs",
        "median_pfs_control",
        "median_os",
        "median_os_control",
        "pfs_hr_ci",
        "os_hr_ci",
    ]
    cols += ["evidence_tier", "line_of_therapy", "population", "analysis", "source_url"]
    ui.show_table(
        pairs[cols],
        "randomised_pairs",
        column_config={**LINK, "regimen": "experimental", "regimen_control": "control", "evidence_tier": "tier"},
        key="pairs_table",
    )


def show_anchor_comparison(landscape, shown, settings: tuple[str, ...]) -> None:
    st.caption(
        "Pick a reference result; every other result in the selection says, dimension by dimension, "
        "whether it shares the reference's line, comparator, "
        "population type, analysis stage, HER2 criterion, region and assessment. "
        "Fewer differences = a fairer comparison, never a direct one across trials."
    )
    anchor = ui.record_selector(
        landscape,
        "Reference result",
        landscape.outcomes,
        "outcome_id",
        "display_name",
        "anchor",
        "Choose the result to compare against",
    )
    if not anchor:
        return
    if anchor not in set(shown["outcome_id"]):
        line = landscape.outcomes.loc[landscape.outcomes["outcome_id"] == anchor, "line_of_therapy"]
        perioperative = vocab.PERIOPERATIVE in {vocab.setting_of(value) for value in line} - set(settings)
        st.info(
            "The reference result is not in the current selection: loosen the filters or choose All results"
            + (
                " (it is a perioperative result: choose the perioperative setting or line to compare with it)."
                if perioperative
                else "."
            ),
            icon=":material/search_off:",
        )
        return
    table = evidence.anchor_comparison(shown, anchor)
    ui.show_table(table.drop(columns=["outcome_id", "is anchor"]), "anchor_comparison", key="anchor_table")


efficacy_page()

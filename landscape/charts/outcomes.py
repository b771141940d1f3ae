"""Figures of results: ORR forests with exact CIs, hazard-ratio forests by comparator, and median PFS or OS
by arm. Every label names the comparison it belongs to ("vs <control>")."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from landscape.charts.common import (
    FONT_SIZE,
    GRID,
    IDENTITY_FIELDS,
    LINE_COLOURS,
    LINE_NAMES,
    MAX_ROWS,
    PALETTE,
    ROLE_COLOURS,
    ROLES,
    TWO_LINE_ROW_PX,
    arm_names,
    base_layout,
    category_axis,
    ci_error_bars,
    confirmation,
    count,
    empty_figure,
    hover,
    join_notes,
    line_groups,
    number,
    phase_short,
    short_vs,
    text,
    tier_opacity,
    tier_text,
    unique_labels,
)
from landscape.evidence import COMPARATOR_TITLES, cap_rows
from landscape.text import short_regimen

ENDPOINT_NAMES = {"os": "Overall survival", "pfs": "Progression-free survival"}


def outcome_label(row: pd.Series, width: int = 40) -> str:
    """Return the two-line y-axis label of an outcome row: trial, arm and n; then population, analysis
    and the comparison it belongs to ("vs <control>")."""
    arm = row["_arm"] if "_arm" in row.index else short_regimen(row["regimen"], width)
    first = f"<b>{text(row['acronym'], 26)}</b> ({phase_short(row)}) · {text(arm, width + 20)} (n={count(row['n'])})"
    confirmed = confirmation(row, "")
    second = (
        f"{text(row['population'], 28)} · {text(row['analysis'], 24)}{' · ' + confirmed if confirmed else ''} · "
        f"{text(short_vs(row.get('vs_label')), 36)}"
    )
    return f"{first}<br>{second}"


def _derived(row: pd.Series) -> str:
    return " (derived from % and n)" if bool(row.get("responders_derived")) is True else ""


ORR_FIELDS = {
    **IDENTITY_FIELDS,
    "responders": lambda r: text(r.get("responders_used")) + _derived(r),
    "ci_low": lambda r: number(r.get("orr_ci_low_pct")),
    "ci_high": lambda r: number(r.get("orr_ci_high_pct")),
    "assessment": lambda r: text(r["assessment"]),
    "confirmed": lambda r: confirmation(r, "confirmation not stated"),
    "line": lambda r: text(r["line_of_therapy"]),
    "source": lambda r: text(r["source_citation"], 90),
    "role": lambda r: text(r["arm_role"]),
    "vs": lambda r: text(r.get("vs_label")),
    "tier": tier_text,
}
ORR_HOVER = (
    "<b>{trial}</b> · {role} arm · {vs}<br>{regimen}<br>"
    "ORR %{x:.1f}% (95% CI {ci_low}–{ci_high}), {confirmed}, {assessment}<br>"
    "Responders {responders} of n = {n}<br>"
    "Line {line} · population {population} · {analysis}<br>"
    "Evidence {tier}<br>"
    "Source: {source}<extra></extra>"
)


def _sorted_rows(data: pd.DataFrame) -> pd.DataFrame:
    """Top to bottom: trial, then analysis and population, experimental arm above its control."""
    return data.sort_values(
        ["acronym", "analysis", "population", "arm_role"], ascending=[True, True, True, False], kind="stable"
    )


def orr_forest(
    outcomes: pd.DataFrame,
    line: str | None = None,
    title: str = "Objective response rate with exact 95% CI",
    caption: str = "",
    max_rows: int = MAX_ROWS,
) -> go.Figure:
    """Return a forest of ORRs (points, value labels) with Clopper-Pearson 95% CIs for one line of
    therapy (all rows when line is None), experimental and control arms coloured apart, lower evidence
    tiers drawn lighter. Rows beyond max_rows are left out best evidence first, and the title says so."""
    data = outcomes[outcomes["orr_pct"].notna()]
    if line is not None:
        data = data[data["line_of_therapy"] == line]
        title = f"Line {line}: {title[0].lower()}{title[1:]}"
    if data.empty:
        return empty_figure("No response rates for the current selection.")
    data, note = cap_rows(data, max_rows)
    data = _sorted_rows(data)
    data = data.assign(_arm=arm_names(data))
    data = data.assign(_label=unique_labels([outcome_label(r) for _, r in data.iterrows()]))
    fig = go.Figure()
    for role in ROLES:
        sub = data[data["arm_role"] == role]
        if not sub.empty:
            fig.add_trace(_orr_trace(sub, role))
    category_axis(fig, data["_label"], range=[-0.6, len(data) - 0.1], automargin=True, tickfont={"size": FONT_SIZE - 2})
    fig.update_xaxes(
        range=[0, 100],
        title_text="Objective response rate, % (95% CI)",
        showgrid=True,
        gridcolor=GRID,
        dtick=10,
        side="bottom",
    )
    return base_layout(fig, title, 240 + TWO_LINE_ROW_PX * len(data), join_notes(caption, note))


def _orr_trace(sub: pd.DataFrame, role: str) -> go.Scatter:
    orr = sub["orr_pct"].astype(float)
    customdata, template = hover(ORR_HOVER, ORR_FIELDS, (r for _, r in sub.iterrows()))
    return go.Scatter(
        x=orr,
        y=sub["_label"],
        mode="markers+text",
        name=f"{role} arm",
        marker={
            "color": ROLE_COLOURS[role],
            "size": 14,
            "symbol": "circle" if role == "experimental" else "square",
            "opacity": tier_opacity(sub),
        },
        text=[f"{v:.0f}%" for v in orr],
        textposition="top center",
        textfont={"size": FONT_SIZE - 3},
        error_x=ci_error_bars(orr, sub["orr_ci_low_pct"], sub["orr_ci_high_pct"]),
        customdata=customdata,
        hovertemplate=template,
    )


def _hr_interval(row: pd.Series, endpoint: str) -> str:
    """Return the hazard ratio's interval in words: its 95% CI, or which other interval was given (not drawn)."""
    low, high, level = row[f"{endpoint}_hr_ci_low"], row[f"{endpoint}_hr_ci_high"], row.get("hr_ci_level")
    if pd.isna(low) or pd.isna(high):
        return "no confidence interval reported"
    bounds = f"{number(low, '{:.2f}')}–{number(high, '{:.2f}')}"
    if level == 95:
        return f"95% CI {bounds}"
    return f"no 95% CI; {int(level) if not pd.isna(level) else '?'}% CI {bounds} (not drawn)"


def _hr_fields(endpoint: str) -> dict:
    return {
        **IDENTITY_FIELDS,
        "interval": lambda r: _hr_interval(r, endpoint),
        "vs": lambda r: text(r.get("vs_label")),
        "line": lambda r: text(r["line_of_therapy"]),
        "source": lambda r: text(r["source_citation"], 90),
        "assessment": lambda r: text(r["assessment"]),
        "tier": tier_text,
    }


HR_HOVER = (
    "<b>{trial}</b><br>{regimen}<br>{vs}<br>"
    "HR %{x:.2f} ({interval})<br>"
    "Line {line} · population {population} · {analysis} · {assessment}<br>"
    "n (experimental arm) = {n}<br>Evidence {tier}<br>Source: {source}<extra></extra>"
)


def _hr_label(r: pd.Series) -> str:
    return (
        f"<b>{text(r['acronym'], 26)}</b> ({phase_short(r)}) · {text(r['_arm'], 46)} (n={count(r['n'])})<br>"
        f"{text(short_vs(r.get('vs_label')), 40)} · {text(r['population'], 26)} · {text(r['analysis'], 22)}"
    )


def _comparator_classes(data: pd.DataFrame) -> list[str]:
    """Return the comparator classes present, in the evidence module's order, others after alphabetically."""
    present = set(data["comparator_class"])
    return [c for c in COMPARATOR_TITLES if c in present] + sorted(
        set(data["comparator_class"].dropna()) - set(COMPARATOR_TITLES)
    )


def hr_forest(outcomes: pd.DataFrame, endpoint: str = "os", caption: str = "", max_rows: int = MAX_ROWS) -> go.Figure:
    """Return a forest of hazard ratios (experimental vs control) on a log axis, one panel per
    comparator class with "vs <control>" in every label. A hazard ratio without a 95% CI is a hollow
    marker without a whisker (its hover says what interval, if any, was given)."""
    if endpoint not in ENDPOINT_NAMES:
        raise ValueError("endpoint must be 'os' or 'pfs'")
    data = outcomes[outcomes[f"{endpoint}_hr"].notna()]
    name = ENDPOINT_NAMES[endpoint]
    if data.empty:
        return empty_figure(f"No {name.lower()} hazard ratios for the current selection.")
    data, note = cap_rows(data, max_rows, keep_pairs=False)
    classes = _comparator_classes(data)
    counts = [int((data["comparator_class"] == c).sum()) for c in classes]
    fig = make_subplots(
        rows=len(classes),
        cols=1,
        shared_xaxes=True,
        row_heights=[c / sum(counts) for c in counts],
        vertical_spacing=min(0.12, 0.5 / max(len(classes), 1)) if len(classes) > 1 else 0.02,
        subplot_titles=[COMPARATOR_TITLES.get(c, f"vs {c}") for c in classes],
    )
    hollow_seen = False
    for panel, comparator in enumerate(classes, start=1):
        part = data[data["comparator_class"] == comparator]
        hollow_seen = _hr_panel(fig, part, endpoint, panel, hollow_seen) or hollow_seen
    fig.update_xaxes(
        type="log", tickvals=[0.1, 0.25, 0.5, 0.75, 1, 1.5, 2], showgrid=True, gridcolor=GRID, showticklabels=True
    )
    fig.update_xaxes(title_text=f"{name} HR, log scale (< 1 favours the experimental arm)", row=len(classes), col=1)
    notes = [n for n in (caption, note) if n]
    if hollow_seen:
        notes.append(
            "hollow markers: hazard ratio reported without a 95% CI (an 80% CI or none), drawn without a whisker"
        )
    colours = ", ".join(f"{line} {LINE_NAMES.get(line, line)}" for line in line_groups(data))
    notes.append(f"marker colour = line ({colours}); lighter = lower evidence tier")
    height = 280 + (TWO_LINE_ROW_PX + 6) * len(data) + 130 * len(classes)
    return base_layout(fig, f"{name}: hazard ratios by comparator", height, "; ".join(notes))


def _hr_panel(fig: go.Figure, part: pd.DataFrame, endpoint: str, panel: int, hollow_seen: bool) -> bool:
    """Draw one comparator's panel: HRs with a 95% CI filled with whiskers, the others hollow without.
    Return whether a hollow marker was drawn (its legend entry is shown once)."""
    part = part.sort_values(["line_of_therapy", "acronym", "analysis", "population"], kind="stable")
    part = part.assign(_arm=arm_names(part))
    part = part.assign(_label=unique_labels([_hr_label(r) for _, r in part.iterrows()]))
    with_95 = (
        (part["hr_ci_level"] == 95).fillna(False)
        & part[f"{endpoint}_hr_ci_low"].notna()
        & part[f"{endpoint}_hr_ci_high"].notna()
    ).astype(bool)
    drew_hollow = False
    for drawn, subset in ((True, part[with_95]), (False, part[~with_95])):
        if subset.empty:
            continue
        show_legend = (drawn and panel == 1) or (not drawn and not hollow_seen)
        fig.add_trace(_hr_trace(subset, endpoint, drawn, show_legend), row=panel, col=1)
        drew_hollow = drew_hollow or not drawn
        hollow_seen = hollow_seen or not drawn
    # Head-room above the top row, so its value label is not cut by the panel title.
    category_axis(
        fig,
        part["_label"],
        range=[-0.6, len(part) - 0.1],
        automargin=True,
        tickfont={"size": FONT_SIZE - 2},
        row=panel,
        col=1,
    )
    fig.add_vline(x=1, line_dash="dash", line_color="#999999", row=panel, col=1)
    return drew_hollow


def _hr_trace(subset: pd.DataFrame, endpoint: str, drawn: bool, show_legend: bool) -> go.Scatter:
    hr = subset[f"{endpoint}_hr"].astype(float)
    colours = [LINE_COLOURS.get(line, PALETTE[-1]) for line in subset["line_of_therapy"]]
    customdata, template = hover(HR_HOVER, _hr_fields(endpoint), (r for _, r in subset.iterrows()))
    return go.Scatter(
        x=hr,
        y=subset["_label"],
        mode="markers+text",
        name="HR with 95% CI" if drawn else "HR without a 95% CI (no whisker)",
        legendgroup="ci" if drawn else "noci",
        showlegend=show_legend,
        marker={
            "size": 14,
            "symbol": "diamond" if drawn else "diamond-open",
            "color": colours,
            "opacity": tier_opacity(subset),
            "line": {"width": 2, "color": colours},
        },
        text=[f"{v:.2f}" for v in hr],
        textposition="top center",
        textfont={"size": FONT_SIZE - 3},
        error_x=(
            ci_error_bars(hr, subset[f"{endpoint}_hr_ci_low"], subset[f"{endpoint}_hr_ci_high"])
            if drawn
            else {"visible": False}
        ),
        customdata=customdata,
        hovertemplate=template,
    )


MEDIAN_FIELDS = {
    "regimen": lambda r: text(r["regimen"]),
    "n": lambda r: count(r["n"]),
    "source": lambda r: text(r["source_citation"], 90),
    "median": lambda r: r["_shown"],
    "line": lambda r: text(r["line_of_therapy"]),
    "assessment": lambda r: text(r["assessment"]),
    "vs": lambda r: text(r.get("vs_label")),
    "tier": tier_text,
}
MEDIAN_HOVER = (
    "{regimen} · {vs}<br>"
    "Median {median} (months) · n = {n}<br>"
    "Line {line} · {assessment}<br>"
    "Evidence {tier}<br>"
    "Source: {source}<extra></extra>"
)


def _median_labels(data: pd.DataFrame) -> list[str]:
    arms = arm_names(data)
    return unique_labels(
        [
            f"<b>{text(r['acronym'], 26)}</b> · {text(r['line_of_therapy'])} · "
            f"{text(r['population'], 26)} · {text(r['analysis'], 22)}<br>"
            f"{text(arm, 50)} (n={count(r['n'])}) · {text(short_vs(r.get('vs_label')), 30)}"
            for arm, (_, r) in zip(arms, data.iterrows(), strict=True)
        ]
    )


def median_comparison(
    outcomes: pd.DataFrame, endpoint: str = "os", caption: str = "", max_rows: int = MAX_ROWS
) -> go.Figure:
    """Return one bar per arm of median PFS or OS, arms of one comparison adjacent; a median not
    reached is a hatched bar to the axis end labelled 'not reached', never a number."""
    value, status = f"median_{endpoint}_months", f"median_{endpoint}_status"
    data = outcomes[outcomes[status].isin(["reached", "not reached"])]
    name = ENDPOINT_NAMES.get(endpoint, ENDPOINT_NAMES["pfs"]).lower()
    if data.empty:
        return empty_figure(f"No median {name} for the current selection.")
    data, note = cap_rows(data, max_rows)
    rank = {g: i for i, g in enumerate(line_groups(data))}
    data = data.assign(_rank=data["line_of_therapy"].map(rank)).sort_values(
        ["_rank", "acronym", "analysis", "population", "arm_role"], ascending=[True, True, True, True, False]
    )
    data["_label"] = _median_labels(data)
    reached = data.loc[data[status] == "reached", value].astype(float)
    cap = float(reached.max()) * 1.1 if len(reached) else 12.0
    fig = go.Figure()
    for role in ROLES:
        for state in ("reached", "not reached"):
            sub = data[(data["arm_role"] == role) & (data[status] == state)]
            if not sub.empty:
                fig.add_trace(_median_trace(sub, value, role, state, cap))
    fig.update_layout(barmode="overlay", bargap=0.3)
    category_axis(fig, data["_label"], automargin=True, tickfont={"size": FONT_SIZE - 2})
    fig.update_xaxes(title_text=f"Median {name}, months", showgrid=True, gridcolor=GRID, range=[0, cap * 1.08])
    return base_layout(fig, f"Median {name} by arm", 240 + TWO_LINE_ROW_PX * len(data), join_notes(caption, note))


def _median_trace(sub: pd.DataFrame, value: str, role: str, state: str, cap: float) -> go.Bar:
    """Return one arm role's bars of medians reached (their value) or not reached (hatched, to `cap`)."""
    reached = state == "reached"
    x = sub[value].astype(float).tolist() if reached else [cap] * len(sub)
    shown = [f"{v:.1f}" for v in x] if reached else ["not reached"] * len(sub)
    customdata, template = hover(MEDIAN_HOVER, MEDIAN_FIELDS, (r for _, r in sub.assign(_shown=shown).iterrows()))
    return go.Bar(
        x=x,
        y=sub["_label"],
        orientation="h",
        name=f"{role} arm" + ("" if reached else " (median not reached)"),
        legendgroup=role,
        marker={
            "color": ROLE_COLOURS[role],
            "opacity": tier_opacity(sub),
            "pattern": {"shape": "" if reached else "/", "fgcolor": "#ffffff", "fillmode": "overlay", "solidity": 0.25},
        },
        textfont={"color": None if reached else "#ffffff", "size": FONT_SIZE - 1},
        text=shown,
        textposition="outside" if reached else "inside",
        insidetextanchor="middle",
        cliponaxis=False,
        customdata=customdata,
        hovertemplate=template,
    )

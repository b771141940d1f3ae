"""Figures of results: ORR forests with exact CIs, hazard-ratio forests by comparator, and median PFS or OS
by arm. Every label names the comparison it belongs to ("vs <control>", "control arm", "single arm") and wraps
instead of being cut; rows follow the chosen order; advanced and perioperative results are never drawn in one
panel; colour means one thing per figure, and the legend says which."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from landscape.charts.common import (
    FONT_SIZE,
    GRID,
    IDENTITY_FIELDS,
    KEY_COLOUR,
    LINE_PX,
    MAX_ROWS,
    ORDER_CLINICAL,
    ROLE_COLOURS,
    ROLES,
    SETTING_TITLES,
    TIER_COLOURS,
    TIER_OPACITY,
    arm_names,
    base_layout,
    by_setting,
    ci_error_bars,
    confirmation,
    count,
    empty_figure,
    hover,
    in_settings,
    join_notes,
    label_margin,
    legend_key,
    legend_on_top,
    number,
    order_rows,
    row_axis,
    row_label,
    row_positions,
    short_vs,
    text,
    tier_key,
    tier_opacity,
    tier_text,
    trial_sizes,
    unique_labels,
)
from landscape.evidence import COMPARATOR_TITLES, cap_rows
from landscape.text import short_regimen
from landscape.values import is_missing
from landscape.vocab import PERIOPERATIVE

ENDPOINT_NAMES = {"os": "Overall survival", "pfs": "Progression-free survival"}
ROLE_SYMBOLS = {"experimental": "circle", "control": "square"}
SETTING_SHORT = {"advanced": "Advanced", PERIOPERATIVE: "Perioperative"}
# What each figure's colour means (and its other encodings), the title of its legend.
ORR_LEGEND = "Colour = arm · opacity = evidence tier (lighter = lower)"
HR_LEGEND = "Colour = evidence tier (lighter = lower) · filled = HR with a 95% CI"
HOLLOW_LEGEND = ", hollow = without (no whisker)"
MEDIAN_LEGEND = ORR_LEGEND
HATCHED_LEGEND = " · hatched = median not reached"
PANEL_GAP_PX = 96  # between two panels: the upper panel's x tick labels and the lower panel's title
TOP_PX = 150  # the title and the legend (its title and up to three rows)
PANEL_TITLE_PX = 32
BOTTOM_PX, BOTTOM_CAPTION_PX = 90, 170


def _plain(value: object) -> str:
    return "—" if is_missing(value) else str(value)


def _phase(row: pd.Series) -> str:
    phase = row.get("phase")
    return str(phase).replace("Phase ", "ph ") if isinstance(phase, str) else "phase ?"


def _population(row: pd.Series) -> str:
    """The population in short: its subgroup, else its type (ITT, treated, ...); the hover has it in full."""
    subgroup = row.get("subgroup")
    if not is_missing(subgroup):
        return f"subgroup {subgroup}"
    kind = row.get("population_type")
    return _plain(row.get("population") if is_missing(kind) else kind)


def _analysis(row: pd.Series) -> str:
    stage = row.get("analysis_stage")
    return _plain(row.get("analysis")) if is_missing(stage) else f"{stage} analysis"


def _comparison(row: pd.Series) -> str:
    """The comparison a row belongs to: 'vs <control>' for an experimental arm, 'control arm' or 'single arm'."""
    vs = row.get("vs_label")
    if row.get("arm_role") == "control" and isinstance(vs, str) and vs.startswith("vs "):
        return "control arm"
    return short_vs(vs) or "comparison not recorded"


def _label_lines(row: pd.Series, with_line: bool, confirmed: bool = False) -> list[str]:
    """Return the two logical lines of a row's label after the trial's name: phase, line (when the chart
    mixes lines), arm and n; then population, analysis (ORR: confirmation) and the comparison."""
    arm = row["_arm"] if "_arm" in row.index else short_regimen(row["regimen"], 10_000)
    # A no-break space keeps "n=not reported" on one line.
    n = f"(n={count(row['n'])})".replace(" ", "\u00a0")
    first = [_phase(row), *([_plain(row["line_of_therapy"])] if with_line else []), f"{arm} {n}"]
    second = [_population(row), _analysis(row)]
    if confirmed and (words := confirmation(row, "")):
        second.append(words)
    return ["· " + " · ".join(first), " · ".join([*second, _comparison(row)])]


def outcome_label(row: pd.Series, with_line: bool = False) -> str:
    """Return a result row's y-axis label: the trial (bold), phase, line, the arm and n; then population,
    analysis and the comparison it belongs to. Wrapped, never cut."""
    return row_label(_plain(row["acronym"]), _label_lines(row, with_line))


def _labels(data: pd.DataFrame, with_line: bool, confirmed: bool = False) -> list[str]:
    """Return the rows' labels, a counter added where two rows would read alike."""
    raw = unique_labels(["\n".join(_label_lines(r, with_line, confirmed)) for _, r in data.iterrows()])
    return [row_label(_plain(a), r.split("\n")) for a, r in zip(data["acronym"], raw, strict=True)]


class Panel:
    """One panel of a figure: its title and its rows in order, labelled and placed on its y axis."""

    def __init__(self, title: str, rows: pd.DataFrame, labels: Sequence[str]) -> None:
        centres, self.length = row_positions(labels)
        self.title = title
        self.rows = rows.assign(_label=list(labels), _y=centres)


def _stack(panels: list[Panel], caption: bool, shared_x: bool = True) -> tuple[go.Figure, int]:
    """Return a figure with one panel per Panel, stacked, each as tall as its rows' labels, and its height."""
    lines = sum(p.length for p in panels)
    plot_px = lines * LINE_PX + PANEL_GAP_PX * (len(panels) - 1)
    fig = make_subplots(
        rows=len(panels),
        cols=1,
        shared_xaxes=shared_x,
        row_heights=[p.length / lines for p in panels],
        vertical_spacing=PANEL_GAP_PX / plot_px if len(panels) > 1 else 0,
        subplot_titles=[text(p.title) for p in panels] if any(p.title for p in panels) else None,
    )
    for i, panel in enumerate(panels, start=1):
        row_axis(fig, list(panel.rows["_label"]), list(panel.rows["_y"]), panel.length, row=i, col=1)
    fig.update_xaxes(showgrid=True, gridcolor=GRID, showticklabels=True)
    return fig, int(plot_px + _top(panels) + (BOTTOM_CAPTION_PX if caption else BOTTOM_PX))


def _top(panels: list[Panel]) -> int:
    return TOP_PX + (PANEL_TITLE_PX if any(p.title for p in panels) else 0)


def _finish(fig: go.Figure, title: str, height: int, caption: str, panels: list[Panel], meaning: str) -> go.Figure:
    """Lay the figure out: title, the legend that says what colour means, the left margin sized to the longest
    label line."""
    base_layout(fig, title, height, caption)
    legend_on_top(fig, height, meaning)
    fig.update_layout(
        margin={"l": label_margin(label for p in panels for label in p.rows["_label"]), "t": _top(panels)}
    )
    return fig


def _arm_keys(data: pd.DataFrame, bar: bool = False) -> list:
    """The legend entries of the colour (arm), drawn at full opacity: a data trace's entry would take the opacity
    of its first point (its tier) and read as another colour."""
    present = set(data["arm_role"])
    return [
        legend_key(
            f"{role} arm",
            role,
            {"color": ROLE_COLOURS[role], **({} if bar else {"size": 14, "symbol": ROLE_SYMBOLS[role]})},
            go.Bar if bar else go.Scatter,
        )
        for role in ROLES
        if role in present
    ]


def _setting_panels(
    data: pd.DataFrame, order: str, sizes: pd.Series, with_line: bool, confirmed: bool = False
) -> list[Panel]:
    """One panel per setting present (titled only when there are two), rows in the chosen order."""
    parts = by_setting(data)
    panels = []
    for setting, part in parts:
        rows = order_rows(part, order, sizes)
        rows = rows.assign(_arm=arm_names(rows))
        panels.append(
            Panel(SETTING_TITLES[setting] if len(parts) > 1 else "", rows, _labels(rows, with_line, confirmed))
        )
    return panels


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


def line_title(line: str) -> str:
    """Return how a chart of one line of therapy is titled: 'Line 2L', or 'Perioperative'."""
    return "Perioperative" if line == PERIOPERATIVE else f"Line {line}"


def orr_forest(
    outcomes: pd.DataFrame,
    line: str | None = None,
    title: str = "Objective response rate with exact 95% CI",
    caption: str = "",
    max_rows: int = MAX_ROWS,
    settings: Iterable[str] | None = None,
    order: str = ORDER_CLINICAL,
) -> go.Figure:
    """Return a forest of ORRs (points, value labels) with Clopper-Pearson 95% CIs for one line of therapy
    (all lines when None) of the chosen settings (advanced only when None; one panel per setting when both),
    colour = arm (experimental or control), opacity = evidence tier. Rows beyond max_rows are left out best
    evidence first, and the caption says so."""
    data = in_settings(outcomes[outcomes["orr_pct"].notna()], settings)
    if line is not None:
        data = data[data["line_of_therapy"] == line]
        title = f"{line_title(line)}: {title[0].lower()}{title[1:]}"
    if data.empty:
        return empty_figure("No response rates for the current selection.")
    data, note = cap_rows(data, max_rows)
    panels = _setting_panels(data, order, trial_sizes(outcomes), with_line=line is None, confirmed=True)
    fig, height = _stack(panels, bool(caption or note))
    for i, panel in enumerate(panels, start=1):
        for role in ROLES:
            sub = panel.rows[panel.rows["arm_role"] == role]
            if not sub.empty:
                fig.add_trace(_orr_trace(sub, role), row=i, col=1)
    for key in [*_arm_keys(data), *tier_key(data.get("evidence_tier", ()))]:
        fig.add_trace(key, row=1, col=1)
    fig.update_xaxes(range=[0, 100], dtick=10)
    fig.update_xaxes(title_text="Objective response rate, % (95% CI)", row=len(panels), col=1)
    return _finish(fig, title, height, join_notes(caption, note), panels, ORR_LEGEND)


def _orr_trace(sub: pd.DataFrame, role: str) -> go.Scatter:
    orr = sub["orr_pct"].astype(float)
    customdata, template = hover(ORR_HOVER, ORR_FIELDS, (r for _, r in sub.iterrows()))
    return go.Scatter(
        x=orr,
        y=sub["_y"],
        mode="markers+text",
        name=f"{role} arm",
        legendgroup=role,
        showlegend=False,
        marker={
            "color": ROLE_COLOURS[role],
            "size": 14,
            "symbol": ROLE_SYMBOLS[role],
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
WITH_95 = "HR with a 95% CI"
WITHOUT_95 = "HR without a 95% CI (no whisker)"


def _comparator_classes(data: pd.DataFrame) -> list[str]:
    """Return the comparator classes present, in the evidence module's order, others after alphabetically."""
    present = set(data["comparator_class"])
    return [c for c in COMPARATOR_TITLES if c in present] + sorted(
        set(data["comparator_class"].dropna()) - set(COMPARATOR_TITLES)
    )


def _hr_panels(data: pd.DataFrame, order: str, sizes: pd.Series) -> list[Panel]:
    """One panel per comparator class, per setting when both are present (the setting then names the panel)."""
    parts = by_setting(data)
    panels = []
    for setting, part in parts:
        for comparator in _comparator_classes(part):
            rows = order_rows(part[part["comparator_class"] == comparator], order, sizes)
            rows = rows.assign(_arm=arm_names(rows))
            title = COMPARATOR_TITLES.get(comparator, f"vs {comparator}")
            if len(parts) > 1:
                title = f"{SETTING_SHORT[setting]}: {title}"
            panels.append(Panel(title, rows, _labels(rows, with_line=True)))
    return panels


def hr_forest(
    outcomes: pd.DataFrame,
    endpoint: str = "os",
    caption: str = "",
    max_rows: int = MAX_ROWS,
    settings: Iterable[str] | None = None,
    order: str = ORDER_CLINICAL,
) -> go.Figure:
    """Return a forest of hazard ratios (experimental vs control) on a log axis, one panel per comparator class
    (and setting, when both are chosen; advanced only when settings is None), "vs <control>" in every label,
    colour = evidence tier. A hazard ratio without a 95% CI is a hollow marker without a whisker (its hover says
    what interval, if any, was given)."""
    if endpoint not in ENDPOINT_NAMES:
        raise ValueError("endpoint must be 'os' or 'pfs'")
    data = in_settings(outcomes[outcomes[f"{endpoint}_hr"].notna()], settings)
    name = ENDPOINT_NAMES[endpoint]
    if data.empty:
        return empty_figure(f"No {name.lower()} hazard ratios for the current selection.")
    data, note = cap_rows(data, max_rows, keep_pairs=False)
    panels = _hr_panels(data, order, trial_sizes(outcomes))
    fig, height = _stack(panels, True)
    hollow_seen = False
    for i, panel in enumerate(panels, start=1):
        hollow_seen = _hr_panel(fig, panel.rows, endpoint, i) or hollow_seen
        fig.add_vline(x=1, line_dash="dash", line_color="#999999", row=i, col=1)
    keys = tier_key(data.get("evidence_tier", ()), colour=TIER_COLOURS.get, symbol="diamond")
    keys.append(legend_key(WITH_95, "marker", {"symbol": "diamond", "size": 14, "color": KEY_COLOUR}))
    if hollow_seen:
        marker = {"symbol": "diamond-open", "size": 14, "color": KEY_COLOUR, "line": {"width": 2}}
        keys.append(legend_key(WITHOUT_95, "marker", marker))
    for key in keys:
        fig.add_trace(key, row=1, col=1)
    fig.update_xaxes(type="log", tickvals=[0.1, 0.25, 0.5, 0.75, 1, 1.5, 2])
    fig.update_xaxes(title_text=f"{name} HR, log scale (< 1 favours the experimental arm)", row=len(panels), col=1)
    notes = [caption, note]
    if hollow_seen:
        notes.append(
            "hollow markers: hazard ratio reported without a 95% CI (an 80% CI or none), drawn without a whisker"
        )
    meaning = HR_LEGEND + (HOLLOW_LEGEND if hollow_seen else "")
    return _finish(fig, f"{name}: hazard ratios by comparator", height, join_notes(*notes), panels, meaning)


def _hr_panel(fig: go.Figure, part: pd.DataFrame, endpoint: str, panel: int) -> bool:
    """Draw one panel: a trace per evidence tier and kind of interval (a 95% CI filled with whiskers, the others
    hollow without). Return whether a hollow marker was drawn."""
    with_95 = (
        (part["hr_ci_level"] == 95).fillna(False)
        & part[f"{endpoint}_hr_ci_low"].notna()
        & part[f"{endpoint}_hr_ci_high"].notna()
    ).astype(bool)
    tiers = part["evidence_tier"].astype("Float64").fillna(max(TIER_OPACITY)).astype(int)
    for (tier, drawn), subset in part.groupby([tiers, with_95], sort=True):
        fig.add_trace(_hr_trace(subset, endpoint, bool(drawn), int(tier)), row=panel, col=1)
    return bool((~with_95).any())


def _hr_trace(subset: pd.DataFrame, endpoint: str, drawn: bool, tier: int) -> go.Scatter:
    hr = subset[f"{endpoint}_hr"].astype(float)
    colour = TIER_COLOURS.get(tier, KEY_COLOUR)
    customdata, template = hover(HR_HOVER, _hr_fields(endpoint), (r for _, r in subset.iterrows()))
    return go.Scatter(
        x=hr,
        y=subset["_y"],
        mode="markers+text",
        name=f"tier {tier}, " + ("HR with 95% CI" if drawn else "HR without a 95% CI"),
        legendgroup="tier",
        showlegend=False,
        marker={
            "size": 14,
            "symbol": "diamond" if drawn else "diamond-open",
            "color": colour,
            "line": {"width": 2, "color": colour},
        },
        text=[f"{v:.2f}" for v in hr],
        textposition="top center",
        textfont={"size": FONT_SIZE - 3},
        error_x=(
            {**ci_error_bars(hr, subset[f"{endpoint}_hr_ci_low"], subset[f"{endpoint}_hr_ci_high"]), "color": colour}
            if drawn
            else {"visible": False}
        ),
        customdata=customdata,
        hovertemplate=template,
    )


MEDIAN_FIELDS = {
    "trial": lambda r: text(r["acronym"]),
    "role": lambda r: text(r["arm_role"]),
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
    "<b>{trial}</b> · {role} arm · {vs}<br>{regimen}<br>"
    "Median {median} (months) · n = {n}<br>"
    "Line {line} · {assessment}<br>"
    "Evidence {tier}<br>"
    "Source: {source}<extra></extra>"
)
NOT_REACHED = "median not reached"
BAR_LINES = 1.3  # a bar's thickness, in label lines


def median_comparison(
    outcomes: pd.DataFrame,
    endpoint: str = "os",
    caption: str = "",
    max_rows: int = MAX_ROWS,
    settings: Iterable[str] | None = None,
    order: str = ORDER_CLINICAL,
) -> go.Figure:
    """Return one bar per arm of median PFS or OS, a comparison's arms adjacent, colour = arm, opacity =
    evidence tier; one panel per setting when both are chosen (advanced only when settings is None). A median
    not reached is a hatched bar to the axis end labelled 'not reached', never a number."""
    value, status = f"median_{endpoint}_months", f"median_{endpoint}_status"
    data = in_settings(outcomes[outcomes[status].isin(["reached", "not reached"])], settings)
    name = ENDPOINT_NAMES.get(endpoint, ENDPOINT_NAMES["pfs"]).lower()
    if data.empty:
        return empty_figure(f"No median {name} for the current selection.")
    data, note = cap_rows(data, max_rows)
    panels = _setting_panels(data, order, trial_sizes(outcomes), with_line=True)
    # Each setting's panel has its own scale: survival after surgery and in advanced disease are not compared.
    fig, height = _stack(panels, bool(caption or note), shared_x=False)
    for i, panel in enumerate(panels, start=1):
        reached = panel.rows.loc[panel.rows[status] == "reached", value].astype(float)
        cap = float(reached.max()) * 1.1 if len(reached) else 12.0
        fig.update_xaxes(range=[0, cap * 1.08], row=i, col=1)
        for role in ROLES:
            for state in ("reached", "not reached"):
                sub = panel.rows[(panel.rows["arm_role"] == role) & (panel.rows[status] == state)]
                if not sub.empty:
                    fig.add_trace(_median_trace(sub, value, role, state, cap), row=i, col=1)
    keys = [*_arm_keys(data, bar=True), *tier_key(data.get("evidence_tier", ()), symbol="square")]
    hatched = bool((data[status] == "not reached").any())
    if hatched:
        keys.append(_hatched_key())
    for key in keys:
        fig.add_trace(key, row=1, col=1)
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title_text=f"Median {name}, months", row=len(panels), col=1)
    meaning = MEDIAN_LEGEND + (HATCHED_LEGEND if hatched else "")
    return _finish(fig, f"Median {name} by arm", height, join_notes(caption, note), panels, meaning)


def _hatched_key() -> go.Bar:
    """The legend entry of a median not reached: a hatched grey swatch (the colour stays the arm's)."""
    marker = {
        "color": KEY_COLOUR,
        "pattern": {"shape": "/", "fgcolor": "#ffffff", "fillmode": "overlay", "solidity": 0.25},
    }
    return legend_key(NOT_REACHED, "marker", marker, go.Bar)


def _median_trace(sub: pd.DataFrame, value: str, role: str, state: str, cap: float) -> go.Bar:
    """Return one arm role's bars of medians reached (their value) or not reached (hatched, to `cap`)."""
    reached = state == "reached"
    x = sub[value].astype(float).tolist() if reached else [cap] * len(sub)
    shown = [f"{v:.1f}" for v in x] if reached else ["not reached"] * len(sub)
    customdata, template = hover(MEDIAN_HOVER, MEDIAN_FIELDS, (r for _, r in sub.assign(_shown=shown).iterrows()))
    return go.Bar(
        x=x,
        y=sub["_y"],
        width=BAR_LINES,
        orientation="h",
        name=f"{role} arm",
        legendgroup=role,
        showlegend=False,
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

"""Figure builders: each returns a Plotly figure and never calls Streamlit. Hover text goes through
hovertemplate + customdata, with data strings escaped so they are shown, never interpreted."""

from __future__ import annotations

import html
import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from landscape import dates, schema
from landscape.evidence import COMPARATOR_TITLES, TIER_OPACITY, cap_rows
from landscape.text import short_regimen
from landscape.values import is_missing

# Okabe-Ito: distinguishable with the common colour-vision deficiencies, legible on light and dark.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
ROLE_COLOURS = {"experimental": "#0072B2", "control": "#E69F00"}
LINE_NAMES = {"1L": "blue", "2L": "green", "2L+": "light blue", "3L+": "pink", "perioperative": "orange"}
LINE_COLOURS = dict(
    zip(schema.enum("trials", "line_of_therapy"), ("#0072B2", "#009E73", "#56B4E9", "#CC79A7", "#E69F00"), strict=True)
)
# One marker symbol per agency of the schema, in its order (a new agency in the schema needs a symbol here).
AGENCY_SYMBOLS = dict(
    zip(
        schema.enum("approvals", "agency"),
        ("circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon"),
        strict=True,
    )
)
FONT_SIZE = 16
ROW_PX = 34
TWO_LINE_ROW_PX = 46
# More rows than this neither read on a projector nor render fast; the title then says how to see the rest.
MAX_ROWS = 60


def _text(value: object, width: int | None = None) -> str:
    """Return a data value as safe hover/label text."""
    if is_missing(value):
        text = "—"
    else:
        text = str(value)
    if width and len(text) > width:
        text = text[: width - 1] + "…"
    return html.escape(text, quote=False)


def _num(value: object, fmt: str = "{:.1f}") -> str:
    if is_missing(value):
        return "—"
    return fmt.format(float(value))


def base_layout(fig: go.Figure, title: str, height: int, caption: str = "") -> go.Figure:
    """Apply the shared projector-friendly layout."""
    fig.update_layout(
        title={"text": _text(title), "x": 0, "xanchor": "left", "font": {"size": FONT_SIZE + 4}},
        font={"size": FONT_SIZE},
        height=height,
        margin={"l": 10, "r": 30, "t": 110, "b": 150 if caption else 80},
        hoverlabel={"font": {"size": FONT_SIZE - 1}, "align": "left"},
        legend={"orientation": "h", "yref": "container", "y": 0.995, "yanchor": "top", "xanchor": "right", "x": 1},
        colorway=list(PALETTE),
    )
    if caption:
        # Pinned to the bottom edge of the figure, below the axis title, whatever the height; wrapped so
        # it is never cut at the right edge.
        fig.add_annotation(
            text=_wrap(caption),
            xref="paper",
            yref="paper",
            x=1,
            y=0,
            yshift=-95,
            showarrow=False,
            xanchor="right",
            yanchor="top",
            align="left",
            font={"size": FONT_SIZE - 3},
        )
    return fig


def _wrap(text: str, width: int = 120) -> str:
    """Return escaped text broken into lines of at most width characters (Plotly annotations do not wrap)."""

    return "<br>".join(_text(line) for line in textwrap.wrap(str(text), width)) or _text(text)


def empty_figure(message: str) -> go.Figure:
    """Return a blank figure that says why it is blank."""
    fig = go.Figure()
    fig.add_annotation(
        text=_text(message), x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": FONT_SIZE}
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return base_layout(fig, "", 200)


def limit_rows(data: pd.DataFrame, max_rows: int, what: str = "rows") -> tuple[pd.DataFrame, str]:
    """Return the first max_rows of an already ordered frame and the title note that says so."""
    if len(data) <= max_rows:
        return data, ""
    return data.head(max_rows), f" (first {max_rows} of {len(data)} {what}; narrow the filters to see the rest)"


def _count(value: object) -> str:
    """Return a patient count for display, or 'not reported'."""
    if is_missing(value):
        return "not reported"
    return str(int(value))


def arm_names(frame: pd.DataFrame, width: int = 40) -> pd.Series:
    """Return each row's regimen for a chart label: without doses and schedules, unless two different
    regimens of one trial would then read alike (dose-comparison arms are never merged by a label)."""
    short = pd.Series([short_regimen(r, width) for r in frame["regimen"]], index=frame.index, dtype=object)
    clash = (
        pd.DataFrame({"trial": frame["trial_id"], "short": short, "full": frame["regimen"]})
        .groupby(["trial", "short"])["full"]
        .transform("nunique")
        > 1
    )
    return short.where(~clash, [str(r)[: width + 20] for r in frame["regimen"]])


def outcome_label(row: pd.Series, width: int = 40) -> str:
    """Return the two-line y-axis label of an outcome row: trial, arm and n; then population, analysis
    and the comparison it belongs to ("vs <control>")."""
    arm = row["_arm"] if "_arm" in row.index else short_regimen(row["regimen"], width)
    first = f"<b>{_text(row['acronym'], 26)}</b> ({_phase(row)}) · {_text(arm, width + 20)} (n={_count(row['n'])})"
    confirmed = {True: " · confirmed", False: " · unconfirmed"}.get(
        row.get("orr_confirmed") if row.get("orr_confirmed") is not pd.NA else None, ""
    )
    second = (
        f"{_text(row['population'], 28)} · {_text(row['analysis'], 24)}{confirmed} · "
        f"{_text(_short_vs(row.get('vs_label')), 36)}"
    )
    return f"{first}<br>{second}"


def _phase(row: pd.Series) -> str:
    """Return the trial phase in short ('ph 3', 'ph 2/3') for a label."""
    phase = row.get("phase")
    return _text(str(phase).replace("Phase ", "ph ")) if isinstance(phase, str) else "phase ?"


def _short_vs(label: object) -> str:
    if isinstance(label, str) and label.startswith("vs "):
        return "vs " + short_regimen(label[3:], 34)
    return "" if is_missing(label) else str(label)


def unique_labels(labels: list[str]) -> list[str]:
    """Return the labels with a counter added to repeats, so no two rows share a category."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def _tier_text(row: pd.Series) -> str:
    tier = row.get("evidence_tier")
    if is_missing(tier):
        return "tier not assessed"
    return f"tier {int(tier)}: {_text(row.get('tier_reason'))}"


def _opacity(frame: pd.DataFrame) -> list[float]:
    return [
        TIER_OPACITY.get(int(t), 1.0) if t is not pd.NA and t == t else 1.0
        for t in frame.get("evidence_tier", pd.Series([pd.NA] * len(frame)))
    ]


def _identity(r: pd.Series) -> list[str]:
    """The first hover fields of every result: trial, arm, population, analysis and n."""
    return [_text(r["acronym"]), _text(r["regimen"]), _text(r["population"]), _text(r["analysis"]), _count(r["n"])]


def _outcome_customdata(frame: pd.DataFrame) -> list[list[str]]:
    rows = []
    for _, r in frame.iterrows():
        derived = " (derived from % and n)" if bool(r.get("responders_derived")) is True else ""
        confirmed = {True: "confirmed", False: "unconfirmed"}.get(
            r.get("orr_confirmed") if r.get("orr_confirmed") is not pd.NA else None, "confirmation not stated"
        )
        rows.append(
            [
                *_identity(r),
                _text(r.get("responders_used")) + derived,
                _num(r.get("orr_ci_low_pct")),
                _num(r.get("orr_ci_high_pct")),
                _text(r["assessment"]),
                confirmed,
                _text(r["line_of_therapy"]),
                _text(r["source_citation"], 90),
                _text(r["arm_role"]),
                _text(r.get("vs_label")),
                _tier_text(r),
            ]
        )
    return rows


ORR_HOVER = (
    "<b>%{customdata[0]}</b> · %{customdata[12]} arm · %{customdata[13]}<br>%{customdata[1]}<br>"
    "ORR %{x:.1f}% (95% CI %{customdata[6]}–%{customdata[7]}), %{customdata[9]}, %{customdata[8]}<br>"
    "Responders %{customdata[5]} of n = %{customdata[4]}<br>"
    "Line %{customdata[10]} · population %{customdata[2]} · %{customdata[3]}<br>"
    "Evidence %{customdata[14]}<br>"
    "Source: %{customdata[11]}<extra></extra>"
)


def line_groups(frame: pd.DataFrame) -> list[str]:
    """Return the lines of therapy present in the frame, in clinical order."""
    present = list(dict.fromkeys(frame["line_of_therapy"]))
    order = schema.enum("trials", "line_of_therapy")
    return [g for g in order if g in present] + [g for g in present if g not in order]


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
    for role in ("experimental", "control"):
        sub = data[data["arm_role"] == role]
        if sub.empty:
            continue
        orr = sub["orr_pct"].astype(float)
        fig.add_trace(
            go.Scatter(
                x=orr,
                y=sub["_label"],
                mode="markers+text",
                name=f"{role} arm",
                marker={
                    "color": ROLE_COLOURS[role],
                    "size": 14,
                    "symbol": "circle" if role == "experimental" else "square",
                    "opacity": _opacity(sub),
                },
                text=[f"{v:.0f}%" for v in orr],
                textposition="top center",
                textfont={"size": FONT_SIZE - 3},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": (sub["orr_ci_high_pct"].astype(float) - orr).tolist(),
                    "arrayminus": (orr - sub["orr_ci_low_pct"].astype(float)).tolist(),
                    "thickness": 2.5,
                    "width": 6,
                },
                customdata=_outcome_customdata(sub),
                hovertemplate=ORR_HOVER,
            )
        )
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=list(data["_label"])[::-1],
        range=[-0.6, len(data) - 0.1],
        automargin=True,
        tickfont={"size": FONT_SIZE - 2},
    )
    fig.update_xaxes(
        range=[0, 100],
        title_text="Objective response rate, % (95% CI)",
        showgrid=True,
        gridcolor="rgba(128,128,128,0.3)",
        dtick=10,
        side="bottom",
    )
    caption = "; ".join(c for c in (caption, note) if c)
    return base_layout(fig, title, 240 + TWO_LINE_ROW_PX * len(data), caption)


def _hr_customdata(frame: pd.DataFrame, endpoint: str) -> list[list[str]]:
    rows = []
    for _, r in frame.iterrows():
        level = r.get("hr_ci_level")
        has_ci = not (pd.isna(r[f"{endpoint}_hr_ci_low"]) or pd.isna(r[f"{endpoint}_hr_ci_high"]))
        if has_ci and level == 95:
            interval = (
                f"95% CI {_num(r[f'{endpoint}_hr_ci_low'], '{:.2f}')}–{_num(r[f'{endpoint}_hr_ci_high'], '{:.2f}')}"
            )
        elif has_ci:
            interval = (
                f"no 95% CI; {int(level) if not pd.isna(level) else '?'}% CI "
                f"{_num(r[f'{endpoint}_hr_ci_low'], '{:.2f}')}–{_num(r[f'{endpoint}_hr_ci_high'], '{:.2f}')}"
                " (not drawn)"
            )
        else:
            interval = "no confidence interval reported"
        rows.append(
            [
                *_identity(r),
                interval,
                _text(r.get("vs_label")),
                _text(r["line_of_therapy"]),
                _text(r["source_citation"], 90),
                _text(r["assessment"]),
                _tier_text(r),
            ]
        )
    return rows


HR_HOVER = (
    "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[6]}<br>"
    "HR %{x:.2f} (%{customdata[5]})<br>"
    "Line %{customdata[7]} · population %{customdata[2]} · %{customdata[3]} · %{customdata[9]}<br>"
    "n (experimental arm) = %{customdata[4]}<br>Evidence %{customdata[10]}<br>Source: %{customdata[8]}<extra></extra>"
)


def _hr_label(r: pd.Series) -> str:
    return (
        f"<b>{_text(r['acronym'], 26)}</b> ({_phase(r)}) · {_text(r['_arm'], 46)} (n={_count(r['n'])})<br>"
        f"{_text(_short_vs(r.get('vs_label')), 40)} · {_text(r['population'], 26)} · {_text(r['analysis'], 22)}"
    )


def hr_forest(outcomes: pd.DataFrame, endpoint: str = "os", caption: str = "", max_rows: int = MAX_ROWS) -> go.Figure:
    """Return a forest of hazard ratios (experimental vs control) on a log axis, one panel per
    comparator class with "vs <control>" in every label. A hazard ratio without a 95% CI is a hollow
    marker without a whisker (its hover says what interval, if any, was given)."""
    if endpoint not in {"os", "pfs"}:
        raise ValueError("endpoint must be 'os' or 'pfs'")
    data = outcomes[outcomes[f"{endpoint}_hr"].notna()]
    name = "Overall survival" if endpoint == "os" else "Progression-free survival"
    if data.empty:
        return empty_figure(f"No {name.lower()} hazard ratios for the current selection.")
    data, note = cap_rows(data, max_rows, keep_pairs=False)
    classes = [c for c in COMPARATOR_TITLES if c in set(data["comparator_class"])] + sorted(
        set(data["comparator_class"].dropna()) - set(COMPARATOR_TITLES)
    )
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
    for row_i, comparator in enumerate(classes, start=1):
        part = data[data["comparator_class"] == comparator]
        part = part.sort_values(["line_of_therapy", "acronym", "analysis", "population"], kind="stable")
        part = part.assign(_arm=arm_names(part))
        part = part.assign(_label=unique_labels([_hr_label(r) for _, r in part.iterrows()]))
        with_95 = (
            (part["hr_ci_level"] == 95).fillna(False)
            & part[f"{endpoint}_hr_ci_low"].notna()
            & part[f"{endpoint}_hr_ci_high"].notna()
        ).astype(bool)
        for drawn, subset in ((True, part[with_95]), (False, part[~with_95])):
            if subset.empty:
                continue
            sub_hr = subset[f"{endpoint}_hr"].astype(float)
            colours = [LINE_COLOURS.get(line, PALETTE[-1]) for line in subset["line_of_therapy"]]
            fig.add_trace(
                go.Scatter(
                    x=sub_hr,
                    y=subset["_label"],
                    mode="markers+text",
                    name="HR with 95% CI" if drawn else "HR without a 95% CI (no whisker)",
                    legendgroup="ci" if drawn else "noci",
                    showlegend=(drawn and row_i == 1) or (not drawn and not hollow_seen),
                    marker={
                        "size": 14,
                        "symbol": "diamond" if drawn else "diamond-open",
                        "color": colours,
                        "opacity": _opacity(subset),
                        "line": {"width": 2, "color": colours},
                    },
                    text=[f"{v:.2f}" for v in sub_hr],
                    textposition="top center",
                    textfont={"size": FONT_SIZE - 3},
                    error_x=(
                        {
                            "type": "data",
                            "symmetric": False,
                            "array": (subset[f"{endpoint}_hr_ci_high"].astype(float) - sub_hr).tolist(),
                            "arrayminus": (sub_hr - subset[f"{endpoint}_hr_ci_low"].astype(float)).tolist(),
                            "thickness": 2.5,
                            "width": 6,
                        }
                        if drawn
                        else {"visible": False}
                    ),
                    customdata=_hr_customdata(subset, endpoint),
                    hovertemplate=HR_HOVER,
                ),
                row=row_i,
                col=1,
            )
            hollow_seen = hollow_seen or not drawn
        # Head-room above the top row, so its value label is not cut by the panel title.
        fig.update_yaxes(
            categoryorder="array",
            categoryarray=list(part["_label"])[::-1],
            range=[-0.6, len(part) - 0.1],
            automargin=True,
            tickfont={"size": FONT_SIZE - 2},
            row=row_i,
            col=1,
        )
        fig.add_vline(x=1, line_dash="dash", line_color="#999999", row=row_i, col=1)
    fig.update_xaxes(
        type="log",
        tickvals=[0.1, 0.25, 0.5, 0.75, 1, 1.5, 2],
        showgrid=True,
        gridcolor="rgba(128,128,128,0.3)",
        showticklabels=True,
    )
    fig.update_xaxes(title_text=f"{name} HR, log scale (< 1 favours the experimental arm)", row=len(classes), col=1)
    notes = [n for n in (caption, note) if n]
    if hollow_seen:
        notes.append(
            "hollow markers: hazard ratio reported without a 95% CI (an 80% CI or none), drawn without a whisker"
        )
    colours = ", ".join(f"{line} {LINE_NAMES.get(line, line)}" for line in line_groups(data))
    notes.append(f"marker colour = line ({colours}); lighter = lower evidence tier")
    return base_layout(
        fig,
        f"{name}: hazard ratios by comparator",
        280 + (TWO_LINE_ROW_PX + 6) * len(data) + 130 * len(classes),
        "; ".join(notes),
    )


def median_comparison(
    outcomes: pd.DataFrame, endpoint: str = "os", caption: str = "", max_rows: int = MAX_ROWS
) -> go.Figure:
    """Return one bar per arm of median PFS or OS, arms of one comparison adjacent; a median not
    reached is a hatched bar to the axis end labelled 'not reached', never a number."""
    value, status = f"median_{endpoint}_months", f"median_{endpoint}_status"
    data = outcomes[outcomes[status].isin(["reached", "not reached"])]
    name = "overall survival" if endpoint == "os" else "progression-free survival"
    if data.empty:
        return empty_figure(f"No median {name} for the current selection.")
    data, note = cap_rows(data, max_rows)
    rank = {g: i for i, g in enumerate(line_groups(data))}
    data = data.assign(_rank=data["line_of_therapy"].map(rank)).sort_values(
        ["_rank", "acronym", "analysis", "population", "arm_role"], ascending=[True, True, True, True, False]
    )
    arms = arm_names(data)
    labels = [
        f"<b>{_text(r['acronym'], 26)}</b> · {_text(r['line_of_therapy'])} · "
        f"{_text(r['population'], 26)} · {_text(r['analysis'], 22)}<br>"
        f"{_text(arm, 50)} (n={_count(r['n'])}) · {_text(_short_vs(r.get('vs_label')), 30)}"
        for arm, (_, r) in zip(arms, data.iterrows(), strict=True)
    ]
    data["_label"] = unique_labels(labels)
    reached = data.loc[data[status] == "reached", value].astype(float)
    cap = float(reached.max()) * 1.1 if len(reached) else 12.0
    fig = go.Figure()
    for role in ("experimental", "control"):
        for state in ("reached", "not reached"):
            sub = data[(data["arm_role"] == role) & (data[status] == state)]
            if sub.empty:
                continue
            x = sub[value].astype(float).tolist() if state == "reached" else [cap] * len(sub)
            text = [f"{v:.1f}" for v in x] if state == "reached" else ["not reached"] * len(sub)
            custom = [
                [
                    _text(r["regimen"]),
                    _count(r["n"]),
                    _text(r["source_citation"], 90),
                    t,
                    _text(r["line_of_therapy"]),
                    _text(r["assessment"]),
                    _text(r.get("vs_label")),
                    _tier_text(r),
                ]
                for t, (_, r) in zip(text, sub.iterrows(), strict=True)
            ]
            fig.add_trace(
                go.Bar(
                    x=x,
                    y=sub["_label"],
                    orientation="h",
                    name=f"{role} arm" + (" (median not reached)" if state == "not reached" else ""),
                    legendgroup=role,
                    marker={
                        "color": ROLE_COLOURS[role],
                        "opacity": _opacity(sub),
                        "pattern": {
                            "shape": "" if state == "reached" else "/",
                            "fgcolor": "#ffffff",
                            "fillmode": "overlay",
                            "solidity": 0.25,
                        },
                    },
                    textfont={"color": "#ffffff" if state == "not reached" else None, "size": FONT_SIZE - 1},
                    text=text,
                    textposition="outside" if state == "reached" else "inside",
                    insidetextanchor="middle",
                    cliponaxis=False,
                    customdata=custom,
                    hovertemplate=(
                        "%{customdata[0]} · %{customdata[6]}<br>"
                        "Median %{customdata[3]} (months) · n = %{customdata[1]}<br>"
                        "Line %{customdata[4]} · %{customdata[5]}<br>"
                        "Evidence %{customdata[7]}<br>"
                        "Source: %{customdata[2]}<extra></extra>"
                    ),
                )
            )
    fig.update_layout(barmode="overlay", bargap=0.3)
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=list(data["_label"])[::-1],
        automargin=True,
        tickfont={"size": FONT_SIZE - 2},
    )
    fig.update_xaxes(
        title_text=f"Median {name}, months", showgrid=True, gridcolor="rgba(128,128,128,0.3)", range=[0, cap * 1.08]
    )
    return base_layout(
        fig, f"Median {name} by arm", 240 + TWO_LINE_ROW_PX * len(data), "; ".join(c for c in (caption, note) if c)
    )


def _ms(ts: pd.Timestamp) -> float:
    return ts.value / 1e6


def trial_gantt(
    trials: pd.DataFrame,
    today: pd.Timestamp,
    caption: str = "",
    max_rows: int = MAX_ROWS,
    readouts: pd.DataFrame | None = None,
) -> go.Figure:
    """Return trials as bars from start to primary completion and on to completion; estimated
    dates are hatched, actual dates solid, with a line at today. With readouts (trial_id, readout_date,
    analysis), a diamond marks when each result was first reported; a readout known only to the year is
    drawn hollow at mid-year."""
    data = trials[trials["start"].notna()].copy()
    if data.empty:
        return empty_figure("No trials with dates for the current selection.")
    data, note = limit_rows(data.sort_values("start", ascending=False), max_rows, "trials, latest start first")
    data["_label"] = [_text(f"{r['acronym']} ({r['phase']}, {r['line_of_therapy']})", 50) for _, r in data.iterrows()]
    fig = go.Figure()
    no_primary = data["primary_completion"].isna()
    segments = (
        # (rows, start column, end column, column saying actual/estimated, legend label, colour, opacity)
        (
            data,
            "start",
            "primary_completion",
            "primary_completion_date_type",
            "start → primary completion",
            PALETTE[0],
            1.0,
        ),
        (
            data,
            "primary_completion",
            "completion",
            "completion_date_type",
            "primary completion → completion",
            PALETTE[2],
            0.5,
        ),
        (
            data[no_primary],
            "start",
            "completion",
            "completion_date_type",
            "start → completion (no primary completion date)",
            PALETTE[0],
            0.75,
        ),
    )
    for rows, start_col, end_col, type_col, label, colour, opacity in segments:
        for kind in ("actual", "estimated"):
            sub = rows[rows[start_col].notna() & rows[end_col].notna() & (rows[type_col] == kind)]
            if sub.empty:
                continue
            custom = [
                [
                    _text(r["acronym"]),
                    _text(r[start_col].date()),
                    _text(r[end_col].date()),
                    kind,
                    _text(r["status"]),
                    _text(r["nct_id"]),
                ]
                for _, r in sub.iterrows()
            ]
            fig.add_trace(
                go.Bar(
                    base=[_ms(t) for t in sub[start_col]],
                    x=[_ms(e) - _ms(s) for s, e in zip(sub[start_col], sub[end_col], strict=True)],
                    y=sub["_label"],
                    orientation="h",
                    name=f"{label} ({kind})",
                    opacity=opacity,
                    marker={
                        "color": colour,
                        "pattern": {
                            "shape": "/" if kind == "estimated" else "",
                            "fgcolor": "#ffffff",
                            "fillmode": "overlay",
                            "solidity": 0.35,
                        },
                    },
                    customdata=custom,
                    hovertemplate="<b>%{customdata[0]}</b> · %{customdata[4]}<br>"
                    + label
                    + ": %{customdata[1]} → %{customdata[2]} (end %{customdata[3]})<br>%{customdata[5]}<extra></extra>",
                )
            )
    open_ended = data[data["primary_completion"].isna() & data["completion"].isna()]
    if not open_ended.empty:
        fig.add_trace(
            go.Scatter(
                x=open_ended["start"],
                y=open_ended["_label"],
                mode="markers",
                name="start only (no completion date in sources)",
                marker={"symbol": "triangle-right", "size": 14, "color": PALETTE[0]},
                customdata=[
                    [_text(r["acronym"]), _text(r["start"].date()), _text(r["status"])]
                    for _, r in open_ended.iterrows()
                ],
                hovertemplate=(
                    "<b>%{customdata[0]}</b> · %{customdata[2]}<br>"
                    "start %{customdata[1]}; no completion date in the sources<extra></extra>"
                ),
            )
        )
    if readouts is not None and not readouts.empty:
        _add_readout_markers(fig, data, readouts)
    fig.add_shape(
        type="line",
        x0=_ms(today),
        x1=_ms(today),
        y0=0,
        y1=1,
        yref="paper",
        line={"color": "#D55E00", "width": 3, "dash": "dot"},
    )
    fig.add_annotation(
        x=_ms(today),
        y=1,
        yref="paper",
        text=f"today ({today.date()})",
        showarrow=False,
        yshift=12,
        font={"color": "#D55E00"},
    )
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(type="date", title_text="Date", showgrid=True, gridcolor="rgba(128,128,128,0.3)")
    fig.update_yaxes(categoryorder="array", categoryarray=list(data["_label"]), automargin=True)
    return base_layout(fig, f"Trials from start to completion{note}", 180 + ROW_PX * len(data), caption)


def _add_readout_markers(fig: go.Figure, data: pd.DataFrame, readouts: pd.DataFrame) -> None:
    labels = dict(zip(data["trial_id"], data["_label"], strict=True))
    marks = readouts[readouts["trial_id"].isin(labels) & readouts["readout_date"].notna()]
    marks = marks.drop_duplicates(["trial_id", "readout_date", "analysis"])
    if marks.empty:
        return
    year_only = pd.Series([dates.parse(d).precision == "year" for d in marks["readout_date"]], index=marks.index)
    for imprecise, sub in ((False, marks[~year_only]), (True, marks[year_only])):
        if sub.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=[dates.marker_timestamp(d) for d in sub["readout_date"]],
                y=[labels[t] for t in sub["trial_id"]],
                mode="markers",
                name="result first reported" + (" (year only)" if imprecise else ""),
                marker={
                    "symbol": "diamond-open" if imprecise else "diamond",
                    "size": 12,
                    "color": "#D55E00",
                    "line": {"width": 2, "color": "#D55E00"},
                },
                customdata=[
                    [_text(r["trial_id"]), _text(r["readout_date"]), _text(r["analysis"])] for _, r in sub.iterrows()
                ],
                hovertemplate="%{customdata[2]}<br>first reported %{customdata[1]}<extra></extra>",
            )
        )


def approvals_timeline(approvals: pd.DataFrame, caption: str = "", max_rows: int = MAX_ROWS) -> go.Figure:
    """Return approvals over time: one row per agent or regimen, one marker symbol per agency;
    approvals in another tumour type are drawn hollow."""
    data = approvals[approvals["date"].notna()].copy()
    if data.empty:
        return empty_figure("No approvals for the current selection.")
    data, note = limit_rows(data.sort_values("date", ascending=False), max_rows, "decisions, newest first")
    data["_row"] = [_text(n, 45) for n in data["agent_names"]]
    fig = go.Figure()
    for i, agency in enumerate(dict.fromkeys(data.sort_values("agency")["agency"])):
        sub = data[data["agency"] == agency]
        custom = [
            [
                _text(r["agency"]),
                _text(r["approval_date"]),
                _text(r["approval_type"]),
                _text(r["line_of_therapy"]),
                _text(r["biomarker"]),
                _text(r["indication"], 110),
                _text(r["tumour_type"]),
                _text(r["source_citation"], 90),
            ]
            for _, r in sub.iterrows()
        ]
        fig.add_trace(
            go.Scatter(
                x=sub["date"],
                y=sub["_row"],
                mode="markers",
                name=agency,
                marker={
                    "size": 16,
                    "symbol": [
                        AGENCY_SYMBOLS.get(agency, "circle") + ("-open" if o else "") for o in sub["other_tumour"]
                    ],
                    "color": PALETTE[i % len(PALETTE)],
                    "line": {"width": 2, "color": PALETTE[i % len(PALETTE)]},
                },
                customdata=custom,
                hovertemplate=(
                    "<b>%{y}</b> · %{customdata[0]} %{customdata[1]}<br>"
                    "%{customdata[2]} approval · %{customdata[3]} · %{customdata[4]}<br>"
                    "%{customdata[5]}<br>"
                    "Tumour type: %{customdata[6]}<br>"
                    "Source: %{customdata[7]}<extra></extra>"
                ),
            )
        )
    fig.update_xaxes(type="date", title_text="Decision date", showgrid=True, gridcolor="rgba(128,128,128,0.3)")
    fig.update_yaxes(automargin=True)
    fig.update_layout(legend_title_text="Agency (hollow: other tumour type)")
    return base_layout(
        fig, f"Regulatory approvals and label changes over time{note}", 220 + 40 * data["_row"].nunique(), caption
    )


BOARD_ROW_PX = 70
BOARD_MAX_HEIGHT = 860  # fits a 1080-pixel projector screen with the page's title and caption


def board_evidence(rows: list[dict], title: str, caption: str = "", height: int | None = None) -> go.Figure:
    """Return the key evidence of the options that fit one line, sized for a projector: per arm, the
    ORR with its exact 95% CI, median PFS and median OS side by side (hatched 'not reached'),
    experimental and control arms coloured apart. Rows are the board's evidence rows."""
    data = pd.DataFrame(rows)
    if data.empty:
        return empty_figure("No reported result for the options that fit this profile.")
    labels = unique_labels(
        [
            f"<b>{_text(r['acronym'], 22)}</b> · {_text(r['arm_role'])} (n={_count(r['n'])})<br>"
            f"{_text(r['population'], 30)} · {_text(r['analysis'], 26)}"
            for r in data.to_dict("records")
        ]
    )
    data = data.assign(_label=labels)
    fig = make_subplots(
        rows=1,
        cols=3,
        shared_yaxes=True,
        horizontal_spacing=0.06,
        subplot_titles=["ORR, % (95% CI)", "Median PFS, months", "Median OS, months"],
    )
    for role in ("experimental", "control"):
        sub = data[data["arm_role"] == role]
        if sub.empty:
            continue
        orr = sub[sub["orr_pct"].notna()]
        if not orr.empty:
            fig.add_trace(
                go.Scatter(
                    x=orr["orr_pct"].astype(float),
                    y=orr["_label"],
                    mode="markers+text",
                    text=[f"{v:g}%" for v in orr["orr_pct"].astype(float)],
                    textposition="top center",
                    name=f"{role} arm",
                    legendgroup=role,
                    marker={
                        "color": ROLE_COLOURS[role],
                        "size": 14,
                        "symbol": "circle" if role == "experimental" else "square",
                    },
                    error_x={
                        "type": "data",
                        "symmetric": False,
                        "array": (orr["orr_ci_high_pct"].astype(float) - orr["orr_pct"].astype(float))
                        .fillna(0)
                        .tolist(),
                        "arrayminus": (orr["orr_pct"].astype(float) - orr["orr_ci_low_pct"].astype(float))
                        .fillna(0)
                        .tolist(),
                        "thickness": 2.5,
                    },
                    customdata=[[_text(r["regimen"], 80), _text(r["source_id"])] for r in orr.to_dict("records")],
                    hovertemplate="%{customdata[0]}<br>ORR %{x:.1f}%<br>Source: %{customdata[1]}<extra></extra>",
                ),
                row=1,
                col=1,
            )
        for col, key in ((2, "median_pfs"), (3, "median_os")):
            shown = sub[sub[key].isin(["not reported"]) == False]  # noqa: E712
            shown = shown[shown[key].notna()]
            if shown.empty:
                continue
            reached = shown[key] != "not reached"
            values = [float(v) if ok else 0.0 for v, ok in zip(shown[key], reached, strict=True)]
            fig.add_trace(
                go.Bar(
                    x=values,
                    y=shown["_label"],
                    orientation="h",
                    name=f"{role} arm",
                    legendgroup=role,
                    showlegend=False,
                    marker={"color": ROLE_COLOURS[role]},
                    text=[f"{v:.1f}" if ok else "not reached" for v, ok in zip(values, reached, strict=True)],
                    textposition="outside",
                    cliponaxis=False,
                    customdata=[[_text(r["regimen"], 80), _text(r["source_id"])] for r in shown.to_dict("records")],
                    hovertemplate="%{customdata[0]}<br>%{x:.1f} months<br>Source: %{customdata[1]}<extra></extra>",
                ),
                row=1,
                col=col,
            )
    order = list(data["_label"])[::-1]
    fig.update_yaxes(categoryorder="array", categoryarray=order, automargin=True, tickfont={"size": FONT_SIZE})
    fig.update_xaxes(range=[0, 100], dtick=20, showgrid=True, gridcolor="rgba(128,128,128,0.3)", row=1, col=1)
    longest = max(
        [
            float(v)
            for key in ("median_pfs", "median_os")
            for v in data[key].dropna()
            if v not in {"not reached", "not reported"}
        ]
        or [12.0]
    )
    for col in (2, 3):
        fig.update_xaxes(range=[0, longest * 1.25], showgrid=True, gridcolor="rgba(128,128,128,0.3)", row=1, col=col)
    fig.update_layout(barmode="group", bargap=0.35, uniformtext={"minsize": FONT_SIZE - 2, "mode": "show"})
    fig.update_annotations(font={"size": FONT_SIZE})
    size = height or min(BOARD_MAX_HEIGHT, 220 + BOARD_ROW_PX * len(data))
    return base_layout(fig, title, size, caption)


def for_projector(fig: go.Figure, dark: bool, size: int = 20) -> go.Figure:
    """Return a copy of the figure with projector-sized text (ticks, titles, annotations, legend) and a
    template for the light or dark page. Shown without Streamlit's chart theme, which resets font sizes."""
    out = go.Figure(fig)
    out.update_layout(
        template="plotly_dark" if dark else "plotly_white",
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        font={"size": size},
        title_font={"size": size + 4},
        legend_font={"size": size},
    )
    out.update_xaxes(tickfont={"size": size - 2}, title_font={"size": size})
    out.update_yaxes(tickfont={"size": size})
    out.update_annotations(font={"size": size})
    out.update_traces(textfont={"size": size - 2})
    return out

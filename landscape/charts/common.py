"""What every figure shares: colours, sizes, the projector-friendly layout, safe hover and label text, hover
data built together with its template, the CI error bars, the labels of outcome rows (wrapped, never cut),
the order of rows, the disease setting of rows and the legend keys of secondary encodings."""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from landscape import schema, vocab
from landscape.evidence import TIER_OPACITY
from landscape.text import short_regimen
from landscape.values import is_missing

# Okabe-Ito: distinguishable with the common colour-vision deficiencies, legible on light and dark.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
ROLE_COLOURS = {"experimental": "#0072B2", "control": "#E69F00"}
ROLES = ("experimental", "control")
# Where colour encodes the evidence tier: the experimental blue at each tier's opacity, so that "lighter = lower"
# reads the same as on the figures that draw tiers by opacity.
TIER_COLOURS = {tier: f"rgba(0,114,178,{opacity})" for tier, opacity in TIER_OPACITY.items()}
# A legend key for a secondary encoding (opacity, fill) is drawn in this neutral grey, so that no colour on the
# figure means two things.
KEY_COLOUR = "#555555"
GRID = "rgba(128,128,128,0.3)"
FONT_SIZE = 16
ROW_PX = 34
# Row labels of the result charts: Plotly tick labels do not wrap, so labels are broken into lines of at most
# LABEL_WIDTH characters here; a long label takes more lines (and its row more height), never an ellipsis.
LABEL_WIDTH = 52
TICK_FONT_SIZE = FONT_SIZE - 2
LINE_PX = 19  # one line of tick text at TICK_FONT_SIZE
ROW_MIN_LINES = 2  # a row holds its marker and the value printed above it
ROW_GAP_LINES = 0.7  # between two rows
CHAR_PX = 0.56 * TICK_FONT_SIZE  # a character's mean width in the tick font (bold a little wider), for margins
# More rows than this neither read on a projector nor render fast; the title then says how to see the rest.
MAX_ROWS = 60


def text(value: object, width: int | None = None) -> str:
    """Return a data value as safe hover/label text ("—" when missing), cut to width characters."""
    shown = "—" if is_missing(value) else str(value)
    if width and len(shown) > width:
        shown = shown[: width - 1] + "…"
    return html.escape(shown, quote=False)


def number(value: object, fmt: str = "{:.1f}") -> str:
    """Return a number for hover text ("—" when missing)."""
    if is_missing(value):
        return "—"
    return fmt.format(float(value))


def count(value: object) -> str:
    """Return a patient count for display, or 'not reported'."""
    if is_missing(value):
        return "not reported"
    return str(int(value))


_FIELD = re.compile(r"(?<!%)\{(\w+)\}")


def hover(
    template: str, fields: Mapping[str, Callable[[Any], object]], rows: Iterable[Any]
) -> tuple[list[list[object]], str]:
    """Return (customdata, hovertemplate) built together. The template names each field {name} (Plotly's
        own %{x} and %{y} stay as written); `fields` gives, in customdata order, each name's value for a row
    (a Series or a dict).
        A field is found by its name, never by a position kept in step by hand; a name the template uses but
        the fields lack raises KeyError."""
    getters = list(fields.values())
    slots = {name: f"%{{customdata[{i}]}}" for i, name in enumerate(fields)}
    customdata = [[get(row) for get in getters] for row in rows]
    return customdata, _FIELD.sub(lambda m: slots[m.group(1)], template)


def ci_error_bars(
    values: pd.Series, low: pd.Series, high: pd.Series, whisker_width: int | None = 6, fill_missing: bool = False
) -> dict:
    """Return Plotly error bars from each point to its lower and upper confidence bound. A missing bound is
    no bar on that side when fill_missing (else Plotly leaves the point without a bar)."""
    above, below = high.astype(float) - values, values - low.astype(float)
    if fill_missing:
        above, below = above.fillna(0), below.fillna(0)
    bars = {"type": "data", "symmetric": False, "array": above.tolist(), "arrayminus": below.tolist(), "thickness": 2.5}
    if whisker_width is not None:
        bars["width"] = whisker_width
    return bars


def base_layout(fig: go.Figure, title: str, height: int, caption: str = "") -> go.Figure:
    """Apply the shared projector-friendly layout."""
    fig.update_layout(
        title={"text": text(title), "x": 0, "xanchor": "left", "font": {"size": FONT_SIZE + 4}},
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
            text=wrap(caption),
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


_SPACES = re.compile(r"[ \t\n\r\f\v]+")  # a no-break space ("n=not\u00a0reported") holds its words together


def _collapse(value: object) -> str:
    return _SPACES.sub(" ", str(value)).strip()


def wrap_lines(value: object, width: int = LABEL_WIDTH) -> list[str]:
    """Return text (whitespace collapsed, not escaped) broken into lines of at most width characters, nothing
    left out: a word longer than a line is split across lines rather than cut."""
    return textwrap.wrap(_collapse(value), width, break_on_hyphens=False) or [""]


def wrap(value: str, width: int = 120) -> str:
    """Return escaped text broken into lines of at most width characters (Plotly annotations do not wrap)."""
    return "<br>".join(text(line) for line in textwrap.wrap(str(value), width)) or text(value)


def row_label(bold: str, lines: Sequence[str], width: int = LABEL_WIDTH) -> str:
    """Return a row's axis label: `bold` (the trial's name) in bold, starting the first of `lines`, each line
    wrapped at width characters and escaped, all joined with <br>. Nothing is cut: a long label takes more lines
    (the chart gives its row the height)."""
    bold = _collapse(bold)
    out: list[str] = []
    for i, line in enumerate(lines):
        flat = _collapse(f"{bold} {line}" if i == 0 else line)
        strong = len(bold) if i == 0 else 0
        at = 0
        for piece in wrap_lines(flat, width):
            start = flat.index(piece, at)
            at = start + len(piece)
            cut = max(0, min(len(piece), strong - start))
            head = f"<b>{html.escape(piece[:cut], quote=False)}</b>" if cut else ""
            out.append(head + html.escape(piece[cut:], quote=False))
    return "<br>".join(out)


def label_text(label: str) -> list[str]:
    """Return the lines of an axis label as a reader sees them (markup removed, entities read)."""
    return [html.unescape(re.sub(r"</?b>", "", line)) for line in label.split("<br>")]


def row_positions(labels: Sequence[str]) -> tuple[list[float], float]:
    """Return each row's centre on a y axis counted in label lines from the top (first row first), each row as
    tall as its label (at least ROW_MIN_LINES), and the axis length."""
    centres, top = [], 0.0
    for label in labels:
        height = max(len(label_text(label)), ROW_MIN_LINES) + ROW_GAP_LINES
        centres.append(top + height / 2)
        top += height
    return centres, top


def label_margin(labels: Iterable[str]) -> int:
    """Return a left margin (px) that holds the longest line of the labels."""
    longest = max((len(line) for label in labels for line in label_text(label)), default=0)
    return int(longest * CHAR_PX) + 24


def row_axis(fig: go.Figure, labels: Sequence[str], centres: Sequence[float], length: float, **where) -> None:
    """Label a y axis of rows (from row_positions): first row at the top, one tick per row with its label."""
    fig.update_yaxes(
        tickvals=list(centres),
        ticktext=list(labels),
        range=[length, 0],
        tickfont={"size": TICK_FONT_SIZE},
        showgrid=True,
        gridcolor=GRID,
        zeroline=False,
        automargin=True,
        **where,
    )


def empty_figure(message: str) -> go.Figure:
    """Return a blank figure that says why it is blank."""
    fig = go.Figure()
    fig.add_annotation(
        text=text(message), x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": FONT_SIZE}
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return base_layout(fig, "", 200)


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


def limit_rows(data: pd.DataFrame, max_rows: int, what: str = "rows") -> tuple[pd.DataFrame, str]:
    """Return the first max_rows of an already ordered frame and the title note that says so."""
    if len(data) <= max_rows:
        return data, ""
    return data.head(max_rows), f" (first {max_rows} of {len(data)} {what}; narrow the filters to see the rest)"


def join_notes(*notes: str) -> str:
    """Return the non-empty notes of a caption joined with '; '."""
    return "; ".join(n for n in notes if n)


def arm_names(frame: pd.DataFrame, width: int = 10_000) -> pd.Series:
    """Return each row's regimen for a chart label: without doses and schedules, unless two different
    regimens of one trial would then read alike (dose-comparison arms are never merged by a label). Never cut
    unless a width is given: labels wrap."""
    short = pd.Series([short_regimen(r, width) for r in frame["regimen"]], index=frame.index, dtype=object)
    clash = (
        pd.DataFrame({"trial": frame["trial_id"], "short": short, "full": frame["regimen"]})
        .groupby(["trial", "short"])["full"]
        .transform("nunique")
        > 1
    )
    return short.where(~clash, [str(r) for r in frame["regimen"]])


def short_vs(label: object, width: int = 10_000) -> str:
    """Return a "vs <control>" label with the control regimen in short (doses and schedules left out, never cut
    unless a width is given: labels wrap)."""
    if isinstance(label, str) and label.startswith("vs "):
        return "vs " + short_regimen(label[3:], width)
    return "" if is_missing(label) else str(label)


def confirmation(row: pd.Series, unstated: str) -> str:
    """Return whether the row's ORR counts confirmed responses only, in words (`unstated` when not said)."""
    confirmed = row.get("orr_confirmed")
    return {True: "confirmed", False: "unconfirmed"}.get(confirmed if confirmed is not pd.NA else None, unstated)


def unique_labels(labels: list[str]) -> list[str]:
    """Return the labels with a counter added to repeats, so no two rows share a category."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def tier_text(row: pd.Series) -> str:
    """Return the row's evidence tier and why, for hover text."""
    tier = row.get("evidence_tier")
    if is_missing(tier):
        return "tier not assessed"
    return f"tier {int(tier)}: {text(row.get('tier_reason'))}"


def tier_opacity(frame: pd.DataFrame) -> list[float]:
    """Return each row's marker opacity: lower evidence tiers lighter."""
    return [
        TIER_OPACITY.get(int(t), 1.0) if t is not pd.NA and t == t else 1.0
        for t in frame.get("evidence_tier", pd.Series([pd.NA] * len(frame)))
    ]


# The first hover fields of every result: trial, arm, population, analysis and n.
IDENTITY_FIELDS: dict[str, Callable[[pd.Series], str]] = {
    "trial": lambda r: text(r["acronym"]),
    "regimen": lambda r: text(r["regimen"]),
    "population": lambda r: text(r["population"]),
    "analysis": lambda r: text(r["analysis"]),
    "n": lambda r: count(r["n"]),
}


def line_groups(frame: pd.DataFrame) -> list[str]:
    """Return the lines of therapy present in the frame, in clinical order."""
    present = list(dict.fromkeys(frame["line_of_therapy"]))
    order = vocab.LINES_OF_THERAPY
    return [g for g in order if g in present] + [g for g in present if g not in order]


def category_axis(fig: go.Figure, labels: Iterable[str], **kwargs) -> None:
    """Order a categorical y axis as the labels are given, first at the top."""
    fig.update_yaxes(categoryorder="array", categoryarray=list(labels)[::-1], **kwargs)


def ms(ts: pd.Timestamp) -> float:
    """Return a timestamp in epoch milliseconds, as Plotly's date axis takes a bar's base and length."""
    return ts.value / 1e6


# The orders of result rows a reader can choose: clinical (line, then phase, then size, so the pivotal trials of
# each line come first) or by trial name.
ORDER_CLINICAL = "line, phase, n"
ORDER_ALPHABETICAL = "alphabetical"
ROW_ORDERS = (ORDER_CLINICAL, ORDER_ALPHABETICAL)
_LINE_RANK = {line: rank for rank, line in enumerate(vocab.LINES_OF_THERAPY)}
_PHASE_RANK = {phase: rank for rank, phase in enumerate(reversed(schema.enum("trials", "phase")))}  # phase 3 first
_ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}


def trial_sizes(frame: pd.DataFrame) -> pd.Series:
    """Return each trial's size for ordering (trial_id -> n): its largest comparison in the frame, the n of the
    comparison's arms added up (an n not reported counts as 0)."""
    n = frame["n"].astype("Float64").fillna(0)
    by_comparison = n.groupby([frame["trial_id"], frame["population"], frame["analysis"]]).sum()
    return by_comparison.groupby(level=0).max().astype(float)


def order_rows(frame: pd.DataFrame, order: str = ORDER_CLINICAL, sizes: pd.Series | None = None) -> pd.DataFrame:
    """Return result rows top to bottom, a trial's rows together and an experimental arm above its control. In
    the clinical order trials go by line (the schema's order), then phase (latest first), then n (largest first:
    the larger of trial_sizes of the frame and `sizes`, trial_id -> n, the sizes of its trials in a wider frame),
    then name; alphabetically by name. A trial's rows then go by analysis and population."""
    if order not in ROW_ORDERS:
        raise ValueError(f"order must be one of {ROW_ORDERS}")
    own = trial_sizes(frame)
    sizes = own if sizes is None else pd.concat([own, sizes.astype(float)]).groupby(level=0).max()
    keyed = frame.assign(
        _name=frame["acronym"].astype("string").str.casefold(),
        _line=frame["line_of_therapy"].map(_LINE_RANK).fillna(len(_LINE_RANK)).astype(float),
        _phase=frame["phase"].map(_PHASE_RANK).fillna(len(_PHASE_RANK)).astype(float),
        _size=-frame["trial_id"].map(sizes).astype("Float64").fillna(0).astype(float),
        _role=frame["arm_role"].map(_ROLE_RANK).fillna(len(_ROLE_RANK)).astype(float),
    )
    trial = ["_line", "_phase", "_size", "_name"] if order == ORDER_CLINICAL else ["_name"]
    within = ["trial_id", "analysis", "population", "_role"]
    return keyed.sort_values(trial + within, kind="stable").drop(columns=["_name", "_line", "_phase", "_size", "_role"])


SETTING_TITLES = {
    vocab.ADVANCED: "Advanced disease (1L, 2L, 3L+)",
    vocab.PERIOPERATIVE: "Perioperative (resectable disease)",
}


def in_settings(frame: pd.DataFrame, settings: Iterable[str] | None = None) -> pd.DataFrame:
    """Return the rows whose trial is in one of the settings (advanced only when None): results of the two
    settings answer different questions and are never compared unless asked for."""
    wanted = set(vocab.DEFAULT_SETTINGS if settings is None else settings)
    return frame[frame["line_of_therapy"].map(vocab.setting_of).isin(wanted).astype(bool)]


def by_setting(frame: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Return (setting, its rows) for each setting present, in vocab.SETTINGS order: one panel each."""
    setting = frame["line_of_therapy"].map(vocab.setting_of)
    return [(s, frame[(setting == s).astype(bool)]) for s in vocab.SETTINGS if bool((setting == s).any())]


def tier_key(tiers: Iterable[object], colour: Callable[[int], str] | None = None, symbol: str = "circle") -> list:
    """Return legend-only traces that say how the evidence tier is drawn: one per tier present (best first), in
    the neutral KEY_COLOUR at the tier's opacity, or in colour(tier) when colour encodes the tier."""
    present = sorted({int(t) for t in tiers if not is_missing(t)})
    return [
        legend_key(
            f"tier {tier}",
            "tier",
            {
                "symbol": symbol,
                "size": 14,
                "color": colour(tier) if colour else KEY_COLOUR,
                "opacity": 1.0 if colour else TIER_OPACITY.get(tier, 1.0),
            },
        )
        for tier in present
    ]


def legend_key(name: str, group: str, marker: dict, trace: type = go.Scatter) -> go.Scatter | go.Bar:
    """Return a trace that draws nothing and shows one legend entry (`name`): the key to one value of an encoding,
    drawn as the legend should show it (an arm's colour at full opacity, a tier's opacity in grey)."""
    mode = {"mode": "markers"} if trace is go.Scatter else {}
    return trace(x=[None], y=[None], name=text(name), legendgroup=group, marker=marker, hoverinfo="skip", **mode)


def legend_on_top(fig: go.Figure, height: int, meaning: str) -> None:
    """Put the title at the top and the legend under it, both left-aligned: first what each encoding means
    (`meaning`: "Colour = arm · opacity = evidence tier"), then the entries in rows. A legend that says what
    colour, opacity and markers mean is read before the rows."""
    fig.update_layout(
        title={"yref": "container", "y": 1 - 10 / height, "yanchor": "top", "xref": "container", "x": 0.005},
        legend={
            "title": {"text": text(meaning), "side": "top", "font": {"size": TICK_FONT_SIZE}},
            "orientation": "h",
            "traceorder": "normal",
            "xref": "container",
            "yref": "container",
            "y": 1 - 46 / height,
            "yanchor": "top",
            "x": 0.005,
            "xanchor": "left",
            "font": {"size": TICK_FONT_SIZE},
        },
    )


def is_key(trace: Any) -> bool:
    """Return whether a trace is a legend key (draws nothing)."""
    return trace.x is not None and len(trace.x) == 1 and trace.x[0] is None

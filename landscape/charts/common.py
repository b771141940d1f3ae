"""What every figure shares: colours, sizes, the projector-friendly layout, safe hover and label text, hover
data built together with its template, the CI error bars, and the labels of outcome rows."""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from landscape import vocab
from landscape.evidence import TIER_OPACITY
from landscape.text import short_regimen
from landscape.values import is_missing

# Okabe-Ito: distinguishable with the common colour-vision deficiencies, legible on light and dark.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
ROLE_COLOURS = {"experimental": "#0072B2", "control": "#E69F00"}
ROLES = ("experimental", "control")
# One colour per line of therapy of the schema, in its order, with the colour's name for captions.
_LINE_STYLES = (
    ("#0072B2", "blue"),
    ("#009E73", "green"),
    ("#56B4E9", "light blue"),
    ("#CC79A7", "pink"),
    ("#E69F00", "orange"),
)
LINE_COLOURS = {line: colour for line, (colour, _) in zip(vocab.LINES_OF_THERAPY, _LINE_STYLES, strict=True)}
LINE_NAMES = {line: name for line, (_, name) in zip(vocab.LINES_OF_THERAPY, _LINE_STYLES, strict=True)}
GRID = "rgba(128,128,128,0.3)"
FONT_SIZE = 16
ROW_PX = 34
TWO_LINE_ROW_PX = 46
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


def wrap(value: str, width: int = 120) -> str:
    """Return escaped text broken into lines of at most width characters (Plotly annotations do not wrap)."""
    return "<br>".join(text(line) for line in textwrap.wrap(str(value), width)) or text(value)


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


def phase_short(row: pd.Series) -> str:
    """Return the trial phase in short ('ph 3', 'ph 2/3') for a label."""
    phase = row.get("phase")
    return text(str(phase).replace("Phase ", "ph ")) if isinstance(phase, str) else "phase ?"


def short_vs(label: object) -> str:
    """Return a "vs <control>" label with the control regimen in short."""
    if isinstance(label, str) and label.startswith("vs "):
        return "vs " + short_regimen(label[3:], 34)
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

"""Exports: CSV of exactly the rows shown with spreadsheet formulas neutralised, and figures as
PNG or SVG at projector resolution."""

from __future__ import annotations

import os
import shutil

import pandas as pd
import plotly.graph_objects as go

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PROJECTOR_WIDTH_PX = 1600
PNG_SCALE = 2
# Where kaleido (through choreographer) finds a browser: $BROWSER_PATH, else these on the PATH.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
INSTALL_HINT = (
    "PNG and SVG downloads need Chromium on the server: "
    "install it (Debian/Ubuntu: `sudo apt-get install chromium`) and restart the dashboard. "
    "The chart's own camera icon still saves a PNG."
)


def neutralise_formula(value: object) -> object:
    """Return a text cell that a spreadsheet would run as a formula with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_safe_csv(frame: pd.DataFrame) -> bytes:
    """Return the frame as UTF-8 CSV (with BOM, for spreadsheets) with formula-like text neutralised."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_formula)
    return safe.to_csv(index=False).encode("utf-8-sig")


def image_browser() -> str | None:
    """Return the browser kaleido will render images with, or None when the server has none."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit and os.access(explicit, os.X_OK):
        return explicit
    return next((found for name in BROWSER_NAMES if (found := shutil.which(name))), None)


def figure_image(fig: go.Figure, fmt: str) -> bytes:
    """Return the figure rendered as PNG (2x, 1600 px wide) or SVG, through kaleido."""
    if fmt not in {"png", "svg"}:
        raise ValueError("fmt must be png or svg")
    height = int(fig.layout.height or 700)
    return fig.to_image(format=fmt, width=PROJECTOR_WIDTH_PX, height=height, scale=PNG_SCALE if fmt == "png" else 1)

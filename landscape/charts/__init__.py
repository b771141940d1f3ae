"""Figure builders: each returns a Plotly figure and never calls Streamlit. Hover text goes through
hovertemplate + customdata, with data strings escaped so they are shown, never interpreted. The shared
pieces are in common, results in outcomes, dates in timeline, the tumour board's figure in board."""

from landscape.charts.board import board_evidence, evidence_notes
from landscape.charts.common import (
    MAX_ROWS,
    PALETTE,
    arm_names,
    base_layout,
    ci_error_bars,
    empty_figure,
    for_projector,
    hover,
    limit_rows,
    line_groups,
    unique_labels,
)
from landscape.charts.outcomes import hr_forest, median_comparison, orr_forest, outcome_label
from landscape.charts.timeline import approvals_timeline, trial_gantt

__all__ = [
    "MAX_ROWS",
    "PALETTE",
    "approvals_timeline",
    "arm_names",
    "base_layout",
    "board_evidence",
    "ci_error_bars",
    "empty_figure",
    "evidence_notes",
    "for_projector",
    "hover",
    "hr_forest",
    "limit_rows",
    "line_groups",
    "median_comparison",
    "orr_forest",
    "outcome_label",
    "trial_gantt",
    "unique_labels",
]

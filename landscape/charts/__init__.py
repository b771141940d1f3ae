"""Figure builders: each returns a Plotly figure and never calls Streamlit. Hover text goes through
hovertemplate + customdata, with data strings escaped so they are shown, never interpreted. The shared
pieces are in common, results in outcomes, dates in timeline, the tumour board's figure in board."""

from landscape.charts.board import board_evidence, evidence_notes
from landscape.charts.common import (
    MAX_ROWS,
    ORDER_ALPHABETICAL,
    ORDER_CLINICAL,
    PALETTE,
    ROW_ORDERS,
    arm_names,
    base_layout,
    ci_error_bars,
    empty_figure,
    for_projector,
    hover,
    in_settings,
    is_key,
    label_text,
    limit_rows,
    line_groups,
    order_rows,
    row_label,
    unique_labels,
    wrap_lines,
)
from landscape.charts.outcomes import hr_forest, line_title, median_comparison, orr_forest, outcome_label
from landscape.charts.timeline import approvals_timeline, trial_gantt

__all__ = [
    "MAX_ROWS",
    "ORDER_ALPHABETICAL",
    "ORDER_CLINICAL",
    "PALETTE",
    "ROW_ORDERS",
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
    "in_settings",
    "is_key",
    "label_text",
    "limit_rows",
    "line_groups",
    "line_title",
    "median_comparison",
    "order_rows",
    "orr_forest",
    "outcome_label",
    "row_label",
    "trial_gantt",
    "unique_labels",
    "wrap_lines",
]

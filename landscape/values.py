"""The two cell helpers every module shares: what counts as missing, and the items of a ';'-list."""

from __future__ import annotations

import pandas as pd


def is_missing(value: object) -> bool:
    """Return True for None, NaN, NaT and pd.NA (and False for any real value, text included)."""
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def split_ids(value: object) -> tuple[str, ...]:
    """Return the items of a ';'-separated cell, stripped (empty tuple for a missing or empty cell)."""
    if not isinstance(value, str):  # text first: the missing-value check costs more than the split
        if is_missing(value):
            return ()
        value = str(value)
    return tuple(v.strip() for v in value.split(";") if v.strip())

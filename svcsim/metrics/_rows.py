"""The shape of the monthly KPI table, and a builder for its rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["KPI_COLUMNS", "kpi_rows", "counts_by_month"]

#: Columns of :func:`svcsim.metrics.monthly_kpis`, in order.
KPI_COLUMNS: tuple[str, ...] = (
    "month", "month_start", "month_end", "partial", "observed_days", "kpi", "part",
    "value", "numerator", "denominator", "expected", "p_value", "unit", "flag", "note",
)


def kpi_rows(
    kpi: str,
    code: np.ndarray,
    *,
    unit: str,
    value: np.ndarray,
    numerator: np.ndarray | None = None,
    denominator: np.ndarray | None = None,
    part: np.ndarray | None = None,
    expected: np.ndarray | None = None,
    p_value: np.ndarray | None = None,
    flag: np.ndarray | None = None,
    note: np.ndarray | str | None = None,
) -> pd.DataFrame:
    """Rows of one KPI keyed by month ``code``; absent measures are NaN, an absent flag is <NA>."""
    n = len(code)

    def floats(values: np.ndarray | None) -> np.ndarray:
        return np.full(n, np.nan) if values is None else np.asarray(values, dtype=float)

    flags = pd.array([pd.NA] * n, dtype="boolean") if flag is None else pd.array(flag, dtype="boolean")
    notes = np.full(n, note, dtype=object) if note is None or isinstance(note, str) else np.asarray(note, dtype=object)
    return pd.DataFrame(
        {
            "code": np.asarray(code, dtype=np.int64),
            "kpi": kpi,
            "part": np.full(n, None, dtype=object) if part is None else np.asarray(part, dtype=object),
            "value": floats(value),
            "numerator": floats(numerator),
            "denominator": floats(denominator),
            "expected": floats(expected),
            "p_value": floats(p_value),
            "unit": unit,
            "flag": flags,
            "note": notes,
        }
    )


def counts_by_month(codes: np.ndarray, months: np.ndarray) -> np.ndarray:
    """How many of ``codes`` fall on each of ``months`` (month codes), as float."""
    if not len(months):
        return np.zeros(0)
    index = pd.Index(months)
    pos = index.get_indexer(np.asarray(codes, dtype=np.int64))
    pos = pos[pos >= 0]
    return np.bincount(pos, minlength=len(months)).astype(float)

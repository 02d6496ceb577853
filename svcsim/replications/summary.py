"""Confidence intervals over replications, and the :class:`Replications` result.

Replications of one scenario are independent and identically distributed
(each has its own streams), so a metric's mean over ``n`` replications has the
Student t interval ``mean +- t(1 - alpha/2, n - 1) * s / sqrt(n)``. The
half-width shrinks like ``1 / sqrt(n)``: to reach a half-width ``h`` you need
about ``n = (t * s / h) ** 2`` replications (:func:`replications_for`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Replications", "confidence_table", "replications_for", "t_quantile"]


def t_quantile(n: int | np.ndarray, confidence: float = 0.95) -> np.ndarray:
    """The two-sided Student t quantile for ``n`` observations (NaN when ``n < 2``)."""
    from scipy import stats  # imported here: scipy.stats takes a second to import

    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(n >= 2, stats.t.ppf(0.5 + confidence / 2.0, np.maximum(n - 1.0, 1.0)), np.nan)


def confidence_table(tidy: pd.DataFrame, by: Sequence[str] = (), confidence: float = 0.95) -> pd.DataFrame:
    """Per metric (and per ``by`` group): n, mean, std, the t confidence interval and its half-width.

    Replications where a metric is NaN (no decided case, say) are left out of
    that metric's ``n``.
    """
    keys = [*by, "metric", "kind", "subject"]
    grouped = tidy.groupby(keys, sort=False, dropna=False)["value"]
    table = grouped.agg(n="count", mean="mean", std="std").reset_index()
    half = t_quantile(table["n"].to_numpy(), confidence) * table["std"].to_numpy(float) / np.sqrt(np.maximum(table["n"].to_numpy(float), 1.0))
    table["ci_low"] = table["mean"] - half
    table["ci_high"] = table["mean"] + half
    table["half_width"] = half
    table["n"] = table["n"].astype(np.int64)
    return table


def replications_for(std: float, half_width: float, confidence: float = 0.95, *, at_least: int = 2) -> int:
    """Replications needed for a ``half_width`` when one replication's standard deviation is ``std``.

    The smallest ``n`` with ``t(n - 1) * std / sqrt(n) <= half_width``; the
    rough rule is ``n ~ (t * std / half_width) ** 2``. Estimate ``std`` from a
    pilot of 10 or so replications.
    """
    if not (half_width > 0) or not math.isfinite(std):
        raise ValueError("half_width must be > 0 and std finite")
    from scipy import stats

    n = max(at_least, 2)
    z = float(stats.norm.ppf(0.5 + confidence / 2.0))
    n = max(n, math.ceil((z * std / half_width) ** 2))
    while float(t_quantile(n, confidence)) * std / math.sqrt(n) > half_width:
        n += 1
    return n


@dataclass(frozen=True, eq=False)
class Replications:
    """Replications of one scenario, and where they came from.

    ``results`` is tidy: one row per replication and metric (columns
    ``scenario``, ``scenario_hash``, ``seed``, ``replication``, ``days``,
    ``warmup_days``, ``metric``, ``kind``, ``subject``, ``value``; see
    :mod:`svcsim.replications.metrics`). ``computed``, ``loaded`` and
    ``retried`` count replications simulated by this call, read from the
    cache, and resubmitted after a worker died.
    """

    results: pd.DataFrame
    scenario: str
    scenario_hash: str
    seed: int
    replications: int
    days: int
    warmup_days: float
    computed: int = 0
    loaded: int = 0
    retried: int = 0

    def summary(self, confidence: float = 0.95) -> pd.DataFrame:
        """Per metric: n, mean, std, ci_low, ci_high and half_width (a ``confidence`` t interval)."""
        return confidence_table(self.results, confidence=confidence)

    def values(self, metric: str) -> pd.Series:
        """One metric's value per replication (indexed by replication)."""
        part = self.results[self.results["metric"] == metric]
        if part.empty:
            raise KeyError(f"no metric {metric!r}; metrics: {', '.join(self.metrics())}")
        return part.set_index("replication")["value"].sort_index()

    def metrics(self) -> list[str]:
        """The metric names, in table order."""
        return list(dict.fromkeys(self.results["metric"]))

    def wide(self) -> pd.DataFrame:
        """One row per replication, one column per metric."""
        return self.results.pivot(index="replication", columns="metric", values="value")[self.metrics()]

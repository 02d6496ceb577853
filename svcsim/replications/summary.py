"""Confidence intervals over replications, and the :class:`Replications` result.

Replications of one scenario are independent and identically distributed
(each has its own streams), so a metric's mean over ``n`` replications has the
Student t interval ``mean +- t(1 - alpha/2, n - 1) * s / sqrt(n)``. The
half-width shrinks like ``1 / sqrt(n)``: to reach a half-width ``h`` you need
about ``n = (t * s / h) ** 2`` replications (:func:`replications_for`).

The interval's ends are kept inside the values a metric can take
(:data:`METRIC_RANGES`: an attainment is a percentage, a wait is not
negative): with few replications and a metric near its bound, ``mean +- h``
can reach 100.12 % or a negative wait, and the mean cannot lie there. Cutting
those parts off leaves every value the interval could cover, so its coverage
is unchanged; ``half_width`` stays the t half-width, the figure to plan
replications with.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["METRIC_RANGES", "Replications", "confidence_table", "metric_range", "replications_for", "t_quantile"]

#: The values each kind of metric can take (:mod:`svcsim.replications.metrics`); other kinds are unbounded.
METRIC_RANGES: dict[str, tuple[float, float]] = {
    "attainment_pct": (0.0, 100.0),
    "abandoned_pct": (0.0, 100.0),
    "utilisation_pct": (0.0, math.inf),  # work finished after the shift counts: it can pass 100
    "clock_mean_h": (0.0, math.inf),
    "clock_p90_h": (0.0, math.inf),
    "answer_wait_mean_h": (0.0, math.inf),
    "answer_wait_p90_h": (0.0, math.inf),
    "calls": (0.0, math.inf),
    "due_count": (0.0, math.inf),
    "stock.fill_rate": (0.0, 1.0),
}


#: How a figure labels each kind of metric.
KIND_UNITS: dict[str, str] = {
    "attainment_pct": "attainment %", "abandoned_pct": "abandoned %", "utilisation_pct": "utilisation %",
    "clock_mean_h": "mean clock, hours", "clock_p90_h": "p90 clock, hours",
    "answer_wait_mean_h": "mean answer wait, hours", "answer_wait_p90_h": "p90 answer wait, hours",
    "calls": "calls", "due_count": "verdicts due", "stock.fill_rate": "fill rate",
}


def metric_range(kind: str) -> tuple[float, float]:
    """The values a metric of ``kind`` can take: stock figures are counts or shares, so never negative."""
    if kind in METRIC_RANGES:
        return METRIC_RANGES[kind]
    return (0.0, math.inf) if kind.startswith("stock.") else (-math.inf, math.inf)


def t_quantile(n: int | np.ndarray, confidence: float = 0.95) -> np.ndarray:
    """The two-sided Student t quantile for ``n`` observations (NaN when ``n < 2``)."""
    from scipy import stats  # imported here: scipy.stats takes a second to import

    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(n >= 2, stats.t.ppf(0.5 + confidence / 2.0, np.maximum(n - 1.0, 1.0)), np.nan)


def confidence_table(tidy: pd.DataFrame, by: Sequence[str] = (), confidence: float = 0.95) -> pd.DataFrame:
    """Per metric (and per ``by`` group): n, mean, std, the t confidence interval and its half-width.

    Replications where a metric is NaN (no decided case, say) are left out of
    that metric's ``n``. ``ci_low`` and ``ci_high`` stay inside the metric's
    range (:func:`metric_range`); ``clipped`` says where the t interval went
    past it (near 0 or 100 %, the t interval is a poor approximation).
    """
    keys = [*by, "metric", "kind", "subject"]
    grouped = tidy.groupby(keys, sort=False, dropna=False)["value"]
    table = grouped.agg(n="count", mean="mean", std="std").reset_index()
    half = t_quantile(table["n"].to_numpy(), confidence) * table["std"].to_numpy(float) / np.sqrt(np.maximum(table["n"].to_numpy(float), 1.0))
    bounds = np.array([metric_range(str(kind)) for kind in table["kind"]], dtype=float).reshape(-1, 2)
    low, high = table["mean"].to_numpy(float) - half, table["mean"].to_numpy(float) + half
    table["ci_low"] = np.maximum(low, bounds[:, 0])
    table["ci_high"] = np.minimum(high, bounds[:, 1])
    table["half_width"] = half
    table["clipped"] = (low < bounds[:, 0]) | (high > bounds[:, 1])
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

"""METRIC and VARI-METRIC: one depot supplying several bases, one part.

Each base ``j`` sees Poisson demand at rate ``lambda_j``. A share ``r_j`` of
its failed units is repaired at the base in ``R_j`` (mean); the rest are
resupplied from the depot, in an order-and-ship time ``O_j`` when the depot
has stock, and later otherwise. The depot sees ``lambda_0 = sum_j (1 - r_j)
lambda_j`` and resupplies in ``T_0`` (mean). Stocks are ``s_0`` at the depot
and ``s_j`` at the bases, all one-for-one.

METRIC (Sherbrooke 1968; *Optimal Inventory Modeling of Systems*, 2004, ch. 5):

* depot pipeline ``Poisson(lambda_0 T_0)``: ``EBO_0(s_0)`` by Palm's theorem,
* mean depot delay per order (Little) ``EBO_0(s_0) / lambda_0``,
* base pipeline mean
  ``mu_j = lambda_j [r_j R_j + (1 - r_j)(O_j + EBO_0(s_0) / lambda_0)]``,
* base backorders ``EBO_j(s_j)`` with the pipeline taken as ``Poisson(mu_j)``.

VARI-METRIC (Graves 1985; Sherbrooke 1986; 2004, ch. 5) keeps the means and
adds the variance the depot passes on. Each outstanding depot backorder
belongs to base ``j`` with probability ``f_j = (1 - r_j) lambda_j / lambda_0``,
so the base's share of depot backorders has mean ``f_j EBO_0`` and variance
``f_j (1 - f_j) EBO_0 + f_j^2 VBO_0``; the base pipeline variance is
``lambda_j r_j R_j + lambda_j (1 - r_j) O_j + f_j (1 - f_j) EBO_0 + f_j^2 VBO_0``,
and the base pipeline is a negative binomial with that mean and variance
(Poisson when the variance does not exceed the mean).

Rates and times share one time unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from svcsim.analytic._args import counts, nonnegative, probability
from svcsim.analytic.palm import poisson_stock_measures

__all__ = ["MetricResult", "metric", "vari_metric"]

_CHUNK = 512
_TOL = 1e-16


@dataclass(frozen=True, eq=False)
class MetricResult:
    """Two-echelon measures of one part: the depot and one entry per base."""

    depot_demand_rate: float
    """``lambda_0``, orders reaching the depot per time unit."""
    depot_backorders: float
    """``EBO_0(s_0)``, mean outstanding depot backorders."""
    depot_backorder_variance: float
    """``VBO_0(s_0)``."""
    depot_delay: float
    """Mean extra wait per depot order, ``EBO_0 / lambda_0`` (time unit of the rates)."""
    pipeline_mean: np.ndarray
    """``mu_j``, mean units in resupply per base."""
    pipeline_variance: np.ndarray
    """Variance of the base pipeline (equal to the mean under METRIC)."""
    expected_backorders: np.ndarray
    """``EBO_j(s_j)`` per base."""
    fill_rate: np.ndarray
    """``P(pipeline_j <= s_j - 1)``, share of base demands filled at once."""
    model: str
    """``"metric"`` or ``"vari_metric"``."""

    @property
    def total_backorders(self) -> float:
        """``sum_j EBO_j(s_j)``, the system objective (depot backorders excluded)."""
        return float(np.sum(self.expected_backorders))


def _nbinom_stock_measures(mean: float, var: float, s: int) -> tuple[float, float]:
    """``(E[(X - s)+], P(X <= s - 1))`` for the negative binomial of ``mean``, ``var``."""
    from scipy.stats import nbinom  # here, not at the top: scipy.stats takes a second to import

    p = mean / var
    n = mean * p / (1.0 - p)
    dist = nbinom(n, p)
    fill = float(dist.cdf(s - 1)) if s >= 1 else 0.0
    if s < mean:  # E[(X - s)+] = mean - s + sum_{k<s} P(X <= k)
        return mean - s + float(dist.cdf(np.arange(s)).sum()), fill
    total = 0.0  # E[(X - s)+] = sum_{k>=s} P(X > k), a decreasing positive tail
    start = s
    while True:
        sf = dist.sf(np.arange(start, start + _CHUNK))
        total += float(sf.sum())
        if sf[-1] <= _TOL * max(total, 1e-300) * (1 - p) or sf[-1] == 0.0:
            return total, fill
        start += _CHUNK


def _two_echelon(model, demand_rates, base_resupply_times, depot_resupply_time, depot_stock,
                 base_stocks, base_repair_fraction, base_repair_times) -> MetricResult:
    lam = np.atleast_1d(nonnegative("demand_rates", demand_rates))
    lam, order_ship, s_base, r, repair = np.broadcast_arrays(
        lam,
        nonnegative("base_resupply_times", base_resupply_times),
        counts("base_stocks", base_stocks),
        probability("base_repair_fraction", base_repair_fraction),
        nonnegative("base_repair_times", 0.0 if base_repair_times is None else base_repair_times),
    )
    if base_repair_times is None and (r > 0).any():
        raise ValueError("base_repair_times: required when base_repair_fraction > 0")
    t0 = float(nonnegative("depot_resupply_time", depot_resupply_time))
    s0 = int(counts("depot_stock", depot_stock))
    if lam.ndim != 1:
        raise ValueError("demand_rates: expected one rate per base (a 1-d array)")
    to_depot = (1.0 - r) * lam
    lam0 = float(to_depot.sum())
    ebo0, vbo0, *_ = (float(x) for x in poisson_stock_measures(lam0 * t0, s0))
    delay = ebo0 / lam0 if lam0 > 0 else 0.0
    share = to_depot / lam0 if lam0 > 0 else np.zeros_like(lam)
    mean = lam * r * repair + to_depot * order_ship + share * ebo0
    if model == "metric":
        var = mean.copy()
        ebo, _, _, fill, _ = poisson_stock_measures(mean, s_base)
    else:
        var = lam * r * repair + to_depot * order_ship + share * (1 - share) * ebo0 + share**2 * vbo0
        ebo = np.empty(mean.shape)
        fill = np.empty(mean.shape)
        for j in range(mean.size):
            if var[j] <= mean[j] * (1.0 + 1e-12) or mean[j] == 0:
                e, _, _, f, _ = poisson_stock_measures(mean[j], s_base[j])
                ebo[j], fill[j] = float(e), float(f)
            else:
                ebo[j], fill[j] = _nbinom_stock_measures(float(mean[j]), float(var[j]),
                                                         int(s_base[j]))
    return MetricResult(
        depot_demand_rate=lam0,
        depot_backorders=ebo0,
        depot_backorder_variance=vbo0,
        depot_delay=delay,
        pipeline_mean=mean,
        pipeline_variance=var,
        expected_backorders=np.asarray(ebo, dtype=float),
        fill_rate=np.asarray(fill, dtype=float),
        model=model,
    )


def metric(demand_rates, base_resupply_times, depot_resupply_time, depot_stock, base_stocks,
           base_repair_fraction=0.0, base_repair_times=None) -> MetricResult:
    """Sherbrooke's METRIC for one part: expected backorders at each base.

    Assumptions: Poisson demand at each base, one-for-one replenishment at
    every site, independent resupply times, FIFO at the depot, and the base
    pipeline approximated as Poisson with the exact mean (the METRIC
    approximation: it understates the variance; see ``vari_metric``).

    Parameters
    ----------
    demand_rates:
        ``lambda_j`` per base (1-d), per time unit.
    base_resupply_times:
        ``O_j``, order-and-ship time from the depot (scalar or per base).
    depot_resupply_time:
        ``T_0``, mean depot repair or procurement time.
    depot_stock:
        ``s_0``.
    base_stocks:
        ``s_j`` (scalar or per base).
    base_repair_fraction:
        ``r_j``, share repaired at the base (default 0: all go to the depot).
    base_repair_times:
        ``R_j``, mean base repair time; needed when ``r_j > 0``.

    Examples
    --------
    >>> r = metric([0.1, 0.2], 2.0, 10.0, depot_stock=2, base_stocks=1)
    >>> r.expected_backorders.round(4).tolist()
    [0.1562, 0.5242]
    """
    return _two_echelon("metric", demand_rates, base_resupply_times, depot_resupply_time,
                        depot_stock, base_stocks, base_repair_fraction, base_repair_times)


def vari_metric(demand_rates, base_resupply_times, depot_resupply_time, depot_stock, base_stocks,
                base_repair_fraction=0.0, base_repair_times=None) -> MetricResult:
    """VARI-METRIC (Graves 1985, Sherbrooke 1986): METRIC with the variance kept.

    Same arguments and assumptions as ``metric``, except that each base
    pipeline is a negative binomial matching the mean and the variance in the
    module docstring, which is more accurate when depot backorders are
    common. With ``s_0`` large it agrees with METRIC.
    """
    return _two_echelon("vari_metric", demand_rates, base_resupply_times, depot_resupply_time,
                        depot_stock, base_stocks, base_repair_fraction, base_repair_times)

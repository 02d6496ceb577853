"""Palm's theorem: spare stock against a Poisson pipeline.

A part fails (is demanded) as a Poisson process at rate ``lambda``; each
failed unit goes into resupply (repair or purchase) for an independent time
with mean ``T`` and any distribution; the store keeps a base stock of ``S``
units and orders one for one. Palm's theorem (Palm 1938; Feeney & Sherbrooke
1966): the number of units in resupply is then Poisson with mean
``m = lambda T``, whatever the shape of the resupply-time distribution. With
``X ~ Poisson(m)``, the store's measures are those of ``X`` against ``S``
(Sherbrooke, *Optimal Inventory Modeling of Systems*, 2nd ed., 2004, ch. 2):

* backorders ``(X - S)+``: ``EBO(S) = E[(X - S)+]``, ``VBO(S) = Var[(X - S)+]``,
* on hand ``(S - X)+``: ``E[(S - X)+] = S - m + EBO(S)``,
* fill rate (share of demands met at once) ``P(X <= S - 1)``,
* ready rate (share of time with no backorder) ``P(X <= S)``.

Rates and times share one time unit. Each sum is taken over positive terms
only (the upper tail for ``S >= m``, the finite lower sum for ``S < m``), in
log space, so large pipelines and stocks lose no accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import pdtr

from svcsim.analytic._args import all_scalar, counts, nonnegative, probability, scalar_out
from svcsim.analytic._special import kummer, log_poisson_pmf, positive_series

__all__ = ["PalmResult", "min_stock", "palm", "poisson_stock_measures"]


@dataclass(frozen=True, eq=False)
class PalmResult:
    """Steady-state measures of one part at one store (Palm's theorem).

    Scalars when every argument was a scalar, else numpy arrays.
    """

    demand_rate: float | np.ndarray
    """``lambda``, demands (failures) per time unit."""
    resupply_time: float | np.ndarray
    """``T``, mean resupply (repair or lead) time, same time unit."""
    stock: int | np.ndarray
    """``S``, base stock (spares owned, on hand plus in resupply minus backorders)."""
    pipeline_mean: float | np.ndarray
    """``m = lambda T``, mean number of units in resupply (Poisson)."""
    expected_backorders: float | np.ndarray
    """``EBO(S) = E[(X - S)+]``, mean number of unfilled demands at a time."""
    fill_rate: float | np.ndarray
    """``P(X <= S - 1)``: share of demands filled from the shelf at once
    (1 when there is no demand at all)."""
    ready_rate: float | np.ndarray
    """``P(X <= S)``: share of time with no backorder outstanding."""
    expected_on_hand: float | np.ndarray
    """``E[(S - X)+] = S - m + EBO(S)``, mean spares on the shelf."""
    backorder_variance: float | np.ndarray
    """``VBO(S) = Var[(X - S)+]`` (used by VARI-METRIC)."""


def poisson_stock_measures(mean, stock) -> tuple[np.ndarray, ...]:
    """``(EBO, VBO, on hand, fill rate, ready rate)`` of ``Poisson(mean)`` against ``stock``.

    Arrays broadcast; ``mean >= 0`` need not be an integer, ``stock`` is a
    whole number.
    """
    m, s = np.broadcast_arrays(np.asarray(mean, dtype=float), np.asarray(stock, dtype=float))
    shape = m.shape
    m, s = m.ravel(), s.ravel()
    ebo = np.zeros(m.size)
    vbo = np.zeros(m.size)
    on_hand = s.copy()
    fill = np.ones(m.size)
    ready = np.ones(m.size)

    pos = m > 0
    fill[pos] = np.where(s[pos] >= 1, pdtr(np.maximum(s[pos] - 1, 0), m[pos]), 0.0)
    ready[pos] = pdtr(s[pos], m[pos])

    upper = pos & (s >= m)
    if upper.any():
        mu, su = m[upper], s[upper]
        k = kummer(su, mu)  # weights p(S + j) / p(S)
        p_ge = np.exp(k.log_p)  # P(X >= S) = P(S, m), the regularized gamma
        e1, e2 = k.mean, k.second
        ebo[upper] = p_ge * e1
        vbo[upper] = p_ge * (e2 - p_ge * e1 * e1)
        on_hand[upper] = su - mu + ebo[upper]

    lower = pos & (s < m)
    if lower.any():
        ml, sl = m[lower], s[lower]
        log_f, e1, e2 = positive_series(  # weights p(S - j) / p(S)
            lambda rows, js: np.maximum(sl[rows, None] - js + 1.0, 0.0) / ml[rows, None],
            ml.size,
        )
        p_le = np.exp(log_poisson_pmf(sl, ml) + log_f)  # P(X <= S)
        u1 = p_le * e1  # E[(S - X)+]
        u2 = p_le * e2  # E[(S - X)+^2]
        ebo[lower] = ml - sl + u1
        vbo[lower] = ml - u2 - 2.0 * (ml - sl) * u1 - u1 * u1
        on_hand[lower] = u1
    out = (ebo, np.maximum(vbo, 0.0), on_hand, fill, ready)
    return tuple(x.reshape(shape) for x in out)


def palm(demand_rate, resupply_time, stock) -> PalmResult:
    """Backorders, fill rate and stock on hand of a part under Palm's theorem.

    Assumptions: Poisson demand, one-for-one (S-1, S) replenishment,
    independent resupply times (any distribution, mean ``T``), no lost sales
    (unfilled demands wait as backorders), steady state. See the module
    docstring for the formulas.

    Parameters
    ----------
    demand_rate:
        ``lambda >= 0`` per time unit.
    resupply_time:
        ``T >= 0``, mean resupply time in the same unit.
    stock:
        ``S``, whole numbers ``>= 0``. All three broadcast.

    Examples
    --------
    >>> r = palm(0.5, 10.0, 7)  # pipeline of 5 units, 7 spares
    >>> round(r.fill_rate, 6), round(r.expected_backorders, 6)
    (0.762183, 0.255481)
    """
    lam = nonnegative("demand_rate", demand_rate)
    time = nonnegative("resupply_time", resupply_time)
    s = counts("stock", stock)
    lam, time, s = np.broadcast_arrays(lam, time, s)
    m = lam * time
    ebo, vbo, on_hand, fill, ready = poisson_stock_measures(m, s)
    scalar = all_scalar(demand_rate, resupply_time, stock)
    return PalmResult(
        demand_rate=scalar_out(lam, scalar),
        resupply_time=scalar_out(time, scalar),
        stock=scalar_out(s, scalar),
        pipeline_mean=scalar_out(m, scalar),
        expected_backorders=scalar_out(ebo, scalar),
        fill_rate=scalar_out(fill, scalar),
        ready_rate=scalar_out(ready, scalar),
        expected_on_hand=scalar_out(on_hand, scalar),
        backorder_variance=scalar_out(vbo, scalar),
    )


def min_stock(demand_rate, resupply_time, fill_rate):
    """Smallest base stock ``S`` with ``P(Poisson(lambda T) <= S - 1) >= fill_rate``.

    Same assumptions as ``palm``. ``fill_rate`` in ``[0, 1)``; with no demand
    (``lambda T = 0``) the answer is 0. Arrays broadcast; returns an int (or
    an int64 array).

    Examples
    --------
    >>> min_stock(0.5, 10.0, 0.95)
    10
    """
    from scipy.stats import poisson  # here, not at the top: scipy.stats takes a second to import

    lam = nonnegative("demand_rate", demand_rate)
    time = nonnegative("resupply_time", resupply_time)
    target = probability("fill_rate", fill_rate, high_open=True)
    lam, time, target = np.broadcast_arrays(lam, time, target)
    m = lam * time
    out = np.zeros(m.shape, dtype=np.int64)
    for idx in np.ndindex(m.shape):
        mi, ti = float(m[idx]), float(target[idx])
        if mi == 0 or ti == 0:
            continue
        s = int(poisson.ppf(ti, mi)) + 1  # ppf: smallest k with P(X <= k) >= target
        while s > 0 and _fill(s - 1, mi) >= ti:
            s -= 1
        while _fill(s, mi) < ti:
            s += 1
        out[idx] = s
    return scalar_out(out, all_scalar(demand_rate, resupply_time, fill_rate))


def _fill(s: int, m: float) -> float:
    return float(pdtr(s - 1, m)) if s >= 1 else 0.0

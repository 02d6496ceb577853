"""How many servers a queue needs: exact search and the square-root rule.

``min_servers`` searches the exact Erlang C or Erlang A formulas for the
smallest number of servers on the queue that meets a target, then adds
shrinkage (breaks, training, absence) to give the rostered headcount.
``square_root_staffing`` is the Halfin-Whitt approximation
``c = a + beta sqrt(a)`` (Halfin & Whitt 1981), a closed-form first guess.

Rates are per the caller's time unit; ``t`` and mean-wait targets are in it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np
from scipy.optimize import brentq
from scipy.special import log_ndtr

from svcsim.analytic._args import all_scalar, nonnegative, positive, probability, scalar_out
from svcsim.analytic.erlang import erlang_c
from svcsim.analytic.erlang_a import SERVED_WITHIN, SERVICE_LEVEL_DEFINITIONS, erlang_a

__all__ = ["METRICS", "MODELS", "SquareRootStaffing", "StaffingResult", "min_servers",
           "square_root_staffing"]

#: Queue models ``min_servers`` knows.
MODELS: Final = ("erlang_c", "erlang_a")
#: Targets ``min_servers`` knows: a floor for ``service_level``, ceilings for the rest.
METRICS: Final = ("service_level", "mean_wait", "p_wait", "p_abandon")

_MAX_SERVERS = 10_000_000


@dataclass(frozen=True, eq=False)
class StaffingResult:
    """The smallest staffing that meets a target, with what it achieves.

    Scalars when every argument was a scalar, else numpy arrays.
    """

    servers: int | np.ndarray
    """Servers (agents) needed on the queue at every moment of the period."""
    headcount: int | np.ndarray
    """Rostered staff: ``ceil(servers / (1 - shrinkage))``."""
    achieved: float | np.ndarray
    """The metric's value at ``servers`` (meets ``target``)."""
    occupancy: float | np.ndarray
    """Share of time a server is busy at ``servers``."""
    model: str
    """``"erlang_c"`` or ``"erlang_a"``."""
    metric: str
    """``"service_level"``, ``"mean_wait"``, ``"p_wait"`` or ``"p_abandon"``."""
    target: float | np.ndarray
    """The target asked for."""
    t: float | np.ndarray | None
    """Service-level threshold (``None`` for other metrics)."""
    shrinkage: float | np.ndarray
    """Share of paid time not on the queue."""


@dataclass(frozen=True, eq=False)
class SquareRootStaffing:
    """Halfin-Whitt staffing ``c = ceil(a + beta sqrt(a))``."""

    servers: int | np.ndarray
    """Suggested servers, a warm start for ``min_servers``."""
    beta: float | np.ndarray
    """Quality-of-service parameter: safety staffing in units of ``sqrt(a)``."""
    offered_load: float | np.ndarray
    """``a = lambda / mu`` in erlangs."""


def _evaluate(model, lam, mu, c, theta, metric, t, definition):
    """(value, occupancy) of ``metric`` at ``c`` servers (scalar arguments)."""
    if model == "erlang_c":
        res = erlang_c(lam, mu, c)
        if metric == "service_level":
            value = res.service_level(t)
        elif metric == "p_abandon":
            value = 0.0
        else:
            value = getattr(res, metric)
    else:
        res = erlang_a(lam, mu, c, theta)
        value = res.service_level(t, definition) if metric == "service_level" else getattr(
            res, metric
        )
    return float(value), float(res.occupancy)


def _meets(value, occupancy, metric, target, max_occupancy):
    ok = value >= target if metric == "service_level" else value <= target
    return ok and (max_occupancy is None or occupancy <= max_occupancy)


def _search(model, lam, mu, theta, metric, target, t, definition, max_occupancy):
    """Smallest ``c`` that meets the target: doubling, then bisection."""
    a = lam / mu
    lo = math.floor(a) + 1 if model == "erlang_c" and (metric != "p_wait" or target < 1) else 0

    def check(c):
        value, occ = _evaluate(model, lam, mu, c, theta, metric, t, definition)
        return _meets(value, occ, metric, target, max_occupancy), value, occ

    ok, value, occ = check(lo)
    if ok:
        return lo, value, occ
    # lo fails; find a passing hi by doubling the safety margin
    step = max(1, math.ceil(math.sqrt(a)))
    hi = lo + step
    while True:
        ok, value, occ = check(hi)
        if ok:
            break
        lo, step = hi, 2 * step
        hi = lo + step
        if hi > _MAX_SERVERS:
            raise ValueError("target cannot be met with up to 10 million servers")
    best = (hi, value, occ)
    while hi - lo > 1:  # invariant: lo fails, hi meets
        mid = (lo + hi) // 2
        ok, value, occ = check(mid)
        if ok:
            hi, best = mid, (mid, value, occ)
        else:
            lo = mid
    return best


def min_servers(
    arrival_rate,
    service_rate,
    target,
    t=None,
    model: str = "erlang_c",
    abandon_rate=None,
    metric: str = "service_level",
    shrinkage=0.0,
    max_occupancy=None,
    *,
    definition: str = SERVED_WITHIN,
) -> StaffingResult:
    """Smallest number of servers meeting a target, and the headcount to roster.

    The metrics are monotone in the number of servers, so the search (a
    doubling from the stability bound, then bisection) returns the smallest
    ``c`` with

    * ``metric="service_level"``: ``service_level(t) >= target``,
    * ``metric="mean_wait"``: ``mean_wait <= target`` (time unit of the rates),
    * ``metric="p_wait"``: ``p_wait <= target``,
    * ``metric="p_abandon"``: ``p_abandon <= target`` (Erlang A),

    and, if ``max_occupancy`` is given, ``occupancy <= max_occupancy``. Erlang
    C staffing is always stable (``c > a``). ``headcount`` is
    ``ceil(c / (1 - shrinkage))``.

    Parameters
    ----------
    arrival_rate, service_rate:
        ``lambda >= 0`` and ``mu > 0`` per time unit.
    target:
        The bound on ``metric`` (a probability, or a time for ``mean_wait``).
    t:
        Service-level threshold, required with ``metric="service_level"``.
    model:
        ``"erlang_c"`` (no abandonment) or ``"erlang_a"`` (needs ``abandon_rate``).
    abandon_rate:
        ``theta > 0`` per time unit for Erlang A.
    shrinkage:
        Share of paid time off the queue, in ``[0, 1)``.
    max_occupancy:
        Optional cap on server occupancy, in ``(0, 1]``.
    definition:
        Erlang A service-level definition (``"served within t"``, the
        default, or ``"answered or abandoned within t"``).

    All numeric arguments broadcast; the search runs once per element.

    Examples
    --------
    >>> r = min_servers(100 / 30, 1 / 3, 0.8, t=20 / 60, shrinkage=0.3)
    >>> r.servers, r.headcount
    (14, 20)
    """
    if model not in MODELS:
        raise ValueError(f"model: expected one of {MODELS}, got {model!r}")
    if metric not in METRICS:
        raise ValueError(f"metric: expected one of {METRICS}, got {metric!r}")
    if definition not in SERVICE_LEVEL_DEFINITIONS:
        raise ValueError(f"definition: expected one of {SERVICE_LEVEL_DEFINITIONS}, got {definition!r}")
    if model == "erlang_a" and abandon_rate is None:
        raise ValueError("abandon_rate: required with model='erlang_a'")
    if model == "erlang_c" and abandon_rate is not None:
        raise ValueError("abandon_rate: only meaningful with model='erlang_a'")
    if metric == "p_abandon" and model != "erlang_a":
        raise ValueError("metric 'p_abandon' needs model='erlang_a'")
    if metric == "service_level" and t is None:
        raise ValueError("t: required with metric='service_level'")
    if metric != "service_level" and t is not None:
        raise ValueError("t: only meaningful with metric='service_level'")

    lam = nonnegative("arrival_rate", arrival_rate)
    mu = positive("service_rate", service_rate)
    if metric == "mean_wait":
        tgt = positive("target", target)
    elif metric == "service_level":
        tgt = probability("target", target, low_open=True, high_open=True)
    else:
        tgt = probability("target", target, low_open=True)
    tt = np.zeros(()) if t is None else nonnegative("t", t)
    theta = np.zeros(()) if abandon_rate is None else positive("abandon_rate", abandon_rate)
    shrink = probability("shrinkage", shrinkage, high_open=True)
    occ_cap = None if max_occupancy is None else probability(
        "max_occupancy", max_occupancy, low_open=True
    )
    occ_arr = np.full((), np.nan) if occ_cap is None else occ_cap
    arrays = np.broadcast_arrays(lam, mu, tgt, tt, theta, shrink, occ_arr)
    shape = arrays[0].shape
    servers = np.empty(shape, dtype=np.int64)
    achieved = np.empty(shape)
    occupancy = np.empty(shape)
    for idx in np.ndindex(shape):
        l_, m_, g_, t_, th_, _, oc_ = (float(arr[idx]) for arr in arrays)
        servers[idx], achieved[idx], occupancy[idx] = _search(
            model, l_, m_, th_, metric, g_, t_, definition, None if occ_cap is None else oc_
        )
    # (1 - 1e-12) keeps 8 / (1 - 0.2) = 10.000000000000002 at 10
    headcount = np.ceil(servers / (1.0 - arrays[5]) * (1.0 - 1e-12)).astype(np.int64)
    scalar = all_scalar(arrival_rate, service_rate, target, t, abandon_rate, shrinkage,
                        max_occupancy)
    return StaffingResult(
        servers=scalar_out(servers, scalar),
        headcount=scalar_out(headcount, scalar),
        achieved=scalar_out(achieved, scalar),
        occupancy=scalar_out(occupancy, scalar),
        model=model,
        metric=metric,
        target=scalar_out(tgt, np.ndim(target) == 0),
        t=None if t is None else scalar_out(tt, np.ndim(t) == 0),
        shrinkage=scalar_out(shrink, np.ndim(shrinkage) == 0),
    )


def _log_delay_probability(beta: float) -> float:
    """``log alpha(beta)``, ``alpha = 1 / (1 + beta Phi(beta) / phi(beta))``."""
    if beta <= 0:
        return 0.0
    log_phi = -0.5 * beta * beta - 0.5 * math.log(2 * math.pi)
    return -math.log1p(math.exp(math.log(beta) + float(log_ndtr(beta)) - log_phi))


def _beta_for(target: float, decay: float) -> float:
    """Solve ``1 - alpha(beta) exp(-beta * decay) = target`` for ``beta >= 0``."""
    goal = math.log1p(-target)

    def gap(beta: float) -> float:
        return _log_delay_probability(beta) - beta * decay - goal

    hi = 1.0
    while gap(hi) > 0:
        hi *= 2.0
    return brentq(gap, 0.0, hi, xtol=1e-14, rtol=1e-14)


def square_root_staffing(arrival_rate, service_rate, target, t) -> SquareRootStaffing:
    """Halfin-Whitt square-root staffing for a service-level target.

    In the Halfin-Whitt regime (Halfin & Whitt 1981) a queue staffed with
    ``c = a + beta sqrt(a)`` servers has ``P(wait) ~ alpha(beta) =
    [1 + beta Phi(beta) / phi(beta)]^-1`` and, since
    ``c mu - lambda = beta sqrt(a) mu``,
    ``P(wait <= t) ~ 1 - alpha(beta) exp(-beta sqrt(a) mu t)``. This solves that
    for ``beta`` and returns ``ceil(a + beta sqrt(a))``. An approximation of
    Erlang C: use it as the warm start it is, and ``min_servers`` for the
    answer (it is usually within a server or two of it).

    Parameters
    ----------
    arrival_rate, service_rate:
        ``lambda > 0`` and ``mu > 0`` per time unit.
    target:
        Service level in ``(0, 1)``.
    t:
        Threshold ``>= 0`` in the time unit of the rates.
    """
    lam = positive("arrival_rate", arrival_rate)
    mu = positive("service_rate", service_rate)
    tgt = probability("target", target, low_open=True, high_open=True)
    tt = nonnegative("t", t)
    lam, mu, tgt, tt = np.broadcast_arrays(lam, mu, tgt, tt)
    a = lam / mu
    beta = np.empty(a.shape)
    for idx in np.ndindex(a.shape):
        beta[idx] = _beta_for(float(tgt[idx]), float(np.sqrt(a[idx]) * mu[idx] * tt[idx]))
    servers = np.ceil(a + beta * np.sqrt(a)).astype(np.int64)
    scalar = all_scalar(arrival_rate, service_rate, target, t)
    return SquareRootStaffing(
        servers=scalar_out(servers, scalar),
        beta=scalar_out(beta, scalar),
        offered_load=scalar_out(a, scalar),
    )

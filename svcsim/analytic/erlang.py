"""Erlang B (M/M/c/c) and Erlang C (M/M/c): blocking and waiting.

Rates are per one time unit of the caller's choosing (say per hour): the
waiting times returned are in that unit, and the ``t`` of a service level is
too. The offered load is ``a = arrival_rate / service_rate`` erlangs.

Both are computed from the ratio ``R(a, c) = sum_{n<c} pi_n / pi_c`` of the
Poisson weights ``pi_n = a^n / n!``, by the recursion
``R_0 = 0, R_k = (k / a) (1 + R_{k-1})``: positive terms only, so it is stable
for thousands of servers, and no factorial is ever formed. Then
``B = 1 / (1 + R)`` (the classical ``B_k = a B_{k-1} / (k + a B_{k-1})``
rewritten) and ``C = 1 / (1 + (1 - a/c) R)``, which is ``c B / (c - a (1 - B))``
without its subtraction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from svcsim.analytic._args import all_scalar, counts, nonnegative, positive, scalar_out

__all__ = ["ErlangCResult", "erlang_b", "erlang_c", "idle_ratio", "idle_ratio_sequence"]


def idle_ratio_sequence(offered_load: float, max_servers: int) -> np.ndarray:
    """``R(a, k)`` for ``k = 0 .. max_servers`` (one offered load).

    ``R(a, k) = sum_{n<k} (a^n/n!) / (a^k/k!)``; infinite when ``a = 0 < k``
    or when it overflows (then the blocking and waiting probabilities are
    below the smallest float anyway).
    """
    seq = np.empty(max_servers + 1)
    seq[0] = 0.0
    if offered_load == 0:
        seq[1:] = np.inf
        return seq
    r = 0.0
    a = float(offered_load)
    for k in range(1, max_servers + 1):
        r = k / a * (1.0 + r)
        seq[k] = r
    return seq


def idle_ratio(offered_load, servers) -> np.ndarray:
    """``R(a, c) = sum_{n<c} pi_n / pi_c``, broadcast over both arguments."""
    a, c = np.broadcast_arrays(np.asarray(offered_load, dtype=float), np.asarray(servers))
    if a.size == 0:
        return np.zeros(a.shape)
    kmax = int(c.max())
    if np.all(a == a.flat[0]):
        return idle_ratio_sequence(float(a.flat[0]), kmax)[c]
    out = np.zeros(a.shape)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        for k in range(1, kmax + 1):  # same operations as the scalar path, bit for bit
            step = np.where(a > 0, k / a * (1.0 + out), np.inf)
            out = np.where(k <= c, step, out)
    return out


def erlang_b(offered_load, servers):
    """Blocking probability of the Erlang loss system M/M/c/c (Erlang B).

    ``B(c, a) = (a^c / c!) / sum_{n=0}^{c} a^n / n!``: the share of arrivals
    that find all ``c`` servers busy and are lost, for Poisson arrivals and any
    service-time distribution with mean ``1/mu`` (the formula is insensitive),
    with ``a = lambda / mu`` erlangs offered.

    Parameters
    ----------
    offered_load:
        ``a >= 0`` in erlangs (scalar or array).
    servers:
        ``c``, whole numbers ``>= 0`` (scalar or array; broadcast with ``a``).

    Returns
    -------
    float or numpy.ndarray
        ``B`` in ``[0, 1]``; ``B = 1`` for ``c = 0``.

    Examples
    --------
    >>> round(erlang_b(10.0, 17), 7)
    0.0129489
    """
    a = nonnegative("offered_load", offered_load)
    c = counts("servers", servers)
    with np.errstate(divide="ignore"):
        b = 1.0 / (1.0 + idle_ratio(a, c))
    return scalar_out(b, all_scalar(offered_load, servers))


@dataclass(frozen=True, eq=False)
class ErlangCResult:
    """Steady state of the M/M/c queue (Erlang C), one value per element.

    Scalars when every argument was a scalar, else numpy arrays of the
    broadcast shape. Times are in the unit the rates are per.
    """

    arrival_rate: float | np.ndarray
    """``lambda``, arrivals per time unit."""
    service_rate: float | np.ndarray
    """``mu``, completions per server per time unit (``1 / mean handle time``)."""
    servers: int | np.ndarray
    """``c``, servers (agents) on the queue."""
    offered_load: float | np.ndarray
    """``a = lambda / mu`` in erlangs."""
    stable: bool | np.ndarray
    """``a < c``. When false the queue grows without bound: ``p_wait = 1``,
    ``mean_wait = inf`` and every finite-``t`` service level is 0."""
    p_wait: float | np.ndarray
    """Probability that an arrival waits (finds all servers busy), ``C(c, a)``."""
    mean_wait: float | np.ndarray
    """Mean wait in queue over all arrivals, ``C / (c mu - lambda)``."""
    occupancy: float | np.ndarray
    """Share of time a server is busy, ``a / c`` (1 when unstable)."""

    def service_level(self, t):
        """``P(wait <= t) = 1 - C exp(-(c mu - lambda) t)`` (0 when unstable).

        ``t >= 0`` in the time unit of the rates; scalar or array (broadcast
        with the result's shape).
        """
        tt = nonnegative("t", t)
        lam = np.asarray(self.arrival_rate, dtype=float)
        decay = np.asarray(self.servers) * np.asarray(self.service_rate, dtype=float) - lam
        with np.errstate(invalid="ignore", over="ignore"):
            sl = np.where(self.stable, 1.0 - np.asarray(self.p_wait) * np.exp(-decay * tt), 0.0)
        return scalar_out(sl, all_scalar(self.p_wait, t))


def erlang_c(arrival_rate, service_rate, servers) -> ErlangCResult:
    """Waiting in the M/M/c queue with infinite patience (Erlang C).

    Poisson arrivals at rate ``lambda``, exponential service at rate ``mu``
    per server, ``c`` servers, first come first served, nobody leaves. With
    ``a = lambda / mu < c``:

    * ``P(wait) = C(c, a) = c B / (c - a (1 - B))`` (``B`` = Erlang B),
    * ``E[wait] = C / (c mu - lambda)``,
    * ``P(wait <= t) = 1 - C exp(-(c mu - lambda) t)``.

    For ``a >= c`` there is no steady state: ``p_wait = 1``,
    ``mean_wait = inf``, ``stable = False``.

    Parameters
    ----------
    arrival_rate:
        ``lambda >= 0`` per time unit.
    service_rate:
        ``mu > 0`` per time unit (one over the mean handle time).
    servers:
        ``c``, whole numbers ``>= 0``. All three broadcast.

    Examples
    --------
    100 calls per 30 minutes, 3-minute handle time, 14 agents, 20-second target
    (times in minutes):

    >>> r = erlang_c(100 / 30, 1 / 3, 14)
    >>> round(r.p_wait, 5), round(r.service_level(20 / 60), 5)
    (0.17413, 0.88835)
    """
    lam = nonnegative("arrival_rate", arrival_rate)
    mu = positive("service_rate", service_rate)
    c = counts("servers", servers)
    lam, mu, c = np.broadcast_arrays(lam, mu, c)
    a = lam / mu
    stable = a < c
    r = idle_ratio(a, c)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rho = np.where(stable, a / np.where(c > 0, c, 1), 1.0)
        p_wait = np.where(stable, 1.0 / (1.0 + (1.0 - rho) * r), 1.0)
        mean_wait = np.where(stable, p_wait / (c * mu - lam), np.inf)
    scalar = all_scalar(arrival_rate, service_rate, servers)
    return ErlangCResult(
        arrival_rate=scalar_out(lam, scalar),
        service_rate=scalar_out(mu, scalar),
        servers=scalar_out(c, scalar),
        offered_load=scalar_out(a, scalar),
        stable=scalar_out(stable, scalar),
        p_wait=scalar_out(p_wait, scalar),
        mean_wait=scalar_out(mean_wait, scalar),
        occupancy=scalar_out(rho, scalar),
    )

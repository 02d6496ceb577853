"""Erlang A (M/M/c+M): waiting with exponential patience.

Poisson arrivals at rate ``lambda``, ``c`` servers with exponential service at
rate ``mu``, first come first served, and each waiting customer abandons after
an exponential patience with rate ``theta`` (mean patience ``1/theta``).
Rates are per the caller's time unit; times come back in that unit.

Formulas (Palm 1946; Garnett, Mandelbaum & Reiman 2002; Mandelbaum & Zeltyn
2004, 2007). The number in system is a birth-death chain with
``pi_{c+j} / pi_c = t_j = x^j / ((y+1)(y+2)...(y+j))``, where ``x = lambda/theta``
and ``y = c mu / theta``. Put

* ``A = sum_{j>=0} t_j = 1F1(1; y+1; x) = Gamma(y+1) e^x x^-y P(y, x)``,
* ``R = sum_{n<c} pi_n / pi_c`` (the Erlang B ratio: ``B = 1/(1+R)``).

Then ``P(wait) = A / (R + A)``, ``E[queue] = P(wait) * E_t[j]`` with
``E_t[j] = (x - y) + y / A``, ``P(abandon) = theta E[queue] / lambda`` and the
mean wait over all arrivals is ``E[queue] / lambda`` (Little).

Waiting times. A customer who finds ``j`` others waiting would reach a server
after ``V``, a sum of exponentials with rates ``c mu + i theta``
(``i = j, ..., 0``); ``exp(-theta V)`` is then ``Beta(y, j+1)``, and summing
over ``j`` with the weights ``t_j`` gives, with ``z = exp(-theta t)``:

* ``P(V > t, wait) = P(wait) * G(t)``, ``G(t) = z^y e^{x(1-z)} F(y, xz) / F(y, x)``,
* ``P(served, wait, V > t) = P(wait) * H(t)``,
  ``H(t) = y/(y+1) z^{y+1} e^{x(1-z)} F(y+1, xz) / F(y, x)``,

where ``F(s, w) = 1F1(1; s+1; w)`` (so ``F(y, x) = A``). Patience is
independent of ``V``, so the actual wait is ``W = min(V, patience)`` and

* ``"served within t"``: ``P(served and W <= t) = 1 - P(abandon) - P(wait) H(t)``,
* ``"answered or abandoned within t"``: ``P(W <= t) = 1 - e^{-theta t} P(wait) G(t)``.

At ``theta = 0`` the model is Erlang C (both definitions coincide).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from scipy.special import expit

from svcsim.analytic._args import all_scalar, counts, nonnegative, positive, scalar_out
from svcsim.analytic._special import kummer
from svcsim.analytic.erlang import erlang_c, idle_ratio

__all__ = ["SERVICE_LEVEL_DEFINITIONS", "ErlangAResult", "erlang_a"]

SERVED_WITHIN: Final = "served within t"
ANSWERED_OR_ABANDONED_WITHIN: Final = "answered or abandoned within t"
#: The names ``ErlangAResult.service_level`` accepts as ``definition``.
SERVICE_LEVEL_DEFINITIONS: Final = (SERVED_WITHIN, ANSWERED_OR_ABANDONED_WITHIN)


@dataclass(frozen=True, eq=False)
class ErlangAResult:
    """Steady state of the M/M/c+M queue (Erlang A), one value per element.

    Scalars when every argument was a scalar, else numpy arrays of the
    broadcast shape. Times are in the unit the rates are per.
    """

    arrival_rate: float | np.ndarray
    """``lambda``, arrivals per time unit."""
    service_rate: float | np.ndarray
    """``mu``, completions per server per time unit."""
    servers: int | np.ndarray
    """``c``, servers (agents) on the queue."""
    abandon_rate: float | np.ndarray
    """``theta``, abandonment rate of a waiting customer (1 / mean patience)."""
    offered_load: float | np.ndarray
    """``a = lambda / mu`` in erlangs."""
    p_wait: float | np.ndarray
    """Probability that an arrival finds all servers busy and has to wait."""
    p_abandon: float | np.ndarray
    """Probability that an arrival abandons before service."""
    mean_wait: float | np.ndarray
    """Mean time in queue over all arrivals: zero for those served at once,
    the time to abandonment for those who abandon (``E[queue] / lambda``).
    It equals ``p_abandon / theta``. Infinite only for ``theta = 0, a >= c``."""
    occupancy: float | np.ndarray
    """Share of time a server is busy, ``lambda (1 - p_abandon) / (c mu)``."""

    def service_level(self, t, definition: str = SERVED_WITHIN):
        """Service level at ``t`` (time unit of the rates) under ``definition``.

        ``"served within t"`` (default): ``P(served and wait <= t)``; an
        abandoner never meets the target, even one who left early.
        ``"answered or abandoned within t"``: ``P(wait <= t)``; a caller who
        abandoned within ``t`` counts as met (the "short abandons" reading).
        See the module docstring for the formulas.
        """
        if definition not in SERVICE_LEVEL_DEFINITIONS:
            raise ValueError(
                f"definition: expected one of {SERVICE_LEVEL_DEFINITIONS}, got {definition!r}"
            )
        tt = nonnegative("t", t)
        lam, mu, c, theta, tt, p_wait, p_ab = np.broadcast_arrays(
            *(np.asarray(v, dtype=float) for v in (
                self.arrival_rate, self.service_rate, self.servers, self.abandon_rate,
                tt, self.p_wait, self.p_abandon,
            ))
        )
        out = np.empty(lam.shape)
        zero = theta == 0
        if zero.any():
            res = erlang_c(lam[zero], mu[zero], c[zero].astype(np.int64))
            out[zero] = res.service_level(tt[zero])
        pos = ~zero
        if pos.any():
            out[pos] = _service_level_abandon(
                lam[pos], mu[pos], c[pos], theta[pos], tt[pos], p_wait[pos], p_ab[pos],
                definition,
            )
        return scalar_out(np.clip(out, 0.0, 1.0), all_scalar(self.p_wait, t))


def _log_p_ratio(num, den, log_prefactor_ratio):
    """``log[P(num) / P(den)]`` for two ``kummer`` results, whichever is more exact.

    ``log_prefactor_ratio`` is ``L(den) - L(num)`` worked out by hand (it is
    moderate even when both ``L`` are huge). Where both came from ``gammainc``
    the logs of ``P`` are divided directly; where both came from the series the
    hand-made prefactor ratio joins the two ``log F``; mixed cases use the
    stored ``log P`` (then the ratio is small and its absolute error tiny).
    """
    both_series = ~num.by_gamma & ~den.by_gamma
    via_series = log_prefactor_ratio + num.log_f - den.log_f
    return np.where(both_series, via_series, num.log_p - den.log_p)


def _service_level_abandon(lam, mu, c, theta, t, p_wait, p_ab, definition):
    """The two service levels for ``theta > 0`` (formulas in the module docstring).

    ``G = P(y, xz) / P(y, x)`` and ``H = (y / x) P(y+1, xz) / P(y, x)`` with
    ``P`` the regularized lower incomplete gamma function.
    """
    x = lam / theta
    y = c * mu / theta
    z = np.exp(-theta * t)
    # x (1 - z) written so that it tends to lambda t as theta -> 0
    x_gone = lam * (-np.expm1(-theta * t)) / theta
    den = kummer(y, x)
    with np.errstate(divide="ignore", invalid="ignore"):
        if definition == ANSWERED_OR_ABANDONED_WITHIN:
            num = kummer(y, x * z)
            g = np.exp(_log_p_ratio(num, den, -c * mu * t + x_gone))
            g = np.where(x > 0, g, 1.0)  # no arrivals: nothing waits anyway
            return 1.0 - np.exp(-theta * t) * p_wait * g
        num = kummer(y + 1.0, x * z)
        # L(y, x) - L(y+1, xz) = log(x / (y+1)) + (y+1) log z + x (1 - z)
        log_h = np.log(y) - np.log(x) + _log_p_ratio(
            num, den, np.log(x / (y + 1.0)) - (c * mu + theta) * t + x_gone
        )
        h = np.where((x > 0) & (y > 0), np.exp(log_h), 0.0)
    return 1.0 - p_ab - p_wait * h


def erlang_a(arrival_rate, service_rate, servers, abandon_rate) -> ErlangAResult:
    """Waiting and abandonment in the M/M/c+M queue (Erlang A, Palm's model).

    Exact formulas (see the module docstring): ``P(wait) = A / (R + A)`` with
    ``A = 1F1(1; c mu/theta + 1; lambda/theta)`` evaluated in log space
    (direct series where it converges fast, the regularized incomplete gamma
    function elsewhere), so hundreds or thousands of servers and tiny
    abandonment rates are fine. The system is stable for every load when
    ``theta > 0``; ``theta = 0`` gives Erlang C.

    Parameters
    ----------
    arrival_rate:
        ``lambda >= 0`` per time unit.
    service_rate:
        ``mu > 0`` per time unit.
    servers:
        ``c``, whole numbers ``>= 0``.
    abandon_rate:
        ``theta >= 0`` per time unit (1 / mean patience). All four broadcast.

    Examples
    --------
    With ``theta = mu`` the number in system is Poisson(a), so
    ``P(wait) = P(Poisson(a) >= c)``:

    >>> from scipy.stats import poisson
    >>> r = erlang_a(10.0, 1.0, 12, 1.0)
    >>> print(f"{r.p_wait:.12f} {poisson.sf(11, 10.0):.12f}")
    0.303223853697 0.303223853697
    """
    lam = nonnegative("arrival_rate", arrival_rate)
    mu = positive("service_rate", service_rate)
    c = counts("servers", servers)
    theta = nonnegative("abandon_rate", abandon_rate)
    lam, mu, c, theta = np.broadcast_arrays(lam, mu, c, theta)
    a = lam / mu
    p_wait = np.empty(a.shape)
    p_ab = np.zeros(a.shape)
    mean_wait = np.empty(a.shape)

    zero = theta == 0
    if zero.any():
        res = erlang_c(lam[zero], mu[zero], c[zero])
        p_wait[zero] = res.p_wait
        mean_wait[zero] = res.mean_wait
    pos = ~zero
    if pos.any():
        lp, mp, cp, tp = lam[pos], mu[pos], c[pos], theta[pos]
        x = lp / tp
        y = cp * mp / tp
        k = kummer(y, x)
        log_a, mean_j = k.log_f, k.mean
        with np.errstate(divide="ignore"):
            log_r = np.log(idle_ratio(a[pos], cp))
        pw = expit(log_a - log_r)  # A / (R + A)
        queue = pw * mean_j
        p_wait[pos] = pw
        with np.errstate(invalid="ignore", divide="ignore"):
            p_ab[pos] = np.where(lp > 0, tp * queue / np.where(lp > 0, lp, 1.0), 0.0)
            mean_wait[pos] = np.where(lp > 0, queue / np.where(lp > 0, lp, 1.0), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        occupancy = np.where(c > 0, a * (1.0 - p_ab) / np.where(c > 0, c, 1), 0.0)
    occupancy = np.where(zero & (a >= c), 1.0, occupancy)
    scalar = all_scalar(arrival_rate, service_rate, servers, abandon_rate)
    return ErlangAResult(
        arrival_rate=scalar_out(lam, scalar),
        service_rate=scalar_out(mu, scalar),
        servers=scalar_out(c, scalar),
        abandon_rate=scalar_out(theta, scalar),
        offered_load=scalar_out(a, scalar),
        p_wait=scalar_out(p_wait, scalar),
        p_abandon=scalar_out(np.clip(p_ab, 0.0, 1.0), scalar),
        mean_wait=scalar_out(mean_wait, scalar),
        occupancy=scalar_out(np.clip(occupancy, 0.0, 1.0), scalar),
    )

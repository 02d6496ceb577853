"""Numerical kernels shared by the queueing and inventory formulas (private).

Two quantities carry all the exact formulas of this subpackage:

* ``log_poisson_pmf(k, m)``: ``log P(Poisson(m) = k)``, computed from
  Stirling's series so that the two large terms ``k log m`` and ``m`` never
  meet (relative error ~1e-15 even for ``k, m`` in the millions).
* ``kummer(s, w)``: the series ``F(s, w) = sum_{j>=0} w^j / ((s+1)...(s+j))``,
  which is Kummer's function ``1F1(1; s+1; w)``, in log space, with the
  first two moments of ``j`` under the weights ``t_j = w^j / ((s+1)...(s+j))``.
  In Erlang A the weights are ``pi_{c+j} / pi_c`` (``s = c mu / theta``,
  ``w = lambda / theta``); in Palm's theorem they are ``p(S+j) / p(S)``
  (``s = S``, ``w = m``).

``F`` is summed directly (all terms positive and decreasing) where the series
converges quickly, and otherwise taken from the regularized incomplete gamma
function through the identity ``F(s, w) = Gamma(s+1) e^w w^-s P(s, w)``
(``P = scipy.special.gammainc``). scipy's ``gammainc`` loses accuracy in its
uniform asymptotic expansion for ``s`` in the millions and ``w`` more than
about 4.5 standard deviations below ``s`` (measured against mpmath), so the
switch to the series happens at ``w < s - 3 sqrt(s)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from scipy.special import gammainc, gammaln

__all__ = ["Kummer", "kummer", "log_kummer_prefactor", "log_poisson_pmf", "positive_series"]

_HALF_LOG_2PI = 0.5 * np.log(2.0 * np.pi)
_STIRLING_MIN = 15.0
_CHUNK = 256
_TAIL_TOL = 1e-17


def _d_minus_log1p_d(d: np.ndarray) -> np.ndarray:
    """``d - log(1 + d)`` for ``d > -1``, without cancellation near 0."""
    out = np.empty_like(d)
    small = np.abs(d) < 0.5
    ds = d[small]
    # sum_{k>=2} (-d)^k / k, Horner from the 60th term (0.5^60 < 1e-18)
    acc = np.zeros_like(ds)
    for k in range(60, 1, -1):
        acc = acc * (-ds) + 1.0 / k
    out[small] = acc * ds * ds
    dl = d[~small]
    with np.errstate(divide="ignore"):  # d = -1 (w = 0 or underflowed): +inf, pmf 0
        out[~small] = dl - np.log1p(dl)
    return out


def log_kummer_prefactor(s: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``L(s, w) = log Gamma(s+1) - s log w + w`` (``s >= 0``, ``w > 0``).

    ``exp(-L(k, m))`` is the Poisson probability of ``k``. For ``s >= 15`` the
    form ``s (d - log1p d) + log sqrt(2 pi s) + stirling(s)``, ``d = w/s - 1``,
    keeps the relative error at rounding level where ``s log w`` and ``w``
    would cancel.
    """
    s, w = np.broadcast_arrays(np.asarray(s, dtype=float), np.asarray(w, dtype=float))
    out = np.empty(s.shape)
    big = s >= _STIRLING_MIN
    sb, wb = s[big], w[big]
    inv = 1.0 / sb
    inv2 = inv * inv
    corr = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))))
    out[big] = sb * _d_minus_log1p_d(wb / sb - 1.0) + _HALF_LOG_2PI + 0.5 * np.log(sb) + corr
    ss, ws = s[~big], w[~big]
    with np.errstate(divide="ignore", invalid="ignore"):
        out[~big] = gammaln(ss + 1.0) - np.where(ss == 0, 0.0, ss * np.log(ws)) + ws
    return out


def log_poisson_pmf(k: np.ndarray, m: np.ndarray) -> np.ndarray:
    """``log P(Poisson(m) = k)`` for integers ``k >= 0`` and ``m >= 0``."""
    k, m = np.broadcast_arrays(np.asarray(k, dtype=float), np.asarray(m, dtype=float))
    out = np.full(k.shape, -np.inf)
    zero = m == 0
    out[zero & (k == 0)] = 0.0
    pos = ~zero
    out[pos] = -log_kummer_prefactor(k[pos], m[pos])
    return out


def positive_series(
    ratio: Callable[[np.ndarray, np.ndarray], np.ndarray], n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(log sum t_j, E[j], E[j^2])`` for ``t_0 = 1``, ``t_j = t_{j-1} ratio_j``.

    ``ratio(rows, js)`` gives the ratios ``t_j / t_{j-1}`` of the series
    ``rows`` (indices into ``n`` independent series) at the terms ``js``
    (a row vector); from the first term on they must lie in ``[0, 1)`` and
    never increase, which makes the stopping rule (a geometric bound on the
    tail of ``sum j^2 t_j``) rigorous. All terms are positive: no cancellation.
    """
    f = np.ones(n)
    m1 = np.zeros(n)
    m2 = np.zeros(n)
    last = np.ones(n)
    active = np.arange(n)
    start = 0
    while active.size:
        js = np.arange(start + 1, start + _CHUNK + 1, dtype=float)
        ratios = ratio(active, js[None, :])
        terms = last[active, None] * np.cumprod(ratios, axis=1)
        f[active] += terms.sum(axis=1)
        m1[active] += terms @ js
        m2[active] += terms @ (js * js)
        last[active] = terms[:, -1]
        r = ratios[:, -1]
        tail0 = last[active] * r / (1.0 - r)
        tail2 = tail0 * (js[-1] + 2.0 / (1.0 - r)) ** 2
        done = (tail0 <= _TAIL_TOL * f[active]) & (
            tail2 <= _TAIL_TOL * np.maximum(m2[active], 1e-300)
        )
        done |= last[active] == 0.0
        active = active[~done]
        start += _CHUNK
    return np.log(f), m1 / f, m2 / f


class Kummer(NamedTuple):
    """``F(s, w)`` in log space, the moments of its weights, and ``log P(s, w)``."""

    log_f: np.ndarray
    """``log F``, ``F = sum_j t_j``."""
    mean: np.ndarray
    """``sum_j j t_j / F``."""
    second: np.ndarray
    """``sum_j j^2 t_j / F``."""
    log_p: np.ndarray
    """``log P(s, w)``, the regularized lower incomplete gamma function
    (``= log F - L(s, w)``), taken straight from ``gammainc`` where that is
    used, so ratios of two such values need no large prefactor."""
    by_gamma: np.ndarray
    """True where ``gammainc`` was used (else the direct series)."""


def kummer(s, w) -> Kummer:
    """``F(s, w)`` and friends for the weights ``t_j = w^j / ((s+1)...(s+j))``.

    Arrays broadcast; ``s >= 0``, ``w >= 0``.
    """
    s, w = np.broadcast_arrays(np.asarray(s, dtype=float), np.asarray(w, dtype=float))
    shape = s.shape
    s, w = s.ravel(), w.ravel()
    log_f = np.zeros(s.size)
    m1 = np.zeros(s.size)
    m2 = np.zeros(s.size)
    log_p = np.where(s == 0, 0.0, -np.inf)  # P(0, w) = 1; P(s, 0) = 0

    pure = (s == 0) & (w > 0)  # t_j = w^j / j!: Poisson weights
    log_f[pure] = w[pure]
    m1[pure] = w[pure]
    m2[pure] = w[pure] * (w[pure] + 1.0)

    rest = (s > 0) & (w > 0)
    series = rest & ((w < s - 3.0 * np.sqrt(s)) | (w <= 0.5 * s))
    gamma = rest & ~series
    if series.any():
        ss, ws = s[series], w[series]
        log_f[series], m1[series], m2[series] = positive_series(
            lambda rows, js: ws[rows, None] / (ss[rows, None] + js), ss.size
        )
        log_p[series] = log_f[series] - log_kummer_prefactor(ss, ws)
    if gamma.any():
        sg, wg = s[gamma], w[gamma]
        lp = np.log(gammainc(sg, wg))
        lf = log_kummer_prefactor(sg, wg) + lp
        e1 = (wg - sg) + sg * np.exp(-lf)
        log_f[gamma] = lf
        log_p[gamma] = lp
        m1[gamma] = e1
        m2[gamma] = (wg - sg) * e1 + wg
    return Kummer(*(x.reshape(shape) for x in (log_f, m1, m2, log_p)), gamma.reshape(shape))

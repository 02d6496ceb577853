"""Ageing of items at the vendor: how many are out longer than ``d`` days.

Defective parts go to the vendor as a Poisson stream at rate ``lambda`` and
each stays an independent turnaround time ``R`` (any distribution). The items
at the vendor form an M/G/infinity system, and the number that have been
there longer than ``d`` is Poisson with mean

    lambda * integral_d^inf P(R > r) dr = lambda * E[(R - d)+]

(an item sent ``r`` ago is still there with probability ``P(R > r)``; Takacs
1962, or Palm's theorem restricted to ages above ``d``). At ``d = 0`` this is
Palm's pipeline ``lambda E[R]``. It is the expected length of the
"older than 3/7/15/30 days" follow-up lists of the vendor loop.
"""

from __future__ import annotations

import math

import numpy as np

from svcsim.analytic._args import all_scalar, nonnegative, scalar_out

__all__ = ["vendor_aging"]

_QUAD = {"epsabs": 0.0, "epsrel": 1e-12, "limit": 500}


def _excess_discrete(dist, d: float) -> float:
    """``E[(R - d)+]`` for a discrete ``R``: a sum over its support."""
    if not math.isfinite(d):
        return 0.0
    return float(dist.expect(lambda k: np.maximum(k - d, 0.0)))


def _excess_continuous(dist, d: float, median: float, mean: float) -> float:
    """``E[(R - d)+]`` for a continuous ``R``, integrating the tail on the smaller side."""
    from scipy import integrate

    lo, hi = dist.support()
    if d >= hi:
        return 0.0
    if d >= median:  # integral_d^hi sf: small, and no cancellation
        return integrate.quad(dist.sf, d, hi, **_QUAD)[0]
    if d <= lo:
        return mean - d
    # E[(R - d)+] = E[R] - d + E[(d - R)+] = E[R] - d + integral_lo^d cdf
    return mean - d + integrate.quad(dist.cdf, lo, d, **_QUAD)[0]


def vendor_aging(rate, turnaround, days):
    """Expected number of items at the vendor for longer than each ``d``.

    ``lambda * E[(R - d)+]`` (module docstring), for a Poisson flow of items at
    ``rate`` and turnaround ``R`` drawn from ``turnaround``.

    Parameters
    ----------
    rate:
        ``lambda >= 0``, items sent per time unit (a scalar).
    turnaround:
        A frozen ``scipy.stats`` distribution of the turnaround time in the
        same unit, continuous or discrete, with a finite mean, e.g.
        ``scipy.stats.gamma(a=4, scale=5)``; ``scipy.stats.randint(30, 31)``
        for a deterministic 30, or an empirical
        ``scipy.stats.rv_discrete(values=(days, probabilities))``.
    days:
        Ages ``d`` (scalar or array) in the same unit. The time unit need not
        be days; the name follows the vendor follow-ups it serves.

    Returns
    -------
    float or numpy.ndarray
        Expected counts, the shape of ``days``.

    Examples
    --------
    >>> from scipy.stats import expon
    >>> vendor_aging(2.0, expon(scale=10.0), [0.0, 10.0]).round(4).tolist()
    [20.0, 7.3576]
    """
    from scipy import stats  # here, not at the top: scipy.stats takes a second to import

    lam = float(nonnegative("rate", rate))
    d = np.asarray(days, dtype=float)
    if np.isnan(d).any():
        raise ValueError("days: expected numbers, got NaN")
    family = getattr(turnaround, "dist", turnaround)
    discrete = isinstance(family, stats.rv_discrete)
    if not (discrete or isinstance(family, stats.rv_continuous)):
        raise ValueError(
            f"turnaround: expected a frozen scipy.stats distribution, got {turnaround!r}"
        )
    with np.errstate(all="ignore"):  # scipy's moment code may divide by zero (randint)
        mean = float(turnaround.mean())
        median = float(turnaround.median())
    if not math.isfinite(mean):
        raise ValueError("turnaround: expected a distribution with a finite mean")
    out = np.empty(d.shape)
    for idx in np.ndindex(d.shape):
        di = float(d[idx])
        if discrete:
            out[idx] = _excess_discrete(turnaround, di)
        else:
            out[idx] = _excess_continuous(turnaround, di, median, mean)
    return scalar_out(lam * np.maximum(out, 0.0), all_scalar(days))

"""How well a fitted duration fits: its KS distance from the Kaplan-Meier estimate, and the empirical fallback.

The Kaplan-Meier estimate (``scipy.stats.ecdf`` of a ``CensoredData``, by its arithmetic) is
the distribution function the data tell without a family: with no
censoring it is the empirical CDF. The fit statistic is the largest gap
between the fitted CDF and it, on both sides of each of its steps, over
the range it reaches (up to the largest value; past the last event it is
flat, and with censoring it stops below 1).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["KaplanMeier", "kaplan_meier", "ks_distance", "km_quantiles"]


class KaplanMeier:
    """The Kaplan-Meier CDF as steps: ``cdf[i]`` is its value from ``times[i]`` on (0 before ``times[0]``)."""

    __slots__ = ("times", "cdf")

    def __init__(self, times: np.ndarray, cdf: np.ndarray) -> None:
        self.times, self.cdf = times, cdf

    @property
    def reached(self) -> float:
        """The largest probability the estimate reaches (below 1 when the largest values are censored)."""
        return float(self.cdf[-1])

    def median(self) -> float | None:
        """The value at probability 1/2, interpolated as in :func:`km_quantiles`; None if never reached."""
        if self.reached < 0.5:
            return None
        points_p, points_t = self._curve()
        return float(np.interp(0.5, points_p, points_t))

    def _curve(self) -> tuple[np.ndarray, np.ndarray]:
        """Points (probability, time) to interpolate: each step's time at the middle of its rise, from its ends.

        Without censoring this is the sample's quantiles at ``(i - 1/2) / n``
        (Hazen's), so the median of an even count is the midpoint of the
        middle two values.
        """
        rises = np.concatenate(([True], np.diff(self.cdf) > 0)) & (self.cdf > 0)
        times, cdf = self.times[rises], self.cdf[rises]
        middles = (np.concatenate(([0.0], cdf[:-1])) + cdf) / 2.0
        return (np.concatenate(([0.0], middles, [cdf[-1]])),
                np.concatenate(([times[0]], times, [times[-1]])))


def kaplan_meier(obs: np.ndarray, cens: np.ndarray) -> KaplanMeier:
    """The Kaplan-Meier estimate of observed values ``obs`` with right-censored ``cens``.

    The arithmetic of ``scipy.stats.ecdf`` (of a ``CensoredData`` when
    something is censored), step for step, so the result is the same to the
    bit (tests/fitting holds it); without scipy's result objects, which cost
    more than the estimate on the bootstrap's 2,000 values.
    """
    obs, cens = np.asarray(obs, float), np.asarray(cens, float)
    if not len(cens):
        x, counts = np.unique(np.sort(obs), return_counts=True)
        return KaplanMeier(x, np.cumsum(counts) / obs.size)
    times = np.concatenate((obs, cens))
    died = np.concatenate((np.ones(obs.size, dtype=int), np.zeros(cens.size, dtype=int)))
    order = np.argsort(times)
    times, died = times[order], died[order]
    at_risk = np.arange(times.size, 0, -1)
    unique = np.diff(times, prepend=-np.inf, append=np.inf) > 0
    first, last = unique[:-1], unique[1:]
    n = at_risk[first]
    deaths = np.diff(np.cumsum(died)[last], prepend=0)
    return KaplanMeier(times[first], 1 - np.cumprod((n - deaths) / n))


def ks_distance(cdf: Any, km: KaplanMeier) -> float:
    """``sup |F(t) - KM(t)|`` over the steps of ``km``, each compared before and after it."""
    fitted = np.asarray(cdf(km.times), float)
    before = np.concatenate(([0.0], km.cdf[:-1]))
    return float(max(np.abs(fitted - km.cdf).max(), np.abs(fitted - before).max()))


def km_quantiles(km: KaplanMeier, largest: float, intervals: int) -> list[float]:
    """The values at probabilities ``0, 1/k, ..., 1`` of ``km`` (k = ``intervals``), linear between its steps' middles.

    Probabilities beyond what the estimate reaches (the mass of the items
    still out after its last event) are given ``largest``, the largest value
    seen, censored or not. That is a lower bound of those durations, so the
    tail is cut short and the mean biased low, the more so the more the
    estimate falls short of 1.
    """
    levels = np.arange(intervals + 1) / intervals
    points_p, points_t = km._curve()
    values = np.interp(levels, points_p, points_t)
    values[levels > km.reached + 1e-12] = largest
    return np.maximum.accumulate(values).tolist()

"""One duration fitted from observations, some of them right-censored.

:func:`fit_duration` models a duration of the log (a handle time, a
supplier turnaround...) as one of a few families, loc fixed at 0, fitted
by maximum likelihood with right-censoring: an item still open at the end
of the log counts by its survival, not as if it had ended
(:mod:`svcsim.fitting.likelihood`). The family is the one of least AIC
that fits; "fits" means its KS distance from the Kaplan-Meier estimate is
at most :func:`fallback_threshold` (:mod:`svcsim.fitting.goodness`). When
none does, the duration is the empirical distribution of the data
(``{ dist = "empirical", quantiles = [...] }``, Kaplan-Meier quantiles,
with the mass past the largest event placed at the largest value: a low
bias, documented in :func:`~svcsim.fitting.goodness.km_quantiles`).

Cost is capped so that a million values fit in about a second: the family
choice, the AICs and the KS distances rest on a seeded random subsample
of at most ``fit_size`` values (observed and censored values drawn in
their proportion); the chosen family is then refit on all values when it
has a closed form (expon, uncensored lognorm) and on at most
``refit_size`` otherwise; the bootstrap resamples ``bootstrap_size``
values. ``n_fit``, ``n_refit`` and ``notes`` of the result say what was
done. The docs: docs/reference/fit.md, "Durations".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from svcsim.errors import InputError
from svcsim.fitting.goodness import KaplanMeier, kaplan_meier, km_quantiles, ks_distance
from svcsim.fitting.likelihood import N_PARAMS, Sample, log_likelihood, median_of, mle

__all__ = ["FAMILIES", "FittedDuration", "MIN_OBSERVED", "NotEnoughData", "fallback_threshold", "fit_duration"]

#: The families tried, in the order of the report.
FAMILIES: tuple[str, ...] = ("expon", "lognorm", "gamma", "weibull_min")

#: Fewer observed (uncensored) values than this: :class:`NotEnoughData`.
MIN_OBSERVED = 10
#: Values the family choice rests on, at most (a seeded subsample beyond).
FIT_SIZE = 20_000
#: Values the chosen family's parameters are refit on, at most, when it has no closed form.
REFIT_SIZE = 200_000
#: Values in each bootstrap resample, at most (m-out-of-n beyond; see :func:`fit_duration`).
BOOTSTRAP_SIZE = 2_000
#: Values the p-value's parametric bootstrap rests on, at most, and its resamples.
P_VALUE_SIZE, P_VALUE_RESAMPLES = 500, 99
#: The fallback criterion: a KS distance above ``max(FLOOR, COEFFICIENT / sqrt(n_observed))``.
FALLBACK_FLOOR, FALLBACK_COEFFICIENT = 0.03, 1.63
#: Intervals of an empirical fallback (its quantiles are ``k + 1`` values), at most.
EMPIRICAL_INTERVALS = 100
#: Observed values a subsample keeps at least (it grows beyond its cap when the data are mostly censored).
_SUBSAMPLE_OBSERVED = 200


class NotEnoughData(InputError):
    """Fewer than :data:`MIN_OBSERVED` observed values: the caller takes the parameter from the template, with a warning."""


@dataclass(frozen=True)
class FittedDuration:
    """A fitted duration: the family chosen, its parameters, and how well and on what it rests.

    ``params`` are the keyword arguments of ``scipy.stats.<family>`` (``loc``
    is 0 and left out), or for ``empirical`` those of the scenario's
    empirical distribution. Units are the caller's (minutes or days).
    ``aic`` and ``candidates`` (the AIC of every family tried) and
    ``statistic`` and ``distances`` (KS distances from Kaplan-Meier) are
    computed on the ``n_fit`` values of the fit subsample; the final
    ``params`` rest on ``n_refit`` values. ``p_value`` is None with
    censoring and for the empirical fallback (see :func:`fit_duration`).
    """

    family: str
    params: dict[str, Any]
    n_observed: int
    n_censored: int
    aic: float | None
    statistic: float | None          # goodness of fit: KS distance of the fitted CDF from the (Kaplan-Meier) estimate
    p_value: float | None
    median: float
    median_interval: tuple[float, float] | None
    fallback_reason: str | None = None
    candidates: dict[str, float] = field(default_factory=dict)   # family -> AIC of every family tried
    param_intervals: dict[str, tuple[float, float]] = field(default_factory=dict)
    distances: dict[str, float] = field(default_factory=dict)    # family -> KS distance of every family tried
    threshold: float | None = None   # the KS distance above which a family does not fit
    n_fit: int = 0
    n_refit: int = 0
    notes: tuple[str, ...] = ()

    def dist(self) -> dict[str, Any]:
        """The scenario table: ``{"dist": family, **params}``."""
        return {"dist": self.family, **self.params}


def fallback_threshold(n_observed: int) -> float:
    """The KS distance above which a family does not fit: ``max(0.03, 1.63 / sqrt(n))``.

    ``1.63 / sqrt(n)`` is the 1 % critical value of the KS test with known
    parameters (with fitted ones the true one is smaller, so this rejects
    less); the floor keeps a family whose CDF is within 3 points of the data
    everywhere, close enough for a simulation, however large the log.
    """
    return max(FALLBACK_FLOOR, FALLBACK_COEFFICIENT / math.sqrt(max(n_observed, 1)))


def fit_duration(values: Any, censored: Any = None, *, families: tuple[str, ...] = FAMILIES,
                 bootstrap: int = 200, seed: int = 0, fit_size: int = FIT_SIZE, refit_size: int = REFIT_SIZE,
                 bootstrap_size: int = BOOTSTRAP_SIZE, p_value_resamples: int = P_VALUE_RESAMPLES) -> FittedDuration:
    """Fit ``values`` (>= 0; ``censored[i]`` True when ``values[i]`` is only a lower bound).

    Zeros (events recorded at the same instant) are replaced by half the
    smallest positive value, and the result's ``notes`` say how many. Every
    random choice (subsamples, bootstrap) comes from
    ``numpy.random.default_rng(seed)``: the result is the same for a seed.

    - **Fit**: every family of ``families`` by censored maximum likelihood
      on the fit subsample; the chosen one is the least-AIC family whose KS
      distance is at most :func:`fallback_threshold` of the subsample's
      observed count, else the empirical distribution (``fallback_reason``
      says why).
    - **p-value**: without censoring, a parametric bootstrap of the KS
      statistic with the parameters refit on each resample (Lilliefors'
      test), on a subsample of at most ``P_VALUE_SIZE`` values with
      ``p_value_resamples`` resamples (0: no p-value). It tests the family
      at that size, not at ``n``. None with censoring: a parametric
      bootstrap would need the censoring times of the observed items, which
      a log does not give.
    - **Intervals**: ``bootstrap`` resamples of (value, censored) pairs
      with replacement, the chosen family refit on each (:func:`_resample`); 95 % percentile intervals of the median and of each parameter.
      When a resample holds ``m < n`` values the deviations from the
      estimate are scaled by ``sqrt(m / n)`` (an m-out-of-n bootstrap), so
      the interval is the one of ``n`` values. For the empirical fallback,
      the interval of the Kaplan-Meier median (None if resamples do not
      reach 1/2). ``bootstrap`` below 2: no intervals.

    Raises :class:`NotEnoughData` with fewer than :data:`MIN_OBSERVED`
    observed values, :class:`~svcsim.errors.InputError` for negative or
    non-finite values.
    """
    x, c, notes = _checked(values, censored)
    n, n_obs = len(x), int((~c).sum())
    if n_obs < MIN_OBSERVED:
        raise NotEnoughData(f"{n_obs} observed value{'s' if n_obs != 1 else ''} ({int(c.sum())} censored)",
                            expected=f"at least {MIN_OBSERVED} observed values to fit a duration")
    rng = np.random.default_rng(seed)
    obs_at, cens_at = np.flatnonzero(~c), np.flatnonzero(c)
    sample = _subsample(rng, x, obs_at, cens_at, fit_size)
    n_fit = len(sample.obs) + len(sample.cens)
    if n_fit < n:
        notes.append(f"family chosen on a random subsample of {n_fit} of {n} values")
    km = kaplan_meier(sample.obs, sample.cens)
    threshold = fallback_threshold(len(sample.obs))
    if np.ptp(sample.obs) == 0:
        return _empirical(x, c, km, sample, rng, bootstrap, bootstrap_size, {}, {}, threshold, notes,
                          f"all observed values are equal ({sample.obs[0]:g}): no family to fit")
    fits, aics, distances = _candidates(families, sample, km)
    order = sorted(aics, key=aics.__getitem__)
    chosen = next((f for f in order if distances[f] <= threshold), None)
    if chosen is None:
        best = min(distances, key=distances.__getitem__) if distances else None
        reason = ("no family could be fitted" if best is None else
                  f"no family fits: the closest, {best}, is {distances[best]:.3f} from the Kaplan-Meier estimate, "
                  f"above the threshold {threshold:.3f} for {len(sample.obs)} observed values")
        return _empirical(x, c, km, sample, rng, bootstrap, bootstrap_size, aics, distances, threshold, notes, reason)
    if chosen != order[0]:
        notes.append(f"{order[0]} has the least AIC but does not fit ({distances[order[0]]:.3f} > {threshold:.3f})")
    params, n_refit = _refit(chosen, fits[chosen], rng, x, obs_at, cens_at, refit_size, n_fit, notes)
    median = median_of(chosen, params)
    boot = _bootstrap(chosen, params, rng, x, c, bootstrap, bootstrap_size)
    p_value = (_p_value(chosen, x[obs_at], rng, p_value_resamples) if not len(cens_at) and p_value_resamples
               else None)
    return FittedDuration(chosen, params, n_obs, n - n_obs, aics[chosen], distances[chosen], p_value, median,
                          boot.get("median"), None, aics, {k: v for k, v in boot.items() if k != "median"},
                          distances, threshold, n_fit, n_refit, tuple(notes))


def _checked(values: Any, censored: Any) -> tuple[np.ndarray, np.ndarray, list[str]]:
    x = np.asarray(values, dtype=float).ravel()
    c = np.zeros(len(x), bool) if censored is None else np.asarray(censored, bool).ravel()
    if len(c) != len(x):
        raise InputError(f"{len(x)} values but {len(c)} censoring flags", expected="one flag per value")
    bad = ~np.isfinite(x) | (x < 0)
    if bad.any():
        raise InputError(f"{int(bad.sum())} duration value(s) negative or not finite (first: {x[bad][0]!r})",
                         expected="durations >= 0")
    notes = []
    zero = x == 0
    if zero.any():
        positive = x[~zero]
        if not len(positive):
            raise NotEnoughData("every value is 0", expected=f"at least {MIN_OBSERVED} positive observed values")
        x = np.where(zero, positive.min() / 2.0, x)
        notes.append(f"{int(zero.sum())} zero value(s) taken as {positive.min() / 2.0:g}, half the smallest positive one")
    return x, c, notes


def _subsample(rng: np.random.Generator, x: np.ndarray, obs_at: np.ndarray, cens_at: np.ndarray,
               size: int) -> Sample:
    """At most ``size`` values drawn without replacement (more if needed to keep 200 observed), observed and censored in proportion."""
    n = len(obs_at) + len(cens_at)
    share = min(1.0, max(size / n, min(1.0, _SUBSAMPLE_OBSERVED / len(obs_at))))
    if share >= 1.0:
        return Sample(x[obs_at], x[cens_at])

    def pick(at: np.ndarray) -> np.ndarray:
        return x[rng.choice(at, int(round(share * len(at))), replace=False)]

    return Sample(pick(obs_at), pick(cens_at))


def _resample(rng: np.random.Generator, x: np.ndarray, c: np.ndarray, n_obs: int, size: int) -> Sample:
    """A bootstrap resample: ``m`` (value, censored) pairs drawn with replacement, ``m`` at most ``size``.

    Pairs, not observed and censored values apart: how many are censored
    varies between resamples as it does between logs, and that variation is
    part of the estimate's (fixing it shrank the median's interval by a
    quarter against the observed information, measured on 20,000 censored
    lognormal values). ``m`` grows past ``size`` to hold about 200 observed
    values when the data are mostly censored.
    """
    n = len(x)
    m = min(n, max(size, math.ceil(_SUBSAMPLE_OBSERVED * n / max(n_obs, 1))))
    at = rng.integers(0, n, m)
    values, flags = x[at], c[at]
    return Sample(values[~flags], values[flags])


def _candidates(families: tuple[str, ...], sample: Sample, km: KaplanMeier
                ) -> tuple[dict[str, dict[str, float]], dict[str, float], dict[str, float]]:
    """Each family's fit, AIC and KS distance on ``sample``; a family whose fit fails is left out."""
    import scipy.stats

    fits, aics, distances = {}, {}, {}
    for family in families:
        if family not in N_PARAMS:
            raise ValueError(f"unknown family {family!r}; expected some of {', '.join(N_PARAMS)}")
        with np.errstate(all="ignore"):
            params = mle(family, sample)
            ll = log_likelihood(family, params, sample)
        if not (math.isfinite(ll) and all(math.isfinite(v) and v > 0 for v in params.values())):
            continue
        fits[family] = params
        aics[family] = 2.0 * N_PARAMS[family] - 2.0 * ll
        distances[family] = ks_distance(getattr(scipy.stats, family)(**params).cdf, km)
    return fits, aics, distances


def _refit(family: str, params: dict[str, float], rng: np.random.Generator, x: np.ndarray, obs_at: np.ndarray,
           cens_at: np.ndarray, refit_size: int, n_fit: int, notes: list[str]) -> tuple[dict[str, float], int]:
    """The chosen family's parameters on all values (closed forms) or on at most ``refit_size``."""
    n = len(x)
    closed = family == "expon" or (family == "lognorm" and not len(cens_at))
    if n_fit >= n:
        return params, n
    sample = (Sample(x[obs_at], x[cens_at]) if closed
              else _subsample(rng, x, obs_at, cens_at, refit_size))
    size = len(sample.obs) + len(sample.cens)
    if size < n:
        notes.append(f"{family} parameters refit on a random subsample of {size} of {n} values")
    with np.errstate(all="ignore"):
        return mle(family, sample, start=params), size


def _bootstrap(family: str, params: dict[str, float], rng: np.random.Generator, x: np.ndarray, c: np.ndarray,
               resamples: int, size: int) -> dict[str, tuple[float, float]]:
    """95 % intervals of the median and of each parameter (see :func:`fit_duration`)."""
    if resamples < 2:
        return {}
    estimate = {"median": median_of(family, params), **params}
    draws: dict[str, list[float]] = {key: [] for key in estimate}
    m, n_obs = 0, int((~c).sum())
    for _ in range(resamples):
        sample = _resample(rng, x, c, n_obs, size)
        m = len(sample.obs) + len(sample.cens)
        refit = {key: math.nan for key in params}
        if len(sample.obs) >= 2 and np.ptp(sample.obs) > 0:  # a fit needs two different observed values
            with np.errstate(all="ignore"):
                refit = mle(family, sample, start=params)
        median = median_of(family, refit) if all(math.isfinite(v) for v in refit.values()) else math.nan
        for key, value in {"median": median, **refit}.items():
            draws[key].append(value)
    return {key: _interval(estimate[key], np.asarray(draws[key]), m, len(x)) for key in estimate}


def _interval(estimate: float, draws: np.ndarray, m: int, n: int) -> tuple[float, float]:
    draws = draws[np.isfinite(draws)]
    if not len(draws):
        return (math.nan, math.nan)
    low, high = np.percentile(draws - estimate, [2.5, 97.5]) * math.sqrt(min(1.0, m / n))
    return (float(estimate + low), float(estimate + high))


def _p_value(family: str, obs: np.ndarray, rng: np.random.Generator, resamples: int) -> float:
    """Lilliefors' KS test of ``family`` by parametric bootstrap, on at most ``P_VALUE_SIZE`` uncensored values."""
    import scipy.stats

    sub = obs if len(obs) <= P_VALUE_SIZE else rng.choice(obs, P_VALUE_SIZE, replace=False)
    none = np.empty(0)

    def distance(values: np.ndarray, start: dict[str, float] | None) -> tuple[float, dict[str, float]]:
        with np.errstate(all="ignore"):
            params = mle(family, Sample(values, none), start=start)
        return ks_distance(getattr(scipy.stats, family)(**params).cdf, kaplan_meier(values, none)), params

    observed, params = distance(sub, None)
    frozen = getattr(scipy.stats, family)(**params)
    beyond = sum(distance(frozen.rvs(len(sub), random_state=rng), params)[0] >= observed for _ in range(resamples))
    return (1 + beyond) / (resamples + 1)


def _empirical(x: np.ndarray, c: np.ndarray, km: KaplanMeier, sample: Sample, rng: np.random.Generator,
               resamples: int, size: int, aics: dict[str, float], distances: dict[str, float], threshold: float,
               notes: list[str], reason: str) -> FittedDuration:
    """The empirical fallback: Kaplan-Meier quantiles of the fit subsample, the largest value past its reach."""
    from svcsim.scenario.empirical import Empirical

    intervals = min(EMPIRICAL_INTERVALS, len(sample.obs))
    quantiles = km_quantiles(km, float(x.max()), intervals)
    frozen = Empirical(quantiles)
    if km.reached < 1.0:
        notes.append(f"Kaplan-Meier reaches {km.reached:.3f}: the rest of the mass is placed at the largest value "
                     f"({x.max():g}), which biases the tail low")
    interval = None
    if resamples >= 2:
        medians, m, n_obs = [], 0, int((~c).sum())
        for _ in range(resamples):
            resample = _resample(rng, x, c, n_obs, size)
            m = len(resample.obs) + len(resample.cens)
            median = kaplan_meier(resample.obs, resample.cens).median() if len(resample.obs) else None
            medians.append(math.nan if median is None else median)
        interval = _interval(frozen.median(), np.asarray(medians), m, len(x))
        interval = None if math.isnan(interval[0]) else interval
    n_obs = int((~c).sum())
    return FittedDuration("empirical", {"quantiles": quantiles}, n_obs, len(x) - n_obs, None,
                          ks_distance(frozen.cdf, km), None, frozen.median(), interval, reason, aics, {},
                          distances, threshold, len(sample.obs) + len(sample.cens), len(sample.obs) + len(sample.cens),
                          tuple(notes))

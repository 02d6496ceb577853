"""Maximum likelihood of a duration family with right-censoring, loc fixed at 0.

The censored log-likelihood of parameters ``theta`` is
``sum(logpdf(observed)) + sum(logsf(censored))``: an item still out at the
end of the log says only that its duration exceeds what has elapsed.
Closed forms where they exist: ``expon`` (total time over the number of
events, censored or not) and uncensored ``lognorm`` (mean and standard
deviation of the logs). ``gamma``, ``weibull_min`` and censored
``lognorm`` are maximised by BFGS over the logs of their parameters,
on values divided by the median of the observed ones (so the optimiser
sees numbers near 1), from a start computed from the observed values;
with analytic gradients (for censored gamma, the derivative of
``log Q(a, x)`` in ``a`` is a forward difference), the likelihood per value
so that the stopping tolerance means the same at any size. BFGS rather
than L-BFGS-B: the latter's BLAS calls cost 50 times more on a busy
machine with threaded OpenBLAS (measured 80 ms against 6 ms on 2,000 values). (Sums of products are written ``(a * b).sum()``, not ``a @ b``:
on a busy machine BLAS's dot costs ten times more on these sizes.) The parameters are those of ``scipy.stats.<family>`` with
``loc`` left out (it is 0); tests/fitting holds them equal to
``scipy.stats.<family>.fit(CensoredData(...), floc=0)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["N_PARAMS", "Sample", "log_likelihood", "median_of", "mle"]

#: Free parameters of each family (loc fixed at 0), for the AIC.
N_PARAMS: dict[str, int] = {"expon": 1, "lognorm": 2, "gamma": 2, "weibull_min": 2}

_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


class Sample:
    """Observed and censored values (> 0) with their logs, computed once for every family and start."""

    __slots__ = ("obs", "cens", "log_obs", "log_cens")

    def __init__(self, obs: np.ndarray, cens: np.ndarray) -> None:
        self.obs, self.cens = np.asarray(obs, float), np.asarray(cens, float)
        self.log_obs, self.log_cens = np.log(self.obs), np.log(self.cens)

    def scaled(self, by: float) -> Sample:
        """The same sample divided by ``by``."""
        return Sample(self.obs / by, self.cens / by)


def log_likelihood(family: str, params: dict[str, float], sample: Sample) -> float:
    """The censored log-likelihood of ``scipy.stats.<family>(**params)`` (loc 0) on ``sample``."""
    if family == "expon":
        scale = params["scale"]
        return float(-len(sample.obs) * math.log(scale) - (sample.obs.sum() + sample.cens.sum()) / scale)
    theta = _to_theta(family, params)
    return -float(_NEGLL[family](theta, sample)[0])


def mle(family: str, sample: Sample, start: dict[str, float] | None = None) -> dict[str, float]:
    """The maximum-likelihood parameters of ``family`` on ``sample`` (``start``: a warm start, e.g. for a bootstrap)."""
    if family == "expon":
        return {"scale": float((sample.obs.sum() + sample.cens.sum()) / len(sample.obs))}
    if family == "lognorm" and not len(sample.cens):
        return {"s": float(sample.log_obs.std()), "scale": float(math.exp(sample.log_obs.mean()))}
    from scipy.optimize import minimize

    unit = float(np.median(sample.obs))
    scaled = sample.scaled(unit)
    begin = _start(family, scaled) if start is None else {**start, "scale": start["scale"] / unit}
    negll, per_value = _NEGLL[family], 1.0 / (len(sample.obs) + len(sample.cens))

    def mean_negll(theta: np.ndarray) -> tuple[float, np.ndarray]:
        value, gradient = negll(theta, scaled)
        return value * per_value, gradient * per_value

    result = minimize(mean_negll, _to_theta(family, begin), jac=True, method="BFGS")
    params = _from_theta(family, result.x)
    params["scale"] *= unit
    return params


def median_of(family: str, params: dict[str, float]) -> float:
    """The median of the fitted distribution."""
    scale = params["scale"]
    if family == "expon":
        return scale * math.log(2.0)
    if family == "lognorm":
        return scale
    if family == "weibull_min":
        return scale * math.log(2.0) ** (1.0 / params["c"])
    from scipy.special import gammaincinv

    return scale * float(gammaincinv(params["a"], 0.5))


_SHAPE = {"lognorm": "s", "gamma": "a", "weibull_min": "c"}


def _to_theta(family: str, params: dict[str, float]) -> np.ndarray:
    return np.log([params[_SHAPE[family]], params["scale"]])


def _from_theta(family: str, theta: np.ndarray) -> dict[str, float]:
    return {_SHAPE[family]: float(math.exp(theta[0])), "scale": float(math.exp(theta[1]))}


def _start(family: str, sample: Sample) -> dict[str, float]:
    """Moment-like estimates from the observed values (biased low under censoring; a start only)."""
    logs = sample.log_obs
    sd = max(float(logs.std()), 1e-3)
    if family == "lognorm":
        return {"s": sd, "scale": math.exp(float(logs.mean()))}
    if family == "weibull_min":
        c = 1.2825 / sd  # the standard deviation of log(Weibull) is pi / (c sqrt 6)
        return {"c": c, "scale": math.exp(float(logs.mean()) + 0.5772 / c)}
    mean, var = float(sample.obs.mean()), max(float(sample.obs.var()), 1e-12)
    return {"a": mean * mean / var, "scale": var / mean}


def _negll_lognorm(theta: np.ndarray, sample: Sample) -> tuple[float, np.ndarray]:
    from scipy.special import log_ndtr

    mu, log_s = theta[1], theta[0]  # theta = (log s, log scale); log scale is mu
    s = math.exp(log_s)
    z = (sample.log_obs - mu) / s
    ll = -len(z) * (log_s + _HALF_LOG_2PI) - sample.log_obs.sum() - 0.5 * float((z * z).sum())
    d_mu, d_log_s = float(z.sum()) / s, -len(z) + float((z * z).sum())
    if len(sample.cens):
        zc = (sample.log_cens - mu) / s
        log_sf = log_ndtr(-zc)
        ll += float(log_sf.sum())
        hazard = np.exp(-0.5 * zc * zc - _HALF_LOG_2PI - log_sf)  # pdf / sf of the standard normal at zc
        d_mu += float(hazard.sum()) / s
        d_log_s += float((hazard * zc).sum())
    return -ll, -np.array([d_log_s, d_mu])


def _negll_weibull(theta: np.ndarray, sample: Sample) -> tuple[float, np.ndarray]:
    log_c, log_lam = theta
    c = math.exp(log_c)
    u = sample.log_obs - log_lam
    with np.errstate(over="ignore"):
        t = np.exp(c * u)
        uc = sample.log_cens - log_lam
        tc = np.exp(c * uc)
    n = len(u)
    ll = n * (log_c - log_lam) + (c - 1.0) * float(u.sum()) - float(t.sum()) - float(tc.sum())
    d_log_lam = -c * n + c * float(t.sum()) + c * float(tc.sum())
    d_log_c = n + c * float(u.sum()) - c * float((u * t).sum()) - c * float((uc * tc).sum())
    if not math.isfinite(ll):
        return math.inf, np.zeros(2)
    return -ll, -np.array([d_log_c, d_log_lam])


def _negll_gamma(theta: np.ndarray, sample: Sample) -> tuple[float, np.ndarray]:
    from scipy.special import digamma, gammaincc, gammaln

    log_a, log_scale = theta
    a, scale = math.exp(log_a), math.exp(log_scale)
    n = len(sample.obs)
    sum_log = float(sample.log_obs.sum())
    ll = (a - 1.0) * sum_log - float(sample.obs.sum()) / scale - n * (float(gammaln(a)) + a * log_scale)
    d_log_a = a * (sum_log - n * float(digamma(a)) - n * log_scale)
    d_log_scale = float(sample.obs.sum()) / scale - n * a
    if len(sample.cens):
        t = sample.cens / scale
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            log_q = np.log(gammaincc(a, t))
            step = 1e-6 * a  # d log Q / d a has no closed form: a forward difference
            d_log_a += a * float(((np.log(gammaincc(a + step, t)) - log_q) / step).sum())
            # d log Q(a, y / scale) / d log scale = t^a e^-t / (Gamma(a) Q)
            d_log_scale += float(np.exp(a * np.log(t) - t - float(gammaln(a)) - log_q).sum())
        ll += float(log_q.sum())
    if not math.isfinite(ll):
        return math.inf, np.zeros(2)
    return -ll, -np.array([d_log_a, d_log_scale])


_NEGLL: dict[str, Callable[[np.ndarray, Sample], tuple[float, Any]]] = {
    "lognorm": _negll_lognorm, "weibull_min": _negll_weibull, "gamma": _negll_gamma,
}

"""The empirical distribution: a duration given by its quantiles, as a fit falls back to it.

``{ dist = "empirical", quantiles = [q0, q1, ..., qk] }`` gives the values
at the equally spaced probabilities ``0, 1/k, ..., 1``; between them the
inverse CDF is linear, so the density is flat on each interval
``[q(j-1), q(j)]`` (mass ``1/k`` each) and a repeated value is an atom.
A draw is one uniform number ``u`` from the stream, turned into
``ppf(u)`` with numpy (no scipy import). ``loc`` and ``scale`` (default 0
and 1) shift and stretch it as they do every scipy family, so a
distribution written in days converts to minutes like any other
(:func:`svcsim.simulation.draws.in_minutes`).

The quantiles must be at least two finite, non-negative, non-decreasing
numbers; :func:`check_quantiles` says which one is wrong.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["Empirical", "check_quantiles"]


def check_quantiles(quantiles: Any) -> tuple[float, ...]:
    """``quantiles`` as a tuple of floats, or a ValueError saying what is wrong with them."""
    if isinstance(quantiles, (str, bytes)) or not hasattr(quantiles, "__len__"):
        raise ValueError(f"empirical quantiles are {quantiles!r}; expected a list of at least 2 numbers")
    values = list(quantiles)
    if len(values) < 2:
        raise ValueError(f"empirical has {len(values)} quantile{'s' if len(values) != 1 else ''}; "
                         "expected at least 2 (the values at probabilities 0 and 1)")
    for i, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"empirical quantile {i} is {value!r}; expected a finite number")
        if value < 0:
            raise ValueError(f"empirical quantile {i} is {value!r}; expected a non-negative duration")
        if i and value < values[i - 1]:
            raise ValueError(f"empirical quantile {i} is {value!r}, below quantile {i - 1} ({values[i - 1]!r}); "
                             "expected non-decreasing values")
    return tuple(float(v) for v in values)


class Empirical:
    """A frozen empirical distribution: ``loc + scale * Q(u)``, ``Q`` the piecewise-linear inverse CDF.

    It answers what the simulation and the analytic models ask of a frozen
    distribution: ``rvs(size, random_state)``, ``mean``, ``median``, ``ppf``,
    ``cdf``, ``sf``, ``support``; and it pickles (multiprocess runs).
    """

    __slots__ = ("family", "kwds", "args", "_q", "_p")

    def __init__(self, quantiles: Any, loc: float = 0.0, scale: float = 1.0) -> None:
        if not (math.isfinite(loc) and math.isfinite(scale) and scale > 0 and loc >= 0):
            raise ValueError(f"empirical with loc {loc!r} and scale {scale!r}; expected loc >= 0 and scale > 0")
        q = np.asarray(check_quantiles(quantiles), dtype=float)
        self.family = "empirical"
        self.kwds = {"quantiles": tuple(q.tolist()), "loc": float(loc), "scale": float(scale)}
        self.args: tuple[()] = ()
        self._q = loc + scale * q
        self._p = np.arange(len(q)) / (len(q) - 1.0)  # j / k exactly (linspace rounds 3/5 up)

    def ppf(self, u: Any) -> Any:
        """The value at probability ``u`` (linear between the quantiles)."""
        out = np.interp(np.asarray(u, dtype=float), self._p, self._q)
        return out if np.ndim(out) else float(out)

    def cdf(self, x: Any) -> Any:
        """P(X <= x): linear inside each interval, a jump at a repeated value."""
        xs = np.asarray(x, dtype=float)
        q, p = self._q, self._p
        i = np.searchsorted(q, xs, side="right")  # q[i-1] <= x < q[i]
        inside = (i > 0) & (i < len(q))
        j = np.clip(i, 1, len(q) - 1)
        width = q[j] - q[j - 1]
        with np.errstate(invalid="ignore", divide="ignore"):
            part = np.where(width > 0, (xs - q[j - 1]) / np.where(width > 0, width, 1.0), 0.0)
        out = np.where(inside, p[j - 1] + part * (p[j] - p[j - 1]), np.where(i >= len(q), 1.0, 0.0))
        return out if np.ndim(out) else float(out)

    def sf(self, x: Any) -> Any:
        """P(X > x)."""
        return 1.0 - self.cdf(x)

    def rvs(self, size: Any = None, random_state: Any = None) -> Any:
        """``size`` draws: one uniform of ``random_state`` (a numpy Generator, or a seed) per draw."""
        generator = random_state if isinstance(random_state, np.random.Generator) else np.random.default_rng(random_state)
        return self.ppf(generator.random(size))

    def mean(self) -> np.float64:
        """The mean: each interval's midpoint, weighted ``1/k``."""
        return np.float64(((self._q[1:] + self._q[:-1]) / 2.0).mean())

    def median(self) -> float:
        """The value at probability 0.5."""
        return float(self.ppf(0.5))

    def support(self) -> tuple[float, float]:
        """The smallest and largest value."""
        return float(self._q[0]), float(self._q[-1])

    def __reduce__(self) -> tuple[Any, ...]:
        return Empirical, (self.kwds["quantiles"], self.kwds["loc"], self.kwds["scale"])

    def __repr__(self) -> str:
        return f"Empirical({len(self._q)} quantiles, loc={self.kwds['loc']}, scale={self.kwds['scale']})"

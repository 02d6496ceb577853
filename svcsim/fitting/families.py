"""One duration fitted from observations, some of them right-censored.

INTERFACE SKELETON (issue 19): the body is a placeholder (uncensored
lognormal by moments of the logs) until the censored fit lands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["FittedDuration", "fit_duration", "FAMILIES"]

#: The families tried, in the order of the report.
FAMILIES: tuple[str, ...] = ("expon", "lognorm", "gamma", "weibull_min")


@dataclass(frozen=True)
class FittedDuration:
    """A fitted duration: the family chosen, its parameters, and how well and on what it rests.

    ``params`` are the keyword arguments of ``scipy.stats.<family>`` (``loc``
    is 0 and left out), or for ``empirical`` those of the scenario's
    empirical distribution. Units are the caller's (minutes or days).
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

    def dist(self) -> dict[str, Any]:
        """The scenario table: ``{"dist": family, **params}``."""
        return {"dist": self.family, **self.params}


def fit_duration(values: Any, censored: Any = None, *, families: tuple[str, ...] = FAMILIES,
                 bootstrap: int = 200, seed: int = 0) -> FittedDuration:
    """Fit ``values`` (> 0; ``censored[i]`` True when ``values[i]`` is only a lower bound)."""
    x = np.asarray(values, dtype=float)
    c = np.zeros(len(x), bool) if censored is None else np.asarray(censored, bool)
    obs = x[~c]
    logs = np.log(obs)
    s, mu = float(logs.std(ddof=1)), float(logs.mean())
    return FittedDuration("lognorm", {"s": s, "scale": float(np.exp(mu))}, int(len(obs)), int(c.sum()),
                          None, None, None, float(np.exp(mu)), None, "placeholder")

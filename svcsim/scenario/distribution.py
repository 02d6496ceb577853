"""Named scipy.stats distributions, as a scenario writes them.

A random duration in a scenario is a table such as
``{ dist = "lognorm", s = 0.5, scale = 30 }``: the name of a
:mod:`scipy.stats` family and the keyword arguments that freeze it. The
values are minutes. It is checked by freezing it, and it must never give a
negative value (its support starts at 0 or later).
"""

from __future__ import annotations

import math
from typing import Any

import scipy.stats
from pydantic import BaseModel, ConfigDict, model_validator

__all__ = ["Dist", "expon_minutes"]


class Dist(BaseModel):
    """A named scipy.stats distribution of minutes: ``dist`` plus its parameters.

    The one scenario model that takes extra keys: they are the family's
    parameters (``s``, ``scale``, ``loc``...), and they are checked by
    freezing the distribution rather than by a fixed list of fields.
    """

    model_config = ConfigDict(frozen=True, extra="allow")

    dist: str = "expon"

    @model_validator(mode="after")
    def _freezes(self) -> Dist:
        family = getattr(scipy.stats, self.dist, None)
        if not isinstance(family, scipy.stats.rv_continuous):
            raise ValueError(
                f"unknown distribution {self.dist!r}; expected the name of a continuous "
                "scipy.stats family such as expon, lognorm, gamma, uniform, triang"
            )
        for key, value in self.params.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"parameter {key!r} of {self.dist} is {value!r}; expected a finite number")
        try:
            frozen = family(**self.params)
            low = float(frozen.support()[0])
            mean = float(frozen.mean())
        except Exception:  # scipy raises TypeError/ValueError for bad arguments
            shapes = [name.strip() for name in (family.shapes or "").split(",") if name.strip()]
            wanted = ", ".join([*shapes, "loc", "scale"])
            given = ", ".join(f"{k} = {v}" for k, v in self.params.items()) or "no parameters"
            missing = [name for name in shapes if name not in self.params]
            problem = (f"{self.dist} needs its shape parameter{'s' if len(missing) > 1 else ''} "
                       f"{', '.join(map(repr, missing))} (given: {given})" if missing
                       else f"{self.dist} does not take {given}")
            raise ValueError(f"{problem}; expected the parameters of scipy.stats.{self.dist}: {wanted}") from None
        if not (low >= 0.0) or not math.isfinite(mean):
            raise ValueError(
                f"{self.dist} with {self.params} can give negative values or has no finite mean; "
                "expected a distribution of non-negative minutes with a finite mean "
                "(shift it with loc or pick a family on [0, inf))"
            )
        return self

    @property
    def params(self) -> dict[str, Any]:
        """The keyword arguments that freeze the family."""
        return dict(self.model_extra or {})

    def frozen(self) -> Any:
        """The frozen scipy.stats distribution."""
        return getattr(scipy.stats, self.dist)(**self.params)

    def mean(self) -> float:
        """Mean in minutes."""
        return float(self.frozen().mean())


def expon_minutes(mean_minutes: float) -> Dist:
    """An exponential distribution with the given mean in minutes."""
    return Dist(dist="expon", scale=float(mean_minutes))

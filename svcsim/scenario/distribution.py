"""Named scipy.stats distributions, as a scenario writes them.

A random duration in a scenario is a table such as
``{ dist = "lognorm", s = 0.5, scale = 30 }``: the name of a
:mod:`scipy.stats` family and the keyword arguments that freeze it. The
values are minutes. It is checked by freezing it, and it must never give a
negative value (its support starts at 0 or later).

scipy.stats takes about a second to import, more than a short simulation
takes. The families the built-in scenarios use (``expon``, ``lognorm``,
``uniform``) are therefore checked, drawn and averaged here with numpy, by
the very operations scipy's ``rvs`` and ``mean`` perform (``_rvs`` of the
family, then ``* scale + loc``), so the values are bit for bit scipy's
(tests/test_distributions.py holds them equal). Any other family,
any other method (``ppf``, ``cdf``...) and any doubtful parameters go to
scipy.stats itself, imported then.

One family is not scipy's: ``{ dist = "empirical", quantiles = [...] }``,
the values at equally spaced probabilities with a piecewise-linear inverse
CDF (:mod:`svcsim.scenario.empirical`), what a fit falls back to when no
family fits a duration.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, model_validator

from svcsim.scenario.empirical import Empirical, check_quantiles

__all__ = ["Dist", "Frozen", "expon_minutes", "freeze"]


def _lognorm_rvs(shapes: dict[str, float], size: int, generator: np.random.Generator) -> np.ndarray:
    return np.exp(shapes["s"] * generator.standard_normal(size))


def _lognorm_mean(shapes: dict[str, float]) -> np.float64:
    s = np.float64(shapes["s"])
    return np.sqrt(np.exp(s * s))


#: Family -> (its shape parameters, its standard draw ``_rvs``, its standard mean), as scipy.stats defines them.
_NUMPY_FAMILIES: dict[str, tuple[tuple[str, ...], Callable[..., np.ndarray], Callable[..., Any]]] = {
    "expon": ((), lambda shapes, size, generator: generator.standard_exponential(size), lambda shapes: 1.0),
    "lognorm": (("s",), _lognorm_rvs, _lognorm_mean),
    "uniform": ((), lambda shapes, size, generator: generator.uniform(0.0, 1.0, size), lambda shapes: 0.5),
}


def _numpy_ready(name: str, params: dict[str, Any]) -> bool:
    """Whether numpy can stand in for scipy: a known family, its parameters only, all finite numbers, shapes and scale > 0."""
    family = _NUMPY_FAMILIES.get(name)
    if family is None:
        return False
    shapes = family[0]
    if not set(params) <= {*shapes, "loc", "scale"} or not set(shapes) <= set(params):
        return False
    if any(isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) for v in params.values()):
        return False
    return all(params[s] > 0 for s in shapes) and params.get("scale", 1.0) > 0


class Frozen:
    """A frozen distribution of a family numpy can draw (see the module docstring); anything else asks scipy.

    ``rvs(size, random_state=generator)`` and ``mean()`` equal scipy's bit
    for bit; every other attribute (``ppf``, ``cdf``, ``dist``...) is the
    scipy frozen distribution's, made on first use.
    """

    __slots__ = ("family", "kwds", "args", "_scipy")

    def __init__(self, family: str, params: dict[str, Any]) -> None:
        self.family = family
        self.kwds = dict(params)
        self.args: tuple[()] = ()
        self._scipy: Any = None

    def _shapes(self) -> dict[str, Any]:
        return {name: self.kwds[name] for name in _NUMPY_FAMILIES[self.family][0]}

    def rvs(self, size: Any = None, random_state: Any = None) -> Any:
        """``size`` draws, as ``scipy.stats.<family>(...).rvs(size, random_state)`` gives them."""
        if not isinstance(random_state, np.random.Generator) or size is None:
            return self.scipy().rvs(size=size, random_state=random_state)
        values = _NUMPY_FAMILIES[self.family][1](self._shapes(), size, random_state)
        return values * self.kwds.get("scale", 1.0) + self.kwds.get("loc", 0.0)

    def mean(self) -> np.float64:
        """The mean, as ``scipy.stats.<family>(...).mean()`` computes it (``mu * scale + loc``)."""
        mu = _NUMPY_FAMILIES[self.family][2](self._shapes())
        return np.float64(mu * np.float64(self.kwds.get("scale", 1.0)) + np.float64(self.kwds.get("loc", 0.0)))

    def scipy(self) -> Any:
        """The scipy.stats frozen distribution."""
        if self._scipy is None:
            import scipy.stats

            self._scipy = getattr(scipy.stats, self.family)(**self.kwds)
        return self._scipy

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in Frozen.__slots__:
            raise AttributeError(name)
        return getattr(self.scipy(), name)

    def __reduce__(self) -> tuple[Any, ...]:
        return Frozen, (self.family, self.kwds)

    def __repr__(self) -> str:
        return f"Frozen({self.family!r}, {self.kwds!r})"


def freeze(name: str, **params: Any) -> Any:
    """``scipy.stats.<name>(**params)``, or a :class:`Frozen` standing in for it when numpy can draw the family.

    ``empirical`` is an :class:`~svcsim.scenario.empirical.Empirical`.
    """
    if name == "empirical":
        return Empirical(**params)
    if _numpy_ready(name, params):
        return Frozen(name, params)
    import scipy.stats

    return getattr(scipy.stats, name)(**params)


class Dist(BaseModel):
    """A named scipy.stats distribution of minutes: ``dist`` plus its parameters.

    The one scenario model that takes extra keys: they are the family's
    parameters (``s``, ``scale``, ``loc``...), and they are checked by
    freezing the distribution rather than by a fixed list of fields.
    """

    model_config = ConfigDict(frozen=True, extra="allow")

    dist: str = "expon"

    @model_validator(mode="before")
    @classmethod
    def _quantiles_as_floats(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("dist") == "empirical" and "quantiles" in data:
            data = {**data, "quantiles": check_quantiles(data["quantiles"])}
        return data

    @model_validator(mode="after")
    def _freezes(self) -> Dist:
        params = self.params
        if self.dist == "empirical":
            self._freezes_empirical(params)
            return self
        if _numpy_ready(self.dist, params):
            frozen = Frozen(self.dist, params)  # support starts at loc; scipy would accept exactly when these hold
            if params.get("loc", 0.0) >= 0 and math.isfinite(float(frozen.mean())):
                return self
        self._freezes_with_scipy()
        return self

    @staticmethod
    def _freezes_empirical(params: dict[str, Any]) -> None:
        unknown = sorted(set(params) - {"quantiles", "loc", "scale"})
        if "quantiles" not in params or unknown:
            given = ", ".join(sorted(params)) or "no parameters"
            raise ValueError(f"empirical takes quantiles (and optionally loc, scale), given: {given}; "
                             "expected { dist = \"empirical\", quantiles = [q0, ..., qk] }")
        for key in ("loc", "scale"):
            value = params.get(key, 0.0 if key == "loc" else 1.0)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"parameter {key!r} of empirical is {value!r}; expected a finite number")
        Empirical(**params)

    def _freezes_with_scipy(self) -> None:
        import scipy.stats

        family = getattr(scipy.stats, self.dist, None)
        if not isinstance(family, scipy.stats.rv_continuous):
            raise ValueError(
                f"unknown distribution {self.dist!r}; expected the name of a continuous "
                "scipy.stats family such as expon, lognorm, gamma, uniform, triang, or empirical"
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

    @property
    def params(self) -> dict[str, Any]:
        """The keyword arguments that freeze the family."""
        return dict(self.model_extra or {})

    def frozen(self) -> Any:
        """The frozen distribution: scipy.stats', or a :class:`Frozen` that draws and averages as it does."""
        return freeze(self.dist, **self.params)

    def mean(self) -> float:
        """Mean in minutes."""
        return float(self.frozen().mean())


def expon_minutes(mean_minutes: float) -> Dist:
    """An exponential distribution with the given mean in minutes."""
    return Dist(dist="expon", scale=float(mean_minutes))

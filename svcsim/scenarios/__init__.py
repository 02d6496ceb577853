"""Built-in scenarios: ``baseline`` and ``tiny`` as TOML data, and the validation cases.

:func:`catalogue` lists them all, files and factories, one line each
(``svcsim scenario list`` prints it).

:func:`mmc` and :func:`mmc_abandon` are the Erlang C and Erlang A cases:
phone operators only, Poisson arrivals, exponential handle times, around
the clock, every call a question solved on the phone. Rates are per hour.
:func:`single_part` is Palm's theorem case for the spares store: one part,
Poisson demand, resupply with unlimited capacity. Rates are per day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from svcsim.errors import InputError
from svcsim.scenario.distribution import Dist, expon_minutes
from svcsim.scenario.model import Scenario, SinglePart

__all__ = ["CatalogueEntry", "catalogue", "mmc", "mmc_abandon", "single_part"]


@dataclass(frozen=True)
class CatalogueEntry:
    """One built-in scenario: its ``name``, whether it is a TOML ``file`` or a ``factory``, and one line about it.

    A file is loaded by name (``load_scenario(name)``, ``svcsim run NAME``); a
    factory is called with its parameters (``usage``) and gives a scenario.
    """

    name: str
    kind: Literal["file", "factory"]
    description: str
    usage: str = ""


#: The factories of this module, with how they are called and what they model (one line each).
_FACTORIES: tuple[CatalogueEntry, ...] = (
    CatalogueEntry("mmc", "factory", "Erlang C validation case: M/M/c phone operators, around the clock",
                   "mmc(arrival_rate, service_rate, servers, *, days=30)"),
    CatalogueEntry("mmc_abandon", "factory", "Erlang A validation case: M/M/c+M, callers hang up",
                   "mmc_abandon(arrival_rate, service_rate, servers, abandon_rate, *, days=30)"),
    CatalogueEntry("single_part", "factory", "Palm's theorem validation case: one part, Poisson demand",
                   "single_part(demand_rate, resupply_mean, stock, resupply='exponential', cv=1.0, *, days=365)"),
)


def catalogue() -> list[CatalogueEntry]:
    """Every built-in scenario: the TOML files (by name, with their own description), then the factories."""
    from svcsim.scenario.load import builtin_names, load_scenario

    files = [CatalogueEntry(name, "file", (load_scenario(name).description.strip().splitlines() or [""])[0])
             for name in builtin_names()]
    return files + list(_FACTORIES)

#: Resupply-time shapes :func:`single_part` knows.
RESUPPLY_SHAPES = ("exponential", "deterministic", "lognormal", "gamma")

_ALL_DAY = {"hours": ["00:00-24:00"], "days": "every"}
_NOBODY = {"count": 0, "shift": _ALL_DAY}


def _positive(name: str, value: float) -> float:
    if not (value > 0):
        raise InputError(f"{name} = {value!r}", field=name, expected="a rate per hour > 0")
    return float(value)


def mmc(arrival_rate: float, service_rate: float, servers: int, *, days: int = 30) -> Scenario:
    """M/M/c: ``servers`` operators, Poisson calls at ``arrival_rate``/h, handle rate ``service_rate``/h.

    Callers never hang up. Compare with :func:`svcsim.analytic.erlang_c`.
    """
    return _queue(arrival_rate, service_rate, servers, None, days, "mmc")


def mmc_abandon(arrival_rate: float, service_rate: float, servers: int, abandon_rate: float,
                *, days: int = 30) -> Scenario:
    """M/M/c+M: as :func:`mmc`, callers hang up after an exponential patience of rate ``abandon_rate``/h.

    Compare with :func:`svcsim.analytic.erlang_a`.
    """
    return _queue(arrival_rate, service_rate, servers, _positive("abandon_rate", abandon_rate), days, "mmc_abandon")


def _queue(arrival_rate: float, service_rate: float, servers: int, abandon_rate: float | None,
           days: int, name: str) -> Scenario:
    lam, mu = _positive("arrival_rate", arrival_rate), _positive("service_rate", service_rate)
    if not isinstance(servers, int) or servers < 1:
        raise InputError(f"servers = {servers!r}", field="servers", expected="a whole number >= 1")
    return Scenario.model_validate({
        "name": name,
        "description": f"{name}: lambda={lam}/h, mu={mu}/h, c={servers}"
        + ("" if abandon_rate is None else f", theta={abandon_rate}/h"),
        "timezone": "UTC",
        "horizon_days": days,
        "calendar": {"country": "none", "hours": {d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}},
        "demand": {
            "calls_per_day": dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), 24.0 * lam),
            "hourly_profile": [1.0] * 24,
            "holiday_factor": 1.0,
            "mix": {"question": 1.0},
        },
        "staffing": {
            "operators": {"count": servers, "shift": _ALL_DAY},
            **{role: _NOBODY for role in ("tech_support", "dispatchers", "bench_engineers", "supervisor", "sales_lead")},
            "field_engineers": {**_NOBODY, "shared": True},
        },
        "times": {"handle": expon_minutes(60.0 / mu).model_dump()},
        "probabilities": {"solved_by_phone": 1.0},
        "patience": "none" if abandon_rate is None else expon_minutes(60.0 / abandon_rate).model_dump(),
    })


def single_part(demand_rate: float, resupply_mean: float, stock: int, resupply: str = "exponential",
                cv: float = 1.0, *, days: int = 365) -> SinglePart:
    """One part, Poisson demand at ``demand_rate``/day, resupply of mean ``resupply_mean`` days, ``stock`` units.

    ``resupply`` is the shape of the resupply time: ``"exponential"``,
    ``"deterministic"`` (a uniform of width 1e-9 of the mean: scipy has no
    point mass), ``"lognormal"`` or ``"gamma"`` with coefficient of
    variation ``cv``. Palm's theorem says the answer does not depend on the
    shape: compare with :func:`svcsim.analytic.palm`. Simulate it with
    :func:`svcsim.simulate`; it runs on the same store as the full model.
    """
    lam = _per_day("demand_rate", demand_rate)
    mean = _per_day("resupply_mean", resupply_mean, what="a mean resupply time in days > 0")
    if isinstance(stock, bool) or not isinstance(stock, int) or stock < 0:
        raise InputError(f"stock = {stock!r}", field="stock", expected="a whole number of units >= 0")
    if resupply not in RESUPPLY_SHAPES:
        raise InputError(f"resupply = {resupply!r}", field="resupply", expected="one of " + ", ".join(RESUPPLY_SHAPES))
    if resupply in ("lognormal", "gamma") and not (cv > 0 and math.isfinite(cv)):
        raise InputError(f"cv = {cv!r}", field="cv", expected="a coefficient of variation > 0")
    if resupply == "exponential":
        dist = Dist(dist="expon", scale=mean)
    elif resupply == "deterministic":
        dist = Dist(dist="uniform", loc=mean * (1 - 5e-10), scale=mean * 1e-9)
    elif resupply == "lognormal":
        s2 = math.log1p(cv * cv)
        dist = Dist(dist="lognorm", s=math.sqrt(s2), scale=mean / math.exp(s2 / 2))
    else:
        dist = Dist(dist="gamma", a=1.0 / (cv * cv), scale=mean * cv * cv)
    shape = resupply if resupply in ("exponential", "deterministic") else f"{resupply} cv {cv}"
    return SinglePart(name="single_part", horizon_days=days, demand_rate=lam, resupply=dist, stock=stock,
                      description=f"single_part: lambda={lam}/day, T={mean} days ({shape}), S={stock}")


def _per_day(name: str, value: float, what: str = "a rate per day > 0") -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (value > 0 and math.isfinite(value)):
        raise InputError(f"{name} = {value!r}", field=name, expected=what)
    return float(value)

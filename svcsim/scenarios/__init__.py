"""Built-in scenarios: ``baseline`` and ``tiny`` as TOML data, and the validation queues.

:func:`mmc` and :func:`mmc_abandon` are the Erlang C and Erlang A cases:
phone operators only, Poisson arrivals, exponential handle times, around
the clock, every call a question solved on the phone. Rates are per hour.
"""

from __future__ import annotations

from svcsim.errors import InputError
from svcsim.scenario.distribution import expon_minutes
from svcsim.scenario.model import Scenario

__all__ = ["mmc", "mmc_abandon"]

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

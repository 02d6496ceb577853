"""Servers needed hour by hour: the time-varying (modified offered load) Erlang staffing of a day.

A call center's arrivals follow the hour of the day, and staffing each hour
by the stationary Erlang formula on that hour's own rate is off where the
rate moves: the calls in service lag the calls arriving by about a service
time. Feldman, Mandelbaum, Massey and Whitt (2008, "Staffing of
time-varying queues to achieve time-stable performance", *Management
Science* 54(2)) staff each moment from the load an infinite-server queue
would carry then, ``m(t) = E[number in service at t]`` with unlimited
servers; their simulation-based iterative staffing algorithm (ISA) converges
to this offered-load (modified-offered-load, MOL) staffing when services are
short next to the profile's changes. This module computes that
approximation, not the ISA's simulation loop.

The model: arrivals are a Poisson process whose rate is piecewise constant
by hour, ``lambda_h`` per hour, the same day after day (a cyclic day);
services are exponential with rate ``mu`` (per hour). Then
``m'(t) = lambda(t) - mu m(t)``, solved exactly hour by hour, and the
periodic solution is the one whose value at midnight comes back after 24
hours. The hour's load ``m_h`` is the average of ``m(t)`` over the hour.
The hour's requirement ``r_h`` is the stationary minimum of
:func:`svcsim.analytic.min_servers` at the *modified* arrival rate
``m_h mu`` (Erlang C, or Erlang A with an abandonment rate), so that a
constant profile gives exactly the stationary answer. An hour in which no
call arrives needs nobody (``r_h = 0``): a worker finishes the call in hand
after the end of a shift (the simulator's rule), so the tail of the last
hour's calls needs no one rostered.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["HourlyStaffing", "hourly_offered_load", "hourly_servers", "operator_calls_per_hour",
           "operator_hourly_servers"]

HOURS_PER_DAY = 24


@dataclass(frozen=True)
class HourlyStaffing:
    """Per hour of the day: the arrival rate, the lagged offered load and the servers needed."""

    calls_per_hour: tuple[float, ...]
    """``lambda_h``, arrivals per hour in hour ``h`` (0-23)."""
    offered_load_erlangs: tuple[float, ...]
    """``m_h``, the infinite-server load averaged over hour ``h`` (erlangs)."""
    servers: tuple[int, ...]
    """``r_h``, the fewest servers on duty in hour ``h`` that meet the target at ``m_h``."""
    model: str
    """``"erlang_c"`` or ``"erlang_a"``."""


def hourly_offered_load(calls_per_hour: Sequence[float], service_rate_per_hour: float) -> tuple[float, ...]:
    """The periodic infinite-server load ``m_h`` (erlangs) of each hour, for exponential services.

    On hour ``h`` with ``m`` at its start, ``m(t) = a_h + (m - a_h) e^(-mu t)``
    with ``a_h = lambda_h / mu``; its hourly average is
    ``a_h + (m - a_h) (1 - e^(-mu)) / mu``. The day's map from midnight to
    midnight is affine, ``m -> A m + B``, so the periodic start is
    ``B / (1 - A)``. A constant rate gives ``lambda / mu`` in every hour.
    """
    rates = [float(x) for x in calls_per_hour]
    if not rates or any(not (x >= 0 and math.isfinite(x)) for x in rates):
        raise ValueError("calls_per_hour: expected arrival rates >= 0, one per hour")
    mu = float(service_rate_per_hour)
    if not (mu > 0 and math.isfinite(mu)):
        raise ValueError(f"service_rate_per_hour: expected a rate > 0, got {service_rate_per_hour!r}")
    decay = math.exp(-mu)
    # midnight to midnight: m_end = A m_start + B
    slope, intercept = 1.0, 0.0
    for rate in rates:
        a = rate / mu
        slope, intercept = slope * decay, intercept * decay + a * (1.0 - decay)
    m = intercept / (1.0 - slope)
    averages = []
    for rate in rates:
        a = rate / mu
        averages.append(a + (m - a) * (1.0 - decay) / mu)
        m = a + (m - a) * decay
    return tuple(averages)


def hourly_servers(calls_per_hour: Sequence[float], service_rate_per_hour: float, share: float,
                   within_hours: float, *, abandon_rate_per_hour: float | None = None) -> HourlyStaffing:
    """The fewest servers per hour so that ``share`` of each hour's calls are answered within ``within_hours``.

    ``calls_per_hour`` holds the 24 hourly arrival rates of a day (or any
    number of equal periods of an hour each, taken as cyclic); services are
    exponential at ``service_rate_per_hour``; ``abandon_rate_per_hour``
    (callers hang up after an exponential patience) switches Erlang C to
    Erlang A. See the module docstring for the approximation.
    """
    from svcsim.analytic import min_servers

    if not 0 < share < 1:
        raise ValueError(f"share: expected a share strictly between 0 and 1, got {share!r}")
    if not within_hours >= 0:
        raise ValueError(f"within_hours: expected a time >= 0, got {within_hours!r}")
    loads = hourly_offered_load(calls_per_hour, service_rate_per_hour)
    model = "erlang_c" if abandon_rate_per_hour is None else "erlang_a"
    servers = []
    for rate, load in zip(calls_per_hour, loads, strict=True):
        if rate <= 0 or load <= 0:
            servers.append(0)
            continue
        modified_rate = load * service_rate_per_hour
        if model == "erlang_c":
            found = min_servers(modified_rate, service_rate_per_hour, share, t=within_hours)
        else:
            found = min_servers(modified_rate, service_rate_per_hour, share, t=within_hours, model="erlang_a",
                                abandon_rate=abandon_rate_per_hour)
        servers.append(int(found.servers))
    return HourlyStaffing(calls_per_hour=tuple(float(x) for x in calls_per_hour), offered_load_erlangs=loads,
                          servers=tuple(servers), model=model)


def operator_calls_per_hour(scenario: object) -> tuple[float, ...]:
    """The operators' arrival rate per hour of the busiest day: ``max(calls_per_day) x hourly_profile / sum``.

    Every call reaches an operator first (the mix splits calls only after
    they are answered), so the operators' rate is the scenario's whole rate.
    The busiest weekday stands for every day: the staffing it gives meets the
    target on the lighter days too.
    """
    demand = scenario.demand  # type: ignore[attr-defined]
    peak_day = max(demand.calls_per_day.values())
    total = sum(demand.hourly_profile)
    return tuple(peak_day * w / total for w in demand.hourly_profile)


def operator_hourly_servers(scenario: object, share: float, within_hours: float) -> HourlyStaffing:
    """:func:`hourly_servers` for the operators of ``scenario`` (Erlang A when the patience is exponential)."""
    service_rate = 60.0 / float(scenario.times.handle.mean())  # type: ignore[attr-defined]
    patience = scenario.patience  # type: ignore[attr-defined]
    abandon = None
    if patience is not None and not isinstance(patience, str) and patience.dist == "expon":
        abandon = 60.0 / float(patience.mean())
    return hourly_servers(operator_calls_per_hour(scenario), service_rate, share, within_hours,
                          abandon_rate_per_hour=abandon)

"""A scenario's calendar as a :class:`~svcsim.calendar.ServiceCalendar`: one function, used by the clock and the judge.

The scenario says its weekly hours, its country's public calendar and its
own closures (``[calendar]``) and its zone (``timezone``).
:func:`service_calendar` turns that into the service calendar over given
years, so the simulation clock (when each role is on duty, when the center
is open) and the rules that judge the run (:mod:`svcsim.scenario.judging`)
read the same hours, holidays and make-up days. Closures outside the years
are left out; an error in a closure is named by its date.
"""

from __future__ import annotations

import functools

import pandas as pd

from svcsim.calendar import ServiceCalendar
from svcsim.errors import InputError
from svcsim.scenario.model import Calendar, Scenario

__all__ = ["service_calendar"]


def service_calendar(scenario_or_calendar: Scenario | Calendar, timezone: str | None = None,
                     years: tuple[int, int] | None = None) -> ServiceCalendar:
    """The service calendar of a scenario (or of its ``[calendar]`` in ``timezone``) over ``years``.

    ``timezone`` defaults to the scenario's; ``years`` (first, last) is
    required. Cached on the calendar's JSON, the zone and the years: the
    Chinese public calendar takes a while to build, and every replication of
    a scenario asks for the same one.
    """
    if isinstance(scenario_or_calendar, Scenario):
        calendar = scenario_or_calendar.calendar
        timezone = scenario_or_calendar.timezone if timezone is None else timezone
    else:
        calendar = scenario_or_calendar
    if timezone is None or years is None:
        raise TypeError("service_calendar() needs a timezone (or a Scenario) and years")
    return _cached(calendar.model_dump_json(), timezone, (int(years[0]), int(years[1])))


@functools.lru_cache(maxsize=16)
def _cached(calendar_json: str, timezone: str, years: tuple[int, int]) -> ServiceCalendar:
    cal = Calendar.model_validate_json(calendar_json)
    no_country = cal.country.strip().lower() in ("", "none")
    rows = [c.model_dump() for c in cal.closures if years[0] <= c.date.year <= years[1]]
    closures = None if not rows else pd.DataFrame(
        rows, columns=["date", "kind", "hours", "note"]).astype({"date": str})
    try:
        return ServiceCalendar.build(
            timezone=timezone, hours=cal.hours, country=None if no_country else cal.country,
            years=years, makeup_hours=cal.makeup_hours, closures=closures)
    except InputError as error:
        if error.row is not None:  # a closure: name it by its date
            raise InputError(f"closure on {rows[error.row - 1]['date']}: {error.problem}",
                             field=f"calendar.closures.{error.field}", expected=error.expected) from None
        raise InputError(error.problem, field=f"calendar.{error.field or 'country'}",
                         expected=error.expected) from None

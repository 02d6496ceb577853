"""The rules a simulated center is judged by: the built-in targets, on the center's own hours.

The built-in rules measure service-hour targets (dispatch within 4 service
hours, completion within 6, "or the same day") on the default calendar:
Monday to Friday 08:30-12:00 and 13:00-17:30 in Asia/Shanghai, Chinese
public holidays closed. A scenario that opens on Saturdays, keeps other
hours, sits in another zone or closes on its own dates simulates a center
with those hours, so its log must be judged on them too: a Saturday job is
then on the clock, a site closure is not. :func:`scenario_rules` gives the
built-in rules with their service calendar replaced by the scenario's.
"""

from __future__ import annotations

import functools

from svcsim.calendar.config import NO_COUNTRY_YEARS
from svcsim.calendar.public import public_calendar
from svcsim.rules.load import RuleSet, load_rules
from svcsim.scenario.calendar import service_calendar
from svcsim.scenario.model import Calendar, Scenario

__all__ = ["scenario_rules"]


def scenario_rules(scenario: Scenario, years: tuple[int, int]) -> RuleSet:
    """The built-in rules measured on ``scenario``'s service calendar.

    ``years`` are the first and last years the run simulates; the calendar
    covers them, the public calendar's known years, and every closure's year.
    The built-in rules come back unchanged when the scenario keeps the
    default calendar and zone.
    """
    rules = load_rules(None)
    name = rules.default_calendar
    if name is None:
        return rules
    default = rules.calendars[name]
    if scenario.calendar == Calendar() and str(default.timezone) == scenario.timezone:
        return rules
    calendar = service_calendar(scenario, years=_judging_years(scenario.calendar, years))
    return RuleSet(rules=rules.rules, calendars={**rules.calendars, name: calendar},
                   default_calendar=name, source=f"{rules.source} on the scenario's calendar",
                   extra_activities=rules.extra_activities)


def _judging_years(calendar: Calendar, years: tuple[int, int]) -> tuple[int, int]:
    """The run's years widened to the public calendar's known years and every closure's year.

    Deadlines and late events can fall past the run's last day, so the
    judging calendar covers more than the run: what the country's calendar
    is known for, and every date the scenario closes or opens on.
    """
    no_country = calendar.country.strip().lower() in ("", "none")
    base = NO_COUNTRY_YEARS if no_country else _known_years(calendar.country)
    needed = [*years, *(c.date.year for c in calendar.closures)]
    return min(base[0], *needed), max(base[1], *needed)


@functools.lru_cache(maxsize=16)
def _known_years(country: str) -> tuple[int, int]:
    """The years the public calendar of ``country`` is known for (cached: CN takes a while)."""
    return public_calendar(country, None).known_years

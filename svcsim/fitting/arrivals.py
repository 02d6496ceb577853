"""Arrivals from the log: calls per weekday, the hour-of-day profile, the holiday factor.

A call is a ticket's ``call_received`` (the tickets' first event when the
log has no ``call_received``); a repeat (a ticket with a ``parent_id``) is
left out, since the model makes repeats from failed fixes, not from the
demand. Days are local dates in the template's time zone, on the
template's calendar: a make-up working day counts as the weekday whose
hours it keeps (``calendar.makeup_hours``), as the simulator does; a public
holiday counts only towards the holiday factor. A day is counted when the
log covers it: from the first event's date to the end's date, the last one
only when the end is past the last hour in which calls arrive.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from svcsim.calendar.hours import WEEKDAY_NAMES
from svcsim.fitting.observe import Observed, local_wall_ns
from svcsim.fitting.report import ParameterFit
from svcsim.fitting.shares import wilson

__all__ = ["fit_arrivals"]

_HOUR_NS = 3_600_000_000_000
_DAY_NS = 24 * _HOUR_NS
_EPOCH = dt.date(1970, 1, 1)


def call_times(obs: Observed) -> tuple[pd.Series, str]:
    """Arrival timestamps of the calls (repeats left out), and the activity they are: each case's first such event."""
    cases = obs.cases
    activity = "call_received" if obs.activity_is("call_received").any() else "ticket_logged"
    mask = obs.activity_is(activity)
    if activity == "ticket_logged" and not mask.any():
        mask = np.ones(len(obs.events), bool)
        activity = "first event"
    at = np.flatnonzero(mask)
    at = at[np.r_[True, obs.codes[at][1:] != obs.codes[at][:-1]][:len(at)]]
    if "case_type" in cases:
        at = at[obs.mask_of_rows(obs.case_is("case_type", "ticket"))[obs.codes[at]]]
    if "parent_id" in cases:
        at = at[~obs.mask_of_rows(cases["parent_id"].notna().to_numpy())[obs.codes[at]]]
    return obs.events["timestamp"].iloc[at], activity


def fit_arrivals(obs: Observed, template: Any) -> tuple[dict[str, Any], list[ParameterFit], list[str]]:
    """Changes, report rows and warnings for ``demand.calls_per_day``, ``hourly_profile``, ``holiday_factor``."""
    from svcsim.scenario.calendar import service_calendar

    stamps, activity = call_times(obs)
    wall = local_wall_ns(stamps, template.timezone)
    hours = (wall % _DAY_NS) // _HOUR_NS
    day_number = wall // _DAY_NS        # local days since 1970-01-01
    first = obs.start.tz_convert(template.timezone).date()
    end = obs.end.tz_convert(template.timezone)
    last = end.date()
    last_call_hour = int(hours.max()) + 1 if len(hours) else 24
    if end.hour + end.minute / 60 < last_call_hour:
        last -= dt.timedelta(days=1)
    changes: dict[str, Any] = {}
    rows: list[ParameterFit] = []
    warnings: list[str] = []
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    if not days or not len(stamps):
        warnings.append(f"demand: the log covers no whole day of calls ({activity}); the template's demand is kept")
        rows.append(ParameterFit("demand", "template", source="template", note="no whole day of calls"))
        return changes, rows, warnings
    calendar = service_calendar(template, years=(first.year, last.year))
    holidays, workdays = dict(calendar.holidays), dict(calendar.workdays)
    makeup = WEEKDAY_NAMES.index(template.calendar.makeup_hours)
    offset = day_number - (first - _EPOCH).days   # the call's day as an index into days (outside: not counted)
    inside = (offset >= 0) & (offset < len(days))
    per_day = np.bincount(offset[inside], minlength=len(days)).astype(float)
    weekday = np.array([makeup if d in workdays else d.weekday() for d in days])
    holiday = np.array([d in holidays for d in days])
    regular = ~holiday
    for w, name in enumerate(WEEKDAY_NAMES):
        sel = regular & (weekday == w)
        path = f"demand.calls_per_day.{name}"
        if not sel.any():
            rows.append(ParameterFit(path, template.demand.calls_per_day.get(name, 0.0), source="template",
                                     note=f"no regular {name} in the log"))
            continue
        n, total = int(sel.sum()), float(per_day[sel].sum())
        mean = total / n
        half = 1.96 * np.sqrt(max(total, 1.0)) / n          # Poisson count over n days
        changes[path] = round(mean, 3)
        rows.append(ParameterFit(path, round(mean, 3), (max(0.0, mean - half), mean + half), int(total), int(total),
                                 None, None, "log", f"calls a day ({activity}), {n} day(s)"))
    in_days = inside.copy()
    in_days[inside] = ~holiday[offset[inside]]
    by_hour = np.bincount(hours[in_days], minlength=24).astype(float)
    total = by_hour.sum()
    if total > 0:
        share = by_hour / total
        changes["demand.hourly_profile"] = [round(float(s), 5) for s in share]
        rows.append(ParameterFit("demand.hourly_profile", [round(float(s), 4) for s in share], None, int(total),
                                 int(total), None, None, "log",
                                 f"share of calls in each local hour ({template.timezone}); intervals: the per-hour rows"))
        for h in np.flatnonzero(by_hour):
            lo, hi = wilson(int(by_hour[h]), int(total))
            rows.append(ParameterFit(f"demand.hourly_profile.{h}", round(float(share[h]), 4), (lo, hi), int(by_hour[h]),
                                     int(by_hour[h]), None, None, "log", "share of the day's calls in this hour"))
    if holiday.any():
        expected = sum(template.demand.calls_per_day.get(WEEKDAY_NAMES[w], 0.0) if f"demand.calls_per_day.{WEEKDAY_NAMES[w]}"
                       not in changes else changes[f"demand.calls_per_day.{WEEKDAY_NAMES[w]}"]
                       for w in weekday[holiday])
        seen = float(per_day[holiday].sum())
        if expected > 0:
            factor = seen / expected
            changes["demand.holiday_factor"] = round(factor, 4)
            rows.append(ParameterFit("demand.holiday_factor", round(factor, 4), None, int(seen), int(seen), None, None,
                                     "log", f"{int(holiday.sum())} holiday(s): calls over the weekday volume"))
    else:
        rows.append(ParameterFit("demand.holiday_factor", template.demand.holiday_factor, source="template",
                                 note="no public holiday in the log"))
    return changes, rows, warnings

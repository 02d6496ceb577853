"""Simulation time: minutes since local midnight of the start date, and the calendars on it.

:class:`SimClock` turns the scenario's dates, service calendar and shifts
into simulation minutes: when each role is on duty, when the center is open
(units are received and bad parts handed in then), when the supplier's
courier calls, and the hourly arrival rates. Local times are converted
through UTC, so a zone with daylight saving gets its shifts right; the
arrival profile counts hours from the start (in a zone with daylight saving
the demand profile is off by an hour half the year: documented).
"""

from __future__ import annotations

import bisect
import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from svcsim.calendar.hours import WEEKDAY_NAMES, parse_intervals
from svcsim.scenario.calendar import service_calendar
from svcsim.scenario.model import Demand, Scenario, Shift

__all__ = ["SimClock"]

Intervals = tuple[tuple[int, int], ...]


class SimClock:
    """The calendar of one run, in simulation minutes."""

    def __init__(self, scenario: Scenario, days: int) -> None:
        self.zone = ZoneInfo(scenario.timezone)
        self.first_date = scenario.start
        self.days = int(days)
        self.dates = [scenario.start + dt.timedelta(days=d) for d in range(self.days)]
        self._start_utc = dt.datetime.combine(scenario.start, dt.time(0), tzinfo=self.zone).astimezone(dt.UTC)
        self.start = pd.Timestamp(self._start_utc).tz_convert(scenario.timezone)
        self.start_ns = int(pd.Timestamp(self._start_utc).value)
        self.horizon = self.minute(scenario.start + dt.timedelta(days=self.days), 0)
        calendar = service_calendar(scenario, years=(self.first_date.year, self.dates[-1].year))
        weekly = calendar.hours
        holidays, workdays = dict(calendar.holidays), dict(calendar.workdays)
        self.holidays = holidays
        self.workdays = workdays
        self.makeup_weekday = WEEKDAY_NAMES.index(scenario.calendar.makeup_hours)
        self.service_hours: list[Intervals] = [
            workdays[d] if d in workdays else (() if d in holidays else weekly[d.weekday()])
            for d in self.dates
        ]
        self.open_intervals = self._merge(
            (self.minute(d, s), self.minute(d, e)) for d, hours in zip(self.dates, self.service_hours, strict=True) for s, e in hours
        )
        self._open_ends = [e for _, e in self.open_intervals]
        pick_h, pick_m = map(int, scenario.spares.vendor_pickup.split(":"))
        self._duty: dict[tuple[tuple[str, ...], str], list[tuple[float, float]]] = {}
        self.pickups = [self.minute(d, pick_h * 60 + pick_m) for d, hours in zip(self.dates, self.service_hours, strict=True) if hours]

    # -- conversions -----------------------------------------------------------------
    def minute(self, date: dt.date, minute_of_day: int) -> float:
        """Simulation minute of a local date and minute of the day (1440 = next midnight)."""
        local = dt.datetime.combine(date, dt.time(0), tzinfo=self.zone) + dt.timedelta(minutes=minute_of_day)
        local = local.replace(tzinfo=None).replace(tzinfo=self.zone)  # wall time, then its offset
        return (local.astimezone(dt.UTC) - self._start_utc).total_seconds() / 60.0

    def ns(self, minutes: np.ndarray) -> np.ndarray:
        """UTC epoch nanoseconds of simulation minutes (rounded to the nanosecond)."""
        return self.start_ns + np.rint(np.asarray(minutes, dtype=float) * 6e10).astype(np.int64)

    # -- rosters and opening hours ------------------------------------------------------
    @staticmethod
    def _merge(intervals: object) -> list[tuple[float, float]]:
        merged: list[tuple[float, float]] = []
        for start, end in sorted(intervals):  # type: ignore[call-overload]
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged

    def duty(self, shift: Shift) -> list[tuple[float, float]]:
        """On-duty intervals of a role: its shift hours on service days (or every day)."""
        key = (tuple(shift.hours), shift.days)
        if key not in self._duty:
            self._duty[key] = self._roster(shift)
        return list(self._duty[key])

    def _roster(self, shift: Shift) -> list[tuple[float, float]]:
        hours = parse_intervals(shift.hours, field="shift.hours")
        days = [d for d, open_hours in zip(self.dates, self.service_hours, strict=True) if shift.days == "every" or open_hours]
        return [(s, e) for s, e in self._merge((self.minute(d, a), self.minute(d, b)) for d in days for a, b in hours)
                if s < self.horizon]

    def shift_ends(self, duty: list[tuple[float, float]]) -> list[float]:
        """Ends of the on-duty intervals that fall inside the horizon."""
        return [off for _, off in duty if off < self.horizon]

    def next_open(self, minute: float) -> float:
        """The first minute at or after ``minute`` when the center is open (inf if none left)."""
        i = bisect.bisect_right(self._open_ends, minute)
        if i == len(self.open_intervals):
            return float("inf")
        return max(minute, self.open_intervals[i][0])

    @staticmethod
    def next_on_duty(duty: list[tuple[float, float]], minute: float) -> float:
        """The first minute at or after ``minute`` inside one of the ``duty`` intervals (inf if none)."""
        ends = [off for _, off in duty]
        i = bisect.bisect_right(ends, minute)
        if i == len(duty):
            return float("inf")
        return max(minute, duty[i][0])

    def next_pickup(self, minute: float) -> float:
        """The supplier's next pickup at or after ``minute`` (inf if none in the horizon)."""
        i = bisect.bisect_left(self.pickups, minute)
        return self.pickups[i] if i < len(self.pickups) else float("inf")

    def hourly_rates(self, demand: Demand) -> np.ndarray:
        """Calls per hour for each hour of the horizon (day by day, hour by hour)."""
        profile = np.asarray(demand.hourly_profile, dtype=float)
        profile = profile / profile.sum()
        volume = np.empty(self.days)
        for i, date in enumerate(self.dates):
            weekday = self.makeup_weekday if date in self.workdays else date.weekday()
            calls = demand.calls_per_day.get(WEEKDAY_NAMES[weekday], 0.0)
            volume[i] = calls * (demand.holiday_factor if date in self.holidays else 1.0)
        return (volume[:, None] * profile[None, :]).ravel()

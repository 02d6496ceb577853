"""The precomputed tables behind a :class:`~svcsim.calendar.ServiceCalendar`.

Two tables, both in UTC epoch nanoseconds over the covered local dates:

* per local date ``d`` (``d`` = days since 1 January of the first year):
  ``day_start_ns[d]`` (local midnight), ``day_end_ns[d]`` (end of the day's
  last service interval, or NaT) and a running count of holiday dates;
* the open intervals, touching ones merged, with the business time before
  each (``cum_before_ns``) and up to its end (``cum_end_ns``).

Wall times become instants with the zone's rules: a local time that does not
exist (spring forward) moves forward to the first instant that does, and an
ambiguous one (fall back) takes its first occurrence. An interval that
vanishes that way (02:10-02:40 on a spring-forward night) is dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from svcsim.calendar.hours import Intervals
from svcsim.calendar.lookup import NAT_NS, SortedLookup

__all__ = ["CalendarTables", "build_tables", "wall_to_utc_ns"]

_NS_PER_MIN = 60 * 10**9
_EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday (Monday = 0)
_EPOCH = dt.datetime(1970, 1, 1)


def _gap_end_ns(wall_ns: int, zone: ZoneInfo) -> int:
    """UTC ns of the first instant after the DST gap that swallows a wall time.

    The instant lies between the wall time read with the offset after the
    gap (fold=1) and with the offset before it (fold=0); bisect on whole
    seconds for the first instant whose wall time is not earlier.
    """
    wall = _EPOCH + dt.timedelta(microseconds=wall_ns // 1000)
    low = int(wall.replace(tzinfo=zone, fold=1).timestamp())
    high = int(wall.replace(tzinfo=zone, fold=0).timestamp())
    low, high = min(low, high), max(low, high)
    while low < high:
        middle = (low + high) // 2
        if dt.datetime.fromtimestamp(middle, zone).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle + 1
    return low * 10**9


def wall_to_utc_ns(wall_ns: np.ndarray, timezone: str) -> np.ndarray:
    """UTC ns of naive local wall times (ns since 1970-01-01 00:00 wall clock).

    Non-existent times shift forward to the end of the gap; ambiguous times
    take their first (earlier) occurrence, whatever the zone calls DST.
    pandas finds both kinds; the gap ends are computed here, because pandas'
    ``shift_forward`` is off for gaps that are not one hour long.
    """
    wall_ns = np.asarray(wall_ns, dtype=np.int64)
    wall = pd.DatetimeIndex(wall_ns.view("datetime64[ns]"))
    first, second = (
        np.asarray(wall.tz_localize(timezone, ambiguous=np.full(len(wall), flag),
                                    nonexistent="NaT").as_unit("ns").asi8, dtype=np.int64)
        for flag in (True, False)
    )
    out = np.minimum(first, second)
    missing = np.flatnonzero(out == NAT_NS)
    if missing.size:
        zone = ZoneInfo(timezone)
        out[missing] = [_gap_end_ns(int(wall_ns[i]), zone) for i in missing]
    return out


@dataclass(frozen=True, eq=False)
class CalendarTables:
    """Arrays for vectorised business-time arithmetic (see the module docstring)."""

    first_date: dt.date
    day_start_ns: np.ndarray  # n_days + 1 local midnights
    day_end_ns: np.ndarray  # n_days, NAT_NS when the date has no service
    holidays_before: np.ndarray  # n_days + 1, holiday dates before each date
    open_start_ns: np.ndarray  # sentinel at 0, then merged intervals
    open_len_ns: np.ndarray
    cum_before_ns: np.ndarray
    cum_end_ns: np.ndarray
    shift_ns: np.ndarray  # cum_before_ns - open_start_ns
    day_lookup: SortedLookup  # over day_start_ns, side right
    open_lookup: SortedLookup  # over open_start_ns, side right
    cum_lookup: SortedLookup  # over cum_end_ns, side left

    @property
    def low_ns(self) -> int:
        """First covered instant (local midnight, 1 January of the first year)."""
        return int(self.day_start_ns[0])

    @property
    def high_ns(self) -> int:
        """First instant after the covered years."""
        return int(self.day_start_ns[-1])

    @property
    def total_ns(self) -> int:
        """All business time in the covered years."""
        return int(self.cum_end_ns[-1])

    def day_index(self, t_ns: np.ndarray) -> np.ndarray:
        """Index of each instant's local date (instants must be covered)."""
        return self.day_lookup(t_ns) - 1

    def open_at(self, t_ns: np.ndarray) -> np.ndarray:
        """Whether each (covered) instant lies inside a service interval."""
        k = self.open_lookup(t_ns) - 1
        return (t_ns - self.open_start_ns[k]) < self.open_len_ns[k]


def _day_intervals(
    first_date: dt.date,
    n_days: int,
    hours: Mapping[int, Intervals],
    holidays: Mapping[dt.date, str],
    workdays: Mapping[dt.date, Intervals],
) -> tuple[np.ndarray, np.ndarray]:
    """``(start_min, end_min)`` arrays of shape (n_days, slots); -1 marks no interval."""
    slots = max([1, *map(len, hours.values()), *map(len, workdays.values())])
    weekly = np.full((7, slots, 2), -1, dtype=np.int64)
    for day, intervals in hours.items():
        for j, pair in enumerate(intervals):
            weekly[day, j] = pair
    first_ordinal = first_date.toordinal()
    epoch_day = first_ordinal - dt.date(1970, 1, 1).toordinal()
    weekday = (np.arange(n_days) + epoch_day + _EPOCH_WEEKDAY) % 7
    table = weekly[weekday]
    for date, intervals in workdays.items():
        d = date.toordinal() - first_ordinal
        if 0 <= d < n_days:
            table[d] = -1
            for j, pair in enumerate(intervals):
                table[d, j] = pair
    for date in holidays:
        d = date.toordinal() - first_ordinal
        if 0 <= d < n_days:
            table[d] = -1
    return table[..., 0], table[..., 1]


def build_tables(
    timezone: str,
    hours: Mapping[int, Intervals],
    holidays: Mapping[dt.date, str],
    workdays: Mapping[dt.date, Intervals],
    first_year: int,
    last_year: int,
) -> CalendarTables:
    """Compute the tables of a calendar; a date both holiday and workday is closed."""
    first_date = dt.date(first_year, 1, 1)
    n_days = (dt.date(last_year + 1, 1, 1) - first_date).days
    start_min, end_min = _day_intervals(first_date, n_days, hours, holidays, workdays)

    midnight_wall = (np.arange(n_days + 1, dtype=np.int64)
                     + (first_date - dt.date(1970, 1, 1)).days) * (1440 * _NS_PER_MIN)
    day_start = wall_to_utc_ns(midnight_wall, timezone)

    present = start_min >= 0
    day_of = np.nonzero(present)[0]
    wall_start = midnight_wall[day_of] + start_min[present] * _NS_PER_MIN
    wall_end = midnight_wall[day_of] + end_min[present] * _NS_PER_MIN
    utc = wall_to_utc_ns(np.concatenate([wall_start, wall_end]), timezone)
    starts, ends = utc[: len(wall_start)], utc[len(wall_start):]
    keep = ends > starts
    starts, ends, day_of = starts[keep], ends[keep], day_of[keep]

    day_end = np.full(n_days, NAT_NS, dtype=np.int64)
    day_end[day_of] = ends  # day_of is sorted, so the last interval of a day wins

    is_holiday = np.zeros(n_days, dtype=np.int64)
    for date in holidays:
        d = date.toordinal() - first_date.toordinal()
        if 0 <= d < n_days:
            is_holiday[d] = 1
    holidays_before = np.concatenate([[0], np.cumsum(is_holiday)])

    # Merge touching intervals (a 24-hour day meets the next one at midnight).
    new_run = np.ones(len(starts), dtype=bool)
    new_run[1:] = starts[1:] != ends[:-1]
    merged_start = starts[new_run]
    merged_end = ends[np.append(new_run[1:], True)[: len(starts)]]

    sentinel = day_start[0] - 1
    open_start = np.concatenate([[sentinel], merged_start]).astype(np.int64)
    open_len = np.concatenate([[0], merged_end - merged_start]).astype(np.int64)
    cum_end = np.cumsum(open_len)
    cum_before = cum_end - open_len
    return CalendarTables(
        first_date=first_date,
        day_start_ns=day_start,
        day_end_ns=day_end,
        holidays_before=holidays_before,
        open_start_ns=open_start,
        open_len_ns=open_len,
        cum_before_ns=cum_before,
        cum_end_ns=cum_end,
        shift_ns=cum_before - open_start,
        day_lookup=SortedLookup.build(day_start, "right"),
        open_lookup=SortedLookup.build(open_start, "right"),
        cum_lookup=SortedLookup.build(cum_end, "left"),
    )

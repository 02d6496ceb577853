"""The service calendar: when a service center is open, and business-time arithmetic.

A :class:`ServiceCalendar` is a time zone, weekly service hours, closed dates
(public holidays and site closures) and extra working dates (make-up days),
over a fixed range of years. Its methods take whole numpy columns of UTC
epoch nanoseconds and answer with arrays, from tables computed once per
calendar (:mod:`svcsim.calendar.tables`). ``NAT_NS`` in gives ``NAT_NS`` out
(``False`` for the boolean answers); a timestamp outside the covered years
raises :class:`CalendarCoverageError` rather than guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from svcsim.calendar import config
from svcsim.calendar.hours import Intervals
from svcsim.calendar.lookup import NAT_NS
from svcsim.calendar.pandas_io import duration_ns, ns_to_local, utc_ns
from svcsim.calendar.tables import CalendarTables, build_tables
from svcsim.errors import InputError

__all__ = ["ServiceCalendar", "CalendarCoverageError"]


class CalendarCoverageError(InputError):
    """A timestamp (or a deadline) falls in a year the calendar does not cover."""


@dataclass(frozen=True)
class ServiceCalendar:
    """When service is given: zone, weekly hours, closed and extra working dates, years.

    ``hours`` maps weekday (0 = Monday) to ``((start_min, end_min), ...)`` in
    local minutes since midnight; ``holidays`` maps closed dates to a name;
    ``workdays`` maps extra working dates to their hours. A date in
    ``holidays`` is closed even if it is also in ``workdays``. The years
    ``first_year..last_year`` (inclusive, local dates) are covered. ``file``
    and ``where`` only say where the calendar was written, for messages.
    Treat the mappings as read-only: the tables are computed once.
    """

    timezone: str
    hours: Mapping[int, Intervals]
    holidays: Mapping[dt.date, str]
    workdays: Mapping[dt.date, Intervals]
    first_year: int
    last_year: int
    file: str | None = field(default=None, compare=False, repr=False)
    where: str | None = field(default=None, compare=False, repr=False)

    # ----------------------------------------------------------------- making one
    @classmethod
    def build(
        cls,
        *,
        timezone: str = "Asia/Shanghai",
        hours: Mapping[str, list[str]] | None = None,
        country: str | None = "CN",
        years: tuple[int, int] | None = None,
        closures: str | Path | pd.DataFrame | None = None,
        makeup_hours: str = "mon",
    ) -> ServiceCalendar:
        """A calendar from weekly hours, a country's public calendar and a closures file.

        See ``docs/reference/calendar.md`` for every argument and its default.
        """
        return cls(**config.calendar_fields(
            timezone=timezone, hours=hours, country=country, years=years,
            closures=closures, makeup_hours=makeup_hours,
        ))

    @classmethod
    def from_table(
        cls,
        table: Mapping[str, object],
        *,
        file: str | Path | None = None,
        where: str | None = None,
        base_dir: str | Path | None = None,
    ) -> ServiceCalendar:
        """A calendar from a TOML ``[calendars.<name>]`` table (closures relative to ``base_dir``)."""
        try:
            arguments = config.table_arguments(table, base_dir=base_dir)
            fields = config.calendar_fields(**arguments)
        except InputError as error:
            raise InputError(
                error.problem, file=error.file or file, where=error.where or where,
                field=error.field, row=error.row, expected=error.expected,
            ) from None
        return cls(**fields, file=None if file is None else str(file), where=where)

    @classmethod
    def always_open(cls, timezone: str = "UTC") -> ServiceCalendar:
        """Service around the clock, no holidays, years 1970..2100."""
        return cls(
            timezone=config.check_timezone(timezone),
            hours={day: ((0, 1440),) for day in range(7)},
            holidays={}, workdays={},
            first_year=config.NO_COUNTRY_YEARS[0], last_year=config.NO_COUNTRY_YEARS[1],
        )

    @cached_property
    def _tables(self) -> CalendarTables:
        return build_tables(self.timezone, self.hours, self.holidays, self.workdays,
                            self.first_year, self.last_year)

    # ------------------------------------------------------------------ coverage
    def check_covered(self, t_ns: np.ndarray, *, what: str = "timestamp") -> None:
        """Raise :class:`CalendarCoverageError` for the first non-NaT instant not covered."""
        t = np.asarray(t_ns, dtype=np.int64).ravel()
        if t.size == 0:
            return
        low, high = self._tables.low_ns, self._tables.high_ns
        if t.max() < high and t.min() >= low:
            return
        bad = (t >= high) | ((t < low) & (t != NAT_NS))
        if bad.any():
            self._uncovered(int(t[np.flatnonzero(bad)[0]]), what)

    def covers(self, t_ns: np.ndarray) -> np.ndarray:
        """Per instant: True where it falls in the covered years (NaT counts as covered: nothing to judge)."""
        t = np.asarray(t_ns, dtype=np.int64)
        return ((t >= self._tables.low_ns) & (t < self._tables.high_ns)) | (t == NAT_NS)

    @property
    def beyond_reason(self) -> str:
        """The ``reason`` of a result row whose deadline falls after the covered years."""
        return f"deadline beyond the calendar's years {self.first_year}-{self.last_year}"

    def _uncovered(self, t_ns: int, what: str) -> None:
        local = ns_to_local(np.array([t_ns]), self.timezone)[0]
        span = f"{self.first_year}-{self.last_year}"
        raise CalendarCoverageError(
            f"{what} {local.isoformat()} is in {local.year}, outside the years this calendar "
            f"covers ({span})",
            file=self.file, where=self.where, field="years",
            expected=f"timestamps in {span}; to cover {local.year}, extend years and list "
            f"{local.year}'s holidays and make-up days in a closures file",
        )

    def _deadline_uncovered(self, start_ns: int, duration_ns: int) -> None:
        local = ns_to_local(np.array([start_ns]), self.timezone)[0]
        later = self.last_year + 1
        raise CalendarCoverageError(
            f"the deadline of timestamp {local.isoformat()} plus "
            f"{pd.Timedelta(duration_ns, unit='ns')} of business time falls after "
            f"{self.last_year}, the last year this calendar covers "
            f"({self.first_year}-{self.last_year})",
            file=self.file, where=self.where, field="years",
            expected=f"deadlines within {self.first_year}-{self.last_year}; to cover {later}, "
            f"extend years and list {later}'s holidays and make-up days in a closures file",
        )

    def _times(
        self, *arrays: np.ndarray, what: str = "timestamp"
    ) -> tuple[list[np.ndarray], np.ndarray | None, tuple[int, ...]]:
        """Broadcast int64 inputs, check coverage, flatten, swap NaT for a covered instant.

        Returns the flat arrays, their NaT mask (``None`` when there is no NaT)
        and the broadcast shape the answer takes.
        """
        values, shape = _flat(*arrays)
        nat = None
        for value in values:
            self.check_covered(value, what=what)
            if value.size and value.min() == NAT_NS:
                nat = (value == NAT_NS) if nat is None else nat | (value == NAT_NS)
        if nat is not None:
            values = [np.where(nat, self._tables.low_ns, value) for value in values]
        return values, nat, shape

    @staticmethod
    def _answer(out: np.ndarray, nat: np.ndarray | None, shape: tuple[int, ...],
                missing: object = NAT_NS) -> np.ndarray:
        if nat is not None:
            out[nat] = missing
        return out.reshape(shape)

    # -------------------------------------------------------- vectorised answers
    def business_ns(self, start_ns: np.ndarray, end_ns: np.ndarray) -> np.ndarray:
        """Service time in ``[start, end)`` in ns; negative (``-business(end, start)``) if end < start."""
        from svcsim.calendar.kernels import business_between  # numba loads on first use

        (start, end), shape = _flat(start_ns, end_ns)
        self.check_covered(start)
        self.check_covered(end)
        tables = self._tables
        look = tables.open_lookup
        out = business_between(look.padded, look.table, look.low, look.shift, tables.shift_ns, tables.cum_end_ns, start, end)
        return out.reshape(shape)

    def deadline_ns(self, start_ns: np.ndarray, duration_ns: np.ndarray, *, strict: bool = True) -> np.ndarray:
        """Earliest instant ``t >= start`` with ``business(start, t) >= duration``.

        A duration of 0 (or less) gives ``start``. A target reached exactly at
        the end of an interval gives that end, not the next opening. A deadline
        past the covered years raises :class:`CalendarCoverageError`, or with
        ``strict=False`` is ``NAT_NS`` (the rules judge such a row on its own,
        see :attr:`beyond_reason`, rather than stop the check).
        """
        from svcsim.calendar.kernels import deadlines  # numba loads on first use

        (start, duration), shape = _flat(start_ns, duration_ns)
        self.check_covered(start)
        tables = self._tables
        o, c = tables.open_lookup, tables.cum_lookup
        out, beyond = deadlines(o.padded, o.table, o.low, o.shift, tables.shift_ns, c.padded, c.table, c.low, c.shift,
                                tables.open_start_ns, tables.open_len_ns, tables.cum_end_ns, start, duration)
        if strict and beyond >= 0:
            self._deadline_uncovered(int(start[beyond]), int(duration[beyond]))
        return out.reshape(shape)

    def day_end_ns(self, t_ns: np.ndarray) -> np.ndarray:
        """End of the last service interval of each instant's local date (NaT if none)."""
        (t,), nat, shape = self._times(t_ns)
        return self._answer(self._tables.day_end_ns[self._tables.day_index(t)], nat, shape)

    def holiday_between(self, start_ns: np.ndarray, end_ns: np.ndarray) -> np.ndarray:
        """Whether a local date from date(start) to date(end), both included, is a holiday.

        The two ends may come in either order; NaT gives ``False``.
        """
        (start, end), nat, shape = self._times(start_ns, end_ns)
        tables = self._tables
        first, last = tables.day_index(start), tables.day_index(end)
        low, high = np.minimum(first, last), np.maximum(first, last)
        out = tables.holidays_before[high + 1] > tables.holidays_before[low]
        return self._answer(out, nat, shape, missing=False)

    def is_open_ns(self, t_ns: np.ndarray) -> np.ndarray:
        """Whether each instant lies inside a service interval (NaT gives ``False``)."""
        (t,), nat, shape = self._times(t_ns)
        return self._answer(self._tables.open_at(t), nat, shape, missing=False)

    # ---------------------------------------------------------- pandas wrappers
    def business_duration(self, start: object, end: object) -> pd.Series:
        """Business time between tz-aware timestamps, as a Series of Timedelta."""
        start_ns, index = utc_ns(start, what="start")
        end_ns, _ = utc_ns(end, what="end")
        if len(start_ns) != len(end_ns):
            raise InputError(f"start has {len(start_ns)} values and end {len(end_ns)}",
                             expected="as many ends as starts")
        out = self.business_ns(start_ns, end_ns)
        return pd.Series(out.view("timedelta64[ns]"), index=index, name="business_duration")

    def business_deadline(self, start: object, duration: object) -> pd.Series:
        """Deadlines of tz-aware starts after a business duration, in the calendar's zone."""
        start_ns, index = utc_ns(start, what="start")
        out = self.deadline_ns(start_ns, duration_ns(duration, len(start_ns)))
        return pd.Series(ns_to_local(out, self.timezone), index=index, name="business_deadline")


def _flat(*arrays: object) -> tuple[list[np.ndarray], tuple[int, ...]]:
    """Inputs as int64, broadcast together and flattened (contiguous), and the shape an answer takes."""
    values = np.broadcast_arrays(*(np.asarray(a, dtype=np.int64) for a in arrays))
    return [np.ascontiguousarray(value.ravel()) for value in values], values[0].shape

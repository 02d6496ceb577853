"""Service hours as the user writes them, and as the calendar keeps them.

A day's hours are written as ``"HH:MM-HH:MM"`` strings (``"08:30-12:00"``),
several per day for a lunch break, and kept as ``(start_min, end_min)``
pairs: minutes since local midnight, ``end_min`` up to 1440 (``"24:00"``).
Intervals of one day must be sorted and must not overlap (touching is fine).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from svcsim.errors import InputError

__all__ = [
    "WEEKDAY_NAMES",
    "DEFAULT_HOURS",
    "Intervals",
    "weekday_number",
    "parse_intervals",
    "parse_weekly_hours",
    "format_intervals",
]

#: Weekday names as written in files, in ``date.weekday()`` order (0 = Monday).
WEEKDAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: Hours used when none are given: Monday to Saturday with a lunch break.
DEFAULT_HOURS: Mapping[str, list[str]] = {
    name: ["08:30-12:00", "13:00-17:30"] for name in WEEKDAY_NAMES[:6]
}

#: One day's service intervals, ``((start_min, end_min), ...)``.
Intervals = tuple[tuple[int, int], ...]

_MINUTES_PER_DAY = 1440
_INTERVAL = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_INTERVAL_EXPECTED = 'service hours as "HH:MM-HH:MM" with the start before the end, e.g. "08:30-12:00"'
_WEEKDAY_EXPECTED = "one of " + ", ".join(WEEKDAY_NAMES)


def weekday_number(name: object, *, field: str) -> int:
    """The ``date.weekday()`` number of a weekday name such as ``"mon"``."""
    if isinstance(name, str) and name.strip().lower() in WEEKDAY_NAMES:
        return WEEKDAY_NAMES.index(name.strip().lower())
    raise InputError(f"unknown weekday {name!r}", field=field, expected=_WEEKDAY_EXPECTED)


def _minute_of_day(hour: str, minute: str) -> int | None:
    h, m = int(hour), int(minute)
    if m > 59 or h > 24 or (h == 24 and m != 0):
        return None
    return h * 60 + m


def parse_intervals(
    texts: Iterable[object], *, field: str, row: int | None = None
) -> Intervals:
    """Parse one day's ``"HH:MM-HH:MM"`` strings into sorted, disjoint minute pairs."""
    if isinstance(texts, str) or not isinstance(texts, (list, tuple)):
        what = f"the string {texts!r}" if isinstance(texts, str) else f"{texts!r} ({type(texts).__name__})"
        raise InputError(
            f"hours must be a list of intervals, not {what}", field=field,
            row=row, expected='a list such as ["08:30-12:00", "13:00-17:30"]',
        )
    intervals: list[tuple[int, int]] = []
    for text in texts:
        match = _INTERVAL.match(text) if isinstance(text, str) else None
        start = end = None
        if match:
            start = _minute_of_day(match[1], match[2])
            end = _minute_of_day(match[3], match[4])
        if start is None or end is None or start >= end or start == _MINUTES_PER_DAY:
            raise InputError(
                f"bad service hours {text!r}", field=field, row=row, expected=_INTERVAL_EXPECTED
            )
        if intervals and start < intervals[-1][1]:
            previous = format_intervals((intervals[-1],))
            raise InputError(
                f"service hours {text!r} overlap or come before {previous!r}", field=field,
                row=row, expected="the day's intervals in time order, without overlaps",
            )
        intervals.append((start, end))
    return tuple(intervals)


def parse_weekly_hours(
    hours: Mapping[str, object] | None, *, field: str = "hours"
) -> dict[int, Intervals]:
    """Weekly hours by weekday number from ``{"mon": [...], ...}``; missing days are closed."""
    if hours is None:
        hours = DEFAULT_HOURS
    if not isinstance(hours, Mapping):
        raise InputError(
            "service hours must be a table of weekdays", field=field,
            expected='a table such as {mon = ["08:30-12:00", "13:00-17:30"], sun = []}',
        )
    weekly: dict[int, Intervals] = {day: () for day in range(7)}
    for name, texts in hours.items():
        day = weekday_number(name, field=f"{field}.{name}")
        weekly[day] = parse_intervals(texts, field=f"{field}.{WEEKDAY_NAMES[day]}")
    return weekly


def format_intervals(intervals: Intervals) -> str:
    """``"08:30-12:00;13:00-17:30"`` for a day's minute pairs (``""`` when closed)."""
    return ";".join(
        f"{s // 60:02d}:{s % 60:02d}-{e // 60:02d}:{e % 60:02d}" for s, e in intervals
    )

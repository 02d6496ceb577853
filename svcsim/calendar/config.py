"""From what the user wrote to the fields of a :class:`~svcsim.calendar.ServiceCalendar`.

:func:`calendar_fields` checks the arguments of ``ServiceCalendar.build`` and
puts the calendar together: weekly hours, then the public holidays (closed)
and make-up days (open with the make-up hours), then the user's closures on
top. :func:`table_arguments` turns a TOML table into those arguments.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from svcsim.calendar.closures import read_closures
from svcsim.calendar.hours import Intervals, parse_weekly_hours, weekday_number
from svcsim.calendar.public import YEAR_LIMITS, public_calendar
from svcsim.errors import InputError

__all__ = ["TABLE_KEYS", "NO_COUNTRY_YEARS", "check_timezone", "calendar_fields", "table_arguments"]

#: Keys of a ``[calendars.<name>]`` table.
TABLE_KEYS: tuple[str, ...] = ("timezone", "country", "years", "closures", "makeup_hours", "hours")

#: Years covered by default when there is no country (no holidays to be wrong about).
NO_COUNTRY_YEARS: tuple[int, int] = (1970, 2100)

_YEARS_EXPECTED = f"[first, last] with {YEAR_LIMITS[0]} <= first <= last <= {YEAR_LIMITS[1]}"


def check_timezone(name: object, *, field: str = "timezone") -> str:
    """``name`` if it is an IANA time zone the system knows, else :class:`InputError`."""
    try:
        if isinstance(name, str) and name:
            zoneinfo.ZoneInfo(name)
            return name
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        pass
    raise InputError(
        f"unknown time zone {name!r}", field=field,
        expected='an IANA time zone name such as "Asia/Shanghai" or "UTC"',
    )


def _check_years(years: object) -> tuple[int, int]:
    ok = (
        isinstance(years, (list, tuple)) and len(years) == 2
        and all(isinstance(y, int) and not isinstance(y, bool) for y in years)
    )
    if ok and YEAR_LIMITS[0] <= years[0] <= years[1] <= YEAR_LIMITS[1]:
        return int(years[0]), int(years[1])
    raise InputError(f"bad years {years!r}", field="years", expected=_YEARS_EXPECTED)


def _no_country(country: object) -> bool:
    return country is None or (isinstance(country, str) and country.strip().lower() in ("", "none"))


def calendar_fields(
    *,
    timezone: object,
    hours: Mapping[str, object] | None,
    country: object,
    years: object,
    closures: str | Path | pd.DataFrame | None,
    makeup_hours: object,
) -> dict[str, Any]:
    """The dataclass fields of the calendar the user described (see ``ServiceCalendar.build``)."""
    zone = check_timezone(timezone)
    weekly = parse_weekly_hours(hours)
    makeup = weekly[weekday_number(makeup_hours, field="makeup_hours")]
    wanted = None if years is None else _check_years(years)

    holidays: dict[dt.date, str] = {}
    workdays: dict[dt.date, Intervals] = {}
    if _no_country(country):
        first, last = wanted or NO_COUNTRY_YEARS
    else:
        if not isinstance(country, str):
            raise InputError(f"bad country {country!r}", field="country",
                             expected='a country code such as "CN", or "none"')
        public = public_calendar(country, wanted)
        first, last = wanted or public.known_years
        known_first, known_last = public.known_years
        if (first < known_first or last > known_last) and closures is None:
            raise InputError(
                f"years {first}-{last} go beyond the years the holidays package knows the "
                f"{public.country} calendar for ({known_first}-{known_last})",
                field="years",
                expected=f"years within {known_first}-{known_last}, or a closures file that "
                "lists the holidays and make-up days of the other years",
            )
        holidays.update(public.holidays)
        if public.makeup_days and not makeup:
            raise InputError(
                f"make-up working days take the hours of {makeup_hours!r}, which has none",
                field="makeup_hours", expected="a weekday that has service hours",
            )
        workdays.update({day: makeup for day in public.makeup_days})

    if closures is not None:
        for closure in read_closures(closures, years=(first, last)):
            if closure.kind == "closed":
                holidays[closure.date] = closure.note or holidays.get(closure.date, "closure")
                workdays.pop(closure.date, None)
                continue
            holidays.pop(closure.date, None)
            day_hours = makeup if closure.hours is None else closure.hours
            if not day_hours:
                file = None if isinstance(closures, pd.DataFrame) else str(closures)
                raise InputError(
                    "an open date without hours takes the make-up hours, and there are none",
                    file=file, field="hours", row=closure.row,
                    expected='hours such as "09:00-12:00;13:00-17:00"',
                )
            workdays[closure.date] = day_hours

    return {
        "timezone": zone,
        "hours": weekly,
        "holidays": dict(sorted(holidays.items())),
        "workdays": dict(sorted(workdays.items())),
        "first_year": first,
        "last_year": last,
    }


def table_arguments(table: object, *, base_dir: str | Path | None) -> dict[str, Any]:
    """Keyword arguments of ``ServiceCalendar.build`` from a ``[calendars.<name>]`` table."""
    if not isinstance(table, Mapping):
        raise InputError("a calendar must be a table", expected="a [calendars.<name>] table")
    for key in table:
        if key not in TABLE_KEYS:
            raise InputError(f"unknown key {key!r}", field=str(key),
                             expected="one of " + ", ".join(TABLE_KEYS))
    arguments: dict[str, Any] = {
        "timezone": table.get("timezone", "Asia/Shanghai"),
        "hours": table.get("hours"),
        "country": table.get("country", "CN"),
        "years": table.get("years"),
        "makeup_hours": table.get("makeup_hours", "mon"),
        "closures": None,
    }
    closures = table.get("closures")
    if closures is not None:
        if not isinstance(closures, str) or not closures.strip():
            raise InputError(f"bad closures path {closures!r}", field="closures",
                             expected="the path of a CSV file, relative to this file")
        path = Path(closures)
        if base_dir is not None and not path.is_absolute():
            path = Path(base_dir) / path
        arguments["closures"] = path
    return arguments

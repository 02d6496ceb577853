"""Public holidays and make-up working days, as the ``holidays`` package knows them.

China publishes its holiday schedule one year at a time: which days are off
and which weekend days become working days ("make-up days", 调休). The
``holidays`` package carries the published schedules; for a year it has not
seen yet it can only guess the statutory days. So for China the years the
package *knows* are the years that have at least one make-up weekend day in
the package, taken as the contiguous run that ends with the latest such year.
Other countries' holidays follow fixed rules, so the package knows them for
its whole supported range (kept within :data:`YEAR_LIMITS`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import holidays

from svcsim.errors import InputError

__all__ = ["YEAR_LIMITS", "PublicCalendar", "public_calendar"]

#: Years a calendar may cover at all (nanosecond timestamps and sums stay in int64).
YEAR_LIMITS: tuple[int, int] = (1950, 2200)

#: Countries whose holiday schedule is published yearly (known years are detected).
_SCHEDULED_COUNTRIES = frozenset({"CN"})


@dataclass(frozen=True)
class PublicCalendar:
    """What a country's official calendar says over some years.

    ``known_years`` is the range the package has reliable data for;
    ``holidays`` and ``makeup_days`` cover the requested years only.
    """

    country: str
    known_years: tuple[int, int]
    holidays: dict[dt.date, str]
    makeup_days: frozenset[dt.date]


def _country_class(country: str) -> type[holidays.HolidayBase]:
    try:
        return type(holidays.country_holidays(country))
    except NotImplementedError:
        raise InputError(
            f"unknown country {country!r}", field="country",
            expected='a country code of the holidays package such as "CN", or "none"',
        ) from None


def _makeup_days(table: holidays.HolidayBase, first: int, last: int) -> set[dt.date]:
    # The package's set can hold make-up days of other years; keep only ours.
    found = getattr(table, "weekend_workdays", None) or set()
    return {day for day in found if first <= day.year <= last}


def _known_years(country: str, cls: type[holidays.HolidayBase]) -> tuple[int, int]:
    first = max(YEAR_LIMITS[0], int(cls.start_year))
    last = min(YEAR_LIMITS[1], int(cls.end_year))
    if country not in _SCHEDULED_COUNTRIES:
        return first, last
    table = holidays.country_holidays(country, years=range(first, last + 1))
    years = {day.year for day in _makeup_days(table, first, last)}
    if not years:
        raise InputError(
            f"the holidays package has no official {country} schedule for any year",
            field="country", expected="a holidays package with the schedule, or country = \"none\"",
        )
    end = max(years)
    start = end
    while start - 1 in years:
        start -= 1
    return start, end


def public_calendar(country: str, years: tuple[int, int] | None) -> PublicCalendar:
    """Holidays and make-up days of ``country`` over ``years`` (default: its known years).

    Years beyond the known range are allowed here; the caller decides whether
    the user vouched for them with a closures file. For those years the
    package's rule-based statutory holidays are still included.
    """
    code = country.strip().upper()
    cls = _country_class(code)
    known = _known_years(code, cls)
    first, last = known if years is None else years
    table = holidays.country_holidays(code, years=range(first, last + 1))
    named = {day: str(name) for day, name in table.items() if first <= day.year <= last}
    return PublicCalendar(
        country=code,
        known_years=known,
        holidays=named,
        makeup_days=frozenset(_makeup_days(table, first, last)),
    )

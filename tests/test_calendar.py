"""Service calendars: golden cases, an independent oracle, properties, bad input."""

from __future__ import annotations

import datetime as dt
import doctest
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import svcsim.calendar
from svcsim.calendar import NAT_NS, CalendarCoverageError, ServiceCalendar
from svcsim.calendar.lookup import SortedLookup
from svcsim.errors import InputError

HOUR_NS = 3600 * 10**9
DAY_NS = 24 * HOUR_NS
SHANGHAI = "Asia/Shanghai"
BERLIN = "Europe/Berlin"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "reference" / "calendar.md"
PROPERTY = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

#: A Berlin week whose Sunday hours straddle the 02:00-03:00 DST hour.
BERLIN_HOURS = {
    "mon": ["08:00-12:00", "13:00-17:00"], "tue": ["08:00-12:00", "13:00-17:00"],
    "wed": ["08:00-12:00", "13:00-17:00"], "thu": ["08:00-12:00", "13:00-17:00"],
    "fri": ["08:00-12:00", "12:00-18:00"], "sat": ["22:00-24:00"],
    "sun": ["00:00-02:15", "02:40-03:30", "22:00-24:00"],
}
MON_FRI = {day: ["08:30-12:00", "13:00-17:30"] for day in ("mon", "tue", "wed", "thu", "fri")}


def ns(text: str, zone: str = SHANGHAI) -> int:
    """UTC epoch ns of a local wall time."""
    return pd.Timestamp(text, tz=zone).as_unit("ns").value


def local(t_ns: int, zone: str = SHANGHAI) -> str:
    """Local wall time of UTC epoch ns, as 'YYYY-MM-DD HH:MM'."""
    return pd.Timestamp(int(t_ns), unit="ns", tz="UTC").tz_convert(zone).strftime("%Y-%m-%d %H:%M")


def arr(*values: int) -> np.ndarray:
    return np.array(values, dtype=np.int64)


@pytest.fixture(scope="module")
def cn() -> ServiceCalendar:
    return ServiceCalendar.build(years=(2024, 2026))


@pytest.fixture(scope="module")
def cn_weekdays() -> ServiceCalendar:
    return ServiceCalendar.build(hours=MON_FRI, years=(2024, 2026))


@pytest.fixture(scope="module")
def berlin() -> ServiceCalendar:
    return ServiceCalendar.build(timezone=BERLIN, country="DE", years=(2024, 2026),
                                 hours=BERLIN_HOURS)


@pytest.fixture(scope="module")
def cn_instants(cn) -> st.SearchStrategy[int]:
    return _instants(cn)


@pytest.fixture(scope="module")
def berlin_instants(berlin) -> st.SearchStrategy[int]:
    return _instants(berlin)


# ------------------------------------------------------------------ golden cases
def test_friday_evening_plus_four_hours_lands_on_saturday(cn):
    """Golden: Friday 17:10 + 4 service hours = 20 min Friday, 3 h 30 Saturday morning,
    then 10 min after lunch: Saturday 13:10."""
    out = cn.deadline_ns(arr(ns("2026-03-06 17:10")), arr(4 * HOUR_NS))
    assert local(out[0]) == "2026-03-07 13:10"


def test_deadline_reached_at_interval_end_is_that_end(cn):
    """Golden: a deadline reached exactly at 12:00 is 12:00, not the 13:00 reopening."""
    starts = arr(ns("2026-03-09 09:00"), ns("2026-03-06 17:00"))
    out = cn.deadline_ns(starts, arr(3 * HOUR_NS, 4 * HOUR_NS))
    assert [local(t) for t in out] == ["2026-03-09 12:00", "2026-03-07 12:00"]


def test_start_in_closed_time_counts_from_next_opening(cn):
    """Golden: a start during lunch or at night counts from the next opening."""
    starts = arr(ns("2026-03-09 12:30"), ns("2026-03-09 20:00"), ns("2026-03-10 05:00"))
    out = cn.deadline_ns(starts, arr(HOUR_NS, HOUR_NS, 0))
    assert [local(t) for t in out] == ["2026-03-09 14:00", "2026-03-10 09:30", "2026-03-10 05:00"]
    business = cn.business_ns(arr(ns("2026-03-09 12:30")), arr(ns("2026-03-09 14:00")))
    assert business.tolist() == [HOUR_NS]


def test_chinese_new_year_2026_is_closed(cn):
    """Golden: Spring Festival 2026 (16-20 and 23 February) has no service hours."""
    assert not cn.is_open_ns(arr(ns("2026-02-17 10:00"), ns("2026-02-23 10:00"))).any()
    week = cn.business_ns(arr(ns("2026-02-16 00:00")), arr(ns("2026-02-21 00:00")))
    assert week.tolist() == [0]
    assert "Chinese New Year (Spring Festival)" in cn.holidays[dt.date(2026, 2, 17)]


def test_2026_makeup_weekend_days_are_open_with_monday_hours(cn_weekdays):
    """Golden: the 2026 make-up Saturdays and Sundays of the holidays package are
    working days with Monday's hours, though the center never opens at weekends."""
    package = holidays.China(years=2026).weekend_workdays
    makeup = sorted(day for day in package if day.year == 2026)
    assert {day.weekday() for day in makeup} == {5, 6}
    noon = arr(*(ns(f"{day} 10:00") for day in makeup))
    assert cn_weekdays.is_open_ns(noon).all()
    assert [local(t)[-5:] for t in cn_weekdays.day_end_ns(noon)] == ["17:30"] * len(makeup)
    ordinary_saturday = arr(ns("2026-03-07 10:00"))
    assert not cn_weekdays.is_open_ns(ordinary_saturday).any()


def test_closures_file_closes_one_date_and_opens_another(tmp_path):
    """Golden: a closures CSV closes a working Tuesday and opens a Sunday (with its own
    hours), and can reopen a public holiday with the make-up hours."""
    path = tmp_path / "closures.csv"
    path.write_text("date,kind,hours,note\n"
                    "2026-03-10,closed,,stocktaking\n"
                    "2026-03-08,open,10:00-12:00;14:00-15:00,launch\n"
                    "2026-02-18,open,,\n")
    cal = ServiceCalendar.build(years=(2026, 2026), closures=path)
    assert cal.holidays[dt.date(2026, 3, 10)] == "stocktaking"
    assert not cal.is_open_ns(arr(ns("2026-03-10 10:00"))).any()
    sunday = cal.business_ns(arr(ns("2026-03-08 00:00")), arr(ns("2026-03-09 00:00")))
    assert sunday.tolist() == [3 * HOUR_NS]
    assert cal.is_open_ns(arr(ns("2026-02-18 09:00"))).all()
    assert dt.date(2026, 2, 18) not in cal.holidays


def test_day_end_on_open_and_closed_days(cn):
    """Golden: day end is the end of the date's last interval, NaT on a closed date."""
    times = arr(ns("2026-03-09 03:00"), ns("2026-03-09 23:59"), ns("2026-03-08 10:00"),
                ns("2026-02-17 10:00"), NAT_NS)
    out = cn.day_end_ns(times)
    assert [local(t) for t in out[:2]] == ["2026-03-09 17:30", "2026-03-09 17:30"]
    assert out[2:].tolist() == [NAT_NS] * 3


def test_holiday_between_counts_both_end_dates(cn):
    """Golden: holiday_between is true when a local date from date(start) to date(end),
    both included, is a holiday, in either order; NaT gives False."""
    start = arr(ns("2026-02-10 09:00"), ns("2026-02-10 09:00"), ns("2026-02-23 23:00"),
                ns("2026-02-24 01:00"), ns("2026-02-17 08:00"), NAT_NS)
    end = arr(ns("2026-02-16 00:30"), ns("2026-02-15 23:59"), ns("2026-03-02 09:00"),
              ns("2026-02-10 09:00"), ns("2026-02-17 08:00"), ns("2026-02-17 08:00"))
    assert cn.holiday_between(start, end).tolist() == [True, False, True, True, True, False]


def test_dst_days_in_berlin(berlin):
    """Golden: on the spring-forward Sunday 02:00-03:00 does not exist, so 00:00-02:15
    gives 2 h and 02:40-03:30 gives 30 min; on the fall-back Sunday the ambiguous 02:15
    and 02:40 take their first occurrence: 2 h 15, then 1 h 50 across the repeated hour."""
    spring = berlin.business_ns(arr(ns("2026-03-29 00:00", BERLIN)), arr(ns("2026-03-29 21:00", BERLIN)))
    autumn = berlin.business_ns(arr(ns("2026-10-25 00:00", BERLIN)), arr(ns("2026-10-25 21:00", BERLIN)))
    assert spring.tolist() == [2 * HOUR_NS + HOUR_NS // 2]
    assert autumn.tolist() == [4 * HOUR_NS + 5 * 60 * 10**9]
    midnight = berlin.day_end_ns(arr(ns("2026-03-28 12:00", BERLIN)))
    assert local(midnight[0], BERLIN) == "2026-03-29 00:00"


def test_always_open_counts_wall_clock_time():
    """Golden: a 24/7 calendar's business time is elapsed time, its deadline start + d."""
    cal = ServiceCalendar.always_open(BERLIN)
    start = arr(ns("2026-03-28 23:00", BERLIN), NAT_NS)
    end = arr(start[0] + 7 * DAY_NS, start[0])
    assert cal.business_ns(start, end).tolist() == [7 * DAY_NS, NAT_NS]
    assert cal.deadline_ns(start, arr(5 * HOUR_NS, HOUR_NS)).tolist() == [start[0] + 5 * HOUR_NS, NAT_NS]


def test_pandas_wrappers_keep_index_and_zone(cn):
    """The pandas wrappers take tz-aware columns (any zone) and answer in the calendar's zone."""
    start = pd.Series(pd.to_datetime(["2026-03-06 09:10:00", None]).tz_localize("UTC"),
                      index=["a", "b"])
    end = pd.Series(pd.to_datetime(["2026-03-09 02:00:00", "2026-03-09 02:00:00"]).tz_localize("UTC"))
    duration = cn.business_duration(start, end.to_numpy())
    assert duration.index.tolist() == ["a", "b"]
    assert duration["a"] == pd.Timedelta(hours=9, minutes=50)  # Fri 20 min, Sat 8 h, Mon 1 h 30
    assert pd.isna(duration["b"])
    deadline = cn.business_deadline(start, pd.Timedelta(hours=4))
    assert str(deadline.dt.tz) == SHANGHAI
    assert deadline["a"] == pd.Timestamp("2026-03-07 13:10", tz=SHANGHAI)
    with pytest.raises(InputError, match="no time zone"):
        cn.business_duration(pd.Series(pd.to_datetime(["2026-03-06"])), end)


# --------------------------------------------------------------- oracle in Python
def _instant_ns(day: dt.date, minute: int, zone: ZoneInfo) -> int:
    """UTC ns of a local wall time: a missing time moves to the first minute that exists,
    an ambiguous one takes its first occurrence (fold=0)."""
    wall = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)
    while True:
        aware = wall.replace(tzinfo=zone, fold=0)
        if aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) == wall:
            return int(aware.timestamp()) * 10**9
        wall += dt.timedelta(minutes=1)


def _oracle_intervals(cal: ServiceCalendar, day: dt.date) -> list[tuple[int, int]]:
    if day in cal.holidays:
        return []
    zone = ZoneInfo(cal.timezone)
    hours = cal.workdays.get(day, cal.hours[day.weekday()])
    pairs = [(_instant_ns(day, s, zone), _instant_ns(day, e, zone)) for s, e in hours]
    return [(s, e) for s, e in pairs if e > s]


def _local_date(t_ns: int, cal: ServiceCalendar) -> dt.date:
    return dt.datetime.fromtimestamp(t_ns // 10**9, ZoneInfo(cal.timezone)).date()


def oracle_business(cal: ServiceCalendar, a: int, b: int) -> int:
    """Walk the local dates from date(a) to date(b) and sum the overlaps with [a, b)."""
    if b < a:
        return -oracle_business(cal, b, a)
    day, last, total = _local_date(a, cal), _local_date(b, cal), 0
    while day <= last:
        for s, e in _oracle_intervals(cal, day):
            total += max(0, min(b, e) - max(a, s))
        day += dt.timedelta(days=1)
    return total


def oracle_deadline(cal: ServiceCalendar, a: int, d: int) -> int:
    """Walk forward from date(a), spending d over the intervals that end after a."""
    if d <= 0:
        return a
    day = _local_date(a, cal)
    while True:
        for s, e in _oracle_intervals(cal, day):
            begin = max(s, a)
            if e > begin:
                if d <= e - begin:
                    return begin + d
                d -= e - begin
        day += dt.timedelta(days=1)


def _instants(cal: ServiceCalendar) -> st.SearchStrategy[int]:
    """Instants in 2024..2026, half of them near holidays, make-up days or DST changes."""
    zone = ZoneInfo(cal.timezone)
    low, high = ns("2024-01-25 00:00", cal.timezone), ns("2026-11-01 00:00", cal.timezone)
    special = sorted({*cal.holidays, *cal.workdays, dt.date(2024, 3, 31), dt.date(2024, 10, 27),
                      dt.date(2025, 3, 30), dt.date(2025, 10, 26), dt.date(2026, 3, 29),
                      dt.date(2026, 10, 25)})
    bases = [_instant_ns(day, 0, zone) for day in special]
    bases = [b for b in bases if low <= b < high]
    near = st.builds(int.__add__, st.sampled_from(bases), st.integers(-2 * DAY_NS, 3 * DAY_NS))
    return st.one_of(st.integers(low, high), near)


@pytest.mark.parametrize("which", ["cn", "berlin"])
@PROPERTY
@given(data=st.data())
def test_business_time_matches_a_day_by_day_walk(request, which, data):
    """Oracle: business_ns equals, to the nanosecond, a plain day-by-day walk over local
    dates with zoneinfo, for batches of random intervals in either order."""
    cal, instants = request.getfixturevalue(which), request.getfixturevalue(f"{which}_instants")
    starts = data.draw(st.lists(instants, min_size=1, max_size=12))
    spans = data.draw(st.lists(st.integers(-20 * DAY_NS, 20 * DAY_NS),
                               min_size=len(starts), max_size=len(starts)))
    ends = [s + d for s, d in zip(starts, spans, strict=True)]
    got = cal.business_ns(np.array(starts), np.array(ends)).tolist()
    assert got == [oracle_business(cal, a, b) for a, b in zip(starts, ends, strict=True)]


@pytest.mark.parametrize("which", ["cn", "berlin"])
@PROPERTY
@given(data=st.data())
def test_deadline_matches_a_day_by_day_walk(request, which, data):
    """Oracle: deadline_ns equals, to the nanosecond, walking forward interval by interval
    and spending the duration, for batches of random starts and durations."""
    cal, instants = request.getfixturevalue(which), request.getfixturevalue(f"{which}_instants")
    starts = data.draw(st.lists(instants, min_size=1, max_size=12))
    durations = data.draw(st.lists(
        st.one_of(st.integers(0, 120 * HOUR_NS), st.sampled_from([0, HOUR_NS, 8 * HOUR_NS])),
        min_size=len(starts), max_size=len(starts)))
    got = cal.deadline_ns(np.array(starts), np.array(durations)).tolist()
    assert got == [oracle_deadline(cal, a, d) for a, d in zip(starts, durations, strict=True)]


@pytest.mark.parametrize(("zone", "years"), [
    ("Australia/Lord_Howe", (2017, 2018)),  # 30-minute DST shifts
    ("Europe/Dublin", (2017, 2018)),  # "negative DST" in the time zone data
    ("Pacific/Apia", (2010, 2012)),  # DST at midnight, and 30 Dec 2011 never happened
])
def test_odd_dst_zones_match_the_walk(zone, years):
    """Oracle: around every clock change of zones with unusual changes, business time
    and deadlines equal the day-by-day walk."""
    hours = {**BERLIN_HOURS, "sun": ["00:00-00:45", "01:10-02:15", "02:40-03:30", "22:00-24:00"]}
    cal = ServiceCalendar.build(timezone=zone, country=None, years=years, hours=hours)
    day_start = cal._tables.day_start_ns
    change = np.flatnonzero(np.diff(day_start) != DAY_NS)
    assert change.size >= 4
    start, end = day_start[change] - DAY_NS + 5 * 10**9, day_start[change + 1] + DAY_NS
    assert cal.business_ns(start, end).tolist() == [
        oracle_business(cal, int(a), int(b)) for a, b in zip(start, end, strict=True)]
    due = cal.deadline_ns(start, np.full(len(start), 9 * HOUR_NS))
    assert due.tolist() == [oracle_deadline(cal, int(a), 9 * HOUR_NS) for a in start]


# -------------------------------------------------------------------- properties
@pytest.mark.parametrize("which", ["cn", "berlin"])
@PROPERTY
@given(data=st.data())
def test_business_time_adds_up_and_deadline_inverts_it(request, which, data):
    """Property: business(a, b) + business(b, c) = business(a, c); for a <= b,
    deadline(a, business(a, b)) <= b; business(a, deadline(a, d)) = d, and one
    nanosecond earlier is not enough."""
    cal, instants = request.getfixturevalue(which), request.getfixturevalue(f"{which}_instants")
    a, b, c, d = (np.array(data.draw(st.lists(instants, min_size=8, max_size=8)))
                  for _ in range(4))
    d = np.abs(d - a) % (200 * HOUR_NS)
    assert (cal.business_ns(a, b) + cal.business_ns(b, c) == cal.business_ns(a, c)).all()
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    assert (cal.deadline_ns(lo, cal.business_ns(lo, hi)) <= hi).all()
    due = cal.deadline_ns(a, d)
    assert (cal.business_ns(a, due) == d).all()
    positive = d > 0
    assert (cal.business_ns(a[positive], due[positive] - 1) < d[positive]).all()


@given(values=st.lists(st.integers(-10**15, 10**15), min_size=1, max_size=60),
       keys=st.lists(st.integers(-2 * 10**15, 2 * 10**15), max_size=60),
       side=st.sampled_from(["left", "right"]))
def test_sorted_lookup_agrees_with_searchsorted(values, keys, side):
    """Property: the bucketed lookup gives exactly numpy.searchsorted's answer."""
    values = np.sort(np.array(values, dtype=np.int64))
    keys = np.array(keys, dtype=np.int64)
    lookup = SortedLookup.build(values, side)
    assert lookup(keys).tolist() == np.searchsorted(values, keys, side).tolist()


# ---------------------------------------------------------------------- coverage
def test_default_cn_years_are_those_with_an_official_schedule():
    """Coverage: by default a CN calendar covers the contiguous years, ending with the
    latest, in which the holidays package lists make-up weekend days."""
    cal = ServiceCalendar.build()
    package = holidays.China(years=range(1990, 2101)).weekend_workdays
    assert cal.first_year == 2001
    assert cal.last_year == max(day.year for day in package)


def test_a_2027_timestamp_is_not_covered(cn):
    """Coverage: a timestamp in a year the calendar does not cover raises, naming the
    timestamp, its year and the covered years, and how to extend them."""
    with pytest.raises(CalendarCoverageError) as caught:
        cn.business_ns(arr(ns("2026-12-30 09:00")), arr(ns("2027-01-04 09:00")))
    assert str(caught.value) == (
        "field 'years': timestamp 2027-01-04T09:00:00+08:00 is in 2027, outside the years "
        "this calendar covers (2024-2026); expected timestamps in 2024-2026; to cover 2027, "
        "extend years and list 2027's holidays and make-up days in a closures file")
    with pytest.raises(CalendarCoverageError, match="falls after 2026"):
        cn.deadline_ns(arr(ns("2026-12-31 17:00")), arr(HOUR_NS))


def test_years_beyond_the_package_need_a_closures_file(tmp_path):
    """Coverage: CN years the package has no schedule for are allowed only with a
    closures file, whose entries then make up that year's calendar."""
    last = ServiceCalendar.build().last_year
    with pytest.raises(InputError, match="go beyond the years the holidays package knows"):
        ServiceCalendar.build(years=(last, last + 1))
    path = tmp_path / "closures.csv"
    path.write_text(f"date,kind\n{last + 1}-02-08,closed\n")
    cal = ServiceCalendar.build(years=(last, last + 1), closures=path)
    assert cal.last_year == last + 1
    assert dt.date(last + 1, 2, 8) in cal.holidays


# --------------------------------------------------------------------- bad input
def _table_error(table: dict, **kwargs) -> str:
    with pytest.raises(InputError) as caught:
        ServiceCalendar.from_table(table, file="calendars.toml", where="calendar 'service'",
                                   **kwargs)
    return str(caught.value)


def test_bad_hours_string_is_located():
    """Bad input: a malformed interval names the file, calendar, field and the format."""
    assert _table_error({"hours": {"mon": ["8:30-12"]}}) == (
        "calendars.toml: calendar 'service': field 'hours.mon': bad service hours '8:30-12'; "
        'expected service hours as "HH:MM-HH:MM" with the start before the end, e.g. "08:30-12:00"')
    assert _table_error({"hours": {"tue": ["08:30-12:00", "11:00-13:00"]}}) == (
        "calendars.toml: calendar 'service': field 'hours.tue': service hours '11:00-13:00' "
        "overlap or come before '08:30-12:00'; expected the day's intervals in time order, "
        "without overlaps")


def test_unknown_weekday_and_key_are_located():
    """Bad input: an unknown weekday name or table key is named with what is allowed."""
    assert _table_error({"hours": {"funday": []}}) == (
        "calendars.toml: calendar 'service': field 'hours.funday': unknown weekday 'funday'; "
        "expected one of mon, tue, wed, thu, fri, sat, sun")
    assert _table_error({"timezon": "UTC"}) == (
        "calendars.toml: calendar 'service': field 'timezon': unknown key 'timezon'; expected "
        "one of timezone, country, years, closures, makeup_hours, hours")


def test_unknown_time_zone_is_located():
    """Bad input: a time zone the system does not know is refused, not guessed."""
    assert _table_error({"timezone": "Mars/Olympus"}) == (
        "calendars.toml: calendar 'service': field 'timezone': unknown time zone "
        "'Mars/Olympus'; expected an IANA time zone name such as \"Asia/Shanghai\" or \"UTC\"")


def test_bad_closures_row_is_located(tmp_path):
    """Bad input: a bad date in the closures CSV names that file, the field and the
    1-based data row."""
    path = tmp_path / "closures.csv"
    path.write_text("date,kind,note\n2026-03-10,closed,a\n2026-03-11,closed,b\n"
                    "2026-02-30,closed,c\n")
    table = {"years": [2026, 2026], "closures": "closures.csv"}
    assert _table_error(table, base_dir=tmp_path) == (
        f"{path}: calendar 'service': field 'date': row 3: '2026-02-30' is not a valid date; "
        "expected a date as YYYY-MM-DD")


def test_from_table_reads_every_key(tmp_path):
    """A TOML table with every key gives the same calendar as build() with those arguments."""
    (tmp_path / "c.csv").write_text("date,kind\n2026-03-10,closed\n")
    table = {"timezone": SHANGHAI, "country": "CN", "years": [2025, 2026],
             "closures": "c.csv", "makeup_hours": "tue", "hours": MON_FRI}
    from_table = ServiceCalendar.from_table(table, base_dir=tmp_path)
    built = ServiceCalendar.build(timezone=SHANGHAI, country="CN", years=(2025, 2026),
                                  closures=tmp_path / "c.csv", makeup_hours="tue", hours=MON_FRI)
    assert from_table == built
    assert ServiceCalendar.from_table({"country": "none"}).holidays == {}


# ------------------------------------------------------------------------- house
def test_package_exports_are_true():
    """House rule: __all__ names exactly what the package exports."""
    assert sorted(svcsim.calendar.__all__) == ["CalendarCoverageError", "NAT_NS", "ServiceCalendar"]
    assert all(hasattr(svcsim.calendar, name) for name in svcsim.calendar.__all__)


def test_reference_examples_run():
    """Every example in docs/reference/calendar.md runs and prints what it shows."""
    result = doctest.testfile(str(DOCS), module_relative=False,
                              optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0


def test_a_closures_file_that_names_a_column_twice_is_refused(tmp_path):
    """pandas would read the second "kind" as "kind.1"; the file is refused and the column named."""
    path = tmp_path / "closures.csv"
    path.write_text("date,kind,kind\n2026-03-10,closed,open\n")
    table = {"years": [2026, 2026], "closures": "closures.csv"}
    message = _table_error(table, base_dir=tmp_path)
    assert message.startswith(f"{path}: ") and "field 'kind'" in message
    assert message.endswith("the header names column 'kind' 2 times (columns 2 and 3); "
                            "expected one column per name: rename or drop the repeats")


def test_a_day_of_hours_that_is_not_a_list_is_refused_naming_the_day():
    """Found by the fuzz test: `wed = -1` in a rules file's hours crashed with a TypeError."""
    from svcsim.calendar.hours import parse_weekly_hours
    from svcsim.errors import InputError

    with pytest.raises(InputError, match=r"hours must be a list of intervals, not -1 \(int\)") as raised:
        parse_weekly_hours({"mon": ["08:30-12:00"], "wed": -1}, field="calendars.service.hours")
    assert "calendars.service.hours.wed" in str(raised.value)

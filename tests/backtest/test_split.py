"""Where a backtest cuts a log: cases belong to the part they started in; the held-out days are whole days."""

from __future__ import annotations

import pandas as pd
import pytest
from bthelpers import ZONE, log_of
from hypothesis import given, settings
from hypothesis import strategies as st

from svcsim.backtesting.split import case_starts, cut, share_split, split_at
from svcsim.errors import InputError


def _daily(days: int = 10) -> dict[str, list[str]]:
    """One case a day from Monday 2025-03-03 at 10:00, each closed two days later at 11:00."""
    day0 = pd.Timestamp("2025-03-03")
    return {f"c{i}": [f"{day0 + pd.Timedelta(days=i):%Y-%m-%d} 10:00", f"{day0 + pd.Timedelta(days=i + 2):%Y-%m-%d} 11:00"]
            for i in range(days)}


def test_the_split_is_a_local_midnight_and_the_held_out_days_are_whole():
    """Split 2025-03-08: 5 cases before, the last event 03-14 11:00, so 6 whole held-out days to 03-14 00:00."""
    log = log_of(_daily())
    s = split_at(log, "2025-03-08", ZONE)
    assert s.until == pd.Timestamp("2025-03-08", tz=ZONE)
    assert s.days == 6 and s.end == pd.Timestamp("2025-03-14", tz=ZONE)
    assert (s.train_cases, s.held_out_cases) == (5, 5)  # c5..c9 start 03-08..03-12
    assert s.straddling == 2  # c3 and c4 close on 03-08 and 03-09
    assert (s.arrival_days, s.arrivals_end) == (6, s.end)  # a quiet last day is the center's own


def test_an_export_that_stopped_taking_cases_is_compared_on_its_arrival_days_only():
    """The last case starts 03-12 but updates run to 03-30: arrivals are compared to 03-13, observed to 03-30."""
    log = log_of({**_daily(), "slow": ["2025-03-05 10:00", "2025-03-30 09:00"]})
    s = split_at(log, "2025-03-08", ZONE)
    assert s.days == 22 and s.end == pd.Timestamp("2025-03-30", tz=ZONE)
    assert s.arrival_days == 5 and s.arrivals_end == pd.Timestamp("2025-03-13", tz=ZONE)
    assert s.held_out_cases == 5


def test_a_straddling_case_is_cut_at_the_split_for_training_and_left_out_of_the_held_out_part():
    log = log_of(_daily())
    s = split_at(log, "2025-03-08", ZONE)
    train, held = cut(log, None, s.until), cut(log, s.until, s.end)
    c4 = train.events[train.events["case_id"] == "c4"]
    assert len(c4) == 1 and c4["timestamp"].max() < s.until  # its closing event after the split is not there
    assert "c4" not in set(held.events["case_id"].astype(str))
    assert set(held.cases["case_id"]) == {"c5", "c6", "c7", "c8", "c9"}
    assert held.events["timestamp"].max() < s.end  # c9's closing event on 03-14 is past the held-out end


@pytest.mark.parametrize("date", ["2025-03-01", "2025-03-03", "2025-03-14", "2025-04-01"])
def test_a_date_outside_the_log_is_refused_in_one_line(date):
    with pytest.raises(InputError, match=r"--train-until .*(outside the log|no whole day)") as info:
        split_at(log_of(_daily()), date, ZONE)
    assert info.value.field == "--train-until" and "\n" not in str(info.value)


def test_a_date_that_is_not_a_date_is_refused():
    with pytest.raises(InputError, match="is not a date"):
        split_at(log_of(_daily()), "next tuesday", ZONE)


def test_no_case_after_the_split_is_refused():
    """Cases that only straddle the split leave nothing to compare."""
    log = log_of({"a": ["2025-03-03 10:00", "2025-03-09 10:00"], "b": ["2025-03-04 10:00", "2025-03-10 12:00"]})
    with pytest.raises(InputError, match="no case starts between --train-until 2025-03-06"):
        split_at(log, "2025-03-06", ZONE)


def test_the_share_split_is_the_first_midnight_by_which_that_share_had_started():
    """Ten daily cases, 70 %: the 7th starts 03-09 10:00, so the split is 03-10 00:00 with 7 cases before it."""
    s = share_split(log_of(_daily()), 0.7, ZONE)
    assert s.until == pd.Timestamp("2025-03-10", tz=ZONE)
    assert s.train_cases == 7


@pytest.mark.parametrize("share", [0, 1, 1.5, -0.2])
def test_a_share_outside_zero_one_is_refused(share):
    with pytest.raises(InputError, match="--train-share"):
        share_split(log_of(_daily()), share, ZONE)


@settings(max_examples=30, deadline=None)
@given(offsets=st.lists(st.integers(0, 20 * 1440), min_size=2, max_size=30), split_day=st.integers(1, 19))
def test_training_and_held_out_cases_partition_the_cases_started_before_the_end(offsets, split_day):
    """Every case that starts before the held-out end is in exactly one part; the parts keep no event past their end."""
    day0 = pd.Timestamp("2025-03-03", tz=ZONE)
    cases = {f"c{i}": [str((day0 + pd.Timedelta(minutes=m)).tz_localize(None)),
                       str((day0 + pd.Timedelta(minutes=m + 300)).tz_localize(None))] for i, m in enumerate(offsets)}
    log = log_of(cases)
    try:
        s = split_at(log, (day0 + pd.Timedelta(days=split_day)).date(), ZONE)
    except InputError:
        return  # a split outside the log or with nothing after it: refused, tested above
    train, held = cut(log, None, s.until), cut(log, s.until, s.end)
    starts = case_starts(log)
    expected = set(starts.index[(starts < s.end).to_numpy()].astype(str))
    a, b = set(train.cases["case_id"]), set(held.cases["case_id"])
    assert not (a & b) and a | b == expected
    assert len(a) == s.train_cases and len(b) == s.held_out_cases
    assert (train.events["timestamp"] < s.until).all() and (held.events["timestamp"] < s.end).all()

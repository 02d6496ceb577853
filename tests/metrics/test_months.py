"""Months are calendar months in a stated zone: an event at 23:30 local on a month's last day counts in that month."""

from __future__ import annotations

import pandas as pd
import pytest
from metriclogs import story

from svcsim.errors import InputError
from svcsim.metrics import monthly_kpis


def returns_by_month(log, **kw) -> dict[str, float]:
    kpis = monthly_kpis(log, **kw)
    rows = kpis[kpis["kpi"] == "returns"]
    return dict(zip(rows["month"], rows["value"], strict=True))


def two_items(zone: str):
    """One item received at 23:30 on 31 Jan and one at 00:30 on 1 Feb, local time in ``zone``."""
    return story(
        [("I1", "item_received", "2026-01-31 23:30"), ("I2", "item_received", "2026-02-01 00:30")],
        {"I1": {"case_type": "item"}, "I2": {"case_type": "item"}},
        zone=zone,
    )


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "America/New_York", "UTC"])
def test_late_evening_on_the_last_day_counts_in_that_month(zone):
    """In Shanghai 00:30 on 1 Feb is still 31 Jan in UTC; in New York 23:30 on 31 Jan is already 1 Feb in UTC."""
    assert returns_by_month(two_items(zone), zone=zone) == {"2026-01": 1, "2026-02": 1}


def test_the_zone_of_the_months_is_a_setting():
    """The Shanghai log read in UTC months: both items fall on 31 Jan (15:30 and 16:30 UTC)."""
    assert returns_by_month(two_items("Asia/Shanghai"), zone="UTC") == {"2026-01": 2}


def test_month_bounds_and_observed_days_around_a_month_end():
    kpis = monthly_kpis(two_items("Asia/Shanghai"))
    months = kpis.drop_duplicates("month").set_index("month")
    assert str(months.loc["2026-02", "month_start"]) == "2026-02-01 00:00:00+08:00"
    assert str(months.loc["2026-01", "month_end"]) == "2026-02-01 00:00:00+08:00"
    assert months["observed_days"].tolist() == pytest.approx([0.5 / 24, 0.5 / 24])
    assert months["partial"].all()


def test_as_of_cuts_the_log_and_must_be_aware():
    log = two_items("Asia/Shanghai")
    assert returns_by_month(log, as_of="2026-01-31T23:59:00+08:00") == {"2026-01": 1}
    with pytest.raises(InputError, match="as_of"):
        monthly_kpis(log, as_of="2026-01-31T23:59:00")


def test_months_selects_the_months_reported():
    log = two_items("Asia/Shanghai")
    assert returns_by_month(log, months=["2026-02"]) == {"2026-02": 1}
    assert returns_by_month(log, months=[pd.Period("2026-01", freq="M")]) == {"2026-01": 1}


def test_a_month_with_no_events_in_between_is_still_reported_as_zero():
    log = story(
        [("I1", "item_received", "2026-01-10 10:00"), ("I2", "item_received", "2026-03-10 10:00")],
        {"I1": {"case_type": "item"}, "I2": {"case_type": "item"}},
    )
    assert returns_by_month(log) == {"2026-01": 1, "2026-02": 0, "2026-03": 1}


def test_as_of_at_a_month_first_midnight_adds_no_empty_month():
    log = two_items("Asia/Shanghai")
    kpis = monthly_kpis(log, as_of="2026-02-01T00:00:00+08:00")
    assert kpis["month"].unique().tolist() == ["2026-01"]
    assert kpis.loc[kpis["kpi"] == "returns", "value"].tolist() == [1]  # the 00:30 item is after as_of

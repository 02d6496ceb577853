"""Golden tests: the monthly KPIs, stock results and budget of one hand-written center, answers worked out by hand.

The story is in ``metriclogs.center_story``; as of 2026-03-20 12:00 local, the
log covers 5 Jan 09:00 -> 20 Mar 12:00 (26.625 + 28 + 19.5 = 74.125 days).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from metriclogs import center_story, sales_story
from scipy.stats import poisson

from svcsim.analytic import min_stock
from svcsim.metrics import monthly_kpis, spares_budget, stock_results


@pytest.fixture(scope="module")
def kpis():
    return monthly_kpis(center_story(), slow_days=30, catalogue=["C"])


def one(frame: pd.DataFrame, month: str, kpi: str, part: str | None = None) -> pd.Series:
    rows = frame[(frame["month"] == month) & (frame["kpi"] == kpi)]
    rows = rows[rows["part"].isna()] if part is None else rows[rows["part"] == part]
    assert len(rows) == 1, (month, kpi, part, rows)
    return rows.iloc[0]


def test_months_are_local_calendar_months_and_partial_ones_are_marked(kpis):
    months = kpis.drop_duplicates("month").set_index("month")
    assert list(months.index) == ["2026-01", "2026-02", "2026-03"]
    assert list(months["partial"]) == [True, False, True]
    assert months["observed_days"].tolist() == pytest.approx([26.625, 28.0, 19.5])
    assert str(months["month_start"].iloc[1]) == "2026-02-01 00:00:00+08:00"
    assert list(kpis.attrs["skipped"]) == ["batch_flags"]  # the story has no batches: said, not left empty
    assert "no batch attribute" in kpis.attrs["skipped"]["batch_flags"]


def test_return_volume_counts_items_by_the_month_they_were_received(kpis):
    """I1 (defective) arrives in January, I2 (DOA) in March; the bench unit T8 in February."""
    expected = {"returns": [1, 0, 1], "returns_defective": [1, 0, 0], "returns_dead_spare": [0, 0, 1], "bench_units_received": [0, 1, 0]}
    for kpi, values in expected.items():
        assert [one(kpis, m, kpi)["value"] for m in ("2026-01", "2026-02", "2026-03")] == values, kpi


def test_repair_success_rate_comes_from_the_recurrence_verdicts(kpis):
    """T2's software fix (31 Jan 23:30, a January fix) failed: T3 was logged for the same fault 2 Feb.
    February: T3's software fix and T4's hardware repair held. March: T7's repair is pending; T6
    had a part replaced, so the hardware-7d rule does not judge it."""
    jan, feb, mar = (one(kpis, m, "repair_success_rate") for m in ("2026-01", "2026-02", "2026-03"))
    assert (jan["numerator"], jan["denominator"], jan["value"], bool(jan["flag"])) == (0, 1, 0.0, True)
    assert (feb["numerator"], feb["denominator"], feb["value"], bool(feb["flag"])) == (2, 2, 1.0, False)
    assert mar["denominator"] == 0 and math.isnan(mar["value"]) and mar["note"] == "1 pending"
    assert [one(kpis, m, "repairs_pending")["value"] for m in ("2026-01", "2026-02", "2026-03")] == [0, 0, 1]


def test_a_fix_still_in_its_window_is_pending_not_counted():
    """As of 12 Feb, T3's software fix (2 Feb) has its 72 hours behind it and held; T4's hardware repair
    (10 Feb) is two days into its week: pending, in neither numerator nor denominator. Later events are unknown."""
    early = monthly_kpis(center_story(), as_of="2026-02-12T12:00:00+08:00")
    feb = one(early, "2026-02", "repair_success_rate")
    assert (feb["numerator"], feb["denominator"], feb["note"]) == (1, 1, "1 pending")
    assert one(early, "2026-02", "repairs_pending")["value"] == 1
    assert early["month"].max() == "2026-02" and bool(early["partial"].iloc[-1])


def test_doa_rate_is_doa_units_over_products_sold_by_the_month_of_the_sale():
    """February sold 3, one came back dead (in March): 1/3. March sold 2, one dead: 1/2. April sold 2, none yet."""
    kpis = monthly_kpis(sales_story())
    rows = [one(kpis, m, "doa_rate") for m in ("2026-02", "2026-03", "2026-04")]
    assert [(r["numerator"], r["denominator"]) for r in rows] == [(1, 3), (1, 2), (0, 2)]
    assert rows[0]["value"] == pytest.approx(1 / 3) and rows[2]["value"] == 0.0
    returns = [one(kpis, "2026-03", kpi)["value"] for kpi in ("returns", "returns_doa", "returns_defective")]
    assert returns == [3, 2, 1]


def test_dead_spare_rate_is_dead_spares_over_parts_issued(kpis):
    """March: two A issued to T6, one of them proved dead when fitted (I2)."""
    assert [one(kpis, m, "dead_spare_rate")["value"] for m in ("2026-01", "2026-02", "2026-03")] == [0.0, 0.0, 0.5]
    a_march = one(kpis, "2026-03", "dead_spare_rate", "A")
    assert (a_march["numerator"], a_march["denominator"]) == (1, 2)
    assert math.isnan(one(kpis, "2026-02", "dead_spare_rate", "A")["value"])  # nothing issued: no rate, not zero


def test_a_dead_spare_counts_in_the_month_it_was_issued_not_received():
    """T10 gets part A on 31 Jan 22:00 and it is dead; its item I3 reaches the administrator 1 Feb.
    January: 1 of 1 issued was DOA. February issues 2 good As to other jobs: 0 of 2, never 1 of 0."""
    from metriclogs import story

    log = story([
        ("T10", "part_issued", "2026-01-31 22:00", "A"), ("T10", "part_issued", "2026-01-31 22:30", "A"),
        ("I3", "item_received", "2026-02-01 09:00"),
        ("T11", "part_issued", "2026-02-05 10:00", "A"), ("T12", "part_issued", "2026-02-06 10:00", "A"),
        ("T13", "part_issued", "2026-02-07 10:00", "A"),
        ("I4", "item_received", "2026-02-28 09:00"),  # a DOA item whose job the log does not have
    ], {
        "T10": {"case_type": "ticket"}, "T11": {"case_type": "ticket"}, "T12": {"case_type": "ticket"},
        "T13": {"case_type": "ticket"},
        "I3": {"case_type": "item", "parent_id": "T10", "part": "A", "item_kind": "dead_spare"},
        "I4": {"case_type": "item", "parent_id": "T99", "part": "A", "item_kind": "dead_spare"},
    })
    rates = monthly_kpis(log)
    jan, feb = one(rates, "2026-01", "dead_spare_rate"), one(rates, "2026-02", "dead_spare_rate")
    assert (jan["numerator"], jan["denominator"], jan["value"]) == (1, 2, 0.5)
    assert (feb["numerator"], feb["denominator"]) == (1, 3)  # I4 keeps the month it was received
    assert (one(rates, "2026-01", "returns_dead_spare")["value"], one(rates, "2026-02", "returns_dead_spare")["value"]) == (0, 2)


def test_part_usage_against_the_mean_of_the_other_months(kpis):
    """A: 1, 0, 2 issues. January's expected number is A's rate in Feb-Mar times January's observed days."""
    jan = one(kpis, "2026-01", "part_usage", "A")
    mu = 2 / (28 + 19.5) * 26.625
    assert jan["value"] == 1 and jan["expected"] == pytest.approx(mu)
    assert jan["p_value"] == pytest.approx(min(1.0, 2 * min(poisson.sf(0, mu), poisson.cdf(1, mu))))
    assert not jan["flag"]


def test_part_usage_against_a_given_rate_is_flagged_with_its_p_value():
    """0.1 A a month expected: two in 19.5 days of March is abnormal (p well below 1%)."""
    kpis = monthly_kpis(center_story(), expected_usage={"A": 0.1})
    mar = one(kpis, "2026-03", "part_usage", "A")
    mu = 0.1 * 19.5 / 31
    assert mar["expected"] == pytest.approx(mu)
    assert mar["p_value"] == pytest.approx(2 * poisson.sf(1, mu))
    assert bool(mar["flag"]) and mar["note"].startswith("high")


def test_slow_moving_stock_at_each_month_end(kpis):
    """slow_days = 30. A: last issue 5 Jan -> 26.6 days at 1 Feb (no), 54.6 at 1 Mar (yes), 18.1 on 20 Mar (no).
    B: never issued by 1 Feb on a 26.6-day log (unknown), issued 18 Feb (no), 30.04 days on 20 Mar (yes).
    C (catalogue only): unknown, then slow."""
    flags = {sku: [one(kpis, m, "slow_moving_stock", sku)["flag"] for m in ("2026-01", "2026-02", "2026-03")] for sku in "ABC"}
    assert flags["A"] == [False, True, False]
    assert flags["B"][0] is pd.NA and flags["B"][1:] == [False, True]
    assert flags["C"][0] is pd.NA and flags["C"][1:] == [True, True]
    assert one(kpis, "2026-02", "slow_moving_stock", "A")["value"] == pytest.approx(54 + 14 / 24)
    counts = [(one(kpis, m, "slow_moving_skus")["numerator"], one(kpis, m, "slow_moving_skus")["denominator"]) for m in ("2026-01", "2026-02", "2026-03")]
    assert counts == [(0, 3), (2, 3), (2, 3)]


def test_stock_results_per_part():
    """A: three requests, all at once (T1, T6 twice). B: T5's one request waited. Every job: T1-T8."""
    stock = stock_results(center_story()).set_index("part")
    assert stock.loc["A", ["requests", "issued_at_once", "waited", "jobs", "jobs_waited"]].tolist() == [3, 3, 0, 2, 0]
    assert stock.loc["B", ["requests", "waited", "jobs_waited"]].tolist() == [1, 1, 1]
    assert stock.loc["B", "fill_rate"] == 0.0
    assert stock.loc["ALL", "fill_rate"] == 0.75
    assert (stock.loc["ALL", "jobs"], stock.loc["ALL", "jobs_waited"]) == (8, 1)


def test_items_past_each_vendor_milestone():
    """I2 (part A) is 17 days at the vendor on 20 Mar: past 3, 7 and 15 days; confirmed in time, but neither
    informed nor contacted, so the engine escalates 7d and 15d. I1 came back: not counted."""
    stock = stock_results(center_story()).set_index("part")
    past = stock.loc["A", ["past_vendor_3d", "past_vendor_7d", "past_vendor_15d", "past_vendor_30d"]].tolist()
    missed = stock.loc["A", ["missed_vendor_3d", "missed_vendor_7d", "missed_vendor_15d", "missed_vendor_30d"]].tolist()
    assert past == [1, 1, 1, 0] and missed == [0, 1, 1, 0]
    assert stock.loc["A", "at_vendor"] == 1 and stock.loc["B", "at_vendor"] == 0
    assert stock.loc["ALL", "past_vendor_15d"] == 1


def test_spares_budget_per_sku():
    """A: 3 issues in 74.125 days; trips: I1 14 days (handled 21 h), I2 open 17 d 2 h (handled 20 h):
    Kaplan-Meier mean 14 + 0.5 x 3 d 2 h. One DOA in 74.125 days -> 365/74.125 new buys a year."""
    catalogue = pd.DataFrame({"sku": ["A", "B", "C"], "unit_cost": [10.0, 20.0, 5.0], "base_stock": [1, None, 0],
                              "new_buy_lead_time_days": [None, None, 30]})
    budget = spares_budget(center_story(), catalogue).set_index("sku")
    days = 74.125
    a = budget.loc["A"]
    vendor = 14 + 0.5 * (17 + 2 / 24 - 14)
    resupply = (21 + 20) / 48 + vendor
    assert a["demand_per_day"] == pytest.approx(3 / days)
    assert a["vendor_days"] == pytest.approx(vendor) and a["resupply_days"] == pytest.approx(resupply)
    assert a["target_stock"] == min_stock(3 / days, resupply, 0.95)
    assert a["top_up_units"] == a["target_stock"] - 1
    assert a["new_buys"] == pytest.approx(365 / days)
    assert a["budget"] == pytest.approx(10 * (a["top_up_units"] + 365 / days))
    assert np.isnan(budget.loc["B", "budget"]) and budget.loc["B", "resupply_basis"] == "unknown"
    assert budget.loc["C", "resupply_basis"] == "catalogue lead time" and budget.loc["C", "budget"] == 0
    assert budget.loc["TOTAL", "budget"] == pytest.approx(a["budget"])
    assert "1 SKU(s)" in budget.loc["TOTAL", "note"]


def test_repair_success_judges_field_and_bench_fixes_apart_and_together():
    """March: field F1 (software) fails (same fault again in 2 days), F2 holds; bench B1 (hardware, no part)
    fails (again in 5 days), B2 holds. Together 2 of 4 held; field 1 of 2, bench 1 of 2."""
    from metriclogs import story

    log = story([
        ("F1", "ticket_logged", "2026-03-02 09:00"), ("F1", "dispatched", "2026-03-02 09:30"),
        ("F1", "arrived_on_site", "2026-03-02 10:00"), ("F1", "completed", "2026-03-02 11:00"),
        ("F3", "ticket_logged", "2026-03-04 09:00"),   # F1's device and fault again within 72 h
        ("F2", "ticket_logged", "2026-03-03 09:00"), ("F2", "dispatched", "2026-03-03 09:30"),
        ("F2", "arrived_on_site", "2026-03-03 10:00"), ("F2", "completed", "2026-03-03 11:00"),
        ("B1", "ticket_logged", "2026-03-05 09:00"), ("B1", "unit_received", "2026-03-06 09:00"),
        ("B1", "repaired", "2026-03-06 15:00"), ("B1", "unit_shipped", "2026-03-06 16:00"),
        ("B3", "ticket_logged", "2026-03-11 09:00"),   # B1's device and fault again within 7 days
        ("B2", "ticket_logged", "2026-03-05 10:00"), ("B2", "unit_received", "2026-03-06 10:00"),
        ("B2", "repaired", "2026-03-06 16:00"), ("B2", "unit_shipped", "2026-03-07 16:00"),
        ("X", "call_received", "2026-03-31 12:00"),
    ], {
        "F1": {"case_type": "ticket", "fault": "software", "device_id": "D1"},
        "F3": {"case_type": "ticket", "fault": "software", "device_id": "D1", "parent_id": "F1"},
        "F2": {"case_type": "ticket", "fault": "software", "device_id": "D2"},
        "B1": {"case_type": "ticket", "fault": "hardware", "device_id": "D3", "channel": "carry_in"},
        "B3": {"case_type": "ticket", "fault": "hardware", "device_id": "D3", "parent_id": "B1"},
        "B2": {"case_type": "ticket", "fault": "hardware", "device_id": "D4", "channel": "mail_in"},
        "X": {"case_type": "ticket"},
    })
    kpis = monthly_kpis(log)
    got = {kpi: (one(kpis, "2026-03", kpi)["numerator"], one(kpis, "2026-03", kpi)["denominator"])
           for kpi in ("repair_success_rate", "repair_success_field", "repair_success_bench")}
    assert got == {"repair_success_rate": (2, 4), "repair_success_field": (1, 2), "repair_success_bench": (1, 2)}
    assert one(kpis, "2026-03", "repair_success_bench")["flag"]

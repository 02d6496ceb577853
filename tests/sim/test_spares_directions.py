"""Directions of change for the spares store and the vendor loop (common random numbers, large changes).

- more stock => fewer jobs waiting for parts;
- a longer supplier turnaround => more 30-day escalations (rule ``vendor-30d``);
- an overloaded spares administrator => more missed 3-day follow-ups (``vendor-3d``).
"""

from __future__ import annotations

from svcsim.scenario import load_scenario, with_changes
from svcsim.simulation import simulate

TINY = load_scenario("tiny")
PARTS = [{"sku": "BOARD", "demand_share": 0.5}, {"sku": "DRIVE", "demand_share": 0.5}]


def _stocked(stock: int, **changes) -> object:
    parts = [{**p, "base_stock": stock, "turnaround": {"dist": "lognorm", "s": 0.6, "scale": 6.0}} for p in PARTS]
    return with_changes(TINY, {"spares.store": "base_stock", "spares.parts": parts, **changes})


def _jobs_that_waited(stock: int) -> int:
    run = simulate(_stocked(stock), seed=13, days=28)
    ev = run.events
    return ev.loc[ev["activity"] == "waiting_parts", "case_id"].nunique()


def test_more_stock_means_fewer_jobs_waiting_for_parts():
    few, some, plenty = (_jobs_that_waited(s) for s in (4, 14, 40))
    assert few > 1.3 * some and some > 2 * plenty


def _escalations(turnaround_median_days: float) -> int:
    parts = [{**p, "base_stock": 50, "turnaround": {"dist": "lognorm", "s": 0.5, "scale": turnaround_median_days}}
             for p in PARTS]
    run = simulate(with_changes(TINY, {"spares.store": "base_stock", "spares.parts": parts}), seed=4, days=70)
    results = run.check().results
    rows = results[results["rule_id"] == "vendor-30d"]
    assert len(rows) > 0
    return int(rows["status"].isin(["breached", "breached_open"]).sum())


def test_longer_vendor_turnaround_means_more_30_day_escalations():
    short, long = _escalations(10.0), _escalations(30.0)
    assert long > 3 * max(short, 1)


def _missed_confirmations(minutes_per_follow_up: float) -> int:
    scenario = _stocked(50, **{"spares.follow_ups.work": {"dist": "uniform", "loc": minutes_per_follow_up,
                                                          "scale": 1.0}})
    results = simulate(scenario, seed=6, days=28).check().results
    rows = results[results["rule_id"] == "vendor-3d"]
    return int(rows["status"].isin(["breached", "breached_open"]).sum())


def test_an_overloaded_administrator_misses_more_follow_ups():
    assert _missed_confirmations(240.0) > 2 * max(_missed_confirmations(5.0), 1)

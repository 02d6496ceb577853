"""The parts flow told by the log: waiting for parts, revisits, bench units, dead spares, the contract.

A field job that finds no stock narrates ``waiting_parts``; the engineer
leaves and is free; when the part comes in (``parts_received``) a revisit is
dispatched: ``dispatched`` -> ``arrived_on_site`` -> ``part_issued`` ->
``completed``, and the rule ``complete-6h`` gives it its special 8 hours. A
bench unit waits too, and is repaired once its part comes in. A spare dead
when fitted is asked for again (reason "spare dead when fitted") and goes to the
supplier as an item of kind ``dead_spare``. The ``part`` column is on the spares
events only; items carry their ``part`` and ``item_kind``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from svcsim.errors import InputError
from svcsim.scenario import load_scenario, with_changes
from svcsim.simulation import simulate

TINY = load_scenario("tiny")
PART_EVENTS = {"part_requested", "part_issued", "waiting_parts", "parts_received", "bad_part_returned"}


@pytest.fixture(scope="module")
def short_run():
    """Two parts, one unit each, a dead spare now and then: jobs wait for parts all the time."""
    scenario = with_changes(TINY, {
        "spares.store": "base_stock", "spares.dead_spare_share": 0.15, "staffing.bench_engineers": 2,
        "demand.mix": {"question": 0.3, "field": 0.4, "carry_in": 0.2, "mail_in": 0.1},
        "spares.parts": [{"sku": "BOARD", "base_stock": 2, "demand_share": 0.6,
                          "turnaround": {"dist": "uniform", "loc": 0.5, "scale": 1.0}},
                         {"sku": "FAN", "base_stock": 2, "demand_share": 0.4, "unit_cost": 20.0,
                          "turnaround": {"dist": "uniform", "loc": 0.5, "scale": 1.0}}],
    })
    return simulate(scenario, seed=8, days=14)


def _story(run, case: str) -> list[str]:
    ev = run.events[run.events["case_id"].astype(str) == case].sort_values(["timestamp", "seq"])
    return ev["activity"].astype(str).tolist()


def _waiting(run, *channels: str) -> list[str]:
    ev = run.events
    waited = set(ev.loc[ev["activity"] == "waiting_parts", "case_id"].astype(str))
    received = set(ev.loc[ev["activity"] == "parts_received", "case_id"].astype(str))
    cases = run.cases.set_index("case_id")
    chosen = [c for c in sorted(waited & received) if str(cases.loc[c, "channel"]) in channels]
    assert chosen, f"no {channels} job waited for parts"
    return chosen


def _after_each(story: list[str], mark: str, keep: tuple[str, ...]) -> list[list[str]]:
    """For each ``mark`` in ``story``, the ``keep`` activities that follow it, up to the next ``mark``."""
    out = []
    for i, activity in enumerate(story):
        if activity == mark:
            rest = story[i + 1:]
            stop = rest.index(mark) if mark in rest else len(rest)
            out.append([a for a in rest[:stop] if a in keep])
    return out


def test_a_field_job_without_stock_is_revisited_when_the_part_comes(short_run):
    revisits = 0
    for case in _waiting(short_run, "phone"):
        story = _story(short_run, case)
        keep = ("dispatched", "arrived_on_site", "part_issued", "completed")
        for segment in _after_each(story, "parts_received", keep):
            if "completed" in segment:  # the part fitted: the visit ends the job
                assert segment == list(keep), story
                revisits += 1
            else:  # at the horizon, or the spare was dead on arrival and the job waits again
                assert segment == list(keep[:len(segment)]), story
        assert story.count("arrived_on_site") == story.count("dispatched")
        assert story.count("waiting_parts") >= story.count("parts_received")
    assert revisits > 0


def test_the_engineer_leaves_while_the_job_waits(short_run):
    """The engineer's busy record ends when the job starts waiting; the revisit is a new busy record."""
    ev = short_run.events
    waits = ev[(ev["activity"] == "waiting_parts") & ev["resource"].astype(str).str.startswith("field")]
    assert len(waits)
    minutes = ((waits["timestamp"] - short_run.start.tz_convert("UTC")) / pd.Timedelta(minutes=1)).to_numpy()
    busy = short_run.busy
    for resource, minute in zip(waits["resource"].astype(str), minutes, strict=True):
        mine = busy[busy["resource"].astype(str) == resource]
        assert ((mine["end"] - minute).abs() < 1e-6).any(), "the visit did not end at waiting_parts"


def test_complete_6h_gives_a_job_that_waited_for_parts_8_hours(short_run):
    results = short_run.check().results
    waited = set(short_run.events.loc[short_run.events["activity"] == "waiting_parts", "case_id"].astype(str))
    rows = results[(results["rule_id"] == "complete-6h") & results["case_id"].astype(str).isin(waited)]
    assert len(rows) and (rows["target"] == pd.Timedelta(hours=8)).all()
    assert set(rows["target_reason"].astype(str)) == {"waited for parts"}


def test_a_bench_unit_waits_and_is_repaired_when_the_part_comes(short_run):
    done = 0
    keep = ("part_issued", "repaired", "unit_shipped")
    for case in _waiting(short_run, "carry_in", "mail_in"):
        story = _story(short_run, case)
        assert "dispatched" not in story
        for segment in _after_each(story, "parts_received", keep):
            assert segment == list(keep[:len(segment)]), story
            done += segment == list(keep)
    assert done > 0


def test_a_spare_dead_when_fitted_is_asked_for_again_and_goes_to_the_supplier(short_run):
    ev, cases = short_run.events, short_run.cases
    doa = ev[ev["reason"] == "spare dead when fitted"]
    assert len(doa) and set(doa["activity"].astype(str)) == {"part_requested"}
    doa_items = cases[cases["item_kind"] == "dead_spare"]
    assert len(doa_items) > 0
    assert set(doa_items["parent_id"]) <= set(doa["case_id"].astype(str))
    assert int(short_run.stock["dead_spares"].sum()) == len(doa)
    for item in doa_items["case_id"][:5]:
        assert _story(short_run, item)[0] == "item_received"


def test_the_event_log_contract(short_run):
    ev, cases = short_run.events, short_run.cases
    assert isinstance(ev["part"].dtype, pd.CategoricalDtype)
    has_part = ev["part"].notna()
    assert set(ev.loc[has_part, "activity"].astype(str)) == PART_EVENTS
    assert not ev.loc[ev["activity"].astype(str).isin(PART_EVENTS), "part"].isna().any()
    items, tickets = cases[cases["case_type"] == "item"], cases[cases["case_type"] == "ticket"]
    assert items["part"].notna().all() and set(items["part"].astype(str)) <= {"BOARD", "FAN"}
    assert set(items["item_kind"].astype(str)) == {"defective", "dead_spare"}
    assert tickets["part"].isna().all() and tickets["item_kind"].isna().all()
    stock = short_run.stock
    assert stock.columns.tolist() == ["sku", "base_stock", "unit_cost", "demands", "issued_from_stock_at_once",
                                      "backordered", "fill_rate", "dead_spares", "scrapped", "new_buys", "on_hand_end",
                                      "at_vendor_end"]
    assert stock["sku"].tolist() == ["BOARD", "FAN"] and stock["unit_cost"].tolist() == [100.0, 20.0]
    requested = ev[ev["activity"] == "part_requested"]["part"].astype(str).value_counts()
    assert stock.set_index("sku")["demands"].to_dict() == requested.to_dict()
    assert (stock["fill_rate"] < 1).all()


def test_an_unlimited_store_never_makes_a_job_wait():
    run = simulate(TINY, seed=3, days=5)
    assert run.scenario.spares.store == "unlimited"
    assert not (run.events["activity"] == "waiting_parts").any()
    assert (run.stock["fill_rate"] == 1.0).all() and run.stock["on_hand_end"].isna().all()
    assert run.stock_trace is None


def test_baseline_has_parts_on():
    base = load_scenario("baseline")
    assert base.spares.store == "base_stock" and 4 <= len(base.spares.parts) <= 6
    assert all(p.base_stock > 0 and p.unit_cost > 0 for p in base.spares.parts)


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"spares.store": "magic"}, "spares.store", "base_stock"),
    ({"spares.parts": []}, "spares.parts", "at least one part"),
    ({"spares.parts": [{"sku": "A"}, {"sku": "A"}]}, "spares.parts", "one entry per sku"),
    ({"spares.parts": [{"sku": "A", "base_stock": -1}]}, "spares.parts[0].base_stock", "a value >= 0"),
    ({"spares.parts": [{"sku": "A", "turnaround": {"dist": "norm", "loc": 1}}]}, "spares.parts[0].turnaround",
     "non-negative"),
    ({"spares.parts": [{"sku": "A", "colour": "red"}]}, "spares.parts[0].colour", "unknown field"),
    ({"spares.dead_spare_share": 1.5}, "spares.dead_spare_share", "a value <= 0.99"),
])
def test_a_spares_mistake_names_the_field_and_what_was_expected(changes, field, words):
    with pytest.raises(InputError) as caught:
        with_changes(TINY, changes)
    message = str(caught.value)
    assert f"field '{field}'" in message and words in message and "expected" in message


def test_fault_share_is_another_name_for_demand_share():
    scenario = with_changes(TINY, {"spares.parts": [{"sku": "A", "fault_share": 3.0}]})
    assert scenario.spares.parts[0].demand_share == 3.0


def test_same_seed_same_log_with_parts_on_and_stock_leaves_the_calls_alone():
    """Bit for bit with the store on; a different stock sees the same calls (common random numbers)."""
    scenario = with_changes(TINY, {"spares.store": "base_stock", "spares.parts": [{"sku": "A", "base_stock": 2}]})
    a, b = simulate(scenario, seed=5, stock_trace=True), simulate(scenario, seed=5, stock_trace=True)
    pd.testing.assert_frame_equal(a.events, b.events)
    pd.testing.assert_frame_equal(a.cases, b.cases)
    pd.testing.assert_frame_equal(a.stock, b.stock)
    pd.testing.assert_frame_equal(a.stock_trace, b.stock_trace)
    more = simulate(with_changes(scenario, {"spares.parts": [{"sku": "A", "base_stock": 30}]}), seed=5)
    calls = []
    for run in (a, more):  # the calls drawn before the run (repeat faults depend on the repairs)
        first = run.cases.loc[run.cases["parent_id"].isna() & (run.cases["case_type"] == "ticket"), "case_id"]
        ev = run.events[(run.events["activity"] == "call_received") & run.events["case_id"].astype(str).isin(first)]
        calls.append(ev[["timestamp"]].assign(case_id=ev["case_id"].astype(str)).reset_index(drop=True))
    pd.testing.assert_frame_equal(calls[0], calls[1])
    assert (a.events["activity"] == "waiting_parts").sum() > (more.events["activity"] == "waiting_parts").sum()

"""A backtest of the tiny center against its own (true) model, and against a wrong one.

The "real" log is a 35-day run of ``tiny`` (seed 99). Backtesting it on
template ``tiny`` fits a model close to the truth: the real attainment
should fall inside the simulated 95 % interval in most rule-weeks. A model
with one field engineer instead of three, backtested as it is (the fit
would find the log's three), must score clearly worse.
"""

from __future__ import annotations

import json
import math

import pytest

import svcsim
from svcsim.backtesting import backtest
from svcsim.backtesting.distances import DISTANCES

SPLIT = "2025-03-24"  # three weeks of training, 13 held-out days (the last day has no midnight after it)
WARMUP = 14


@pytest.fixture(scope="module")
def real():
    center = svcsim.with_changes("tiny", {"horizon_days": 35, "run.warmup_days": WARMUP})
    return svcsim.simulate(center, seed=99).log


@pytest.fixture(scope="module")
def true_model(real):
    template = svcsim.with_changes("tiny", {"run.warmup_days": WARMUP})
    return backtest(real, SPLIT, template=template, replications=19, seed=7)


def test_the_true_model_holds_the_real_attainment_inside_its_interval_in_most_weeks(true_model):
    """With 19 replications the 2.5-97.5 % band is about min-max; a true model misses it in few rule-weeks."""
    weeks = true_model.weeks
    judged = weeks[weeks["verdict"] != "no verdict"]
    assert len(judged) >= 15
    assert (judged["verdict"] == "inside").mean() >= 0.8, judged[judged["verdict"] != "inside"]
    assert set(weeks["week"]) == {1, 2} and list(weeks.loc[weeks["week"] == 2, "week_days"].unique()) == [6]


def test_every_distance_is_finite_and_reported_for_the_model_and_the_baselines(true_model):
    table = true_model.distances.set_index("measure")
    assert list(table.index) == list(DISTANCES)
    for measure in DISTANCES:
        assert math.isfinite(table.loc[measure, "model_mean"]) and table.loc[measure, "model_mean"] >= 0
        assert table.loc[measure, "model_min"] <= table.loc[measure, "model_mean"] <= table.loc[measure, "model_max"]
        assert math.isfinite(table.loc[measure, "replay"])
    assert math.isfinite(table.loc["cycle_time_h", "draw"])
    assert table.loc["case_arrivals_h", "draw"] == 0.0  # the draw baseline is given the real arrivals
    assert math.isnan(table.loc["circadian_events_h", "draw"])  # two events a case: nothing to say
    per = true_model.per_replication
    assert sorted(per["source"].unique()) == ["draw", "model"] and len(per) == 2 * 19


def test_the_true_model_knows_the_arrivals_better_than_the_replay(true_model):
    """The held-out weeks hold the Qingming holiday (2025-04-04), which the model's calendar knows and last weeks' replay does not."""
    assert true_model.distance("case_arrivals_h") < true_model.distance("case_arrivals_h", "replay")
    assert true_model.distance("circadian_events_h") < true_model.distance("circadian_events_h", "replay")


def test_a_model_with_a_third_of_the_field_engineers_scores_clearly_worse(real, true_model):
    """One field engineer instead of three: jobs queue, cycle times stretch, the real attainment sits above its interval."""
    wrong = svcsim.with_changes("tiny", {"run.warmup_days": WARMUP, "staffing.field_engineers.count": 1})
    bad = backtest(real, SPLIT, template=wrong, replications=8, seed=7, fit_first=False)  # the fit would find 3
    assert bad.distance("cycle_time_h") > 1.8 * true_model.distance("cycle_time_h")  # measured 10.5 h against 5.1 h
    assert bad.distance("cycle_time_h") > bad.distance("cycle_time_h", "replay")
    above = bad.verdicts.set_index("rule_id").loc[["dispatch-4h", "complete-6h", "arrive-20min"], "above"]
    assert above.sum() >= 3, bad.verdicts


def test_the_notes_say_what_was_carried_over_and_how_straddling_cases_were_treated(true_model):
    text = " ".join(true_model.notes)
    assert "not carried over" in text and "stock on hand" in text and f"{WARMUP}-day warm-up" in text
    assert f"{true_model.split.straddling} case(s) straddle the split" in text
    assert true_model.split.straddling > 0


def test_the_summary_is_json_and_carries_where_it_came_from(true_model):
    data = json.loads(json.dumps(true_model.summary()))
    assert data["train_until"] == "2025-03-24T00:00:00+08:00" and data["held_out_days"] == 13
    assert data["replications"] == 19 and data["seed"] == 7 and data["warmup_days"] == WARMUP
    assert [d["measure"] for d in data["distances"]] == list(DISTANCES)
    assert data["distances"][1]["draw"] is None  # NaN is written as null


def test_the_same_seed_gives_the_same_backtest_on_any_number_of_processes(real):
    template = svcsim.with_changes("tiny", {"run.warmup_days": 3})
    a, b = (backtest(real, SPLIT, template=template, replications=2, seed=5, jobs=jobs) for jobs in (1, 2))
    assert a.distances.equals(b.distances) and a.weeks.equals(b.weeks)
    assert a.per_replication.equals(b.per_replication)


def test_a_share_split_backtests_the_last_thirty_percent(real):
    template = svcsim.with_changes("tiny", {"run.warmup_days": 3})
    result = backtest(real, train_share=0.7, template=template, replications=2)
    s = result.split
    assert s.train_cases / (s.train_cases + s.held_out_cases) == pytest.approx(0.7, abs=0.06)


def test_svcsim_backtest_is_the_function_in_any_import_order():
    import svcsim.backtesting.split  # noqa: F401 (the package is backtesting, so svcsim.backtest stays the function)

    assert svcsim.backtest is svcsim.backtesting.backtest and "backtest" in svcsim.__all__

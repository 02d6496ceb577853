"""Runs start warm: the warm-up is simulated before the horizon and never judged.

A cold baseline run begins with full shelves and nobody in the vendor loop:
its 28 days fill nearly every part request at once and have no unit at the
supplier on the first morning. After the scenario's warm-up (baseline: 150
days) the judged horizon opens on a loop already full: the store's units at
the supplier at the judged start are near their long-run level (about 164,
``experiments/warm_start.py settle``) and the fill rate is the loop's, below a
cold run's full-shelf one.
The warm-up leaves no trace in the judged tables, and a target whose due
time cannot fall inside the horizon (``vendor-30d`` in 28 days) reads "not
yet due", never 100 %.
"""

from __future__ import annotations

import numpy as np
import pytest

from svcsim.cli import main
from svcsim.errors import InputError
from svcsim.replications import run_metrics
from svcsim.rules.horizon import NOT_YET_DUE
from svcsim.scenario import load_scenario
from svcsim.simulation import simulate

SEEDS = (0, 1, 2)


def _fill(run) -> float:  # noqa: ANN001
    return 1.0 - run.stock["backordered"].sum() / run.stock["demands"].sum()


def _at_vendor_at_start(run) -> int:  # noqa: ANN001
    trace = run.stock_trace
    before = trace[trace["minute"] <= 0]
    return int(before.groupby("sku", observed=True)["at_vendor"].last().sum())


@pytest.fixture(scope="module")
def warm_and_cold():
    warm = [simulate("baseline", seed=s, stock_trace=True) for s in SEEDS]
    cold = [simulate("baseline", seed=s, warmup_days=0, stock_trace=True) for s in SEEDS]
    return warm, cold


def test_the_default_baseline_run_is_warm_and_not_at_a_full_shelf_fill_rate(warm_and_cold):
    """Cold: nearly every request filled at once and no unit at the supplier at the start; warm: neither."""
    warm, cold = warm_and_cold
    assert all(run.warmup_days == 150 for run in warm) and all(run.warmup_days == 0 for run in cold)
    assert all(_at_vendor_at_start(run) == 0 for run in cold)
    # long-run level about 164 units at the supplier (weeks 16-42 of 8 cold 300-day runs): within 25 %
    assert all(123 <= _at_vendor_at_start(run) <= 205 for run in warm), [_at_vendor_at_start(r) for r in warm]
    assert np.mean([_fill(run) for run in cold]) > 0.93
    assert np.mean([_fill(run) for run in warm]) < np.mean([_fill(run) for run in cold]) - 0.03
    assert sum(int(run.stock["backordered"].sum()) for run in warm) > 3 * sum(
        int(run.stock["backordered"].sum()) for run in cold)


def test_the_warm_up_is_not_in_the_judged_tables(warm_and_cold):
    """Same judged horizon, same on-duty time; no case, busy record or duty interval from before the start."""
    warm, cold = warm_and_cold
    run = warm[0]
    assert run.start == cold[0].start and run.end == cold[0].end and run.days == 28
    first = run.events.groupby("case_id", observed=True)["timestamp"].min()
    assert (first >= run.start).all() and len(first) == run.log.n_cases > 2000
    assert (run.busy["end"] > 0).all()
    assert all(on >= 0 for intervals in run.duty.values() for on, _ in intervals)
    np.testing.assert_allclose(run.utilisation["on_duty_minutes"], cold[0].utilisation["on_duty_minutes"])
    metrics = run_metrics(run)
    assert set(metrics["warmup_days"]) == {150.0}


def test_a_target_longer_than_the_horizon_is_not_yet_due(warm_and_cold):
    """vendor-30d in 28 judged days: every row is due after the horizon, so no percentage (it read 100 %)."""
    run = warm_and_cold[0][0]
    summary = run.check().summary.set_index("rule_id")
    row = summary.loc["vendor-30d"]
    assert row["verdict"] == NOT_YET_DUE and np.isnan(row["attainment_pct"]) and row["not_yet_due"] > 100
    assert row["decided"] == 0
    assert summary.loc["arrive-20min", "verdict"] == "" and 50 < summary.loc["arrive-20min", "attainment_pct"] < 100
    metrics = run_metrics(run).set_index("metric")
    assert np.isnan(metrics.loc["attainment_pct:vendor-30d", "value"])
    assert metrics.loc["due_count:vendor-30d", "value"] == 0
    # the early successes of a short target due after the horizon are left out too
    results = run.check().results
    late = results[(results["rule_id"].astype(str) == "callback") & (results["due"] > run.end)]
    assert len(late) > 10 and row is not None
    assert summary.loc["callback", "decided"] == summary.loc["callback", "met"] + summary.loc["callback", "breached"] \
        + summary.loc["callback", "breached_open"] - int((late["status"].astype(str) == "met").sum())


@pytest.mark.parametrize(("value", "expected"), [("-1", "expected a value >= 0"), ('"ten"', "expected a whole number"),
                                                 ("2.5", "expected a whole number")])
def test_a_bad_warm_up_in_a_file_names_the_file_and_the_field(tmp_path, value, expected):
    path = tmp_path / "warm.toml"
    path.write_text(f'extends = "tiny"\n[run]\nwarmup_days = {value}\n')
    with pytest.raises(InputError) as error:
        load_scenario(path)
    assert error.value.field == "run.warmup_days" and str(path) in str(error.value)
    assert expected in str(error.value)


def test_the_run_header_states_the_warm_up(capsys):
    assert main(["run", "tiny", "--quiet", "--warmup-days", "3"]) == 0
    out = capsys.readouterr().out
    assert "warm-up: 3 days simulated before the horizon and not judged (--warmup-days; the scenario's default is 0)" in out
    assert main(["run", "tiny", "--quiet"]) == 0
    assert "warm-up: none, a cold start with full shelves and an idle center (the scenario's default)" in capsys.readouterr().out


def test_the_log_written_by_out_is_the_judged_log(tmp_path, capsys):
    """`svcsim run --out` writes the cases of the horizon only: none began in the warm-up."""
    import pandas as pd

    from svcsim.eventlog import read_log

    assert main(["run", "tiny", "--quiet", "--warmup-days", "4", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    log = read_log(tmp_path)
    first = log.events.groupby("case_id", observed=True)["timestamp"].min()
    start = pd.Timestamp("2025-03-03", tz="Asia/Shanghai")
    assert len(first) > 100 and (first >= start).all()
    assert set(pd.read_parquet(tmp_path / "results.parquet")["case_id"].astype(str)) <= set(first.index.astype(str))
    # the same log in memory
    run = simulate("tiny", seed=0, warmup_days=4)
    assert len(run.events) == len(log.events)

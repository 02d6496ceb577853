"""One run becomes a small tidy table: one row per metric, carrying where it came from."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest
from rephelpers import DAYS, tiny

from svcsim.replications.metrics import TIDY_COLUMNS, run_metrics, scenario_hash
from svcsim.rules import load_rules
from svcsim.simulation import simulate


@pytest.fixture(scope="module")
def run():
    return simulate(tiny(), seed=1, replication=0, days=DAYS)


def test_one_row_per_metric_with_its_origin(run):
    """Every target's attainment, every duration clock, every staffed role's utilisation, the phone."""
    table = run_metrics(run)
    assert list(table.columns) == TIDY_COLUMNS
    assert table["metric"].is_unique
    assert set(table["scenario"]) == {"tiny"} and set(table["seed"]) == {1} and set(table["days"]) == {DAYS}
    rules = load_rules(None)
    kinds = table.groupby("kind")["subject"].apply(set)
    assert kinds["attainment_pct"] == set(rules.ids())
    durations = {r.id for r in rules.rules if r.kind == "duration"}
    assert kinds["clock_mean_h"] == durations == kinds["clock_p90_h"]
    staffed = set(run.utilisation.loc[run.utilisation["on_duty_minutes"] > 0, "role"])
    assert kinds["utilisation_pct"] == staffed
    assert {"calls", "answer_wait_mean_h", "answer_wait_p90_h", "abandoned_pct"} <= set(table["metric"])


def test_attainment_is_the_check_summary(run):
    """With no warm-up, attainment is exactly what the rule engine's summary reports (to its rounding)."""
    table = run_metrics(run).set_index("metric")
    summary = run.check().summary
    for rule_id, pct in zip(summary["rule_id"], summary["attainment_pct"], strict=True):
        mine = table.loc[f"attainment_pct:{rule_id}", "value"]
        assert (pd.isna(mine) and pd.isna(pct)) or abs(mine - pct) <= 0.005


def test_the_scenario_hash_is_the_sha256_of_its_canonical_json():
    scenario = tiny()
    text = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    assert scenario_hash(scenario) == hashlib.sha256(text.encode()).hexdigest() == scenario_hash(tiny())
    assert scenario_hash(tiny(engineers=4)) != scenario_hash(scenario)


def test_a_warmup_leaves_out_the_cases_that_start_before_it(run):
    """Only calls received after the first day count; utilisation is measured after it too."""
    warm = run_metrics(run, warmup_days=1).set_index("metric")["value"]
    events = run.events
    first = events.groupby("case_id", observed=True)["timestamp"].min()
    received = events.loc[events["activity"] == "call_received", "case_id"].astype(str)
    late = set(first.index[first >= run.start + pd.Timedelta(days=1)].astype(str))
    assert warm["calls"] == len(set(received) & late)
    assert warm["calls"] < run_metrics(run).set_index("metric").loc["calls", "value"]
    assert 0 <= warm["utilisation_pct:field_engineers"] <= 100


class _WithStock:
    """A run seen through a stock table (the spares store's per-SKU results)."""

    def __init__(self, run, stock):  # noqa: ANN001
        self._run, self.stock = run, stock

    def __getattr__(self, name):  # noqa: ANN001, ANN204
        return getattr(self._run, name)


def test_stock_metrics_only_when_the_run_has_stock(run):
    stock = pd.DataFrame({"sku": ["board", "fan"], "fill_rate": [0.9, 1.0], "backorders": [3, 0]})
    table = run_metrics(_WithStock(run, stock)).set_index("metric")["value"]
    assert table["stock.fill_rate:board"] == 0.9 and table["stock.backorders:board"] == 3
    assert table["stock.fill_rate:fan"] == 1.0
    for empty in (pd.DataFrame(), None):
        kinds = run_metrics(_WithStock(run, empty))["kind"]
        assert not kinds.str.startswith("stock.").any()

"""One fill rate: issued at once over decided requests, the same for a run's stock table and any log's stock results."""

from __future__ import annotations

import numpy as np

from svcsim import simulate
from svcsim.metrics import stock_results
from svcsim.metrics.fill import fill_rate
from svcsim.scenario import load_scenario, with_changes


def test_the_fill_rate_is_at_once_over_decided_and_nan_with_nothing_decided():
    np.testing.assert_array_equal(fill_rate([3, 0, 2], [1, 0, 0]), [0.75, np.nan, 1.0])


def test_a_run_s_stock_table_and_the_stock_results_of_its_log_agree_on_the_fill_rate():
    """``tiny`` with its 4 spares on a real shelf: most requests wait, and both tables say so alike."""
    run = simulate(with_changes(load_scenario("tiny"), {"spares.store": "base_stock"}), seed=5, days=20)
    assert 0 < run.stock["fill_rate"].iloc[0] < 1
    table = stock_results(run.log, as_of=run.end, rules=run.rules()).set_index("part")
    for sku, fill in zip(run.stock["sku"], run.stock["fill_rate"], strict=True):
        if sku in table.index:
            np.testing.assert_array_equal(table.loc[sku, "fill_rate"], fill)

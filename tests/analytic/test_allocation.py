"""Stock allocation: the exact optimum against exhaustive search and the greedy frontier."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svcsim.analytic import allocate_stock, marginal_analysis, palm

ITEMS = [(0.2, 10.0, 5.0), (0.1, 20.0, 2.0), (1.0, 3.0, 7.5)]


def exhaustive(items, budget):
    """The best total EBO over every stock vector within the budget."""
    ranges = [range(math.floor(budget / c) + 1) for _, _, c in items]
    best = math.inf
    for stock in itertools.product(*ranges):
        if sum(s * c for s, (_, _, c) in zip(stock, items, strict=True)) <= budget + 1e-9:
            ebo = sum(palm(lam, t, s).expected_backorders
                      for s, (lam, t, _) in zip(stock, items, strict=True))
            best = min(best, ebo)
    return best


@pytest.mark.parametrize("budget", [0.0, 7.0, 12.5, 20.0, 30.0, 37.5])
def test_exact_equals_exhaustive_search(budget):
    """On a three-part case the dynamic programme finds the same minimum as trying
    every stock vector within the budget."""
    r = allocate_stock(ITEMS, budget)
    assert r.cost <= budget
    assert r.expected_backorders == pytest.approx(exhaustive(ITEMS, budget), rel=1e-12, abs=1e-14)


def test_exact_never_worse_than_the_frontier_and_sometimes_better():
    """At every budget the exact optimum is at most the best greedy point within it,
    equal at the greedy points' own costs, and strictly better somewhere (the
    greedy frontier misses the optimum between its points)."""
    frontier = marginal_analysis(ITEMS, budget=60.0)
    strictly_better = 0
    for budget in np.arange(0.0, 60.5, 0.5):
        exact = allocate_stock(ITEMS, budget).expected_backorders
        greedy = frontier.loc[frontier["cost"] <= budget + 1e-9, "expected_backorders"].min()
        assert exact <= greedy + 1e-12
        strictly_better += exact < greedy - 1e-9
    for cost, ebo in zip(frontier["cost"], frontier["expected_backorders"], strict=True):
        assert allocate_stock(ITEMS, cost).expected_backorders == pytest.approx(ebo, rel=1e-12)
    assert strictly_better > 0


def test_frontier_shape():
    """The frontier starts at zero stock with EBO = sum of pipelines, buys one unit
    a step, and its EBO falls while its cost rises."""
    f = marginal_analysis(ITEMS)
    assert list(f.columns) == ["step", "item", "stock", "cost", "expected_backorders"]
    assert f.loc[0, "stock"] == (0, 0, 0) and pd.isna(f.loc[0, "item"])
    assert f.loc[0, "expected_backorders"] == pytest.approx(2.0 + 2.0 + 3.0)
    assert (np.diff(f["cost"]) > 0).all() and (np.diff(f["expected_backorders"]) < 0).all()
    assert f["expected_backorders"].iloc[-1] <= 1e-3 * 7.0
    assert (np.array([sum(s) for s in f["stock"]]) == f["step"]).all()


def test_items_as_dataframe_and_mappings():
    """A DataFrame (extra columns ignored) and a list of mappings give the same answer
    as tuples."""
    frame = pd.DataFrame(ITEMS, columns=["demand_rate", "resupply_time", "unit_cost"])
    frame["part"] = ["a", "b", "c"]
    maps = frame.drop(columns="part").to_dict("records")
    want = allocate_stock(ITEMS, 30.0).stock.tolist()
    assert allocate_stock(frame, 30.0).stock.tolist() == want
    assert allocate_stock(maps, 30.0).stock.tolist() == want


def test_costs_without_a_common_unit_and_oversized_tables_are_refused():
    """Costs with no common unit, and a budget too fine for the table, raise
    ValueError with advice."""
    with pytest.raises(ValueError, match="common cost unit"):
        allocate_stock([(1.0, 1.0, math.pi), (1.0, 1.0, 1.0)], 10.0)
    with pytest.raises(ValueError, match="coarser unit"):
        allocate_stock([(1.0, 1.0, 1.0)] * 100, 1e6)


@settings(max_examples=20, deadline=None)
@given(
    items=st.lists(
        st.tuples(st.floats(0.01, 1.0), st.floats(0.5, 10.0), st.integers(1, 6)),
        min_size=1, max_size=3,
    ),
    budget=st.integers(0, 14),
)
def test_exact_equals_exhaustive_on_random_small_cases(items, budget):
    """Random small cases: the dynamic programme equals exhaustive search."""
    items = [(lam, t, float(c)) for lam, t, c in items]
    r = allocate_stock(items, float(budget))
    assert r.expected_backorders == pytest.approx(exhaustive(items, budget), rel=1e-12, abs=1e-14)

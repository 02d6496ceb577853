"""Spare-stock allocation across parts under a budget (system approach).

Given parts ``i`` with Poisson pipelines ``m_i = lambda_i T_i`` (Palm) and
unit costs ``c_i``, choose base stocks ``s_i >= 0`` to

    minimise  sum_i EBO_i(s_i)   subject to  sum_i c_i s_i <= budget,

the system approach of Sherbrooke (*Optimal Inventory Modeling of Systems*,
2004, ch. 2). Two answers:

* ``marginal_analysis``: the greedy frontier. Start from zero stock and keep
  buying the unit with the largest backorder reduction per unit cost
  ``(EBO_i(s) - EBO_i(s+1)) / c_i = P(X_i > s) / c_i``. Each point is optimal
  for its own cost (Fox 1966; each is a Lagrangian minimiser because every
  ``EBO_i`` is convex), but at budgets between two points it can leave money
  unspent that a different mix would use: it misses the optimum there.
* ``allocate_stock``: the exact optimum for any budget, by dynamic
  programming over the budget, which is a separable integer knapsack. Costs
  are expressed in units of their greatest common divisor ``g``;
  ``f_i(u) = min_s EBO_i(s) + f_{i-1}(u - c_i s)`` for ``u = 0 .. budget/g``.
  Time ``O((budget/g) * sum_i s_max_i)``, memory ``O(n * budget/g)``, where
  ``s_max_i <= min(budget / c_i, m_i + 20 sqrt(m_i) + 40)`` (past that bound a
  unit cuts ``EBO_i`` by far less than a rounding error). Practical while
  ``n * budget / g`` stays below ~5e7 (say 100 parts and a budget of 500,000
  cost units); beyond that it refuses rather than run for hours: round the
  costs to a coarser unit (e.g. hundreds of currency units).

``items`` is a DataFrame with columns ``demand_rate``, ``resupply_time`` and
``unit_cost`` (other columns are ignored), or a list of such mappings or of
``(demand_rate, resupply_time, unit_cost)`` tuples. Rates and times share one
time unit.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd
from scipy.special import pdtrc

from svcsim.analytic._args import nonnegative, positive
from svcsim.analytic.palm import poisson_stock_measures

__all__ = ["ITEM_COLUMNS", "StockAllocation", "allocate_stock", "marginal_analysis"]

#: The columns an item table needs.
ITEM_COLUMNS = ("demand_rate", "resupply_time", "unit_cost")
_MAX_CELLS = 50_000_000


@dataclass(frozen=True, eq=False)
class StockAllocation:
    """An allocation of base stock to parts."""

    stock: np.ndarray
    """Base stock ``s_i`` per part, in the order of ``items``."""
    cost: float
    """``sum_i c_i s_i``."""
    expected_backorders: float
    """``sum_i EBO_i(s_i)``, the objective."""
    item_backorders: np.ndarray
    """``EBO_i(s_i)`` per part."""
    budget: float
    """The budget the allocation was made for."""


def _item_table(items) -> pd.DataFrame:
    """The three item columns as floats, checked."""
    if isinstance(items, pd.DataFrame):
        missing = [c for c in ITEM_COLUMNS if c not in items.columns]
        if missing:
            raise ValueError(f"items: missing columns {missing}; expected {list(ITEM_COLUMNS)}")
        table = items.loc[:, list(ITEM_COLUMNS)].reset_index(drop=True)
    elif isinstance(items, Sequence) and all(isinstance(it, Mapping) for it in items):
        table = pd.DataFrame([{c: it[c] for c in ITEM_COLUMNS} for it in items],
                             columns=list(ITEM_COLUMNS))
    elif isinstance(items, Sequence) and all(
        isinstance(it, Sequence) and len(it) == 3 for it in items
    ):
        table = pd.DataFrame([tuple(it) for it in items], columns=list(ITEM_COLUMNS))
    else:
        raise ValueError(
            "items: expected a DataFrame or a list of mappings or of "
            "(demand_rate, resupply_time, unit_cost) tuples"
        )
    if len(table) == 0:
        raise ValueError("items: expected at least one item")
    table = table.astype(float)
    nonnegative("demand_rate", table["demand_rate"].to_numpy())
    nonnegative("resupply_time", table["resupply_time"].to_numpy())
    positive("unit_cost", table["unit_cost"].to_numpy())
    return table


def _cost_units(costs: np.ndarray) -> tuple[Fraction, np.ndarray]:
    """The common cost unit ``g`` and each cost as a whole multiple of it."""
    fracs = []
    for c in costs:
        f = Fraction(float(c)).limit_denominator(1000)
        if abs(float(f) - c) > 1e-9 * c:
            raise ValueError(
                f"unit_cost: {c!r} is not a multiple of a common cost unit; round the costs"
            )
        fracs.append(f)
    den = math.lcm(*(f.denominator for f in fracs))
    nums = [f.numerator * (den // f.denominator) for f in fracs]
    g = math.gcd(*nums)
    return Fraction(g, den), np.array([n // g for n in nums], dtype=np.int64)


def _stock_cap(m: float) -> int:
    return math.ceil(m + 20.0 * math.sqrt(m) + 40.0)


def allocate_stock(items, budget: float) -> StockAllocation:
    """Base stocks minimising total expected backorders within a budget, exactly.

    Dynamic programming over the budget in units of the costs' greatest common
    divisor (see the module docstring for the recursion, its complexity and
    its limits). Palm's assumptions hold for every part: Poisson demand,
    one-for-one replenishment, independent resupply times.

    Parameters
    ----------
    items:
        Parts: a DataFrame with ``demand_rate``, ``resupply_time``,
        ``unit_cost``, or a list of mappings or 3-tuples in that order.
    budget:
        The most the stock may cost, ``>= 0``, in the currency of ``unit_cost``.

    Raises
    ------
    ValueError
        When the costs are not multiples of a common unit ``1/q`` with
        ``q <= 1000`` (cents and thirds are fine, ``pi`` is not) or the
        table ``n_items x budget/unit`` would exceed 5e7 cells.

    Examples
    --------
    >>> items = [(0.2, 10.0, 5.0), (0.1, 20.0, 2.0), (1.0, 3.0, 7.5)]
    >>> best = allocate_stock(items, 30.0)
    >>> best.stock.tolist(), best.cost, round(best.expected_backorders, 4)
    ([2, 2, 2], 29.0, 2.3316)
    >>> frontier = marginal_analysis(items, budget=30.0)  # best greedy point: 23.5
    >>> last = frontier.iloc[-1]
    >>> float(last["cost"]), round(float(last["expected_backorders"]), 4)
    (23.5, 2.8091)
    """
    table = _item_table(items)
    budget = float(nonnegative("budget", budget))
    m = (table["demand_rate"] * table["resupply_time"]).to_numpy()
    costs = table["unit_cost"].to_numpy()
    unit, ucost = _cost_units(costs)
    n_units = math.floor(budget / float(unit) + 1e-9)
    n = len(table)
    if n * (n_units + 1) > _MAX_CELLS:
        raise ValueError(
            f"budget: {n} items x {n_units} cost units of {float(unit):g} exceeds the "
            f"{_MAX_CELLS:.0e}-cell limit of the exact allocation; express the costs in a "
            "coarser unit"
        )
    value = np.zeros(n_units + 1)
    caps = [min(n_units // int(ucost[i]), _stock_cap(m[i])) for i in range(n)]
    choice = np.zeros((n, n_units + 1), dtype=np.int16 if max(caps) < 2**15 else np.int32)
    ebo_tables = []
    for i in range(n):
        ebo = poisson_stock_measures(m[i], np.arange(caps[i] + 1))[0]
        ebo_tables.append(ebo)
        new = value + ebo[0]
        for s in range(1, caps[i] + 1):
            shift = s * int(ucost[i])
            cand = ebo[s] + value[: n_units + 1 - shift]
            better = cand < new[shift:]
            new[shift:][better] = cand[better]
            choice[i, shift:][better] = s
        value = new
    stock = np.zeros(n, dtype=np.int64)
    u = n_units
    for i in range(n - 1, -1, -1):
        stock[i] = choice[i, u]
        u -= int(stock[i]) * int(ucost[i])
    item_ebo = np.array([ebo_tables[i][stock[i]] for i in range(n)])
    return StockAllocation(
        stock=stock,
        cost=float(np.dot(stock, costs)),
        expected_backorders=float(item_ebo.sum()),
        item_backorders=item_ebo,
        budget=budget,
    )


def marginal_analysis(items, budget: float | None = None,
                      target_backorders: float | None = None) -> pd.DataFrame:
    """The marginal-analysis (greedy) frontier of cost against backorders.

    Starting from zero stock, each step buys one unit of the part with the
    largest ``P(X_i > s_i) / c_i`` (ties go to the first part). Every row is
    the optimal allocation for its own cost; between rows
    ``allocate_stock`` can do better.

    Parameters
    ----------
    items:
        As for ``allocate_stock``.
    budget:
        Stop before the first step that would cost more than this.
    target_backorders:
        Stop at the first step with total ``EBO <= target_backorders``.
        When neither is given the frontier runs until the total ``EBO`` is at
        most ``1e-3 * sum_i m_i`` (99.9 % of the pipelines covered).

    Returns
    -------
    pandas.DataFrame
        One row per step: ``step`` (0 is the empty stock), ``item`` (position
        of the part bought, ``<NA>`` at step 0), ``stock`` (tuple of base
        stocks), ``cost`` and ``expected_backorders`` (totals).
    """
    table = _item_table(items)
    m = (table["demand_rate"] * table["resupply_time"]).to_numpy()
    costs = table["unit_cost"].to_numpy()
    if budget is not None:
        budget = float(nonnegative("budget", budget))
    if target_backorders is None and budget is None:
        target_backorders = 1e-3 * float(m.sum())
    elif target_backorders is not None:
        target_backorders = float(nonnegative("target_backorders", target_backorders))
    stock = np.zeros(len(m), dtype=np.int64)
    item_ebo = m.copy()  # EBO_i(0) = m_i
    cost = 0.0
    rows = [(0, pd.NA, tuple(stock.tolist()), cost, float(item_ebo.sum()))]
    heap = [(-pdtrc(0, m[i]) / costs[i], i) for i in range(len(m))]
    heapq.heapify(heap)
    step = 0
    while heap:
        total = float(item_ebo.sum())
        if target_backorders is not None and total <= target_backorders:
            break
        neg_ratio, i = heap[0]
        if neg_ratio == 0.0 or (budget is not None and cost + costs[i] > budget * (1 + 1e-12)):
            break
        heapq.heappop(heap)
        stock[i] += 1
        cost += costs[i]
        item_ebo[i] = poisson_stock_measures(m[i], stock[i])[0]
        step += 1
        rows.append((step, i, tuple(stock.tolist()), cost, float(item_ebo.sum())))
        heapq.heappush(heap, (-pdtrc(stock[i], m[i]) / costs[i], i))
    frame = pd.DataFrame(rows, columns=["step", "item", "stock", "cost", "expected_backorders"])
    frame["item"] = frame["item"].astype("Int64")
    return frame

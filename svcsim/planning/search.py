"""The local search over lever values, on common random numbers, with every candidate kept.

**Cheapest plan** (mode 1). From the warm start:

1. *Repair*: while the plan is not feasible, look at each one-unit
   increase (``batch`` replications each, on the same random numbers) and
   take the cheapest one that the sequential check finds feasible; if none
   is, take the one that cuts the shortfall most per unit of cost (the
   distance of each unmet requirement's lower bound below its threshold, in
   points, summed; on the current plan's replications), the cheaper on a tie. A plan that
   cannot be repaired because every lever is at its upper bound is no plan:
   the upper bounds are checked and the requirements they still miss are
   the unreachable ones.
2. *Descent*: in passes over the levers, costliest first, each lever is
   lowered as far as the sequential check keeps the plan feasible, in steps
   that halve on a failure (a quarter of the way to its lower bound first,
   then half that, ..., down to one unit: a stock of 74 takes about a dozen
   checks, not 74). A pass that moved anything is followed by another, in
   one-unit steps; the descent ends when a whole pass moves nothing, that
   is when no single one-unit removal keeps the plan feasible.

**Best plan within a budget** (mode 2). "Best" is the largest *minimum
slack*: the distance, in percentage points, of the tightest requirement's
mean above its threshold (negative when it is below). From the warm start,
units are removed where they cost the minimum slack least until the plan
fits the budget; then single increases and one-for-one swaps that fit the
budget are ranked on ``batch`` replications and the best is taken while it
raises the minimum slack. The chosen plan gets the full sequential check.

The search only screens: in mode 1 the plan is then chosen among the
candidates it found feasible by :mod:`svcsim.planning.select`. Not here
yet: moves that change two levers at once in mode 1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from svcsim.planning.costs import plan_cost
from svcsim.planning.evaluate import Evaluator
from svcsim.planning.feasibility import Check, check_point, verdicts
from svcsim.planning.levers import Lever

__all__ = ["Search", "SearchOutcome", "Step"]

Point = tuple[int, ...]


@dataclass(frozen=True)
class Step:
    """One move of the search: what was done, to which point, and how the point stood."""

    stage: str
    point: Point
    cost: float
    status: str
    min_slack: float
    replications: int


@dataclass
class SearchOutcome:
    """Where the search ended: the chosen check (None: no plan), the steps, and why."""

    chosen: Check | None
    status: Literal["feasible", "infeasible", "undecided", "within_budget", "no_plan"]
    steps: list[Step] = field(default_factory=list)
    at_bounds: Check | None = None
    """With no plan: the upper bounds' check, whose unmet requirements are the unreachable ones."""
    message: str = ""


class Search:
    """The local search of the module docstring over ``levers``, evaluating through ``evaluator``."""

    def __init__(self, evaluator: Evaluator, levers: Sequence[Lever], *, confidence: float, batch: int,
                 max_replications: int) -> None:
        self.evaluator, self.levers = evaluator, list(levers)
        self.confidence, self.batch, self.max_replications = confidence, int(batch), int(max_replications)
        self.checks: dict[Point, Check] = {}
        self.steps: list[Step] = []

    # -- helpers ---------------------------------------------------------------------------------------
    def cost(self, point: Point) -> float:
        """The yearly cost of ``point``."""
        return plan_cost(self.levers, point)

    def check(self, point: Point) -> Check:
        """The sequential check of ``point`` (made once; kept)."""
        if point not in self.checks:
            self.checks[point] = check_point(self.evaluator, point, confidence=self.confidence, batch=self.batch,
                                             max_replications=self.max_replications)
        return self.checks[point]

    def look(self, point: Point, n: int | None = None) -> Check:
        """A look at ``point`` on exactly ``n`` replications, to compare points on the same random numbers.

        Without ``n``: the point's full check if it has one, else ``batch`` replications.
        """
        if n is None:
            if point in self.checks:
                return self.checks[point]
            n = self.batch
        n = max(n, 2)
        found = verdicts(self.evaluator.values(point, n), self.evaluator.requirements, self.confidence)
        statuses = {v.status for v in found}
        status = "infeasible" if "failed" in statuses else "feasible" if statuses == {"met"} else "undecided"
        return Check(point=point, verdicts=tuple(found), replications=n, status=status)

    def _record(self, stage: str, check: Check) -> None:
        self.steps.append(Step(stage, check.point, self.cost(check.point), check.status, check.min_slack,
                               check.replications))

    def _moved(self, point: Point, index: int, by: int) -> Point | None:
        value = point[index] + by
        lever = self.levers[index]
        if not lever.low <= value <= lever.high:
            return None
        return point[:index] + (value,) + point[index + 1:]

    @staticmethod
    def _shortfall(check: Check) -> float:
        """How far the lower bounds of the unmet requirements lie below their thresholds, in points, summed."""
        total = 0.0
        for verdict in check.verdicts:
            if verdict.status == "met":
                continue
            low = verdict.requirement.points(verdict.low) if math.isfinite(verdict.low) else 0.0
            total += max(0.0, verdict.requirement.points(verdict.requirement.threshold) - low)
        return total

    # -- mode 1 ------------------------------------------------------------------------------------------
    def cheapest(self, start: Point) -> SearchOutcome:
        """The cheapest feasible plan found from ``start`` (mode 1)."""
        point = tuple(start)
        current = self.check(point)
        self._record("start", current)
        while current.status != "feasible":
            ups = [p for i in range(len(self.levers)) if (p := self._moved(point, i, +1)) is not None]
            if not ups:
                return self._no_plan(current)
            feasible = []
            for candidate in ups:
                if self.look(candidate).status != "infeasible":
                    full = self.check(candidate)
                    if full.status == "feasible":
                        feasible.append(full)
            if feasible:
                current = min(feasible, key=lambda c: (self.cost(c.point), c.point))
            else:
                n = current.replications
                base = self._shortfall(self.look(point, n))
                best_key, best = None, ups[0]
                for candidate in ups:
                    extra = max(self.cost(candidate) - self.cost(point), 1e-9)
                    key = ((base - self._shortfall(self.look(candidate, n))) / extra, -extra, candidate)
                    if best_key is None or key > best_key:
                        best_key, best = key, candidate
                current = self.check(best)
            point = current.point
            self._record("add", current)
        return self._descend(current)

    def _descend(self, current: Check) -> SearchOutcome:
        order = sorted(range(len(self.levers)), key=lambda i: (-self.levers[i].cost_per_unit_year, self.levers[i].path))
        moved, first_pass = True, True
        while moved:
            moved = False
            for index in order:
                step = max(1, (current.point[index] - self.levers[index].low) // 4) if first_pass else 1
                while step >= 1:
                    value = max(current.point[index] - step, self.levers[index].low)
                    if value == current.point[index]:
                        break
                    found = self.check(current.point[:index] + (value,) + current.point[index + 1:])
                    if found.status == "feasible":
                        current, moved = found, True
                        self._record("remove", current)
                    else:
                        step //= 2
            first_pass = False
        return SearchOutcome(chosen=current, status="feasible", steps=self.steps)

    def _no_plan(self, current: Check) -> SearchOutcome:
        top = tuple(lever.high for lever in self.levers)
        at_bounds = self.check(top)
        self._record("bounds", at_bounds)
        unmet = [v for v in at_bounds.verdicts if v.status != "met"] or list(current.failing())
        text = "; ".join(f"{v.requirement.label}: {_points(v)} at the upper bounds ({v.status})" for v in unmet)
        return SearchOutcome(chosen=None, status="no_plan", steps=self.steps, at_bounds=at_bounds,
                             message=f"no plan within the bounds meets every requirement: {text}")

    # -- mode 2 ------------------------------------------------------------------------------------------
    def best_within(self, start: Point, budget: float) -> SearchOutcome:
        """The plan of the largest minimum slack that costs at most ``budget`` a year (mode 2)."""
        point = tuple(start)
        while self.cost(point) > budget:
            downs = [p for i in range(len(self.levers)) if (p := self._moved(point, i, -1)) is not None]
            if not downs:
                return SearchOutcome(chosen=None, status="no_plan", steps=self.steps, message=(
                    f"even the lower bounds cost {self.cost(point):,.0f} a year, more than the budget {budget:,.0f}"))
            point = max(downs, key=lambda p: (self.look(p).min_slack / max(self.cost(point) - self.cost(p), 1e-9), p))
            self._record("fit budget", self.look(point))
        current = self.look(point)
        self._record("start", current)
        while True:
            moves = []
            for i in range(len(self.levers)):
                up = self._moved(point, i, +1)
                if up is not None:
                    moves.append(up)
                    for j in range(len(self.levers)):
                        swap = self._moved(up, j, -1) if j != i else None
                        if swap is not None:
                            moves.append(swap)
            moves = [m for m in moves if self.cost(m) <= budget]
            if not moves:
                break
            looks = [self.look(m, current.replications) for m in moves]
            best = max(looks, key=lambda c: (c.min_slack, -self.cost(c.point)))
            if not best.min_slack > current.min_slack:
                break
            point, current = best.point, best
            self._record("improve", current)
        chosen = self.check(point)
        self._record("chosen", chosen)
        return SearchOutcome(chosen=chosen, status=chosen.status, steps=self.steps)


def _points(verdict) -> str:  # noqa: ANN001
    requirement = verdict.requirement
    if not np.isfinite(verdict.mean):
        return "nothing due"
    if requirement.kind == "attainment":
        return f"{verdict.mean:.1f}% (bound {verdict.low:.1f}..{verdict.high:.1f})"
    return f"{verdict.mean:.3f} (bound {verdict.low:.3f}..{verdict.high:.3f})"

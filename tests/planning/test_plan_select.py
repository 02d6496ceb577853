"""The final selection: the cheapest screened-feasible candidate that a fresh check confirms, alpha split over them.

The evaluator here is a stand-in that returns fixed numbers per (point,
replication block), so the test says exactly what the screen and the
confirmation saw.
"""

from __future__ import annotations

import numpy as np

import svcsim
from svcsim.planning.feasibility import Check, verdicts
from svcsim.planning.requirements import Requirement
from svcsim.planning.select import CONFIRM_OFFSET, select_cheapest
from svcsim.scenarios import single_part

REQUIREMENT = Requirement("attainment", "r", 90.0)


class Numbers:
    """An evaluator whose replications are given: ``table[(point, block)]`` is a list of values."""

    def __init__(self, table: dict) -> None:
        self.table, self.requirements, self.asked = table, [REQUIREMENT], []

    def known(self, point, offset=0):  # noqa: ANN001, ANN201
        return 0

    def values(self, point, n, offset=0):  # noqa: ANN001, ANN201
        self.asked.append((point, n, offset))
        block = "confirm" if offset == CONFIRM_OFFSET else "screen"
        return np.asarray(self.table[(point, block)][:n], dtype=float).reshape(n, 1)


def _screened(points: list[tuple[int, ...]]) -> dict:
    return {p: Check(p, tuple(verdicts(np.full((5, 1), 99.0), [REQUIREMENT], 0.95)), 5, "feasible") for p in points}


def _cost(point):  # noqa: ANN001, ANN202
    return float(sum(point))


def test_a_lucky_cheap_candidate_is_not_confirmed_and_the_next_one_is_chosen():
    """(1,) passed the screen by chance; on fresh replications it is below 90: (2,) is the plan."""
    low = [88.0, 87.5, 88.5, 88.0, 87.0] * 8
    high = [95.0, 96.0, 95.5, 94.5, 95.0] * 8
    evaluator = Numbers({((1,), "confirm"): low, ((2,), "confirm"): high})
    chosen = select_cheapest(evaluator, _screened([(2,), (1,)]), _cost, confidence=0.95, batch=5, max_replications=40)
    assert chosen.chosen.point == (2,)
    assert [c.point for c in chosen.confirmations] == [(1,), (2,)]  # cheapest first
    assert all(offset == CONFIRM_OFFSET for _, _, offset in evaluator.asked)  # never the screen's numbers


def test_the_confidence_is_split_over_the_survivors():
    """Ten survivors: each confirmation is at 99.5 %; data that pass at 95 % alone but not at 99.5 % do not."""
    borderline = [89.8, 91.8] * 5  # mean 90.8, sd 1.05: 0.19 points clear at 95 %, 0.28 short at 99.5 %
    fine = [97.0, 98.0, 97.5, 96.5, 97.0] * 2
    alone = verdicts(np.asarray(borderline).reshape(-1, 1), [REQUIREMENT], 0.95)[0]
    split = verdicts(np.asarray(borderline).reshape(-1, 1), [REQUIREMENT], 0.995)[0]
    assert alone.status == "met" and split.status == "undecided"  # the case is the one the split decides

    points = [(k,) for k in range(1, 11)]
    table = {((1,), "confirm"): borderline, **{(p, "confirm"): fine for p in points[1:]}}
    evaluator = Numbers(table)
    chosen = select_cheapest(evaluator, _screened(points), _cost, confidence=0.95, batch=10, max_replications=10)
    assert chosen.survivors == 10 and abs(chosen.confidence_each - 0.995) < 1e-12
    assert chosen.confirmations[0].status == "undecided" and chosen.chosen.point == (2,)

    only = select_cheapest(Numbers(table), _screened(points[:1]), _cost, confidence=0.95, batch=10,
                           max_replications=10)
    assert only.chosen.point == (1,)  # alone, the same numbers are confirmed at 95 %


def test_none_confirmed_is_no_plan_claimed():
    evaluator = Numbers({((1,), "confirm"): [80.0, 81.0, 79.0, 80.5, 80.0]})
    chosen = select_cheapest(evaluator, _screened([(1,)]), _cost, confidence=0.95, batch=5, max_replications=5)
    assert chosen.chosen is None and chosen.confirmations[0].status == "infeasible"


def test_the_plan_reports_its_confirmation():
    """plan.json's selection: the survivors, the split confidence, and the plan's verdicts from the fresh block."""
    result = svcsim.plan(single_part(1.0, 3.0, 9, days=200), requirements={"fill:part": 0.73}, start="scenario",
                         batch=3, max_replications=9)
    selection = result.extra["selection"]
    feasible = int((result.candidates["status"] == "feasible").sum())
    assert selection["survivors"] == feasible >= 1
    assert abs(selection["confidence_each"] - (1 - 0.05 / feasible)) < 1e-12
    assert selection["confirmations"][-1]["point"] == list(result.point)
    assert result.check.replications == selection["confirmations"][-1]["replications"]

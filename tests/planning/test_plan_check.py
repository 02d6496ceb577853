"""The sequential check decides a requirement only when its one-sided bound is clear of the threshold."""

from __future__ import annotations

import numpy as np

from svcsim.planning.feasibility import verdicts
from svcsim.planning.requirements import Requirement


def test_clearly_above_is_met_clearly_below_failed_and_close_undecided():
    """90 +- small noise against 80 is met, against 95 failed, against 90 undecided."""
    values = np.array([[89.0], [91.0], [90.0], [90.5], [89.5]])
    assert verdicts(values, [Requirement("attainment", "r", 80.0)], 0.95)[0].status == "met"
    assert verdicts(values, [Requirement("attainment", "r", 95.0)], 0.95)[0].status == "failed"
    assert verdicts(values, [Requirement("attainment", "r", 90.0)], 0.95)[0].status == "undecided"


def test_more_requirements_widen_each_bound():
    """With two requirements each bound is taken at 97.5 % (Bonferroni), so it is wider than alone."""
    values = np.array([[89.0, 89.0], [91.0, 91.0], [90.0, 90.0], [90.5, 90.5], [89.5, 89.5]])
    alone = verdicts(values[:, :1], [Requirement("attainment", "r", 80.0)], 0.95)[0]
    both = verdicts(values, [Requirement("attainment", "r", 80.0), Requirement("attainment", "s", 80.0)], 0.95)[0]
    assert both.low < alone.low and both.mean == alone.mean


def test_bounds_stay_inside_what_the_value_can_be_and_nan_is_left_out():
    """An attainment bound never passes 100 %; a replication with nothing due does not count."""
    values = np.array([[100.0], [99.0], [np.nan], [100.0]])
    verdict = verdicts(values, [Requirement("attainment", "r", 90.0)], 0.95)[0]
    assert verdict.n == 3 and verdict.high <= 100.0 and verdict.status == "met"


def test_fill_slack_is_in_points():
    """A fill rate of 0.93 against 0.90 is 3 points of slack, as an attainment of 93 % against 90 % is."""
    assert abs(Requirement("fill", "p", 0.90).slack(0.93) - 3.0) < 1e-9
    assert abs(Requirement("attainment", "r", 90.0).slack(93.0) - 3.0) < 1e-9

"""Exact where theory is exact: the planner returns Erlang C's minimum c and Palm's minimum stock.

The cases are those of ``experiments/plan_theory.py`` (one list for both):
on :func:`svcsim.scenarios.mmc` with a requirement "answered within t
minutes", the planner's operators must equal
:func:`svcsim.analytic.min_servers`; on :func:`svcsim.scenarios.single_part`
with a minimum fill rate, its stock must equal
:func:`svcsim.analytic.min_stock`. Each case puts the threshold half-way
between the answer and one unit fewer, at least 9 points apart, so the
sequential check decides both. Half the cases start from the scenario's own
value (above or below the answer), half from the analytic warm start, so the
search has to walk to the answer and the descent has to stop at it.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "experiments" / "plan_theory.py"


def _experiment():
    spec = importlib.util.spec_from_file_location("plan_theory", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["plan_theory"] = module
    spec.loader.exec_module(module)
    return module


THEORY = _experiment()
STARTS = ["scenario", "warm", "scenario", "scenario", "warm", "scenario"]


def test_the_cases_are_decidable():
    """Neighbouring answers differ by at least 2 points, and the threshold lies between them."""
    for case in THEORY.MMC_CASES:
        _, at, below = THEORY.theory_mmc(case)
        assert at - below >= 2 and below < case[3] <= at
    for case in THEORY.PALM_CASES:
        _, at, below = THEORY.theory_palm(case)
        assert 100 * (at - below) >= 2 and below < case[2] <= at


@pytest.mark.parametrize(("case", "start"), list(zip(THEORY.MMC_CASES, STARTS, strict=True)))
def test_mmc_planner_returns_erlang_c_minimum(case, start, tmp_path):
    """The cheapest plan meeting "answered within t" on M/M/c is Erlang C's minimum number of operators."""
    answer, _, _ = THEORY.theory_mmc(case)
    assert case[4] != answer  # the scenario's own value is not already the answer
    result = THEORY.plan_mmc(case, start, tmp_path)
    assert result.found and result.status == "feasible"
    assert result.point == (answer,)
    one_fewer = result.candidates.set_index("staffing.operators.count").loc[answer - 1, "status"]
    assert one_fewer == "infeasible"
    assert result.binding == ("answer",)


@pytest.mark.parametrize(("case", "start"), list(zip(THEORY.PALM_CASES, STARTS, strict=True)))
def test_single_part_planner_returns_palm_minimum(case, start):
    """The cheapest stock meeting a fill rate on one part under Palm's assumptions is Palm's minimum stock."""
    answer, _, _ = THEORY.theory_palm(case)
    assert case[3] != answer
    result = THEORY.plan_palm(case, start)
    assert result.found and result.point == (answer,)
    assert result.candidates.set_index("stock").loc[answer - 1, "status"] == "infeasible"


def test_warm_start_is_the_formula():
    """The analytic warm start is Erlang C's c on mmc and Palm's S on single_part, before any simulation."""
    from svcsim.planning.levers import resolve_levers
    from svcsim.planning.requirements import Requirement
    from svcsim.planning.warm_start import warm_start
    from svcsim.rules import load_rules
    from svcsim.scenarios import single_part

    case = THEORY.PALM_CASES[0]
    part = single_part(case[0], case[1], case[3])
    found = warm_start(part, resolve_levers(part), [Requirement("fill", "part", case[2])], load_rules(None))
    assert found.point == (THEORY.theory_palm(case)[0],)
    assert found.sources[0].startswith("Palm")

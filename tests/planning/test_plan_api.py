"""``svcsim.plan`` as a library: levers, prices and requirements from ``[plan]``, the budget mode, determinism."""

from __future__ import annotations

import tomllib

import pytest

import svcsim
from svcsim.errors import InputError
from svcsim.planning.levers import catalogue, resolve_levers
from svcsim.planning.toml_out import scenario_toml
from svcsim.scenario import with_changes
from svcsim.scenarios import single_part

FAST = {"batch": 3, "max_replications": 9}


def _priced(**plan_section):  # noqa: ANN202
    return with_changes(svcsim.load_scenario("tiny"), {"plan": plan_section})


def test_plan_section_gives_requirements_prices_and_bounds():
    """[plan] require, staff_cost_per_year and levers are what the planner uses when the call names none."""
    scenario = _priced(require={"dispatch-4h": 90.0}, staff_cost_per_year={"field_engineers": 50_000.0},
                       levers={"staffing.field_engineers.count": [1, 4]})
    result = svcsim.plan(scenario, **FAST)
    lever = next(lv for lv in result.levers if lv.path == "staffing.field_engineers.count")
    assert (lever.low, lever.high, lever.cost_per_unit_year) == (1, 4, 50_000.0)
    assert [r.key for r in result.requirements] == ["dispatch-4h"]
    assert result.found


def test_shift_groups_are_levers_each_with_its_own_price():
    """A role staffed by groups offers one lever per group, priced by role.group before role."""
    scenario = with_changes(svcsim.load_scenario("tiny"), {
        "staffing.field_engineers": {"groups": [{"name": "early", "count": 2}, {"name": "late", "count": 1}]},
        "plan": {"staff_cost_per_year": {"field_engineers": 100.0, "field_engineers.late": 130.0}}})
    levers = catalogue(scenario)
    assert "staffing.field_engineers.count" not in levers
    assert levers["staffing.field_engineers.groups.early.count"].cost_per_unit_year == 100.0
    assert levers["staffing.field_engineers.groups.late.count"].cost_per_unit_year == 130.0


def test_stock_is_priced_at_its_holding_rate():
    """A unit of stock costs holding_rate_per_year x unit_cost a year (default rate 25 %)."""
    part = single_part(1.0, 3.0, 4)
    assert catalogue(part)["stock"].cost_per_unit_year == pytest.approx(0.25 * part.unit_cost)


def test_fixed_levers_are_left_out_and_no_lever_is_a_mistake():
    scenario = svcsim.load_scenario("tiny")
    paths = [lv.path for lv in resolve_levers(scenario, fixed=["staffing.operators"])]
    assert "staffing.operators.count" not in paths and "staffing.field_engineers.count" in paths
    with pytest.raises(InputError, match="no lever left"):
        resolve_levers(scenario, ["staffing.operators.count"], fixed=["staffing.operators.count"])


def test_budget_mode_stays_within_the_budget_and_prefers_more_slack():
    """With a budget the plan costs at most that, and spends it where the tightest requirement gains."""
    part = single_part(2.0, 5.0, 6, days=365)
    holding = catalogue(part)["stock"].cost_per_unit_year
    result = svcsim.plan(part, requirements={"fill:part": 0.9}, budget=12 * holding, **FAST)
    assert result.mode == "budget" and result.cost_per_year <= 12 * holding
    assert result.point == (12,)  # the fill rate rises with stock: the whole budget goes to it


def test_the_same_seed_gives_the_same_plan_on_one_or_two_processes():
    """Determinism: jobs change where replications run, not what they give."""
    part = single_part(1.0, 3.0, 9, days=200)
    one = svcsim.plan(part, requirements={"fill:part": 0.73}, start="scenario", **FAST)
    two = svcsim.plan(part, requirements={"fill:part": 0.73}, start="scenario", jobs=2, **FAST)
    assert one.point == two.point and one.candidates.equals(two.candidates)


def test_plan_toml_reads_back_as_the_scenario():
    """The written scenario validates to the same scenario, baseline's shift times, parts and all."""
    baseline = svcsim.load_scenario("baseline")
    text = scenario_toml(with_changes(baseline, {"spares.parts.MB-100.base_stock": 60}))
    back = svcsim.Scenario.model_validate(tomllib.loads(text))
    assert back.spares.parts[0].base_stock == 60
    assert back.model_dump(exclude={"spares"}) == baseline.model_dump(exclude={"spares"})


def test_plan_toml_writes_shift_groups_before_the_role_s_shift_table():
    """A role staffed in shift groups (an inline array of tables) reads back with its groups, not inside its shift."""
    groups = [{"name": "day", "count": 3, "shift": {"hours": ["08:00-18:00"], "days": "service"}},
              {"name": "weekend", "count": 1, "shift": {"hours": ["09:00-13:00"], "days": "every"}}]
    scenario = with_changes(svcsim.load_scenario("tiny"), {"staffing.operators": {"groups": groups}})
    back = svcsim.Scenario.model_validate(tomllib.loads(scenario_toml(scenario)))
    assert [g.name for g in back.staffing.operators.groups] == ["day", "weekend"]
    assert back.model_dump() == scenario.model_dump()


def test_bad_confidence_and_budget_are_refused():
    part = single_part(1.0, 3.0, 4)
    with pytest.raises(InputError, match="confidence"):
        svcsim.plan(part, requirements={"fill:part": 0.7}, confidence=1.5)
    with pytest.raises(InputError, match="budget"):
        svcsim.plan(part, requirements={"fill:part": 0.7}, budget=-1)

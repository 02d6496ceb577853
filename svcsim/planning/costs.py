"""What a plan costs a year: heads at their yearly cost, stock at its holding cost.

The prices come from the scenario's ``[plan]`` section
(:class:`svcsim.scenario.plan_settings.PlanSettings`): a head of a role (or
of one of its shift groups) costs ``staff_cost_per_year`` for it, else
``default_staff_cost_per_year``; a unit of base stock costs
``holding_rate_per_year * unit_cost``. A plan's cost is the sum over its
levers of value times price; levers the plan does not change are left out
(they cost the same in every candidate).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["head_cost", "plan_cost", "unit_holding_cost"]


def _settings(scenario: Any) -> Any:
    from svcsim.scenario.plan_settings import PlanSettings

    return getattr(scenario, "plan", None) or PlanSettings()


def head_cost(scenario: Any, role: str, group: str | None) -> float:
    """The yearly cost of one head of ``role`` (in shift ``group``, if any)."""
    settings = _settings(scenario)
    prices = settings.staff_cost_per_year
    if group and f"{role}.{group}" in prices:
        return float(prices[f"{role}.{group}"])
    return float(prices.get(role, settings.default_staff_cost_per_year))


def unit_holding_cost(scenario: Any, unit_cost: float) -> float:
    """The yearly cost of holding one unit of a part of ``unit_cost``."""
    return float(unit_cost) * float(_settings(scenario).holding_rate_per_year)


def plan_cost(levers: Sequence[Any], values: Sequence[int]) -> float:
    """The yearly cost of ``values`` of ``levers``."""
    return float(sum(lever.cost_per_unit_year * int(v) for lever, v in zip(levers, values, strict=True)))

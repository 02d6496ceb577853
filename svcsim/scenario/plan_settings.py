"""The ``[plan]`` section: what capacity costs and what the planner must reach.

:func:`svcsim.plan` searches staffing counts and base stocks for the
cheapest plan that meets every requirement (or the best one within a
budget). This section gives it the prices and the requirements; the command
line (``svcsim plan --require ... --lever ...``) adds to or overrides them.
Reference: ``docs/reference/plan.md``.

Costs are per year, in the currency of the parts' ``unit_cost``:

* ``staff_cost_per_year``: a head's yearly cost by role (``"field_engineers"``)
  or by a role's shift group (``"field_engineers.late"``: the group's own
  price wins over its role's); a role not named costs
  ``default_staff_cost_per_year``;
* ``holding_rate_per_year``: the yearly cost of holding one unit of a part,
  as a share of its ``unit_cost`` (capital, storage, obsolescence): a
  base stock of ``S`` costs ``S * unit_cost * holding_rate_per_year`` a year.

Requirements: ``require`` maps a rule id to its minimum attainment in %
(``{"arrive-20min" = 90}``), ``require_fill`` a part's SKU to its minimum
fill rate as a share (``{"MB-100" = 0.95}``). ``levers`` bounds what may
change (``{"staffing.field_engineers.count" = [8, 14]}``); ``fix`` lists
levers that stay at the scenario's value. ``shifts = "stagger"`` starts the
operators from the shift groups an integer program chooses for the hourly
needs (:mod:`svcsim.planning.stagger`), among ``shift_options`` or the
operators' shift moved by up to 3 hours each way.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from svcsim.scenario.frozen import Frozen

__all__ = ["DEFAULT_HOLDING_RATE", "DEFAULT_STAFF_COST", "PlanSettings"]

#: A head's yearly cost when the scenario names none for its role (a round figure, in the parts' currency).
DEFAULT_STAFF_COST = 120_000.0
#: The yearly holding cost of a unit of stock as a share of its unit cost (a common 25 %).
DEFAULT_HOLDING_RATE = 0.25


class PlanSettings(Frozen):
    """The ``[plan]`` section: yearly costs, requirements and lever bounds for :func:`svcsim.plan`."""

    staff_cost_per_year: dict[str, float] = Field(
        default_factory=dict, description="yearly cost of one head by role or role.group")
    default_staff_cost_per_year: float = Field(
        DEFAULT_STAFF_COST, ge=0, description="yearly cost of a head of a role staff_cost_per_year does not name")
    holding_rate_per_year: float = Field(
        DEFAULT_HOLDING_RATE, ge=0, le=10, description="yearly holding cost of a unit as a share of its unit_cost")
    require: dict[str, float] = Field(
        default_factory=dict, description="rule id -> minimum attainment in %")
    require_fill: dict[str, float] = Field(
        default_factory=dict, description="part SKU -> minimum fill rate (a share from 0 to 1)")
    levers: dict[str, list[int]] = Field(
        default_factory=dict, description="lever path -> [low, high] bounds")
    fix: list[str] = Field(default_factory=list, description="levers kept at the scenario's value")
    shifts: Literal["keep", "stagger"] = Field(
        "keep", description="keep the operators' shifts, or start from the MILP's staggered shift groups")
    shift_options: list[str] = Field(
        default_factory=list, description='shifts the MILP may use with shifts = "stagger", e.g. ["06:00-14:00"]')

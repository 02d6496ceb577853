"""Capacity planning: the cheapest staffing and spare stock that meet every target, with a stated confidence.

:func:`plan` searches staffing counts (per role and per shift group) and
base stocks within bounds, priced by the scenario's ``[plan]`` section, for
the cheapest plan whose every requirement (a rule's minimum attainment, a
part's minimum fill rate) is met at the stated confidence; or, with a
budget, the plan whose tightest requirement is furthest above its
threshold. It starts where the analytic formulas point
(:mod:`svcsim.analytic`), then simulates candidates on common random
numbers with a sequential feasibility check and a local search. It is a
client of the simulator's public functions, never of its processes. The
stages: :mod:`svcsim.planning.planner`. How-to:
``docs/howto/plan-staffing-and-stock.md``; reference: ``docs/reference/plan.md``.
"""

from svcsim.planning.levers import Lever
from svcsim.planning.planner import plan
from svcsim.planning.requirements import Requirement
from svcsim.planning.result import PlanResult
from svcsim.planning.shifts import shift_groups

__all__ = ["Lever", "PlanResult", "Requirement", "plan", "shift_groups"]

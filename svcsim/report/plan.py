"""The report of a plan (:class:`~svcsim.planning.PlanResult`): the plan against the starting scenario.

The page shows, from the tables ``svcsim plan --out`` writes: each lever at
the scenario and in the plan with its price (``plan_levers.csv``, the
``levers`` of ``plan.json``), the yearly cost of both, each requirement's
mean and one-sided bounds against its threshold at the start and at the
plan, with whether it binds (``plan_requirements.csv``, the
``requirements`` of ``plan.json``), the marginal-value table
(``marginal.csv``) and every candidate the search checked
(``candidates.csv``). A plan carries its own requirements, so ``--require``
is not read again here.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from svcsim import __version__
from svcsim.planning.result import PlanResult
from svcsim.report.data import ReportData, builder

__all__ = ["plan_report_data"]


@builder(PlanResult)
def plan_report_data(result: PlanResult, *, require: dict[str, float], command: str | None,
                     **context: Any) -> ReportData:
    """The report of a plan; ``require`` is ignored (the plan's requirements are its own)."""
    record = result.to_dict()
    levers = pd.DataFrame(record["levers"], columns=list(result.lever_table().columns))
    requirements = result.requirement_table()
    tables = {"plan_levers.csv": levers, "plan_requirements.csv": requirements,
              "marginal.csv": result.marginal, "candidates.csv": result.candidates}
    omitted: dict[str, str] = {}
    if result.marginal.empty:
        omitted["Marginal value"] = ("There is no plan, so no one-more or one-fewer neighbour of it."
                                     if result.point is None else "No lever can move by one unit within its bounds.")
    scenario = result.start_scenario.name
    mode = "cheapest plan" if result.budget is None else f"best plan within {result.budget:,.0f} a year"
    cost = "–" if result.cost_per_year is None else f"{result.cost_per_year:,.0f}"
    change = "" if result.cost_per_year is None else f" ({result.cost_per_year - result.start_cost_per_year:+,.0f})"
    at_plan = record["replications_at_plan"]
    headline = {
        "Scenario": str(scenario),
        "Decided": f"{mode}: {result.status} ({result.message})",
        "Cost per year": f"plan {cost}{change}; scenario {result.start_cost_per_year:,.0f}",
        "Binding": ", ".join(result.binding) or "none",
        "Period": f"{result.days:,} days per replication"
                  + (f", {result.warmup_days:,} days warm-up" if result.warmup_days else ", cold start"),
        "Seed": f"{result.seed} (common random numbers: the same arrivals for every candidate)",
        "Replications": (f"{at_plan:,} at the plan; " if at_plan is not None else "")
                        + f"{result.replications:,} simulated over {len(result.candidates):,} candidates",
        "Confidence": f"{result.confidence:g} joint (one-sided bounds, Bonferroni over {len(result.requirements)})",
        "Produced by": f"{command or 'svcsim.report()'} (svcsim {__version__})",
    }
    return ReportData("plan", f"Plan for {scenario}", headline, tables, omitted)

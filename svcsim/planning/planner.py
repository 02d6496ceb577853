"""``svcsim.plan``: the cheapest staffing and stock that meet every requirement, or the best within a budget.

The stages, each its own module:

1. :mod:`~svcsim.planning.levers` and :mod:`~svcsim.planning.costs`: what
   may change, between which bounds, at what yearly price;
   :mod:`~svcsim.planning.requirements`: what must be reached;
2. :mod:`~svcsim.planning.warm_start`: where the analytic formulas say to
   start (Erlang C/A for operators, Palm for one part); opt-in,
   :mod:`~svcsim.planning.stagger`: the operators as the shift groups an
   integer program chooses for their hourly needs;
3. :mod:`~svcsim.planning.evaluate` and :mod:`~svcsim.planning.feasibility`:
   each candidate simulated on common random numbers, replications added
   in batches until every requirement is clearly met or clearly missed;
4. :mod:`~svcsim.planning.search`: the local search (repair, then descent;
   or within a budget, the largest minimum slack);
5. :mod:`~svcsim.planning.select`: the final choice, the cheapest of the
   screen's feasible candidates that a fresh check confirms at the stated
   confidence split over them (mode 1);
6. :mod:`~svcsim.planning.result`: the answer, its files and its tables.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor
from typing import Any

import pandas as pd

from svcsim.arguments import whole_number
from svcsim.errors import InputError
from svcsim.planning.costs import plan_cost
from svcsim.planning.evaluate import Evaluator, RulesText, plan_cache
from svcsim.planning.feasibility import Check, verdicts
from svcsim.planning.levers import Lever, apply_levers, resolve_levers
from svcsim.planning.requirements import Requirement, resolve_requirements
from svcsim.planning.result import PlanResult
from svcsim.planning.search import Search
from svcsim.planning.select import select_cheapest
from svcsim.planning.stagger import SHIFT_MODES, stagger
from svcsim.planning.warm_start import warm_start

__all__ = ["plan"]


def plan(scenario: Any, *, levers: Mapping[str, Sequence[int] | None] | Iterable[str] | None = None,
         fixed: Iterable[str] = (), requirements: Mapping[str, float] | None = None,
         fill: Mapping[str, float] | None = None, confidence: float = 0.95, budget: float | None = None,
         seed: int = 0, batch: int = 5, max_replications: int = 40, days: int | None = None,
         warmup: int | None = None, rules: str | os.PathLike[str] | None = None, start: str = "warm",
         jobs: int = 1, executor: Executor | None = None,
         progress: Callable[[int], None] | None = None,
         cache: str | os.PathLike[str] | None = None, shifts: str | None = None,
         shift_options: Sequence[str] | None = None) -> PlanResult:
    """Plan the levers of ``scenario`` (a Scenario, a built-in name, a TOML file, or a ``single_part``).

    ``levers`` maps lever paths to ``(low, high)`` bounds (None: default
    bounds; None for the argument: every staffed role and kept part, and
    the scenario's ``[plan] levers``); ``fixed`` keeps some at the
    scenario's value. ``requirements`` maps rule ids to a minimum attainment
    in % (``"fill:SKU"`` keys, or ``fill``, a part to a minimum fill rate);
    None takes the scenario's ``[plan]``. ``rules`` is a rules file the
    rule ids refer to (default: the built-in rules on the scenario's
    calendar). Without ``budget`` the answer is the cheapest plan the search
    finds feasible at ``confidence``; with it, the plan of the largest
    minimum slack costing at most ``budget`` a year. Each candidate gets
    ``batch`` replications at a time, at most ``max_replications``, all on
    ``seed`` (common random numbers). ``start="scenario"`` starts the search
    at the scenario's values instead of the analytic warm start. ``days`` and
    ``warmup`` override the horizon and the warm-up; ``jobs`` or
    ``executor`` run replications in parallel; ``progress(simulated)`` is
    called as replications finish. ``cache`` (a folder) keeps every finished
    replication on disk: a plan run again with the same arguments and cache
    (after an interruption) reads them back and simulates only the rest.
    In mode 1 the answer is the cheapest candidate the screen found feasible
    whose feasibility a check on fresh replications confirms at
    ``1 - (1 - confidence) / m`` for ``m`` such candidates
    (:mod:`svcsim.planning.select`). ``shifts="stagger"`` (None: the
    scenario's ``[plan] shifts``, default ``"keep"``) first rewrites the
    operators as the shift groups an integer program chooses for the hourly
    Erlang needs of the answered-within requirements, among
    ``shift_options`` (None: ``[plan] shift_options``, else the operators'
    shift moved by up to 3 hours each way), and plans on that scenario
    (:mod:`svcsim.planning.stagger`): its start and warm start are the
    MILP's groups.
    """
    from svcsim.replications.replicate import resolve_days, resolve_warmup
    from svcsim.rules.load import load_rules
    from svcsim.scenario import load_scenario
    from svcsim.scenario.model import SinglePart

    if not isinstance(scenario, SinglePart):
        scenario = load_scenario(scenario)
    whole_number(seed, "seed", function="plan")
    batch = whole_number(batch, "batch", function="plan", minimum=2)
    max_replications = whole_number(max_replications, "max_replications", function="plan", minimum=batch)
    jobs = whole_number(jobs, "jobs", function="plan", minimum=1)
    if isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0.5 <= confidence < 1:
        raise InputError(f"confidence = {confidence!r}", field="confidence", expected="a share from 0.5 to below 1, e.g. 0.95")
    if budget is not None and (isinstance(budget, bool) or not isinstance(budget, int | float) or not budget > 0):
        raise InputError(f"budget = {budget!r}", field="budget", expected="a yearly budget > 0")
    if start not in ("warm", "scenario"):
        raise InputError(f"start = {start!r}", field="start", expected="'warm' or 'scenario'")
    settings = getattr(scenario, "plan", None)
    shifts = shifts if shifts is not None else (settings.shifts if settings is not None else "keep")
    if shifts not in SHIFT_MODES:
        raise InputError(f"shifts = {shifts!r}", field="shifts", expected="'keep' or 'stagger'")
    if shift_options is not None and shifts != "stagger":
        raise InputError("shift options without shifts = 'stagger'", field="shift_options",
                         expected="shifts='stagger' (--stagger-shifts) to choose among them")
    rules_text = RulesText.read(rules) if rules is not None else None
    rule_set = load_rules(rules)
    staggered = None
    if shifts == "stagger":
        options = shift_options if shift_options is not None else (settings.shift_options if settings else None)
        staggered = stagger(scenario, resolve_requirements(scenario, list(rule_set.ids()), requirements, fill),
                            rule_set, options, levers, fixed)
        scenario, levers = staggered.scenario, staggered.with_groups(levers)
    chosen_levers = resolve_levers(scenario, levers, fixed)
    wanted = resolve_requirements(scenario, list(rule_set.ids()), requirements, fill)
    days = resolve_days(scenario, days, function="plan")
    warmup_days = 0 if isinstance(scenario, SinglePart) else resolve_warmup(warmup, scenario, function="plan")

    warm = warm_start(scenario, chosen_levers, wanted, rule_set)
    if staggered is not None:
        warm = staggered.warm(warm, chosen_levers)
    start_point = tuple(lever.start for lever in chosen_levers)
    first = warm.point if start == "warm" else tuple(min(max(v, lv.low), lv.high)
                                                     for v, lv in zip(start_point, chosen_levers, strict=True))
    evaluator = Evaluator(scenario, chosen_levers, wanted, rules=rules_text, seed=seed, days=days,
                          warmup_days=warmup_days, jobs=jobs, executor=executor, progress=progress,
                          cache=plan_cache(cache, rules_text))
    search = Search(evaluator, chosen_levers, confidence=float(confidence), batch=batch,
                    max_replications=max_replications)
    try:
        outcome = search.cheapest(first) if budget is None else search.best_within(first, float(budget))
        chosen, selection, status = outcome.chosen, None, outcome.status
        if budget is None and outcome.status == "feasible":
            selection = select_cheapest(evaluator, search.checks, search.cost, confidence=float(confidence),
                                        batch=batch, max_replications=max_replications)
            chosen = selection.chosen
            status = "feasible" if chosen is not None else "undecided"
        start_check = search.check(start_point)
        marginal, binding = (_marginal(search, search.checks.get(chosen.point, chosen), wanted)
                             if chosen is not None else (pd.DataFrame(), ()))
    finally:
        evaluator.close()
    point = None if chosen is None else chosen.point
    found = chosen is not None and (budget is not None or chosen.status == "feasible")
    message = outcome.message or _message(status, budget)
    if selection is not None and chosen is None:
        message = (f"{selection.survivors} candidates passed the screen but none was confirmed on fresh "
                   f"replications at {selection.confidence_each:.4f} each; allow more (--replications-max)")
    extra: dict[str, Any] = {}
    if selection is not None:
        extra["selection"] = selection.to_dict(search.cost)
    if staggered is not None:
        extra["shifts"] = staggered.to_dict()
    return PlanResult(
        mode="cheapest" if budget is None else "budget", found=found, status=status, message=message,
        levers=tuple(chosen_levers), requirements=tuple(wanted), start_point=start_point, warm_point=warm.point,
        warm_sources=warm.sources, point=point,
        scenario=None if point is None else apply_levers(scenario, chosen_levers, point), start_scenario=scenario,
        cost_per_year=None if point is None else plan_cost(chosen_levers, point),
        start_cost_per_year=plan_cost(chosen_levers, start_point), check=chosen, start_check=start_check,
        at_bounds=outcome.at_bounds, binding=binding, marginal=marginal,
        candidates=_candidates(search, chosen_levers, wanted), seed=int(seed), confidence=float(confidence),
        budget=None if budget is None else float(budget), replications=evaluator.simulated,
        simulated_days=evaluator.simulated_days, days=days, warmup_days=warmup_days,
        extra={**extra, "replications_from_cache": evaluator.loaded, "steps": [{"stage": s.stage, "point": list(s.point), "cost": s.cost, "status": s.status,
                          "min_slack": s.min_slack, "replications": s.replications} for s in outcome.steps]},
    )


def _message(status: str, budget: float | None) -> str:
    if status == "feasible":
        return "every requirement is met at the stated confidence"
    if budget is not None:
        return (f"the best plan within the budget is {status}: "
                + ("every requirement met" if status == "feasible" else "a requirement is not met"))
    return f"the plan is {status}"


def _marginal(search: Search, chosen: Check, wanted: list[Requirement]) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """One unit more and fewer of each lever at the plan, on the plan's replications; and the binding requirements."""
    n = chosen.replications
    rows, binding = [], set()
    for index, lever in enumerate(search.levers):
        for change in (+1, -1):
            neighbour = search._moved(chosen.point, index, change)  # noqa: SLF001 - the search's own move rule
            if neighbour is None:
                continue
            found = verdicts(search.evaluator.values(neighbour, n), wanted, search.confidence)
            known = search.checks.get(neighbour)
            row: dict[str, Any] = {"lever": lever.path, "name": lever.name, "change": change,
                                   "value": neighbour[index], "cost_change_per_year": change * lever.cost_per_unit_year}
            for mine, theirs in zip(chosen.verdicts, found, strict=True):
                key = mine.requirement.key
                row[f"{key}:change_points"] = (mine.requirement.points(theirs.mean) - mine.requirement.points(mine.mean)
                                               if math.isfinite(theirs.mean) and math.isfinite(mine.mean) else float("nan"))
                row[f"{key}:status"] = theirs.status
            row["checked"] = "" if known is None else known.status
            rows.append(row)
            if change < 0:
                decisive = known.verdicts if known is not None else found
                binding.update(v.requirement.key for v, m in zip(decisive, chosen.verdicts, strict=True)
                               if v.status != "met" and m.status == "met")
    keys = tuple(r.key for r in wanted if r.key in binding)
    return pd.DataFrame(rows), keys


def _candidates(search: Search, levers: list[Lever], wanted: list[Requirement]) -> pd.DataFrame:
    rows = []
    for point, check in search.checks.items():
        row: dict[str, Any] = {lever.path: v for lever, v in zip(levers, point, strict=True)}
        row.update({"cost_per_year": search.cost(point), "status": check.status, "replications": check.replications,
                    "min_slack_points": check.min_slack})
        for verdict in check.verdicts:
            row[f"{verdict.requirement.key}:mean"] = verdict.mean
        rows.append(row)
    return pd.DataFrame(rows)



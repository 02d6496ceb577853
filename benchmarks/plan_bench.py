"""How much simulation does the planner save against an exhaustive grid, and how long does baseline take?

Usage::

    python benchmarks/plan_bench.py grid [--jobs 2]        # the planner against the grid
    python benchmarks/plan_bench.py baseline [--jobs 2]    # time the plan of baseline, every role and part

**grid.** A cut-down ``tiny`` (a five-day working week at 90 calls a day,
8 field engineers, 5 operators), three levers of five values each (125
points): operators 3..7, field engineers 5..9, bench engineers 1..5, priced
differently (90,000, 150,000 and 110,000 a year) so that no two points cost
the same; three requirements: ``answer-2min >= 92`` (the built-in rules
plus one rule, a call answered within 2 minutes), ``dispatch-4h >= 90``,
``ship-4h >= 90``. The planner (:func:`svcsim.plan`, default batch 5, at
most 40 replications, seed 0) against the grid: every one of the 125
points given the planner's own sequential check
(:func:`svcsim.planning.feasibility.check_point`, same batch, maximum,
confidence and seed), then the planner's own final step
(:func:`svcsim.planning.select.select_cheapest`: the cheapest of the
feasible points confirmed on fresh replications at the confidence split
over them). Each side has its own evaluator, so neither reuses the other's
replications. Reported: replications and simulated replication-days of
each, in total and for the screen alone (before the final step), their
ratio (goal: the planner at most one fifth of the grid's), whether the two
answers agree, and whether the cheapest point each side's screen passed is
the same (``screens_agree``).

**baseline.** ``svcsim.plan("baseline")`` with every staffed role and every
part as a lever at its default bounds (14 levers), requirements
``arrive-20min >= 80``, ``complete-6h >= 90``, ``callback >= 95``, on
``--jobs`` local workers, timed once (goal: under 10 minutes). Every
sequential check is printed as it finishes (the point's change from
baseline, its verdict, its replications, the seconds since the start), so a
run that is stopped still shows where the time went. ``--max-minutes``
stops it there (the figures so far are printed). The load average
(``os.getloadavg``) is printed before and after: the machine is shared.

The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # this checkout's svcsim, not an installed one
    sys.path.insert(0, str(ROOT))

import svcsim  # noqa: E402
from svcsim.planning import search as search_module  # noqa: E402
from svcsim.planning.costs import plan_cost  # noqa: E402
from svcsim.planning.evaluate import Evaluator, RulesText  # noqa: E402
from svcsim.planning.feasibility import check_point  # noqa: E402
from svcsim.planning.levers import resolve_levers  # noqa: E402
from svcsim.planning.requirements import resolve_requirements  # noqa: E402
from svcsim.planning.select import select_cheapest  # noqa: E402
from svcsim.scenario import with_changes  # noqa: E402

GRID_LEVERS = {"staffing.operators.count": (3, 7), "staffing.field_engineers.count": (5, 9),
               "staffing.bench_engineers.count": (1, 5)}
GRID_PRICES = {"operators": 90_000.0, "field_engineers": 150_000.0, "bench_engineers": 110_000.0}
GRID_REQUIREMENTS = {"answer-2min": 92.0, "dispatch-4h": 90.0, "ship-4h": 90.0}
GRID_DAYS = 5
BASELINE_REQUIREMENTS = {"arrive-20min": 80.0, "complete-6h": 90.0, "callback": 95.0}
BATCH, MAX_REPLICATIONS, CONFIDENCE, SEED = 5, 40, 0.95, 0


def grid_scenario():  # noqa: ANN201
    """The cut-down tiny of the module docstring."""
    weekdays = {day: 90 for day in ("mon", "tue", "wed", "thu", "fri")}
    return with_changes(svcsim.load_scenario("tiny"), {
        "demand.calls_per_day": {**weekdays, "sat": 0, "sun": 0},
        "staffing.operators.count": 5, "staffing.field_engineers.count": 8,
        "plan": {"staff_cost_per_year": GRID_PRICES}})


def grid_rules(folder: Path) -> Path:
    """The built-in rules and one more, ``answer-2min``: a call answered within 2 minutes of being received."""
    text = (ROOT / "svcsim" / "rules" / "default_rules.toml").read_text(encoding="utf-8")
    text += ('\n[[rules]]\nid = "answer-2min"\nkind = "duration"\ntitle = "Call answered within 2 minutes"\n'
             'start = "call_received"\nstop = "call_answered"\ntarget = "2min"\nbasis = "wall"\n')
    path = folder / "bench_rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run_grid(jobs: int) -> dict:
    """The planner and the exhaustive grid on the same 125 points (module docstring)."""
    from svcsim.rules.load import load_rules

    scenario = grid_scenario()
    with tempfile.TemporaryDirectory() as tmp:
        rules_path = grid_rules(Path(tmp))
        began = time.perf_counter()
        planned = svcsim.plan(scenario, levers=GRID_LEVERS, requirements=GRID_REQUIREMENTS, rules=rules_path,
                              days=GRID_DAYS, batch=BATCH, max_replications=MAX_REPLICATIONS,
                              confidence=CONFIDENCE, seed=SEED, jobs=jobs)
        planner_seconds = time.perf_counter() - began

        levers = resolve_levers(scenario, GRID_LEVERS)
        wanted = resolve_requirements(scenario, list(load_rules(rules_path).ids()), GRID_REQUIREMENTS)
        evaluator = Evaluator(scenario, levers, wanted, rules=RulesText.read(rules_path), seed=SEED, days=GRID_DAYS,
                              warmup_days=0, jobs=jobs)
        began = time.perf_counter()
        checks = []
        try:
            for point in itertools.product(*(range(lv.low, lv.high + 1) for lv in levers)):
                checks.append(check_point(evaluator, point, confidence=CONFIDENCE, batch=BATCH,
                                          max_replications=MAX_REPLICATIONS))
        except BaseException:
            evaluator.close()
            raise
        screen_replications, screen_days = evaluator.simulated, evaluator.simulated_days
        feasible = [c for c in checks if c.status == "feasible"]
        screened = min(feasible, key=lambda c: (plan_cost(levers, c.point), c.point)) if feasible else None
        try:  # the planner's own final step on the grid's checks: cheapest confirmed on fresh replications
            chosen = select_cheapest(evaluator, {c.point: c for c in checks}, lambda p: plan_cost(levers, p),
                                     confidence=CONFIDENCE, batch=BATCH, max_replications=MAX_REPLICATIONS).chosen
        finally:
            evaluator.close()
        grid_seconds = time.perf_counter() - began
    best = chosen
    statuses = {s: sum(c.status == s for c in checks) for s in ("feasible", "infeasible", "undecided")}
    confirmations = planned.extra.get("selection", {}).get("confirmations", [])
    planner_confirm = sum(c["replications"] for c in confirmations)
    return {
        "bench": "grid", "levers": {lv.path: [lv.low, lv.high] for lv in levers},
        "requirements": GRID_REQUIREMENTS, "days": GRID_DAYS, "points": len(checks), "grid_statuses": statuses,
        "planner_point": None if planned.point is None else list(planned.point), "planner_status": planned.status,
        "planner_cost": planned.cost_per_year, "planner_candidates": len(planned.candidates),
        "planner_replications": planned.replications, "planner_replication_days": planned.simulated_days,
        "planner_seconds": round(planner_seconds, 1),
        "planner_confirmation_replications": planner_confirm,
        "planner_replications_less_confirmation": planned.replications - planner_confirm,
        "planner_selection": planned.extra.get("selection"),
        "grid_screen_point": None if screened is None else list(screened.point),
        "grid_point": None if best is None else list(best.point),
        "grid_cost": None if best is None else plan_cost(levers, best.point),
        "grid_screen_replications": screen_replications, "grid_screen_replication_days": screen_days,
        "grid_replications": evaluator.simulated, "grid_replication_days": evaluator.simulated_days,
        "grid_seconds": round(grid_seconds, 1),
        "share_of_grid": round(planned.simulated_days / evaluator.simulated_days, 4),
        "screen_share_of_grid_screen": round((planned.replications - planner_confirm) / screen_replications, 4),
        "agree": best is not None and planned.point == best.point,
        "screens_agree": screened is not None and planned.extra.get("selection") is not None
        and screened.point == tuple(planned.extra["selection"]["confirmations"][0]["point"]),
    }


class _Stopped(Exception):
    pass


def run_baseline(jobs: int, max_minutes: float) -> dict:
    """Time the plan of baseline over every role and part (module docstring), printing each check."""
    scenario = svcsim.load_scenario("baseline")
    start = {lv.path: lv.start for lv in resolve_levers(scenario)}
    names = list(start)
    began = time.perf_counter()
    log: list[dict] = []
    simulated = [0]

    def traced(evaluator, point, **options):  # noqa: ANN001, ANN202
        before = evaluator.simulated
        found = check_point(evaluator, point, **options)
        changed = {names[i].split(".")[-2]: v - start[names[i]] for i, v in enumerate(point) if v != start[names[i]]}
        row = {"seconds": round(time.perf_counter() - began, 1), "change": changed, "status": found.status,
               "replications": found.replications, "new": evaluator.simulated - before,
               "simulated": evaluator.simulated}
        log.append(row)
        print(json.dumps(row), flush=True)
        return found

    def progress(count: int) -> None:
        simulated[0] = count

    def alarm(*_):  # noqa: ANN002, ANN202
        raise _Stopped

    load_before = os.getloadavg()
    search_module.check_point = traced  # the benchmark's trace; the package is unchanged
    signal.signal(signal.SIGALRM, alarm)
    signal.alarm(int(max_minutes * 60))
    result, finished = None, True
    try:
        result = svcsim.plan(scenario, requirements=BASELINE_REQUIREMENTS, batch=BATCH,
                             max_replications=MAX_REPLICATIONS, confidence=CONFIDENCE, seed=SEED, jobs=jobs,
                             progress=progress)
    except _Stopped:
        finished = False
    finally:
        signal.alarm(0)
        search_module.check_point = check_point
    seconds = time.perf_counter() - began
    out = {"bench": "baseline", "jobs": jobs, "levers": len(names), "requirements": BASELINE_REQUIREMENTS,
           "finished": finished, "seconds": round(seconds, 1), "checks": len(log),
           "load_before": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in os.getloadavg()],
           "replications": simulated[0] if result is None else result.replications}
    if result is not None:
        out.update({"status": result.status, "point_change": {
            names[i]: v - start[names[i]] for i, v in enumerate(result.point or ()) if v != start[names[i]]},
            "cost": result.cost_per_year, "start_cost": result.start_cost_per_year,
            "replication_days": result.simulated_days})
    by_lever: dict[str, int] = {}
    for row in log:
        for name in row["change"]:
            by_lever[name] = by_lever.get(name, 0) + row["new"]
    out["new_replications_by_changed_lever"] = by_lever
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", choices=["grid", "baseline"])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--max-minutes", type=float, default=60.0, help="baseline: stop after this long")
    args = parser.parse_args(argv)
    out = run_grid(args.jobs) if args.bench == "grid" else run_baseline(args.jobs, args.max_minutes)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

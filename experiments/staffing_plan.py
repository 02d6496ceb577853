"""Test a staffing plan: 9 field engineers instead of 11 at the baseline center, with confidence intervals.

Usage::

    python experiments/staffing_plan.py [--replications 20] [--days 56] [--jobs 2] [--cache DIR]
                                        [--out experiments/results/staffing_plan]
                                        [--figure docs/howto/figures/field-engineers-attainment.png]

1. Checks the warm-up. Every run starts warm: the scenario's
   ``run.warmup_days`` (150 for baseline, measured on the spares loop by
   ``experiments/warm_start.py``) are simulated before the judged days. The
   check: MSER-5 on the daily mean of each field target's clock, averaged
   over 10 cold pilot replications (``warmup_days=0``) of 300 days (longer
   than warm-up and study together, so MSER-5 has enough days to judge).
   The study uses the scenario's warm-up, or the largest suggestion if one
   is longer, in whole days.
2. Compares ``baseline`` (11 field engineers) with the plan (9), 8 weeks a
   replication, on common random numbers: each target's attainment, B - A
   with its 95% interval, and the variance reduction against independent runs. Writes ``comparison.csv``
   and ``comparison.md``.
3. Sweeps the field engineers from 8 to 13 and draws each field target's
   attainment with 95% bands (the how-to's figure).

The numbers are quoted in ``docs/howto/test-a-staffing-plan.md``.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import pandas as pd

from svcsim.replications import compare, daily_series, suggest_warmup, sweep
from svcsim.scenario import load_scenario, with_changes
from svcsim.simulation import simulate

FIELD = "staffing.field_engineers.count"
TARGETS = ["dispatch-4h", "arrive-20min", "complete-6h"]


def choose_warmup(scenario, days: int = 300, pilots: int = 10) -> tuple[int, dict[str, int], pd.DataFrame]:  # noqa: ANN001
    """The warm-up in whole days, MSER-5's suggestions for the field targets' clocks, and the weekly means.

    The pilots run cold (``warmup_days=0``), so their series show the
    transient a warm-up removes; each target's daily mean clock is averaged
    over them (replications 1000 and up, so the study's own replications
    stay untouched). The warm-up is the scenario's ``run.warmup_days``
    unless a suggestion is longer.
    """
    runs = [simulate(scenario, seed=0, replication=1000 + r, days=days, warmup_days=0) for r in range(pilots)]
    suggestions, weekly = {}, {}
    for rule in TARGETS:
        series = pd.concat([daily_series(run, rule) for run in runs], axis=1).mean(axis=1)
        suggestions[rule] = math.ceil(suggest_warmup(series))
        weekly[rule] = series.groupby(series.index // 7).mean()
    table = pd.DataFrame(weekly)
    table.index.name = "week"
    print("MSER-5 suggestions on cold pilots (days):", suggestions)
    return max(int(scenario.run.warmup_days), *suggestions.values()), suggestions, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--days", type=int, default=56)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--cache", help="replication cache folder (default: none)")
    parser.add_argument("--out", default="experiments/results/staffing_plan")
    parser.add_argument("--figure", default="docs/howto/figures/field-engineers-attainment.png")
    args = parser.parse_args()
    base = load_scenario("baseline")
    plan = with_changes(base, {FIELD: 9})
    warmup, suggestions, weekly = choose_warmup(base)
    print(f"warm-up: {warmup} days simulated before the judged ones (scenario: {base.run.warmup_days}); "
          f"weekly mean clocks of the cold pilots (h):")
    print(weekly.round(3).T.to_string())
    result = compare(base, plan, replications=args.replications, days=args.days, warmup=warmup, jobs=args.jobs,
                     cache=args.cache)
    table = result.summary()
    shown = table[table["kind"].isin(["attainment_pct", "utilisation_pct"]) & table["n"].gt(1)]
    shown = shown[shown["subject"].isin([*TARGETS, "dispatch-4h", "field_engineers", "dispatchers"])]
    columns = ["metric", "mean_a", "mean_b", "difference", "ci_low", "ci_high", "independent_half_width",
               "variance_reduction_pct"]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "comparison.csv", index=False)
    markdown = shown[columns].round(2).to_markdown(index=False) if _has_tabulate() else shown[columns].round(2).to_string(index=False)
    (out / "comparison.md").write_text(f"A = baseline (11 field engineers), B = 9; {args.replications} paired "
                                       f"replications of {args.days} judged days, each after a {warmup}-day warm-up "
                                       f"(scenario: {base.run.warmup_days})\n\n{markdown}\n\n"
                                       f"MSER-5 suggestions on 10 cold pilots of 300 days (days): {suggestions}\n\n"
                                       f"Weekly mean clocks of the cold pilots (h):\n\n"
                                       f"{weekly.round(3).T.to_string()}\n")
    print(markdown)
    grid = sweep(base, {FIELD: [8, 9, 10, 11, 12, 13]}, replications=args.replications, days=args.days,
                 warmup=warmup, jobs=args.jobs, cache=args.cache)
    grid.summary().to_csv(out / "sweep_summary.csv", index=False)
    figure = grid.plot(rules=TARGETS)
    Path(args.figure).parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(args.figure, dpi=100)
    print(f"wrote {out / 'comparison.csv'}, {out / 'comparison.md'}, {out / 'sweep_summary.csv'}, {args.figure}")


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()

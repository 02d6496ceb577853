"""Stagger shifts: a center open until 20:00, all field engineers on days or three of them late.

Usage::

    python experiments/stagger_shifts.py [--replications 10] [--days 84] [--warmup DAYS] [--jobs 2]

Both plans have 11 field engineers and 2 dispatchers on baseline's
demand, with the phone line and the service hours running to 20:00 and
calls until then. Plan A keeps everyone 08:30-17:30; plan B moves three
engineers and one dispatcher to 11:00-20:00. The comparison is paired
(common random numbers), each target's attainment and the utilisation with
B - A and its 95 % interval, over ``--days`` judged days a replication,
each after the scenario's warm-up (baseline's 150 days, simulated before
the judged ones; ``--warmup`` replaces it). The numbers are quoted in
``docs/howto/stagger-shifts.md``; the table is written to
``--out`` (default ``experiments/results/stagger_shifts``) as
``comparison.csv`` (every metric) and ``comparison.txt`` (the printed rows).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from svcsim.replications import compare
from svcsim.scenario import Scenario, load_scenario, with_changes

OPEN_LATE = ["08:30-12:00", "13:00-20:00"]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
SHOWN = ["dispatch-4h", "arrive-20min", "complete-6h", "badpart-6h", "field_engineers", "dispatchers"]


def open_until_eight() -> Scenario:
    """baseline with the service hours, the phone line and the calls running to 20:00 (plan A)."""
    return with_changes(load_scenario("baseline"), {
        "calendar.hours": dict.fromkeys(WEEKDAYS, OPEN_LATE),
        "demand.hourly_profile": [0.0] * 8 + [0.5, 1.3, 1.3, 1.1, 0.5, 0.9, 1.1, 1.0, 0.9, 0.8, 0.7, 0.5] + [0.0] * 4,
        "staffing.operators.shift.hours": ["08:00-20:00"],
    })


def staggered(base: Scenario) -> Scenario:
    """Plan B: three of the 11 field engineers and one of the 2 dispatchers on 11:00-20:00."""
    field = base.staffing.field_engineers.model_dump(exclude={"count", "shift", "groups"})
    return with_changes(base, {
        "staffing.field_engineers": {**field, "groups": [
            {"name": "day", "count": 8, "shift": {"hours": ["08:30-17:30"]}},
            {"name": "late", "count": 3, "shift": {"hours": ["11:00-20:00"]}}]},
        "staffing.dispatchers": {"groups": [
            {"name": "day", "count": 1, "shift": {"hours": ["08:30-17:30"]}},
            {"name": "late", "count": 1, "shift": {"hours": ["11:00-20:00"]}}]},
    })


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--days", type=int, default=84)
    parser.add_argument("--warmup", type=float, default=None,
                        help="days simulated before the judged ones (default: the scenario's run.warmup_days)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", default="experiments/results/stagger_shifts")
    args = parser.parse_args()
    base = open_until_eight()
    result = compare(base, staggered(base), replications=args.replications, days=args.days, warmup=args.warmup,
                     jobs=args.jobs)
    summary = result.summary()
    table = summary[summary["kind"].isin(["attainment_pct", "utilisation_pct"]) & summary["subject"].isin(SHOWN)]
    warmup = base.run.warmup_days if args.warmup is None else args.warmup
    text = (f"A = all on days, B = 3 engineers and 1 dispatcher late; {args.replications} paired replications of "
            f"{args.days} judged days, each after a {warmup:g}-day warm-up\n\n"
            + table[["metric", "mean_a", "mean_b", "difference", "ci_low", "ci_high"]].round(2).to_string(index=False)
            + "\n")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    summary.to_csv(out / "comparison.csv", index=False)
    (out / "comparison.txt").write_text(text)
    print(text)
    print(f"wrote {out / 'comparison.csv'} and {out / 'comparison.txt'}")


if __name__ == "__main__":
    main()

"""``svcsim backtest LOG --train-until DATE | --train-share S [--replications N] [--mapping M] [--template T] [--rules R] [--out DIR]``.

Fits on the log before the split, simulates the held-out period from it and
prints the model's distances beside the two naive baselines' and, per rule,
how many held-out weeks the real attainment fell inside the simulated 95 %
interval (:func:`svcsim.backtesting.backtest`; ``docs/reference/backtest.md``).
The parser part (:func:`add_command`) is standard library only; the work
is imported inside the handler.
"""

from __future__ import annotations

import argparse
from typing import Any

from svcsim.cli.arguments import check_at_least_one, check_non_negative, check_out_folder

__all__ = ["OUT_FILES", "add_command", "backtest_command"]

#: What ``--out`` writes (the --help text says the same).
OUT_FILES = "backtest.json, distances.csv, replications.csv and weeks.csv"


def add_command(sub: Any) -> None:
    """Register ``svcsim backtest`` on the subparsers ``sub``."""
    command = sub.add_parser(
        "backtest", help="fit on a log's past, simulate the held-out rest, compare with what happened",
        description="Split an event log at a date (cases belong to the part they started in), fit a scenario on "
        "the part before it, simulate the held-out days from the split (the state at the split comes from the "
        "simulation's own warm-up, not from the log) and compare the cases that started in the held-out period: "
        "per rule and week, the real attainment against the simulated 95% interval; the cycle-time, circadian "
        "and case-arrival distances (earth mover's distances in hours) of the model and of two naive baselines "
        "(replay the last weeks of training; draw training cycle times for the real arrivals). "
        "Reference: docs/reference/backtest.md.")
    command.add_argument("log", help="event log (canonical CSV or Parquet, or an export with --mapping)")
    split = command.add_mutually_exclusive_group(required=True)
    split.add_argument("--train-until", dest="train_until", metavar="DATE",
                       help="fit on the cases that started before this date's midnight in the template's zone, "
                       "e.g. 2025-03-24; the held-out period runs from it to the last midnight of the log")
    split.add_argument("--train-share", dest="train_share", type=float, metavar="SHARE",
                       help="split chronologically by case instead: at the first midnight by which this share "
                       "of the cases had started, e.g. 0.7")
    command.add_argument("--replications", type=int, default=20, help="replications of the held-out period (default 20)")
    command.add_argument("--mapping", help="mapping file (TOML) for an export in another shape")
    command.add_argument("--template", default="baseline",
                         help="scenario the fit starts from, a built-in name or a TOML file (default baseline)")
    command.add_argument("--as-is", dest="as_is", action="store_true",
                         help="backtest --template as it is, not fitted: how far a hand-written scenario can be trusted")
    command.add_argument("--rules", help="rules file judging the real and simulated logs (default: the built-in "
                         "rules on the fitted scenario's calendar)")
    command.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    command.add_argument("--jobs", type=int, default=1, help="local worker processes for the replications (default 1)")
    command.add_argument("--warmup-days", "--warmup", dest="warmup_days", type=int, metavar="DAYS",
                         help="days simulated before the split and not judged (default: the scenario's run.warmup_days)")
    command.add_argument("--out", help=f"write {OUT_FILES} here")
    command.add_argument("--quiet", action="store_true", help="no progress bar")
    command.set_defaults(handler=backtest_command)


def backtest_command(args: argparse.Namespace) -> int:
    """``svcsim backtest``."""
    check_at_least_one(args, "replications", "jobs")
    check_non_negative(args, "seed", "warmup_days")
    out = check_out_folder(args.out)

    from svcsim.backtesting import backtest
    from svcsim.cli.output import write_tables
    from svcsim.cli.tables import format_backtest_distances, format_backtest_verdicts, local_stamp
    from svcsim.progress import progress_bar
    from svcsim.scenario import load_scenario

    template = load_scenario(args.template)  # a template that does not exist is refused before the log is read
    result = backtest(args.log, args.train_until, train_share=args.train_share, template=template,
                      mapping=args.mapping, rules=args.rules, replications=args.replications, seed=args.seed,
                      warmup_days=args.warmup_days, jobs=args.jobs, progress=None if args.quiet else progress_bar("replications"),
                      fit_first=not args.as_is)
    s = result.split
    observed = f", observed to {local_stamp(s.end, s.zone)}" if s.end != s.arrivals_end else ""
    how = "fitted on" if not args.as_is else f"{template.name} as it is (not fitted), trained on"
    print(f"Backtest of {args.log}: {how} the {s.train_cases:,} cases that started before "
          f"{local_stamp(s.until, s.zone)} (template {result.template}); {s.held_out_cases:,} "
          f"case{'s' if s.held_out_cases != 1 else ''} started in the {s.arrival_days} held-out "
          f"day{'s' if s.arrival_days != 1 else ''} to {local_stamp(s.arrivals_end, s.zone)}{observed}. "
          f"{result.replications} replications (seed {result.seed}), each after a {result.warmup_days}-day warm-up.\n")
    print(format_backtest_distances(result.distances, result.replications))
    print()
    print(format_backtest_verdicts(result.verdicts, int(result.weeks["week"].max())))
    print()
    print("\n".join(f"- {note}" for note in result.notes))
    if out is not None:
        written = write_tables(out, result.tables())
        print(f"\nwrote {', '.join(written)} to {out}")
    return 0

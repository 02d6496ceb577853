"""The ``svcsim run`` and ``svcsim scenario`` commands.

``svcsim run [SCENARIO or FILE] [--days N] [--seed S] [--replication R] [--out DIR]``
simulates a scenario (``baseline`` when none is given) with a progress bar,
judges the simulated log with the built-in rules as of the horizon (open
cases reported as the engine reports them) and prints each target's
attainment, each role's utilisation and the stock results (per part fill
rate, jobs that waited for parts, items past each vendor milestone);
``--out`` writes ``events.parquet``, ``cases.parquet``, ``results.parquet``,
``summary.csv`` and ``kpis.csv``. With ``--replications N`` (or
``--scheduler``) it runs replications instead (:mod:`svcsim.cli_replicate`).
``svcsim scenario list | show NAME | schema`` lists the built-in scenarios,
prints one (as JSON, every field with its value), or prints the JSON Schema
of a scenario file for editors.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import pandas as pd

from svcsim.errors import InputError

__all__ = ["add_run_parsers", "format_utilisation"]


def add_run_parsers(subparsers: Any) -> None:
    """Add the ``run`` and ``scenario`` subcommands to an argparse subparsers object."""
    run = subparsers.add_parser(
        "run", help="simulate a scenario and judge its targets",
        description="Simulate a scenario (a built-in name or a TOML file; default baseline), judge the "
        "simulated event log against the built-in rules as of the horizon, and print every target's "
        "attainment and each role's utilisation.")
    run.add_argument("scenario", nargs="?", default="baseline", help="built-in scenario name or TOML file (default: baseline)")
    run.add_argument("--days", type=int, help="simulate this many days instead of the scenario's horizon")
    run.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    run.add_argument("--replication", type=int, default=0, help="replication number (default 0)")
    run.add_argument("--out", help="write events.parquet, cases.parquet, results.parquet, summary.csv and kpis.csv here "
                     "(with --replications: the replication table and its summary)")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    from svcsim.cli_replicate import add_replication_options, dispatch_run

    add_replication_options(run)
    run.set_defaults(handler=dispatch_run(run_command))

    scenario = subparsers.add_parser("scenario", help="list, show or describe scenarios",
                                     description="Built-in scenarios and the scenario file format.")
    sub = scenario.add_subparsers(dest="scenario_command", metavar="ACTION")
    sub.add_parser("list", help="list the built-in scenarios").set_defaults(handler=scenario_list)
    show = sub.add_parser("show", help="print a scenario with every field (JSON)")
    show.add_argument("name", help="built-in scenario name or TOML file")
    show.set_defaults(handler=scenario_show)
    sub.add_parser("schema", help="print the JSON Schema of scenario files").set_defaults(handler=scenario_schema_command)
    scenario.set_defaults(handler=lambda args: _scenario_help(scenario))


def _scenario_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 0


def run_command(args: argparse.Namespace) -> int:
    """``svcsim run``."""
    from svcsim.cli import format_summary
    from svcsim.progress import progress_bar
    from svcsim.scenario import load_scenario
    from svcsim.simulation import simulate

    if args.days is not None and args.days < 1:
        raise InputError(f"--days {args.days}", field="--days", expected="a whole number of days >= 1")
    scenario = load_scenario(args.scenario)
    start = time.perf_counter()
    run = simulate(scenario, seed=args.seed, replication=args.replication, days=args.days,
                   progress=None if args.quiet else progress_bar("days"))
    result = run.check()
    seconds = time.perf_counter() - start
    calls = int((run.events["activity"] == "call_received").sum())
    print(f"{scenario.name}: {run.days} day{'' if run.days == 1 else 's'} from {run.start:%Y-%m-%d} ({scenario.timezone}), seed {run.seed}, "
          f"replication {run.replication}: {calls:,} calls, {len(run.events):,} events in "
          f"{run.log.n_cases:,} cases ({seconds:.1f}s)\n")
    print(format_summary(result.summary))
    print()
    print(format_utilisation(run.utilisation))
    stock_text = run_stock_results(run)
    print()
    print(stock_text)
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        run.events.to_parquet(out / "events.parquet", index=False)
        _plain(run.cases).to_parquet(out / "cases.parquet", index=False)
        result.results.to_parquet(out / "results.parquet", index=False)
        result.summary.to_csv(out / "summary.csv", index=False)
        run_kpis(run).to_csv(out / "kpis.csv", index=False)
        print(f"\nwrote {out / 'events.parquet'}, {out / 'cases.parquet'}, {out / 'results.parquet'}, {out / 'summary.csv'}, {out / 'kpis.csv'}")
    return 0


def _plain(cases: pd.DataFrame) -> pd.DataFrame:
    """The cases table with empty object columns made writable by Parquet."""
    out = cases.copy()
    for column in out.columns:
        if out[column].dtype == object and out[column].isna().all():
            out[column] = out[column].astype("string")
    return out


def format_utilisation(table: pd.DataFrame) -> str:
    """Each role's staff, busy hours, on-duty hours and utilisation, as a readable table."""
    shown = pd.DataFrame({
        "role": table["role"],
        "staff": table["staff"],
        "busy h": (table["busy_minutes"] / 60).round(1),
        "on duty h": (table["on_duty_minutes"] / 60).round(1),
        "utilisation": table["utilisation"].map(lambda v: "-" if pd.isna(v) else f"{100 * v:.1f}%"),
    })
    return "Utilisation (busy time over on-duty time)\n" + shown.to_string(index=False)


def scenario_list(args: argparse.Namespace) -> int:
    """``svcsim scenario list``."""
    from svcsim.scenario import builtin_names, load_scenario

    for name in builtin_names():
        print(f"{name:10s} {load_scenario(name).description}")
    return 0


def scenario_show(args: argparse.Namespace) -> int:
    """``svcsim scenario show NAME``."""
    from svcsim.scenario import load_scenario

    print(json.dumps(load_scenario(args.name).model_dump(mode="json"), indent=2))
    return 0


def scenario_schema_command(args: argparse.Namespace) -> int:
    """``svcsim scenario schema``."""
    from svcsim.scenario import scenario_schema

    print(json.dumps(scenario_schema(), indent=2))
    return 0


def run_stock_results(run: Any) -> str:
    """The stock results of a run (per part fill rate, jobs that waited, items past each vendor milestone), as text."""
    from svcsim.metrics import stock_results
    from svcsim.metrics.report import format_stock_results

    return format_stock_results(stock_results(run.log, as_of=run.end))


def run_kpis(run: Any) -> pd.DataFrame:
    """The supervisor's monthly KPIs of a run, in calendar months of the scenario's zone."""
    from svcsim.metrics import monthly_kpis

    return monthly_kpis(run.log, as_of=run.end, zone=getattr(run.scenario, "timezone", "Asia/Shanghai"))

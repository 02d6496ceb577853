"""``svcsim run`` and ``svcsim scenario``.

``svcsim run [SCENARIO or FILE] [--days N] [--warmup-days W] [--seed S] [--replication R] [--out DIR]``
simulates a scenario (``baseline`` when none is given) with a progress bar,
after its warm-up (``run.warmup_days`` of the scenario, or ``--warmup-days``;
simulated, never judged, stated in the header),
judges the simulated log with the built-in rules as of the horizon (open
cases reported as the engine reports them) and prints each target's
attainment (over the verdicts due by the horizon; a target that cannot fall
due inside it reads "not yet due"), each role's utilisation and the stock results (per part fill
rate, jobs that waited for parts, items past each vendor milestone);
``--out`` writes ``events.parquet``, ``cases.parquet``, ``results.parquet``,
``summary.csv`` and ``kpis.csv``. With ``--replications N`` (N > 1) or
``--scheduler`` it runs replications instead
(:func:`svcsim.cli.replications.run_replications`).
``svcsim scenario list | show NAME | schema`` lists the built-in scenarios,
prints one (as JSON, every field with its value), or prints the JSON Schema
of a scenario file for editors.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import TYPE_CHECKING, Any

from svcsim.cli import replications
from svcsim.cli.arguments import (
    check_at_least_one,
    check_non_negative,
    check_out_folder,
    days_named,
)
from svcsim.cli.reporting import builtin_targets, report_after, requirements

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["run_command", "scenario_list", "scenario_schema_command", "scenario_show"]


def run_command(args: argparse.Namespace) -> int:
    """``svcsim run``: one run, or replications with ``--replications`` > 1 or ``--scheduler``."""
    if getattr(args, "replications", 1) > 1 or getattr(args, "scheduler", None):
        return replications.run_replications(args)
    check_at_least_one(args, "days", "replications", "jobs")
    check_non_negative(args, "seed", "replication", "warmup_days")
    out = check_out_folder(args.out)
    requirements(args, builtin_targets)

    from svcsim.cli.output import write_tables
    from svcsim.cli.tables import format_stock_results, format_summary, format_utilisation
    from svcsim.metrics import monthly_kpis, stock_results
    from svcsim.progress import progress_bar
    from svcsim.scenario import load_scenario
    from svcsim.simulation import simulate

    scenario = load_scenario(args.scenario)
    start = time.perf_counter()
    with days_named(args.days):
        run = simulate(scenario, seed=args.seed, replication=args.replication, days=args.days,
                       warmup_days=args.warmup_days, progress=None if args.quiet else progress_bar("days"),
                       stock_trace=bool(args.report))  # the report draws stock over time
    result = run.check()
    seconds = time.perf_counter() - start
    calls = int((run.events["activity"] == "call_received").sum())
    print(f"{scenario.name}: {run.days} day{'' if run.days == 1 else 's'} from {run.start:%Y-%m-%d} ({scenario.timezone}), seed {run.seed}, "
          f"replication {run.replication}: {calls:,} calls, {len(run.events):,} events in "
          f"{run.log.n_cases:,} cases ({seconds:.1f}s)")
    print(f"{_warmup_line(run.warmup_days, scenario.run.warmup_days)}\n")
    print(format_summary(result.summary))
    print()
    window = f"over the {run.days} judged day{'' if run.days == 1 else 's'}" + (" after the warm-up" if run.warmup_days else "")
    print(format_utilisation(run.utilisation, window))
    print()
    print(format_stock_results(stock_results(run.log, as_of=run.end, result=result), window))
    written: list[str] = []
    if out is not None:
        base = getattr(run.scenario, "installed_base", None)
        kpis = monthly_kpis(run.log, as_of=run.end, zone=getattr(run.scenario, "timezone", "Asia/Shanghai"),
                            result=result, installed_base=None if base is None else base.by_batch())
        written = write_tables(out, {"results.parquet": result.results, "summary.csv": result.summary, "kpis.csv": kpis},
                               log=_parquet_ready(run.log))
        print(f"\nwrote {', '.join(str(out / name) for name in written)}")
    report_after(args, run, out, written, check=result)
    return 0


def _warmup_line(used: int, default: int) -> str:
    """The header line saying how the run started (the warm-up is simulated, never judged)."""
    said = "the scenario's default" if used == default else f"--warmup-days; the scenario's default is {default}"
    if used == 0:
        return f"warm-up: none, a cold start with full shelves and an idle center ({said})"
    return f"warm-up: {used} days simulated before the horizon and not judged ({said})"


def _parquet_ready(log: Any) -> Any:  # EventLog -> EventLog
    """``log`` with its cases' all-empty object columns typed as text, so Parquet stores them as strings."""
    from dataclasses import replace

    return replace(log, cases=_plain(log.cases))


def _plain(cases: pd.DataFrame) -> pd.DataFrame:
    out = cases.copy()
    for column in out.columns:
        if out[column].dtype == object and out[column].isna().all():
            out[column] = out[column].astype("string")
    return out


def scenario_help(parser: argparse.ArgumentParser) -> int:
    """``svcsim scenario`` without an action: its help."""
    parser.print_help()
    return 0


def scenario_list(args: argparse.Namespace) -> int:
    """``svcsim scenario list``."""
    from svcsim.scenarios import catalogue

    entries = catalogue()
    width = max(len(entry.name) for entry in entries)
    for entry in entries:
        if entry.kind == "file":
            print(f"{entry.name:{width}s}  {entry.description}")
        else:
            print(f"{entry.name:{width}s}  {entry.description} (factory: svcsim.scenarios.{entry.usage})")
    return 0


def scenario_init(args: argparse.Namespace) -> int:
    """``svcsim scenario init NAME FILE``: the built-in file, comments and all, under a header saying where it came from."""
    from pathlib import Path

    from svcsim.errors import InputError
    from svcsim.scenario.load import builtin_names, builtin_text

    if args.name not in builtin_names():
        raise InputError(f"no built-in scenario file named {args.name!r}", field="NAME",
                         expected="one of " + ", ".join(builtin_names())
                         + " (the factories mmc, mmc_abandon, single_part are called from Python)")
    target = Path(args.file)
    if target.suffix != ".toml":
        raise InputError(f"{target} does not end in .toml", field="FILE", expected="a file name ending in .toml")
    if target.exists() and not args.force:
        raise InputError(f"{target} exists", field="FILE", expected="a new file, or --force to overwrite it")
    if not target.parent.is_dir():
        raise InputError(f"no folder {target.parent}", field="FILE", expected="a file in an existing folder")
    header = (f"# A copy of svcsim's built-in scenario {args.name!r} (svcsim scenario init). Edit freely:\n"
              f"# `svcsim run {target.name}` runs it; fields left out take the defaults of\n"
              "# docs/reference/scenario.md. To keep only what you change, start a file with\n"
              f"# extends = \"{args.name}\" and write just those fields.\n#\n")
    text = builtin_text(args.name)
    import tomllib

    from svcsim.scenario.load import SECTIONS

    if any(section not in tomllib.loads(text) for section in SECTIONS):  # it relies on the defaults: say so
        header += 'extends = "defaults"   # what this file leaves out takes the library defaults\n\n'
    target.write_text(header + text, encoding="utf-8")
    print(f"wrote {target}: built-in scenario {args.name!r}; run it with: svcsim run {target}")
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

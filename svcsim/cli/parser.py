"""The argument parser of ``svcsim``: every command, its options and its handler.

Only argparse and the command modules, which import their work inside the
handlers: ``svcsim --help`` and ``svcsim CMD --help`` load no pandas, scipy,
numba or simulator (a test keeps it so).
"""

from __future__ import annotations

import argparse
from typing import Any

from svcsim.cli import backtest, batches, check, plan, replications, run
from svcsim.cli.fit import add_fit
from svcsim.cli.reporting import add_report_options

__all__ = ["build_parser"]


def build_parser(version: str) -> argparse.ArgumentParser:
    """The ``svcsim`` parser; each command sets ``handler`` (and ``command``) on the parsed namespace."""
    parser = argparse.ArgumentParser(
        prog="svcsim",
        description="Simulate an after-sales service center and check its service targets "
        "on simulated and live event logs.",
    )
    parser.add_argument("--version", action="version", version=f"svcsim {version}")
    parser.add_argument("--debug", action="store_true",
                        help="on an internal error, print the full traceback (default: save it to a file and say where)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_check(sub)
    _add_run(sub)
    _add_scenario(sub)
    _add_compare(sub)
    _add_sweep(sub)
    _add_batches(sub)
    _add_plan(sub)
    add_fit(sub)
    backtest.add_command(sub)
    return parser


def _add_check(sub: Any) -> None:
    command = sub.add_parser(
        "check",
        help="check an event log against the service targets",
        description="Judge an event log in the canonical shape (CSV or Parquet, or a directory of "
        "events and cases tables) against a rules file, at an explicit as-of moment.",
    )
    command.add_argument("log", nargs="?", help="event log (default: the bundled sample log)")
    command.add_argument("--mapping", help="mapping file (TOML) for an export in another shape; every row is then accounted for")
    command.add_argument("--rules", help="rules file (TOML; default: the built-in rules of every seed target)")
    command.add_argument("--as-of", dest="as_of", help="judge as of this moment, with its offset, e.g. 2026-03-31T18:00:00+08:00 (default: the last event)")
    command.add_argument("--out", help="write results.parquet, summary.csv, escalations.csv and kpis.csv here (with --mapping also validation.json and issues.csv)")
    command.add_argument("--top", type=int, default=10, help="escalations to print (default 10)")
    command.add_argument("--strict", action="store_true", help="a warning about the log or the mapping (an activity no rule knows, "
                         "an interval state the map never produces) is an error: exit status 2")
    limits = command.add_argument_group("limits on the log or the export read (docs/reference/errors.md)")
    limits.add_argument("--max-expanded-gib", dest="max_expanded_gib", type=float, default=4.0,
                        help="most a .zip member or .gz file may expand to, in GiB (default 4)")
    limits.add_argument("--max-line-mib", dest="max_line_mib", type=float, default=1.0, help="longest CSV line, in MiB (default 1)")
    limits.add_argument("--max-field-mib", dest="max_field_mib", type=float, default=1.0,
                        help="longest CSV cell, in Mi characters (default 1)")
    limits.add_argument("--max-columns", dest="max_columns", type=int, default=2000, help="most columns in the header (default 2000)")
    add_report_options(command)
    command.set_defaults(handler=check.check_command)


def _add_batches(sub: Any) -> None:
    command = sub.add_parser(
        "batches", help="flag production batches with too many fault reports (Poisson CUSUM)",
        description="Count the fault reports of each production batch in an event log and flag the batches "
        "whose reports run above their share (docs/explanation/batch-detection.md).")
    command.add_argument("log", help="event log with a batch case attribute (canonical, or an export with --mapping)")
    command.add_argument("--mapping", help="mapping file (TOML) naming the batch and model columns of an export")
    command.add_argument("--scenario", help="take the installed base (batch sizes) from this scenario's [installed_base] "
                         "(default: shares from the log's first --reference-days days)")
    command.add_argument("--as-of", dest="as_of", help="as of this moment, with its offset (default: the last event)")
    command.add_argument("--zone", default="Asia/Shanghai", help="time zone of the days counted (default Asia/Shanghai)")
    command.add_argument("--false-alarms-per-year", dest="false_alarms_per_year", type=float, default=0.1,
                         help="false flags per batch-year the thresholds are set for (default 0.1)")
    command.add_argument("--shift", type=float, default=2.0, help="fault-rate ratio the test is tuned to (default 2)")
    command.add_argument("--reference-days", dest="reference_days", type=int, default=56,
                         help="without --scenario: days at the start of the log whose reports give the shares (default 56)")
    command.set_defaults(handler=batches.batches_command)


def _add_run(sub: Any) -> None:
    command = sub.add_parser(
        "run", help="simulate a scenario and judge its targets",
        description="Simulate a scenario (a built-in name or a TOML file; default baseline), judge the "
        "simulated event log against the built-in rules as of the horizon, and print every target's "
        "attainment and each role's utilisation. The run starts warm: the scenario's warm-up "
        "(run.warmup_days, --warmup-days) is simulated first and not judged; a target that cannot "
        "fall due inside the horizon is reported as not yet due.")
    command.add_argument("scenario", nargs="?", default="baseline", help="built-in scenario name or TOML file (default: baseline)")
    command.add_argument("--days", type=int, help="simulate this many days instead of the scenario's horizon")
    command.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    command.add_argument("--replication", type=int, default=0, help="replication number (default 0)")
    command.add_argument("--out", help="write events.parquet, cases.parquet, results.parquet, summary.csv and kpis.csv here "
                         "(with --replications N > 1: replications.csv, one row per replication and metric, and summary.csv)")
    command.add_argument("--quiet", action="store_true", help="no progress bar")
    _replication_options(command, replications_default=1)  # --replications 1 keeps the single run
    add_report_options(command)
    command.set_defaults(handler=run.run_command)


def _add_scenario(sub: Any) -> None:
    command = sub.add_parser("scenario", help="list, show or describe scenarios",
                             description="Built-in scenarios and the scenario file format.")
    actions = command.add_subparsers(dest="scenario_command", metavar="ACTION")
    actions.add_parser("list", help="list the built-in scenarios").set_defaults(handler=run.scenario_list)
    init = actions.add_parser("init", help="write an editable, commented TOML copy of a built-in scenario",
                              description="Write the built-in scenario NAME as a TOML file that svcsim run "
                              "accepts as it is (same results with the same seed); edit it, or write only "
                              "what differs in a file that says extends = \"NAME\".")
    init.add_argument("name", help="built-in scenario name (svcsim scenario list)")
    init.add_argument("file", help="the TOML file to write")
    init.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    init.set_defaults(handler=run.scenario_init)
    show = actions.add_parser("show", help="print a scenario with every field, extends merged (JSON)")
    show.add_argument("name", help="built-in scenario name or TOML file")
    show.set_defaults(handler=run.scenario_show)
    actions.add_parser("schema", help="print the JSON Schema of scenario files").set_defaults(handler=run.scenario_schema_command)
    command.set_defaults(handler=lambda args: run.scenario_help(command))


def _add_compare(sub: Any) -> None:
    command = sub.add_parser(
        "compare", help="compare two plans with paired replications",
        description="Run replications of two scenarios on common random numbers (same seed and replication "
        "indices) and print each metric's difference B - A with its 95% confidence interval and the variance "
        "reduction against independent runs.")
    command.add_argument("a", help="plan A: built-in scenario name or TOML file")
    command.add_argument("b", help="plan B: built-in scenario name or TOML file")
    command.add_argument("--metric", dest="metrics", action="append", default=[], metavar="NAME",
                         help="a target's rule id (e.g. arrive-20min) or a metric kind (e.g. utilisation_pct) to "
                         "print first (repeatable); the others follow")
    _many_run_options(command, out_help="write comparison.csv (each metric's B - A with its interval) and "
                      "replications.csv (every replication of A and of B) here")
    command.set_defaults(handler=replications.compare_command)


def _add_sweep(sub: Any) -> None:
    command = sub.add_parser(
        "sweep", help="replications over a grid of scenario fields",
        description="Run replications at every combination of the given field values and print each target's "
        "attainment with its 95% confidence interval; --out writes the tables and attainment.png.")
    command.add_argument("scenario", help="built-in scenario name or TOML file")
    command.add_argument("--set", dest="sets", action="append", default=[], metavar="FIELD=V1,V2,...",
                         help="a dotted scenario field and its values, e.g. staffing.field_engineers.count=8,10,12 (repeatable)")
    command.add_argument("--metric", default="attainment_pct",
                         help="kind of metric to print and draw (default attainment_pct): attainment_pct, "
                         "abandoned_pct, utilisation_pct, clock_mean_h, clock_p90_h, answer_wait_mean_h, "
                         "answer_wait_p90_h, calls, due_count or stock.<column> such as stock.fill_rate; --out "
                         "writes results.csv, summary.csv, points.csv and KIND.png (attainment.png for attainment_pct)")
    command.add_argument("--plot", help="targets to draw in attainment.png, comma-separated rule ids (default: every target with an attainment)")
    _many_run_options(command, out_help="write results.csv (every replication at every point), summary.csv, points.csv "
                      "and the figure (attainment.png, or KIND.png with --metric KIND) here")
    command.set_defaults(handler=replications.sweep_command)


def _add_plan(sub: Any) -> None:
    command = sub.add_parser(
        "plan", help="the cheapest staffing and stock that meet the targets",
        description="Search staffing counts and base stocks within bounds for the cheapest plan whose every "
        "requirement (a rule's minimum attainment, a part's minimum fill rate) is met at the stated confidence, "
        "or with --budget the plan whose tightest requirement is furthest above its threshold. Starts from "
        "Erlang C/A and Palm where they apply, then simulates candidates on common random numbers. Exit status "
        "1 when no plan within the bounds meets the requirements.")
    command.add_argument("scenario", help="built-in scenario name or TOML file")
    command.add_argument("--require", action="append", default=[], metavar="RULE=PCT",
                         help="a rule's minimum attainment in %%, e.g. arrive-20min=90 (repeatable; default [plan] require)")
    command.add_argument("--require-fill", dest="require_fill", action="append", default=[], metavar="SKU=SHARE",
                         help="a part's minimum fill rate, e.g. MB-100=0.95 (repeatable; default [plan] require_fill)")
    command.add_argument("--lever", action="append", default=[], metavar="PATH=LOW:HIGH",
                         help="a count the plan may change and its bounds, e.g. staffing.field_engineers.count=8:14 "
                         "(repeatable; default every staffed role and kept part around its value)")
    command.add_argument("--fix", action="append", default=[], metavar="PATH", help="keep this lever at the scenario's value")
    command.add_argument("--budget", type=float, help="a yearly budget: the best plan within it instead of the cheapest")
    command.add_argument("--confidence", type=float, default=0.95, help="joint confidence of the requirements (default 0.95)")
    command.add_argument("--rules", help="rules file the rule ids refer to (default: the built-in rules)")
    command.add_argument("--batch", type=int, default=5, help="replications added at a time to a candidate (default 5)")
    command.add_argument("--replications-max", dest="replications_max", type=int, default=40,
                         help="most replications for one candidate (default 40)")
    command.add_argument("--start", choices=["warm", "scenario"], default="warm",
                         help="start from the analytic warm start (default) or the scenario's values")
    command.add_argument("--stagger-shifts", dest="stagger_shifts", action="store_true",
                         help="start the operators from the shift groups an integer program chooses for their hourly "
                         "Erlang needs (default [plan] shifts)")
    command.add_argument("--shift-option", dest="shift_options", action="append", default=[], metavar="HH:00-HH:00",
                         help="a shift the integer program may use, e.g. 06:00-14:00 (repeatable; default the "
                         "operators' shift moved by up to 3 hours each way, or [plan] shift_options)")
    command.add_argument("--jobs", type=int, default=1, help="local worker processes (default 1)")
    command.add_argument("--scheduler", help="address of a Dask scheduler to run on (needs svcsim[dask])")
    command.add_argument("--days", type=int, help="simulate this many days instead of the scenario's horizon")
    command.add_argument("--warmup-days", "--warmup", dest="warmup_days", type=int, metavar="DAYS",
                         help="days simulated before the horizon and not judged (default: the scenario's)")
    command.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    command.add_argument("--cache", help="folder of finished replications, so an interrupted plan resumes "
                         "(default: $SVCSIM_CACHE or ~/.cache/svcsim/replications)")
    command.add_argument("--no-cache", dest="no_cache", action="store_true", help="do not read or write the cache")
    command.add_argument("--out", help="write plan.toml, plan.json, marginal.csv and candidates.csv here")
    command.add_argument("--report", metavar="PATH", help="also write a one-page HTML report of the plan here (opens offline; "
                         "with --out, the tables it is drawn from are written there too)")
    command.add_argument("--quiet", action="store_true", help="no progress line")
    command.set_defaults(handler=plan.plan_command)


def _replication_options(parser: argparse.ArgumentParser, *, replications_default: int) -> None:
    parser.add_argument("--replications", type=int, default=replications_default,
                        help=f"replications (default {replications_default})")
    parser.add_argument("--jobs", type=int, default=1, help="local worker processes (default 1)")
    parser.add_argument("--scheduler", help="address of a Dask scheduler to run on (needs svcsim[dask])")
    parser.add_argument("--warmup-days", "--warmup", dest="warmup_days", type=int, metavar="DAYS",
                        help="simulate DAYS days before the horizon and judge none of them "
                        "(default: the scenario's run.warmup_days; baseline 150; 0 = start cold)")
    parser.add_argument("--cache", help="folder of finished replications (default: $SVCSIM_CACHE or ~/.cache/svcsim/replications)")
    parser.add_argument("--no-cache", dest="no_cache", action="store_true", help="do not read or write the cache")


def _many_run_options(parser: argparse.ArgumentParser, *, out_help: str) -> None:
    """The options of compare and sweep; ``out_help`` names the files ``--out`` writes."""
    _replication_options(parser, replications_default=30)
    parser.add_argument("--days", type=int, help="simulate this many days instead of the scenario's horizon")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--out", help=out_help)
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_report_options(parser)

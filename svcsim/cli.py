"""The ``svcsim`` command line.

``svcsim run [SCENARIO]`` simulates a scenario (``baseline`` by default) and
judges the simulated log (see :mod:`svcsim.cli_run`); ``svcsim scenario``
lists, shows and describes scenarios. ``svcsim check [LOG] [--rules R] [--as-of T] [--out DIR]`` judges an event
log (by default the bundled sample log) against the rules (by default the
built-in rules of every seed target) and prints the per-rule summary, the
head of the escalation list and the supervisor's monthly KPIs (those the log
has the columns for; the others are named with the reason). A user's mistake is one line on stderr and exit
status 2; no traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import pandas as pd

from svcsim import __version__
from svcsim.errors import InputError

__all__ = ["main", "SAMPLE_LOG"]

SAMPLE_LOG = "sample_log.csv"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 0
    try:
        return args.handler(args)
    except InputError as exc:
        print(f"svcsim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("svcsim: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="svcsim",
        description="Simulate an after-sales service center and check its service targets "
        "on simulated and live event logs.",
    )
    parser.add_argument("--version", action="version", version=f"svcsim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = sub.add_parser(
        "check",
        help="check an event log against the service targets",
        description="Judge an event log in the canonical shape (CSV or Parquet, or a directory of "
        "events and cases tables) against a rules file, at an explicit as-of moment.",
    )
    check.add_argument("log", nargs="?", help="event log (default: the bundled sample log)")
    check.add_argument("--mapping", help="mapping file (TOML) for an export in another shape; every row is then accounted for")
    check.add_argument("--rules", help="rules file (TOML; default: the built-in rules of every seed target)")
    check.add_argument("--as-of", dest="as_of", help="judge as of this moment, with its offset, e.g. 2026-03-31T18:00:00+08:00 (default: the last event)")
    check.add_argument("--out", help="write results.parquet, summary.csv, escalations.csv and kpis.csv here (with --mapping also validation.json and issues.csv)")
    check.add_argument("--top", type=int, default=10, help="escalations to print (default 10)")
    check.set_defaults(handler=_check)
    from svcsim.cli_run import add_run_parsers

    add_run_parsers(sub)
    from svcsim.cli_replicate import add_compare_parser, add_sweep_parser

    add_compare_parser(sub)
    add_sweep_parser(sub)
    return parser


def _check(args: argparse.Namespace) -> int:
    from svcsim.eventlog.io import read_log
    from svcsim.rules import check, load_rules

    report = None
    if args.log is None:
        if args.mapping:
            raise InputError("--mapping needs a LOG to read", field="--mapping", expected="svcsim check LOG --mapping M")
        with resources.as_file(resources.files("svcsim.data").joinpath(SAMPLE_LOG)) as path:
            log = read_log(path)
        print(f"(no log given: checking the bundled sample log {SAMPLE_LOG})")
    elif args.mapping:
        from svcsim.live import load_events, load_mapping

        mapping = load_mapping(args.mapping)
        log, report = load_events(args.log, mapping, as_of=args.as_of)
        print(report.summary(), end="\n\n")
    else:
        log = read_log(args.log)
    rules = load_rules(args.rules)
    result = check(log, rules, as_of=args.as_of)
    zone = _display_zone(rules)
    print(f"{len(log.events):,} events in {log.n_cases:,} cases, judged as of {result.as_of.tz_convert(zone):%Y-%m-%d %H:%M %Z}\n")
    print(format_summary(result.summary))
    print()
    print(format_escalations(result.escalations, zone, args.top))
    from svcsim.metrics.report import kpi_section

    kpis, kpi_text = kpi_section(log, rules, result.as_of, zone)
    print()
    print(kpi_text)
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        result.results.to_parquet(out / "results.parquet", index=False)
        result.summary.to_csv(out / "summary.csv", index=False)
        result.escalations.to_csv(out / "escalations.csv", index=False)
        kpis.to_csv(out / "kpis.csv", index=False)
        written = ["results.parquet", "summary.csv", "escalations.csv", "kpis.csv"]
        if report is not None:
            (out / "validation.json").write_text(json.dumps(report.to_json(), indent=2) + "\n")
            report.issues.to_csv(out / "issues.csv", index=False)
            written += ["validation.json", "issues.csv"]
        print(f"\nwrote {', '.join(written)} to {out}")
    return 0


def _display_zone(rules) -> str:  # noqa: ANN001
    cal = rules.calendars.get(rules.default_calendar) if rules.default_calendar else None
    return cal.timezone if cal is not None else "UTC"


def format_summary(summary: pd.DataFrame) -> str:
    """The per-rule summary as a readable table."""
    table = pd.DataFrame(
        {
            "rule": summary["rule_id"],
            "cases": summary["cases"],
            "met/held": summary["met"] + summary["held"],
            "missed": summary["breached"] + summary["failed"],
            "open missed": summary["breached_open"],
            "open": summary["running"] + summary["at_risk"] + summary["pending"],
            "at risk": summary["at_risk"],
            "n/a": summary["not_applicable"],
            "invalid": summary["invalid"],
            "attainment": summary["attainment_pct"].map(lambda v: "-" if pd.isna(v) else f"{v:.1f}%"),
        }
    )
    return "Targets\n" + table.to_string(index=False)


def format_escalations(esc: pd.DataFrame, zone: str, top: int) -> str:
    """The head of the escalation list as a readable table."""
    if esc.empty:
        return "Escalations: none open past due."
    head = esc.head(top)
    table = pd.DataFrame(
        {
            "case": head["case_id"].astype(str),
            "rule": head["rule_id"].astype(str),
            "level": head["level"],
            "due": head["due"].dt.tz_convert(zone).dt.strftime("%Y-%m-%d %H:%M"),
            "overdue": head["overdue"].map(_human),
        }
    )
    return f"Escalations ({len(esc):,} open past due, worst first; top {len(head)})\n" + table.to_string(index=False)


def _human(delta: pd.Timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    return f"{days}d {hours:02d}h{minutes:02d}" if days else f"{hours}h{minutes:02d}"


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

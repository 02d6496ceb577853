"""``svcsim check [LOG] [--mapping M] [--rules R] [--as-of T] [--out DIR] [--top N] [--strict]``.

Judges an event log (by default the bundled sample log) against the rules
(by default the built-in rules of every seed target) and prints the per-rule
summary, the head of the escalation list and the supervisor's monthly KPIs
(those the log has the columns for; the others are named with the reason).
Rows the rules cannot judge (dated outside their calendars' years) are
quarantined and counted, not a reason to stop; warnings (activities no rule
knows) are printed, and with ``--strict`` they are exit status 2.
Imports its work inside the handler, so ``svcsim --help`` stays light.
"""

from __future__ import annotations

import argparse
from importlib import resources

from svcsim.cli.arguments import check_at_least_one, check_out_folder
from svcsim.cli.reporting import report_after, requirements
from svcsim.errors import InputError

__all__ = ["SAMPLE_LOG", "check_command"]

#: The bundled sample log (in :mod:`svcsim.data`) judged when no log is given.
SAMPLE_LOG = "sample_log.csv"


def check_command(args: argparse.Namespace) -> int:
    """``svcsim check``."""
    if args.log is None and args.mapping:
        raise InputError("--mapping needs a LOG to read", field="--mapping", expected="svcsim check LOG --mapping M")
    check_at_least_one(args, "top")
    limits = _limits(args)
    out = check_out_folder(args.out)
    requirements(args)  # the rule ids are checked against the rules file once it is read
    from svcsim.eventlog.time import to_as_of_ns

    to_as_of_ns(args.as_of)  # a malformed --as-of is refused before the log is read

    from svcsim.cli.output import write_tables
    from svcsim.cli.tables import (
        format_escalations,
        format_monthly_kpis,
        format_summary,
        local_stamp,
    )
    from svcsim.eventlog.io import read_log
    from svcsim.live import load_events, load_mapping, screen_log
    from svcsim.metrics import monthly_kpis
    from svcsim.rules import check, load_rules

    rules = load_rules(args.rules)  # first: its calendars say which rows can be judged
    requirements(args, lambda: list(rules.titles()))
    if args.log is None:
        with resources.as_file(resources.files("svcsim.data").joinpath(SAMPLE_LOG)) as path:
            log, report = screen_log(read_log(path), rules, source=SAMPLE_LOG)
        print(f"(no log given: checking the bundled sample log {SAMPLE_LOG})")
    elif args.mapping:
        mapping = load_mapping(args.mapping)
        log, report = load_events(args.log, mapping, as_of=args.as_of, rules=rules, limits=limits)
    else:
        log, report = screen_log(read_log(args.log, limits=limits), rules, source=str(args.log))
    if args.mapping or len(report.issues) or report.warnings:
        print(report.summary(), end="\n\n")
    if args.strict and report.warnings:
        n = len(report.warnings)
        raise InputError(f"{n} warning{'s' if n > 1 else ''} about the log (above)", field="--strict",
                         expected="no warnings: map the activities named or list them in the rules, or leave out --strict")
    result = check(log, rules, as_of=args.as_of)
    zone = _display_zone(rules)
    print(f"{len(log.events):,} events in {log.n_cases:,} cases, judged as of {local_stamp(result.as_of, zone)}\n")
    print(format_summary(result.summary))
    print()
    print(format_escalations(result.escalations, zone, args.top))
    print()
    try:
        kpis = monthly_kpis(log, as_of=result.as_of, rules=rules, zone=zone, result=result)
    except InputError as exc:  # the targets above stand; say why the KPIs could not follow
        import pandas as pd

        kpis = pd.DataFrame()
        print(f"Monthly KPIs: not computed: {exc}")
    else:
        print(format_monthly_kpis(kpis))
    if out is not None:
        tables = {"results.parquet": result.results, "summary.csv": result.summary,
                  "escalations.csv": result.escalations, "kpis.csv": kpis}
        if args.mapping or len(report.issues) or report.warnings:
            tables |= {"validation.json": report.to_json(), "issues.csv": report.issues}
        written = write_tables(out, tables)
        print(f"\nwrote {', '.join(written)} to {out}")
    report_after(args, result, out, written if out is not None else [], validation=report, kpis=kpis,
                 source=SAMPLE_LOG if args.log is None else str(args.log))
    return 0


def _display_zone(rules) -> str:  # noqa: ANN001 (RuleSet)
    cal = rules.calendars.get(rules.default_calendar) if rules.default_calendar else None
    return cal.timezone if cal is not None else "UTC"


def _limits(args: argparse.Namespace):  # noqa: ANN202 (svcsim.eventlog is imported late, for a fast --help)
    """The ``--max-*`` options as :class:`svcsim.eventlog.limits.Limits` (for a canonical log and an export alike), each refused unless > 0."""
    from svcsim.eventlog.limits import GIB, MIB, Limits

    for name in ("max_expanded_gib", "max_line_mib", "max_field_mib", "max_columns"):
        value = getattr(args, name)
        if not value > 0:  # also NaN
            option = "--" + name.replace("_", "-")
            raise InputError(f"{option} {value}", field=option, expected="a number > 0")
    return Limits(max_expanded_bytes=int(args.max_expanded_gib * GIB), max_line_bytes=int(args.max_line_mib * MIB),
                  max_field_chars=int(args.max_field_mib * MIB), max_columns=args.max_columns)

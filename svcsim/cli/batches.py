"""``svcsim batches LOG [--mapping M] [--scenario S] [--as-of T] [--false-alarms-per-year F] [--shift X] [--reference-days D]``.

Runs the batch-fault detector (:func:`svcsim.metrics.batches.batch_flags`)
on an event log (canonical, or an export read through a mapping that names
``batch`` and ``model`` case attributes) and prints each batch's test and
the flags with their evidence. ``--scenario`` takes the installed base from
a scenario's ``[installed_base]``; without it the shares come from the
log's first weeks. A log the detector cannot test is a one-line error
(exit status 2) saying why. Imports its work inside the handler.
"""

from __future__ import annotations

import argparse

from svcsim.errors import InputError

__all__ = ["batches_command"]


def batches_command(args: argparse.Namespace) -> int:
    """``svcsim batches``."""
    from svcsim.eventlog.time import to_as_of_ns

    to_as_of_ns(args.as_of)  # a malformed --as-of is refused before the log is read
    if not args.false_alarms_per_year > 0:
        raise InputError(f"{args.false_alarms_per_year}", field="--false-alarms-per-year", expected="a rate > 0")
    if args.reference_days < 1:
        raise InputError(f"{args.reference_days}", field="--reference-days", expected="a whole number of days >= 1")
    if not args.shift > 1:
        raise InputError(f"{args.shift}", field="--shift", expected="a fault-rate ratio > 1, e.g. 2")
    import pandas as pd

    from svcsim.eventlog.io import read_log
    from svcsim.live import load_events, load_mapping
    from svcsim.metrics.batches import batch_flags
    from svcsim.scenario import load_scenario

    units = None
    if args.scenario is not None:
        base = load_scenario(args.scenario).installed_base
        if base is None:
            raise InputError("the scenario has no [installed_base]", file=args.scenario, field="installed_base",
                             expected="batches with units or shares (docs/reference/scenario.md)")
        units = base.by_batch()
    if args.mapping:
        log, report = load_events(args.log, load_mapping(args.mapping), as_of=args.as_of)
        print(report.summary(), end="\n\n")
    else:
        log = read_log(args.log)
    check = batch_flags(log, installed_base=units, as_of=args.as_of, zone=args.zone, shift=args.shift,
                        false_alarms_per_year=args.false_alarms_per_year, reference_days=args.reference_days)
    if not check.ran:
        raise InputError(f"batch-fault detection cannot run: {check.reason}", file=args.log)
    print(f"Batches (Poisson CUSUM tuned to x{args.shift:g}, designed for {args.false_alarms_per_year:g} false flags "
          f"per batch-year; {check.days} days from {check.first_day})")
    table = check.batches[["model", "batch", "share", "reports", "expected_per_day", "false_alarms_per_year", "tested"]]
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.to_string(index=False, float_format=lambda v: f"{v:.3g}"))
        for note in check.notes:
            print(f"  note: {note}")
        print()
        if check.flags.empty:
            print("No batch flagged.")
        else:
            print(f"Flags ({len(check.flags)}):")
            print(check.flags.to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    return 0

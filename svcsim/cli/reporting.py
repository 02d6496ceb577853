"""``--report PATH`` and ``--require RULE=PCT`` on run, compare, sweep and check.

:func:`add_report_options` adds both options to a command;
:func:`requirements` checks ``--require`` before any work; :func:`report_after`
is called once the command's own tables exist: it turns the result into the
report's tables (:func:`svcsim.report.report_data`), writes those ``--out``
does not already have into the ``--out`` folder, and only then writes the
page, so a page that cannot be written (a directory, a folder that is not
writable) costs no table: one line, exit status 2, the tables kept.
"""

from __future__ import annotations

import argparse
import math
import shlex
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from svcsim.errors import InputError

__all__ = ["add_report_options", "builtin_targets", "report_after", "requirements"]


def add_report_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--report PATH`` and ``--require RULE=PCT`` (repeatable) to ``parser``."""
    parser.add_argument("--report", metavar="PATH", help="also write a one-page HTML report here (opens offline; "
                        "with --out, the tables it is drawn from are written there too)")
    parser.add_argument("--require", action="append", default=[], metavar="RULE=PCT",
                        help="the attainment (%%) a target must reach, shown green or red on the report, "
                        "e.g. arrive-20min=90 (repeatable)")


def requirements(args: argparse.Namespace,
                 known: Collection[str] | Callable[[], Collection[str]] | None = None) -> dict[str, float]:
    """``--require`` as rule id -> percentage; a malformed one, or a rule id not in ``known``, is an InputError.

    ``known`` may be a function giving the rule ids: it is called only when ``--require`` was given.
    """
    out: dict[str, float] = {}
    given = getattr(args, "require", None) or []
    if given and callable(known):
        known = known()
    for text in given:
        rule, sep, pct = text.partition("=")
        rule = rule.strip()
        try:
            value = float(pct)
        except ValueError:
            value = math.nan
        if not sep or not rule or not (0 <= value <= 100):
            raise InputError(f"--require {text!r}", field="--require", expected="RULE=PCT with PCT from 0 to 100, e.g. arrive-20min=90")
        if known is not None and rule not in known:
            raise InputError(f"--require {rule}: no such target", field="--require",
                             expected=f"rule ids among {', '.join(sorted(known))}")
        out[rule] = value
    return out


def builtin_targets() -> list[str]:
    """The rule ids of the built-in rules (those run, compare and sweep judge)."""
    from svcsim.rules import load_rules

    return list(load_rules().titles())


def report_after(args: argparse.Namespace, result: Any, out: Path | None, written: Collection[str], **context: Any) -> None:
    """With ``--report``: the report's tables into ``out`` (those not in ``written``), then the page."""
    if not getattr(args, "report", None):
        return
    from svcsim.cli.output import write_tables
    from svcsim.report import report_data, write_report

    data = report_data(result, require=requirements(args), command=_command(args), **context)
    if out is not None:
        extra = {name: table for name, table in data.tables.items() if name not in written}
        if extra:
            names = write_tables(out, extra)
            print(f"wrote {', '.join(names)} (the report's tables) to {out}")
    path = write_report(data, args.report)
    print(f"wrote the report {path}")


def _command(args: argparse.Namespace) -> str:
    argv = getattr(args, "argv", None)
    return "svcsim " + shlex.join(argv) if argv is not None else f"svcsim {args.command}"

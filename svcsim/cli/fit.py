"""``svcsim fit LOG [--mapping M] [--template SCENARIO] [--until DATE] --out DIR``: a scenario from a log.

Writes ``fitted.toml`` (runs with ``svcsim run`` as it is) and ``fit.json``
(the report: every parameter, its estimate and interval, what it rests on,
its source) into DIR, and prints the report, one line per parameter.
"""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["add_fit", "fit_command"]


def add_fit(sub: Any) -> None:
    """Register ``svcsim fit`` on the subparsers ``sub``."""
    command = sub.add_parser(
        "fit", help="fit a scenario from an event log (calibration)",
        description="Fit a scenario from an event log onto a template: arrivals per weekday and hour, the mix "
        "and routing shares, the times between narrated events (right-censored for cases still open), head "
        "counts per role; everything else is the template's and listed as such (docs/reference/fit-log.md).")
    command.add_argument("log", help="event log (canonical CSV / Parquet / directory, or an export with --mapping)")
    command.add_argument("--mapping", help="mapping file (TOML) for an export in another shape")
    command.add_argument("--template", default="baseline",
                         help="scenario whose values stand where the log tells nothing (built-in name or TOML; default baseline)")
    command.add_argument("--until", help="fit on the events before this moment, with its offset, "
                         "e.g. 2025-03-24T00:00:00+08:00 (default: the whole log)")
    command.add_argument("--bootstrap", type=int, default=200, help="bootstrap resamples per duration's interval (default 200)")
    command.add_argument("--seed", type=int, default=0, help="seed of the bootstrap (default 0)")
    command.add_argument("--out", required=True, help="write fitted.toml (the scenario) and fit.json (the report) here")
    command.set_defaults(handler=fit_command)


def fit_command(args: argparse.Namespace) -> int:
    """``svcsim fit``."""
    from svcsim.cli.arguments import check_out_folder
    from svcsim.errors import InputError

    out = check_out_folder(args.out)
    if args.bootstrap < 0:
        raise InputError(f"--bootstrap {args.bootstrap}", field="--bootstrap", expected="a number of resamples >= 0")
    from svcsim.fitting import fit
    from svcsim.scenario import load_scenario

    template = load_scenario(args.template)
    fitted = fit(args.log, template, mapping=args.mapping, until=args.until, bootstrap=args.bootstrap, seed=args.seed)
    assert out is not None
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "fitted.toml", fitted.toml())
    _write(out / "fit.json", fitted.report.to_json())
    print(fitted.report.table())
    print(f"wrote {out / 'fitted.toml'} and {out / 'fit.json'}")
    return 0


def _write(path: Any, text: str) -> None:
    """Atomic: a temporary file in the folder, then renamed over ``path``."""
    import os
    import tempfile

    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".fit-", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(temp, path)

"""The replication commands: ``svcsim run --replications N``, ``svcsim compare``, ``svcsim sweep``.

``svcsim run [SCENARIO] --replications N [--jobs J] [--scheduler ADDRESS] [--warmup-days DAYS] [--out DIR]``
prints every metric's mean with its 95% confidence interval;
``svcsim compare A B [--replications N]`` the paired difference B - A per
metric on common random numbers, with the variance reduction they bought;
``svcsim sweep SCENARIO --set FIELD=V1,V2,... [--set ...]`` each grid point's
attainment with its interval, and with ``--out`` the tables and a figure.
Finished replications are cached (``--cache DIR``, by default the user's
cache folder; ``--no-cache`` to skip), so an interrupted command resumes
where it stopped. Progress bars go to stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from svcsim.cli.arguments import (
    check_at_least_one,
    check_non_negative,
    check_out_folder,
    days_named,
    parse_grid,
)
from svcsim.cli.reporting import builtin_targets, report_after, requirements
from svcsim.errors import InputError

__all__ = ["compare_command", "default_cache_folder", "run_replications", "sweep_command"]


def default_cache_folder() -> Path:
    """``$SVCSIM_CACHE``, else ``$XDG_CACHE_HOME/svcsim/replications`` (``~/.cache`` by default)."""
    if os.environ.get("SVCSIM_CACHE"):
        return Path(os.environ["SVCSIM_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "svcsim" / "replications"


def _check_common(args: argparse.Namespace) -> Path | None:
    """The checks every replication command makes before any work; the ``--out`` folder."""
    check_at_least_one(args, "replications", "jobs", "days")
    check_non_negative(args, "seed", "warmup_days")
    if not args.no_cache:
        check_out_folder(args.cache, "--cache")
    requirements(args, builtin_targets)
    return check_out_folder(args.out)


@contextlib.contextmanager
def _executor(args: argparse.Namespace) -> Iterator[Any]:
    if not getattr(args, "scheduler", None):
        yield None
        return
    try:
        from distributed import Client
    except ImportError:
        raise InputError("--scheduler needs dask.distributed", field="--scheduler",
                         expected="pip install 'svcsim[dask]'") from None
    try:
        client = Client(args.scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as error:
        raise InputError(f"cannot reach the Dask scheduler at {args.scheduler!r} ({error})", field="--scheduler",
                         expected="the address of a running scheduler, e.g. tcp://10.0.0.5:8786") from None
    try:
        yield client.get_executor()
    finally:
        client.close()


def _cache(args: argparse.Namespace) -> Path | None:
    if args.no_cache:
        return None
    return Path(args.cache) if args.cache else default_cache_folder()


def _bar(args: argparse.Namespace, label: str) -> Callable[[int, int], None] | None:
    from svcsim.progress import progress_bar

    return None if args.quiet else progress_bar(label)


def _tally(result: Any, cache: Path | None) -> str:
    text = f"{result.computed} simulated, {result.loaded} from the cache"
    if result.retried:
        text += f", {result.retried} resubmitted after a worker died"
    return text + (f" ({cache})" if cache is not None else " (no cache)")


def run_replications(args: argparse.Namespace) -> int:
    """``svcsim run --replications N``."""
    out = _check_common(args)
    check_non_negative(args, "replication")
    from svcsim.cli.output import write_tables
    from svcsim.cli.tables import format_confidence_table
    from svcsim.replications import replicate
    from svcsim.scenario import load_scenario

    scenario = load_scenario(args.scenario)
    cache = _cache(args)
    with _executor(args) as executor, days_named(args.days):
        result = replicate(scenario, replications=args.replications, seed=args.seed, jobs=args.jobs,
                           executor=executor, warmup=args.warmup_days, days=args.days, cache=cache,
                           progress=_bar(args, "replications"))
    summary = result.summary()
    warm = (f", after a warm-up of {result.warmup_days:g} days (simulated, not judged)" if result.warmup_days
            else ", cold start (no warm-up)")
    print(f"{result.scenario}: {result.replications} replications of {result.days} days, seed {result.seed}{warm}; "
          f"{_tally(result, cache)}\n")
    print(format_confidence_table(summary))
    written: list[str] = []
    if out is not None:
        written = write_tables(out, {"replications.csv": result.results, "summary.csv": summary})
        print(f"\nwrote {', '.join(str(out / name) for name in written)}")
    report_after(args, result, out, written, summary=summary)
    return 0


def compare_command(args: argparse.Namespace) -> int:
    """``svcsim compare A B``."""
    out = _check_common(args)
    import pandas as pd

    from svcsim.cli.output import write_tables
    from svcsim.cli.tables import format_comparison
    from svcsim.replications import compare

    cache = _cache(args)
    _known_metrics(args.metrics)
    with _executor(args) as executor, days_named(args.days):
        result = compare(args.a, args.b, replications=args.replications, seed=args.seed, jobs=args.jobs,
                         executor=executor, warmup=args.warmup_days, days=args.days, cache=cache,
                         progress=_bar(args, "replications"))
    table = result.summary()
    print(f"A = {result.a.scenario}, B = {result.b.scenario}: {result.a.replications} paired replications "
          f"(common random numbers), seed {result.a.seed}; {result.a.computed} simulated, {result.a.loaded} from the cache")
    print(f"warm-up (simulated, not judged): A {result.a.warmup_days:g} days, B {result.b.warmup_days:g} days\n")
    print(format_comparison(table, first=args.metrics))
    written: list[str] = []
    if out is not None:
        written = write_tables(out, {"comparison.csv": table,
                                     "replications.csv": pd.concat([result.a.results, result.b.results])})
        print(f"\nwrote {', '.join(str(out / name) for name in written)}")
    report_after(args, result, out, written, summary=table)
    return 0


def _known_metrics(names: list[str]) -> None:
    """Refuse, before any work, a --metric that is neither a metric kind nor a built-in rule id."""
    from svcsim.replications.summary import METRIC_RANGES
    from svcsim.rules import load_rules

    ids = set(load_rules(None).ids())
    for name in names:
        if name not in ids and name not in METRIC_RANGES and not name.startswith("stock."):
            raise InputError(f"--metric {name!r} is neither a target's rule id nor a metric kind",
                             field="--metric", expected=f"a rule id such as arrive-20min, or one of {', '.join(METRIC_RANGES)}")


def sweep_command(args: argparse.Namespace) -> int:
    """``svcsim sweep SCENARIO --set FIELD=V1,V2``."""
    grid = parse_grid(args.sets)
    out = _check_common(args)
    from svcsim.cli.tables import KIND_LABELS, format_sweep

    if args.metric not in KIND_LABELS and not args.metric.startswith("stock."):  # every run has these kinds
        raise InputError(f"--metric {args.metric!r}", field="--metric",
                         expected=f"one of {', '.join(KIND_LABELS)} or stock.<column>")
    rules = _plot_rules(args.plot)

    from svcsim.cli.output import write_tables
    from svcsim.replications import sweep

    cache = _cache(args)
    with _executor(args) as executor, days_named(args.days):
        result = sweep(args.scenario, grid, replications=args.replications, seed=args.seed, jobs=args.jobs,
                       executor=executor, warmup=args.warmup_days, days=args.days, cache=cache,
                       progress=_bar(args, "replications"))
    summary = result.summary()
    if not (summary["kind"] == args.metric).any():
        kinds = ", ".join(dict.fromkeys(summary["kind"]))
        raise InputError(f"no metric of kind {args.metric!r}", field="--metric", expected=f"one of {kinds}")
    warm = ", ".join(f"{w:g}" for w in sorted(set(result.results["warmup_days"])))
    print(f"{len(result.points)} points x {result.replications} replications, seed {result.seed}, "
          f"warm-up {warm} days (simulated, not judged); {_tally(result, cache)}\n")
    print(format_sweep(summary, result.fields, args.metric))
    written: list[str] = []
    if out is not None:
        figure = "attainment.png" if args.metric == "attainment_pct" else f"{args.metric}.png"
        written = write_tables(out, {"results.csv": result.results, "summary.csv": summary, "points.csv": result.points,
                                     figure: result.plot(rules=rules if args.metric == "attainment_pct" else None,
                                                         kind=args.metric)})
        print(f"\nwrote {', '.join(written)} to {out}")
    report_after(args, result, out, written, summary=summary)
    return 0


def _plot_rules(text: str | None) -> list[str] | None:
    """The rule ids of ``--plot`` (None: every target), each one a built-in target."""
    if not text:
        return None
    rules = [r.strip() for r in text.split(",") if r.strip()]
    from svcsim.rules import load_rules

    known = set(load_rules().ids())
    unknown = sorted(set(rules) - known)
    if unknown:
        raise InputError(f"--plot {', '.join(unknown)}: no such target", field="--plot",
                         expected=f"rule ids among {', '.join(sorted(known))}")
    return rules

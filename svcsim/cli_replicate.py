"""The command line for replications: ``svcsim run --replications N``, ``svcsim compare``, ``svcsim sweep``.

``svcsim run [SCENARIO] --replications N [--jobs J] [--scheduler ADDRESS] [--warmup DAYS] [--out DIR]``
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

import pandas as pd

from svcsim.errors import InputError
from svcsim.progress import progress_bar

__all__ = ["add_compare_parser", "add_replication_options", "add_sweep_parser", "default_cache_folder",
           "dispatch_run", "format_confidence_table", "parse_set"]

_KIND_LABELS = {
    "attainment_pct": "attainment %",
    "clock_mean_h": "clock mean h",
    "clock_p90_h": "clock p90 h",
    "utilisation_pct": "utilisation %",
    "answer_wait_mean_h": "answer wait mean h",
    "answer_wait_p90_h": "answer wait p90 h",
    "abandoned_pct": "abandoned %",
    "calls": "calls",
}


def default_cache_folder() -> Path:
    """``$SVCSIM_CACHE``, else ``$XDG_CACHE_HOME/svcsim/replications`` (``~/.cache`` by default)."""
    if os.environ.get("SVCSIM_CACHE"):
        return Path(os.environ["SVCSIM_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "svcsim" / "replications"


def _common_options(parser: argparse.ArgumentParser, *, replications_default: int) -> None:
    parser.add_argument("--replications", type=int, default=replications_default,
                        help=f"replications (default {replications_default})")
    parser.add_argument("--jobs", type=int, default=1, help="local worker processes (default 1)")
    parser.add_argument("--scheduler", help="address of a Dask scheduler to run on (needs svcsim[dask])")
    parser.add_argument("--warmup", type=float, help="leave out cases that start in the first DAYS days")
    parser.add_argument("--cache", help="folder of finished replications (default: $SVCSIM_CACHE or ~/.cache/svcsim/replications)")
    parser.add_argument("--no-cache", dest="no_cache", action="store_true", help="do not read or write the cache")


def add_replication_options(run: argparse.ArgumentParser) -> None:
    """The replication options of ``svcsim run`` (``--replications`` 1 keeps the single run)."""
    _common_options(run, replications_default=1)


def dispatch_run(single: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """The ``run`` handler: ``single`` for one run, the replications table for ``--replications`` > 1 or ``--scheduler``."""
    def handler(args: argparse.Namespace) -> int:
        if getattr(args, "replications", 1) > 1 or getattr(args, "scheduler", None):
            return run_replications(args)
        return single(args)

    return handler


def add_compare_parser(subparsers: Any) -> None:
    """``svcsim compare A B``."""
    compare = subparsers.add_parser(
        "compare", help="compare two plans with paired replications",
        description="Run replications of two scenarios on common random numbers (same seed and replication "
        "indices) and print each metric's difference B - A with its 95% confidence interval and the variance "
        "reduction against independent runs.")
    compare.add_argument("a", help="plan A: built-in scenario name or TOML file")
    compare.add_argument("b", help="plan B: built-in scenario name or TOML file")
    _shared(compare)
    compare.set_defaults(handler=compare_command)


def add_sweep_parser(subparsers: Any) -> None:
    """``svcsim sweep SCENARIO --set FIELD=V1,V2``."""
    sweep = subparsers.add_parser(
        "sweep", help="replications over a grid of scenario fields",
        description="Run replications at every combination of the given field values and print each target's "
        "attainment with its 95% confidence interval; --out writes the tables and attainment.png.")
    sweep.add_argument("scenario", help="built-in scenario name or TOML file")
    sweep.add_argument("--set", dest="sets", action="append", default=[], metavar="FIELD=V1,V2,...",
                       help="a dotted scenario field and its values, e.g. staffing.field_engineers.count=8,10,12 (repeatable)")
    sweep.add_argument("--metric", default="attainment_pct", help="kind of metric to print (default attainment_pct)")
    sweep.add_argument("--plot", help="targets to draw in attainment.png, comma-separated rule ids (default: every target with an attainment)")
    _shared(sweep)
    sweep.set_defaults(handler=sweep_command)


def _shared(parser: argparse.ArgumentParser) -> None:
    _common_options(parser, replications_default=30)
    parser.add_argument("--days", type=int, help="simulate this many days instead of the scenario's horizon")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--out", help="write the tidy results, the summary (CSV) and figures here")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def parse_set(text: str) -> tuple[str, list[Any]]:
    """``"a.b=1,2,3"`` -> ``("a.b", [1, 2, 3])``: whole numbers, then numbers, true/false, else text."""
    field, sep, values = text.partition("=")
    if not sep or not field.strip() or not values.strip():
        raise InputError(f"--set {text!r}", field="--set", expected="FIELD=V1,V2,... e.g. staffing.field_engineers.count=8,10,12")
    return field.strip(), [_value(v.strip()) for v in values.split(",")]


def _value(text: str) -> Any:
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


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
    return None if args.quiet else progress_bar(label)


def _tally(result: Any, cache: Path | None) -> str:
    text = f"{result.computed} simulated, {result.loaded} from the cache"
    if result.retried:
        text += f", {result.retried} resubmitted after a worker died"
    return text + (f" ({cache})" if cache is not None else " (no cache)")


def format_confidence_table(summary: pd.DataFrame, confidence: float = 0.95) -> str:
    """A replications summary (mean, CI, half-width, n per metric) as a readable table."""
    level = f"{round(100 * confidence)}% CI"
    table = pd.DataFrame({
        "metric": [f"{_KIND_LABELS.get(k, k)} {s}".strip() for k, s in zip(summary["kind"], summary["subject"], strict=True)],
        "mean": summary["mean"].map(_number),
        level: [f"[{_number(lo)}, {_number(hi)}]" for lo, hi in zip(summary["ci_low"], summary["ci_high"], strict=True)],
        "+-": summary["half_width"].map(_number),
        "n": summary["n"],
    })
    return table.to_string(index=False)


def _number(value: float) -> str:
    if pd.isna(value):
        return "-"
    magnitude = abs(value)
    return f"{value:.0f}" if magnitude >= 1000 else f"{value:.2f}" if magnitude >= 1 or magnitude == 0 else f"{value:.4f}"


def run_replications(args: argparse.Namespace) -> int:
    """``svcsim run --replications N``."""
    from svcsim.replications import replicate
    from svcsim.scenario import load_scenario

    scenario = load_scenario(args.scenario)
    cache = _cache(args)
    with _executor(args) as executor:
        result = replicate(scenario, replications=args.replications, seed=args.seed, jobs=args.jobs,
                           executor=executor, warmup=args.warmup, days=args.days, cache=cache,
                           progress=_bar(args, "replications"))
    summary = result.summary()
    warm = f", warm-up {result.warmup_days:g} days" if result.warmup_days else ""
    print(f"{result.scenario}: {result.replications} replications of {result.days} days, seed {result.seed}{warm}; "
          f"{_tally(result, cache)}\n")
    print(format_confidence_table(summary))
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        result.results.to_csv(out / "replications.csv", index=False)
        summary.to_csv(out / "summary.csv", index=False)
        print(f"\nwrote {out / 'replications.csv'}, {out / 'summary.csv'}")
    return 0


def compare_command(args: argparse.Namespace) -> int:
    """``svcsim compare A B``."""
    from svcsim.replications import compare

    cache = _cache(args)
    with _executor(args) as executor:
        result = compare(args.a, args.b, replications=args.replications, seed=args.seed, jobs=args.jobs,
                         executor=executor, warmup=args.warmup, days=args.days, cache=cache,
                         progress=_bar(args, "replications"))
    table = result.summary()
    print(f"A = {result.a.scenario}, B = {result.b.scenario}: {result.a.replications} paired replications "
          f"(common random numbers), seed {result.a.seed}; {result.a.computed} simulated, {result.a.loaded} from the cache\n")
    shown = pd.DataFrame({
        "metric": [f"{_KIND_LABELS.get(k, k)} {s}".strip() for k, s in zip(table["kind"], table["subject"], strict=True)],
        "A": table["mean_a"].map(_number),
        "B": table["mean_b"].map(_number),
        "B - A": table["difference"].map(_number),
        "95% CI": [f"[{_number(lo)}, {_number(hi)}]" for lo, hi in zip(table["ci_low"], table["ci_high"], strict=True)],
        "+- unpaired": table["independent_half_width"].map(_number),
        "var. reduction": table["variance_reduction_pct"].map(lambda v: "-" if pd.isna(v) else f"{v:.0f}%".replace("-0%", "0%")),
    })
    print(shown.to_string(index=False))
    print("\n+- unpaired: the half-width independent runs would give; var. reduction: 1 - var(B-A) / (var A + var B)")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        table.to_csv(out / "comparison.csv", index=False)
        pd.concat([result.a.results, result.b.results]).to_csv(out / "replications.csv", index=False)
        print(f"\nwrote {out / 'comparison.csv'}, {out / 'replications.csv'}")
    return 0


def sweep_command(args: argparse.Namespace) -> int:
    """``svcsim sweep SCENARIO --set FIELD=V1,V2``."""
    from svcsim.replications import sweep

    if not args.sets:
        raise InputError("no --set given", field="--set", expected="at least one FIELD=V1,V2,...")
    grid: dict[str, list[Any]] = {}
    for text in args.sets:
        field, values = parse_set(text)
        grid[field] = values
    cache = _cache(args)
    with _executor(args) as executor:
        result = sweep(args.scenario, grid, replications=args.replications, seed=args.seed, jobs=args.jobs,
                       executor=executor, warmup=args.warmup, days=args.days, cache=cache,
                       progress=_bar(args, "replications"))
    summary = result.summary()
    part = summary[summary["kind"] == args.metric]
    if part.empty:
        kinds = ", ".join(dict.fromkeys(summary["kind"]))
        raise InputError(f"no metric of kind {args.metric!r}", field="--metric", expected=f"one of {kinds}")
    cells = part.assign(cell=[f"{_number(m)} +- {_number(h)}" for m, h in zip(part["mean"], part["half_width"], strict=True)])
    table = cells.pivot(index=list(result.fields), columns="subject", values="cell")
    table = table[[s for s in dict.fromkeys(part["subject"]) if s in table.columns]]
    print(f"{len(result.points)} points x {result.replications} replications, seed {result.seed}; {_tally(result, cache)}\n")
    print(f"{_KIND_LABELS.get(args.metric, args.metric)}, mean +- 95% CI half-width")
    print(table.reset_index().to_string(index=False))
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        result.results.to_csv(out / "results.csv", index=False)
        summary.to_csv(out / "summary.csv", index=False)
        result.points.to_csv(out / "points.csv", index=False)
        written = ["results.csv", "summary.csv", "points.csv"]
        rules = [r.strip() for r in args.plot.split(",") if r.strip()] if args.plot else None
        known = set(summary.loc[summary["kind"] == "attainment_pct", "subject"])
        unknown = sorted(set(rules or []) - known)
        if unknown:
            raise InputError(f"--plot {', '.join(unknown)}: no such target", field="--plot",
                             expected=f"rule ids among {', '.join(sorted(known))}")
        figure = result.plot(rules=rules)
        figure.savefig(out / "attainment.png", dpi=110)
        written.append("attainment.png")
        print(f"\nwrote {', '.join(written)} to {out}")
    return 0

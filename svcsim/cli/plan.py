"""``svcsim plan``: the cheapest staffing and stock that meet the targets, or the best within a budget.

``svcsim plan SCENARIO [--require RULE=PCT ...] [--require-fill SKU=SHARE ...]
[--lever PATH=LOW:HIGH ...] [--fix PATH ...] [--budget X] [--confidence 0.95]
[--replications-max N] [--jobs N] [--cache DIR | --no-cache] [--out DIR] [--report PATH]`` prints the plan against the
starting scenario side by side; ``--out`` writes ``plan.toml`` (runs with
``svcsim run`` as it is), ``plan.json``, ``marginal.csv`` and
``candidates.csv``; ``--report`` the plan's HTML page (with ``--out``, its
``plan_levers.csv`` and ``plan_requirements.csv`` too). Exit status 0 with a plan, 1 when no plan within the
bounds meets the requirements (the message names the unreachable one and
what the bounds reach), 2 for a mistake in the arguments. Replications are
cached as they finish (``--cache``, the same default folder as sweeps), so
the same command run again after an interruption resumes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from svcsim.cli.arguments import check_out_folder
from svcsim.errors import InputError

__all__ = ["parse_bounds", "parse_shares", "plan_command"]


def parse_shares(items: list[str], option: str, *, fill: bool) -> dict[str, float]:
    """``NAME=NUMBER`` items as a dict (a fill rate is a share from 0 to 1; an attainment a % to 100)."""
    out: dict[str, float] = {}
    for item in items:
        name, sep, text = item.partition("=")
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not sep or not name.strip() or value != value:
            raise InputError(f"{option} {item!r}", field=option,
                             expected="SKU=SHARE, e.g. MB-100=0.95" if fill else "RULE=PCT, e.g. arrive-20min=90")
        out[name.strip()] = value
    return out


def parse_bounds(items: list[str]) -> dict[str, tuple[int, int] | None]:
    """``PATH=LOW:HIGH`` (or ``PATH`` alone, for default bounds) items as a dict of levers."""
    out: dict[str, tuple[int, int] | None] = {}
    for item in items:
        path, sep, text = item.partition("=")
        if not sep:
            out[path.strip()] = None
            continue
        low, colon, high = text.partition(":")
        if not colon or not low.strip().isdigit() or not high.strip().isdigit():
            raise InputError(f"--lever {item!r}", field="--lever",
                             expected="PATH=LOW:HIGH with whole numbers, e.g. staffing.field_engineers.count=8:14")
        out[path.strip()] = (int(low), int(high))
    return out


def _progress(quiet: bool) -> Callable[[int], None] | None:
    if quiet or not sys.stderr.isatty():
        return None

    def show(simulated: int) -> None:
        sys.stderr.write(f"\rplan: {simulated} replications simulated")
        sys.stderr.flush()

    return show


def plan_command(args: argparse.Namespace) -> int:
    """``svcsim plan SCENARIO ...``."""
    out = check_out_folder(args.out)
    requirements = parse_shares(args.require, "--require", fill=False)
    fill = parse_shares(args.require_fill, "--require-fill", fill=True)
    levers = parse_bounds(args.lever) if args.lever else None
    from svcsim.cli.replications import _cache, _executor
    from svcsim.planning import plan

    if not args.no_cache:
        check_out_folder(args.cache, "--cache")
    cache = _cache(args)

    given = requirements or fill
    with _executor(args) as executor:
        result = plan(args.scenario, levers=levers, fixed=args.fix, requirements=requirements if given else None,
                      fill=fill if given else None, confidence=args.confidence, budget=args.budget, seed=args.seed,
                      batch=args.batch, max_replications=args.replications_max, days=args.days,
                      warmup=args.warmup_days, rules=args.rules, start=args.start, jobs=args.jobs,
                      executor=executor, progress=_progress(args.quiet), cache=cache,
                      shifts="stagger" if args.stagger_shifts else None,
                      shift_options=args.shift_options or None)
    if not args.quiet and sys.stderr.isatty():
        sys.stderr.write("\n")
    mode = "cheapest plan" if result.budget is None else f"best plan within {result.budget:,.0f} a year"
    print(f"{result.start_scenario.name}: {mode}, confidence {result.confidence:g}, seed {result.seed}; "
          f"{result.replications} replications of {result.days} days (+{result.warmup_days} warm-up) "
          f"simulated, {result.extra.get('replications_from_cache', 0)} from the cache, "
          f"over {len(result.candidates)} candidates\n")
    if "shifts" in result.extra:
        groups = ", ".join(f"{g['name']} {g['count']} on {'+'.join(g['shift']['hours'])}"
                           for g in result.extra["shifts"]["groups"])
        print(f"operators started as the integer program's shift groups: {groups}\n")
    print(result.side_by_side())
    print(f"\n{result.message}")
    if out is not None:
        written = result.write(out)
        print(f"\nwrote {', '.join(p.name for p in written)} to {out}")
    if getattr(args, "report", None):
        from svcsim.cli.reporting import report_after

        report_after(args, result, out, [p.name for p in written] if out is not None else [])
    if not result.found:
        print(f"svcsim: {result.message}", file=sys.stderr)
        return 1
    return 0

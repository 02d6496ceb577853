"""How long does ``svcsim fit`` take, against ``svcsim check`` of the same log in the same run?

Usage::

    python benchmarks/fit_bench.py [--tickets 1000000] [--repeat 3] [--bootstrap 200] [--seed 0]

In one process: generate the synthetic log of ``benchmarks/rules_bench.py``
(``benchmarks/synthetic.py``), then time (median of ``--repeat`` runs, each
after a garbage collection; the first call of each is run once untimed, so
imports and compiled kernels are not counted) ``svcsim.check(log, as_of=...)``
with the default rules and ``svcsim.fit(log, "baseline", bootstrap=...)``.
The ratio is fit over check; the goal (issue 19) is at most 3 at 1,000,000
tickets. The last line printed is one JSON object; the exit status is 0 when
the goal is met, 1 when not.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthetic import synthetic_log  # noqa: E402

import svcsim  # noqa: E402

GOAL_RATIO = 3.0


def timed(function, repeat: int) -> float:  # noqa: ANN001
    """Median wall time of ``repeat`` calls of ``function`` after one untimed call."""
    function()
    times = []
    for _ in range(repeat):
        gc.collect()
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bootstrap", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-correct-bias", dest="correct_bias", action="store_false",
                        help="skip the bias correction's simulation and refit (a fixed cost, not growing with the log)")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    log = synthetic_log(args.tickets, seed=args.seed)
    generated = time.perf_counter() - began
    as_of = log.events["timestamp"].max()
    check_s = timed(lambda: svcsim.check(log, as_of=as_of), args.repeat)
    fit_s = timed(lambda: svcsim.fit(log, "baseline", bootstrap=args.bootstrap, seed=args.seed,
                                       correct_bias=args.correct_bias), args.repeat)
    ratio = fit_s / check_s
    out = {"tickets": args.tickets, "events": len(log.events), "generate_s": round(generated, 2),
           "check_s": round(check_s, 3), "fit_s": round(fit_s, 3), "ratio": round(ratio, 2),
           "bootstrap": args.bootstrap, "correct_bias": args.correct_bias, "repeat": args.repeat, "goal_ratio": GOAL_RATIO,
           "when": pd.Timestamp.now("UTC").isoformat(timespec="seconds")}
    print(f"{args.tickets:,} tickets, {len(log.events):,} events: check {check_s:.2f} s, fit {fit_s:.2f} s "
          f"(bootstrap {args.bootstrap}): {ratio:.2f}x (goal <= {GOAL_RATIO:g}x)")
    print(json.dumps(out))
    return 0 if ratio <= GOAL_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Are svcsim's 95% confidence intervals honest? Coverage of the Erlang C mean wait on M/M/c.

Usage::

    python experiments/ci_coverage.py [--trials 200] [--replications 10] [--days 6] [--warmup 1]
                                      [--arrival-rate 2] [--service-rate 1] [--servers 3] [--jobs 2]
                                      [--out experiments/results/ci_coverage]

A trial is what a user does once: ``svcsim.replicate(mmc(...), replications=R,
seed=S, warmup=W)`` and read the 95% interval of ``answer_wait_mean_h``
(call received -> answered, hours). Trials use different seeds, so they are
independent. An honest interval covers Erlang C's mean wait in about 95% of
trials; the coverage is reported with its own 95% (Clopper-Pearson) interval.
Writes ``trials.csv`` (one row per trial) and ``coverage.md`` (the table).
"""

from __future__ import annotations

import argparse
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path

import pandas as pd
from scipy import stats

from svcsim.analytic import erlang_c
from svcsim.replications import replicate
from svcsim.scenarios import mmc

METRIC = "answer_wait_mean_h"


def coverage_trials(trials: int, replications: int, days: int, warmup: float, arrival_rate: float,
                    service_rate: float, servers: int, *, first_seed: int = 1000,
                    executor: Executor | None = None) -> pd.DataFrame:
    """One row per trial: its seed, mean, interval, and whether it covers the Erlang C mean wait."""
    scenario = mmc(arrival_rate, service_rate, servers, days=days)
    theory = erlang_c(arrival_rate, service_rate, servers).mean_wait
    rows = []
    for trial in range(trials):
        result = replicate(scenario, replications=replications, seed=first_seed + trial, warmup=warmup,
                           executor=executor)
        line = result.summary().set_index("metric").loc[METRIC]
        rows.append({"trial": trial, "seed": first_seed + trial, "replications": replications, "days": days,
                     "warmup_days": warmup, "mean": line["mean"], "ci_low": line["ci_low"],
                     "ci_high": line["ci_high"], "theory": theory,
                     "covered": bool(line["ci_low"] <= theory <= line["ci_high"])})
    return pd.DataFrame(rows)


def coverage_summary(table: pd.DataFrame, confidence: float = 0.95) -> dict:
    """Coverage, its Clopper-Pearson interval, and the mean half-width and bias of the trials."""
    covered, n = int(table["covered"].sum()), len(table)
    interval = stats.binomtest(covered, n).proportion_ci(confidence, method="exact")
    return {"trials": n, "covered": covered, "coverage": covered / n, "coverage_low": interval.low,
            "coverage_high": interval.high, "theory_h": float(table["theory"].iloc[0]),
            "mean_of_means_h": float(table["mean"].mean()),
            "mean_half_width_h": float(((table["ci_high"] - table["ci_low"]) / 2).mean())}


def markdown(summary: dict, args: argparse.Namespace) -> str:
    """The coverage as a markdown table with its settings."""
    return (
        f"M/M/c with lambda={args.arrival_rate}/h, mu={args.service_rate}/h, c={args.servers}; "
        f"{args.replications} replications of {args.days} days per trial, warm-up {args.warmup} days; "
        f"metric `{METRIC}` (Erlang C mean wait {summary['theory_h']:.4f} h).\n\n"
        "| trials | covered | coverage | 95% CI of the coverage | mean of the trial means (h) | mean half-width (h) |\n"
        "|---:|---:|---:|---|---:|---:|\n"
        f"| {summary['trials']} | {summary['covered']} | {100 * summary['coverage']:.1f}% | "
        f"[{100 * summary['coverage_low']:.1f}%, {100 * summary['coverage_high']:.1f}%] | "
        f"{summary['mean_of_means_h']:.4f} | {summary['mean_half_width_h']:.4f} |\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--days", type=int, default=6)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--arrival-rate", dest="arrival_rate", type=float, default=2.0)
    parser.add_argument("--service-rate", dest="service_rate", type=float, default=1.0)
    parser.add_argument("--servers", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", default="experiments/results/ci_coverage")
    args = parser.parse_args()
    pool = ProcessPoolExecutor(args.jobs) if args.jobs > 1 else None
    try:
        table = coverage_trials(args.trials, args.replications, args.days, args.warmup, args.arrival_rate,
                                args.service_rate, args.servers, executor=pool)
    finally:
        if pool is not None:
            pool.shutdown()
    summary = coverage_summary(table)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "trials.csv", index=False)
    text = markdown(summary, args)
    (out / "coverage.md").write_text(text)
    print(text)
    print(f"wrote {out / 'trials.csv'}, {out / 'coverage.md'}")


if __name__ == "__main__":
    main()

"""Simulation against Erlang C and Erlang A, across loads: do the formulas lie in the CIs?

For each point (model, servers ``c``, load ``rho = lambda / (c mu)``) the
``mmc`` or ``mmc_abandon`` scenario is simulated in independent replications
(one seed per point, replications ``0..R-1``). From each replication's event
log, over the calls received after a warm-up and before the end of a
measurement window, come P(wait > 0), the mean wait, the service level at
``t`` and, for Erlang A, the share who hang up. The replication means give a
95 % Student-t interval; the table says whether the formula's value lies in
it. Handle time 3 minutes (``mu = 20``/h), target ``t = 20`` s (the call-center
"80/20" convention), Erlang A patience 6 minutes on average (``theta = mu/2``).

Warm-up: the queue starts empty, which biases the first hours' waits down.
The first day is dropped, or five relaxation times ``1 / (mu (sqrt c -
sqrt a)^2)`` if longer (only for ``c = 1`` near saturation): the initial
deviation has then decayed by ``e^-5``. After the window the run goes on
one more day, so every call of the window is answered or has hung up
(``censored`` in the CSV counts those that were not; it is 0 in our runs).

    python experiments/erlang_validation.py            # the full study (10-15 min)
    python experiments/erlang_validation.py --quick    # a small run (seconds)

Writes ``tables/erlang_validation.{csv,md}`` and ``figures/erlang_c.png``,
``figures/erlang_a.png``, ``figures/erlang_deviations.png`` under
``docs/explanation`` (or ``--out``). Quoted in docs/explanation/validation.md.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _queue_stats import call_times, queue_metrics, t_interval  # noqa: E402

from svcsim.analytic import erlang_a, erlang_c  # noqa: E402
from svcsim.scenarios import mmc, mmc_abandon  # noqa: E402
from svcsim.simulation import simulate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "explanation"

HANDLE_RATE = 20.0  # mu per hour: a 3-minute handle time
TARGET_HOURS = 20.0 / 3600.0  # t = 20 seconds
PATIENCE_RATIO = 0.5  # theta / mu: mean patience 6 minutes
SEED = 20260

METRICS = {
    "erlang_c": ("p_wait", "mean_wait", "sl_served"),
    "erlang_a": ("p_wait", "mean_wait", "p_abandon", "sl_served", "sl_any"),
}
LABELS = {
    "p_wait": "P(wait > 0)",
    "mean_wait": "mean wait (min)",
    "p_abandon": "P(abandon)",
    "sl_served": "P(answered within 20 s)",
    "sl_any": "P(answered or hung up within 20 s)",
}


@dataclass(frozen=True)
class Point:
    """One validation point: the model, the servers, the load and the rates (per hour)."""

    model: str  # "erlang_c" or "erlang_a"
    servers: int
    load: float  # rho = lambda / (c mu)
    service_rate: float = HANDLE_RATE
    patience_ratio: float = PATIENCE_RATIO

    @property
    def arrival_rate(self) -> float:
        return self.load * self.servers * self.service_rate

    @property
    def abandon_rate(self) -> float | None:
        return self.patience_ratio * self.service_rate if self.model == "erlang_a" else None

    def scenario(self, days: int):  # noqa: ANN201 - a Scenario
        if self.model == "erlang_c":
            return mmc(self.arrival_rate, self.service_rate, self.servers, days=days)
        return mmc_abandon(self.arrival_rate, self.service_rate, self.servers, self.abandon_rate, days=days)

    def warmup_days(self) -> int:
        """One day, or five relaxation times of the M/M/c queue if longer (Erlang C only)."""
        if self.model == "erlang_a":
            return 1
        a = self.arrival_rate / self.service_rate
        relaxation_hours = 1.0 / (self.service_rate * (math.sqrt(self.servers) - math.sqrt(a)) ** 2)
        return max(1, math.ceil(5.0 * relaxation_hours / 24.0))


def formula(point: Point, t: float = TARGET_HOURS) -> dict[str, float]:
    """The formula's value of each metric (``mean_wait`` in hours, like the rates)."""
    if point.model == "erlang_c":
        res = erlang_c(point.arrival_rate, point.service_rate, point.servers)
        return {"p_wait": float(res.p_wait), "mean_wait": float(res.mean_wait),
                "sl_served": float(res.service_level(t))}
    res = erlang_a(point.arrival_rate, point.service_rate, point.servers, point.abandon_rate)
    return {"p_wait": float(res.p_wait), "mean_wait": float(res.mean_wait), "p_abandon": float(res.p_abandon),
            "sl_served": float(res.service_level(t, definition="served within t")),
            "sl_any": float(res.service_level(t, definition="answered or abandoned within t"))}


def replicate(point: Point, replications: int, calls: int, seed: int,
              t: float = TARGET_HOURS) -> pd.DataFrame:
    """One row per replication: the queue's figures over ``calls`` expected calls after the warm-up."""
    warmup = point.warmup_days()
    measure = max(1, math.ceil(calls / (24.0 * point.arrival_rate)))
    days = warmup + measure + 1
    window = (24.0 * warmup, 24.0 * (warmup + measure))
    rows = []
    for rep in range(replications):
        run = simulate(point.scenario(days), seed=seed, replication=rep)
        rows.append({"replication": rep, **queue_metrics(call_times(run.events, run.start), t, window)})
    frame = pd.DataFrame(rows)
    frame.attrs.update(warmup_days=warmup, measure_days=measure, seed=seed)
    return frame


def validate_point(point: Point, replications: int = 10, calls: int = 20_000, seed: int = SEED,
                   t: float = TARGET_HOURS) -> pd.DataFrame:
    """Tidy rows, one per metric: the formula, the simulated mean and its 95 % t-interval, inside or not."""
    reps = replicate(point, replications, calls, seed, t)
    theory = formula(point, t)
    rows = []
    for metric in METRICS[point.model]:
        mean, half = t_interval(reps[metric])
        expected = theory[metric]
        rows.append({
            "model": point.model, "servers": point.servers, "load": point.load,
            "arrival_rate": point.arrival_rate, "service_rate": point.service_rate,
            "abandon_rate": point.abandon_rate, "t_hours": t, "metric": metric,
            "formula": expected, "simulated": mean, "half_width": half,
            "lower": mean - half, "upper": mean + half, "inside": bool(abs(mean - expected) <= half),
            "z": (mean - expected) / (half / _t95(replications)) if half > 0 else float("nan"),
            "replications": replications, "calls_per_replication": float(reps["calls"].mean()),
            "censored": int(reps["censored"].sum()), "warmup_days": reps.attrs["warmup_days"],
            "measure_days": reps.attrs["measure_days"], "seed": seed,
        })
    return pd.DataFrame(rows)


def _t95(n: int) -> float:
    from scipy import stats

    return float(stats.t.ppf(0.975, n - 1))


def plan(quick: bool) -> tuple[list[Point], int, object]:
    """The points, the replications and the expected calls per replication of each point."""
    if quick:
        points = [Point("erlang_c", c, 0.8) for c in (1, 5)] + [Point("erlang_a", 5, rho) for rho in (0.8, 1.2)]
        return points, 5, lambda p: 2_000
    points = [Point("erlang_c", c, rho) for c in (1, 5, 20) for rho in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)]
    points += [Point("erlang_a", c, rho) for c in (1, 5, 20) for rho in (0.5, 0.7, 0.9, 1.0, 1.2, 1.5)]

    def calls(p: Point) -> int:
        # near saturation the waits are strongly autocorrelated and a replication's
        # mean varies much more: spend more calls there (abandonment tames Erlang A)
        if p.model == "erlang_a":
            return 40_000
        return 40_000 * {0.8: 2, 0.9: 3, 0.95: 8}.get(p.load, 1)

    return points, 10, calls


def run_study(points: list[Point], replications: int, calls, seed: int = SEED,  # noqa: ANN001
              echo=print) -> pd.DataFrame:  # noqa: ANN001
    frames = []
    for i, point in enumerate(points):
        started = time.perf_counter()
        frame = validate_point(point, replications, calls(point), seed + i)
        frames.append(frame)
        inside = int(frame["inside"].sum())
        echo(f"  {point.model} c={point.servers:<2} rho={point.load:<4} {inside}/{len(frame)} inside"
             f"  ({frame['calls_per_replication'].iloc[0]:,.0f} calls x {replications}, "
             f"{time.perf_counter() - started:.1f} s)")
    return pd.concat(frames, ignore_index=True)


def _fmt(metric: str, value: float) -> str:
    return f"{60 * value:.3f}" if metric == "mean_wait" else f"{value:.4f}"


def markdown(table: pd.DataFrame) -> str:
    """The table as markdown: one row per point and metric (mean waits in minutes)."""
    lines = ["| model | c | rho | metric | formula | simulated (95 % CI) | rel. error | inside |",
             "|---|---:|---:|---|---:|---:|---:|:---:|"]
    for row in table.itertuples():
        rel = (row.simulated - row.formula) / row.formula if row.formula > 0 else float("nan")
        ci = f"{_fmt(row.metric, row.simulated)} ± {_fmt(row.metric, row.half_width)}"
        lines.append(f"| {row.model.replace('_', ' ').title()} | {row.servers} | {row.load:g} | {LABELS[row.metric]} "
                     f"| {_fmt(row.metric, row.formula)} | {ci} | {rel:+.1%} | {'yes' if row.inside else '**no**'} |")
    return "\n".join(lines) + "\n"


def figures(table: pd.DataFrame, out: Path) -> list[Path]:
    """Formula curves and simulated points with their 95 % intervals, per model; the deviations."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths = []
    colours = {1: "tab:blue", 5: "tab:orange", 20: "tab:green"}
    for model, title in (("erlang_c", "M/M/c against Erlang C"), ("erlang_a", "M/M/c+M against Erlang A")):
        part = table[table["model"] == model]
        if part.empty:
            continue
        metrics = METRICS[model]
        fig, axes = plt.subplots(1, len(metrics), figsize=(4.0 * len(metrics), 3.6), squeeze=False)
        for ax, metric in zip(axes[0], metrics, strict=True):
            for c, group in part[part["metric"] == metric].groupby("servers"):
                colour = colours.get(int(c))
                lo, hi = group["load"].min(), group["load"].max()
                grid = np.linspace(lo, hi, 80) if model == "erlang_a" else np.linspace(lo, min(hi, 0.97), 80)
                curve = [formula(Point(model, int(c), float(r)))[metric] for r in grid]
                scale = 60.0 if metric == "mean_wait" else 1.0
                ax.plot(grid, np.asarray(curve) * scale, color=colour, lw=1, label=f"c = {c} formula")
                ax.errorbar(group["load"], group["simulated"] * scale, yerr=group["half_width"] * scale,
                            fmt="o", ms=3.5, color=colour, capsize=2, label=f"c = {c} simulated")
            if metric == "mean_wait":
                ax.set_yscale("log")
            ax.set_xlabel("load rho = lambda / (c mu)")
            ax.set_title(LABELS[metric], fontsize=10)
            ax.grid(alpha=0.3)
        axes[0][0].legend(fontsize=7)
        fig.suptitle(f"{title}: formula (lines) and simulation (95 % CI)", fontsize=11)
        fig.tight_layout()
        path = out / "figures" / f"{model}.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        paths.append(path)
    fig, ax = plt.subplots(figsize=(8, 3.6))
    order = table.reset_index(drop=True)
    for model, marker in (("erlang_c", "o"), ("erlang_a", "s")):
        sel = order[order["model"] == model]
        ax.scatter(sel.index, (sel["simulated"] - sel["formula"]) / sel["half_width"], marker=marker, s=14,
                   label=model.replace("_", " ").title())
    ax.axhline(1, color="grey", ls="--", lw=0.8)
    ax.axhline(-1, color="grey", ls="--", lw=0.8)
    ax.set_ylabel("(simulated - formula) / CI half-width")
    ax.set_xlabel("interval (points x metrics, in table order)")
    ax.set_title("Inside the band: the formula lies in the simulation's 95 % interval", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    path = out / "figures" / "erlang_deviations.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    paths.append(path)
    return paths


def summary(table: pd.DataFrame) -> str:
    inside, total = int(table["inside"].sum()), len(table)
    lines = [f"{inside} of {total} intervals contain the formula ({inside / total:.1%}; 95 % expected)."]
    for (model, metric), group in table.groupby(["model", "metric"], sort=False):
        rel = (group["half_width"] / group["simulated"].abs()).replace(np.inf, np.nan)
        lines.append(f"  {model:<8} {metric:<10} {int(group['inside'].sum())}/{len(group)} inside;"
                     f" median CI half-width {np.nanmedian(rel):.1%} of the mean")
    worst = table.assign(dev=(table["simulated"] - table["formula"]).abs() / table["half_width"]).nlargest(5, "dev")
    lines.append("Largest deviations (in CI half-widths):")
    for row in worst.itertuples():
        lines.append(f"  {row.model} c={row.servers} rho={row.load} {row.metric}: formula {row.formula:.5g},"
                     f" simulated {row.simulated:.5g} ± {row.half_width:.2g} ({row.dev:.2f} half-widths)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run: few points, replications and calls")
    parser.add_argument("--out", type=Path, default=OUT, help="where tables/ and figures/ go (default docs/explanation)")
    parser.add_argument("--no-figures", action="store_true", help="write the tables only")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    points, replications, calls = plan(args.quick)
    print(f"{len(points)} points, {replications} replications each")
    table = run_study(points, replications, calls)
    (args.out / "tables").mkdir(parents=True, exist_ok=True)
    (args.out / "figures").mkdir(parents=True, exist_ok=True)
    stem = "erlang_validation_quick" if args.quick else "erlang_validation"
    table.to_csv(args.out / "tables" / f"{stem}.csv", index=False)
    (args.out / "tables" / f"{stem}.md").write_text(markdown(table), encoding="utf-8")
    written = [args.out / "tables" / f"{stem}.csv", args.out / "tables" / f"{stem}.md"]
    if not args.no_figures and not args.quick:
        written += figures(table, args.out)
    print(summary(table))
    print("wrote " + ", ".join(str(p) for p in written))
    command = "python experiments/erlang_validation.py" + (" --quick" if args.quick else "")
    print(f"command: {command}; {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()


"""Fill rate against stock for one part: the simulated store against Palm's theorem.

One part (``svcsim.scenarios.single_part``): Poisson demand of ``lambda`` a
day, resupply of mean ``T`` days with unlimited capacity, base stock ``S``
from 0 up. For each stock and each resupply shape (exponential, and a
heavy-tailed lognormal with coefficient of variation 2) the store is simulated
in independent replications (replications ``0..R-1`` of one seed); each
replication's fill rate is the share of demands after a warm-up of ``8 T``
days that were issued at once (no ``waiting_parts``), read from the event
log. The replication means give a 95 % Student-t interval; Palm's fill rate
``P(Poisson(lambda T) <= S - 1)`` should lie in it, whatever the shape.

    python experiments/palm_fill_rate.py            # 10 replications (~1-2 min on one core)
    python experiments/palm_fill_rate.py --quick    # 4 replications, shorter runs

Writes ``docs/howto/figures/palm_fill_rate.png`` and
``docs/howto/figures/palm_fill_rate.csv`` (or under ``--out``). Used by
``docs/howto/size-spare-stock.md``.
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.stats

from svcsim import simulate
from svcsim.analytic import palm
from svcsim.scenarios import single_part

ROOT = Path(__file__).resolve().parents[1]
DEMAND_PER_DAY, RESUPPLY_DAYS = 1.0, 10.0
SHAPES = (("exponential", 1.0), ("lognormal", 2.0))


def fill_rate(run, warmup_days: float) -> float:
    """Share of demands after the warm-up issued at once, from the event log only."""
    events = run.events
    requested = events[events["activity"] == "part_requested"]
    day = (requested["timestamp"] - run.start.tz_convert("UTC")) / pd.Timedelta(days=1)
    late = requested.loc[day.to_numpy() >= warmup_days, "case_id"].astype(str)
    waited = set(events.loc[events["activity"] == "waiting_parts", "case_id"].astype(str))
    return 1.0 - float(late.isin(waited).mean())


def study(replications: int, demands: float, stocks: range, seed: int = 17) -> pd.DataFrame:
    warmup = 8.0 * RESUPPLY_DAYS
    days = int(warmup + demands / DEMAND_PER_DAY)
    rows = []
    for shape, cv in SHAPES:
        for stock in stocks:
            values = [fill_rate(simulate(single_part(DEMAND_PER_DAY, RESUPPLY_DAYS, stock, shape, cv=cv),
                                         seed=seed, replication=r, days=days), warmup)
                      for r in range(replications)]
            mean = float(np.mean(values))
            half = float(scipy.stats.t.ppf(0.975, replications - 1) * np.std(values, ddof=1) / math.sqrt(replications))
            theory = float(palm(DEMAND_PER_DAY, RESUPPLY_DAYS, stock).fill_rate)
            rows.append({"resupply": shape, "cv": cv, "stock": stock, "replications": replications,
                         "days": days, "warmup_days": warmup, "fill_rate": round(mean, 5),
                         "ci95_low": round(mean - half, 5), "ci95_high": round(mean + half, 5),
                         "palm_fill_rate": round(theory, 5),
                         "palm_in_ci": bool(mean - half - 1e-9 <= theory <= mean + half + 1e-9)})
    return pd.DataFrame(rows)


def plot(table: pd.DataFrame, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.0, 4.2), dpi=120)
    grid = np.arange(0, int(table["stock"].max()) + 1)
    ax.plot(grid, palm(DEMAND_PER_DAY, RESUPPLY_DAYS, grid).fill_rate, color="black", lw=1.5,
            label="Palm's theorem: P(Poisson(10) <= S - 1)")
    for (shape, cv), marker, offset in zip(SHAPES, ("o", "s"), (-0.12, 0.12), strict=True):
        part = table[table["resupply"] == shape]
        ax.errorbar(part["stock"] + offset, part["fill_rate"],
                    yerr=[part["fill_rate"] - part["ci95_low"], part["ci95_high"] - part["fill_rate"]],
                    fmt=marker, ms=4, capsize=2, lw=1,
                    label=f"simulated, {shape} resupply" + (f" (cv {cv:g})" if shape != "exponential" else "")
                    + ", 95 % CI")
    ax.set_xlabel("base stock S (units)")
    ax.set_ylabel("fill rate (share of demands issued at once)")
    ax.set_title(f"One part: {DEMAND_PER_DAY:g} demand a day, resupply {RESUPPLY_DAYS:g} days on average")
    ax.set_ylim(-0.02, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="4 replications, shorter runs")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "howto" / "figures")
    args = parser.parse_args()
    replications, demands = (4, 400.0) if args.quick else (10, 1500.0)
    start = time.perf_counter()
    table = study(replications, demands, range(0, 21, 2))
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "palm_fill_rate.csv", index=False)
    plot(table, args.out / "palm_fill_rate.png")
    print(table.to_string(index=False))
    print(f"Palm inside the 95 % CI at {int(table['palm_in_ci'].sum())} of {len(table)} points; "
          f"{time.perf_counter() - start:.0f} s; wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

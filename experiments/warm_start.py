"""Does a default run of baseline start warm? Two measurements of the spares loop.

``settle``: long cold runs (``warmup_days=0``) of ``baseline``, per day the
fill rate (part requests served at once) and the time-averaged number of the
store's units at the supplier, averaged over seeds; MSER-5
(:func:`svcsim.replications.suggest_warmup`) says where each series has
settled. That is what the default ``run.warmup_days`` of baseline rests on.

``check`` (the quality bar of issue 16): over replications, the fill rate and
the mean number of units at the supplier in the judged 28 days of a default
run (after the scenario's warm-up) against the same 28 calendar days judged
after 200 days (days 200-228 of a 228-day run), and against a cold run;
each with a 95 % t interval. Both windows are the same calendar dates
(2025-03-03 .. 03-31), so the comparison is not confounded by the season.

    python experiments/warm_start.py settle --days 300 --seeds 8
    python experiments/warm_start.py check --replications 10

Results go to ``experiments/results/warm_start/`` (CSV and a text summary).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

import svcsim
from svcsim.replications import suggest_warmup
from svcsim.replications.summary import t_quantile

OUT = Path(__file__).parent / "results" / "warm_start"


def at_vendor_daily(run: svcsim.Run) -> np.ndarray:
    """The store's units at the supplier, every part together, averaged over each judged day (from the stock trace)."""
    trace = run.stock_trace
    levels = (trace.pivot_table(index="minute", columns="sku", values="at_vendor", aggfunc="last", observed=True)
              .sort_index().ffill().fillna(0).sum(axis=1))
    minutes, values = levels.index.to_numpy(float), levels.to_numpy(float)
    out = np.empty(run.days)
    for day in range(run.days):
        a, b = day * 1440.0, (day + 1) * 1440.0
        cuts = np.concatenate(([a], minutes[(minutes > a) & (minutes < b)], [b]))
        at = np.searchsorted(minutes, cuts[:-1], side="right") - 1
        level = np.where(at >= 0, values[np.maximum(at, 0)], 0.0)
        out[day] = float((level * np.diff(cuts)).sum() / 1440.0)
    return out


def window_figures(run: svcsim.Run) -> dict[str, float]:
    """Fill rate (the stock table, every part) and mean units at the supplier over the judged horizon."""
    stock = run.stock
    demands, waited = int(stock["demands"].sum()), int(stock["backordered"].sum())
    return {"fill_rate": 1.0 - waited / demands if demands else float("nan"),
            "at_vendor_mean": float(at_vendor_daily(run).mean()), "demands": float(demands)}


def interval(values: pd.Series) -> tuple[float, float, float]:
    n = int(values.notna().sum())
    mean = float(values.mean())
    half = float(t_quantile(n)) * float(values.std(ddof=1)) / np.sqrt(n)
    return mean, mean - half, mean + half


def settle(days: int, seeds: int) -> str:
    rows = []
    for seed in range(seeds):
        run = svcsim.simulate("baseline", seed=seed, days=days, warmup_days=0, stock_trace=True)
        day = ((run.events["timestamp"] - run.start) // pd.Timedelta(days=1)).to_numpy()
        activity = run.events["activity"].astype(str).to_numpy()
        requests = np.bincount(day[activity == "part_requested"], minlength=days)[:days]
        waited = np.bincount(day[activity == "waiting_parts"], minlength=days)[:days]
        vendor = at_vendor_daily(run)
        rows += [(seed, d, int(requests[d]), int(waited[d]), float(vendor[d])) for d in range(days)]
    frame = pd.DataFrame(rows, columns=["seed", "day", "requests", "waited", "at_vendor"])
    frame.to_csv(OUT / "settle_daily.csv", index=False)
    daily = frame.groupby("day").agg(requests=("requests", "sum"), waited=("waited", "sum"),
                                     at_vendor=("at_vendor", "mean"))
    fill = 1.0 - daily["waited"] / daily["requests"].replace(0, np.nan)
    weekly = daily.groupby(daily.index // 7).agg(requests=("requests", "sum"), waited=("waited", "sum"),
                                                 at_vendor=("at_vendor", "mean"))
    weekly["fill_rate"] = 1.0 - weekly["waited"] / weekly["requests"]
    lines = [f"settle: baseline, {seeds} cold runs of {days} days (warmup_days=0), seeds 0..{seeds - 1}",
             f"MSER-5 truncation point, units at the supplier: day {suggest_warmup(daily['at_vendor'])}",
             f"MSER-5 truncation point, daily fill rate: day {suggest_warmup(fill)}",
             "week  fill_rate  at_vendor",
             *(f"{w:4d}  {r.fill_rate:9.3f}  {r.at_vendor:9.1f}" for w, r in weekly.iterrows())]
    return "\n".join(lines)


def check(replications: int) -> str:
    default = svcsim.load_scenario("baseline").run.warmup_days
    rows = []
    for label, warm in (("default warm-up", default), ("days 200-228", 200), ("cold start", 0)):
        for r in range(replications):
            run = svcsim.simulate("baseline", seed=2026, replication=r, warmup_days=warm, stock_trace=True)
            rows.append({"run": label, "warmup_days": warm, "replication": r, **window_figures(run)})
    frame = pd.DataFrame(rows)
    frame.to_csv(OUT / "check_replications.csv", index=False)
    lines = [f"check: baseline, judged 28 days (2025-03-03 .. 03-31), {replications} replications each, seed 2026; "
             "mean and 95 % t interval"]
    for label, part in frame.groupby("run", sort=False):
        fill, vendor = interval(part["fill_rate"]), interval(part["at_vendor_mean"])
        lines.append(f"{label:16s} (warm-up {int(part['warmup_days'].iloc[0]):3d} d): "
                     f"fill rate {fill[0]:.3f} [{fill[1]:.3f}, {fill[2]:.3f}]   "
                     f"units at the supplier {vendor[0]:.1f} [{vendor[1]:.1f}, {vendor[2]:.1f}]")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    one = sub.add_parser("settle")
    one.add_argument("--days", type=int, default=300)
    one.add_argument("--seeds", type=int, default=8)
    two = sub.add_parser("check")
    two.add_argument("--replications", type=int, default=10)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    text = settle(args.days, args.seeds) if args.what == "settle" else check(args.replications)
    (OUT / f"{args.what}.txt").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()

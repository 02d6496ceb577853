"""Palm's theorem inside the whole center: what a planner's formula gets right and wrong.

A planner reads each part's demand rate and resupply time from a year of
history, puts them into Palm's theorem and reads off the fill rate of a
stock. This script asks how close that answer is when the "history" is the
full simulated center (``baseline``), where the store is not Palm's case:
demand comes from the engineers' queue (working hours only, throttled by
staffing), a job that finds no stock keeps its broken part until the
revisit (a closed loop: the units that can be away are the stock), bad
parts wait for the daily courier, and scrapped units wait for a new buy.

For each stock level (every part's base stock times ``factor``) and each
replication, one judged year, after the scenario's warm-up (baseline's
150 days, simulated before the year and not judged, so the year starts
with the spares loop full):

- **simulated fill rate** per part: the share of part requests (not the
  second request after a dead spare) that were issued at once, from the
  event log;
- **Palm's fill rate** per part: ``palm(demand, resupply, stock)`` with the
  demand per day and resupply days that ``svcsim.metrics.spares_budget``
  estimates from the same log, as a planner would.

- **closed loop**: the store as an S-server queue, each unit a server busy
  for the time it is away (measured from the stock trace, Little's law):
  ``1 - ErlangC(S, demand x time away)``.

The replication means give 95 % Student-t intervals. Writes
``docs/explanation/tables/palm_in_the_center.{csv,md}`` and
``docs/explanation/figures/palm_in_the_center.png``::

    python experiments/palm_in_the_center.py              # 3 stock levels x 6 replications (~3 min)
    python experiments/palm_in_the_center.py --quick      # 2 levels x 2 replications
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import scipy.stats  # noqa: E402

from svcsim import simulate  # noqa: E402
from svcsim.analytic import erlang_c, palm  # noqa: E402
from svcsim.metrics import spares_budget  # noqa: E402
from svcsim.scenario import load_scenario, with_changes  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED, DAYS = 5150, 365  # the warm-up is the scenario's run.warmup_days, simulated before the year


def scaled(factor: float):  # noqa: ANN201 - a Scenario
    """``baseline`` with every part's base stock times ``factor`` (rounded, at least 1)."""
    base = load_scenario("baseline")
    parts = [p.model_dump(mode="python") for p in base.spares.parts]
    for part in parts:
        part["base_stock"] = max(1, round(part["base_stock"] * factor))
    return with_changes(base, {"spares.parts": parts})


def first_requests_filled(events: pd.DataFrame, since: pd.Timestamp) -> pd.DataFrame:
    """Per part: requests after ``since`` (not those after a dead spare) and how many were issued at once."""
    spares = events[events["activity"].isin(["part_requested", "part_issued", "waiting_parts"])]
    spares = spares.sort_values(["case_id", "timestamp", "seq"], kind="stable")
    answer = spares.groupby("case_id", observed=True)["activity"].shift(-1)
    requested = (spares["activity"] == "part_requested") & (spares["timestamp"] >= since)
    if "reason" in spares.columns:
        requested &= spares["reason"].astype(object).ne("dead on arrival").to_numpy()
    table = pd.DataFrame({"sku": spares.loc[requested, "part"].astype(str),
                          "at_once": (answer[requested] == "part_issued").to_numpy()})
    return table.groupby("sku").agg(requests=("at_once", "size"), at_once=("at_once", "sum")).reset_index()


def time_away_days(trace: pd.DataFrame, start: pd.Timestamp, since: pd.Timestamp, days: int) -> dict[str, float]:
    """Per part, the time-average number of units off the shelf from ``since`` to the horizon.

    The trace holds each part's levels after every change (a step function);
    divided by the demand per day it is the mean time a unit is away (Little).
    """
    first, end = (since - start).total_seconds() / 60, days * 1440.0
    out = {}
    for sku, group in trace.groupby("sku", sort=False):
        group = group.sort_values("minute", kind="stable")
        minute = group["minute"].to_numpy(dtype=float)
        away = (group["base_stock"] - group["on_hand"]).to_numpy(dtype=float)
        earlier = np.flatnonzero(minute < first)
        level_at_first = away[earlier[-1]] if len(earlier) else 0.0  # (a cold run's shelves start full)
        later = minute >= first
        times = np.r_[first, minute[later], end]
        levels = np.r_[level_at_first, away[later]]
        out[str(sku)] = float((levels * np.diff(times)).sum() / (end - first))
    return out


def one_run(factor: float, replication: int) -> pd.DataFrame:
    scenario = scaled(factor)
    run = simulate(scenario, seed=SEED, replication=replication, days=DAYS, stock_trace=True)
    since = run.start  # the whole judged year: the warm-up came before it
    away = time_away_days(run.stock_trace, run.start, since, DAYS)
    filled = first_requests_filled(run.events, since)
    catalogue = pd.DataFrame({"sku": [p.sku for p in scenario.spares.parts],
                              "unit_cost": [p.unit_cost for p in scenario.spares.parts],
                              "base_stock": [p.base_stock for p in scenario.spares.parts],
                              "new_buy_lead_time_days": [float(p.new_buy_lead_time.frozen().mean())
                                                         for p in scenario.spares.parts]})
    budget = spares_budget(run.log, catalogue, as_of=run.end).set_index("sku")
    rows = []
    for part in scenario.spares.parts:
        f = filled.set_index("sku").loc[part.sku] if part.sku in set(filled["sku"]) else None
        demand, resupply = float(budget.loc[part.sku, "demand_per_day"]), float(budget.loc[part.sku, "resupply_days"])
        rows.append({
            "factor": factor, "replication": replication, "sku": part.sku, "base_stock": part.base_stock,
            "requests": 0 if f is None else int(f["requests"]),
            "fill_rate": np.nan if f is None or f["requests"] == 0 else float(f["at_once"] / f["requests"]),
            "demand_per_day": demand, "resupply_days": resupply,
            "palm_fill_rate": float(palm(demand, resupply, part.base_stock).fill_rate),
            "away_days": away[part.sku] / demand if demand > 0 else np.nan,
        })
    return pd.DataFrame(rows)


def closed_loop_fill_rate(demand_per_day: float, away_days: float, stock: int) -> float:
    """The store as an S-server queue: each unit a server busy for the time it is away (Erlang C).

    In the full model a job without stock keeps its broken part until the
    revisit, so at most ``stock`` units can be away at once: demand queues
    for units as calls queue for operators. A request is served at once when
    a unit is free: ``1 - C(S, a)`` with ``a = demand x time away``.
    """
    if demand_per_day * away_days >= stock:
        return 0.0
    return 1.0 - float(erlang_c(demand_per_day, 1.0 / away_days, stock).p_wait)


def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    def interval(values: pd.Series) -> tuple[float, float]:
        values = values.dropna()
        n = len(values)
        if n < 2:
            return float("nan"), float("nan")
        half = scipy.stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / np.sqrt(n)
        return float(values.mean() - half), float(values.mean() + half)

    rows = []
    for (factor, sku), group in runs.groupby(["factor", "sku"], sort=True):
        low, high = interval(group["fill_rate"])
        palm_mean = float(group["palm_fill_rate"].mean())
        away_days = float(group["away_days"].mean())
        demand, stock = float(group["demand_per_day"].mean()), int(group["base_stock"].iloc[0])
        palm_away = float(palm(demand, away_days, stock).fill_rate)
        loop = closed_loop_fill_rate(demand, away_days, stock)
        rows.append({
            "factor": factor, "sku": sku, "base_stock": int(group["base_stock"].iloc[0]),
            "replications": len(group), "demand_per_day": group["demand_per_day"].mean(),
            "resupply_days": group["resupply_days"].mean(), "fill_rate": group["fill_rate"].mean(),
            "ci95_low": low, "ci95_high": high, "palm_fill_rate": palm_mean,
            "palm_minus_sim": palm_mean - group["fill_rate"].mean(),
            "away_days": away_days, "palm_fill_rate_away": palm_away,
            "load": demand * away_days / stock, "loop_fill_rate": loop,
            "loop_in_ci": bool(low - 1e-9 <= loop <= high + 1e-9),
            "palm_in_ci": bool(low - 1e-9 <= palm_mean <= high + 1e-9),
        })
    return pd.DataFrame(rows)


def plot(table: pd.DataFrame, path: Path) -> None:
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.4), sharey=True)
    panels = (("palm_fill_rate", "Palm (demand, resupply read from the log)"),
              ("loop_fill_rate", "closed loop: Erlang C, S units, time away measured"))
    for ax, (column, title) in zip(axes, panels, strict=True):
        for factor, group in table.groupby("factor"):
            ax.errorbar(group[column], group["fill_rate"],
                        yerr=[group["fill_rate"] - group["ci95_low"], group["ci95_high"] - group["fill_rate"]],
                        fmt="o", capsize=3, label=f"stock x {factor:g}")
        ax.plot([0, 1], [0, 1], color="grey", linewidth=1, linestyle="--", label="simulation = formula")
        ax.set_xlabel(f"fill rate by {title}")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("simulated fill rate (95% CI)")
    axes[0].legend(loc="upper left", fontsize=8)
    fig.suptitle("Baseline center, five parts, one simulated year: which formula predicts the store?")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 stock levels x 2 replications")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "explanation")
    args = parser.parse_args(argv)
    factors, replications = ((1.0, 1.5), 2) if args.quick else ((0.8, 1.0, 1.25, 1.5), 6)
    began = time.perf_counter()
    runs = pd.concat([one_run(f, r) for f in factors for r in range(replications)], ignore_index=True)
    table = summarise(runs)
    (args.out / "tables").mkdir(parents=True, exist_ok=True)
    (args.out / "figures").mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "tables" / "palm_in_the_center.csv", index=False)
    shown = table.assign(
        fill_rate=[f"{m:.3f} [{lo:.3f}, {hi:.3f}]" for m, lo, hi in zip(table["fill_rate"], table["ci95_low"], table["ci95_high"], strict=True)],
        demand_per_day=table["demand_per_day"].round(2), resupply_days=table["resupply_days"].round(1),
        palm_fill_rate=table["palm_fill_rate"].round(3), palm_minus_sim=table["palm_minus_sim"].round(3),
        away_days=table["away_days"].round(1), palm_fill_rate_away=table["palm_fill_rate_away"].round(3),
        load=table["load"].round(3), loop_fill_rate=table["loop_fill_rate"].round(3),
    ).drop(columns=["ci95_low", "ci95_high"])
    (args.out / "tables" / "palm_in_the_center.md").write_text(shown.to_markdown(index=False) + "\n"
                                                                if hasattr(shown, "to_markdown") and _has_tabulate()
                                                                else _markdown(shown))
    plot(table, args.out / "figures" / "palm_in_the_center.png")
    print(table.to_string(index=False))
    print(f"\n{int(table['palm_in_ci'].sum())} of {len(table)} points have Palm inside the 95% interval, "
          f"{int(table['loop_in_ci'].sum())} the closed-loop Erlang C value; "
          f"{time.perf_counter() - began:.0f} s")
    return 0


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


def _markdown(frame: pd.DataFrame) -> str:
    header = "| " + " | ".join(map(str, frame.columns)) + " |\n"
    rule = "|" + "---|" * len(frame.columns) + "\n"
    body = "".join("| " + " | ".join(map(str, row)) + " |\n" for row in frame.itertuples(index=False))
    return header + rule + body


if __name__ == "__main__":
    raise SystemExit(main())

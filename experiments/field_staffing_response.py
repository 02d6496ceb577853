"""How the field targets answer the number of field engineers at the baseline center.

Usage::

    python experiments/field_staffing_response.py [--replications 20] [--days 112] [--warmup DAYS] [--jobs 2]
                                                  [--engineers 6 8 9 10 11 12 14 16] [--cache DIR]
                                                  [--out docs/explanation/tables/field_staffing_response.md]
                                                  [--figure docs/explanation/figures/field-staffing-response.png]

Sweeps ``staffing.field_engineers.count`` over ``--engineers`` on common
random numbers (the same calls at every count), ``--replications``
replications of ``--days`` judged days each. Every run starts warm:
``--warmup`` days are simulated before the judged days and never judged
(default: the scenario's ``run.warmup_days``, 150 for baseline, the time
the spares loop needs to fill from full shelves;
docs/explanation/simulation-practice.md, "Starting warm"). Writes a table (attainment of dispatch-4h,
arrive-20min and complete-6h and the field engineers' utilisation, each
mean with its 95 % interval, and the change from baseline's 11 engineers)
and a figure of the same against the count. The numbers are quoted in
``docs/explanation/field-staffing.md``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from svcsim.replications import sweep
from svcsim.scenario import load_scenario

FIELD = "staffing.field_engineers.count"
TARGETS = ["dispatch-4h", "arrive-20min", "complete-6h"]
BASELINE_ENGINEERS = 11


def response_table(summary: pd.DataFrame) -> pd.DataFrame:
    """One row per engineer count: each target's attainment and the utilisation, mean and 95 % interval."""
    wanted = summary[((summary["kind"] == "attainment_pct") & summary["subject"].isin(TARGETS))
                     | ((summary["kind"] == "utilisation_pct") & (summary["subject"] == "field_engineers"))]
    rows = []
    for count, block in wanted.groupby(FIELD):
        row: dict[str, object] = {"engineers": int(count)}
        for _, r in block.iterrows():
            name = "utilisation" if r["kind"] == "utilisation_pct" else r["subject"]
            row[name] = f"{r['mean']:.1f} [{r['ci_low']:.1f}, {r['ci_high']:.1f}]"
            row[f"{name}_mean"], row[f"{name}_low"], row[f"{name}_high"] = r["mean"], r["ci_low"], r["ci_high"]
        rows.append(row)
    return pd.DataFrame(rows).sort_values("engineers")


def response_figure(table: pd.DataFrame):  # noqa: ANN201 - a matplotlib Figure
    """Attainment of each field target and the engineers' utilisation against their count, with 95 % bands."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (targets, busy) = plt.subplots(1, 2, figsize=(10, 4))
    x = table["engineers"]
    for rule in TARGETS:
        targets.plot(x, table[f"{rule}_mean"], marker="o", label=rule)
        targets.fill_between(x, table[f"{rule}_low"], table[f"{rule}_high"], alpha=0.25)
    targets.set(xlabel="field engineers", ylabel="attainment, %", ylim=(0, 101), title="Field targets")
    targets.axvline(BASELINE_ENGINEERS, color="grey", linestyle=":", linewidth=1)
    targets.legend(loc="lower right")
    busy.plot(x, table["utilisation_mean"], marker="o", color="black")
    busy.fill_between(x, table["utilisation_low"], table["utilisation_high"], color="black", alpha=0.2)
    busy.axvline(BASELINE_ENGINEERS, color="grey", linestyle=":", linewidth=1)
    busy.set(xlabel="field engineers", ylabel="busy over on duty, %", title="Field engineers' utilisation")
    figure.tight_layout()
    return figure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--days", type=int, default=112)
    parser.add_argument("--warmup", type=float, default=None,
                        help="days simulated before the judged ones (default: the scenario's run.warmup_days)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--engineers", type=int, nargs="+", default=[6, 8, 9, 10, 11, 12, 14, 16])
    parser.add_argument("--cache", help="replication cache folder (default: none)")
    parser.add_argument("--out", default="docs/explanation/tables/field_staffing_response.md")
    parser.add_argument("--figure", default="docs/explanation/figures/field-staffing-response.png")
    args = parser.parse_args()
    started = time.perf_counter()
    base = load_scenario("baseline")
    warmup = base.run.warmup_days if args.warmup is None else args.warmup
    grid = sweep(base, {FIELD: args.engineers}, replications=args.replications,
                 days=args.days, warmup=args.warmup, jobs=args.jobs, cache=args.cache)
    table = response_table(grid.summary())
    shown = table[["engineers", *TARGETS, "utilisation"]]
    lines = [f"baseline, field engineers swept; {args.replications} replications of {args.days} days, "
             f"each after a {warmup:g}-day warm-up simulated before it; mean and 95 % interval, percent.", "",
             "| " + " | ".join(shown.columns) + " |", "|" + "---|" * len(shown.columns)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in shown.itertuples(index=False)]
    if BASELINE_ENGINEERS in set(table["engineers"]) and BASELINE_ENGINEERS - 3 in set(table["engineers"]):
        base = table.set_index("engineers").loc[BASELINE_ENGINEERS]
        fewer = table.set_index("engineers").loc[BASELINE_ENGINEERS - 3]
        lines += ["", f"Three engineers fewer ({BASELINE_ENGINEERS} -> {BASELINE_ENGINEERS - 3}):"]
        for rule in TARGETS:
            apart = fewer[f"{rule}_high"] < base[f"{rule}_low"]
            lines.append(f"- {rule}: {base[f'{rule}_mean']:.1f} -> {fewer[f'{rule}_mean']:.1f} "
                         f"({fewer[f'{rule}_mean'] - base[f'{rule}_mean']:+.1f} points; intervals "
                         f"{'do not overlap' if apart else 'overlap'})")
    text = "\n".join(lines) + "\n"
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text)
    print(text)
    figure = response_figure(table)
    Path(args.figure).parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(args.figure, dpi=100)
    print(f"wrote {args.out} and {args.figure} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

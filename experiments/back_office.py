"""How the spares administrators' targets answer their levers at the baseline center.

Usage::

    python experiments/back_office.py [--replications 20] [--seed 2026]
                                      [--out experiments/results/back_office]
                                      [--figure docs/explanation/figures/back-office-admins.png]

Four measurements, each on common random numbers (the same calls, units
and supplier draws in both arms of a pair), every run of baseline judged
over its 28 days after the scenario's warm-up:

``admins``
    one spares administrator (baseline) against two: ``ship-4h`` split
    into items for the supplier and units back to customers, and
    ``vendor-3d``; mean attainment, and the paired difference with its 95 %
    t interval.
``weekday``
    the share of ``vendor-3d`` verdicts missed by the weekday the item was
    sent, with one administrator and with four (an idle desk): with an idle
    desk a miss comes from holidays only, not from the weekday.
``supplier``
    ``vendor-30d`` escalations (verdicts breached) over a 91-day horizon
    with the supplier's unit turnaround as given and twice as long.
``doa``
    the monthly KPI ``doa_rate`` (DOA units per product sold) with
    ``probabilities.doa_unit`` 0.02 and 0.04.

The figures are quoted in ``docs/explanation/model.md``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

import svcsim
from svcsim.metrics import monthly_kpis
from svcsim.replications.summary import t_quantile

BASE = svcsim.load_scenario("baseline")


def _interval(values: np.ndarray) -> tuple[float, float, float]:
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    mean = float(values.mean())
    half = float(t_quantile(len(values))) * float(values.std(ddof=1)) / np.sqrt(len(values)) if len(values) > 1 else np.nan
    return mean, mean - half, mean + half


def _verdicts(run: svcsim.Run) -> pd.DataFrame:
    """The judged rows of one run, with each case's type (item or ticket)."""
    rows = run.check().results
    cases = run.cases.assign(case_id=run.cases["case_id"].astype(str)).set_index("case_id")["case_type"]
    return rows.assign(case_type=cases.reindex(rows["case_id"].astype(str)).astype(str).to_numpy())


def _attainment(rows: pd.DataFrame, rule: str, case_type: str | None = None) -> float:
    mine = rows[rows["rule_id"] == rule]
    if case_type is not None:
        mine = mine[mine["case_type"] == case_type]
    status = mine["status"].astype(str)
    decided = status.isin(["met", "breached"])
    return 100.0 * float((status[decided] == "met").mean()) if decided.any() else float("nan")


def admins(replications: int, seed: int) -> pd.DataFrame:
    """One administrator against two: ship-4h for items and for units, vendor-3d, and the desk's utilisation."""
    measures = {"ship-4h items": ("ship-4h", "item"), "ship-4h units": ("ship-4h", "ticket"),
                "vendor-3d": ("vendor-3d", None)}
    values: dict[str, dict[int, list[float]]] = {name: {1: [], 2: []} for name in [*measures, "utilisation %"]}
    for r in range(replications):
        for count in (1, 2):
            run = svcsim.simulate(svcsim.with_changes(BASE, {"spares.administrators.count": count}),
                                  seed=seed, replication=r)
            rows = _verdicts(run)
            for name, (rule, case_type) in measures.items():
                values[name][count].append(_attainment(rows, rule, case_type))
            busy = run.utilisation.set_index("role")["utilisation"]
            values["utilisation %"][count].append(100.0 * float(busy["spares_admin"]))
    out = []
    for name, arms in values.items():
        one, two = np.array(arms[1]), np.array(arms[2])
        m1, l1, h1 = _interval(one)
        m2, l2, h2 = _interval(two)
        md, ld, hd = _interval(two - one)
        out.append({"measure": name, "one_admin": m1, "one_low": l1, "one_high": h1, "two_admins": m2,
                    "two_low": l2, "two_high": h2, "difference": md, "diff_low": ld, "diff_high": hd})
    return pd.DataFrame(out)


def weekday(replications: int, seed: int) -> pd.DataFrame:
    """The share of vendor-3d verdicts missed by weekday of sending, one administrator against four."""
    out = []
    for count in (1, 4):
        decided = np.zeros(7)
        missed = np.zeros(7)
        for r in range(replications):
            run = svcsim.simulate(svcsim.with_changes(BASE, {"spares.administrators.count": count}),
                                  seed=seed, replication=r)
            rows = _verdicts(run)
            rows = rows[(rows["rule_id"] == "vendor-3d") & rows["status"].astype(str).isin(["met", "breached"])]
            day = pd.to_datetime(rows["start"]).dt.tz_convert(BASE.timezone).dt.day_of_week.to_numpy()
            bad = (rows["status"].astype(str) == "breached").to_numpy()
            decided += np.bincount(day, minlength=7)
            missed += np.bincount(day[bad], minlength=7)
        for d, name in enumerate(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]):
            out.append({"administrators": count, "weekday": name, "decided": int(decided[d]),
                        "missed": int(missed[d]),
                        "missed_pct": 100.0 * missed[d] / decided[d] if decided[d] else float("nan")})
    return pd.DataFrame(out)


def supplier(replications: int, seed: int) -> pd.DataFrame:
    """vendor-30d escalations over 91 days, the supplier's unit and part turnarounds as given and doubled."""
    slow_parts = [{**p.model_dump(), "turnaround": {**p.turnaround.model_dump(),
                                                    "scale": 2 * float(p.turnaround.params.get("scale", 1.0))}}
                  for p in BASE.spares.parts]
    slow = svcsim.with_changes(BASE, {"spares.parts": slow_parts, "spares.unit_turnaround": {
        **BASE.spares.unit_turnaround.model_dump(),
        "scale": 2 * float(BASE.spares.unit_turnaround.params.get("scale", 1.0))}})
    out = []
    for name, scenario in (("as given", BASE), ("twice as long", slow)):
        counts = []
        for r in range(replications):
            rows = _verdicts(svcsim.simulate(scenario, seed=seed, replication=r, days=91))
            mine = rows[rows["rule_id"] == "vendor-30d"]
            counts.append(float(mine["status"].astype(str).isin(["breached", "breached_open"]).sum()))
        mean, low, high = _interval(np.array(counts))
        out.append({"turnaround": name, "escalation_verdicts": mean, "low": low, "high": high})
    return pd.DataFrame(out)


def doa(replications: int, seed: int) -> pd.DataFrame:
    """The monthly DOA-rate KPI, pooled over the judged months, with probabilities.doa_unit 0.02 and 0.04."""
    out = []
    for share in (0.02, 0.04):
        rates = []
        for r in range(replications):
            run = svcsim.simulate(svcsim.with_changes(BASE, {"probabilities.doa_unit": share}),
                                  seed=seed, replication=r, days=56)
            kpis = monthly_kpis(run.log)
            rows = kpis[kpis["kpi"] == "doa_rate"]
            rates.append(float(rows["numerator"].sum()) / float(rows["denominator"].sum()))
        mean, low, high = _interval(100.0 * np.array(rates))
        out.append({"doa_unit": share, "doa_rate_pct": mean, "low": low, "high": high})
    return pd.DataFrame(out)


def figure(table: pd.DataFrame, path: Path) -> None:
    """One administrator against two: mean attainment with 95 % intervals."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = table[table["measure"] != "utilisation %"].reset_index(drop=True)
    x = np.arange(len(shown))
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for offset, (arm, label, colour) in enumerate((("one", "1 administrator", "#E69F00"),
                                                   ("two", "2 administrators", "#0072B2"))):
        mean = shown["one_admin" if arm == "one" else "two_admins"]
        low, high = shown[f"{arm}_low"], shown[f"{arm}_high"]
        ax.bar(x + (offset - 0.5) * 0.38, mean, 0.38, color=colour, label=label,
               yerr=[mean - low, high - mean], capsize=3)
    ax.set_xticks(x, shown["measure"])
    ax.set_ylabel("attainment, % of decided verdicts")
    ax.set_ylim(0, 118)
    ax.set_title("Baseline's spares administrators: 28 judged days, 95 % intervals")
    ax.legend(loc="upper center", ncol=2, frameon=False)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "back_office")
    parser.add_argument("--figure", type=Path,
                        default=Path(__file__).parents[1] / "docs" / "explanation" / "figures" / "back-office-admins.png")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    small = max(args.replications // 2, 2)
    for name, build, n in (("admins", admins, args.replications), ("weekday", weekday, small),
                           ("supplier", supplier, small), ("doa", doa, small)):
        began = time.perf_counter()
        table = build(n, args.seed)
        table.to_csv(args.out / f"{name}.csv", index=False)
        print(f"\n{name}: {n} replications, {time.perf_counter() - began:.0f} s")
        print(table.round(2).to_string(index=False))
        if name == "admins":
            figure(table, args.figure)


if __name__ == "__main__":
    main()

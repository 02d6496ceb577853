"""How fast the batch-fault detector finds a bad batch, and how often it flags a good one.

The baseline center with an installed base of two product models and eight
batches (``INSTALLED``); batch ``A-4`` (2 % of the base, about 2.3 fault
reports a working day) has its fault rate
multiplied by 2, 3 or 5 from day ``ONSET_DAY``. Each scenario runs
``--replications`` replications (replication ``r`` of one seed: the planted
scenarios share the no-defect scenario's base calls, common random numbers)
over ``--days`` days; :func:`svcsim.metrics.batches.batch_flags` reads each
event log with the installed base given, tuned to a doubling
(``shift = 2``) and built for ``0.1`` false flags per batch-year.

Reported: per multiplier, the median (and quartiles) of the days from the
onset to the first flag of ``A-4`` on or after it (a run without one counts
as not detected); on the no-defect scenario, every flag is false: false
flags per batch-year with a 95 % Clopper-Pearson interval over batch-days.

    python experiments/batch_detection.py                  # 50 replications, 56 days (~5 min on one core)
    python experiments/batch_detection.py --replications 5 --days 42   # a quick look

Writes ``docs/explanation/figures/batch_detection.png`` and
``docs/explanation/tables/batch_detection.csv`` (or under ``--out``). Used by
``docs/explanation/batch-detection.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import time
from pathlib import Path

import numpy as np
import pandas as pd

import svcsim
from svcsim.metrics.batches import batch_flags
from svcsim.scenario.load import with_changes

ROOT = Path(__file__).resolve().parents[1]
INSTALLED = {("A", "A-1"): 3000, ("A", "A-2"): 2000, ("A", "A-3"): 1200, ("A", "A-4"): 200,
             ("B", "B-1"): 1800, ("B", "B-2"): 1000, ("B", "B-3"): 500, ("B", "B-4"): 300}
BAD = "A-4"
ONSET_DAY = 21
MULTIPLIERS = (2.0, 3.0, 5.0)
FALSE_ALARMS_PER_YEAR = 0.1
SHIFT = 2.0


def scenario(multiplier: float | None, days: int) -> svcsim.Scenario:
    """Baseline with the installed base, and ``A-4`` made ``multiplier`` times as faulty from the onset."""
    base = svcsim.load_scenario("baseline")
    onset = base.start + dt.timedelta(days=ONSET_DAY)
    events = [] if multiplier is None else [
        {"batch": BAD, "from_date": onset.isoformat(), "fault_rate_multiplier": multiplier}]
    # no warm-up: the detector reads the calls, which do not depend on the center's state
    return with_changes(base, {"horizon_days": days, "run.warmup_days": 0, "installed_base": {
        "batches": [{"model": m, "batch": b, "units": u} for (m, b), u in INSTALLED.items()],
        "quality_events": events}})


def units() -> dict[str, float]:
    return {b: float(u) for (_, b), u in INSTALLED.items()}


def study(replications: int, days: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per (multiplier, replication): days to detection; and the no-defect flags."""
    detect, false_flags = [], []
    for r in range(replications):
        run = svcsim.simulate(scenario(None, days), seed=seed, replication=r)
        check = batch_flags(run.log, installed_base=units(), shift=SHIFT, false_alarms_per_year=FALSE_ALARMS_PER_YEAR)
        false_flags.append({"replication": r, "flags": len(check.flags), "batch_days": len(INSTALLED) * days})
        onset = run.scenario.start + dt.timedelta(days=ONSET_DAY)
        for m in MULTIPLIERS:
            run = svcsim.simulate(scenario(m, days), seed=seed, replication=r)
            check = batch_flags(run.log, installed_base=units(), shift=SHIFT,
                                false_alarms_per_year=FALSE_ALARMS_PER_YEAR)
            mine = check.flags[(check.flags["batch"] == BAD) & (check.flags["flagged_on"] >= onset)]
            first = (min(mine["flagged_on"]) - onset).days if len(mine) else math.inf
            detect.append({"multiplier": m, "replication": r, "days_to_detection": first})
    return pd.DataFrame(detect), pd.DataFrame(false_flags)


def clopper_pearson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Exact binomial interval of a proportion ``k / n``."""
    from scipy.stats import beta

    a = (1 - level) / 2
    low = 0.0 if k == 0 else float(beta.ppf(a, k, n - k + 1))
    high = 1.0 if k == n else float(beta.ppf(1 - a, k + 1, n - k))
    return low, high


def summary(detect: pd.DataFrame, false_flags: pd.DataFrame, days: int) -> pd.DataFrame:
    rows = []
    for m, group in detect.groupby("multiplier"):
        d = group["days_to_detection"].to_numpy(dtype=float)
        rows.append({"scenario": f"A-4 x{m:g}", "replications": len(d), "median_days": float(np.median(d)),
                     "q25_days": float(np.quantile(d, 0.25)), "q75_days": float(np.quantile(d, 0.75)),
                     "detected_share": float(np.isfinite(d).mean()), "false_per_batch_year": math.nan,
                     "fa_low": math.nan, "fa_high": math.nan})
    k, n = int(false_flags["flags"].sum()), int(false_flags["batch_days"].sum())
    low, high = clopper_pearson(k, n)
    rows.append({"scenario": "no defect", "replications": len(false_flags), "median_days": math.nan,
                 "q25_days": math.nan, "q75_days": math.nan, "detected_share": math.nan,
                 "false_per_batch_year": 365.25 * k / n, "fa_low": 365.25 * low, "fa_high": 365.25 * high,
                 "false_flags": k, "batch_years": n / 365.25})
    return pd.DataFrame(rows)


def figure(detect: pd.DataFrame, table: pd.DataFrame, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6), gridspec_kw={"width_ratios": [2, 1]})
    for i, m in enumerate(MULTIPLIERS):
        d = detect.loc[detect["multiplier"] == m, "days_to_detection"].to_numpy(dtype=float)
        found = np.sort(d[np.isfinite(d)])
        horizon = float(np.nanmax(detect["days_to_detection"].replace(np.inf, np.nan))) + 1
        left.step(np.concatenate([[0], found, [horizon]]),
                  np.concatenate([[0], np.arange(1, len(found) + 1), [len(found)]]) / len(d),
                  where="post", label=f"x{m:g}", color=f"C{i}")
    left.set_xlabel("days from onset to the first flag")
    left.set_ylabel("share of replications detected")
    left.set_title("bad batch A-4 (2 % of the base)")
    left.legend(title="fault rate")
    row = table[table["scenario"] == "no defect"].iloc[0]
    right.errorbar([0], [row["false_per_batch_year"]], yerr=[[row["false_per_batch_year"] - row["fa_low"]],
                                                              [row["fa_high"] - row["false_per_batch_year"]]],
                   fmt="o", capsize=6)
    right.axhline(FALSE_ALARMS_PER_YEAR, color="grey", linestyle="--", label="design bound")
    right.set_xticks([0], ["no defect"])
    right.set_ylabel("false flags per batch-year")
    right.set_ylim(bottom=0)
    right.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=50)
    parser.add_argument("--days", type=int, default=56)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "explanation")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    detect, false_flags = study(args.replications, args.days, args.seed)
    table = summary(detect, false_flags, args.days)
    (args.out / "tables").mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "tables" / "batch_detection.csv", index=False)
    figure(detect, table, args.out / "figures" / "batch_detection.png")
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        print(table.to_string(index=False))
    print(f"python experiments/batch_detection.py --replications {args.replications} --days {args.days} "
          f"--seed {args.seed}: {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

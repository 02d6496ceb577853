"""Round trip: fit a scenario from its own simulated log, run the fitted file, and compare every target.

Usage::

    python experiments/fit_round_trip.py [--scenario baseline] [--log-days 56] [--replications 10]
                                         [--days 28] [--jobs 2] [--table docs/explanation/tables/fit_round_trip.md]

One log of ``--log-days`` judged days (seed 1, the scenario's warm-up) is
fitted on the scenario itself as template (``svcsim.fit``); the fitted TOML
is written and loaded back, as ``svcsim run fitted.toml`` would. Both the
original and the fitted scenario then run ``--replications`` replications
of ``--days`` days on the same seeds. Per target: the original's mean and
95 % interval, the fitted one's mean, and whether it lies inside. Issue 19's
quality bar asks every target inside.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import svcsim


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--log-days", type=int, default=56)
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--table", default="docs/explanation/tables/fit_round_trip.md")
    args = parser.parse_args()

    original = svcsim.load_scenario(args.scenario)
    log = svcsim.simulate(original, seed=1, days=args.log_days).log
    fitted = svcsim.fit(log, original)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fitted.toml"
        path.write_text(fitted.toml(), encoding="utf-8")
        scenario = svcsim.load_scenario(path)
        a = svcsim.replicate(original, replications=args.replications, days=args.days, jobs=args.jobs, seed=5, cache=None)
        b = svcsim.replicate(scenario, replications=args.replications, days=args.days, jobs=args.jobs, seed=5, cache=None)
    sa, sb = a.summary(), b.summary()
    keep = sa["kind"] == "attainment_pct"
    table = sa[keep][["subject", "mean", "ci_low", "ci_high"]].merge(
        sb[sb["kind"] == "attainment_pct"][["subject", "mean", "ci_low", "ci_high"]], on="subject", suffixes=("", "_fitted"))
    table = table.dropna(subset=["mean", "mean_fitted"])
    table["inside"] = (table["mean_fitted"] >= table["ci_low"]) & (table["mean_fitted"] <= table["ci_high"])
    table["overlap"] = (table["ci_low_fitted"] <= table["ci_high"]) & (table["ci_high_fitted"] >= table["ci_low"])
    lines = [f"Round trip on `{args.scenario}`: a {args.log_days}-day log (seed 1) fitted on itself, then "
             f"{args.replications} replications of {args.days} days of each (seed 5). Command: "
             f"`python experiments/fit_round_trip.py --scenario {args.scenario} --log-days {args.log_days} "
             f"--replications {args.replications} --days {args.days}`.", "",
             "| target | original mean | original 95 % CI | fitted mean | fitted inside | intervals overlap |",
             "|---|---|---|---|---|---|"]
    for row in table.itertuples():
        lines.append(f"| `{row.subject}` | {row.mean:.2f} | [{row.ci_low:.2f}, {row.ci_high:.2f}] | {row.mean_fitted:.2f} | "
                     f"{'yes' if row.inside else 'no'} | {'yes' if row.overlap else 'no'} |")
    lines += ["", f"{int(table['inside'].sum())} of {len(table)} targets inside the original's interval; "
              f"{int(table['overlap'].sum())} of {len(table)} with overlapping intervals."]
    text = "\n".join(lines) + "\n"
    Path(args.table).parent.mkdir(parents=True, exist_ok=True)
    Path(args.table).write_text(text, encoding="utf-8")
    print(text)
    print("warnings of the fit:", *fitted.report.warnings, sep="\n  ")


if __name__ == "__main__":
    main()

"""The report of many replications: of one scenario, of two plans compared, of a sweep over a grid.

Replications: each target's mean attainment with its interval and each
role's utilisation. A comparison: B - A per target with its paired
interval (common random numbers), and both plans' means. A sweep: each
target's attainment against the swept lever, with its band. The tables are
cut from the summaries ``--out`` writes (``summary.csv``, ``comparison.csv``);
pass the summary you wrote as ``summary=`` and nothing is computed twice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from svcsim import __version__
from svcsim.replications import Comparison, Replications, SweepResult
from svcsim.report import attainment
from svcsim.report.data import ReportData, builder

__all__ = ["comparison_report_data", "replications_report_data", "sweep_report_data"]


def _titles() -> dict[str, str]:
    from svcsim.rules import load_rules

    return load_rules().titles()


def _produced(command: str | None) -> str:
    return f"{command or 'svcsim.report()'} (svcsim {__version__})"


def _warmup(days: float) -> str:
    return f"{days:g} days simulated before the period, not judged" if days else "none (cold start)"


def _utilisation(summary: pd.DataFrame) -> pd.DataFrame:
    rows = summary[summary["kind"] == "utilisation_pct"]
    return pd.DataFrame({"role": rows["subject"].astype(str).to_numpy(), "mean_pct": rows["mean"].to_numpy(),
                         "ci_low": rows["ci_low"].to_numpy(), "ci_high": rows["ci_high"].to_numpy()})


@builder(Replications)
def replications_report_data(result: Replications, *, require: dict[str, float], command: str | None,
                             summary: pd.DataFrame | None = None) -> ReportData:
    """The report of replications of one scenario; ``summary`` is ``result.summary()`` when already made."""
    summary = result.summary() if summary is None else summary
    titles = _titles()
    require = attainment.check_requirements(require, list(titles))
    tables = {"attainment.csv": attainment.from_replications(summary, titles, require),
              "utilisation.csv": _utilisation(summary)}
    headline = {
        "Scenario": str(result.scenario),
        "Period": f"{result.days:,} days per replication",
        "Seed": str(result.seed),
        "Replications": f"{result.replications:,} (95 % intervals)",
        "Warm-up": _warmup(result.warmup_days),
        "Produced by": _produced(command),
    }
    return ReportData("replications", f"Replications of {result.scenario}", headline, tables)


@builder(Comparison)
def comparison_report_data(result: Comparison, *, require: dict[str, float], command: str | None,
                           summary: pd.DataFrame | None = None) -> ReportData:
    """The report of two plans compared; ``summary`` is ``result.summary()`` (``comparison.csv``) when already made."""
    summary = result.summary() if summary is None else summary
    titles = _titles()
    require = attainment.check_requirements(require, list(titles))
    rows = summary[summary["kind"] == "attainment_pct"]
    rules = rows["subject"].astype(str).to_numpy()
    required = pd.Series(rules).map(require).astype(float).to_numpy()
    diff = pd.DataFrame({
        "rule_id": rules, "title": [titles.get(r, "") for r in rules],
        "mean_a": rows["mean_a"].to_numpy(), "mean_b": rows["mean_b"].to_numpy(),
        "difference": rows["difference"].to_numpy(), "ci_low": rows["ci_low"].to_numpy(),
        "ci_high": rows["ci_high"].to_numpy(), "n": rows["n"].to_numpy(), "required_pct": required,
    })
    diff["direction"] = np.where(diff["difference"].isna(), "not yet due",
                                 np.where(diff["ci_low"] > 0, "B better",
                                          np.where(diff["ci_high"] < 0, "B worse", "no clear difference")))
    util = summary[summary["kind"] == "utilisation_pct"]
    tables = {"difference.csv": diff,
              "utilisation.csv": pd.DataFrame({"role": util["subject"].astype(str).to_numpy(),
                                               "mean_a_pct": util["mean_a"].to_numpy(), "mean_b_pct": util["mean_b"].to_numpy(),
                                               "difference": util["difference"].to_numpy(),
                                               "ci_low": util["ci_low"].to_numpy(), "ci_high": util["ci_high"].to_numpy()})}
    a, b = result.a, result.b
    headline = {
        "Plans": f"A = {a.scenario}, B = {b.scenario}",
        "Period": f"{a.days:,} days per replication",
        "Seed": f"{a.seed} (common random numbers: the same arrivals for both plans)",
        "Replications": f"{a.replications:,} paired (95 % intervals of B - A)",
        "Warm-up": f"A {_warmup(a.warmup_days)}; B {_warmup(b.warmup_days)}",
        "Produced by": _produced(command),
    }
    return ReportData("compare", f"{b.scenario} against {a.scenario}", headline, tables)


@builder(SweepResult)
def sweep_report_data(result: SweepResult, *, require: dict[str, float], command: str | None,
                      summary: pd.DataFrame | None = None) -> ReportData:
    """The report of a sweep; ``summary`` is ``result.summary()`` (``summary.csv``) when already made.

    The first swept field is the lever on the x axis; further fields make one line each.
    """
    summary = result.summary() if summary is None else summary
    titles = _titles()
    require = attainment.check_requirements(require, list(titles))
    fields = list(result.fields)
    rows = summary[summary["kind"] == "attainment_pct"]
    table = rows[[*fields, "subject", "n", "mean", "ci_low", "ci_high"]].rename(columns={"subject": "rule_id"}).copy()
    table["rule_id"] = table["rule_id"].astype(str)
    table["required_pct"] = table["rule_id"].map(require).astype(float)
    table = table.reset_index(drop=True)
    warm = ", ".join(f"{w:g}" for w in sorted(set(result.results["warmup_days"])))
    days = ", ".join(f"{d:,}" for d in sorted(set(result.results["days"])))
    lever = fields[0]
    values = ", ".join(str(v) for v in dict.fromkeys(result.points[lever]))
    headline = {
        "Scenario": ", ".join(dict.fromkeys(result.points["scenario"].astype(str))),
        "Lever": f"{lever} = {values}" + (f"; also {', '.join(fields[1:])}" if len(fields) > 1 else ""),
        "Period": f"{days} days per replication",
        "Seed": str(result.seed),
        "Replications": f"{result.replications:,} per point, {len(result.points):,} points (95 % bands)",
        "Warm-up": _warmup(float(warm.split(",")[0])) if "," not in warm else f"{warm} days",
        "Produced by": _produced(command),
    }
    return ReportData("sweep", f"Sweep of {lever}", headline, {"sweep.csv": table})

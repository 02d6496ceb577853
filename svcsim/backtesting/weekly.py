"""Per rule and per held-out week: the real attainment against the simulated 95 % interval.

A result row belongs to the week (7-day blocks from the split; the last may
be shorter) in which its clock started (``start``; ``due`` when it has
none). Attainment counts as :mod:`svcsim.rules.horizon` does: good over
decided among the rows due by the held-out end, in the real and the
simulated logs alike (both are judged as of that end). The simulated
interval is the 2.5th to 97.5th percentile of the replications' attainments
(where the real value should fall if the model is right: a prediction
interval, not the interval of the mean); with few replications it is close
to their minimum and maximum. A real value inside it (boundaries included)
is ``inside``, else ``above`` or ``below``; no verdict when either side has
nothing due that week.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from svcsim.backtesting.split import Split
from svcsim.eventlog import EventLog
from svcsim.rules import RuleSet, check
from svcsim.rules.horizon import due_by
from svcsim.rules.results import BAD_STATUSES, GOOD_STATUSES

__all__ = ["VERDICTS", "rule_week_table", "verdict_counts", "weekly_attainment"]

VERDICTS: tuple[str, ...] = ("inside", "above", "below", "no verdict")


def weekly_attainment(log: EventLog, rules: RuleSet, split: Split) -> pd.DataFrame:
    """Per rule id (rows) and held-out week 1.. (columns): attainment %, NaN where nothing was due; and decided counts."""
    weeks = math.ceil(split.arrival_days / 7)
    ids = list(rules.ids())
    result = check(log, rules, as_of=split.end)
    rows = result.results
    status = rows["status"].astype(str)
    due = due_by(rows, split.end)
    good = status.isin(GOOD_STATUSES).to_numpy() & due
    decided = (good | status.isin(BAD_STATUSES).to_numpy()) & due
    when = rows["start"].where(rows["start"].notna(), rows["due"])
    week = ((when - split.until) // pd.Timedelta(days=7)).to_numpy(dtype=float) + 1
    inside = np.isfinite(week) & (week >= 1) & (week <= weeks)
    frame = pd.DataFrame({"rule_id": rows["rule_id"].astype(str).to_numpy()[inside],
                          "week": week[inside].astype(int), "good": good[inside], "decided": decided[inside]})
    counts = frame.groupby(["rule_id", "week"])[["good", "decided"]].sum()
    full = pd.MultiIndex.from_product([ids, range(1, weeks + 1)], names=["rule_id", "week"])
    counts = counts.reindex(full, fill_value=0)
    counts["attainment_pct"] = 100.0 * counts["good"] / counts["decided"].replace(0, np.nan)
    return counts.reset_index()


def rule_week_table(real: EventLog, simulated: list[EventLog], rules: RuleSet, split: Split,
                    replay: EventLog | None = None) -> pd.DataFrame:
    """Rows: rule x week. Real attainment and its count, the simulated interval and median, the verdict; the replay's."""
    base = weekly_attainment(real, rules, split)
    sims = np.column_stack([weekly_attainment(log, rules, split)["attainment_pct"].to_numpy(float)
                            for log in simulated])
    with warnings.catch_warnings():  # a week with nothing due is NaN, as documented
        warnings.simplefilter("ignore", RuntimeWarning)
        low = np.nanpercentile(sims, 2.5, axis=1)
        mid = np.nanpercentile(sims, 50, axis=1)
        high = np.nanpercentile(sims, 97.5, axis=1)
    real_pct = base["attainment_pct"].to_numpy(float)
    verdict = np.where(np.isnan(real_pct) | np.isnan(low), "no verdict",
                       np.where(real_pct > high, "above", np.where(real_pct < low, "below", "inside")))
    starts = [(split.until + pd.Timedelta(days=7 * (w - 1))).tz_convert(split.zone).date().isoformat()
              for w in base["week"]]
    table = pd.DataFrame({
        "rule_id": base["rule_id"], "week": base["week"], "week_start": starts,
        "week_days": [min(7, split.arrival_days - 7 * (w - 1)) for w in base["week"]],
        "real_pct": real_pct, "real_decided": base["decided"].to_numpy(np.int64),
        "sim_low_pct": low, "sim_median_pct": mid, "sim_high_pct": high,
        "sim_replications": np.isfinite(sims).sum(axis=1), "verdict": verdict,
    })
    if replay is not None:
        table["replay_pct"] = weekly_attainment(replay, rules, split)["attainment_pct"].to_numpy(float)
    return table


def verdict_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Per rule id: how many weeks the real attainment fell inside, above and below the interval, or had no verdict."""
    counts = pd.crosstab(table["rule_id"], table["verdict"]).reindex(columns=list(VERDICTS), fill_value=0)
    order = list(dict.fromkeys(table["rule_id"]))
    return counts.reindex(order, fill_value=0).rename_axis(columns=None).reset_index()


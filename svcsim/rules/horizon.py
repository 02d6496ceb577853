"""What a judged horizon can decide: a verdict counts only once its due time has come.

A log judged ``as_of`` the end of a horizon sees every case up to then, but
not every target has fallen due: a ticket logged an hour before the end
whose 4 h clock already stopped is *met early*, while its neighbour still
running is left out, so counting the early ones alone flatters attainment
(and a repeat seen early makes a recurrence look worse). Worst of all, a
target longer than the horizon (``vendor-30d`` in a 28-day run) has only
early successes: it read 100 %.

The rule here is one for every kind: a result row is *due* when its due
time (``due``: the deadline of a duration, the moment of a ladder
milestone, the end of a recurrence window) is at or before ``as_of``.
Attainment is good over decided among the due rows; rows due later are
*not yet due* whatever their status, and a rule with rows but none due is
reported as not yet due, never as a percentage. :func:`horizon_summary`
adds this to a :class:`~svcsim.rules.engine.CheckResult`'s summary; the
engine's own summary (``svcsim check`` on a live export) is unchanged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from svcsim.rules.results import BAD_STATUSES, GOOD_STATUSES

__all__ = ["NOT_YET_DUE", "due_by", "horizon_attainment", "horizon_summary"]

#: How a rule with rows but none due by ``as_of`` is reported.
NOT_YET_DUE = "not yet due"
_UNJUDGED = ("not_applicable", "invalid")


def due_by(results: pd.DataFrame, as_of: pd.Timestamp) -> np.ndarray:
    """Per result row: whether its due time is known and at or before ``as_of``."""
    due = results["due"]
    return (due.notna() & (due <= as_of)).to_numpy()


def horizon_attainment(results: pd.DataFrame, as_of: pd.Timestamp, rule_ids: list[str]) -> pd.DataFrame:
    """Per rule id: ``due`` (decided rows due by ``as_of``), ``good`` among them, ``not_yet_due`` rows, ``attainment_pct``.

    ``attainment_pct`` is 100 x good / due, NaN when no row is due; ``verdict``
    is :data:`NOT_YET_DUE` when rows exist but none is due, else empty.
    """
    status = results["status"].astype(str)
    judged = ~status.isin(_UNJUDGED).to_numpy()
    due = due_by(results, as_of)
    good = status.isin(GOOD_STATUSES).to_numpy() & due
    decided = (good | status.isin(BAD_STATUSES).to_numpy()) & due
    later = judged & ~due
    rule = results["rule_id"].astype(str).to_numpy()
    counts = (pd.DataFrame({"due": decided, "good": good, "not_yet_due": later, "judged": judged})
              .groupby(rule).sum().reindex(rule_ids, fill_value=0).astype(np.int64))
    counts["attainment_pct"] = (100.0 * counts["good"] / counts["due"].replace(0, np.nan)).round(2)
    counts["verdict"] = np.where((counts["due"] == 0) & (counts["not_yet_due"] > 0), NOT_YET_DUE, "")
    counts.index.name = "rule_id"
    return counts.drop(columns="judged")


def horizon_summary(summary: pd.DataFrame, results: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """The engine's per-rule ``summary`` with attainment counted over due rows only.

    ``attainment_pct`` and ``decided`` are replaced by their due-only values
    (:func:`horizon_attainment`); ``not_yet_due`` and ``verdict`` are added.
    The status counts are the engine's, unchanged.
    """
    horizon = horizon_attainment(results, as_of, summary["rule_id"].astype(str).tolist())
    out = summary.copy()
    keyed = horizon.reindex(out["rule_id"].astype(str))
    out["decided"] = keyed["due"].to_numpy()
    out["not_yet_due"] = keyed["not_yet_due"].to_numpy()
    out["attainment_pct"] = keyed["attainment_pct"].to_numpy()
    out["verdict"] = keyed["verdict"].to_numpy()
    return out

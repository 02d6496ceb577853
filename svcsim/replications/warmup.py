"""Choosing a warm-up: MSER-5 on a time series of an output.

A run starts empty and idle, which is not how the center looks on an
ordinary day; the first days' waits are too short. MSER-5 (White 1997;
Franklin and White 2008) picks the truncation point ``d`` that minimises the
squared standard error of the mean of what is left: batch the series into
means of 5, and over ``d`` in the first half choose the one minimising
``sum((Y_i - mean(Y_d..))**2) / (n - d)**2``. Truncating more removes bias
but costs data; the statistic balances the two.

How to use it: run a few (5-10) long cold replications
(``simulate(..., warmup_days=0)``), measure a slow-to-settle
output per day or per hour (:func:`daily_series` gives the mean of a clock per
day of case start), average the series across replications, and give the
average to :func:`suggest_warmup`. Round the answer up to whole days and
use it as the scenario's ``[run] warmup_days`` (or ``warmup=``, simulated
before the horizon and never judged); if MSER-5 picks a point in the second half of the
series, the run is too short to settle: run longer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["daily_series", "mser", "suggest_warmup"]

BATCH = 5


def mser(values: np.ndarray, batch: int = BATCH) -> np.ndarray:
    """The MSER statistic for truncating 0, 1, ... batches (the first half of the batches)."""
    data = np.asarray(values, dtype=float)
    data = data[np.isfinite(data)]
    batches = len(data) // batch
    if batches < 2:
        return np.array([0.0])
    means = data[: batches * batch].reshape(batches, batch).mean(axis=1)
    out = np.empty(batches // 2 + 1)
    for d in range(len(out)):
        tail = means[d:]
        out[d] = float(((tail - tail.mean()) ** 2).sum()) / len(tail) ** 2
    return out


def suggest_warmup(series: pd.Series | np.ndarray, batch: int = BATCH):  # noqa: ANN201
    """The MSER-5 truncation point of ``series``: where the steady part begins.

    For a pandas Series the answer is the index label of the first kept
    observation (a day number, a timestamp...); for an array, the number of
    observations to drop. NaNs are dropped first.
    """
    if isinstance(series, pd.Series):
        clean = series.dropna()
        statistic = mser(clean.to_numpy(dtype=float), batch)
        drop = int(np.argmin(statistic)) * batch
        return clean.index[min(drop, len(clean) - 1)] if len(clean) else None
    statistic = mser(np.asarray(series, dtype=float), batch)
    return int(np.argmin(statistic)) * batch


def daily_series(run, metric: str = "answer_wait") -> pd.Series:  # noqa: ANN001
    """The mean of a clock per day of the run (day 0, 1, ...), by the day its case started.

    ``metric`` is ``"answer_wait"`` (call received -> call answered) or the
    id of a duration rule (its clock on the rule's basis), in hours.
    """
    events = run.events
    day0 = run.start
    if metric == "answer_wait":
        wanted = events[events["activity"].isin(["call_received", "call_answered"])]
        firsts = (wanted.assign(case_id=wanted["case_id"].astype(str), activity=wanted["activity"].astype(str))
                  .groupby(["case_id", "activity"])["timestamp"].min().unstack())
        if "call_answered" not in firsts:
            return pd.Series(dtype=float)
        hours = (firsts["call_answered"] - firsts["call_received"]).dt.total_seconds() / 3600.0
        started = firsts["call_received"]
    else:
        results = run.check().results
        part = results[(results["rule_id"].astype(str) == metric) & results["status"].astype(str).isin(["met", "breached"])]
        clock = part["business_elapsed"].where(part["basis"].astype(str) == "calendar", part["elapsed"])
        hours, started = clock.dt.total_seconds() / 3600.0, part["start"]
    day = ((started - day0) // pd.Timedelta(days=1)).astype("Int64")
    frame = pd.DataFrame({"day": day.to_numpy(), "hours": hours.to_numpy(dtype=float)}).dropna()
    series = frame.groupby("day")["hours"].mean()
    series.index = series.index.astype(int)
    return series.reindex(range(int(run.days)))

"""Queue lengths over the horizon and by hour of day, from a run's event log.

A queue is a set of waiting intervals, each from the event that puts a case
in the queue to the first event of the same case that takes it out:

=================  ===================================  ======================================
``queue``          enters with                          leaves with
=================  ===================================  ======================================
``on_hold``        ``call_received``                    ``call_answered`` or ``call_abandoned``
``dispatch``       ``ticket_logged`` of a field job     ``dispatched``, ``cancelled`` or ``closed``
``admin_desk``     ``unit_received``                    ``warranty_checked``
``bench``          ``warranty_checked`` (or             ``repair_started``
                   ``unit_received`` of a unit whose
                   warranty is never checked)
=================  ===================================  ======================================

A field job is a ticket whose case is not a carried-in or mailed-in unit
(the cases table's ``kind``, when given, is not ``carry_in`` or ``mail_in``,
and the case has no ``unit_received``): a unit goes to the bench, not to
dispatch. A case still waiting at the end of the period waits until then. The mean
number waiting in an hour is the waiting time inside that hour over 60
minutes, computed exactly as staff busy is (:mod:`svcsim.report.busy`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from svcsim.report.busy import hourly_busy

__all__ = ["BENCH_KINDS", "QUEUES", "hourly_queues", "queue_peaks", "queues_by_day", "queues_by_hour", "waiting_intervals"]

#: Each queue's id and what a manager calls it.
QUEUES = {"on_hold": "callers on hold", "dispatch": "field jobs waiting for dispatch",
          "admin_desk": "units at the administrators' desk", "bench": "units waiting on the bench"}


def _pairs(events: pd.DataFrame, enters: pd.Series, leaves: tuple[str, ...]) -> pd.DataFrame:
    """Each entering event with the time of its case's first leaving event at or after it (NaT if none)."""
    left = events.loc[enters, ["case_id", "timestamp"]].sort_values("timestamp", kind="stable")
    right = events.loc[events["activity"].isin(leaves), ["case_id", "timestamp"]].sort_values("timestamp", kind="stable")
    right = right.rename(columns={"timestamp": "left_at"})
    if left.empty:
        return pd.DataFrame({"start": pd.Series([], dtype=events["timestamp"].dtype),
                             "end": pd.Series([], dtype=events["timestamp"].dtype)})
    merged = pd.merge_asof(left, right, left_on="timestamp", right_on="left_at", by="case_id",
                           direction="forward", allow_exact_matches=True)
    return pd.DataFrame({"start": merged["timestamp"].to_numpy(), "end": merged["left_at"].to_numpy()})


#: Case kinds whose ticket brings a unit to the bench instead of an engineer to the customer.
BENCH_KINDS = ("carry_in", "mail_in")


def waiting_intervals(events: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp,
                      cases: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per waiting case: ``queue``, ``start`` and ``end`` in minutes since ``start``, clipped to the period.

    ``cases`` (with ``case_id`` and ``kind``), when given, tells the units' tickets from the field jobs.
    """
    events = events[["case_id", "activity", "timestamp"]].assign(case_id=events["case_id"].astype(str),
                                                                 activity=events["activity"].astype(str))
    activity = events["activity"]
    checked = set(events.loc[activity == "warranty_checked", "case_id"])
    units = set(events.loc[activity == "unit_received", "case_id"])
    if cases is not None and "kind" in cases:
        units |= set(cases.loc[cases["kind"].astype(str).isin(BENCH_KINDS), "case_id"].astype(str))
    enters = {
        "on_hold": (activity == "call_received", ("call_answered", "call_abandoned")),
        "dispatch": ((activity == "ticket_logged") & ~events["case_id"].isin(units), ("dispatched", "cancelled", "closed")),
        "admin_desk": (activity == "unit_received", ("warranty_checked",)),
        "bench": ((activity == "warranty_checked") | ((activity == "unit_received") & ~events["case_id"].isin(checked)),
                  ("repair_started",)),
    }
    horizon = (end - start).total_seconds() / 60.0
    frames = []
    for queue, (mask, leaves) in enters.items():
        pairs = _pairs(events, mask, leaves)
        began = (pairs["start"] - start).dt.total_seconds().to_numpy() / 60.0
        ended = ((pairs["end"] - start).dt.total_seconds() / 60.0).fillna(horizon).to_numpy()
        began, ended = np.clip(began, 0.0, horizon), np.clip(ended, 0.0, horizon)
        keep = ended > began
        frames.append(pd.DataFrame({"queue": queue, "start": began[keep], "end": ended[keep]}))
    return pd.concat(frames, ignore_index=True)


def hourly_queues(intervals: pd.DataFrame, days: int) -> pd.DataFrame:
    """Per queue and hour of the period (``hour`` from 0): ``waiting``, the mean number waiting in that hour.

    Every queue of :data:`QUEUES` has its rows, zero where nobody waited.
    """
    hourly = hourly_busy(intervals.rename(columns={"queue": "role"}), days).rename(
        columns={"role": "queue", "busy_staff": "waiting"})
    hourly["waiting"] = hourly["waiting"].clip(lower=0.0)  # the prefix sums' rounding, not a negative queue
    grid = pd.MultiIndex.from_product([list(QUEUES), np.arange(days * 24)], names=["queue", "hour"])
    return hourly.set_index(["queue", "hour"]).reindex(grid, fill_value=0.0).reset_index()


def queues_by_day(hourly: pd.DataFrame) -> pd.DataFrame:
    """Per queue and day of the period (``day`` from 1): the mean number waiting over the day's 24 hours."""
    frame = hourly.assign(day=hourly["hour"] // 24 + 1)
    return frame.groupby(["queue", "day"], sort=False)["waiting"].mean().reset_index()


def queues_by_hour(hourly: pd.DataFrame, start_hour: int) -> pd.DataFrame:
    """Per queue and local hour of day (0-23): the mean number waiting at that hour over the period."""
    frame = hourly.assign(hour_of_day=(hourly["hour"] + start_hour) % 24)
    return frame.groupby(["queue", "hour_of_day"], sort=False)["waiting"].mean().reset_index()


def queue_peaks(by_hour: pd.DataFrame) -> pd.DataFrame:
    """Per queue: ``label``, ``mean_waiting`` over the day, ``busiest_hour`` of day and ``busiest_waiting`` then."""
    grouped = by_hour.groupby("queue", sort=False)["waiting"]
    peak = by_hour.loc[grouped.idxmax()] if len(by_hour) else by_hour
    queues = peak["queue"].astype(str).to_numpy()
    return pd.DataFrame({"queue": queues, "label": [QUEUES.get(q, q) for q in queues],
                         "mean_waiting": grouped.mean().reindex(queues).to_numpy(),
                         "busiest_hour": peak["hour_of_day"].astype(np.int64).to_numpy(),
                         "busiest_waiting": peak["waiting"].to_numpy()})

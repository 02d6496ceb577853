"""The judged window of a run that started warm: what is kept, and on which clock.

A run with ``warmup_days`` simulates that many days before the scenario's
``start`` and then its horizon; only the horizon is judged. The rule is one
for every table of the :class:`~svcsim.simulation.run.Run`:

* the event log keeps the cases whose **first event** is at or after the
  judged start, with all their events (a ticket logged in the warm-up and
  completed in the window belongs to the warm-up); so the rule check,
  ``--out``, the stock table and the monthly KPIs all see the same cases.
  A case keeps its ``parent_id`` when the parent began in the warm-up (a
  repeat of a warm-up job, the defective part of one): the reference then
  names a case that is not in the log, as in a live export's window;
* busy records, on-duty intervals and the stock trace are moved onto the
  judged clock (minute 0 = the judged start): busy records that ended in the
  warm-up are dropped, intervals cut at 0, the trace keeps its warm-up rows
  at negative minutes (so the levels at the judged start are known);
* utilisation is busy over on-duty time inside the judged window.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from svcsim.eventlog import EventLog
from svcsim.simulation.utilisation import DutyGroups

__all__ = ["judged_busy", "judged_duty", "judged_groups", "judged_log", "judged_trace"]


def judged_log(log: EventLog, since: pd.Timestamp) -> EventLog:
    """The cases of ``log`` whose first event is at or after ``since``, with all their events."""
    events = log.events
    first = events.groupby("case_id", observed=True, sort=False)["timestamp"].min()
    kept = first.index[(first >= since).to_numpy()]
    mask = events["case_id"].isin(kept).to_numpy()
    kept_events = events.loc[mask].reset_index(drop=True)
    kept_events["case_id"] = kept_events["case_id"].cat.remove_unused_categories()
    cases = log.cases
    kept_cases = cases.loc[cases["case_id"].isin(kept).to_numpy()].reset_index(drop=True)
    return EventLog(events=kept_events, cases=kept_cases)


def judged_busy(busy: pd.DataFrame, begin: float) -> pd.DataFrame:
    """Busy records on the judged clock: shifted by ``begin`` minutes, those over before it dropped."""
    out = busy.loc[busy["end"].to_numpy(float) > begin].reset_index(drop=True)
    out["start"] = out["start"] - begin
    out["end"] = out["end"] - begin
    return out


def _cut(intervals: list[tuple[float, float]], begin: float) -> list[tuple[float, float]]:
    return [(max(on, begin) - begin, off - begin) for on, off in intervals if off > begin]


def judged_duty(duty: dict[str, list[tuple[float, float]]], begin: float) -> dict[str, list[tuple[float, float]]]:
    """On-duty intervals per role on the judged clock (cut at 0)."""
    return {role: _cut(intervals, begin) for role, intervals in duty.items()}


def judged_groups(groups: DutyGroups, begin: float) -> DutyGroups:
    """Each role's shift groups on the judged clock (intervals cut at 0)."""
    return {role: [(count, _cut(intervals, begin)) for count, intervals in parts] for role, parts in groups.items()}


def judged_trace(trace: pd.DataFrame | None, begin: float) -> pd.DataFrame | None:
    """The stock trace on the judged clock: warm-up rows kept, at negative minutes."""
    if trace is None:
        return None
    out = trace.copy()
    out["minute"] = out["minute"].to_numpy(np.float64) - begin
    return out

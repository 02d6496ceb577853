"""Two naive forecasts of the held-out period, so a backtest shows what the model adds.

Both use only what was known at the split (the events before it), like the model.

* :func:`replay_last_weeks`: the last whole weeks of training, every event
  moved forward by those weeks (so each keeps its weekday and hour of day),
  as the held-out period's log. ``weeks = ceil(held-out arrival days / 7)`` when
  training has that many whole weeks; when it has fewer, the weeks it has
  are repeated end to end. The cases replayed are cut at the split (events
  after it were not known then); within a repeated block the last ones are
  therefore shorter than they were.
* :func:`draw_cycle_times`: the held-out log's **real arrivals** (each case's
  first event), each with a cycle time drawn at random from the training
  cases' cycle times as seen at the split, and cut at the held-out end as the
  real log is. It is given the arrivals on purpose: it isolates the cycle
  time, so its arrival distance is 0 by construction and it has no events in
  between (no circadian distance, no rule attainment). Its draws come from
  the named stream ``backtest_cycle_times``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from svcsim.backtesting.distances import cycle_times_hours
from svcsim.backtesting.split import Split, case_starts, cut
from svcsim.eventlog import EventLog
from svcsim.streams import rng

__all__ = ["draw_cycle_times", "replay_last_weeks", "replay_weeks"]

_WEEK = pd.Timedelta(days=7)


def replay_weeks(train: EventLog, split: Split) -> int:
    """How many whole weeks the replay takes from the end of training (0: training is shorter than a week).

    Training's length counts from the local midnight of the day its first case started.
    """
    first_day = split.first_start.tz_convert(split.zone).normalize()
    had = int((split.until - first_day) // _WEEK)
    return min(math.ceil(split.arrival_days / 7), had)


def replay_last_weeks(train: EventLog, split: Split) -> EventLog | None:
    """The last :func:`replay_weeks` weeks of ``train`` (events before the split) replayed over the held-out period.

    None when training has no whole week.
    """
    weeks = replay_weeks(train, split)
    if weeks == 0:
        return None
    block = weeks * _WEEK
    source = cut(train, split.until - block, split.until)
    starts = case_starts(source)
    parts, case_parts = [], []
    repeats = math.ceil((split.arrivals_end - split.until) / block)
    for k in range(1, repeats + 1):
        shift = k * block
        events = source.events.copy()
        events["case_id"] = f"r{k}:" + events["case_id"].astype(str)
        events["timestamp"] = events["timestamp"] + shift
        cases = source.cases.copy()
        cases["case_id"] = f"r{k}:" + cases["case_id"].astype(str)
        if "parent_id" in cases:  # a replayed repeat or item points at its replayed parent
            parent = cases["parent_id"].astype(object)
            cases["parent_id"] = parent.where(parent.isna(), f"r{k}:" + parent.astype(str))
        keep = ((starts + shift) < split.arrivals_end).reindex(source.events["case_id"]).to_numpy()
        parts.append(events.loc[keep & (events["timestamp"] < split.end).to_numpy()])
        case_parts.append(cases)
    events = pd.concat(parts, ignore_index=True)
    kept = set(events["case_id"].unique())
    cases = pd.concat(case_parts, ignore_index=True)
    cases = cases.loc[cases["case_id"].isin(kept)].reset_index(drop=True)
    return EventLog.from_frames(_plain(events), cases)


def draw_cycle_times(train: EventLog, held_out: EventLog, split: Split, *, seed: int = 0,
                     replication: int = 0) -> EventLog:
    """The held-out cases' real arrivals, each with a training cycle time drawn at random (two events a case)."""
    pool = cycle_times_hours(train)
    starts = case_starts(held_out)
    generator = rng("backtest_cycle_times", seed, replication)
    drawn = generator.choice(pool, size=len(starts), replace=True) if len(pool) else np.zeros(len(starts))
    arrival = starts.to_numpy(dtype="datetime64[ns]").view(np.int64)
    end = int(split.end.value) - 1
    last = np.minimum(arrival + np.round(drawn * 3_600e9).astype(np.int64), end)
    ids = np.asarray(starts.index.astype(str), dtype=object)
    events = pd.DataFrame({
        "case_id": np.concatenate([ids, ids]),
        "activity": ["case_started"] * len(ids) + ["case_ended"] * len(ids),
        "timestamp": pd.to_datetime(np.concatenate([arrival, last]), unit="ns", utc=True),
        "seq": np.concatenate([np.zeros(len(ids), np.int64), np.ones(len(ids), np.int64)]),
    })
    return EventLog.from_frames(events)


def _plain(events: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns as plain values, so concatenated blocks normalise afresh."""
    out = events.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.CategoricalDtype):
            out[column] = out[column].astype(object)
    return out

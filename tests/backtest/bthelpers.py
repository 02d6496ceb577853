"""Little logs for the backtest tests: cases as (case id, local times of their events)."""

from __future__ import annotations

import pandas as pd

from svcsim.eventlog import EventLog

ZONE = "Asia/Shanghai"


def log_of(cases: dict[str, list[str]]) -> EventLog:
    """An EventLog whose case ``id`` has one event at each local time listed (activity ``noted``)."""
    rows = [(case, "noted", pd.Timestamp(t, tz=ZONE)) for case, times in cases.items() for t in times]
    return EventLog.from_frames(pd.DataFrame(rows, columns=["case_id", "activity", "timestamp"]))


def package_frame(log: EventLog, zone: str = ZONE) -> pd.DataFrame:
    """The log as log-distance-measures reads it: one row per event, start = end = the event's moment (local)."""
    local = log.events["timestamp"].dt.tz_convert(zone).reset_index(drop=True)
    return pd.DataFrame({"case": log.events["case_id"].astype(str).to_numpy(), "activity": "noted",
                         "start_timestamp": local, "end_timestamp": local})

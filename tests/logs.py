"""Little hand-written logs for tests: a story per case, in local service-center time."""

from __future__ import annotations

import pandas as pd

from svcsim.eventlog import EventLog

ZONE = "Asia/Shanghai"


def local(text: str) -> pd.Timestamp:
    """A moment in the service center's zone, e.g. ``local("2026-03-02 09:00")``."""
    return pd.Timestamp(text, tz=ZONE)


def make_log(events: list[tuple[str, str, str]], cases: dict[str, dict] | None = None) -> EventLog:
    """An EventLog from (case_id, activity, local time) triples and case attributes by case id."""
    frame = pd.DataFrame(events, columns=["case_id", "activity", "timestamp"])
    frame["timestamp"] = frame["timestamp"].map(local)
    table = None
    if cases:
        table = pd.DataFrame([{"case_id": k, **v} for k, v in cases.items()])
    return EventLog.from_frames(frame, table)

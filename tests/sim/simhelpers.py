"""Small helpers for the simulation tests: times of events per case, from the log only."""

from __future__ import annotations

import pandas as pd


def first_times(events: pd.DataFrame) -> pd.DataFrame:
    """One row per case, one column per activity: the first time it happened (NaT if never)."""
    frame = events[["case_id", "activity", "timestamp"]].copy()
    frame["case_id"] = frame["case_id"].astype(str)
    frame["activity"] = frame["activity"].astype(str)
    return frame.groupby(["case_id", "activity"])["timestamp"].min().unstack()


def hours(delta: pd.Series) -> pd.Series:
    """A Timedelta column in hours."""
    return delta.dt.total_seconds() / 3600.0

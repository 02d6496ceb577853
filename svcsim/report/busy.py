"""Staff busy over the horizon and by hour of day, from a run's busy records.

A run's ``busy`` table has one row per stretch of work (``role``, ``start``,
``end`` in minutes since the run's start). The integral of "how many of a
role are busy" up to a moment ``t`` is the sum over stretches of
``min(t, end) - min(t, start)``; evaluated on a grid of hours it is exact
(no sampling), vectorised with sorted starts and ends and their prefix sums.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["busy_by_day", "busy_by_hour", "hourly_busy"]


def _integral(starts: np.ndarray, ends: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Busy-minutes accumulated up to each grid moment."""
    def part(points: np.ndarray) -> np.ndarray:
        points = np.sort(points)
        prefix = np.concatenate([[0.0], np.cumsum(points)])
        k = np.searchsorted(points, grid, side="right")
        return grid * k - prefix[k]
    return part(starts) - part(ends)


def hourly_busy(busy: pd.DataFrame, days: int) -> pd.DataFrame:
    """Per role and hour of the horizon (``hour`` from 0): ``busy_staff``, the mean number of that role at work."""
    grid = np.arange(0, days * 24 + 1, dtype=float) * 60.0
    frames = []
    for role, rows in busy.groupby("role", sort=False, observed=True):
        total = _integral(rows["start"].to_numpy(float), rows["end"].to_numpy(float), grid)
        frames.append(pd.DataFrame({"role": str(role), "hour": np.arange(days * 24), "busy_staff": np.diff(total) / 60.0}))
    if not frames:
        return pd.DataFrame({"role": pd.Series([], dtype=object), "hour": [], "busy_staff": []})
    return pd.concat(frames, ignore_index=True)


def busy_by_day(hourly: pd.DataFrame) -> pd.DataFrame:
    """Per role and day of the horizon (``day`` from 1): mean staff busy over the day's 24 hours."""
    frame = hourly.assign(day=hourly["hour"] // 24 + 1)
    return frame.groupby(["role", "day"], sort=False)["busy_staff"].mean().reset_index()


def busy_by_hour(hourly: pd.DataFrame, start_hour: int) -> pd.DataFrame:
    """Per role and hour of the local day (0-23): mean staff busy at that hour over the horizon.

    ``start_hour`` is the local hour of day the run starts at (hour 0 of the horizon).
    """
    frame = hourly.assign(hour_of_day=(hourly["hour"] + start_hour) % 24)
    return frame.groupby(["role", "hour_of_day"], sort=False)["busy_staff"].mean().reset_index()

"""Between pandas columns (tz-aware timestamps, timedeltas) and int64 nanoseconds.

The calendar computes on UTC epoch nanoseconds; users hold pandas Series.
Naive timestamps are refused: no time zone is silently assumed.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from svcsim.errors import InputError

__all__ = ["utc_ns", "duration_ns", "ns_to_local"]


def _aware(value: object) -> bool:
    return isinstance(value, dt.datetime) and value.tzinfo is not None


def utc_ns(values: object, *, what: str) -> tuple[np.ndarray, pd.Index]:
    """UTC epoch ns (NaT as int64 min) of tz-aware timestamps, and the index to report on."""
    index = values.index if isinstance(values, pd.Series) else None
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if index is None:
        index = pd.RangeIndex(len(series))
    if not isinstance(series.dtype, pd.DatetimeTZDtype):
        present = series.dropna()
        if series.dtype != object or not all(_aware(v) for v in present):
            raise InputError(
                f"{what} timestamps have no time zone (dtype {series.dtype})",
                expected="tz-aware timestamps; no time zone is assumed",
            )
        series = pd.to_datetime(series, utc=True)
    stamps = pd.DatetimeIndex(series).tz_convert("UTC").as_unit("ns")
    return np.asarray(stamps.asi8, dtype=np.int64), index


def duration_ns(duration: object, n: int) -> np.ndarray:
    """Nanoseconds of one timedelta (repeated ``n`` times) or of a column of them."""
    if isinstance(duration, (pd.Series, pd.Index, np.ndarray, list, tuple)):
        deltas = pd.TimedeltaIndex(pd.to_timedelta(np.asarray(duration))).as_unit("ns")
        if len(deltas) != n:
            raise InputError(f"{len(deltas)} durations for {n} starts",
                             expected="one duration, or one per start")
        return np.asarray(deltas.asi8, dtype=np.int64)
    if isinstance(duration, (int, float)) and not isinstance(duration, bool):
        raise InputError(f"duration {duration!r} has no unit",
                         expected="a timedelta such as pd.Timedelta(hours=4)")
    value = pd.Timedelta(duration)
    single = np.iinfo(np.int64).min if value is pd.NaT else value.as_unit("ns").value
    return np.full(n, single, dtype=np.int64)


def ns_to_local(t_ns: np.ndarray, timezone: str) -> pd.DatetimeIndex:
    """Timestamps in ``timezone`` from UTC epoch ns (``NAT_NS`` becomes NaT)."""
    stamps = pd.DatetimeIndex(np.asarray(t_ns, dtype=np.int64).view("datetime64[ns]"))
    return stamps.tz_localize("UTC").tz_convert(timezone)

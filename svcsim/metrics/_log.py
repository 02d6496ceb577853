"""Small readers of an event log shared by the metrics: what the log records, its events up to ``as_of``, its months.

A metric never assumes a column or an activity a live log may lack. It asks
:func:`missing` first; the answer is either ``None`` (everything is there) or
one sentence saying what is missing, which the caller reports as the reason
the KPI was skipped.

*Recorded* means the log knows the activity: it is among the categories of
the ``activity`` column (a simulated log carries the whole vocabulary, so an
activity that never happened counts zero) or, for a plain column, among its
values. A column is *present* when it exists and has at least one value (a
categorical column also when it declares categories: a simulated log knows its
SKUs before any is issued).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from svcsim.eventlog.log import EventLog
from svcsim.eventlog.time import to_as_of_ns

__all__ = [
    "DEFAULT_ZONE",
    "Window",
    "as_of_stamp",
    "case_attribute",
    "events_until",
    "has_values",
    "local_month_codes",
    "missing",
    "month_table",
    "ordered",
    "recorded_activities",
]

DEFAULT_ZONE = "Asia/Shanghai"


def recorded_activities(log: EventLog) -> set[str]:
    """The activities the log knows (categories of a categorical column, else the values present)."""
    act = log.events["activity"]
    if isinstance(act.dtype, pd.CategoricalDtype):
        return {str(c) for c in act.cat.categories}
    return {str(a) for a in pd.unique(act.dropna())}


def has_values(frame: pd.DataFrame, column: str) -> bool:
    """Whether ``frame`` has ``column`` with a value, or as a categorical that declares its categories."""
    if column not in frame.columns:
        return False
    col = frame[column]
    return bool(col.notna().any()) or (isinstance(col.dtype, pd.CategoricalDtype) and len(col.cat.categories) > 0)


def case_attribute(log: EventLog, name: str) -> pd.Series | None:
    """A case attribute by case id (text), from the cases table, else from the events (a flat log keeps
    ``part`` and ``item_kind`` on its rows): the first value of each case. ``None`` when neither has it."""
    if has_values(log.cases, name):
        cases = log.cases
        return pd.Series(cases[name].astype(object).to_numpy(), index=cases["case_id"].astype(str).to_numpy(), name=name)
    if has_values(log.events, name):
        ev = log.events.loc[log.events[name].notna(), ["case_id", name]]
        first = ev.assign(case_id=ev["case_id"].astype(str)).drop_duplicates("case_id")
        return pd.Series(first[name].astype(object).to_numpy(), index=first["case_id"].to_numpy(), name=name)
    return None


def missing(
    log: EventLog,
    *,
    activities: Iterable[str] = (),
    event_columns: Iterable[str] = (),
    case_columns: Iterable[str] = (),
    attributes: Iterable[str] = (),
) -> str | None:
    """``None`` when the log has everything listed, else one sentence naming what it lacks.

    ``case_columns`` must be in the cases table (the rule engine reads them
    there); ``attributes`` may also sit on the event rows of a flat log.
    """
    known = recorded_activities(log)
    lacks: list[str] = []
    absent = [a for a in activities if a not in known]
    if absent:
        lacks.append(f"no {', '.join(absent)} event{'s' if len(absent) > 1 else ''} recorded")
    cols = [c for c in event_columns if not has_values(log.events, c)]
    if cols:
        lacks.append(f"no {', '.join(cols)} column in the events table")
    cols = [c for c in case_columns if not has_values(log.cases, c)]
    cols += [c for c in attributes if case_attribute(log, c) is None]
    if cols:
        lacks.append(f"no {', '.join(cols)} column in the cases table")
    return "; ".join(lacks) if lacks else None


def as_of_stamp(log: EventLog, as_of: object) -> pd.Timestamp:
    """``as_of`` as a UTC timestamp (aware input required); ``None`` is the last event of the log."""
    ns = to_as_of_ns(as_of)  # type: ignore[arg-type]
    if ns is None:
        ts = log.events["timestamp"]
        return ts.max() if len(ts) else pd.Timestamp(0, tz="UTC")
    return pd.Timestamp(ns, unit="ns", tz="UTC")


def events_until(log: EventLog, as_of: pd.Timestamp) -> pd.DataFrame:
    """The events at or before ``as_of`` (later ones are not known yet), with a stable row number ``_row``."""
    events = log.events
    keep = (events["timestamp"] <= as_of).to_numpy()
    out = events.loc[keep].copy()
    out["_row"] = np.flatnonzero(keep)
    return out


def ordered(events: pd.DataFrame) -> pd.DataFrame:
    """Events sorted by case, time, ``seq`` (when present) and row: the order of narration."""
    keys = ["case_id", "timestamp"] + (["seq"] if "seq" in events.columns else []) + ["_row"]
    frame = events.assign(case_id=events["case_id"].astype(str)) if isinstance(events["case_id"].dtype, pd.CategoricalDtype) else events
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


def local_month_codes(ts: pd.Series, zone: str) -> np.ndarray:
    """Per timestamp: its calendar month in ``zone`` as ``year * 12 + month - 1`` (int64); -1 for NaT.

    NaT (an invalid case's row has no start) falls on no month: -1 matches none
    in :func:`~svcsim.metrics._rows.counts_by_month`. Casting its NaN year to
    int64 gave an arbitrary number and a RuntimeWarning.
    """
    local = ts.dt.tz_convert(zone)
    known = local.notna().to_numpy()
    year = local.dt.year.to_numpy(dtype=np.float64, na_value=np.nan)
    month = local.dt.month.to_numpy(dtype=np.float64, na_value=np.nan)
    if known.all():
        return year.astype(np.int64) * 12 + month.astype(np.int64) - 1
    codes = np.full(len(local), -1, dtype=np.int64)
    codes[known] = year[known].astype(np.int64) * 12 + month[known].astype(np.int64) - 1
    return codes


def _month_start(code: int, zone: str) -> pd.Timestamp:
    year, month = divmod(code, 12)
    return pd.Timestamp(year=year, month=month + 1, day=1, tz=zone)


@dataclass(frozen=True)
class Window:
    """What the log observes: from its first event to ``as_of``, in a zone."""

    start: pd.Timestamp  # first event (UTC)
    as_of: pd.Timestamp  # UTC
    zone: str

    @property
    def days(self) -> float:
        return max((self.as_of - self.start) / pd.Timedelta(days=1), 0.0)


def month_table(window: Window, months: Iterable[object] | None = None) -> pd.DataFrame:
    """One row per calendar month (in the window's zone) from the first event's month to ``as_of``'s.

    Columns: ``code`` (``year * 12 + month - 1``), ``month`` ("YYYY-MM"),
    ``month_start`` and ``month_end`` (local, aware; the end is the next
    month's start), ``observed_days`` (the part of the month inside the
    window) and ``partial`` (the window does not cover the whole month).
    ``months`` ("YYYY-MM" texts or ``pd.Period``) keeps only those months. A
    month the window does not reach into (``as_of`` exactly at its first
    midnight) is left out.
    """
    first = int(local_month_codes(pd.Series([window.start]), window.zone)[0])
    last = int(local_month_codes(pd.Series([window.as_of]), window.zone)[0])
    codes = np.arange(first, last + 1, dtype=np.int64)
    if months is not None:
        wanted = {str(pd.Period(str(m), freq="M")) for m in months}
        codes = np.array([c for c in codes if f"{c // 12:04d}-{c % 12 + 1:02d}" in wanted], dtype=np.int64)
    starts = [_month_start(int(c), window.zone) for c in codes]
    ends = [_month_start(int(c) + 1, window.zone) for c in codes]
    seen_from = [max(s, window.start) for s in starts]
    seen_to = [min(e, window.as_of) for e in ends]
    observed = [max((b - a) / pd.Timedelta(days=1), 0.0) for a, b in zip(seen_from, seen_to, strict=True)]
    partial = [bool(a > s or b < e) for a, b, s, e in zip(seen_from, seen_to, starts, ends, strict=True)]
    table = pd.DataFrame(
        {
            "code": codes,
            "month": [f"{c // 12:04d}-{c % 12 + 1:02d}" for c in codes],
            "month_start": pd.Series(starts, dtype=f"datetime64[ns, {window.zone}]"),
            "month_end": pd.Series(ends, dtype=f"datetime64[ns, {window.zone}]"),
            "observed_days": np.asarray(observed, dtype=float),
            "partial": np.asarray(partial, dtype=bool),
        }
    )
    seen = table["observed_days"] > 0  # as_of at a month's first midnight adds no month
    return table[seen].reset_index(drop=True) if seen.any() else table

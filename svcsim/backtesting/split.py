"""Where a backtest cuts a log: training before a local midnight, whole held-out days after it.

A case belongs to the part in which it **started** (its first event). The
split is a local midnight in the center's zone, so the simulated held-out
period can start there (a scenario starts at a local midnight). Two moments
close the held-out period:

* ``end``, the last midnight at or before the log's last event: the real
  and the simulated logs are both observed (and judged) up to it;
* ``arrivals_end``: cases are compared when they start before it. It is
  ``end``, unless no case started in the log's last :data:`QUIET_DAYS`
  days: then the export stopped taking new cases (the UCI incident log:
  incidents opened over four months, their updates for ten more), and it is
  the midnight after the day the last case started. The simulation goes on
  generating calls, so comparing arrivals past the export's last one would
  compare nothing with something; a shorter quiet end (a weekend, a
  holiday) is the center's own, and the model is held to it.

Cases that *straddle* the split (started before it, with events after it)
are training cases cut at the split: the fitter sees their events before it
only (so they are right-censored there), and the held-out comparison leaves
them out, as it leaves out the simulation's own cases from its warm-up. Only
cases that start in the held-out period are compared, in both logs.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from svcsim.errors import InputError
from svcsim.eventlog import EventLog

__all__ = ["QUIET_DAYS", "Split", "case_starts", "cut", "share_split", "split_at"]

#: A log whose last case started more than this many days before its last midnight stopped taking new cases there.
QUIET_DAYS = 7


@dataclass(frozen=True)
class Split:
    """A backtest's cut of a log: ``until`` (the split, UTC), ``end`` (observed up to, UTC), ``days`` apart.

    Held-out cases start in ``[until, arrivals_end)``, ``arrival_days`` whole
    days. ``zone`` is the center's zone the split is a midnight of;
    ``straddling`` counts the cases that started before ``until`` and have
    events at or after it.
    """

    until: pd.Timestamp
    end: pd.Timestamp
    days: int
    arrivals_end: pd.Timestamp
    arrival_days: int
    zone: str
    first_start: pd.Timestamp
    last_event: pd.Timestamp
    train_cases: int
    held_out_cases: int
    straddling: int

    @property
    def date(self) -> dt.date:
        """The split's date in the center's zone (the held-out scenario's ``start``)."""
        return self.until.tz_convert(self.zone).date()


def case_starts(log: EventLog) -> pd.Series:
    """Each case's first event (UTC), indexed by case id."""
    events = log.events
    return events.groupby("case_id", observed=True, sort=False)["timestamp"].min()


def cut(log: EventLog, start: pd.Timestamp | None, end: pd.Timestamp | None, *,
        observed_until: pd.Timestamp | None = None) -> EventLog:
    """The cases of ``log`` that started in ``[start, end)``, with their events before ``observed_until`` (default ``end``; None: unbounded)."""
    starts = case_starts(log)
    keep = np.ones(len(starts), dtype=bool)
    if start is not None:
        keep &= (starts >= start).to_numpy()
    if end is not None:
        keep &= (starts < end).to_numpy()
    kept = starts.index[keep]
    events = log.events
    mask = events["case_id"].isin(kept).to_numpy().copy()
    last = end if observed_until is None else observed_until
    if last is not None:
        mask &= (events["timestamp"] < last).to_numpy()
    kept_events = events.loc[mask].reset_index(drop=True)
    if isinstance(kept_events["case_id"].dtype, pd.CategoricalDtype):
        kept_events["case_id"] = kept_events["case_id"].cat.remove_unused_categories()
    cases = log.cases
    kept_cases = cases.loc[cases["case_id"].isin(kept).to_numpy()].reset_index(drop=True)
    return EventLog(events=kept_events, cases=kept_cases)


def split_at(log: EventLog, date: dt.date | str, zone: str, *, option: str = "--train-until") -> Split:
    """The split at local midnight of ``date`` in ``zone``; a date outside the log, or no case after it, is an InputError."""
    day = _as_date(date, option)
    until = pd.Timestamp(day).tz_localize(zone).tz_convert("UTC")
    starts = case_starts(log)
    if len(starts) == 0:
        raise InputError("the log has no cases", field="LOG", expected="an event log with at least one case")
    first, last = starts.min(), log.events["timestamp"].max()
    span = f"the log runs from {_local(first, zone)} to {_local(last, zone)}"
    if until <= first or until >= last:
        raise InputError(f"{option} {day} is outside the log: {span}", field=option,
                         expected="a date after the first case started and at least one whole day before the last event")
    days = _whole_days(until, last, zone)
    if days < 1:
        raise InputError(f"{option} {day} leaves no whole day after it: {span}", field=option,
                         expected="a date at least one whole day before the last event")
    end = _midnight_after(day, days, zone)
    arrival_days = min(days, (starts.max().tz_convert(zone).date() - day).days + 1)
    if days - arrival_days <= QUIET_DAYS:
        arrival_days = days
    arrivals_end = _midnight_after(day, max(arrival_days, 0), zone)
    train = int((starts < until).sum())
    held = int(((starts >= until) & (starts < arrivals_end)).sum())
    if held == 0:
        raise InputError(f"no case starts between {option} {day} and {_local(end, zone)}: {span}", field=option,
                         expected="a date with cases starting after it")
    events = log.events
    late = events.loc[(events["timestamp"] >= until).to_numpy(), "case_id"].unique()
    straddling = int(np.isin(np.asarray(starts.index[(starts < until).to_numpy()], dtype=object),
                             np.asarray(late, dtype=object)).sum())
    return Split(until=until, end=end, days=days, arrivals_end=arrivals_end, arrival_days=arrival_days,
                 zone=zone, first_start=first, last_event=last,
                 train_cases=train, held_out_cases=held, straddling=straddling)


def share_split(log: EventLog, share: float, zone: str) -> Split:
    """The chronological split by case: the first local midnight by which ``share`` of the cases had started."""
    if not (isinstance(share, (int, float)) and 0 < share < 1):
        raise InputError(f"--train-share {share}", field="--train-share", expected="a share between 0 and 1, e.g. 0.7")
    starts = case_starts(log).sort_values()
    if len(starts) == 0:
        raise InputError("the log has no cases", field="LOG", expected="an event log with at least one case")
    k = max(1, math.ceil(share * len(starts)))
    moment = starts.iloc[k - 1].tz_convert(zone)
    midnight = moment.normalize() + pd.DateOffset(days=1)
    return split_at(log, midnight.date(), zone, option="--train-share")


def _midnight_after(day: dt.date, days: int, zone: str) -> pd.Timestamp:
    """The local midnight ``days`` days after ``day``'s, in UTC."""
    return (pd.Timestamp(day).tz_localize(zone) + pd.DateOffset(days=days)).tz_convert("UTC")


def _whole_days(until: pd.Timestamp, last: pd.Timestamp, zone: str) -> int:
    """Whole local days from ``until`` to the last midnight at or before ``last`` (DST-safe: counts calendar days)."""
    return (last.tz_convert(zone).date() - until.tz_convert(zone).date()).days


def _as_date(value: dt.date | str, option: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise InputError(f"{option} {value} has a time of day", field=option, expected="a date such as 2025-03-24")
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{option} {value!r} is not a date", field=option,
                         expected="a date such as 2025-03-24 (the split is its midnight in the center's zone)") from None


def _local(ts: pd.Timestamp, zone: str) -> str:
    return f"{ts.tz_convert(zone):%Y-%m-%d %H:%M}"

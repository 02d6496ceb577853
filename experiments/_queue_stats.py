"""Per-call times of the phone queue, read from a run's event log, and t-intervals.

Shared by the queueing experiments (``erlang_validation.py``,
``where_formulas_break.py``) and their test. Everything comes from the event
log (``call_received``, ``call_answered``, ``call_abandoned``), never from
the processes. Times are hours since the run's start, as the analytic
formulas take rates per hour.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["CALL_ACTIVITIES", "call_times", "queue_metrics", "t_interval"]

#: The activities a phone call can leave in the log, in order.
CALL_ACTIVITIES: tuple[str, ...] = ("call_received", "call_answered", "call_abandoned")

_NS_PER_HOUR = 3.6e12


def call_times(events: pd.DataFrame, start: pd.Timestamp) -> pd.DataFrame:
    """One row per call: ``received``, ``answered``, ``abandoned`` in hours since ``start``.

    ``NaN`` where the call never had that event (still on hold at the end of
    the run, or answered rather than abandoned). Works on integer codes of
    the categorical columns, so a million-event log takes a fraction of a
    second (``tests/sim/simhelpers.first_times`` is the readable oracle).
    """
    case = events["case_id"]
    codes = case.cat.codes.to_numpy() if isinstance(case.dtype, pd.CategoricalDtype) else pd.factorize(case)[0]
    n_cases = int(codes.max()) + 1 if len(codes) else 0
    hours = (events["timestamp"].array.asi8 - pd.Timestamp(start).value) / _NS_PER_HOUR
    columns: dict[str, np.ndarray] = {}
    for name in CALL_ACTIVITIES:
        mask = (events["activity"] == name).to_numpy()
        first = np.full(n_cases, np.inf)
        np.minimum.at(first, codes[mask], hours[mask])
        columns[name.removeprefix("call_")] = np.where(np.isinf(first), np.nan, first)
    frame = pd.DataFrame(columns)
    return frame[frame["received"].notna()].reset_index(drop=True)


def queue_metrics(calls: pd.DataFrame, t: float, window: tuple[float, float]) -> dict[str, float]:
    """The queue's figures over the calls received in ``window`` (hours), one replication.

    The wait ``W`` is the time from ``call_received`` to ``call_answered`` or
    ``call_abandoned``, whichever came (the Erlang A "time in queue"; with
    patient callers, the wait for an answer). ``p_wait`` is P(W > 0),
    ``mean_wait`` E[W] (hours), ``p_abandon`` the share who hung up,
    ``sl_served`` P(answered and W <= t) and ``sl_any`` P(W <= t) (an early
    hang-up counts as met). ``censored`` counts calls of the window still on
    hold at the end of the run: they are left out, so a run should go on long
    enough after the window for this to be 0.
    """
    lo, hi = window
    inside = calls[(calls["received"] >= lo) & (calls["received"] < hi)]
    answered, abandoned = inside["answered"].to_numpy(), inside["abandoned"].to_numpy()
    ended = np.fmin(answered, abandoned)
    done = ~np.isnan(ended)
    wait = (ended - inside["received"].to_numpy())[done]
    was_answered = ~np.isnan(answered[done])
    return {
        "calls": int(done.sum()),
        "censored": int((~done).sum()),
        "p_wait": float(np.mean(wait > 0)),
        "mean_wait": float(np.mean(wait)),
        "p_abandon": float(np.mean(~was_answered)),
        "sl_served": float(np.mean(was_answered & (wait <= t))),
        "sl_any": float(np.mean(wait <= t)),
    }


def t_interval(values, level: float = 0.95) -> tuple[float, float]:
    """Mean and half-width of the Student-t interval over independent replications."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    mean = float(x.mean())
    if n < 2:
        return mean, math.inf
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * x.std(ddof=1) / math.sqrt(n))
    return mean, half

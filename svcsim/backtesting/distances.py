"""How far a simulated log is from a real one: three earth mover's distances, in hours.

The measures of Chapela-Campa, Benchekroun, Baron, Dumas, Gaudreault and
Mendling, "Can I trust my simulation model? Measuring the quality of
business process simulation models" (BPM 2023), written to the definitions
of their package ``log-distance-measures`` (its Wasserstein variant, the
default) with :func:`scipy.stats.wasserstein_distance`. Each is the earth
mover's distance between two histograms normalised to one unit of mass: how
far, on average, each observation must move to turn one histogram into the
other. ``tests/backtest/test_distances.py`` holds them to the package's own
functions.

* :func:`cycle_time_distance`: each case's cycle time (its last event minus
  its first), put in bins of ``bin_hours`` counted from the shortest cycle
  time of both logs; the distance is in bins, returned in hours.
* :func:`circadian_event_distance`: every event's hour of day (0-23, in the
  center's zone), compared weekday by weekday (all Mondays together...);
  a weekday with events in one log only costs 23 (the widest gap), one with
  none in either costs 0; the mean over the seven weekdays.
* :func:`case_arrival_distance`: each case's first event, as whole hours
  since the hour in which the earlier of the two logs' first arrivals fell.

Our events are instants, so an event's start and end are the same moment
(the package counts both; the histogram is then the same, doubled).
A log with no cases gives NaN.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import wasserstein_distance

from svcsim.eventlog import EventLog

__all__ = ["DISTANCES", "case_arrival_distance", "circadian_event_distance", "cycle_time_distance",
           "cycle_times_hours", "distances"]

_NS_PER_HOUR = 3_600_000_000_000
#: The widest gap between two hours of the day: the cost of a weekday with events in one log only.
_MISSING_WEEKDAY_HOURS = 23.0


def _events(log: EventLog | pd.DataFrame) -> pd.DataFrame:
    return log.events if isinstance(log, EventLog) else log


def _ns(stamps: pd.Series) -> np.ndarray:
    return stamps.dt.tz_convert("UTC").to_numpy(dtype="datetime64[ns]").view(np.int64)


def _case_spans_ns(log: EventLog | pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per case: its first and last event, UTC epoch ns."""
    events = _events(log)
    frame = pd.DataFrame({"case": np.asarray(events["case_id"], dtype=object), "t": _ns(events["timestamp"])})
    spans = frame.groupby("case", sort=False)["t"].agg(["min", "max"])
    return spans["min"].to_numpy(np.int64), spans["max"].to_numpy(np.int64)


def cycle_times_hours(log: EventLog | pd.DataFrame) -> np.ndarray:
    """Each case's cycle time (last event minus first), in hours."""
    first, last = _case_spans_ns(log)
    return (last - first) / _NS_PER_HOUR


def cycle_time_distance(real: EventLog | pd.DataFrame, simulated: EventLog | pd.DataFrame, *,
                        bin_hours: float = 1.0) -> float:
    """EMD between the cycle-time histograms (bins of ``bin_hours`` from the shortest cycle time), in hours."""
    a, b = cycle_times_hours(real), cycle_times_hours(simulated)
    if len(a) == 0 or len(b) == 0:
        return float("nan")
    low = min(a.min(), b.min())
    return float(wasserstein_distance(np.floor((a - low) / bin_hours), np.floor((b - low) / bin_hours))) * bin_hours


def _weekday_hours(log: EventLog | pd.DataFrame, zone: str) -> tuple[np.ndarray, np.ndarray]:
    local = _events(log)["timestamp"].dt.tz_convert(zone)
    return local.dt.day_of_week.to_numpy(), local.dt.hour.to_numpy()


def circadian_event_distance(real: EventLog | pd.DataFrame, simulated: EventLog | pd.DataFrame, *,
                             zone: str = "UTC") -> float:
    """Mean over the 7 weekdays of the EMD between the events' hours of day (in ``zone``), in hours."""
    if len(_events(real)) == 0 or len(_events(simulated)) == 0:
        return float("nan")
    (day_a, hour_a), (day_b, hour_b) = _weekday_hours(real, zone), _weekday_hours(simulated, zone)
    per_day = []
    for day in range(7):
        x, y = hour_a[day_a == day], hour_b[day_b == day]
        if len(x) and len(y):
            per_day.append(float(wasserstein_distance(x, y)))
        else:
            per_day.append(0.0 if len(x) == len(y) else _MISSING_WEEKDAY_HOURS)
    return float(np.mean(per_day))


def case_arrival_distance(real: EventLog | pd.DataFrame, simulated: EventLog | pd.DataFrame) -> float:
    """EMD between the cases' arrivals binned by hour since the first arrival's hour, in hours."""
    a, _ = _case_spans_ns(real)
    b, _ = _case_spans_ns(simulated)
    if len(a) == 0 or len(b) == 0:
        return float("nan")
    origin = min(a.min(), b.min()) // _NS_PER_HOUR * _NS_PER_HOUR
    return float(wasserstein_distance((a - origin) // _NS_PER_HOUR, (b - origin) // _NS_PER_HOUR))


#: The distances of a backtest, by the name its tables use.
DISTANCES: dict[str, str] = {
    "cycle_time_h": "cycle time",
    "circadian_events_h": "events over the day",
    "case_arrivals_h": "case arrivals",
}


def distances(real: EventLog, simulated: EventLog, *, zone: str) -> dict[str, float]:
    """The three distances of ``simulated`` from ``real``, keyed as :data:`DISTANCES`."""
    return {
        "cycle_time_h": cycle_time_distance(real, simulated),
        "circadian_events_h": circadian_event_distance(real, simulated, zone=zone),
        "case_arrivals_h": case_arrival_distance(real, simulated),
    }

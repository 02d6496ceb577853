"""Backtest: fit on a log's past, simulate its held-out future, and compare with what happened.

:func:`backtest` splits a log at a date (or chronologically by case), fits
a scenario on the part before it (:func:`svcsim.fitting.fit`), simulates the
held-out period from the split and compares: per rule and week, the real
attainment against the simulated 95 % interval; the cycle-time, circadian
and arrival distances (earth mover's distances in hours, after
Chapela-Campa et al., BPM 2023) of the model and of two naive baselines.
Issue 19; reference: ``docs/reference/backtest.md``.
"""

from __future__ import annotations

from svcsim.backtesting.baselines import draw_cycle_times, replay_last_weeks
from svcsim.backtesting.distances import (
    DISTANCES,
    case_arrival_distance,
    circadian_event_distance,
    cycle_time_distance,
)
from svcsim.backtesting.result import Backtest
from svcsim.backtesting.run import backtest
from svcsim.backtesting.split import Split, share_split, split_at

__all__ = [
    "DISTANCES", "Backtest", "Split", "backtest", "case_arrival_distance", "circadian_event_distance",
    "cycle_time_distance", "draw_cycle_times", "replay_last_weeks", "share_split", "split_at",
]


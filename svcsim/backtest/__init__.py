"""Backtest: how far a simulated log is from a real one (issue 19; ``docs/reference/backtest.md``)."""

from svcsim.backtest.distances import (
    DISTANCES,
    case_arrival_distance,
    circadian_event_distance,
    cycle_time_distance,
)

__all__ = ["DISTANCES", "case_arrival_distance", "circadian_event_distance", "cycle_time_distance"]

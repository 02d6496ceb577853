"""Backtest: fit on a log's past, simulate its held-out future, and compare with what happened.

:func:`backtest` splits a log at a date (or chronologically by case), fits
a scenario on the part before it (:func:`svcsim.fitting.fit`), simulates the
held-out period from the split and compares: per rule and week, the real
attainment against the simulated 95 % interval; the cycle-time, circadian
and arrival distances (earth mover's distances in hours, after
Chapela-Campa et al., BPM 2023) of the model and of two naive baselines.
Issue 19; reference: ``docs/reference/backtest.md``.

``svcsim.backtest`` is both this package and the function: Python sets a
package's attribute to a subpackage once that subpackage is imported, so
after ``import svcsim.backtest.distances`` the name ``svcsim.backtest`` is
this module, not the function. The module is therefore callable, with the
function's signature (:class:`_CallablePackage`), and both spellings work
in any import order.
"""

import sys
import types
from typing import Any

from svcsim.backtest.baselines import draw_cycle_times, replay_last_weeks
from svcsim.backtest.distances import (
    DISTANCES,
    case_arrival_distance,
    circadian_event_distance,
    cycle_time_distance,
)
from svcsim.backtest.result import Backtest
from svcsim.backtest.run import backtest
from svcsim.backtest.split import Split, share_split, split_at

__all__ = [
    "DISTANCES", "Backtest", "Split", "backtest", "case_arrival_distance", "circadian_event_distance",
    "cycle_time_distance", "draw_cycle_times", "replay_last_weeks", "share_split", "split_at",
]


class _CallablePackage(types.ModuleType):
    """This package, callable as :func:`backtest` (see the module docstring)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Backtest:
        return backtest(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage

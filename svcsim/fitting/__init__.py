"""Calibration: a scenario fitted from a live (or simulated) event log.

:func:`fit` reads a log and writes the parameters it can tell onto a
template scenario; :class:`Fitted` holds the scenario and the fit report.
:func:`fit_duration` fits one duration, with right-censoring, over a few
families. Issue 19; docs/howto/fit-and-backtest.md.
"""

from __future__ import annotations

from svcsim.fitting.families import FittedDuration, fit_duration
from svcsim.fitting.fit import FitReport, Fitted, ParameterFit, fit

__all__ = ["FitReport", "Fitted", "FittedDuration", "ParameterFit", "fit", "fit_duration"]

"""The fill rate: the share of part requests met from the shelf at once.

One definition for a simulated run's stock table
(:func:`svcsim.simulation.results.stock_table`) and for the stock results of
any event log (:func:`svcsim.metrics.stock.stock_results`): requests issued
at once over the requests decided, i.e. issued at once or waited for
(``waiting_parts``). Requests still open are not decided and count in
neither; with nothing decided the fill rate is NaN, not 0 or 1.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["fill_rate"]


def fill_rate(issued_at_once: npt.ArrayLike, waited: npt.ArrayLike) -> np.ndarray:
    """``issued_at_once / (issued_at_once + waited)`` element by element, NaN where nothing was decided."""
    at_once = np.asarray(issued_at_once, dtype=np.float64)
    decided = at_once + np.asarray(waited, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(decided > 0, at_once / np.where(decided > 0, decided, 1.0), np.nan)

"""How a scenario is run: the warm-up simulated before the judged horizon.

A center is never empty on the morning a study starts: parts are out at the
supplier, jobs wait for parts, the follow-up lists are long. A run that
starts with full shelves and no one in the loop judges an empty, idle
center. ``warmup_days`` is how many days are simulated *before*
``start``, and never judged: the judged horizon is still ``start`` to
``start + horizon_days``, its log, rule verdicts, utilisation and stock
figures leave the warm-up out (:func:`svcsim.simulate`). ``0`` is a cold
run that starts with full shelves and an idle center. The built-in
``baseline`` sets the length measured for its vendor loop
(``docs/explanation/simulation-practice.md``, "Starting warm").
"""

from __future__ import annotations

from pydantic import Field

from svcsim.scenario.frozen import Frozen

__all__ = ["MAX_WARMUP_DAYS", "RunSettings"]

#: The longest warm-up a scenario may ask for (ten years, as the horizon).
MAX_WARMUP_DAYS = 3660


class RunSettings(Frozen):
    """The ``[run]`` section: ``warmup_days``, whole days simulated before ``start`` and not judged."""

    warmup_days: int = Field(0, ge=0, le=MAX_WARMUP_DAYS, strict=True,
                             description="days simulated before start and not judged (0: a cold start)")

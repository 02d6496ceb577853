"""Technical support's watch on the installed base: a flagged batch is analysed, which takes their time.

The source document's technical support "analyses feedback on batches of
the same quality fault and reports to purchasing and management". In the
model they run the same detector as the supervisor's KPI
(:func:`svcsim.metrics.batches.monitor`, applied by the run's wiring,
:mod:`svcsim.simulation.world`: a Poisson CUSUM per batch, each batch
expected at its share of the installed base) on each day's fault
reports (every call about a device that is not a repeat of a failed fix),
at the end of that day; a batch it flags becomes an analysis task in
technical support's queue, first come first served with the escalated
questions, taking ``times.batch_analysis`` of one engineer's time (a
batch flagged again within four weeks is not analysed again). The
calls are all drawn before the run, so the flags are known at the start;
each is released into the queue only at the end of its day (what the
center knows by then), when the center next opens.

The analyses are in :attr:`svcsim.simulation.Run.batch_analyses` (batch,
flagged, started, done, engineer); they are internal work, not cases of the
event log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from svcsim.des.cases import CaseBook
from svcsim.processes.callers import CallPlan

__all__ = ["BatchAnalysis", "REANALYSIS_DAYS", "daily_reports", "release_analyses"]

#: A batch flagged again within this many days of its last analysis is the same problem: not analysed again.
REANALYSIS_DAYS = 28


class BatchAnalysis:
    """One flagged batch for technical support to analyse: which, when flagged, and (once done) by whom."""

    __slots__ = ("batch", "flagged", "started", "done", "resource")

    def __init__(self, batch: int, flagged: float) -> None:
        self.batch, self.flagged = batch, flagged
        self.started = self.done = float("nan")
        self.resource = -1


def daily_reports(book: CaseBook, plans: list[CallPlan], n_batches: int, days: int) -> np.ndarray:
    """``counts[batch, day]`` of the calls drawn before the run that are about a device of that batch."""
    counts = np.zeros((n_batches, days))
    for plan in plans:
        cases = np.arange(plan.first, plan.first + len(plan.minutes))
        batch = np.array([book.batch.get(int(c), -1) for c in cases], dtype=np.int64)
        day = (plan.minutes // 1440.0).astype(np.int64)
        keep = (batch >= 0) & (day >= 0) & (day < days)
        np.add.at(counts, (batch[keep], day[keep]), 1.0)
    return counts


def release_analyses(env: Any, flags: list[tuple[int, int]], next_open: Callable[[float], float],
                     put: Callable[[BatchAnalysis], None]) -> list[BatchAnalysis]:
    """Schedule each flag ``(batch, day)``'s analysis into technical support's queue at the next opening after its day.

    A batch that stays bad is flagged again every few days (the CUSUM starts
    afresh after each flag); within :data:`REANALYSIS_DAYS` of its last
    analysis it is the same problem, already reported, and is not analysed again.
    """
    tasks = []
    last: dict[int, int] = {}
    for batch, day in flags:
        if batch in last and day - last[batch] < REANALYSIS_DAYS:
            continue
        last[batch] = day
        released = next_open(1440.0 * (day + 1))
        if released == float("inf"):
            continue
        task = BatchAnalysis(batch, 1440.0 * (day + 1))
        tasks.append(task)
        env.timeout(released).callbacks.append(lambda _, task=task: put(task))
    return tasks

"""Simulating the held-out period: the fitted scenario moved to the split, run on named seeds.

The scenario's ``start`` becomes the split's date and its horizon the
held-out days; each replication is ``svcsim.simulate(scenario, seed,
replication)`` (replications 0..n-1, the named streams of
:mod:`svcsim.streams`), so the same seed gives the same backtest.

**The state at the split is not carried over from the log.** The simulator
has no way to start from a given state: :func:`svcsim.simulate` builds an
empty center (idle engineers with empty job lists, no queue, no item at the
supplier, the store at its base stock) and reaches an ordinary day by its
own warm-up (``[run] warmup_days`` days simulated before ``start`` and never
judged). So the open tickets, the engineers' lists, the items out at the
supplier, the stock on hand and the backorders at the split are the
warm-up's steady state, not the log's. Placing the log's open cases
mid-route into the processes (a ticket already dispatched to a named
engineer, an item seven days at the supplier) would need every process to
accept a case half-way through; that is not done. What makes the comparison
fair anyway is that only cases *starting* in the held-out period are
compared, in both logs: the log's cases open at the split and the warm-up's
cases are both left out (they still load the simulated center, as the real
ones loaded the real center).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from functools import partial

from svcsim.backtesting.split import Split
from svcsim.eventlog import EventLog
from svcsim.scenario import Scenario, with_changes
from svcsim.simulation import simulate

__all__ = ["CARRIED", "NOT_CARRIED", "held_out_scenario", "simulate_held_out"]

#: What the held-out simulation takes from the log at the split.
CARRIED: tuple[str, ...] = (
    "the split moment (the simulation starts at its local midnight) and the held-out length in whole days",
)
#: What it takes from its own warm-up instead.
NOT_CARRIED: tuple[str, ...] = (
    "open tickets and engineers' job lists",
    "items at the supplier and at the spares administrator",
    "stock on hand and backorders",
)


def held_out_scenario(scenario: Scenario, split: Split, *, warmup_days: int | None = None) -> Scenario:
    """``scenario`` starting at the split's date for the held-out days (and ``warmup_days`` when given)."""
    changes: dict[str, object] = {"start": split.date, "horizon_days": split.days, "timezone": split.zone}
    if warmup_days is not None:
        changes["run.warmup_days"] = int(warmup_days)
    return with_changes(scenario, changes)


def simulate_held_out(scenario: Scenario, replications: int, seed: int,
                      progress: Callable[[int, int], None] | None = None, *, jobs: int = 1) -> list[EventLog]:
    """The held-out period's simulated log of each replication 0..n-1 (cases that start in it, as judged).

    ``jobs > 1`` runs them in a local process pool; the logs are the same,
    in the same order, whatever ``jobs`` is (each replication has its seeds).
    """
    runs = [partial(_one, scenario, seed, r) for r in range(replications)]
    if jobs <= 1 or replications == 1:
        logs = []
        for done, run in enumerate(runs, start=1):
            logs.append(run())
            if progress is not None:
                progress(done, replications)
        return logs
    results: dict[int, EventLog] = {}
    with ProcessPoolExecutor(max_workers=min(jobs, replications)) as pool:
        futures = {pool.submit(_one, scenario, seed, r): r for r in range(replications)}
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            if progress is not None:
                progress(done, replications)
    return [results[r] for r in range(replications)]


def _one(scenario: Scenario, seed: int, replication: int) -> EventLog:
    return simulate(scenario, seed=seed, replication=replication).log

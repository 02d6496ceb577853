"""Running many replications: serially, in a local process pool, or on any executor.

A replication is a :class:`~svcsim.replications.cache.Task` (the scenario as
canonical JSON, seed, replication, days, warm-up); a worker turns it into a
small tidy table of metrics with :func:`run_task` and sends only that back,
never the event log. Every path (serial, ``jobs``, a
:class:`concurrent.futures.Executor` such as ``distributed.Client.get_executor()``)
calls the same :func:`run_task` on the same JSON, so the same (scenario, seed,
replication) gives the same numbers wherever it runs.

Finished replications are written to the cache as they arrive (the main
process writes them), and each key is accepted once. A worker that dies
(:class:`~concurrent.futures.process.BrokenProcessPool`, a lost Dask worker)
costs only the replications that were unfinished: the pool is rebuilt (or the
tasks resubmitted to the executor) at most ``retries`` times.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import pandas as pd

from svcsim.replications.cache import ReplicationCache, Task
from svcsim.replications.metrics import run_metrics, scenario_hash, scenario_json, tidy_types

__all__ = ["Tally", "WorkerLost", "execute", "make_task", "run_task"]

Progress = Callable[[int, int], None]

_LOST_WORKER_ERRORS = {"BrokenProcessPool", "BrokenExecutor", "KilledWorker", "CommClosedError",
                       "FutureCancelledError", "CancelledError"}


class WorkerLost(RuntimeError):
    """Workers kept dying: the retries are spent. Finished replications are in the cache."""


@dataclass
class Tally:
    """What a call did: replications computed, loaded from the cache, and resubmitted after a lost worker."""

    computed: int = 0
    loaded: int = 0
    retried: int = 0


def make_task(scenario, seed: int, replication: int, days: int, warmup_days: float) -> Task:  # noqa: ANN001
    """The task of one replication of a (validated) scenario."""
    return Task(scenario=scenario_json(scenario), scenario_name=scenario.name, scenario_id=scenario_hash(scenario),
                seed=int(seed), replication=int(replication), days=int(days), warmup_days=float(warmup_days))


def run_task(task: Task) -> pd.DataFrame:
    """Simulate one replication and return its tidy metrics (what a worker runs)."""
    from svcsim.scenario import Scenario
    from svcsim.simulation import simulate

    scenario = Scenario.model_validate_json(task.scenario)
    run = simulate(scenario, seed=task.seed, replication=task.replication, days=task.days,
                   warmup_days=int(task.warmup_days))
    return run_metrics(run, scenario_id=task.scenario_id)


def execute(tasks: Iterable[Task], *, jobs: int = 1, executor: Executor | None = None,
            cache: ReplicationCache | None = None, progress: Progress | None = None,
            retries: int = 3) -> tuple[dict[tuple, pd.DataFrame], Tally]:
    """Results of ``tasks`` by key (each key once), and a :class:`Tally` of what was done."""
    unique: dict[tuple, Task] = {}
    for task in tasks:
        unique.setdefault(task.key, task)
    done: dict[tuple, pd.DataFrame] = {}
    tally = Tally()
    total = len(unique)
    if cache is not None:
        for key, task in unique.items():
            table = cache.get(task)
            if table is not None:
                done[key] = table
                tally.loaded += 1
    if progress is not None:
        progress(len(done), total)

    def finish(task: Task, table: pd.DataFrame) -> None:
        if task.key in done:
            return
        table = tidy_types(table)
        if cache is not None:
            cache.put(task, table)
        done[task.key] = table
        tally.computed += 1
        if progress is not None:
            progress(len(done), total)

    todo = [task for key, task in unique.items() if key not in done]
    if not todo:
        pass
    elif executor is not None:
        _on_executor(executor, todo, finish, done, tally, retries)
    elif jobs <= 1:
        for task in todo:
            finish(task, run_task(task))
    else:
        _on_own_pool(jobs, todo, finish, done, tally, retries)
    return done, tally


def _on_own_pool(jobs: int, todo: list[Task], finish, done, tally: Tally, retries: int) -> None:  # noqa: ANN001
    remaining, rebuilt = todo, 0
    while remaining:
        pool = ProcessPoolExecutor(max_workers=min(jobs, len(remaining)))
        try:
            futures = {pool.submit(run_task, task): task for task in remaining}
            _collect(futures, finish)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        remaining = [task for task in remaining if task.key not in done]
        if remaining:
            rebuilt += 1
            tally.retried += len(remaining)
            if rebuilt > retries:
                raise WorkerLost(f"workers died {rebuilt} times; {len(remaining)} replications unfinished "
                                 f"(finished ones are kept in the cache)")


def _on_executor(executor: Executor, todo: list[Task], finish, done, tally: Tally, retries: int) -> None:  # noqa: ANN001
    remaining, attempts = todo, 0
    while remaining:
        try:
            futures = {executor.submit(run_task, task): task for task in remaining}
        except BrokenProcessPool as error:
            raise WorkerLost(f"the executor is broken ({error}); {len(remaining)} replications unfinished. "
                             "Run again with a fresh executor: finished ones are kept in the cache") from None
        _collect(futures, finish)
        remaining = [task for task in remaining if task.key not in done]
        if remaining:
            attempts += 1
            tally.retried += len(remaining)
            if attempts > retries:
                raise WorkerLost(f"workers were lost {attempts} times; {len(remaining)} replications unfinished "
                                 "(finished ones are kept in the cache)")


def _collect(futures: dict[Future, Task], finish) -> None:  # noqa: ANN001
    """Finish each future as it completes; lost-worker failures are left for a retry, others raised."""
    try:
        for future in as_completed(futures):
            try:
                table = future.result()
            except BaseException as error:
                if _worker_lost(error):
                    continue
                raise
            finish(futures[future], table)
    except BaseException:
        for future in futures:
            future.cancel()
        raise


def _worker_lost(error: BaseException) -> bool:
    return any(kind.__name__ in _LOST_WORKER_ERRORS for kind in type(error).__mro__)

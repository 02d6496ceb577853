"""``replicate``: run a scenario's replications and collect tidy metrics with confidence intervals."""

from __future__ import annotations

import numbers
import os
from concurrent.futures import Executor
from pathlib import Path

import pandas as pd

from svcsim.arguments import whole_number
from svcsim.errors import InputError
from svcsim.replications.cache import ReplicationCache, Task
from svcsim.replications.runner import Progress, Tally, execute, make_task
from svcsim.replications.summary import Replications
from svcsim.scenario.run_settings import MAX_WARMUP_DAYS

__all__ = ["check_counts", "collect", "replicate", "resolve_cache", "resolve_days", "resolve_warmup"]


def replicate(scenario, replications: int = 30, seed: int = 0, jobs: int = 1,  # noqa: ANN001
              executor: Executor | None = None, warmup: float | None = None, days: int | None = None,
              cache: str | os.PathLike[str] | ReplicationCache | None = None,
              progress: Progress | None = None, retries: int = 3) -> Replications:
    """Run ``replications`` replications of ``scenario`` (replication indices 0..n-1 with ``seed``).

    ``scenario`` is a :class:`~svcsim.Scenario`, a built-in name or a TOML
    file. ``jobs > 1`` runs them in a local process pool; ``executor`` runs
    them on any :class:`concurrent.futures.Executor` (for a Dask cluster,
    ``distributed.Client(address).get_executor()``). ``warmup`` (whole days,
    default the scenario's ``run.warmup_days``) is simulated before the
    horizon of each replication and not judged (:func:`svcsim.simulate`). ``days`` overrides the horizon.
    ``cache`` (a folder) keeps every finished replication, written as it
    finishes, so a second call computes only what is missing.
    ``progress(done, total)`` is called as replications finish.
    """
    from svcsim.scenario import load_scenario

    scenario = load_scenario(scenario)
    check_counts(replications, jobs, seed)
    days = resolve_days(scenario, days)
    warmup_days = resolve_warmup(warmup, scenario)
    tasks = [make_task(scenario, seed, r, days, warmup_days) for r in range(int(replications))]
    done, tally = execute(tasks, jobs=jobs, executor=executor, cache=resolve_cache(cache), progress=progress,
                          retries=retries)
    return collect(tasks, done, tally, seed)


def collect(tasks: list[Task], done: dict, tally: Tally, seed: int) -> Replications:
    """The :class:`Replications` of ``tasks`` (all of one scenario) from the executed tables."""
    first = tasks[0]
    results = pd.concat([done[task.key] for task in tasks], ignore_index=True)
    return Replications(results=results, scenario=first.scenario_name, scenario_hash=first.scenario_id,
                        seed=int(seed), replications=len(tasks), days=first.days,
                        warmup_days=first.warmup_days, computed=tally.computed, loaded=tally.loaded,
                        retried=tally.retried)


def check_counts(replications: int, jobs: int, seed: int = 0, *, function: str = "replicate") -> None:
    """Replications >= 1, jobs >= 1 and seed >= 0, as whole numbers (a float is refused, not truncated)."""
    whole_number(replications, "replications", function=function, minimum=1)
    whole_number(jobs, "jobs", function=function, minimum=1)
    whole_number(seed, "seed", function=function)


def resolve_days(scenario, days: int | None, *, function: str = "replicate") -> int:  # noqa: ANN001
    """The horizon in days: ``days`` when given (a whole number >= 1), else the scenario's."""
    if days is None:
        return int(scenario.horizon_days)
    return whole_number(days, "days", function=function, minimum=1)


def resolve_warmup(warmup: float | None, scenario, *, function: str = "replicate") -> int:  # noqa: ANN001
    """The warm-up in whole days simulated before the horizon: ``warmup``, else the scenario's ``run.warmup_days``.

    A whole number of days >= 0 (a float with a fraction, a bool or a text is
    refused); the warm-up is simulated in addition to the horizon, never judged.
    """
    if warmup is None:
        return int(scenario.run.warmup_days)
    if isinstance(warmup, bool) or not isinstance(warmup, numbers.Real):
        raise TypeError(f"{function}(): warmup must be a whole number of days >= 0, not {warmup!r} "
                        f"({type(warmup).__name__})")
    value = float(warmup)
    if not (value >= 0 and value == int(value) and value <= MAX_WARMUP_DAYS):
        raise InputError(f"warmup = {warmup!r} days", field="warmup",
                         expected=f"a whole number of days from 0 to {MAX_WARMUP_DAYS}, simulated before the horizon")
    return int(value)


def resolve_cache(cache: str | os.PathLike[str] | ReplicationCache | None) -> ReplicationCache | None:
    """A :class:`ReplicationCache` from a folder name (None: no cache)."""
    if cache is None or isinstance(cache, ReplicationCache):
        return cache
    return ReplicationCache(Path(cache))

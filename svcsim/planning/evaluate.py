"""The planner's client of the simulator: one number per requirement per replication, on common random numbers.

Every candidate plan is simulated with the same seed and the same
replication indices 0, 1, 2, ...: replication ``r`` of two plans sees the
same calls, jobs and part failures (the named streams of
:mod:`svcsim.streams`), so their difference is the plans' and not the
luck's. A worker receives a small picklable :class:`PlanTask` (the
candidate as canonical JSON, the rules as text) and sends back only the
requirement values, never the log; serial, ``jobs`` and any
:class:`concurrent.futures.Executor` (a Dask cluster's) run the same
:func:`measure` on the same task, so the numbers do not depend on where
they ran. Values are kept per (candidate, replication) for the whole
search: a candidate met twice is simulated once, and adding replications
to it simulates only the new ones.

With a cache (a :class:`~svcsim.replications.cache.ReplicationCache`),
every finished replication is also written to disk the moment it
finishes, keyed by the candidate's scenario hash, the seed, the
replication, the days and the warm-up (and the code's fingerprint, as
every cached replication is), in a folder of its own per rules text:
``<cache>/plan/<rules key>/``. Its table is tidy (one row per requirement:
``metric = "requirement"``, ``kind``, ``subject``, ``value``). A plan run
again with the same cache (after an interruption, say) reads those back
instead of simulating them, so it retraces the same search on the same
numbers and simulates only what is new. ``loaded`` counts what was read.

Replications are numbered from an ``offset`` (0 for the search): the
final selection (:mod:`svcsim.planning.select`) confirms candidates on a
block of replications no search look has seen.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from svcsim.planning.levers import Lever, apply_levers
from svcsim.planning.requirements import Requirement

__all__ = ["Evaluator", "PlanTask", "RulesText", "measure", "plan_cache"]


@dataclass(frozen=True)
class RulesText:
    """A rules file as text (what a worker parses), where it came from and the folder its paths are relative to."""

    text: str
    source: str
    base_dir: str | None = None

    @classmethod
    def read(cls, path: str | Path) -> RulesText:
        """The rules file at ``path``, checked here so a mistake is reported before anything runs."""
        from svcsim.rules.load import load_rules

        load_rules(path)
        path = Path(path)
        return cls(path.read_text(encoding="utf-8"), str(path), str(path.parent))


@dataclass(frozen=True)
class PlanTask:
    """One replication of one candidate: what a worker receives."""

    scenario: str
    """The candidate's canonical JSON."""
    single_part: bool
    rules: RulesText | None
    seed: int
    replication: int
    days: int
    warmup_days: int
    wanted: tuple[tuple[str, str], ...]
    """``(kind, subject)`` of each requirement, in order."""


@functools.lru_cache(maxsize=8)
def _parse(rules: RulesText) -> Any:
    from svcsim.rules.load import parse_rules

    return parse_rules(rules.text, source=rules.source, base_dir=None if rules.base_dir is None else Path(rules.base_dir))


def measure(task: PlanTask) -> list[float]:
    """Simulate one replication and return each wanted requirement's value (NaN: nothing due)."""
    from svcsim.rules.horizon import horizon_attainment
    from svcsim.scenario.model import Scenario, SinglePart
    from svcsim.simulation import simulate

    model = SinglePart if task.single_part else Scenario
    scenario = model.model_validate_json(task.scenario)
    run = simulate(scenario, seed=task.seed, replication=task.replication, days=task.days,
                   warmup_days=None if task.single_part else task.warmup_days)
    out: list[float] = []
    rule_ids = [subject for kind, subject in task.wanted if kind == "attainment"]
    horizon = None
    if rule_ids:
        rules = run.rules() if task.rules is None else _parse(task.rules)
        horizon = horizon_attainment(run.check(rules).results, run.end, list(rules.ids()))
    stock = run.stock.set_index("sku") if len(run.stock) else None
    for kind, subject in task.wanted:
        if kind == "attainment":
            due, good = float(horizon.loc[subject, "due"]), float(horizon.loc[subject, "good"])
            out.append(100.0 * good / due if due else float("nan"))
        else:
            out.append(float(stock.loc[subject, "fill_rate"]) if stock is not None else float("nan"))
    return out


class Evaluator:
    """Requirement values of candidate plans, replication by replication, kept for the whole search.

    ``values(point, n)`` is an ``n x k`` array (replications 0..n-1, one
    column per requirement); only replications not yet simulated for that
    point are run (or read from ``cache``). ``simulated`` counts replications
    run, ``simulated_days`` the days they simulated (warm-up included),
    ``loaded`` the replications read back from the cache.
    """

    def __init__(self, base: Any, levers: Sequence[Lever], requirements: Sequence[Requirement], *,
                 rules: RulesText | None, seed: int, days: int, warmup_days: int, jobs: int = 1,
                 executor: Executor | None = None, progress: Callable[[int], None] | None = None,
                 cache: Any = None) -> None:
        from svcsim.scenario.model import SinglePart

        self.base, self.levers, self.requirements = base, list(levers), list(requirements)
        self.rules, self.seed, self.days, self.warmup_days = rules, int(seed), int(days), int(warmup_days)
        self.single_part = isinstance(base, SinglePart)
        self.jobs, self.executor, self.progress = int(jobs), executor, progress
        self.cache = cache
        self._pool: ProcessPoolExecutor | None = None
        self._rows: dict[tuple[int, tuple[int, ...]], list[list[float]]] = {}
        self._json: dict[tuple[int, ...], tuple[str, str, str]] = {}
        self.simulated = 0
        self.simulated_days = 0
        self.loaded = 0

    def scenario(self, point: Sequence[int]) -> Any:
        """The candidate scenario of ``point`` (one value per lever)."""
        return apply_levers(self.base, self.levers, point)

    def known(self, point: Sequence[int], offset: int = 0) -> int:
        """Replications already at hand for ``point`` (from ``offset`` on)."""
        return len(self._rows.get((int(offset), tuple(int(v) for v in point)), []))

    def values(self, point: Sequence[int], n: int, offset: int = 0) -> np.ndarray:
        """Replications ``offset`` .. ``offset + n - 1`` of ``point``: an ``n x k`` array of requirement values."""
        key = tuple(int(v) for v in point)
        rows = self._rows.setdefault((int(offset), key), [])
        if len(rows) < n:
            if key not in self._json:
                from svcsim.replications.metrics import scenario_hash

                candidate = self.scenario(key)
                text = json.dumps(candidate.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
                self._json[key] = (text, scenario_hash(candidate), str(getattr(candidate, "name", "")))
            wanted = tuple((r.kind, r.subject) for r in self.requirements)
            tasks = [PlanTask(self._json[key][0], self.single_part, self.rules, self.seed, r, self.days,
                              self.warmup_days, wanted) for r in range(offset + len(rows), offset + n)]
            found = [self._cached(key, task) for task in tasks]
            todo = [task for task, value in zip(tasks, found, strict=True) if value is None]
            computed = iter(self._run(key, todo))
            rows.extend(value if value is not None else next(computed) for value in found)
            self.simulated += len(todo)
            self.loaded += len(tasks) - len(todo)
            self.simulated_days += len(todo) * (self.days + (0 if self.single_part else self.warmup_days))
            if self.progress is not None:
                self.progress(self.simulated)
        return np.asarray(rows[:n], dtype=float).reshape(n, len(self.requirements))

    # -- the disk cache ------------------------------------------------------------------------------------
    def _cache_task(self, key: tuple[int, ...], task: PlanTask) -> Any:
        from svcsim.replications.cache import Task

        _, scenario_id, name = self._json[key]
        return Task(scenario="", scenario_name=name, scenario_id=scenario_id, seed=task.seed,
                    replication=task.replication, days=task.days, warmup_days=float(task.warmup_days))

    def _cached(self, key: tuple[int, ...], task: PlanTask) -> list[float] | None:
        if self.cache is None:
            return None
        table = self.cache.get(self._cache_task(key, task))
        if table is None:
            return None
        found = {(k, s): v for k, s, v in zip(table["kind"], table["subject"], table["value"], strict=True)}
        if not all(wanted in found for wanted in task.wanted):
            return None
        return [float(found[wanted]) for wanted in task.wanted]

    def _store(self, key: tuple[int, ...], task: PlanTask, value: list[float]) -> None:
        if self.cache is None:
            return
        import pandas as pd

        cache_task = self._cache_task(key, task)
        rows = {(k, s): v for (k, s), v in zip(task.wanted, value, strict=True)}
        old = self.cache.get(cache_task)
        if old is not None:  # keep what an earlier plan with other requirements stored
            for k, s, v in zip(old["kind"], old["subject"], old["value"], strict=True):
                rows.setdefault((k, s), v)
        table = pd.DataFrame([{"scenario": cache_task.scenario_name, "scenario_hash": cache_task.scenario_id,
                               "seed": task.seed, "replication": task.replication, "days": task.days,
                               "warmup_days": float(task.warmup_days), "metric": "requirement", "kind": k,
                               "subject": s, "value": v} for (k, s), v in rows.items()])
        self.cache.put(cache_task, table)

    def _run(self, key: tuple[int, ...], tasks: list[PlanTask]) -> list[list[float]]:
        """Each task's values, in order; each stored in the cache as soon as it arrives."""
        if not tasks:
            return []
        if self.executor is not None:
            results = self.executor.map(measure, tasks)
        elif self.jobs <= 1 or len(tasks) == 1:
            results = map(measure, tasks)
        else:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=self.jobs)
            results = self._pool.map(measure, tasks)
        out = []
        for task, value in zip(tasks, results, strict=True):
            self._store(key, task, value)
            out.append(value)
        return out

    def close(self) -> None:
        """Shut down the evaluator's own worker pool, if it started one."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def plan_cache(folder: str | Path | None, rules: RulesText | None) -> Any:
    """The planner's :class:`~svcsim.replications.cache.ReplicationCache` under ``folder`` (None: no cache).

    Its own subfolder per rules text (``plan/builtin`` for the built-in
    rules, which the code fingerprint covers; else ``plan/rules-<sha256>``
    of the text and its folder), so a sweep's metrics and a plan's
    requirement values never share a file.
    """
    if folder is None:
        return None
    import hashlib

    from svcsim.replications.cache import ReplicationCache

    if rules is None:
        name = "builtin"
    else:
        digest = hashlib.sha256(f"{rules.base_dir}\n{rules.text}".encode()).hexdigest()[:16]
        name = f"rules-{digest}"
    return ReplicationCache(Path(folder) / "plan" / name)

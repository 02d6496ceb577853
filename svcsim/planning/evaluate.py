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

__all__ = ["Evaluator", "PlanTask", "RulesText", "measure"]


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
    point are run. ``simulated`` counts replications run, ``simulated_days``
    the days they simulated (warm-up included).
    """

    def __init__(self, base: Any, levers: Sequence[Lever], requirements: Sequence[Requirement], *,
                 rules: RulesText | None, seed: int, days: int, warmup_days: int, jobs: int = 1,
                 executor: Executor | None = None, progress: Callable[[int], None] | None = None) -> None:
        from svcsim.scenario.model import SinglePart

        self.base, self.levers, self.requirements = base, list(levers), list(requirements)
        self.rules, self.seed, self.days, self.warmup_days = rules, int(seed), int(days), int(warmup_days)
        self.single_part = isinstance(base, SinglePart)
        self.jobs, self.executor, self.progress = int(jobs), executor, progress
        self._pool: ProcessPoolExecutor | None = None
        self._rows: dict[tuple[int, ...], list[list[float]]] = {}
        self._json: dict[tuple[int, ...], str] = {}
        self.simulated = 0
        self.simulated_days = 0

    def scenario(self, point: Sequence[int]) -> Any:
        """The candidate scenario of ``point`` (one value per lever)."""
        return apply_levers(self.base, self.levers, point)

    def known(self, point: Sequence[int]) -> int:
        """Replications already simulated for ``point``."""
        return len(self._rows.get(tuple(int(v) for v in point), []))

    def values(self, point: Sequence[int], n: int) -> np.ndarray:
        """Replications 0..n-1 of ``point``: an ``n x k`` array of requirement values."""
        key = tuple(int(v) for v in point)
        rows = self._rows.setdefault(key, [])
        if len(rows) < n:
            if key not in self._json:
                candidate = self.scenario(key)
                self._json[key] = json.dumps(candidate.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
            wanted = tuple((r.kind, r.subject) for r in self.requirements)
            tasks = [PlanTask(self._json[key], self.single_part, self.rules, self.seed, r, self.days,
                              self.warmup_days, wanted) for r in range(len(rows), n)]
            rows.extend(self._run(tasks))
            self.simulated += len(tasks)
            self.simulated_days += len(tasks) * (self.days + (0 if self.single_part else self.warmup_days))
            if self.progress is not None:
                self.progress(self.simulated)
        return np.asarray(rows[:n], dtype=float).reshape(n, len(self.requirements))

    def _run(self, tasks: list[PlanTask]) -> list[list[float]]:
        if self.executor is not None:
            return list(self.executor.map(measure, tasks))
        if self.jobs <= 1 or len(tasks) == 1:
            return [measure(task) for task in tasks]
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.jobs)
        return list(self._pool.map(measure, tasks))

    def close(self) -> None:
        """Shut down the evaluator's own worker pool, if it started one."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

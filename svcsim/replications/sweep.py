"""``sweep``: replications over a grid of scenario fields, one tidy table with a column per field.

Each grid point is ``with_changes(base, {field: value, ...})`` (dotted paths
such as ``"staffing.field_engineers.count"``; a whole number given for a role,
``"staffing.field_engineers": 8``, sets its count). Every point is validated
before anything runs, so a typo costs nothing. All points use the same seed
and replication indices: neighbouring points are compared on common random
numbers. Every replication of every point is one task in one pool, and each
is cached as it finishes.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass

import pandas as pd

from svcsim.errors import InputError
from svcsim.replications.cache import ReplicationCache
from svcsim.replications.replicate import check_counts, resolve_cache, resolve_days, resolve_warmup
from svcsim.replications.runner import Progress, execute, make_task
from svcsim.replications.summary import confidence_table

__all__ = ["SweepResult", "grid_points", "sweep"]


@dataclass(frozen=True, eq=False)
class SweepResult:
    """The replications of every grid point.

    ``results`` is tidy, one row per point x replication x metric, with a
    column per swept field first; ``points`` has one row per point (its field
    values, scenario name and hash). ``computed``, ``loaded`` and ``retried``
    count replications as in :class:`~svcsim.replications.Replications`.
    """

    results: pd.DataFrame
    points: pd.DataFrame
    fields: tuple[str, ...]
    seed: int
    replications: int
    computed: int = 0
    loaded: int = 0
    retried: int = 0

    def summary(self, confidence: float = 0.95) -> pd.DataFrame:
        """Per point and metric: n, mean, std, ci_low, ci_high, half_width."""
        return confidence_table(self.results, by=self.fields, confidence=confidence)

    def plot(self, rules: Sequence[str] | None = None, field: str | None = None, confidence: float = 0.95,  # noqa: ANN201
             kind: str = "attainment_pct"):
        """A metric (default: attainment) against a swept field with confidence bands.

        ``rules`` names the subjects to draw (targets, roles or parts); see
        :func:`~svcsim.replications.plots.plot_metric`.
        """
        from svcsim.replications.plots import plot_metric

        return plot_metric(self, kind, subjects=rules, field=field, confidence=confidence)


def grid_points(grid: Mapping[str, Sequence]) -> list[dict]:
    """Every combination of the grid's values, as ``{field: value}`` dicts (first field slowest)."""
    if not isinstance(grid, Mapping) or not grid:
        raise InputError("an empty grid", field="grid", expected='{"dotted.field": [value, ...], ...}')
    values = []
    for name, options in grid.items():
        if isinstance(options, str | bytes) or not isinstance(options, Sequence) or len(options) == 0:
            raise InputError(f"{name} = {options!r}", field=name, expected="a non-empty list of values")
        values.append(list(options))
    return [dict(zip(grid, combo, strict=True)) for combo in itertools.product(*values)]


def sweep(base, grid: Mapping[str, Sequence], replications: int = 30, seed: int = 0, jobs: int = 1,  # noqa: ANN001
          executor: Executor | None = None, warmup: float | None = None, days: int | None = None,
          cache: str | os.PathLike[str] | ReplicationCache | None = None,
          progress: Progress | None = None, retries: int = 3) -> SweepResult:
    """Replicate ``base`` at every point of ``grid`` (``{"dotted.field": [v1, v2, ...], ...}``).

    Other arguments as :func:`~svcsim.replications.replicate`.
    """
    from svcsim.scenario import load_scenario, with_changes

    base = load_scenario(base)
    check_counts(replications, jobs, seed, function="sweep")
    points = grid_points(grid)
    variants = [with_changes(base, point) for point in points]
    per_point = []
    for variant in variants:
        days_v = resolve_days(variant, days, function="sweep")
        warm = resolve_warmup(warmup, variant, function="sweep")
        per_point.append([make_task(variant, seed, r, days_v, warm) for r in range(replications)])
    done, tally = execute([t for tasks in per_point for t in tasks], jobs=jobs, executor=executor,
                          cache=resolve_cache(cache), progress=progress, retries=retries)
    fields = tuple(grid)
    frames = []
    for point, tasks in zip(points, per_point, strict=True):
        frame = pd.concat([done[task.key] for task in tasks], ignore_index=True)
        for position, name in enumerate(fields):
            frame.insert(position, name, pd.Series([point[name]] * len(frame), dtype=object))
        frames.append(frame)
    results = pd.concat(frames, ignore_index=True)
    for name in fields:
        results[name] = _plain_column(results[name])
    table = pd.DataFrame(points)
    table["scenario"] = [tasks[0].scenario_name for tasks in per_point]
    table["scenario_hash"] = [tasks[0].scenario_id for tasks in per_point]
    for name in fields:
        table[name] = _plain_column(table[name])
    return SweepResult(results=results, points=table, fields=fields, seed=int(seed), replications=int(replications),
                       computed=tally.computed, loaded=tally.loaded, retried=tally.retried)


def _plain_column(column: pd.Series) -> pd.Series:
    """A field's values as a plain numeric (or string) column when they all are."""
    values = list(column)
    if all(isinstance(v, bool) for v in values):
        return column.astype(bool)
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return column.astype("int64")
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return column.astype("float64")
    if all(isinstance(v, str) for v in values):
        return column.astype(str)
    return column

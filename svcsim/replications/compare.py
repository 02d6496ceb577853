"""``compare``: two scenarios on common random numbers, the difference per metric with its interval.

Replication ``r`` of plan A and replication ``r`` of plan B use the same
seed and replication index, so every named stream (arrivals, handle times,
travel...) gives them the same draws: the same customers call at the same
moments with the same faults. Their difference ``d_r = B_r - A_r`` then
varies much less than two independent runs would, and the paired t interval
on the ``d_r`` is correspondingly narrower. The table reports how much:
``variance_reduction_pct = 100 * (1 - var(d) / (var(A) + var(B)))``, where
``var(A) + var(B)`` is the variance of a difference of independent
replications.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from svcsim.replications.cache import ReplicationCache
from svcsim.replications.replicate import (
    check_counts,
    collect,
    resolve_cache,
    resolve_days,
    resolve_warmup,
)
from svcsim.replications.runner import Progress, execute, make_task
from svcsim.replications.summary import Replications, t_quantile

__all__ = ["Comparison", "compare"]


@dataclass(frozen=True, eq=False)
class Comparison:
    """Paired replications of plans ``a`` and ``b``; differences are ``b - a``."""

    a: Replications
    b: Replications

    def summary(self, confidence: float = 0.95) -> pd.DataFrame:
        """Per metric: means of a and b, the paired difference b - a with its interval, and the variance reduction.

        Columns: ``metric, kind, subject, n, mean_a, mean_b, difference,
        std_difference, ci_low, ci_high, half_width, independent_half_width,
        var_a, var_b, var_difference, variance_reduction_pct``. ``n`` counts
        replications where both plans have a value; ``independent_half_width``
        is what the interval would be without common random numbers.
        """
        wide_a, wide_b = self.a.wide(), self.b.wide()
        rows = []
        names = self.a.results.drop_duplicates("metric").set_index("metric")[["kind", "subject"]]
        for metric in [m for m in wide_a.columns if m in wide_b.columns]:
            pair = pd.concat([wide_a[metric].rename("a"), wide_b[metric].rename("b")], axis=1, join="inner").dropna()
            n = len(pair)
            diff = pair["b"] - pair["a"]
            var_a, var_b, var_d = (float(s.var(ddof=1)) if n >= 2 else float("nan") for s in (pair["a"], pair["b"], diff))
            t = float(t_quantile(n, confidence))
            half = t * np.sqrt(var_d / n) if n >= 2 else float("nan")
            independent = t * np.sqrt((var_a + var_b) / n) if n >= 2 else float("nan")
            total = var_a + var_b
            reduction = 100.0 * (1.0 - var_d / total) if n >= 2 and total > 0 else float("nan")
            mean_d = float(diff.mean()) if n else float("nan")
            rows.append({"metric": metric, "kind": names.loc[metric, "kind"], "subject": names.loc[metric, "subject"],
                         "n": n, "mean_a": float(pair["a"].mean()) if n else float("nan"),
                         "mean_b": float(pair["b"].mean()) if n else float("nan"), "difference": mean_d,
                         "std_difference": float(np.sqrt(var_d)), "ci_low": mean_d - half, "ci_high": mean_d + half,
                         "half_width": half, "independent_half_width": independent, "var_a": var_a, "var_b": var_b,
                         "var_difference": var_d, "variance_reduction_pct": reduction})
        return pd.DataFrame(rows)


def compare(scenario_a, scenario_b, replications: int = 30, seed: int = 0, jobs: int = 1,  # noqa: ANN001
            executor: Executor | None = None, warmup: float | None = None, days: int | None = None,
            cache: str | os.PathLike[str] | ReplicationCache | None = None,
            progress: Progress | None = None, retries: int = 3) -> Comparison:
    """Replicate two plans on common random numbers (same seed, same replication indices).

    Arguments as :func:`~svcsim.replications.replicate`; both plans run in
    one pool. ``days`` defaults to each plan's own horizon.
    """
    from svcsim.scenario import load_scenario

    a, b = load_scenario(scenario_a), load_scenario(scenario_b)
    check_counts(replications, jobs, seed, function="compare")
    days_a, days_b = resolve_days(a, days, function="compare"), resolve_days(b, days, function="compare")
    warm_a, warm_b = resolve_warmup(warmup, a, function="compare"), resolve_warmup(warmup, b, function="compare")
    tasks_a = [make_task(a, seed, r, days_a, warm_a) for r in range(replications)]
    tasks_b = [make_task(b, seed, r, days_b, warm_b) for r in range(replications)]
    done, tally = execute(tasks_a + tasks_b, jobs=jobs, executor=executor, cache=resolve_cache(cache),
                          progress=progress, retries=retries)
    return Comparison(a=collect(tasks_a, done, tally, seed), b=collect(tasks_b, done, tally, seed))

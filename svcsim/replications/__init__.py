"""Replications with confidence intervals, paired comparisons, sweeps, and a cache that loses nothing.

:func:`replicate` runs one scenario's replications (serially, in a process
pool, or on any executor such as a Dask cluster's), :func:`compare` pairs two
plans on common random numbers, :func:`sweep` runs a grid of scenario
fields. Results are tidy tables (one row per replication x metric) that carry
the scenario's name and hash. Explanation: ``docs/explanation/simulation-practice.md``.
"""

from svcsim.replications.cache import ReplicationCache, Task
from svcsim.replications.compare import Comparison, compare
from svcsim.replications.metrics import run_metrics, scenario_hash
from svcsim.replications.replicate import replicate
from svcsim.replications.runner import WorkerLost
from svcsim.replications.summary import Replications, confidence_table, replications_for
from svcsim.replications.sweep import SweepResult, sweep
from svcsim.replications.warmup import daily_series, suggest_warmup

__all__ = [
    "Comparison", "ReplicationCache", "Replications", "SweepResult", "Task", "WorkerLost", "compare",
    "confidence_table", "daily_series", "plot_attainment", "replicate", "replications_for", "run_metrics",
    "scenario_hash", "suggest_warmup", "sweep",
]


def plot_attainment(sweep_result, rules=None, field=None, confidence=0.95):  # noqa: ANN001, ANN201
    """A figure of attainment against a swept field with confidence bands (matplotlib, imported lazily).

    See :func:`svcsim.replications.plots.plot_attainment`.
    """
    from svcsim.replications.plots import plot_attainment as draw

    return draw(sweep_result, rules=rules, field=field, confidence=confidence)

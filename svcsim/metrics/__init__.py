"""Metrics: pure functions of an event log (the supervisor's KPIs, stock results, a spares budget, batch flags).

They read only :class:`svcsim.EventLog` (and the rule engine's verdicts on
it), never the simulation, so they run on live logs too. A KPI the log lacks
the columns or activities for is skipped with a stated reason, never guessed.
Reference: ``docs/reference/metrics.md``.
"""

from svcsim.metrics.batches import BatchCheck, batch_flags
from svcsim.metrics.budget import BUDGET_COLUMNS, read_catalogue, spares_budget
from svcsim.metrics.monthly import KPI_COLUMNS, KPIS, kpi_availability, monthly_kpis
from svcsim.metrics.stock import stock_results

__all__ = [
    "BUDGET_COLUMNS",
    "BatchCheck",
    "batch_flags",
    "KPIS",
    "KPI_COLUMNS",
    "kpi_availability",
    "monthly_kpis",
    "read_catalogue",
    "spares_budget",
    "stock_results",
]

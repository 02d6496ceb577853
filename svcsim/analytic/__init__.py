"""Exact queueing and inventory formulas: a quick answer before you simulate.

Queues (rates per one time unit of your choosing; waits and ``t`` in it):
``erlang_b``, ``erlang_c``, ``erlang_a``, ``min_servers``,
``square_root_staffing``. Spares (Poisson demand, one-for-one resupply):
``palm``, ``min_stock``, ``allocate_stock``, ``marginal_analysis``,
``metric``, ``vari_metric``; the vendor loop: ``vendor_aging``.

Everything is a pure function of its arguments: no state, no randomness.
Reference: ``docs/reference/analytic.md``.
"""

from svcsim.analytic.allocation import StockAllocation, allocate_stock, marginal_analysis
from svcsim.analytic.erlang import ErlangCResult, erlang_b, erlang_c
from svcsim.analytic.erlang_a import SERVICE_LEVEL_DEFINITIONS, ErlangAResult, erlang_a
from svcsim.analytic.metric import MetricResult, metric, vari_metric
from svcsim.analytic.palm import PalmResult, min_stock, palm
from svcsim.analytic.staffing import (
    SquareRootStaffing,
    StaffingResult,
    min_servers,
    square_root_staffing,
)
from svcsim.analytic.vendor import vendor_aging

__all__ = [
    "SERVICE_LEVEL_DEFINITIONS",
    "ErlangAResult",
    "ErlangCResult",
    "MetricResult",
    "PalmResult",
    "SquareRootStaffing",
    "StaffingResult",
    "StockAllocation",
    "allocate_stock",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "marginal_analysis",
    "metric",
    "min_servers",
    "min_stock",
    "palm",
    "square_root_staffing",
    "vari_metric",
    "vendor_aging",
]

"""Exact queueing and inventory formulas: a quick answer before you simulate.

Queues (rates per one time unit of your choosing; waits and ``t`` in it):
``erlang_b``, ``erlang_c``, ``erlang_a``, ``min_servers``,
``square_root_staffing``. Spares (Poisson demand, one-for-one resupply):
``palm``, ``min_stock``, ``allocate_stock``, ``marginal_analysis``,
``metric``, ``vari_metric``; the vendor loop: ``vendor_aging``.

Everything is a pure function of its arguments: no state, no randomness.
Reference: ``docs/reference/analytic.md``. Each name is imported from its
module on first use, so ``import svcsim.analytic`` loads no scipy.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

#: The module each public name lives in.
_HOMES = {
    "StockAllocation": "allocation", "allocate_stock": "allocation", "marginal_analysis": "allocation",
    "ErlangCResult": "erlang", "erlang_b": "erlang", "erlang_c": "erlang",
    "SERVICE_LEVEL_DEFINITIONS": "erlang_a", "ErlangAResult": "erlang_a", "erlang_a": "erlang_a",
    "MetricResult": "metric", "metric": "metric", "vari_metric": "metric",
    "PalmResult": "palm", "min_stock": "palm", "palm": "palm",
    "SquareRootStaffing": "staffing", "StaffingResult": "staffing", "min_servers": "staffing",
    "square_root_staffing": "staffing",
    "vendor_aging": "vendor",
}


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use (PEP 562)."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """This package, whose functions keep their names when a module of the same name is imported.

    ``metric``, ``palm`` and ``erlang_a`` are both modules and the functions
    they define; the import system sets a package attribute to the module it
    has just loaded, and here the function takes its place again, as the
    package's eager imports once made it.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _HOMES.get(name) == name and value.__name__ == f"{__name__}.{name}":
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

"""Which builder a result goes to: :func:`report_data`, over the registry of :mod:`svcsim.report.data`.

Importing this module imports every kind's module, so each has registered
its builder before a result is looked up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from svcsim.report import many, plan, single  # noqa: F401 (they register their builders)
from svcsim.report.data import ReportData, builders

__all__ = ["report_data"]


def report_data(result: Any, *, require: Mapping[str, float] | None = None, command: str | None = None,
                **context: Any) -> ReportData:
    """The :class:`ReportData` of ``result``, by the builder registered for its type (or a base of it)."""
    registry = builders()
    for kind in type(result).__mro__:
        if kind in registry:
            return registry[kind](result, require=dict(require or {}), command=command, **context)
    kinds = ", ".join(sorted(k.__name__ for k in registry))
    raise TypeError(f"report(): result must be one of {kinds}, not {type(result).__name__}")

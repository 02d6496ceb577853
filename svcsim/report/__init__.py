"""The manager's report: one self-contained HTML page for a run, replications, a comparison, a sweep, a plan or a live check.

:func:`report` writes the page; :func:`report_data` gives the tables it is
drawn from (``--out`` writes the same tables beside it). The page opens
offline: its figures are inline SVG from matplotlib, its style inline, and
it has no script and no link to anything.

``svcsim.report`` is both this package and the function :func:`report`: the
package is callable (``svcsim.report(result, path)``), so importing a
submodule such as :mod:`svcsim.report.data`, which makes the package an
attribute of :mod:`svcsim`, never hides the function. Building a report never
re-computes a result: it reads the result's tables
(:mod:`svcsim.report.data`), draws them (:mod:`svcsim.report.figures`,
:mod:`svcsim.report.page`) and writes the page (:mod:`svcsim.report.write`).
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from svcsim.report.data import ReportData

__all__ = ["ReportData", "report", "report_data", "write_report"]


def report_data(result: Any, **options: Any) -> ReportData:
    """The tables and headline the report of ``result`` is drawn from (:func:`svcsim.report.kinds.report_data`)."""
    from svcsim.report.kinds import report_data as build

    return build(result, **options)


def write_report(data: ReportData, path: str | os.PathLike[str]) -> Path:
    """Draw ``data`` as a page and write it to ``path``; the path written."""
    from svcsim.report.page import render
    from svcsim.report.write import write_page

    return write_page(path, render(data))


def report(result: Any, path: str | os.PathLike[str], *, require: Mapping[str, float] | None = None,
           command: str | None = None, **context: Any) -> Path:
    """Write the report of ``result`` (a Run, Replications, Comparison, SweepResult, PlanResult or CheckResult) to ``path``.

    ``require`` maps rule ids to the attainment (%) they must reach: each
    target is then shown green or red against it. ``command`` is the command
    line the page says produced it. ``context`` passes what a kind can use:
    ``check=`` (a run's CheckResult), ``summary=`` (replications' summary),
    ``validation=``, ``kpis=`` and ``source=`` (a live check).
    """
    from svcsim.arguments import path_like

    path_like(path, "path", function="report", what="the HTML file to write")
    return write_report(report_data(result, require=require, command=command, **context), path)


class _CallablePackage(types.ModuleType):
    """This package, callable as :func:`report`."""

    def __call__(self, result: Any, path: str | os.PathLike[str], **options: Any) -> Path:
        return report(result, path, **options)


sys.modules[__name__].__class__ = _CallablePackage

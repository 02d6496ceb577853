"""What a report shows, as tables: :class:`ReportData` and the registry of result kinds.

A report is built in two steps. First the result (a run, replications, a
comparison, a sweep, a plan, a live check) is turned into a
:class:`ReportData`: a headline (what was run or read, how, by which command
and version) and a set of named tables, the very tables that ``--out``
writes beside the page. Then :mod:`svcsim.report.page` draws the page from
those tables only: the page computes nothing of its own.

Each kind of result has one builder, registered here with :func:`builder`
(:func:`svcsim.report.kinds.report_data` finds it; one owner per kind: :mod:`svcsim.report.single` for a run and a live check,
:mod:`svcsim.report.many` for replications, comparisons and sweeps,
:mod:`svcsim.report.plan` for a plan). A new kind joins by registering its
own builder and a layout; nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["ReportData", "builder", "builders"]


@dataclass(frozen=True)
class ReportData:
    """Everything one report page shows.

    ``kind`` is ``run``, ``replications``, ``compare``, ``sweep``, ``plan`` or ``check``;
    ``headline`` the lines of the page's first table, label to text, in
    order; ``tables`` the named tables (``attainment.csv``, ...) the page is
    drawn from and ``--out`` writes; ``omitted`` section title to the
    sentence saying why the section is not on the page.
    """

    kind: str
    title: str
    headline: dict[str, str]
    tables: dict[str, pd.DataFrame]
    omitted: dict[str, str] = field(default_factory=dict)


Builder = Callable[..., ReportData]
_BUILDERS: dict[type, Builder] = {}


def builder(kind: type) -> Callable[[Builder], Builder]:
    """Register the function that turns a result of type ``kind`` into :class:`ReportData`."""
    def register(function: Builder) -> Builder:
        _BUILDERS[kind] = function
        return function
    return register


def builders() -> dict[type, Builder]:
    """The registered builders, by the type of result each one takes."""
    return dict(_BUILDERS)

"""svcsim: simulate an after-sales service center and check its service targets.

Quick start::

    import svcsim
    run = svcsim.simulate("baseline", seed=1)        # 28 judged days after a 150-day warm-up
    run.check().summary                               # every target's attainment
    run.utilisation                                   # busy time per role
    fewer = svcsim.with_changes("baseline", {"staffing.field_engineers.count": 8})
    svcsim.compare("baseline", fewer, replications=10).summary   # B - A with paired intervals
    svcsim.check(svcsim.read_log("export.csv"))       # the same rules on a live log
    svcsim.plan("baseline", requirements={"arrive-20min": 90})   # the cheapest plan that meets it

The public API is re-exported here; ``__all__`` is kept true by a test.
The names are loaded on first use (PEP 562), so ``import svcsim`` and the
command line's ``--help`` stay light: ``svcsim.simulate`` imports the
simulator only when it is first looked up. Subpackages (``svcsim.analytic``,
``svcsim.metrics``, ``svcsim.scenarios``...) are attributes too.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from svcsim.errors import InputError

if TYPE_CHECKING:
    from svcsim.backtesting import backtest
    from svcsim.calendar import ServiceCalendar
    from svcsim.eventlog import EventLog, read_log, write_log
    from svcsim.fitting import fit
    from svcsim.live import ValidationReport, load_events
    from svcsim.planning import PlanResult, plan
    from svcsim.replications import compare, replicate, sweep
    from svcsim.rules import CheckResult, RuleSet, check, load_rules
    from svcsim.scenario import Scenario, load_scenario, with_changes
    from svcsim.simulation import Run, simulate

__all__ = [
    "CheckResult",
    "EventLog",
    "InputError",
    "PlanResult",
    "RuleSet",
    "Run",
    "Scenario",
    "ServiceCalendar",
    "ValidationReport",
    "backtest",
    "check",
    "compare",
    "fit",
    "load_events",
    "load_rules",
    "load_scenario",
    "plan",
    "read_log",
    "replicate",
    "report",
    "simulate",
    "sweep",
    "with_changes",
    "write_log",
]
__version__ = "0.1.0"

#: Where each public name lives; it is imported from there on first use.
_HOMES = {
    "backtest": "svcsim.backtesting",
    "ServiceCalendar": "svcsim.calendar",
    "EventLog": "svcsim.eventlog", "read_log": "svcsim.eventlog", "write_log": "svcsim.eventlog",
    "fit": "svcsim.fitting",
    "ValidationReport": "svcsim.live", "load_events": "svcsim.live",
    "PlanResult": "svcsim.planning", "plan": "svcsim.planning",
    "compare": "svcsim.replications", "replicate": "svcsim.replications", "sweep": "svcsim.replications",
    "CheckResult": "svcsim.rules", "RuleSet": "svcsim.rules", "check": "svcsim.rules", "load_rules": "svcsim.rules",
    "Scenario": "svcsim.scenario", "load_scenario": "svcsim.scenario", "with_changes": "svcsim.scenario",
    "Run": "svcsim.simulation", "simulate": "svcsim.simulation",
}


def __getattr__(name: str) -> Any:
    """A public name from its home module, or a subpackage (``svcsim.analytic``), imported on first use."""
    home = _HOMES.get(name)
    if home is not None:
        value = getattr(importlib.import_module(home), name)
        globals()[name] = value
        return value
    if not name.startswith("_"):
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

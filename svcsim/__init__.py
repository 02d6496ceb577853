"""svcsim: simulate an after-sales service center and check its service targets.

The public API is re-exported here; ``__all__`` is kept true by a test.
"""

from svcsim.calendar import ServiceCalendar
from svcsim.errors import InputError
from svcsim.eventlog import EventLog, read_log, write_log
from svcsim.live import ValidationReport, load_events
from svcsim.replications import compare, replicate, sweep
from svcsim.rules import CheckResult, RuleSet, check, load_rules
from svcsim.scenario import Scenario, load_scenario, with_changes
from svcsim.simulation import Run, simulate

__all__ = [
    "CheckResult",
    "EventLog",
    "InputError",
    "RuleSet",
    "Run",
    "Scenario",
    "ServiceCalendar",
    "ValidationReport",
    "check",
    "compare",
    "load_events",
    "load_rules",
    "load_scenario",
    "read_log",
    "replicate",
    "simulate",
    "sweep",
    "with_changes",
    "write_log",
]
__version__ = "0.1.0"

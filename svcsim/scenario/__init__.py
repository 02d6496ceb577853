"""Scenarios: validated, frozen descriptions of a service center to simulate.

Reference: ``docs/reference/scenario.md``.
"""

from svcsim.scenario.distribution import Dist, expon_minutes
from svcsim.scenario.load import (
    builtin_names,
    load_scenario,
    parse_scenario,
    scenario_schema,
    with_changes,
)
from svcsim.scenario.model import (
    CALL_KINDS,
    Calendar,
    Demand,
    FieldEngineers,
    Probabilities,
    Role,
    Scenario,
    Shift,
    Spares,
    Staffing,
    Times,
)

__all__ = [
    "CALL_KINDS", "Calendar", "Demand", "Dist", "FieldEngineers", "Probabilities", "Role",
    "Scenario", "Shift", "Spares", "Staffing", "Times", "builtin_names", "expon_minutes",
    "load_scenario", "parse_scenario", "scenario_schema", "with_changes",
]

"""The SLA rule engine: rules as data, judged over an event log at an explicit ``as_of``."""

from svcsim.rules.engine import CheckResult, check
from svcsim.rules.load import RuleSet, load_rules, parse_rules
from svcsim.rules.results import RESULT_COLUMNS, STATUSES

__all__ = ["CheckResult", "RESULT_COLUMNS", "RuleSet", "STATUSES", "check", "load_rules", "parse_rules"]

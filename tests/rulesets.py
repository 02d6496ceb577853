"""Small rules files for tests, written as TOML text the way a user would."""

from __future__ import annotations

from svcsim.rules import RuleSet, parse_rules

CALENDAR = """
calendar = "service"
[calendars.service]
timezone = "Asia/Shanghai"
country = "CN"
[calendars.service.hours]
mon = ["08:30-12:00", "13:00-17:30"]
tue = ["08:30-12:00", "13:00-17:30"]
wed = ["08:30-12:00", "13:00-17:30"]
thu = ["08:30-12:00", "13:00-17:30"]
fri = ["08:30-12:00", "13:00-17:30"]
"""


def rules(text: str) -> RuleSet:
    """A RuleSet from rule tables, with the test service calendar (Mon-Fri, 8 service hours a day)."""
    return parse_rules(CALENDAR + text, source="test-rules.toml")

"""A validated set of rules with its calendars: what :func:`svcsim.check` judges a log against."""

from __future__ import annotations

from dataclasses import dataclass, field

from svcsim.calendar import ServiceCalendar
from svcsim.rules.spec import RuleSpec

__all__ = ["RuleSet"]


@dataclass(frozen=True)
class RuleSet:
    """Validated rules with their calendars, ready for :func:`svcsim.check`."""

    rules: tuple[RuleSpec, ...]
    calendars: dict[str, ServiceCalendar] = field(default_factory=dict)
    default_calendar: str | None = None
    source: str = "<rules>"
    extra_activities: frozenset[str] = frozenset()

    def calendar_for(self, rule: RuleSpec) -> ServiceCalendar | None:
        """The calendar a rule measures with (its own, else the file's default), or None."""
        name = rule.calendar or self.default_calendar
        return None if name is None else self.calendars[name]

    def ids(self) -> list[str]:
        """Result rule ids in file order (a ladder contributes its milestones' ids)."""
        return [rid for rule in self.rules for rid in rule.result_ids()]

    def titles(self) -> dict[str, str]:
        """Per result rule id, in file order: its title (the first rule's, were an id used twice)."""
        found: dict[str, str] = {}
        for rule in self.rules:
            for rid, title in rule.titles().items():
                found.setdefault(rid, title)
        return found

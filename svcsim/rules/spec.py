"""The rules file format: rules are data, validated, never code.

A rules file (TOML) holds service calendars and a list of rules, each of a
kind registered in :mod:`svcsim.rules.kinds`. ``duration``: a clock from a start event to a stop event, with pauses,
a target, special targets chosen by a case condition (first match wins), an
"or the same day" option, a wall-clock or service-calendar basis and warning
thresholds. ``ladder``: milestones after a start event, each met when its
required events happen in time; each miss raises the escalation level and the
last milestone repeats until the stop. ``recurrence``: after a fix, no repeat
on the same key (device and fault) within a window. ``forbidden``: once one of
its ``after`` events happened in a case, its ``event`` must not follow there.

Conditions are structured tables (``{ field = "zone", equals = "city" }``,
``{ has_event = "waiting_parts" }``, ``{ holiday = true }``, ``all``/``any``/
``not``): there is no expression language and nothing is evaluated.
See ``docs/reference/rules.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

__all__ = [
    "ActivitiesSection",
    "Condition",
    "DurationRule",
    "ForbiddenRule",
    "LadderRule",
    "Milestone",
    "RecurrenceRule",
    "RuleSpec",
    "ActivitySequence",
    "SpecialTarget",
    "parse_duration",
    "to_ns",
]

_UNITS = {"d": 86400.0, "h": 3600.0, "min": 60.0, "m": 60.0, "s": 1.0}
_DURATION = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)\s*(d|h|min|m|s)\s*)+$")
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(d|h|min|m|s)")
DURATION_HELP = "a duration such as \"4h\", \"20min\", \"3d\" or \"1h30min\""


def parse_duration(value: Any) -> timedelta:
    """``"4h"``, ``"20min"``, ``"3d"``, ``"1h30min"`` (or a timedelta) -> timedelta."""
    if isinstance(value, timedelta):
        return value
    if not isinstance(value, str) or not _DURATION.match(value):
        raise ValueError(f"{value!r} is not {DURATION_HELP}")
    seconds = sum(float(n) * _UNITS[u] for n, u in _PART.findall(value))
    return timedelta(seconds=seconds)


def to_ns(value: timedelta) -> int:
    """A timedelta as whole nanoseconds (the engine's unit)."""
    return int(round(value.total_seconds() * 1e9))


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


Activities = Annotated[list[str], BeforeValidator(_as_list)]


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Closed):
    """One test on a case, written as a small table; exactly one form per table.

    - ``field`` with ``equals``, ``in`` or ``present``: a case attribute;
    - ``has_event``: one of these activities happened (in the clock's span for
      special targets, anywhere in the case up to ``as_of`` for ``applies_to``);
    - ``holiday = true``: the clock's span touched a holiday of its calendar;
    - ``all`` / ``any`` / ``not``: combinations.
    """

    field: str | None = None
    equals: str | int | float | bool | None = None
    in_: list[str | int | float | bool] | None = Field(default=None, alias="in")
    present: bool | None = None
    has_event: Activities | None = None
    holiday: bool | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        if self.field is not None:
            tests = [x is not None for x in (self.equals, self.in_, self.present)]
            if sum(tests) != 1:
                raise ValueError("a 'field' condition needs exactly one of 'equals', 'in' or 'present'")
            others = (self.has_event, self.holiday, self.all, self.any, self.not_)
        else:
            if any(x is not None for x in (self.equals, self.in_, self.present)):
                raise ValueError("'equals', 'in' and 'present' need a 'field'")
            others = (self.has_event, self.holiday, self.all, self.any, self.not_)
            if sum(x is not None for x in others) != 1:
                raise ValueError(
                    "a condition needs exactly one of 'field', 'has_event', 'holiday', 'all', 'any', 'not'"
                )
            return self
        if any(x is not None for x in others):
            raise ValueError("a condition needs exactly one of 'field', 'has_event', 'holiday', 'all', 'any', 'not'")
        return self

    def activities(self) -> set[str]:
        """Every activity this condition names."""
        found = set(self.has_event or [])
        for sub in (*(self.all or []), *(self.any or []), *([self.not_] if self.not_ else [])):
            found |= sub.activities()
        return found

    def fields(self) -> set[str]:
        """Every case attribute this condition reads."""
        found = {self.field} if self.field else set()
        for sub in (*(self.all or []), *(self.any or []), *([self.not_] if self.not_ else [])):
            found |= sub.fields()
        return found

    def uses_holiday(self) -> bool:
        return bool(self.holiday is not None) or any(
            sub.uses_holiday() for sub in (*(self.all or []), *(self.any or []), *([self.not_] if self.not_ else []))
        )


class SpecialTarget(_Closed):
    """A target that replaces the rule's own when its condition holds (first match wins)."""

    when: Condition
    target: Duration
    reason: str


@dataclass(frozen=True)
class ActivitySequence:
    """Two groups of a rule's activities, the second looked for after the first in the same case.

    A clock's start and stop, a forbidden rule's trigger and forbidden event:
    what the loader's case-type lint holds to one case type (the second can
    never follow the first in a case of another type).
    """

    first_field: str  # the field of the rules file: "start", "after"
    first: list[str]
    then_field: str  # "stop", "event"
    then: list[str]
    first_noun: str  # how messages name the first group: "start", "trigger"
    then_noun: str  # "stop", "event"
    never: str  # what a case-type mismatch makes impossible: "the clock can never stop"


class RuleSpec(_Closed):
    """What every rule's table has, whatever its kind, and what the loader and the engine ask of any rule.

    A kind's own class adds its ``kind`` tag (``Literal["duration"]``...) and
    fields, and overrides the questions below where its answer differs.
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: str = ""
    source: str = ""
    applies_to: Condition | None = None
    basis: Literal["wall", "calendar"] = "wall"
    calendar: str | None = None

    def activities(self) -> set[str]:
        """Every activity the rule reads (the engine keeps only these events)."""
        return self.applies_to.activities() if self.applies_to else set()

    def titles(self) -> dict[str, str]:
        """Per result ``rule_id`` the rule produces, in order: its title (one id, the rule's own, by default)."""
        return {self.id: self.title}

    def result_ids(self) -> list[str]:
        """The result ``rule_id`` values the rule produces, in order."""
        return list(self.titles())

    def conditions(self) -> list[Condition]:
        """Every condition the rule holds (``applies_to``, and a kind's own)."""
        return [self.applies_to] if self.applies_to is not None else []

    def sequence(self) -> ActivitySequence | None:
        """The activities the rule looks for one after the other in a case (a clock's start and stop), or None."""
        return None

    def needs_calendar(self) -> bool:
        """Whether the rule cannot be judged without a service calendar."""
        return self.basis == "calendar" or any(c.uses_holiday() for c in self.conditions())


class DurationRule(RuleSpec):
    """A clock from ``start`` to ``stop`` with a target; see the module docstring."""

    kind: Literal["duration"]
    start: Activities
    stop: Activities
    pause: Activities = []
    resume: Activities = []
    target: Duration
    special: list[SpecialTarget] = []
    or_same_day: bool = False
    warn_at: list[float] = []

    @field_validator("warn_at")
    @classmethod
    def _fractions(cls, value: list[float]) -> list[float]:
        if any(not 0 < v < 1 for v in value) or value != sorted(value):
            raise ValueError("warn_at must be increasing fractions of the target between 0 and 1, e.g. [0.75]")
        return value

    @model_validator(mode="after")
    def _clock(self) -> DurationRule:
        if not self.start or not self.stop:
            raise ValueError("a duration rule needs at least one 'start' and one 'stop' activity")
        if set(self.start) & set(self.stop):
            raise ValueError(f"{sorted(set(self.start) & set(self.stop))} is both a start and a stop")
        if bool(self.pause) != bool(self.resume):
            raise ValueError("'pause' and 'resume' go together: a pause that never resumes stops the clock for good")
        clash = (set(self.pause) | set(self.resume)) & (set(self.start) | set(self.stop))
        if clash or set(self.pause) & set(self.resume):
            raise ValueError("pause and resume activities must differ from each other and from start and stop")
        return self

    def activities(self) -> set[str]:
        found = super().activities() | set(self.start) | set(self.stop) | set(self.pause) | set(self.resume)
        for s in self.special:
            found |= s.when.activities()
        return found

    def conditions(self) -> list[Condition]:
        return super().conditions() + [s.when for s in self.special]

    def sequence(self) -> ActivitySequence:
        return _clock(self.start, self.stop)

    def needs_calendar(self) -> bool:
        return self.or_same_day or super().needs_calendar()


class Milestone(_Closed):
    """A ladder step: ``requires`` must happen within ``after`` of the start."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    after: Duration
    requires: Activities
    title: str = ""
    repeat_every: Duration | None = None


class LadderRule(RuleSpec):
    """Milestones after ``start`` until ``stop``; each miss raises the escalation level."""

    kind: Literal["ladder"]
    start: Activities
    stop: Activities
    milestones: list[Milestone]

    @model_validator(mode="after")
    def _ladder(self) -> LadderRule:
        if not self.milestones:
            raise ValueError("a ladder needs at least one milestone")
        afters = [m.after for m in self.milestones]
        if afters != sorted(afters) or len(set(afters)) != len(afters):
            raise ValueError("milestones must be in increasing order of 'after'")
        if any(m.repeat_every is not None for m in self.milestones[:-1]):
            raise ValueError("only the last milestone may repeat ('repeat_every')")
        if set(self.start) & set(self.stop):
            raise ValueError("an activity cannot be both a start and a stop")
        return self

    def activities(self) -> set[str]:
        found = super().activities() | set(self.start) | set(self.stop)
        for m in self.milestones:
            found |= set(m.requires)
        return found

    def titles(self) -> dict[str, str]:
        """One result id per milestone, titled by the milestone (or else the ladder)."""
        return {m.id: m.title or self.title for m in self.milestones}

    def sequence(self) -> ActivitySequence:
        return _clock(self.start, self.stop)


def _clock(start: list[str], stop: list[str]) -> ActivitySequence:
    return ActivitySequence("start", start, "stop", stop, "start", "stop", "the clock can never stop")


class RecurrenceRule(RuleSpec):
    """After each ``after`` event (a fix), no ``repeat`` event on the same ``key`` within ``window``.

    ``after`` is one activity or several (a field repair's ``completed`` and
    a bench repair's ``repaired``): each of them in a case is a fix.
    """

    kind: Literal["recurrence"]
    after: Activities
    repeat: Activities
    key: list[str]
    window: Duration

    @field_validator("after")
    @classmethod
    def _a_fix(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("is empty: a recurrence rule needs at least one fix activity, e.g. \"completed\"")
        return value

    def activities(self) -> set[str]:
        return super().activities() | set(self.after) | set(self.repeat)


class ForbiddenRule(RuleSpec):
    """Once one of the ``after`` events (a trigger) happened in a case, ``event`` must not follow in that case.

    Models a prohibition that starts with a fact of the case: a customer who
    signed a quote for a paid repair cannot cancel once the repair started or a
    part was requested. It measures no time: there is no target, no window,
    no calendar (see :mod:`svcsim.rules.forbidden` for the verdicts).
    """

    kind: Literal["forbidden"]
    after: Activities
    event: Activities

    @field_validator("after", "event")
    @classmethod
    def _not_empty(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if not value:
            what = "trigger activity" if info.field_name == "after" else "forbidden activity"
            raise ValueError(f"is empty: a forbidden rule needs at least one {what}")
        both = sorted(set(value) & set(info.data.get("after") or [])) if info.field_name == "event" else []
        if both:
            raise ValueError(f"{both} is also in 'after': an event cannot be forbidden after itself")
        return value

    @field_validator("basis", "calendar")
    @classmethod
    def _no_time(cls, value: object, info: ValidationInfo) -> object:  # runs only when the file sets the field
        if info.field_name == "basis" and value == "wall":
            return value
        raise ValueError(f"a forbidden rule measures no time, so it takes no '{info.field_name}'")

    def activities(self) -> set[str]:
        return super().activities() | set(self.after) | set(self.event)

    def sequence(self) -> ActivitySequence:
        return ActivitySequence("after", self.after, "event", self.event, "trigger", "event",
                        "the event can never follow the trigger")


class ActivitiesSection(_Closed):
    """The ``[activities]`` table: activities beyond the vocabulary that rules may name."""

    extra: list[str] = []

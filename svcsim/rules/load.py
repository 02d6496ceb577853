"""Loading a rules file: parse, validate, lint, and build its calendars.

Every mistake becomes one :class:`~svcsim.errors.InputError` naming the file,
the rule id and the field, e.g. ``rules.toml: rule 'dispatch-4h': field
'target': '4 hours' is not a duration such as "4h"...``. Lint catches what
parses but can never work: an unknown activity (with the nearest known name),
a start whose case type can never meet its stop or its ``applies_to``, a
calendar that is not defined, two rules with one id.
"""

from __future__ import annotations

import difflib
import functools
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from svcsim.calendar import ServiceCalendar
from svcsim.errors import InputError
from svcsim.eventlog.vocabulary import ACTIVITIES, ACTIVITY_NAMES
from svcsim.rules.spec import Condition, DurationRule, LadderRule, RecurrenceRule, RulesFile

__all__ = ["RuleSet", "load_rules", "parse_rules", "DEFAULT_RULES"]

DEFAULT_RULES = "default_rules.toml"
_CASE_TYPE = {a.name: a.case_type for a in ACTIVITIES}


@dataclass(frozen=True)
class RuleSet:
    """Validated rules with their calendars, ready for :func:`svcsim.check`."""

    rules: tuple[DurationRule | LadderRule | RecurrenceRule, ...]
    calendars: dict[str, ServiceCalendar] = field(default_factory=dict)
    default_calendar: str | None = None
    source: str = "<rules>"
    extra_activities: frozenset[str] = frozenset()

    def calendar_for(self, rule: DurationRule | LadderRule | RecurrenceRule) -> ServiceCalendar | None:
        """The calendar a rule measures with (its own, else the file's default), or None."""
        name = rule.calendar or self.default_calendar
        return None if name is None else self.calendars[name]

    def ids(self) -> list[str]:
        """Result rule ids in file order (a ladder contributes its milestones' ids)."""
        out: list[str] = []
        for rule in self.rules:
            out.extend(m.id for m in rule.milestones) if isinstance(rule, LadderRule) else out.append(rule.id)
        return out


def load_rules(path: str | Path | None = None) -> RuleSet:
    """Read a rules file; ``None`` gives the built-in rules that encode every target of the seed document."""
    if path is None:
        return _built_in_rules()
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", file=path, expected="a rules file (TOML)")
    return parse_rules(path.read_text(encoding="utf-8"), source=str(path), base_dir=path.parent)


@functools.cache
def _built_in_rules() -> RuleSet:
    """The built-in rules, parsed once per process (building the holiday calendar takes a while)."""
    text = resources.files("svcsim.rules").joinpath(DEFAULT_RULES).read_text(encoding="utf-8")
    return parse_rules(text, source=f"<built-in {DEFAULT_RULES}>", base_dir=None)


def parse_rules(text: str, *, source: str = "<rules>", base_dir: Path | None = None) -> RuleSet:
    """Parse and check the text of a rules file; ``source`` names it in messages."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML ({exc})", file=source, expected="a TOML rules file") from None
    try:
        spec = RulesFile.model_validate(raw)
    except ValidationError as exc:
        raise _located(exc, raw, source) from None
    calendars = {
        name: ServiceCalendar.from_table(table, file=source, where=f"calendar '{name}'", base_dir=base_dir)
        for name, table in spec.calendars.items()
    }
    rules = RuleSet(
        rules=tuple(spec.rules),
        calendars=calendars,
        default_calendar=spec.calendar,
        source=source,
        extra_activities=frozenset(spec.activities.extra),
    )
    _lint(rules)
    return rules


# -- messages ----------------------------------------------------------------
def _located(exc: ValidationError, raw: dict[str, Any], source: str) -> InputError:
    """The first pydantic error as an InputError naming the rule id and the field."""
    err = exc.errors()[0]
    loc = list(err["loc"])
    where = None
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        rule = raw.get("rules", [])[loc[1]] if loc[1] < len(raw.get("rules", [])) else {}
        rid = rule.get("id") if isinstance(rule, dict) else None
        where = f"rule '{rid}'" if rid else f"rule #{loc[1] + 1}"
        loc = loc[2:]
        if loc and loc[0] in ("duration", "ladder", "recurrence"):  # the discriminated-union tag
            loc = loc[1:]
    path = ".".join(str(p) for p in loc if not str(p).startswith("function-"))
    msg = err["msg"].removeprefix("Value error, ")
    kind = err["type"]
    if kind == "missing":
        return InputError("is missing", file=source, where=where, field=path or None, expected="a value (see docs/reference/rules.md)")
    if kind == "extra_forbidden":
        return InputError("is not a known field", file=source, where=where, field=path or None, expected="only the fields of docs/reference/rules.md")
    if kind == "union_tag_invalid" or kind == "union_tag_not_found":
        return InputError(f"unknown rule kind {err.get('input', {}).get('kind') if isinstance(err.get('input'), dict) else ''!r}".replace("''", "missing"), file=source, where=where, field="kind", expected="'duration', 'ladder' or 'recurrence'")
    return InputError(msg, file=source, where=where, field=path or None)


# -- lint --------------------------------------------------------------------
def _lint(rules: RuleSet) -> None:
    known = ACTIVITY_NAMES | rules.extra_activities
    seen: set[str] = set()
    for rule in rules.rules:
        where = f"rule '{rule.id}'"
        for rid in _ids_of(rule):
            if rid in seen:
                raise InputError(f"the id '{rid}' is used twice", file=rules.source, where=where, field="id", expected="unique rule and milestone ids")
            seen.add(rid)
        for name in sorted(rule.activities() - known):
            near = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            raise InputError(
                f"unknown activity '{name}'{hint}", file=rules.source, where=where,
                expected="an activity of the vocabulary (docs/reference/eventlog.md) or one listed in [activities] extra",
            )
        _lint_case_types(rule, rules.source)
        if rule.applies_to is not None and rule.applies_to.uses_holiday():
            raise InputError("'holiday' can only choose a special target, not decide whether a rule applies", file=rules.source, where=where, field="applies_to", expected="field and has_event conditions in applies_to")
        name = rule.calendar or rules.default_calendar
        if rule.calendar is not None and rule.calendar not in rules.calendars:
            raise InputError(f"calendar '{rule.calendar}' is not defined", file=rules.source, where=where, field="calendar", expected=f"one of {sorted(rules.calendars)}")
        if name is not None and name not in rules.calendars:
            raise InputError(f"default calendar '{name}' is not defined", file=rules.source, field="calendar", expected=f"one of {sorted(rules.calendars)}")
        needs_calendar = rule.basis == "calendar" or (isinstance(rule, DurationRule) and rule.or_same_day) or _uses_holiday(rule)
        if needs_calendar and name is None:
            raise InputError("needs a service calendar (calendar basis, 'or_same_day' or a holiday condition) but none is set", file=rules.source, where=where, field="calendar", expected="a 'calendar' here or at the top of the file")


def _ids_of(rule: DurationRule | LadderRule | RecurrenceRule) -> list[str]:
    return [m.id for m in rule.milestones] if isinstance(rule, LadderRule) else [rule.id]


def _uses_holiday(rule: DurationRule | LadderRule | RecurrenceRule) -> bool:
    conds: list[Condition] = [rule.applies_to] if rule.applies_to else []
    if isinstance(rule, DurationRule):
        conds += [s.when for s in rule.special]
    return any(c.uses_holiday() for c in conds)


def _lint_case_types(rule: DurationRule | LadderRule | RecurrenceRule, source: str) -> None:
    """A start can never attach when its case type differs from its stop's or from ``applies_to``'s."""
    where = f"rule '{rule.id}'"
    if isinstance(rule, RecurrenceRule):
        return
    start_types = {_CASE_TYPE[a] for a in rule.start if a in _CASE_TYPE}
    stop_types = {_CASE_TYPE[a] for a in rule.stop if a in _CASE_TYPE}
    if start_types and stop_types and not start_types & stop_types:
        raise InputError(
            f"the start {rule.start} belongs to {sorted(start_types)} cases but the stop {rule.stop} to {sorted(stop_types)} cases, so the clock can never stop",
            file=source, where=where, field="stop", expected="start and stop activities of one case type",
        )
    wanted = _required_case_type(rule.applies_to)
    if wanted is not None and start_types and wanted not in start_types:
        raise InputError(
            f"applies to {wanted} cases but its start {rule.start} only happens in {sorted(start_types)} cases, so it can never attach",
            file=source, where=where, field="applies_to", expected="a start activity of the case type it applies to",
        )


def _required_case_type(cond: Condition | None) -> str | None:
    if cond is None:
        return None
    if cond.field == "case_type" and isinstance(cond.equals, str):
        return cond.equals
    for sub in cond.all or []:
        found = _required_case_type(sub)
        if found:
            return found
    return None

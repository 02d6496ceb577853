"""Loading a rules file: parse, validate, lint, and build its calendars.

Every mistake becomes one :class:`~svcsim.errors.InputError` naming the file,
the rule id and the field, e.g. ``rules.toml: rule 'dispatch-4h': field
'target': '4 hours' is not a duration such as "4h"...``. Lint catches what
parses but can never work: an unknown activity (with the nearest known name),
a start (or a forbidden rule's trigger) whose case type can never meet its
stop (its forbidden event) or its ``applies_to``, a calendar that is not
defined, two rules with one id.
"""

from __future__ import annotations

import difflib
import functools
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from svcsim.arguments import path_like
from svcsim.calendar import ServiceCalendar
from svcsim.errors import InputError
from svcsim.eventlog.vocabulary import ACTIVITIES, ACTIVITY_NAMES
from svcsim.rules.kinds import KIND_NAMES, AnyRule
from svcsim.rules.ruleset import RuleSet
from svcsim.rules.spec import ActivitiesSection, Condition, RuleSpec
from svcsim.textfiles import read_user_text

__all__ = ["RuleSet", "RulesFile", "load_rules", "parse_rules", "DEFAULT_RULES"]

DEFAULT_RULES = "default_rules.toml"
_CASE_TYPE = {a.name: a.case_type for a in ACTIVITIES}


class RulesFile(BaseModel):
    """The whole rules file, as written (calendars are kept as raw tables here); rules of the registered kinds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1] = 1
    calendar: str | None = None
    activities: ActivitiesSection = ActivitiesSection()
    calendars: dict[str, dict[str, Any]] = {}
    rules: list[AnyRule]


def load_rules(path: str | Path | None = None) -> RuleSet:
    """Read a rules file; ``None`` gives the built-in rules that encode every target of the seed document."""
    if path is None:
        return _built_in_rules()
    path_like(path, "path", function="load_rules", what="a rules file", none=True)
    path = Path(path)
    text = read_user_text(path, what="a rules file (TOML)")
    return parse_rules(text, source=str(path), base_dir=path.parent)


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
        if loc and loc[0] in KIND_NAMES:  # the discriminated-union tag
            loc = loc[1:]
    path = ".".join(str(p) for p in loc if not str(p).startswith("function-"))
    msg = err["msg"].removeprefix("Value error, ")
    kind = err["type"]
    if kind == "missing":
        return InputError("is missing", file=source, where=where, field=path or None, expected="a value (see docs/reference/rules.md)")
    if kind == "extra_forbidden":
        return InputError("is not a known field", file=source, where=where, field=path or None, expected="only the fields of docs/reference/rules.md")
    if kind == "union_tag_invalid" or kind == "union_tag_not_found":
        return InputError(f"unknown rule kind {err.get('input', {}).get('kind') if isinstance(err.get('input'), dict) else ''!r}".replace("''", "missing"), file=source, where=where, field="kind", expected=_one_of(KIND_NAMES))
    return InputError(msg, file=source, where=where, field=path or None)


def _one_of(names: tuple[str, ...]) -> str:
    """``'a', 'b' or 'c'``."""
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


# -- lint --------------------------------------------------------------------
def _lint(rules: RuleSet) -> None:
    known = ACTIVITY_NAMES | rules.extra_activities
    seen: set[str] = set()
    for rule in rules.rules:
        where = f"rule '{rule.id}'"
        for rid in rule.result_ids():
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
        if rule.needs_calendar() and name is None:
            raise InputError("needs a service calendar (calendar basis, 'or_same_day' or a holiday condition) but none is set", file=rules.source, where=where, field="calendar", expected="a 'calendar' here or at the top of the file")


def _lint_case_types(rule: RuleSpec, source: str) -> None:
    """A rule's sequence (a clock's start and stop, a trigger and its forbidden event) can never happen in one case
    when its two ends, or its first end and ``applies_to``, belong to different case types."""
    where = f"rule '{rule.id}'"
    seq = rule.sequence()
    if seq is None:
        return
    first_types = {_CASE_TYPE[a] for a in seq.first if a in _CASE_TYPE}
    then_types = {_CASE_TYPE[a] for a in seq.then if a in _CASE_TYPE}
    if first_types and then_types and not first_types & then_types:
        raise InputError(
            f"the {seq.first_noun} {seq.first} belongs to {sorted(first_types)} cases but the {seq.then_noun} {seq.then} "
            f"to {sorted(then_types)} cases, so {seq.never}",
            file=source, where=where, field=seq.then_field,
            expected=f"{seq.first_field} and {seq.then_field} activities of one case type",
        )
    wanted = _required_case_type(rule.applies_to)
    if wanted is not None and first_types and wanted not in first_types:
        raise InputError(
            f"applies to {wanted} cases but its {seq.first_noun} {seq.first} only happens in {sorted(first_types)} cases, so it can never attach",
            file=source, where=where, field="applies_to", expected=f"a {seq.first_noun} activity of the case type it applies to",
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

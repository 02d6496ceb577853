"""Evaluating structured conditions over whole columns of cases or clock spans.

A condition is evaluated for many rows at once: each row is a case (for
``applies_to``) or a clock span of a case (for special targets: the span from
a cycle's start position to its end position). ``has_event`` asks whether one
of the activities happened in the case, or inside the span; ``holiday`` asks
whether the span's local dates include a holiday of the calendar.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from svcsim.calendar import ServiceCalendar
from svcsim.rules.columnar.prepared import PreparedLog
from svcsim.rules.ruleset import RuleSet
from svcsim.rules.spec import Condition, RuleSpec

__all__ = ["CaseSpans", "applies_per_case", "evaluate"]


@dataclass(frozen=True)
class CaseSpans:
    """What a condition is evaluated for, one row each: a case code, and optionally a clock span of it (positions and times)."""

    case: np.ndarray
    first_pos: np.ndarray | None = None
    last_pos: np.ndarray | None = None
    start_ns: np.ndarray | None = None
    end_ns: np.ndarray | None = None
    every_case: bool = False  # one row per case code, in code order (case is arange(n_cases))


def evaluate(
    cond: Condition,
    log: PreparedLog,
    rows: CaseSpans,
    *,
    calendar: ServiceCalendar | None,
    source: str,
    where: str,
) -> np.ndarray:
    """Boolean per row: whether ``cond`` holds (an array shared with the log's memo: do not modify)."""
    if cond.field is not None:
        per_case = _field_per_case(cond, log, source=source, where=where)
        return per_case if rows.every_case else per_case[rows.case]
    if cond.has_event is not None:
        if rows.first_pos is None:
            found = log.has_event(cond.has_event)
            return found if rows.every_case else found[rows.case]
        return _any_inside(log.positions(cond.has_event), rows.first_pos, rows.last_pos)
    if cond.holiday is not None:
        if rows.start_ns is None or calendar is None:
            raise AssertionError("holiday conditions are only evaluated on clock spans with a calendar (checked at load)")
        return calendar.holiday_between(rows.start_ns, rows.end_ns) == cond.holiday
    if cond.all is not None:
        out = np.ones(len(rows.case), dtype=bool)
        for sub in cond.all:
            out &= evaluate(sub, log, rows, calendar=calendar, source=source, where=where)
        return out
    if cond.any is not None:
        out = np.zeros(len(rows.case), dtype=bool)
        for sub in cond.any:
            out |= evaluate(sub, log, rows, calendar=calendar, source=source, where=where)
        return out
    assert cond.not_ is not None
    return ~evaluate(cond.not_, log, rows, calendar=calendar, source=source, where=where)


def applies_per_case(rule: RuleSpec, log: PreparedLog, rules: RuleSet) -> np.ndarray:
    """Per case code: whether the rule's ``applies_to`` holds (always, when it has none)."""
    if rule.applies_to is None:
        return np.ones(log.n_cases, dtype=bool)
    rows = CaseSpans(case=np.arange(log.n_cases), every_case=True)
    return evaluate(rule.applies_to, log, rows, calendar=rules.calendar_for(rule), source=rules.source, where=f"rule '{rule.id}'")


def _field_per_case(cond: Condition, log: PreparedLog, *, source: str, where: str) -> np.ndarray:
    """Per case code: whether the case attribute test holds; computed once per log and test (rules share them)."""
    column = log.case_column(cond.field, source=source, where=where)
    typed = lambda v: (type(v).__name__, v)  # noqa: E731 (1, True and "1" are different tests)
    if cond.present is not None:
        key = ("field", cond.field, "present", cond.present)
    elif cond.in_ is not None:
        key = ("field", cond.field, "in", tuple(map(typed, cond.in_)))
    else:
        key = ("field", cond.field, "equals", typed(cond.equals))

    def compute() -> np.ndarray:
        if cond.present is not None:
            found = column.notna().to_numpy() == cond.present
        elif cond.in_ is not None:
            found = column.isin(cond.in_).to_numpy() & column.notna().to_numpy()
        else:
            found = column.eq(cond.equals).fillna(False).to_numpy(dtype=bool)
        found.flags.writeable = False
        return found

    return log.memoized(key, compute)


def _any_inside(pos: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Per span ``[first, last]``: whether a position of ``pos`` (sorted) lies in it.

    Clock cycles are disjoint spans in increasing order; then each event finds
    its one span (a search per event, usually far fewer than spans). Other
    spans count the events between their ends.
    """
    disjoint = len(first) > 0 and bool(np.all(first <= last)) and bool(np.all(first[1:] > last[:-1]))
    if not disjoint:
        count = np.searchsorted(pos, last, side="right") - np.searchsorted(pos, first, side="left")
        return count > 0
    out = np.zeros(len(first), dtype=bool)
    k = np.searchsorted(first, pos, side="right") - 1  # the last span starting at or before each event
    ok = k >= 0
    k = k[ok]
    out[k[pos[ok] <= last[k]]] = True
    return out

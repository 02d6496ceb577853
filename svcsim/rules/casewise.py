"""One case at a time, in plain Python: what the test oracle's restatement of each rule kind reads.

The oracle (:func:`svcsim.rules.oracle.check_oracle`) restates every rule
kind as a plain loop over one case's events, with no array tricks, so that a
property test can hold the vectorised engine to it. Each kind writes its
restatement beside its evaluator (``duration_oracle`` in
:mod:`svcsim.rules.duration`...) from these pieces: a case and its events,
conditions, time measured on a rule's basis, clock cycles and the result
row. Slow by design; never use it for real work.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from svcsim.rules.results import NAT
from svcsim.rules.spec import Condition, RuleSpec

__all__ = ["CaseEvents", "advanced", "applies", "clock_cycles", "holds", "measured", "result_row"]


@dataclass
class CaseEvents:
    """One case: its id, its place in the engine's case order, its attributes and its events up to ``as_of``."""

    id: str
    order: int  # the engine's case code order: first appearance in the events table
    attrs: dict
    events: list[tuple[int, str]] = field(default_factory=list)  # (t_ns, activity), in narration order


def measured(cal, basis: str, a: int, b: int) -> int:  # noqa: ANN001
    """Time from ``a`` to ``b`` (ns) on ``basis``: wall clock, or service time of ``cal``."""
    if basis == "calendar":
        return int(cal.business_ns(np.array([a]), np.array([b]))[0])
    return b - a


def advanced(cal, basis: str, a: int, d: int) -> int:  # noqa: ANN001
    """The instant ``d`` ns after ``a`` on ``basis`` (NAT when it falls after the calendar's years)."""
    if basis == "calendar":
        return int(cal.deadline_ns(np.array([a]), np.array([d]), strict=False)[0])
    return a + d


def holds(cond: Condition, case: CaseEvents, span: tuple[int, int, int, int] | None, cal) -> bool:  # noqa: ANN001
    """Whether ``cond`` holds for the case (span: first index, last index, start ns, end ns)."""
    if cond.field is not None:
        value = case.attrs.get(cond.field)
        if cond.present is not None:
            return (value is not None) == cond.present
        if value is None:
            return False
        return value in cond.in_ if cond.in_ is not None else value == cond.equals
    if cond.has_event is not None:
        evs = case.events if span is None else case.events[span[0]: span[1] + 1]
        return any(a in cond.has_event for _, a in evs)
    if cond.holiday is not None:
        return bool(cal.holiday_between(np.array([span[2]]), np.array([span[3]]))[0]) == cond.holiday
    if cond.all is not None:
        return all(holds(c, case, span, cal) for c in cond.all)
    if cond.any is not None:
        return any(holds(c, case, span, cal) for c in cond.any)
    return not holds(cond.not_, case, span, cal)


def applies(rule: RuleSpec, case: CaseEvents) -> bool:
    """Whether the rule's ``applies_to`` holds for the case (always, when it has none; it never reads a calendar)."""
    return rule.applies_to is None or holds(rule.applies_to, case, None, None)


def result_row(rule_id: str, case: CaseEvents, **values) -> dict:  # noqa: ANN003
    """One result row as a dict, defaults first (the columns of :data:`svcsim.rules.oracle.ORACLE_COLUMNS`)."""
    base = {"rule_id": rule_id, "case_id": case.id, "cycle": 1, "repeat": 1, "start": NAT, "stop": NAT,
            "due": NAT, "elapsed": NAT, "business_elapsed": NAT, "paused": 0, "target": NAT,
            "target_reason": None, "level": 0, "reason": None, "related_case_id": None}
    base.update(values)
    return base


def clock_cycles(case: CaseEvents, start, stop, pause=(), resume=()) -> list[dict]:  # noqa: ANN001
    """Cycles as dicts: start index/time, stop index/time or None, held intervals [pause, resume or None]."""
    cycles, state = [], "closed"
    for i, (t, a) in enumerate(case.events):
        if a in start and state == "closed":
            cycles.append({"i0": i, "t0": t, "i1": None, "t1": None, "held": []})
            state = "running"
        elif a in stop and state != "closed":
            cycles[-1]["i1"], cycles[-1]["t1"] = i, t
            state = "closed"
        elif a in pause and state == "running":
            cycles[-1]["held"].append([t, None])
            state = "held"
        elif a in resume and state == "held":
            cycles[-1]["held"][-1][1] = t
            state = "running"
    return cycles

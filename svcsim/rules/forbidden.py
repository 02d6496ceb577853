"""Forbidden rules: once a trigger happened in a case, a forbidden event must not follow there.

The source document's example: a customer who signed a quote for a paid
repair cannot cancel once the repair started or a part was requested
(``after = ["repair_started", "part_requested"]``, ``event = "cancelled"``).

Per case where the rule applies, the *first* ``after`` event (the trigger)
arms the prohibition. The case is ``breached`` when an ``event`` follows it
(``stop`` is the first such event, ``level`` 1), else ``met`` up to
``as_of``: "met" says that nothing forbidden happened so far, and a later
check may find the event. Order is the log's order of narration: of two
events of a case at one timestamp, the one narrated later (``seq``, else row
order) follows the other, as for every clock. A case where the event happened
with no trigger before it (a paid repair cancelled before work began) is
``not_applicable``, with the event's time in ``stop``; a case with neither
gets no row. Every judged row carries the trigger's time in ``start`` and its
activity in ``target_reason`` (``"after part_requested"``); a breach names
both in ``reason`` (``"cancelled after part_requested"``). No time is measured
against a target: ``target`` is empty, ``elapsed`` runs from the trigger to the
event (or to ``as_of``), and ``due`` is the trigger's time, since a
prohibition has no deadline to wait for: its verdict stands from the trigger
on (so a judged horizon, :mod:`svcsim.rules.horizon`, counts it rather than
call it not yet due).

:func:`evaluate_forbidden` judges whole columns at once; :func:`forbidden_oracle`
restates the same rule one case at a time in plain Python, for the test oracle
(:mod:`svcsim.rules.oracle`). Both are registered in :mod:`svcsim.rules.kinds`.
"""

from __future__ import annotations

import numpy as np

from svcsim.calendar import ServiceCalendar
from svcsim.rules.casewise import CaseEvents, applies, result_row
from svcsim.rules.columnar.prepared import PreparedLog
from svcsim.rules.conditions import applies_per_case
from svcsim.rules.results import NAT, ResultRows, status_code
from svcsim.rules.ruleset import RuleSet
from svcsim.rules.spec import ForbiddenRule

__all__ = ["evaluate_forbidden", "forbidden_oracle"]


def evaluate_forbidden(rule: ForbiddenRule, log: PreparedLog, rules: RuleSet) -> list[ResultRows]:
    """Result rows of one forbidden rule (one part): one per case with a trigger, or with the event and no trigger."""
    applies = applies_per_case(rule, log, rules)
    trig_case, trig_pos = _first_per_case(log, log.positions(rule.after), applies)
    events = log.positions(rule.event)
    # the first forbidden event after each first trigger, inside the same case's block
    j = np.searchsorted(events, trig_pos, side="right")
    found = j < len(events)
    ev_pos = np.zeros(len(j), dtype=np.int64)  # position 0 where none is found (masked by ``found``)
    ev_pos[found] = events[j[found]]
    found &= ev_pos < log.block_end[trig_case]

    n = len(trig_case)
    rows = ResultRows.empty(rule.id, rule.kind, rule.basis, n)
    rows.case = trig_case
    met, breached = np.int8(status_code("met")), np.int8(status_code("breached"))
    rows.status = np.where(found, breached, met).astype(np.int8)
    rows.start = log.t[trig_pos]
    rows.due = rows.start  # no deadline: the prohibition is in force, and its verdict due, from the trigger on
    rows.stop = np.where(found, log.t[ev_pos], NAT)
    rows.elapsed = np.where(found, rows.stop, log.as_of) - rows.start
    rows.level = found.astype(np.int64)
    trig_act, ev_act = _index_in(log, rule.after, trig_pos), _index_in(log, rule.event, ev_pos[found])
    after_labels = np.array([rows.label(f"after {a}") for a in _present(log, rule.after)], dtype=np.int32)
    rows.target_reason = after_labels[trig_act]
    if found.any():
        pairs = np.array([[rows.label(f"{e} after {a}") for e in _present(log, rule.event)] for a in _present(log, rule.after)],
                         dtype=np.int32)
        rows.put("reason", found, pairs[trig_act[found], ev_act])
    return [_with_untriggered(rows, rule, log, applies, events)]


def _first_per_case(log: PreparedLog, positions: np.ndarray, applies: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Case codes and positions of the first of ``positions`` (sorted) in each case where the rule applies."""
    case = log.case[positions]
    keep = applies[case]
    positions, case = positions[keep], case[keep]
    first = np.concatenate(([True], case[1:] != case[:-1])) if len(case) else np.zeros(0, dtype=bool)
    return case[first].astype(np.int64), positions[first]


def _present(log: PreparedLog, names: list[str]) -> list[str]:
    """Those of ``names`` the log has, in the order of their activity codes (the order of :func:`_index_in`)."""
    return [log.act_names[c] for c in log.codes(names)]


def _index_in(log: PreparedLog, names: list[str], positions: np.ndarray) -> np.ndarray:
    """Per position: the index of its event's activity among :func:`_present` ``(log, names)``."""
    codes = log.codes(names)
    return np.searchsorted(codes, log.act[positions].astype(np.int64)) if len(positions) else np.zeros(0, np.int64)


def _with_untriggered(rows: ResultRows, rule: ForbiddenRule, log: PreparedLog, applies: np.ndarray, events: np.ndarray) -> ResultRows:
    """Add a not_applicable row for each case where the forbidden event happened with no trigger at all."""
    untriggered = log.has_event(rule.event) & applies
    untriggered[rows.case] = False
    if not untriggered.any():
        return rows
    case, pos = _first_per_case(log, events, untriggered)
    extra = ResultRows.for_cases(case, "not_applicable", like=rows)
    extra.stop = log.t[pos]
    labels = np.array([extra.label(f"{e} with no {' / '.join(rule.after)} before it") for e in _present(log, rule.event)],
                      dtype=np.int32)
    extra.reason = labels[_index_in(log, rule.event, pos)]
    return rows.concat(extra)


# -- the same rule, one case at a time (the test oracle) ------------------------
def forbidden_oracle(rule: ForbiddenRule, cases: list[CaseEvents], cal: ServiceCalendar | None, as_of: int) -> list[list[dict]]:
    """Per case, in order: the rows :func:`evaluate_forbidden` should give, worked out with plain loops."""
    return [_forbidden_of_case(rule, case, as_of) for case in cases]


def _forbidden_of_case(rule: ForbiddenRule, case: CaseEvents, as_of: int) -> list[dict]:
    if not applies(rule, case):
        return []
    trigger = next((i for i, (_, a) in enumerate(case.events) if a in rule.after), None)
    if trigger is None:
        first = next(((t, a) for t, a in case.events if a in rule.event), None)
        if first is None:
            return []
        return [result_row(rule.id, case, status="not_applicable", stop=first[0],
                           reason=f"{first[1]} with no {' / '.join(rule.after)} before it")]
    t0, armed_by = case.events[trigger]
    later = next(((t, a) for t, a in case.events[trigger + 1:] if a in rule.event), None)
    common = {"start": t0, "due": t0, "target_reason": f"after {armed_by}"}
    if later is None:
        return [result_row(rule.id, case, status="met", elapsed=as_of - t0, **common)]
    return [result_row(rule.id, case, status="breached", stop=later[0], elapsed=later[0] - t0, level=1,
                       reason=f"{later[1]} after {armed_by}", **common)]

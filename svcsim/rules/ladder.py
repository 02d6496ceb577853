"""Ladder rules: milestones after a start event, each miss raising the escalation level.

For each cycle from a start to a stop (as for durations, without pauses) and
each milestone, the due time is the start plus the milestone's ``after`` (on
the rule's basis). The milestone is ``met`` when one of its required events
happens inside the cycle at or before the due time. Otherwise it is
``breached`` (the event came late, or the cycle stopped after the due time
without it), ``breached_open`` (due passed, cycle still open, event still
missing), ``running`` (not yet due), or ``not_applicable`` (the cycle stopped
before the milestone fell due).

The last milestone may repeat (``repeat_every``): every further period that
passes before its required event adds one more missed row (``repeat`` 2, 3,
...), so an item 44 days at the vendor with a 30-day milestone repeating
weekly stands at two more escalations than one at 31 days. ``level`` counts
the misses of the cycle up to and including the row.

:func:`evaluate_ladder` judges whole columns at once; :func:`ladder_oracle` restates the same
rule one case at a time in plain Python, for the test oracle
(:mod:`svcsim.rules.oracle`). Both are registered in :mod:`svcsim.rules.kinds`.
"""

from __future__ import annotations

import numpy as np

from svcsim.calendar import ServiceCalendar
from svcsim.rules.casewise import (
    CaseEvents,
    advanced,
    applies,
    clock_cycles,
    measured,
    result_row,
)
from svcsim.rules.clocks import find_cycles
from svcsim.rules.columnar.prepared import PreparedLog
from svcsim.rules.conditions import applies_per_case
from svcsim.rules.results import NAT, ResultRows, status_code
from svcsim.rules.ruleset import RuleSet
from svcsim.rules.spec import LadderRule, to_ns

__all__ = ["evaluate_ladder", "ladder_oracle"]


def evaluate_ladder(rule: LadderRule, log: PreparedLog, rules: RuleSet) -> list[ResultRows]:
    """Result rows of one ladder rule, one :class:`ResultRows` per milestone (and one for its repetitions)."""
    cal = rules.calendar_for(rule) if rule.basis == "calendar" else None
    applies = applies_per_case(rule, log, rules)
    cyc = find_cycles(log, applies, rule.start, rule.stop)
    n = len(cyc)
    end = cyc.end_ns
    if cal is not None:
        cal.check_covered(cyc.start_ns, what=f"start of rule '{rule.id}'")
        cal.check_covered(end, what=f"end of rule '{rule.id}'")

    def measure(start: np.ndarray, stop: np.ndarray) -> np.ndarray:
        return cal.business_ns(start, stop) if cal is not None else stop - start

    def due_at(start: np.ndarray, offset: np.ndarray) -> np.ndarray:
        return cal.deadline_ns(start, offset, strict=False) if cal is not None else start + offset

    measured_end = measure(cyc.start_ns, end)
    out: list[ResultRows] = []
    misses = np.zeros(n, dtype=np.int64)
    for milestone in rule.milestones:
        after = to_ns(milestone.after)
        done_ns = _first_inside(log, milestone.requires, cyc.start_pos, cyc.end_pos)
        done = done_ns != NAT
        measured_done = np.where(done, measure(cyc.start_ns, np.where(done, done_ns, cyc.start_ns)), 0)
        met = done & (measured_done <= after)
        passed = measured_end > after
        missed = ~met & passed
        stopped_before = cyc.closed & ~passed & ~done
        status = np.full(n, status_code("running"), dtype=np.int8)
        status[met] = status_code("met")
        status[stopped_before] = status_code("not_applicable")
        status[missed] = np.where(cyc.closed[missed] | done[missed], status_code("breached"), status_code("breached_open"))
        misses += missed
        due = due_at(cyc.start_ns, np.full(n, after, dtype=np.int64))
        rows = _rows(rule, milestone.id, cyc.case, cyc.number, cyc.start_ns, status, done_ns, due, end, after, misses.copy(), 1)
        rows.set_reason(stopped_before, "the cycle stopped before this milestone fell due")
        if cal is not None:
            rows.mark_beyond(due == NAT, cal.beyond_reason)
        out.append(rows)
        if milestone.repeat_every is not None:
            every = to_ns(milestone.repeat_every)
            # repetition k >= 2 falls due at after + (k-1)*every; it is missed when that passed before the event (or as_of)
            limit = np.where(done, done_ns, end)
            measured = measure(cyc.start_ns, limit)
            count = np.where(measured > after, (measured - after - 1) // every, 0)
            idx = np.repeat(np.arange(n), count)
            k = np.arange(len(idx)) - np.repeat(np.cumsum(count) - count, count) + 2
            offset = after + (k - 1) * every
            closed_or_done = cyc.closed[idx] | done[idx]
            status_k = np.where(closed_or_done, status_code("breached"), status_code("breached_open")).astype(np.int8)
            rows_k = _rows(
                rule, milestone.id, cyc.case[idx], cyc.number[idx], cyc.start_ns[idx], status_k, done_ns[idx],
                due_at(cyc.start_ns[idx], offset), end[idx], offset, misses[idx] + (k - 1), k,
            )
            if cal is not None:
                rows_k.mark_beyond(rows_k.due == NAT, cal.beyond_reason)
            misses += count
            out.append(rows_k)
    return out


def _first_inside(log: PreparedLog, names: list[str], first_pos: np.ndarray, last_pos: np.ndarray) -> np.ndarray:
    """Time of the first event among ``names`` at a position in [first_pos, last_pos], else NaT."""
    pos = log.positions(names)
    if not len(pos):
        return np.full(len(first_pos), NAT, dtype=np.int64)
    if len(first_pos) and np.all(first_pos <= last_pos) and np.all(first_pos[1:] > last_pos[:-1]):
        # disjoint cycles in order: each event finds its one cycle, the first event of a cycle wins
        k = np.searchsorted(first_pos, pos, side="right") - 1
        ok = k >= 0
        ok[ok] = pos[ok] <= last_pos[k[ok]]
        k, at = k[ok], pos[ok]
        first = np.concatenate(([True], k[1:] != k[:-1])) if len(k) else np.zeros(0, dtype=bool)
        out = np.full(len(first_pos), NAT, dtype=np.int64)
        out[k[first]] = log.t[at[first]]
        return out
    j = np.searchsorted(pos, first_pos, side="left")
    jj = np.minimum(j, len(pos) - 1)
    inside = (j < len(pos)) & (pos[jj] <= last_pos)
    return np.where(inside, log.t[pos[jj]], NAT)


def _rows(rule, milestone_id, case, number, start, status, done_ns, due, end, target, level, repeat) -> ResultRows:  # noqa: ANN001
    n = len(case)
    rows = ResultRows.empty(milestone_id, rule.kind, rule.basis, n, group=rule.id)
    rows.case, rows.cycle, rows.status = case, number, status
    rows.repeat = np.broadcast_to(np.asarray(repeat, dtype=np.int64), (n,))
    rows.start, rows.stop, rows.due = start, done_ns, due
    rows.elapsed = np.where(done_ns != NAT, done_ns, end) - start
    rows.target = np.broadcast_to(np.asarray(target, dtype=np.int64), (n,))
    rows.set_target_reason(slice(None), "milestone")
    rows.level = np.where(np.isin(status, [status_code("breached"), status_code("breached_open")]), level, 0)
    return rows


# -- the same rule, one case at a time (the test oracle) ------------------------
def ladder_oracle(rule: LadderRule, cases: list[CaseEvents], cal: ServiceCalendar | None, as_of: int) -> list[list[dict]]:
    """Per case, in order: the rows :func:`evaluate_ladder` should give, worked out with plain loops."""
    cal = cal if rule.basis == "calendar" else None
    return [_ladder_of_case(rule, case, cal, as_of) for case in cases]


def _ladder_of_case(rule: LadderRule, case: CaseEvents, cal, as_of: int) -> list[dict]:  # noqa: ANN001
    if not applies(rule, case):
        return []
    out = []
    for number, c in enumerate(clock_cycles(case, rule.start, rule.stop), start=1):
        closed = c["t1"] is not None
        end = c["t1"] if closed else as_of
        last_i = c["i1"] if closed else len(case.events) - 1
        misses = 0
        for m in rule.milestones:
            after = to_ns(m.after)
            done = next((t for t, a in case.events[c["i0"]: last_i + 1] if a in m.requires), None)
            met = done is not None and measured(cal, rule.basis, c["t0"], done) <= after
            passed = measured(cal, rule.basis, c["t0"], end) > after
            if met:
                status = "met"
            elif passed:
                status = "breached" if closed or done is not None else "breached_open"
                misses += 1
            elif closed and done is None:
                status = "not_applicable"
            else:
                status = "running"
            common = {"cycle": number, "start": c["t0"], "stop": NAT if done is None else done,
                      "elapsed": (done if done is not None else end) - c["t0"], "target_reason": "milestone"}
            row = result_row(m.id, case, status=status, due=advanced(cal, rule.basis, c["t0"], after), target=after,
                             level=misses if status in ("breached", "breached_open") else 0,
                             reason="the cycle stopped before this milestone fell due" if status == "not_applicable" else None,
                             **common)
            out.append(_beyond(row, cal))
            if m.repeat_every is not None:
                every, k = to_ns(m.repeat_every), 2
                limit = done if done is not None else end
                while measured(cal, rule.basis, c["t0"], limit) > after + (k - 1) * every:
                    offset = after + (k - 1) * every
                    misses += 1
                    out.append(_beyond(result_row(m.id, case, repeat=k, status="breached" if closed or done is not None else "breached_open",
                                    due=advanced(cal, rule.basis, c["t0"], offset), target=offset, level=misses, **common), cal))
                    k += 1
    return out


def _beyond(row: dict, cal) -> dict:  # noqa: ANN001
    """A calendar-basis row whose due time falls after the calendar's years is invalid (see ResultRows.mark_beyond)."""
    if cal is not None and row["due"] == NAT:
        row.update(status="invalid", reason=cal.beyond_reason, level=0)
    return row

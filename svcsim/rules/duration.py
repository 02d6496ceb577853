"""Duration rules: a clock from a start event to a stop event against a target.

Per cycle (see :mod:`svcsim.rules.clocks`): the elapsed time is measured on
the rule's basis (wall clock, or service time of its calendar) from the start
to the stop, or to ``as_of`` while open, less the time held by pauses. The
target is the first special target whose condition holds on the cycle's span,
else the rule's own. With ``or_same_day`` a stop before the end of the start's
service day also meets the target (the later deadline wins).

Statuses: closed cycles are ``met`` (a boundary value is met) or ``breached``;
open cycles are ``breached_open`` once past every deadline, ``at_risk`` past
the first warning fraction, else ``running``. A case where the stop happened
but the clock never started is ``not_applicable`` (a job an engineer took
directly in the field was never logged).

:func:`evaluate_duration` judges whole columns at once; :func:`duration_oracle` restates the same
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
    holds,
    measured,
    result_row,
)
from svcsim.rules.clocks import Cycles, find_cycles
from svcsim.rules.columnar.prepared import PreparedLog
from svcsim.rules.conditions import CaseSpans, applies_per_case, evaluate
from svcsim.rules.results import NAT, ResultRows, status_code
from svcsim.rules.ruleset import RuleSet
from svcsim.rules.spec import DurationRule, to_ns

__all__ = ["evaluate_duration", "duration_oracle", "due_times"]


def evaluate_duration(rule: DurationRule, log: PreparedLog, rules: RuleSet) -> list[ResultRows]:
    """Result rows of one duration rule (one part)."""
    cal = rules.calendar_for(rule)
    applies = applies_per_case(rule, log, rules)
    cyc = find_cycles(log, applies, rule.start, rule.stop, rule.pause, rule.resume)
    n = len(cyc)
    end = cyc.end_ns
    if cal is not None:
        cal.check_covered(cyc.start_ns, what=f"start of rule '{rule.id}'")
        cal.check_covered(end, what=f"end of rule '{rule.id}'")
    wall = end - cyc.start_ns
    held = len(cyc.pause_cycle) > 0
    paused_wall = _per_cycle(n, cyc.pause_cycle, cyc.resume_ns - cyc.pause_ns)
    rows = ResultRows.empty(rule.id, rule.kind, rule.basis, n)
    if rule.basis == "calendar":
        business = cal.business_ns(cyc.start_ns, end)
        paused = _per_cycle(n, cyc.pause_cycle, cal.business_ns(cyc.pause_ns, cyc.resume_ns)) if held else paused_wall
        elapsed = business - paused if held else business
    else:
        business = rows.business_elapsed  # NaT throughout
        paused = paused_wall
        elapsed = wall - paused_wall if held else wall

    target = _constant(n, to_ns(rule.target), np.int64)
    reason = _constant(n, rows.label("default"), np.int32)
    if rule.special:
        target, reason = np.array(target), np.array(reason)
        spans = CaseSpans(case=cyc.case, first_pos=cyc.start_pos, last_pos=cyc.end_pos, start_ns=cyc.start_ns, end_ns=end)
        chosen = np.zeros(n, dtype=bool)
        for special in rule.special:
            hit = ~chosen & evaluate(special.when, log, spans, calendar=cal, source=rules.source, where=f"rule '{rule.id}'")
            target[hit] = to_ns(special.target)
            reason[hit] = rows.label(special.reason)
            chosen |= hit

    due = due_times(cyc, target, rule.basis, cal)
    beyond = due == NAT if rule.basis == "calendar" else None  # the deadline falls after the calendar's years
    on_time = elapsed <= target
    if rule.or_same_day:
        day_end = cal.day_end_ns(cyc.start_ns)
        usable = (day_end != NAT) & (day_end > cyc.start_ns)
        same_day_ok = usable & (end <= day_end)
        due = np.where(usable, np.maximum(due, day_end), due)
        on_time = on_time | same_day_ok
    met, breached, running = (np.int8(status_code(name)) for name in ("met", "breached", "running"))
    status = np.where(cyc.closed, np.where(on_time, met, breached), running)  # int8 throughout
    open_ = ~cyc.closed
    status[open_ & ~on_time] = status_code("breached_open")
    if rule.warn_at:
        warn = open_ & on_time & (elapsed >= _fraction_of(target, rule.warn_at[0]))
        status[warn] = status_code("at_risk")

    rows.case, rows.cycle, rows.status = cyc.case, cyc.number, status
    rows.start, rows.stop, rows.due = cyc.start_ns, cyc.stop_ns, due
    rows.elapsed, rows.business_elapsed, rows.paused = wall, business, paused
    rows.target, rows.target_reason = target, reason
    rows.level = (~on_time).view(np.int8)  # 1 for a miss; widened in the result table
    if beyond is not None:
        rows.mark_beyond(beyond, cal.beyond_reason)
    return [_with_unstarted(rows, rule, log, applies, cyc)]


def _constant(n: int, value: int, dtype: type) -> np.ndarray:
    """``n`` copies of ``value`` as one read-only value broadcast (no memory per row)."""
    return np.broadcast_to(np.array(value, dtype=dtype), (n,))


def _fraction_of(target: np.ndarray, fraction: float) -> np.ndarray:
    """``(target * fraction).astype(int64)``, worked out once when ``target`` is one value broadcast."""
    if target.ndim == 1 and len(target) and target.strides[0] == 0:
        return _constant(len(target), int(np.int64(target[0] * fraction)), np.int64)
    return (target * fraction).astype(np.int64)


def _per_cycle(n: int, cycle: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per cycle, the sum of ``values`` over the entries of that ``cycle`` (a broadcast 0 when there are none)."""
    if not len(cycle):
        return _constant(n, 0, np.int64)
    out = np.zeros(n, dtype=np.int64)
    np.add.at(out, cycle, values)
    return out


def due_times(cyc: Cycles, target: np.ndarray, basis: str, cal: ServiceCalendar | None) -> np.ndarray:
    """The instant each cycle's running clock reaches its target (NAT if after the calendar's years).

    The clock runs in segments [start, pause1), [resume1, pause2), ...,
    [resume_k, +inf); a cycle still held at its end is projected as if it
    resumed then. The due time lies in the first segment where the running
    total reaches the target.
    """
    n = len(cyc)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    if not len(cyc.pause_cycle):  # one segment per cycle, from its start on
        return cal.deadline_ns(cyc.start_ns, target, strict=False) if basis == "calendar" else cyc.start_ns + target
    # segment i of a cycle starts at the start (i = 0) or the i-th resume, and ends at the (i+1)-th pause
    rank = _rank_within(cyc.pause_cycle)
    seg_cycle = np.concatenate((np.arange(n), cyc.pause_cycle))
    seg_rank = np.concatenate((np.zeros(n, np.int64), rank + 1))
    order = np.lexsort((seg_rank, seg_cycle))
    seg_cycle = seg_cycle[order]
    seg_start = np.concatenate((cyc.start_ns, cyc.resume_ns))[order]
    end_rank = np.concatenate((rank, np.bincount(cyc.pause_cycle, minlength=n).astype(np.int64)))
    end_order = np.lexsort((end_rank, np.concatenate((cyc.pause_cycle, np.arange(n)))))
    seg_end = np.concatenate((cyc.pause_ns, np.full(n, NAT)))[end_order]
    last = seg_end == NAT

    finite = np.zeros(len(seg_start), dtype=np.int64)
    if basis == "calendar":
        finite[~last] = cal.business_ns(seg_start[~last], seg_end[~last])
    else:
        finite[~last] = seg_end[~last] - seg_start[~last]
    cs = np.cumsum(finite)
    first = np.concatenate(([True], seg_cycle[1:] != seg_cycle[:-1]))
    group_base = np.maximum.accumulate(np.where(first, cs - finite, 0))
    before = cs - finite - group_base  # running total before each segment
    reached = last | (before + finite >= target[seg_cycle])
    hit = np.flatnonzero(reached)
    hit = hit[np.concatenate(([True], seg_cycle[hit][1:] != seg_cycle[hit][:-1]))]
    remaining = target[seg_cycle[hit]] - before[hit]
    starts = seg_start[hit]
    out = np.empty(n, dtype=np.int64)
    out[seg_cycle[hit]] = cal.deadline_ns(starts, remaining, strict=False) if basis == "calendar" else starts + remaining
    return out


def _rank_within(group: np.ndarray) -> np.ndarray:
    if not len(group):
        return group.astype(np.int64)
    new = np.concatenate(([True], group[1:] != group[:-1]))
    idx = np.arange(len(group))
    return idx - np.maximum.accumulate(np.where(new, idx, 0))


def _with_unstarted(rows: ResultRows, rule: DurationRule, log: PreparedLog, applies: np.ndarray, cyc: Cycles) -> ResultRows:
    """Add a not_applicable row for each case where the stop happened but the clock never started."""
    has_stop = log.has_event(rule.stop) & applies
    has_stop[cyc.case] = False
    cases = np.flatnonzero(has_stop)
    if not len(cases):
        return rows
    extra = ResultRows.for_cases(cases, "not_applicable", like=rows)
    extra.set_reason(slice(None), f"no start event ({' / '.join(rule.start)}) before the stop")
    extra.put("target", slice(None), to_ns(rule.target))
    return rows.concat(extra)


# -- the same rule, one case at a time (the test oracle) ------------------------
def duration_oracle(rule: DurationRule, cases: list[CaseEvents], cal: ServiceCalendar | None, as_of: int) -> list[list[dict]]:
    """Per case, in order: the rows :func:`evaluate_duration` should give, worked out with plain loops."""
    return [_duration_of_case(rule, case, cal, as_of) for case in cases]


def _duration_of_case(rule: DurationRule, case: CaseEvents, cal, as_of: int) -> list[dict]:  # noqa: ANN001
    if not applies(rule, case):
        return []
    out = []
    cycles = clock_cycles(case, rule.start, rule.stop, rule.pause, rule.resume)
    for number, c in enumerate(cycles, start=1):
        closed = c["t1"] is not None
        end = c["t1"] if closed else as_of
        last_i = c["i1"] if closed else len(case.events) - 1
        held = [(p, r if r is not None else end) for p, r in c["held"]]
        paused = sum(measured(cal, rule.basis, p, r) for p, r in held)
        elapsed = measured(cal, rule.basis, c["t0"], end) - paused
        target, why = to_ns(rule.target), "default"
        for special in rule.special:
            if holds(special.when, case, (c["i0"], last_i, c["t0"], end), cal):
                target, why = to_ns(special.target), special.reason
                break
        # due: walk the running segments; a clock held at its end resumes there (projected)
        seg_starts = [c["t0"]] + [r for _, r in held]
        seg_ends = [p for p, _ in held] + [None]
        acc, due = 0, None
        for s, e in zip(seg_starts, seg_ends, strict=True):
            length = None if e is None else measured(cal, rule.basis, s, e)
            if length is None or acc + length >= target:
                due = advanced(cal, rule.basis, s, target - acc)
                break
            acc += length
        beyond = rule.basis == "calendar" and due == NAT
        on_time = elapsed <= target
        if rule.or_same_day:
            day_end = int(cal.day_end_ns(np.array([c["t0"]]))[0])
            if day_end != NAT and day_end > c["t0"]:
                on_time = on_time or end <= day_end
                due = max(due, day_end)
        if closed:
            status = "met" if on_time else "breached"
        elif not on_time:
            status = "breached_open"
        elif rule.warn_at and elapsed >= int(target * rule.warn_at[0]):
            status = "at_risk"
        else:
            status = "running"
        level, reason = (0 if on_time else 1), None
        if beyond:
            status, due, level, reason = "invalid", NAT, 0, cal.beyond_reason
        out.append(result_row(rule.id, case, cycle=number, status=status, start=c["t0"], stop=c["t1"] if closed else NAT,
                        due=due, elapsed=end - c["t0"],
                        business_elapsed=measured(cal, "calendar", c["t0"], end) if rule.basis == "calendar" else NAT,
                        paused=paused if rule.basis == "calendar" else sum(r - p for p, r in held),
                        target=target, target_reason=why, level=level, reason=reason))
    if not cycles and any(a in rule.stop for _, a in case.events):
        out.append(result_row(rule.id, case, status="not_applicable", target=to_ns(rule.target),
                        reason=f"no start event ({' / '.join(rule.start)}) before the stop"))
    return out

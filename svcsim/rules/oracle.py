"""A per-case Python oracle of the rule engine, for tests and benchmarks only.

It restates the semantics of :mod:`svcsim.rules.duration`, ``ladder`` and
``recurrence`` as plain loops over one case's events at a time, with no
array tricks, so a property test can hold the vectorised engine to it. It
uses the same calendars (whose own correctness is tested separately against
an independent day-by-day computation). Slow by design; never use it for
real work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

from svcsim.eventlog.log import EventLog
from svcsim.eventlog.time import to_as_of_ns
from svcsim.rules.load import RuleSet, load_rules
from svcsim.rules.results import NAT, STATUSES
from svcsim.rules.spec import Condition, DurationRule, LadderRule, RecurrenceRule, to_ns

__all__ = ["check_oracle"]


@dataclass
class _Case:
    id: str
    order: int  # the engine's case code order: first appearance in the events table
    attrs: dict
    events: list[tuple[int, str]] = field(default_factory=list)  # (t_ns, activity), in narration order


def check_oracle(log: EventLog, rules: RuleSet | None = None, as_of: datetime | str | None = None) -> pd.DataFrame:
    """The result rows the engine should produce, computed one case at a time."""
    rules = rules if isinstance(rules, RuleSet) else load_rules(rules)
    cases = _cases(log)
    as_of_ns = to_as_of_ns(as_of)
    if as_of_ns is None:
        as_of_ns = max((t for c in cases.values() for t, _ in c.events), default=0)
    for c in cases.values():
        c.events = [e for e in c.events if e[0] <= as_of_ns]
    rows: list[dict] = []
    for rule in rules.rules:
        cal = rules.calendar_for(rule)
        repeats = _repeats_by_key(rule, cases) if isinstance(rule, RecurrenceRule) else {}
        for case in cases.values():
            if isinstance(rule, DurationRule):
                found = _duration(rule, case, cal, as_of_ns)
            elif isinstance(rule, LadderRule):
                found = _ladder(rule, case, cal if rule.basis == "calendar" else None, as_of_ns)
            else:
                found = _recurrence(rule, case, repeats, cal if rule.basis == "calendar" else None, as_of_ns)
            rows.extend(_invalid(rule, case, found))
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    return frame


_COLUMNS = ["rule_id", "case_id", "cycle", "repeat", "status", "start", "stop", "due", "elapsed",
            "business_elapsed", "paused", "target", "target_reason", "level", "reason", "related_case_id",
            "_activities"]


def _cases(log: EventLog) -> dict[str, _Case]:
    events = log.events
    attrs = log.cases.assign(case_id=log.cases["case_id"].astype(str)).set_index("case_id")
    cid = events["case_id"]
    order_ids = list(map(str, cid.cat.categories)) if isinstance(cid.dtype, pd.CategoricalDtype) else list(dict.fromkeys(map(str, cid)))
    order_ids += [c for c in attrs.index if c not in set(order_ids)]
    cases = {c: _Case(c, i, {k: (None if pd.isna(v) else v) for k, v in attrs.loc[c].items()}) for i, c in enumerate(order_ids)}
    t = events["timestamp"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    seq = pd.to_numeric(events["seq"], errors="coerce").fillna(0).to_numpy() if "seq" in events.columns else np.zeros(len(events))
    keyed = sorted(zip(map(str, cid), t.tolist(), seq.tolist(), range(len(events)), map(str, events["activity"]), strict=True), key=lambda r: (r[1], r[2], r[3]))
    for case_id, ti, _, _, act in keyed:
        cases[case_id].events.append((ti, act))
    return cases


def _measure(cal, basis: str, a: int, b: int) -> int:  # noqa: ANN001
    if basis == "calendar":
        return int(cal.business_ns(np.array([a]), np.array([b]))[0])
    return b - a


def _advance(cal, basis: str, a: int, d: int) -> int:  # noqa: ANN001
    if basis == "calendar":
        return int(cal.deadline_ns(np.array([a]), np.array([d]))[0])
    return a + d



def _holds(cond: Condition, case: _Case, span: tuple[int, int, int, int] | None, cal) -> bool:  # noqa: ANN001
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
        return all(_holds(c, case, span, cal) for c in cond.all)
    if cond.any is not None:
        return any(_holds(c, case, span, cal) for c in cond.any)
    return not _holds(cond.not_, case, span, cal)


def _row(rule_id: str, case: _Case, **values) -> dict:  # noqa: ANN003
    base = {"rule_id": rule_id, "case_id": case.id, "cycle": 1, "repeat": 1, "start": NAT, "stop": NAT,
            "due": NAT, "elapsed": NAT, "business_elapsed": NAT, "paused": 0, "target": NAT,
            "target_reason": None, "level": 0, "reason": None, "related_case_id": None}
    base.update(values)
    return base


def _clock_cycles(case: _Case, start, stop, pause=(), resume=()) -> list[dict]:  # noqa: ANN001
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


def _duration(rule: DurationRule, case: _Case, cal, as_of: int) -> list[dict]:  # noqa: ANN001
    if rule.applies_to is not None and not _holds(rule.applies_to, case, None, cal):
        return []
    out = []
    cycles = _clock_cycles(case, rule.start, rule.stop, rule.pause, rule.resume)
    for number, c in enumerate(cycles, start=1):
        closed = c["t1"] is not None
        end = c["t1"] if closed else as_of
        last_i = c["i1"] if closed else len(case.events) - 1
        held = [(p, r if r is not None else end) for p, r in c["held"]]
        paused = sum(_measure(cal, rule.basis, p, r) for p, r in held)
        elapsed = _measure(cal, rule.basis, c["t0"], end) - paused
        target, why = to_ns(rule.target), "default"
        for special in rule.special:
            if _holds(special.when, case, (c["i0"], last_i, c["t0"], end), cal):
                target, why = to_ns(special.target), special.reason
                break
        # due: walk the running segments; a clock held at its end resumes there (projected)
        seg_starts = [c["t0"]] + [r for _, r in held]
        seg_ends = [p for p, _ in held] + [None]
        acc, due = 0, None
        for s, e in zip(seg_starts, seg_ends, strict=True):
            length = None if e is None else _measure(cal, rule.basis, s, e)
            if length is None or acc + length >= target:
                due = _advance(cal, rule.basis, s, target - acc)
                break
            acc += length
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
        out.append(_row(rule.id, case, cycle=number, status=status, start=c["t0"], stop=c["t1"] if closed else NAT,
                        due=due, elapsed=end - c["t0"],
                        business_elapsed=_measure(cal, "calendar", c["t0"], end) if rule.basis == "calendar" else NAT,
                        paused=paused if rule.basis == "calendar" else sum(r - p for p, r in held),
                        target=target, target_reason=why, level=0 if on_time else 1))
    if not cycles and any(a in rule.stop for _, a in case.events):
        out.append(_row(rule.id, case, status="not_applicable", target=to_ns(rule.target),
                        reason=f"no start event ({' / '.join(rule.start)}) before the stop"))
    return out


def _ladder(rule: LadderRule, case: _Case, cal, as_of: int) -> list[dict]:  # noqa: ANN001
    if rule.applies_to is not None and not _holds(rule.applies_to, case, None, cal):
        return []
    out = []
    for number, c in enumerate(_clock_cycles(case, rule.start, rule.stop), start=1):
        closed = c["t1"] is not None
        end = c["t1"] if closed else as_of
        last_i = c["i1"] if closed else len(case.events) - 1
        misses = 0
        for m in rule.milestones:
            after = to_ns(m.after)
            done = next((t for t, a in case.events[c["i0"]: last_i + 1] if a in m.requires), None)
            met = done is not None and _measure(cal, rule.basis, c["t0"], done) <= after
            passed = _measure(cal, rule.basis, c["t0"], end) > after
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
            out.append(_row(m.id, case, status=status, due=_advance(cal, rule.basis, c["t0"], after), target=after,
                            level=misses if status in ("breached", "breached_open") else 0,
                            reason="the cycle stopped before this milestone fell due" if status == "not_applicable" else None,
                            **common))
            if m.repeat_every is not None:
                every, k = to_ns(m.repeat_every), 2
                limit = done if done is not None else end
                while _measure(cal, rule.basis, c["t0"], limit) > after + (k - 1) * every:
                    offset = after + (k - 1) * every
                    misses += 1
                    out.append(_row(m.id, case, repeat=k, status="breached" if closed or done is not None else "breached_open",
                                    due=_advance(cal, rule.basis, c["t0"], offset), target=offset, level=misses, **common))
                    k += 1
    return out


def _recurrence(rule: RecurrenceRule, case: _Case, repeats_by_key: dict[tuple, list], cal, as_of: int) -> list[dict]:  # noqa: ANN001
    if rule.applies_to is not None and not _holds(rule.applies_to, case, None, cal):
        return []
    key = tuple(case.attrs.get(k) for k in rule.key)
    window = to_ns(rule.window)
    out = []
    fixes = [t for t, a in case.events if a == rule.after]
    for number, fix in enumerate(fixes, start=1):
        closes = _advance(cal, rule.basis, fix, window)
        base = {"cycle": number, "start": fix, "due": closes, "target": window, "target_reason": "window"}
        if any(v is None for v in key):
            out.append(_row(rule.id, case, status="not_applicable", elapsed=min(as_of, closes) - fix,
                            reason=f"no {' / '.join(rule.key)} to match repeats on", **base))
            continue
        repeats = [r for r in repeats_by_key.get(key, []) if r[0] > fix]
        first = min(repeats) if repeats else None
        if first is not None and first[0] < closes:
            out.append(_row(rule.id, case, status="failed", stop=first[0], elapsed=first[0] - fix, level=1,
                            related_case_id=first[2], reason="the same fault came back within the window", **base))
        else:
            out.append(_row(rule.id, case, status="held" if closes <= as_of else "pending",
                            elapsed=min(as_of, closes) - fix, **base))
    return out


def _repeats_by_key(rule: RecurrenceRule, cases: dict[str, _Case]) -> dict[tuple, list]:
    """Every repeat event of every case, grouped by the case's key."""
    grouped: dict[tuple, list] = {}
    for other in cases.values():
        key = tuple(other.attrs.get(k) for k in rule.key)
        grouped.setdefault(key, []).extend((t, other.order, other.id) for t, a in other.events if a in rule.repeat)
    return grouped


def _invalid(rule, case: _Case, rows: list[dict]) -> list[dict]:  # noqa: ANN001
    reason = case.attrs.get("invalid_reason")
    if reason is None:
        return rows
    for r in rows:
        r["status"], r["reason"] = "invalid", reason
    if rows:
        return rows
    touched = not case.events or any(a in rule.activities() for _, a in case.events)
    if not touched:
        return rows
    ids = [m.id for m in rule.milestones] if isinstance(rule, LadderRule) else [rule.id]
    return [_row(rid, case, status="invalid", reason=reason) for rid in ids]


assert set(STATUSES) >= {"met", "breached", "running", "at_risk", "breached_open", "pending", "held", "failed", "not_applicable", "invalid"}

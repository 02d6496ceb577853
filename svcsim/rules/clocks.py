"""Finding clock cycles and pauses in sorted event arrays, without a loop per case.

A clock is *closed* until a start event, *running* from it until a stop event.
A start while the clock runs is ignored (a revisit's second dispatch does not
restart the completion clock); a stop while it is closed is ignored; every
start that finds the clock closed opens a new cycle. Inside a cycle a pause
event holds a running clock and a resume event lets a held clock run again
(repeats are ignored); a stop ends the cycle whether or not it is held, and a
cycle still held at its end stays held until then.

The trick that keeps this vectorised: the clock is open at an event exactly
when the last start-or-stop event at or before it, in the same case, is a
start. A running maximum of positions finds that event for every row at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from svcsim.rules.prepared import PreparedLog

__all__ = ["Cycles", "find_cycles", "last_marked", "number_within"]

_START, _STOP, _PAUSE, _RESUME = 1, 2, 3, 4


@dataclass(frozen=True)
class Cycles:
    """One entry per clock cycle, ordered by case then start."""

    case: np.ndarray  # case code
    number: np.ndarray  # 1-based cycle number within the case
    start_pos: np.ndarray  # position of the start event
    end_pos: np.ndarray  # position of the stop event, or the case's last position if open
    start_ns: np.ndarray
    stop_ns: np.ndarray  # NaT (int64 min) when open
    closed: np.ndarray  # bool
    pause_cycle: np.ndarray  # per held interval: index of its cycle
    pause_ns: np.ndarray  # per held interval: when it began
    resume_ns: np.ndarray  # per held interval: when it ended (the cycle's end if never resumed)
    pause_open: np.ndarray  # per held interval: still held at the end of the cycle

    def __len__(self) -> int:
        return len(self.case)


NAT = np.iinfo(np.int64).min


def last_marked(marked: np.ndarray) -> np.ndarray:
    """Per row: the index of the last row at or before it where ``marked`` is true, else -1."""
    idx = np.where(marked, np.arange(len(marked)), -1)
    return np.maximum.accumulate(idx) if len(idx) else idx


def find_cycles(
    log: PreparedLog,
    applies: np.ndarray,
    start: list[str],
    stop: list[str],
    pause: list[str] = (),
    resume: list[str] = (),
) -> Cycles:
    """The cycles of a start/stop clock (with pauses) in every case where ``applies`` (per case code)."""
    table = log.lookup(start, _START)
    log.lookup(stop, _STOP, table)
    if pause:
        log.lookup(pause, _PAUSE, table)
        log.lookup(resume, _RESUME, table)
    # only the events the clock reads: the positions of its activities, in cases where it applies
    sel = log.positions([*start, *stop, *pause, *resume])
    case = log.case[sel]
    inside = applies[case]
    if not inside.all():
        sel, case = sel[inside], case[inside]
    kind = table[log.act[sel]]  # times are read only where needed: log.t[sel[rows]]
    if not len(sel):
        none = np.empty(0, dtype=np.int64)
        return Cycles(none, none, none, none, none, none, none.astype(bool), none, none, none, none.astype(bool))

    # the clock state at each row: the last start/stop row at or before it, in the same case
    is_start = kind == _START
    if pause:
        is_ss = is_start | (kind == _STOP)
        last_ss = last_marked(is_ss)
        prev_ss = np.concatenate(([-1], last_ss[:-1]))
        same_prev = (prev_ss >= 0) & (case[np.maximum(prev_ss, 0)] == case)
        was_open = same_prev & (kind[np.maximum(prev_ss, 0)] == _START)
    else:  # every row is a start or a stop: the previous row says whether the clock was open
        was_open = np.zeros(len(kind), dtype=bool)
        np.logical_and(is_start[:-1], case[1:] == case[:-1], out=was_open[1:])
    eff_start = np.greater(is_start, was_open)  # a start while closed
    eff_stop = (kind == _STOP) & was_open

    start_rows = np.flatnonzero(eff_start)
    cyc_of_row = np.cumsum(eff_start, dtype=np.int32 if len(kind) < 2**31 else np.int64)
    cyc_of_row -= 1  # the latest cycle opened at or before each row
    n = len(start_rows)
    cyc_case = case[start_rows]
    stop_ns = np.full(n, NAT, dtype=np.int64)
    end_pos = log.block_end[cyc_case]
    end_pos -= 1
    stop_rows = np.flatnonzero(eff_stop)
    stop_pos = sel[stop_rows]
    stop_cycle = cyc_of_row[stop_rows]
    stop_ns[stop_cycle] = log.t[stop_pos]
    end_pos[stop_cycle] = stop_pos
    closed = stop_ns != NAT
    number = number_within(cyc_case)

    # held intervals: pause/resume rows while the clock is open (after this row's last start/stop, a start)
    p_cycle = p_begin = p_end = p_open = np.empty(0, dtype=np.int64)
    if pause:
        in_open = (last_ss >= 0) & (kind[np.maximum(last_ss, 0)] == _START) & (case[np.maximum(last_ss, 0)] == case)
        pr = np.flatnonzero(((kind == _PAUSE) | (kind == _RESUME)) & in_open)
        pr_kind, pr_cyc, pr_t = kind[pr], cyc_of_row[pr], log.t[sel[pr]]
        eff = np.flatnonzero(_state_changes(pr_kind, pr_cyc))  # repeats are ignored
        e_kind, e_cyc, e_t = pr_kind[eff], pr_cyc[eff], pr_t[eff]
        pauses = np.flatnonzero(e_kind == _PAUSE)
        nxt = pauses + 1
        has_resume = (nxt < len(e_kind)) & (e_cyc[np.minimum(nxt, len(e_kind) - 1)] == e_cyc[pauses]) if len(pauses) else np.empty(0, bool)
        p_cycle = e_cyc[pauses]
        p_begin = e_t[pauses]
        cycle_end = np.where(closed[p_cycle], stop_ns[p_cycle], log.as_of)
        p_end = np.where(has_resume, e_t[np.minimum(nxt, len(e_kind) - 1)], cycle_end)
        p_open = ~has_resume
    start_pos = sel[start_rows]
    return Cycles(
        case=cyc_case, number=number, start_pos=start_pos, end_pos=end_pos,
        start_ns=log.t[start_pos], stop_ns=stop_ns, closed=closed,
        pause_cycle=p_cycle, pause_ns=p_begin, resume_ns=p_end, pause_open=p_open,
    )


def _state_changes(kind: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Per pause/resume row of a cycle (``group``): does it change the held state?

    A cycle begins running, so its first pause holds the clock and a leading
    resume does nothing. After that a row changes the state exactly when its
    kind differs from the previous row's: of a run of equal kinds only the
    first counts.
    """
    prev_kind = np.concatenate(([0], kind[:-1]))
    first = np.concatenate(([True], group[1:] != group[:-1]))
    return np.where(first, kind == _PAUSE, kind != prev_kind)


def number_within(case: np.ndarray) -> np.ndarray:
    """1-based running count of equal consecutive values (cycles of one case are adjacent).

    Most values differ from the one before (most cases have one cycle), so
    only the rows repeating their predecessor are counted up.
    """
    number = np.ones(len(case), dtype=np.int32 if len(case) < 2**31 else np.int64)
    if len(case) < 2:
        return number
    again = np.flatnonzero(case[1:] == case[:-1])
    again += 1  # the rows equal to the row before
    if len(again):
        new_run = np.concatenate(([True], again[1:] != again[:-1] + 1))
        idx = np.arange(len(again))
        number[again] = idx - np.maximum.accumulate(np.where(new_run, idx, 0)) + 2
    return number

"""Finding clock cycles and pauses in sorted event arrays.

A clock is *closed* until a start event, *running* from it until a stop event.
A start while the clock runs is ignored (a revisit's second dispatch does not
restart the completion clock); a stop while it is closed is ignored; every
start that finds the clock closed opens a new cycle. Inside a cycle a pause
event holds a running clock and a resume event lets a held clock run again
(repeats are ignored); a stop ends the cycle whether or not it is held, and a
cycle still held at its end stays held until then.

The clock is a little state machine per case, so it is run as one compiled
pass over the events it reads (:func:`svcsim.rules.columnar.kernels.clock_cycles`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from svcsim.rules.columnar.prepared import PreparedLog

__all__ = ["Cycles", "find_cycles", "number_within"]


@dataclass(frozen=True)
class Cycles:
    """One entry per clock cycle, ordered by case then start."""

    case: np.ndarray  # case code
    number: np.ndarray  # 1-based cycle number within the case
    start_pos: np.ndarray  # position of the start event
    end_pos: np.ndarray  # position of the stop event, or the case's last position if open
    start_ns: np.ndarray
    stop_ns: np.ndarray  # NaT (int64 min) when open
    end_ns: np.ndarray  # the stop, or as_of when open
    closed: np.ndarray  # bool
    pause_cycle: np.ndarray  # per held interval: index of its cycle
    pause_ns: np.ndarray  # per held interval: when it began
    resume_ns: np.ndarray  # per held interval: when it ended (the cycle's end if never resumed)
    pause_open: np.ndarray  # per held interval: still held at the end of the cycle

    def __len__(self) -> int:
        return len(self.case)



def find_cycles(
    log: PreparedLog,
    applies: np.ndarray,
    start: list[str],
    stop: list[str],
    pause: list[str] = (),
    resume: list[str] = (),
) -> Cycles:
    """The cycles of a start/stop clock (with pauses) in every case where ``applies`` (per case code)."""
    from svcsim.rules.columnar import kernels  # numba loads on first use

    table = log.lookup(start, kernels.START)
    log.lookup(stop, kernels.STOP, table)
    if pause:
        log.lookup(pause, kernels.PAUSE, table)
        log.lookup(resume, kernels.RESUME, table)

    # only the events the clock reads: the positions of its activities, one compiled pass over them
    sel = log.positions([*start, *stop, *pause, *resume])
    (case, number, start_pos, end_pos, start_ns, stop_ns, end_ns, closed,
     p_cycle, p_begin, p_end, p_open) = kernels.clock_cycles(sel, log.case, table, log.act, log.t, applies, log.block_end, log.as_of)
    return Cycles(
        case=case, number=number, start_pos=start_pos, end_pos=end_pos,
        start_ns=start_ns, stop_ns=stop_ns, end_ns=end_ns, closed=closed,
        pause_cycle=p_cycle, pause_ns=p_begin, resume_ns=p_end, pause_open=p_open,
    )


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

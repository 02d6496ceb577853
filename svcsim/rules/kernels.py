"""Compiled loops (numba) for the steps that are one pass over sorted events.

A step that walks each case's events once, keeping a little state (is the
clock running, is it held), takes a dozen or more whole-array numpy passes
when written without a loop; compiled, it is one pass that touches each
event once. Each kernel here has the semantics of the numpy code it
replaced, stated in its docstring; the per-case oracle
(:mod:`svcsim.rules.oracle`) checks them on random logs.

Kernels are compiled on first use and cached on disk (``cache=True``), and
release the GIL.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["clock_cycles"]

START, STOP, PAUSE, RESUME = 1, 2, 3, 4
NAT = np.iinfo(np.int64).min


@njit(cache=True, nogil=True)
def clock_cycles(sel, case_of, kind_of_act, act, t, applies, block_end, as_of):  # noqa: ANN001, ANN201
    """The cycles of a start/stop clock with pauses, over the events at positions ``sel``.

    ``sel`` are sorted positions of the events the clock reads; ``kind_of_act``
    maps an activity code to START, STOP, PAUSE, RESUME (0: not read). Only
    cases where ``applies`` holds count. Per case the clock is closed until a
    start, which opens a cycle; a start while open and a stop while closed
    are ignored; a stop ends the cycle. While open, a pause holds a running
    clock and a resume lets a held one run (repeats ignored); a cycle that
    ends held has its held interval end with the cycle (its stop, or
    ``as_of`` while open) and is marked still held.

    Returns per cycle (case, number, start_pos, end_pos, start_ns, stop_ns,
    closed) and per held interval (cycle, begin_ns, end_ns, still_held).
    """
    n_sel = len(sel)
    # an upper bound on cycles and held intervals: the starts and the pauses
    n_start = 0
    n_pause = 0
    for i in range(n_sel):
        k = kind_of_act[act[sel[i]]]
        if k == START:
            n_start += 1
        elif k == PAUSE:
            n_pause += 1
    cyc_case = np.empty(n_start, dtype=case_of.dtype)
    number = np.empty(n_start, dtype=np.int32)
    start_pos = np.empty(n_start, dtype=np.int64)
    end_pos = np.empty(n_start, dtype=np.int64)
    start_ns = np.empty(n_start, dtype=np.int64)
    stop_ns = np.empty(n_start, dtype=np.int64)
    closed = np.empty(n_start, dtype=np.bool_)
    p_cycle = np.empty(n_pause, dtype=np.int64)
    p_begin = np.empty(n_pause, dtype=np.int64)
    p_end = np.empty(n_pause, dtype=np.int64)
    p_open = np.empty(n_pause, dtype=np.bool_)

    n = 0
    m = 0
    current_case = -1
    in_case = 0  # cycles of the current case so far
    running = False  # the clock of the current case is open
    held = False
    for i in range(n_sel):
        pos = sel[i]
        c = case_of[pos]
        if c != current_case:
            if running:
                _close_open(n - 1, m, held, p_end, p_open, as_of)
            current_case = c
            running = False
            held = False
            in_case = 0
        if not applies[c]:
            continue
        k = kind_of_act[act[pos]]
        if k == START:
            if not running:
                in_case += 1
                cyc_case[n] = c
                number[n] = in_case
                start_pos[n] = pos
                end_pos[n] = block_end[c] - 1
                start_ns[n] = t[pos]
                stop_ns[n] = NAT
                closed[n] = False
                n += 1
                running = True
                held = False
        elif k == STOP:
            if running:
                stop_ns[n - 1] = t[pos]
                end_pos[n - 1] = pos
                closed[n - 1] = True
                if held:
                    p_end[m - 1] = t[pos]
                    p_open[m - 1] = True
                running = False
                held = False
        elif k == PAUSE:
            if running and not held:
                p_cycle[m] = n - 1
                p_begin[m] = t[pos]
                p_end[m] = NAT
                p_open[m] = False
                m += 1
                held = True
        elif k == RESUME and running and held:
            p_end[m - 1] = t[pos]
            held = False
    if running:
        _close_open(n - 1, m, held, p_end, p_open, as_of)
    return (
        cyc_case[:n], number[:n], start_pos[:n], end_pos[:n], start_ns[:n], stop_ns[:n], closed[:n],
        p_cycle[:m], p_begin[:m], p_end[:m], p_open[:m],
    )


@njit(cache=True, nogil=True, inline="always")
def _close_open(cycle, m, held, p_end, p_open, as_of):  # noqa: ANN001, ANN202
    """A case's last cycle is still running at the end of its events: a held interval ends at ``as_of``."""
    if held:
        p_end[m - 1] = as_of
        p_open[m - 1] = True

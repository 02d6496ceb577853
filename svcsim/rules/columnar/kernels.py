"""Compiled loops (numba) for the engine's steps that are one pass over whole columns.

A step that walks each case's events once, keeping a little state (is the
clock running, is it held), or that groups and counts codes, takes a dozen
or more whole-array numpy passes when written without a loop; compiled, it
is one call over the whole columns that touches each value once. Each
kernel has the semantics of the numpy code it replaced, stated in its
docstring; the per-case oracle (:mod:`svcsim.rules.oracle`) checks the
engine built on them on random logs (pauses and repeated starts included),
and tests/test_rules_internals.py checks the grouping, counting and repeat
kernels against plain numpy or a brute force.

Kernels are compiled on first use and cached on disk (``cache=True``), and
release the GIL.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from svcsim.rules.results import NAT

__all__ = ["clock_cycles", "counted_by_rule", "code_counts", "grouped_into", "repeats_by_key", "next_repeat", "fixes_inside", "recurrence_outcomes"]

#: what an activity is to a clock (0: not read by it)
START, STOP, PAUSE, RESUME = 1, 2, 3, 4


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
    end_ns (the stop, or ``as_of`` while open), closed) and per held interval (cycle, begin_ns, end_ns, still_held).
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
    end_ns = np.empty(n_start, dtype=np.int64)
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
                _close_open(m, held, p_end, p_open, as_of)
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
                end_ns[n] = as_of
                closed[n] = False
                n += 1
                running = True
                held = False
        elif k == STOP:
            if running:
                stop_ns[n - 1] = t[pos]
                end_ns[n - 1] = t[pos]
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
        _close_open(m, held, p_end, p_open, as_of)
    return (
        cyc_case[:n], number[:n], start_pos[:n], end_pos[:n], start_ns[:n], stop_ns[:n], end_ns[:n], closed[:n],
        p_cycle[:m], p_begin[:m], p_end[:m], p_open[:m],
    )


@njit(cache=True, nogil=True, inline="always")
def _close_open(m, held, p_end, p_open, as_of):  # noqa: ANN001, ANN202
    """A case's last cycle is still running at the end of its events: a held interval ends at ``as_of``."""
    if held:
        p_end[m - 1] = as_of
        p_open[m - 1] = True


@njit(cache=True, nogil=True)
def repeats_by_key(rep_pos, case_of, t, key_of_case, bounds):  # noqa: ANN001, ANN201
    """The repeat events grouped by key, each group in time order (ties in position order).

    ``key_of_case`` is a dense key code per case (-1: no key; such repeats
    are left out). ``bounds`` (zeros, one more than there are keys, of an
    integer type that holds the number of repeats: int32 halves the memory
    the grouping jumps around in) becomes the group bounds. Returns them,
    and per grouped repeat its time and case: key ``k``'s repeats are
    ``bounds[k]:bounds[k + 1]``.
    """
    n_keys = len(bounds) - 1
    rep_key = np.empty(len(rep_pos), dtype=np.int64)  # read once, in order (cases ascend)
    for i in range(len(rep_pos)):
        k = key_of_case[case_of[rep_pos[i]]]
        rep_key[i] = k
        if k >= 0:
            bounds[k + 1] += 1
    for k in range(n_keys):
        bounds[k + 1] += bounds[k]
    fill = bounds[:-1].copy()
    g_t = np.empty(bounds[n_keys], dtype=np.int64)
    g_case = np.empty(bounds[n_keys], dtype=case_of.dtype)
    for i in range(len(rep_pos)):  # in position order: by case, then time
        k = rep_key[i]
        if k >= 0:
            p = rep_pos[i]
            j = fill[k]
            g_t[j] = t[p]
            g_case[j] = case_of[p]
            fill[k] = j + 1
    for k in range(n_keys):
        lo, hi = bounds[k], bounds[k + 1]
        in_order = True
        for j in range(lo + 1, hi):
            if g_t[j] < g_t[j - 1]:
                in_order = False
                break
        if in_order:
            continue
        if hi - lo <= 16:  # an insertion sort; strict comparison keeps ties in position order
            for j in range(lo + 1, hi):
                tj, cj = g_t[j], g_case[j]
                i = j - 1
                while i >= lo and g_t[i] > tj:
                    g_t[i + 1] = g_t[i]
                    g_case[i + 1] = g_case[i]
                    i -= 1
                g_t[i + 1] = tj
                g_case[i + 1] = cj
        else:
            order = np.argsort(g_t[lo:hi], kind="mergesort")  # stable
            g_t[lo:hi] = g_t[lo:hi][order]
            g_case[lo:hi] = g_case[lo:hi][order]
    return bounds, g_t, g_case


@njit(cache=True, nogil=True)
def next_repeat(fix_key, fix_t, bounds, g_t, g_case):  # noqa: ANN001, ANN201
    """Per fix: time and case of the first repeat on its key strictly after it (NaT and -1 if none).

    The first of the key's repeats (see :func:`repeats_by_key`) whose time is
    greater than the fix's, found by binary search.
    """
    n = len(fix_key)
    rep_t = np.empty(n, dtype=np.int64)
    rep_case = np.empty(n, dtype=np.int64)
    for i in range(n):
        k = fix_key[i]
        rep_t[i] = NAT
        rep_case[i] = -1
        if k < 0:
            continue
        lo, hi = bounds[k], bounds[k + 1]
        x = fix_t[i]
        while lo < hi:  # the first position in the group with time > x
            mid = (lo + hi) >> 1
            if g_t[mid] <= x:
                lo = mid + 1
            else:
                hi = mid
        if lo < bounds[k + 1]:
            rep_t[i] = g_t[lo]
            rep_case[i] = g_case[lo]
    return rep_t, rep_case


@njit(cache=True, nogil=True)
def fixes_inside(fix, case_of, t, applies):  # noqa: ANN001, ANN201
    """The case and time of each fix event (positions ``fix``) whose case ``applies``, in position order."""
    n = 0
    for i in range(len(fix)):
        if applies[case_of[fix[i]]]:
            n += 1
    fix_case = np.empty(n, dtype=case_of.dtype)
    fix_t = np.empty(n, dtype=np.int64)
    j = 0
    for i in range(len(fix)):
        c = case_of[fix[i]]
        if applies[c]:
            fix_case[j] = c
            fix_t[j] = t[fix[i]]
            j += 1
    return fix_case, fix_t


@njit(cache=True, nogil=True)
def recurrence_outcomes(fix_case, fix_t, closes, key_of_case, bounds, g_t, g_case, as_of, codes):  # noqa: ANN001, ANN201
    """Per fix: the first repeat on its key after it (:func:`next_repeat`) and what it means for the fix.

    ``codes`` are the status codes (pending, held, failed, not_applicable)
    then the reason codes (none, no key, came back). A fix whose case has no
    key (code -1) is not_applicable; one with a repeat before its window
    ``closes`` failed; else held once the window closed by ``as_of``, or
    pending. Returns per fix: status, number within its case (1, 2, ...),
    stop (the repeat, if failed), wall time elapsed (to the repeat, or to the
    window's close or ``as_of``, whichever is first), related case (-1 if
    none), level (1 if failed) and reason code.
    """
    pending, held, failed, not_applicable, no_reason, no_key_reason, failed_reason = codes
    n = len(fix_case)
    fix_key = np.empty(n, dtype=np.int64)
    for i in range(n):
        fix_key[i] = key_of_case[fix_case[i]]
    # the searches first, in a loop of their own: its memory reads overlap, not held up by the branches below
    rep_t, rep_case = next_repeat(fix_key, fix_t, bounds, g_t, g_case)
    status = np.empty(n, dtype=np.int8)
    number = np.empty(n, dtype=np.int32)
    stop = np.full(n, NAT, dtype=np.int64)
    elapsed = np.empty(n, dtype=np.int64)
    related = np.full(n, -1, dtype=np.int64)
    level = np.zeros(n, dtype=np.int8)
    reason = np.full(n, no_reason, dtype=np.int32)
    for i in range(n):
        number[i] = number[i - 1] + 1 if i > 0 and fix_case[i - 1] == fix_case[i] else 1
        x = fix_t[i]
        close = closes[i]
        rep = rep_t[i]
        elapsed[i] = min(as_of, close) - x
        if fix_key[i] < 0:
            status[i] = not_applicable
            reason[i] = no_key_reason
        elif rep != NAT and rep < close:
            status[i] = failed
            stop[i] = rep
            elapsed[i] = rep - x
            related[i] = rep_case[i]
            level[i] = 1
            reason[i] = failed_reason
        elif close <= as_of:
            status[i] = held
        else:
            status[i] = pending
    return status, number, stop, elapsed, related, level, reason


@njit(cache=True, nogil=True)
def code_counts(codes, lo, hi, n_codes):  # noqa: ANN001, ANN201
    """How many of ``codes[lo:hi]`` are each code below ``n_codes``."""
    counts = np.zeros(n_codes, dtype=np.int64)
    for i in range(lo, hi):
        counts[codes[i]] += 1
    return counts


@njit(cache=True, nogil=True)
def grouped_into(codes, lo, hi, fill, order):  # noqa: ANN001, ANN201
    """Each position ``i`` of ``lo:hi`` written to ``order[fill[codes[i]]]``, that slot then moved on (``fill`` changes)."""
    for i in range(lo, hi):
        c = codes[i]
        order[fill[c]] = i
        fill[c] += 1


@njit(cache=True, nogil=True)
def counted_by_rule(rule, status, case, n_rules, n_status):  # noqa: ANN001, ANN201
    """Rows per (rule, status) code and distinct cases per rule code, in one pass over the result's codes.

    Distinct cases are counted as changes of case code within a rule, which
    is right when the rows come by rule, then case (the result's order);
    ``in_order`` says whether they did (if not, the case counts are not
    usable). Rows with a rule or status code below 0 are not counted.
    """
    counts = np.zeros((n_rules, n_status), dtype=np.int64)
    cases = np.zeros(n_rules, dtype=np.int64)
    in_order = True
    prev_rule, prev_case = -1, -1
    for i in range(len(rule)):
        r, s, c = rule[i], status[i], case[i]
        if r < 0:
            in_order = False
            continue
        if s >= 0:
            counts[r, s] += 1
        if r != prev_rule:
            if r < prev_rule:
                in_order = False
            prev_rule, prev_case = r, -1
        if c != prev_case:
            if c < prev_case or c < 0:
                in_order = False
            cases[r] += 1
            prev_case = c
    return counts, cases, in_order

"""Compiled passes around the one sort of the engine: packing events into int64 keys and back.

:func:`svcsim.rules.columnar.prepared.prepare` sorts events by case, then time, by
sorting one int64 per event, ``case | time | activity`` in bit fields. Each
step around that sort (the ranges that size the fields, the packing, the
unpacking into the engine's columns and the per-case block ends) is a single
pass here, where numpy needs several whole-array passes for each.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["kept_ranges", "combined_ranges", "packed_into", "unpacked", "filled_block_ends"]

_UNITS = (10**9, 10**6, 10**3)


@njit(cache=True, nogil=True)
def kept_ranges(case, act, t, lo, hi, as_of, wanted, c_split, keep):  # noqa: ANN001, ANN201
    """Over rows ``lo:hi``: which to keep, and over those kept, the ranges that size the key's fields.

    A row is kept (``keep[i]`` set) when its time is at most ``as_of`` and
    its activity code ``a`` has ``wanted[a]`` (any code, when ``wanted`` is
    empty). Returns how many were kept, how many of those have a case code
    below ``c_split``, min and max of case, activity and time, the first kept
    time, and the index into ``_UNITS`` of the largest unit every kept time
    less that first one is a whole number of (3: none, 1 ns).
    """
    every = len(wanted) == 0
    n = 0
    n_low = 0
    c_min, c_max = np.iinfo(np.int64).max, np.iinfo(np.int64).min
    a_min, a_max = c_min, c_max
    t_min, t_max = c_min, c_max
    first = np.int64(0)
    u = 0
    for i in range(lo, hi):
        a = np.int64(act[i])
        ti = t[i]
        k = ti <= as_of and (every or (a >= 0 and wanted[a]))
        keep[i] = k
        if not k:
            continue
        c = np.int64(case[i])
        if n == 0:
            first = ti
        n += 1
        if c < c_split:
            n_low += 1
        c_min, c_max = min(c_min, c), max(c_max, c)
        a_min, a_max = min(a_min, a), max(a_max, a)
        t_min, t_max = min(t_min, ti), max(t_max, ti)
        while u < 3 and (ti - first) % _UNITS[u] != 0:  # each unit divides the one before
            u += 1
    return n, n_low, c_min, c_max, a_min, a_max, t_min, t_max, first, u


def combined_ranges(parts: list[tuple]) -> tuple[int, int, int, int, int, int, int, int, int]:
    """The results of :func:`kept_ranges` over consecutive row ranges as one: kept, below the split,
    min and max of case, activity and time, and the time unit (1 s, 1 ms, 1 us or 1 ns)."""
    parts = [p for p in parts if p[0]]
    if not parts:
        return 0, 0, 0, -1, 0, -1, 0, -1, 1
    n = sum(int(p[0]) for p in parts)
    n_low = sum(int(p[1]) for p in parts)
    lows = [min(int(p[k]) for p in parts) for k in (2, 4, 6)]
    highs = [max(int(p[k]) for p in parts) for k in (3, 5, 7)]
    u = max(int(p[9]) for p in parts)
    first = int(parts[0][8])
    while u < 3 and any((int(p[8]) - first) % _UNITS[u] for p in parts):  # all times share the firsts' residue
        u += 1
    unit = _UNITS[u] if u < 3 else 1
    return n, n_low, lows[0], highs[0], lows[1], highs[1], lows[2], highs[2], unit


@njit(cache=True, nogil=True)
def packed_into(case, act, t, keep, lo, hi, low_at, high_at, c_min, base, unit, t_bits, a_bits, c_split, key):  # noqa: ANN001, ANN201
    """Per kept row of ``lo:hi``: ``(case - c_min) << (t_bits + a_bits) | (t - base) // unit << a_bits | act``.

    Keys of cases below ``c_split`` are written from ``key[low_at]`` on, the
    others from ``key[high_at]`` on, each in row order, so that the keys of
    the lower and upper cases can be sorted apart.
    """
    for i in range(lo, hi):
        if keep[i]:
            k = (((np.int64(case[i]) - c_min) << t_bits | (t[i] - base) // unit) << a_bits) | np.int64(act[i])
            if case[i] < c_split:
                key[low_at] = k
                low_at += 1
            else:
                key[high_at] = k
                high_at += 1


@njit(cache=True, nogil=True)
def unpacked(key, offset, c_min, base, unit, t_bits, a_bits, case_out, act_out, t_out, block_end):  # noqa: ANN001, ANN201
    """Sorted keys (positions ``offset`` on) back into columns; returns how many ties there were.

    Fills ``case_out``, ``act_out``, ``t_out`` (views of the same length as
    ``key``) and, for each case with events, ``block_end[c]``: one past the
    position of its last event (see :func:`filled_block_ends` for the
    others). A tie is two adjacent keys with the same case and time, whose
    activities came out in code order.
    """
    a_mask = (np.int64(1) << a_bits) - 1
    t_mask = (np.int64(1) << t_bits) - 1
    ties = 0
    previous = np.int64(-1)
    for i in range(len(key)):
        k = key[i]
        moment = k >> a_bits
        if moment == previous:
            ties += 1
        previous = moment
        act_out[i] = k & a_mask
        t_out[i] = (moment & t_mask) * unit + base
        c = (moment >> t_bits) + c_min
        case_out[i] = c
        block_end[c] = offset + i + 1
    return ties


@njit(cache=True, nogil=True)
def filled_block_ends(block_end):  # noqa: ANN001, ANN201
    """Cases without events (``block_end`` 0) end where the case before them ended."""
    end = 0
    for c in range(len(block_end)):
        if block_end[c] == 0:
            block_end[c] = end
        else:
            end = block_end[c]

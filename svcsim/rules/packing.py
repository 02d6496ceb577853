"""Compiled passes around the one sort of the engine: packing events into int64 keys and back.

:func:`svcsim.rules.prepared.prepare` sorts events by case, then time, by
sorting one int64 per event, ``case | time | activity`` in bit fields. Each
step around that sort (the ranges that size the fields, the packing, the
unpacking into the engine's columns and the per-case block ends) is a single
pass here, where numpy needs several whole-array passes for each.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["key_ranges", "packed_keys", "unpacked", "filled_block_ends"]

_UNITS = (10**9, 10**6, 10**3)


@njit(cache=True, nogil=True)
def key_ranges(case, act, t, keep):  # noqa: ANN001, ANN201
    """Over the ``keep`` rows: how many, min and max of case, activity and time, and the time unit.

    The unit is the largest of 1 s, 1 ms, 1 us that every kept time less the
    earliest is a whole number of (1 ns if none); all times then share one
    remainder modulo that unit.
    """
    n = 0
    c_min, c_max = np.iinfo(np.int64).max, np.iinfo(np.int64).min
    a_min, a_max = c_min, c_max
    t_min, t_max = c_min, c_max
    first = 0
    u = 0  # index of the largest unit every kept time so far is a whole number of (3: none)
    for i in range(len(t)):
        if not keep[i]:
            continue
        c, a, ti = np.int64(case[i]), np.int64(act[i]), t[i]
        if n == 0:
            first = ti
        n += 1
        c_min, c_max = min(c_min, c), max(c_max, c)
        a_min, a_max = min(a_min, a), max(a_max, a)
        t_min, t_max = min(t_min, ti), max(t_max, ti)
        while u < 3 and (ti - first) % _UNITS[u] != 0:  # each unit divides the one before
            u += 1
    unit = _UNITS[u] if u < 3 else 1
    return n, c_min, c_max, a_min, a_max, t_min, t_max, unit


@njit(cache=True, nogil=True)
def packed_keys(case, act, t, keep, n, c_min, base, unit, t_bits, a_bits, c_split):  # noqa: ANN001, ANN201
    """Per kept row: ``(case - c_min) << (t_bits + a_bits) | (t - base) // unit << a_bits | act``.

    Keys of cases below ``c_split`` come first, then the others (each part
    in row order): the two parts can be sorted apart. Returns the keys and
    the size of the first part.
    """
    n_low = 0
    for i in range(len(t)):
        if keep[i] and case[i] < c_split:
            n_low += 1
    key = np.empty(n, dtype=np.int64)
    low, high = 0, n_low
    for i in range(len(t)):
        if keep[i]:
            k = (((np.int64(case[i]) - c_min) << t_bits | (t[i] - base) // unit) << a_bits) | np.int64(act[i])
            if case[i] < c_split:
                key[low] = k
                low += 1
            else:
                key[high] = k
                high += 1
    return key, n_low


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

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

__all__ = ["key_ranges", "packed_keys", "unpacked"]

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
def packed_keys(case, act, t, keep, n, c_min, base, unit, t_bits, a_bits):  # noqa: ANN001, ANN201
    """Per kept row: ``(case - c_min) << (t_bits + a_bits) | (t - base) // unit << a_bits | act``."""
    key = np.empty(n, dtype=np.int64)
    j = 0
    for i in range(len(t)):
        if keep[i]:
            key[j] = (((np.int64(case[i]) - c_min) << t_bits | (t[i] - base) // unit) << a_bits) | np.int64(act[i])
            j += 1
    return key


@njit(cache=True, nogil=True)
def unpacked(key, c_min, base, unit, t_bits, a_bits, n_cases, case_out, act_out):  # noqa: ANN001, ANN201
    """Sorted keys back into columns: fills ``case_out`` and ``act_out``, returns times, block ends, ties.

    ``block_end[c]`` is one past the last position of case ``c`` (cases
    without events share their predecessor's). ``ties`` counts adjacent keys
    with the same case and time (whose activities came out in code order).
    """
    n = len(key)
    t = np.empty(n, dtype=np.int64)
    block_end = np.zeros(n_cases, dtype=np.int64)
    a_mask = (np.int64(1) << a_bits) - 1
    t_mask = (np.int64(1) << t_bits) - 1
    ties = 0
    previous = np.int64(-1)
    for i in range(n):
        k = key[i]
        moment = k >> a_bits
        if moment == previous:
            ties += 1
        previous = moment
        act_out[i] = k & a_mask
        t[i] = (moment & t_mask) * unit + base
        c = (moment >> t_bits) + c_min
        case_out[i] = c
        block_end[c] = i + 1
    end = 0
    for c in range(n_cases):  # cases without events end where the one before ended
        if block_end[c] == 0:
            block_end[c] = end
        else:
            end = block_end[c]
    return t, block_end, ties

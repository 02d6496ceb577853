"""Compiled loops (numba) for the calendar's searches over its sorted boundaries.

Every business-time answer starts with "which service interval is this
instant in" (or "which interval's running total reaches this target"): a
search of millions of keys in a few thousand sorted boundaries. Written with
numpy, the bucketed search of :class:`~svcsim.calendar.lookup.SortedLookup`
and the arithmetic around it are a dozen passes over the keys; here each key
is answered in one step of one loop. Compiled on first use, cached on disk,
the GIL released.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from svcsim.eventlog.time import NAT_NS

__all__ = ["searched", "deadlines", "business_between"]


@njit(cache=True, nogil=True, inline="always")
def _search_one(padded, table, low, high, shift, right, key):  # noqa: ANN001, ANN202
    """``np.searchsorted(padded[:-1], key, side)``: the bucket's remembered answer, then steps forward."""
    b = (min(max(key, low), high) - low) >> shift
    j = table[b]
    if right:
        while padded[j] <= key:
            j += 1
    else:
        while padded[j] < key:
            j += 1
    return j


@njit(cache=True, nogil=True)
def searched(padded, table, low, shift, right, keys):  # noqa: ANN001, ANN201
    """Insertion index of each key (``side="right"`` when ``right``), as int64."""
    high = low + ((len(table) << shift) - 1)
    out = np.empty(len(keys), dtype=np.int64)
    for i in range(len(keys)):
        out[i] = _search_one(padded, table, low, high, shift, right, keys[i])
    return out


@njit(cache=True, nogil=True)
def deadlines(o_padded, o_table, o_low, o_shift, shift_ns, c_padded, c_table, c_low, c_shift,
              open_start, open_len, cum_end, start, duration):  # noqa: ANN001, ANN201
    """Earliest ``t >= start`` with ``duration`` of business time in ``[start, t)``, per pair.

    NaT in either gives NaT; a duration of 0 or less gives ``start``. Returns
    the deadlines and the index of the first one past the covered business
    time (-1 if none; its deadline is NaT). The running total at the start,
    plus the duration (at least 1 ns, at most one past all business time),
    is found among the intervals' running totals.
    """
    o_high = o_low + ((len(o_table) << o_shift) - 1)
    c_high = c_low + ((len(c_table) << c_shift) - 1)
    total = cum_end[len(cum_end) - 1]
    n_end = len(cum_end)
    out = np.empty(len(start), dtype=np.int64)
    beyond = -1
    for i in range(len(start)):
        s, d = start[i], duration[i]
        if s == NAT_NS or d == NAT_NS:
            out[i] = NAT_NS
            continue
        if d <= 0:
            out[i] = s
            continue
        k = _search_one(o_padded, o_table, o_low, o_high, o_shift, True, s) - 1
        reached = min(s + shift_ns[k], cum_end[k])
        step = max(min(d, total - reached + 1), 1) + reached
        k = _search_one(c_padded, c_table, c_low, c_high, c_shift, False, step)
        if k >= n_end:
            out[i] = NAT_NS
            if beyond < 0:
                beyond = i
        else:
            out[i] = open_start[k] + open_len[k] - (cum_end[k] - step)
    return out, beyond


@njit(cache=True, nogil=True)
def business_between(padded, table, low, shift, shift_ns, cum_end, start, end):  # noqa: ANN001, ANN201
    """Business ns in ``[start, end)`` per pair (negative when end < start); NaT in either gives NaT."""
    high = low + ((len(table) << shift) - 1)
    out = np.empty(len(start), dtype=np.int64)
    for i in range(len(start)):
        s, e = start[i], end[i]
        if s == NAT_NS or e == NAT_NS:
            out[i] = NAT_NS
            continue
        k = _search_one(padded, table, low, high, shift, True, e) - 1
        at_end = min(e + shift_ns[k], cum_end[k])
        k = _search_one(padded, table, low, high, shift, True, s) - 1
        out[i] = at_end - min(s + shift_ns[k], cum_end[k])
    return out

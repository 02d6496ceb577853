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

__all__ = ["searched", "cumulative", "inverse"]

NAT_NS = np.iinfo(np.int64).min


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
def cumulative(padded, table, low, shift, shift_ns, cum_end, t):  # noqa: ANN001, ANN201
    """Business ns from the start of coverage up to each instant: ``min(t + shift[k], cum_end[k])``.

    ``k`` is the last service interval starting at or before ``t`` (a right
    search of the interval starts).
    """
    high = low + ((len(table) << shift) - 1)
    out = np.empty(len(t), dtype=np.int64)
    for i in range(len(t)):
        k = _search_one(padded, table, low, high, shift, True, t[i]) - 1
        out[i] = min(t[i] + shift_ns[k], cum_end[k])
    return out


@njit(cache=True, nogil=True)
def inverse(padded, table, low, shift, open_start, open_len, cum_end, target):  # noqa: ANN001, ANN201
    """Earliest instant where the running business total reaches each target; NaT past the last one.

    ``k`` is the first interval whose running total at its end reaches the
    target (a left search of the running totals); the answer lies
    ``cum_end[k] - target`` before that interval's end.
    """
    high = low + ((len(table) << shift) - 1)
    n_end = len(cum_end)
    out = np.empty(len(target), dtype=np.int64)
    for i in range(len(target)):
        k = _search_one(padded, table, low, high, shift, False, target[i])
        if k >= n_end:
            out[i] = NAT_NS
        else:
            out[i] = open_start[k] + open_len[k] - (cum_end[k] - target[i])
    return out

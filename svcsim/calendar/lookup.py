"""A fast ``searchsorted`` over one fixed sorted array, for millions of keys.

``numpy.searchsorted`` does a full binary search per key: about a second for
ten million keys on a modest machine. The calendar searches the same few
thousand sorted boundaries again and again, so :class:`SortedLookup` spends
a little memory once: it cuts the value range into power-of-two buckets and
remembers, per bucket, the answer for the bucket's lower edge. A key's answer
is then that remembered answer plus a few steps forward (the values that fall
inside the key's bucket), one compiled loop over the keys
(:mod:`svcsim.calendar.kernels`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from svcsim.eventlog.time import NAT_NS

__all__ = ["SortedLookup", "NAT_NS"]

#: numpy's NaT as an int64 (the smallest int64).

_INT64_MAX = int(np.iinfo(np.int64).max)


@dataclass(frozen=True, eq=False)
class SortedLookup:
    """``np.searchsorted(values, keys, side)`` for a fixed sorted int64 array.

    ``padded`` is ``values`` followed by one int64-max sentinel, so stepping
    forward never reads past the end. ``table[b]`` is a lower bound of the
    answer for every key in bucket ``b`` (keys below the first bucket share
    bucket 0, whose bound is 0).
    """

    padded: np.ndarray
    side: str
    low: int
    shift: int
    table: np.ndarray

    @classmethod
    def build(cls, values: np.ndarray, side: str, buckets_per_value: int = 8) -> SortedLookup:
        """Index ``values`` (sorted, non-empty) for searches on ``side``."""
        values = np.ascontiguousarray(values, dtype=np.int64)
        low = int(values[0])
        span = int(values[-1]) - low + 1
        wanted = max(1, buckets_per_value * len(values))
        shift = max(0, (span // wanted).bit_length())
        n_buckets = (span >> shift) + 1
        edges = low + (np.arange(n_buckets, dtype=np.int64) << shift)
        table = np.searchsorted(values, edges, side=side).astype(np.int32)
        table[0] = 0
        padded = np.append(values, np.int64(_INT64_MAX))
        return cls(padded=padded, side=side, low=low, shift=shift, table=table)

    @property
    def size(self) -> int:
        """How many values are indexed (without the sentinel)."""
        return len(self.padded) - 1

    def __call__(self, keys: np.ndarray) -> np.ndarray:
        """Insertion indices of ``keys`` (an int64 array), like ``np.searchsorted`` (int64)."""
        from svcsim.calendar.kernels import searched  # numba loads on first use, not at import

        keys = np.ascontiguousarray(keys, dtype=np.int64)
        return searched(self.padded, self.table, self.low, self.shift, self.side == "right", keys)

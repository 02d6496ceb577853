"""Stable multi-key sorting of integer columns, fast.

``np.lexsort`` and ``np.argsort(kind="stable")`` on millions of int64 keys
take seconds; ``np.sort`` of plain int64 values is several times faster
(vectorised). :func:`lexsort_order` packs the keys and the row number into
one int64 per row and sorts those values, one pass per group of keys that fits
in 63 bits (least significant group first: an LSD radix sort whose digits are
whole keys). Its answer is exactly ``np.lexsort``'s, ties in row order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from svcsim.rules.columnar.packing import packed_keys

__all__ = ["is_sorted", "lexsort_order", "time_key"]

_BITS = 63


def time_key(t: np.ndarray) -> np.ndarray:
    """Int64 times (ns) as a smaller key with the same order and ties.

    ``t`` less its minimum, in whole seconds (or ms, or us) when every value
    is a whole number of them: live and simulated logs rarely need 56 bits.
    """
    t = np.asarray(t, dtype=np.int64)
    if not len(t):
        return t.copy()
    d = t - t.min()
    for unit in (10**9, 10**6, 10**3):
        if not (d % unit).any():
            return d // unit
    return d


def lexsort_order(keys: Sequence[np.ndarray]) -> np.ndarray:
    """The permutation sorting rows by ``keys`` (most significant first), ties in row order.

    Equal to ``np.lexsort(keys[::-1])`` (which takes the least significant
    key first); every key is an integer array of one length.
    """
    keys = [np.asarray(k) for k in keys]
    n = len(keys[0]) if keys else 0
    if n == 0:
        return np.arange(0, dtype=np.intp)
    idx_bits = max(1, (n - 1).bit_length())
    budget = _BITS - idx_bits
    shifted: list[tuple[np.ndarray, int]] = []
    for key in keys:
        key = key.astype(np.int64, copy=False)
        low, high = int(key.min()), int(key.max())
        bits = (high - low).bit_length()
        if bits > budget:
            return np.lexsort(tuple(keys[::-1]))
        if bits:  # a constant key orders nothing
            shifted.append((key - low if low else key, bits))
    if not shifted:
        return np.arange(n, dtype=np.intp)
    # group the keys into passes of at most ``budget`` bits, least significant last in the list
    passes: list[list[tuple[np.ndarray, int]]] = []
    used = _BITS
    for key, bits in reversed(shifted):
        if used + bits > budget:
            passes.append([])
            used = 0
        passes[-1].append((key, bits))
        used += bits
    rows = np.arange(n, dtype=np.int64)
    mask = (1 << idx_bits) - 1
    perm: np.ndarray | None = None
    for group in passes:  # least significant group first
        # the group lists its keys least significant first; each fits its bits, so this is never None
        fields = [key if perm is None else key[perm] for key, _ in reversed(group)]
        packed = packed_keys([*fields, rows], sizes=[1 << bits for _, bits in reversed(group)] + [1 << idx_bits])
        packed.sort()
        local = packed & mask
        perm = local if perm is None else perm[local]
    return perm.astype(np.intp, copy=False)


def is_sorted(*keys: np.ndarray) -> bool:
    """Whether the rows are already in lexicographic order of ``keys`` (then a stable sort is the identity)."""
    undecided = np.ones(max(len(keys[0]) - 1, 0), dtype=bool)  # pairs equal on all keys so far
    for key in keys:
        step = np.diff(key)
        if (undecided & (step < 0)).any():
            return False
        undecided &= step == 0
        if not undecided.any():
            break
    return True

"""Sorting a log's events by case, then time, then narration order: the engine's one big sort.

:func:`sorted_events` keeps the events up to ``as_of`` that the rules read
and sorts them, usually by one ``np.sort`` of packed int64 keys
(:func:`_sorted_packed`, with the compiled passes of
:mod:`~svcsim.rules.columnar.sort_kernels`), else by
:func:`~svcsim.rules.columnar.sorting.lexsort_order`;
:func:`grouped_by_code` groups positions by activity code (a counting sort).
On large logs and with threads, each pass runs over two halves at once.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from svcsim.rules.columnar.packing import packed_keys
from svcsim.rules.columnar.sorting import is_sorted, lexsort_order, time_key

__all__ = ["grouped_by_code", "sorted_events"]

#: from this many kept events on, the sort is split in two halves by case, sorted on two threads
_SPLIT_SORT_EVENTS = 500_000


def grouped_by_code(codes: np.ndarray, n_codes: int, threads: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions grouped by code, each group in position order, and the group bounds (a counting sort).

    The same as ``np.argsort(codes, kind="stable")`` with ``np.bincount``'s
    running total: a counting pass and a placing pass
    (:func:`~svcsim.rules.columnar.kernels.code_counts`, :func:`~svcsim.rules.columnar.kernels.grouped_into`).
    With ``threads`` above 1 and ``_SPLIT_SORT_EVENTS`` codes or more, each
    pass runs over two halves of the positions on two threads (the first
    half's positions go first in every group).
    """
    from svcsim.rules.columnar import kernels  # numba loads on first use

    halves = _row_halves(len(codes), threads)
    order = np.empty(len(codes), dtype=np.int64)
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="svcsim-group") as pool:
        counts = _each(pool, lambda h: kernels.code_counts(codes, h[0], h[1], n_codes), halves)
        bounds = np.zeros(n_codes + 1, dtype=np.int64)
        np.cumsum(np.sum(counts, axis=0), out=bounds[1:])
        fills = [bounds[:-1] + sum(counts[:h], np.zeros(n_codes, dtype=np.int64)) for h in range(len(halves))]
        _each(pool, lambda h: kernels.grouped_into(codes, *halves[h], fills[h], order), list(range(len(halves))))
    return order, bounds


def _row_halves(n: int, threads: int) -> list[tuple[int, int]]:
    """Rows ``0:n`` as two halves when ``threads`` above 1 and ``n`` reaches ``_SPLIT_SORT_EVENTS``, else one range."""
    return [(0, n // 2), (n // 2, n)] if threads > 1 and n >= _SPLIT_SORT_EVENTS else [(0, n)]


def _each(pool: ThreadPoolExecutor, fn: Callable, items: list) -> list:
    """``[fn(item) for item in items]``, on the pool's threads when there is more than one (the kernels release the GIL)."""
    return list(pool.map(fn, items)) if len(items) > 1 else [fn(item) for item in items]


def sorted_events(
    events: pd.DataFrame, case_all: np.ndarray, act_all: np.ndarray, t_all: np.ndarray, as_of: int,
    wanted: np.ndarray | None, n_cases: int, act_names: tuple[str, ...], threads: int = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The kept events' case, activity and time sorted by case, time, ``seq`` if any, then row; and the block ends.

    Kept are the events up to ``as_of`` whose activity code is ``wanted`` (all, if None).
    """
    seq = None
    if "seq" in events.columns:
        seq = pd.to_numeric(events["seq"], errors="coerce").fillna(0).to_numpy()
    else:
        packed = _sorted_packed(case_all, act_all, t_all, as_of=as_of, wanted=wanted, n_cases=n_cases, threads=threads)
        if packed is not None:
            case, act, t, _scale, block_end = packed
            return case, act, t, block_end
    keep = t_all <= as_of
    if wanted is not None:
        keep &= wanted[act_all]
    every = bool(keep.all())
    case, act, t = (case_all, act_all, t_all) if every else (case_all[keep], act_all[keep], t_all[keep])
    case, act = case.astype(np.int64), act.astype(_act_dtype(len(act_names)))
    seq = seq if seq is None or every else seq[keep]
    order = _sort_order(case, t, seq)
    if order is not None:
        case, act, t = case[order], act[order], t[order]
    case = case.astype(np.int32 if n_cases < 2**31 else np.int64, copy=False)
    block_end = np.cumsum(np.bincount(case, minlength=n_cases))  # case is sorted: one past each case's block
    return case, act, t, block_end


def _act_dtype(n_codes: int) -> type:
    """The dtype of activity codes below ``n_codes``: one byte when they fit (the usual case)."""
    return np.uint8 if n_codes <= 256 else np.int32


def _sorted_packed(
    case: np.ndarray, act: np.ndarray, t: np.ndarray, *, as_of: int | None = None, wanted: np.ndarray | None = None,
    n_cases: int | None = None, threads: int = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[int, int, int], np.ndarray] | None:
    """The kept rows of ``(case, act, t)`` sorted by case, time, then row, from one sort of packed int64 values.

    Kept are the rows up to ``as_of`` (all, if None) whose activity code is
    ``wanted`` (all, if None). Returns the three sorted columns, the time
    scale ``(base, unit, bits)`` (every kept ``t`` is ``base + k * unit`` with
    ``k < 2**bits``) and the block ends: per case code below ``n_cases``
    (default: the largest code plus one), one past its last position.

    Each event becomes ``case | time | activity`` in one int64 (time less the
    earliest, in whole seconds, ms or us when every time is a whole number of
    them), so a plain ``np.sort`` orders them and the columns are read back
    from the bits (:mod:`svcsim.rules.columnar.sort_kernels`): int32 case codes (int64 past
    2**31), small activity codes, int64 times. Events of one case at one
    instant come out ordered by activity code, so those few are put back in
    row order. None when the three do not fit in 63 bits (or a code is
    negative). With ``threads`` above 1 and ``_SPLIT_SORT_EVENTS`` rows or
    more, each pass runs on two threads: the filtering and packing over two
    halves of the rows, the sort and the reading back over the lower and
    upper halves of the case codes.
    """
    from svcsim.rules.columnar import sort_kernels  # numba loads on first use

    n_rows = len(t)
    if n_cases is None:
        n_cases = int(case.max()) + 1 if n_rows else 0
    rows = _row_halves(n_rows, threads)
    c_split = (n_cases + 1) // 2 if len(rows) > 1 else np.iinfo(np.int64).max
    as_of = np.iinfo(np.int64).max if as_of is None else int(as_of)
    wanted = np.zeros(0, dtype=bool) if wanted is None else wanted
    keep = np.empty(n_rows, dtype=bool)
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="svcsim-sort") as pool:
        found = _each(pool, lambda r: sort_kernels.kept_ranges(case, act, t, r[0], r[1], as_of, wanted, c_split, keep), rows)
        n, n_low, c_min, c_max, a_min, a_max, t_min, t_max, unit = sort_kernels.combined_ranges(found)
        if not n or a_min < 0 or c_min < 0:
            return None
        c_bits = int(c_max - c_min).bit_length()
        t_bits = int((t_max - t_min) // unit).bit_length()
        a_bits = int(a_max).bit_length()
        if c_bits + t_bits + a_bits > 63:
            return None
        key = np.empty(n, dtype=np.int64)
        low_at = np.cumsum([0] + [int(f[1]) for f in found])
        high_at = n_low + np.cumsum([0] + [int(f[0] - f[1]) for f in found])
        _each(pool, lambda h: sort_kernels.packed_into(case, act, t, keep, *rows[h], int(low_at[h]), int(high_at[h]), c_min, t_min,
                                                 unit, t_bits, a_bits, c_split, key), list(range(len(rows))))
        s_case = np.empty(n, dtype=np.int32 if n_cases < 2**31 else np.int64)
        s_act = np.empty(n, dtype=_act_dtype(1 << a_bits))
        s_t = np.empty(n, dtype=np.int64)
        block_end = np.zeros(n_cases, dtype=np.int64)

        def sorted_and_read(part: tuple[int, int]) -> int:
            lo, hi = part
            key[lo:hi].sort()
            return sort_kernels.unpacked(key[lo:hi], lo, c_min, t_min, unit, t_bits, a_bits, s_case[lo:hi], s_act[lo:hi], s_t[lo:hi], block_end)

        ties = sum(_each(pool, sorted_and_read, [(0, n_low), (n_low, n)] if 0 < n_low < n else [(0, n)]))
    sort_kernels.filled_block_ends(block_end)
    if ties:  # such events keep their row order, not their activity order
        sorted_moment = key >> a_bits
        del key
        tie = sorted_moment[1:] == sorted_moment[:-1]
        slots = np.zeros(n, dtype=bool)
        slots[1:] |= tie
        slots[:-1] |= tie
        slots = np.flatnonzero(slots)
        kept = keep.all()
        k_case, k_act, k_t = (case, act, t) if kept else (case[keep], act[keep], t[keep])
        moment = ((k_case.astype(np.int64) - c_min) << t_bits) | ((k_t - t_min) // unit)
        rows_at = np.flatnonzero(np.isin(moment, np.unique(sorted_moment[slots])))
        rows_at = rows_at[lexsort_order((moment[rows_at],))]  # by instant, then row
        s_act[slots] = k_act[rows_at]
    return s_case, s_act, s_t, (int(t_min), int(unit), t_bits), block_end


def _sort_order(case: np.ndarray, t: np.ndarray, seq: np.ndarray | None) -> np.ndarray | None:
    """The permutation sorting events by case, time, ``seq`` (if given), then row: ``np.lexsort``'s, exactly.

    None when the events are in that order already. Integer keys go through
    :func:`~svcsim.rules.columnar.sorting.lexsort_order` (packed int64 sorts); a
    fractional ``seq`` through :func:`_lexsort_order`.
    """
    n = len(case)
    if n == 0:
        return None
    if seq is not None and seq.dtype.kind == "f":
        whole = np.isfinite(seq).all() and (seq == np.round(seq)).all() and np.abs(seq).max() < 2**53
        if not whole:
            return _lexsort_order(case, t, seq)
        seq = seq.astype(np.int64)
    keys = (case, t) if seq is None else (case, t, seq)
    if is_sorted(*keys):
        return None
    keys = (case, time_key(t)) if seq is None else (case, time_key(t), seq)
    return lexsort_order(keys)


def _lexsort_order(case: np.ndarray, t: np.ndarray, seq: np.ndarray | None) -> np.ndarray:
    """The permutation sorting events by case, time, ``seq`` (if given), then row: ``np.lexsort``'s, exactly.

    A single int64 key ``case x seconds`` (exact to the second) is argsorted
    with the fast unstable sort; only the events that share such a key with
    another (events of one case in the same second) are then put in exact
    order by (time, seq, row). Falls back to ``np.lexsort`` when the key
    would overflow.
    """
    n = len(case)
    if n == 0:
        return np.arange(0, dtype=np.intp)
    t_min, t_max = int(t.min()), int(t.max())
    c_min, c_max = int(case.min()), int(case.max())
    span = (t_max - t_min) // 10**9 + 1
    coarse = None if t_max - t_min >= 2**62 else packed_keys((case - c_min, (t - t_min) // 10**9), sizes=(c_max - c_min + 1, span))
    if coarse is None:
        return np.lexsort((seq, t, case) if seq is not None else (t, case))
    order = np.argsort(coarse)
    ordered = coarse[order]
    tie = ordered[1:] == ordered[:-1]
    if tie.any():
        tied = np.zeros(n, dtype=bool)
        tied[1:] |= tie
        tied[:-1] |= tie
        at = np.flatnonzero(tied)  # whole runs of equal keys, each contiguous in sorted order
        rows = np.sort(order[at])
        keys = (rows, t[rows], coarse[rows]) if seq is None else (rows, seq[rows], t[rows], coarse[rows])
        order[at] = rows[np.lexsort(keys)]
    return order

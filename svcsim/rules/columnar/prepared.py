"""An event log as sorted integer arrays, the form the vectorised engine works on.

Events after ``as_of`` are dropped; the rest are sorted by case, then time,
then narration order (``seq`` if present, else row order), so each case is a
contiguous block and a *position* in the arrays says both which case and
which moment. Case attributes are aligned to integer case codes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from svcsim.errors import InputError
from svcsim.eventlog.log import EventLog
from svcsim.rules.columnar.packing import packed_keys
from svcsim.rules.columnar.sorting import is_sorted, lexsort_order, time_key

__all__ = ["PreparedLog", "prepare"]

#: from this many kept events on, the sort is split in two halves by case, sorted on two threads
_SPLIT_SORT_EVENTS = 500_000


@dataclass(frozen=True)
class PreparedLog:
    """Sorted event arrays and the aligned cases table of one log at one ``as_of``.

    When :func:`prepare` is told which activities the rules read, the arrays
    hold only those events (positions are then positions among them); every
    answer below is the same either way, since the rules see nothing else.
    """

    case: np.ndarray  # case code per event: int32 (int64 past 2**31 cases), half the bytes of every gather
    act: np.ndarray  # activity code per event: uint8 (int32 past 256 activities)
    t: np.ndarray  # int64 UTC epoch ns per event
    case_ids: pd.Index  # case code -> case id
    act_names: tuple[str, ...]  # activity code -> name
    cases: pd.DataFrame  # row i describes case code i
    as_of: int  # UTC epoch ns
    block_end: np.ndarray  # per case code: one past the position of its last event
    has_any: np.ndarray | None = None  # per case code: any event (of any activity) up to as_of; None = block_end says
    invalid: np.ndarray | None = None  # per case code: marked invalid by a loader (None: no case is)
    invalid_code: np.ndarray | None = None  # per case code: index into invalid_labels, -1 if valid
    invalid_labels: tuple[str, ...] = ()
    case_dtype: pd.CategoricalDtype | None = None  # the categorical dtype over case_ids, when known distinct
    threads: int = 1  # threads its own large passes may use
    _memo: dict = field(default_factory=dict, repr=False, compare=False)
    _locks: dict = field(default_factory=dict, repr=False, compare=False)  # memo key -> lock while it is computed
    _guard: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def n_cases(self) -> int:
        return len(self.case_ids)

    def memoized(self, key: object, compute: Callable[[], object]) -> object:
        """The value kept under ``key``, computed by ``compute()`` the first time it is asked for.

        Rules evaluated on several threads ask for the same things (positions
        of an activity, repeats grouped by key): each is computed once, the
        other threads waiting for it, while different keys compute at once.
        """
        found = self._memo.get(key)
        if found is not None:
            return found
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            found = self._memo.get(key)
            if found is None:
                found = self._memo[key] = compute()
        return found

    def codes(self, names: Iterable[str]) -> np.ndarray:
        """Activity codes of ``names`` (names absent from the log are skipped)."""
        index = self.memoized("act_index", lambda: {n: i for i, n in enumerate(self.act_names)})
        return np.array(sorted(index[n] for n in set(names) if n in index), dtype=np.int32)

    def lookup(self, names: Iterable[str], value: int = 1, table: np.ndarray | None = None) -> np.ndarray:
        """An activity-code table with ``value`` at the codes of ``names`` (for one-pass classification)."""
        out = np.zeros(len(self.act_names) + 1, dtype=np.int8) if table is None else table
        out[self.codes(names)] = value
        return out

    def positions(self, names: Iterable[str]) -> np.ndarray:
        """Sorted positions of the events whose activity is one of ``names`` (do not modify)."""
        codes = self.codes(names)

        def compute() -> np.ndarray:
            order, starts = self._by_activity()
            pieces = [order[starts[c]:starts[c + 1]] for c in codes]
            # each piece is sorted: the stable sort (a merge of runs) of their concatenation is fast
            return np.sort(np.concatenate(pieces), kind="stable") if len(pieces) > 1 else (pieces[0] if pieces else order[:0])

        return self.memoized(("positions", codes.tobytes()), compute)

    def n_events(self, names: Iterable[str]) -> int:
        """How many events have one of ``names`` as their activity."""
        codes = self.codes(names)
        starts = self._by_activity()[1]
        return int((starts[codes + 1] - starts[codes]).sum())

    def _by_activity(self) -> tuple[np.ndarray, np.ndarray]:
        """Event positions grouped by activity code (each group in position order), and group bounds."""
        return self.memoized("by_activity", lambda: _grouped_by_code(self.act, len(self.act_names), self.threads))

    def has_event(self, names: Iterable[str]) -> np.ndarray:
        """Per case code: whether any of ``names`` happened (up to ``as_of``) (do not modify)."""
        names = list(names)

        def compute() -> np.ndarray:
            found = np.zeros(self.n_cases, dtype=bool)
            found[self.case[self.positions(names)]] = True
            found.flags.writeable = False
            return found

        return self.memoized(("has_event", self.codes(names).tobytes()), compute)

    def no_events(self) -> np.ndarray:
        """Per case code: whether the case has no event at all up to ``as_of``."""
        if self.has_any is not None:
            return ~self.has_any
        return self.block_end == np.concatenate(([0], self.block_end[:-1]))

    def case_column(self, name: str, *, source: str, where: str) -> pd.Series:
        if name not in self.cases.columns:
            raise InputError(
                f"reads the case field '{name}', which the log does not have", file=source, where=where,
                expected=f"one of {sorted(map(str, self.cases.columns))}",
            )
        return self.cases[name]


def prepare(log: EventLog, as_of: int | None, activities: Iterable[str] | None = None, *, threads: int = 1) -> PreparedLog:
    """Sort and encode ``log`` for evaluation at ``as_of`` (UTC epoch ns; None = the last event).

    With ``activities`` (the names every rule reads), only those events are
    kept: sorting fewer rows is faster and the rules see nothing else. With
    ``threads`` above 1, a large log is sorted as two halves on two threads.
    """
    events = log.events
    t_all = events["timestamp"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    if as_of is None:
        as_of = int(t_all.max()) if len(t_all) else 0
    cid = events["case_id"]
    if isinstance(cid.dtype, pd.CategoricalDtype):
        case_all = cid.cat.codes.to_numpy()  # small integers; widened once filtered
        raw_ids = cid.cat.categories
    else:
        codes, raw_ids = pd.factorize(cid, sort=False)
        case_all, raw_ids = codes.astype(np.int64), pd.Index(np.asarray(raw_ids, dtype=object))
    case_ids, case_dtype, cases = _aligned_cases(log, raw_ids)
    act_names, act_all, wanted = _activity_codes(events, activities)
    case, act, t, block_end = _sorted_events(events, case_all, act_all, t_all, as_of, wanted, len(raw_ids), act_names, threads)
    if len(case_ids) > len(block_end):  # cases only the cases table knows have no events: empty blocks at the end
        block_end = np.concatenate((block_end, np.full(len(case_ids) - len(block_end), len(case), dtype=block_end.dtype)))
    invalid = invalid_code = None
    invalid_labels: tuple[str, ...] = ()
    has_any = None
    if "invalid_reason" in cases.columns:
        flagged = cases["invalid_reason"].notna().to_numpy()
        if flagged.any():
            invalid = flagged
            codes, uniques = pd.factorize(cases["invalid_reason"].to_numpy(dtype=object)[flagged])
            invalid_code = np.full(len(flagged), -1, dtype=np.int32)
            invalid_code[flagged] = codes
            invalid_labels = tuple(str(u) for u in uniques)
    if activities is not None and invalid is not None:  # "a case with no events left" counts every activity
        has_any = np.zeros(len(case_ids), dtype=bool)
        has_any[case_all[t_all <= as_of]] = True
    return PreparedLog(
        case=case, act=act, t=t, case_ids=case_ids, act_names=act_names, cases=cases,
        as_of=int(as_of), block_end=block_end, has_any=has_any,
        invalid=invalid, invalid_code=invalid_code, invalid_labels=invalid_labels, case_dtype=case_dtype, threads=threads,
    )


def _grouped_by_code(codes: np.ndarray, n_codes: int, threads: int) -> tuple[np.ndarray, np.ndarray]:
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


def _aligned_cases(log: EventLog, raw_ids: pd.Index) -> tuple[pd.Index, pd.CategoricalDtype | None, pd.DataFrame]:
    """Case ids as text (event cases in code order, then cases only the table lists), their dtype, the aligned table."""
    # a log's case ids are text already (EventLog makes them so); other ids are turned into text
    case_ids = raw_ids if isinstance(raw_ids.dtype, pd.StringDtype) else pd.Index(raw_ids.astype(str))
    # distinct values stay distinct as text when they are text already (then the result's case_id skips a check)
    texts = pd.api.types.is_string_dtype(raw_ids.dtype) and (
        raw_ids.dtype != object or pd.api.types.infer_dtype(raw_ids, skipna=False) == "string"
    )
    # cases known only to the cases table still get codes, so invalid cases with no events are seen
    log_case_ids = log.cases["case_id"]
    same_ids = texts and len(log_case_ids) == len(raw_ids) and _same_values(pd.Index(log_case_ids), raw_ids)
    if not same_ids:
        extra = pd.Index(log_case_ids.astype(str)).difference(case_ids)
        if len(extra):
            case_ids = case_ids.append(extra)
    case_dtype = _known_unique_dtype(case_ids) if texts else None
    if same_ids:  # the table lists exactly the event cases, in code order
        cases = log.cases.drop(columns="case_id").set_axis(case_ids)
    else:
        cases = log.cases.assign(case_id=log_case_ids.astype(str)).set_index("case_id").reindex(case_ids)
    return case_ids, case_dtype, cases


def _same_values(a: pd.Index, b: pd.Index) -> bool:
    """Whether ``a`` and ``b`` hold equal values in the same order (compared as text buffers when both are text)."""
    if a.dtype == b.dtype:
        return a.equals(b)
    return np.array_equal(np.asarray(a, dtype=object), np.asarray(b, dtype=object))


def _activity_codes(events: pd.DataFrame, activities: Iterable[str] | None) -> tuple[tuple[str, ...], np.ndarray, np.ndarray | None]:
    """Activity names, the code of each event's activity, and per code whether the rules read it (None: all)."""
    act_cat = events["activity"] if isinstance(events["activity"].dtype, pd.CategoricalDtype) else events["activity"].astype("category")
    act_all = act_cat.cat.codes.to_numpy()
    act_names = tuple(map(str, act_cat.cat.categories))
    if activities is None:
        return act_names, act_all, None
    wanted = np.zeros(len(act_names) + 1, dtype=bool)  # the last entry is code -1's
    index = {n: i for i, n in enumerate(act_names)}
    wanted[[index[n] for n in set(activities) if n in index]] = True
    return act_names, act_all, wanted


def _sorted_events(
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


def _known_unique_dtype(categories: pd.Index) -> pd.CategoricalDtype:
    """The categorical dtype over ``categories``, known to be distinct.

    pandas checks that they are distinct; for the categories of the log's own
    categorical ``case_id`` (the usual case) the answer is cached on the
    index, so this costs nothing. Ids it had to make (factorised, turned into
    text, or extended by the cases table) are hashed once: 0.3 s for 1.1
    million ids, where the 1M-ticket check of benchmarks/rules_bench.py
    takes several seconds.
    """
    return pd.CategoricalDtype(categories, ordered=False)


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

"""An event log as sorted integer arrays, the form the vectorised engine works on.

Events after ``as_of`` are dropped; the rest are sorted by case, then time,
then narration order (``seq`` if present, else row order), so each case is a
contiguous block and a *position* in the arrays says both which case and
which moment. Case attributes are aligned to integer case codes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from svcsim.errors import InputError
from svcsim.eventlog.log import EventLog
from svcsim.rules.columnar.event_sort import grouped_by_code, sorted_events

__all__ = ["PreparedLog", "prepare"]


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
        return self.memoized("by_activity", lambda: grouped_by_code(self.act, len(self.act_names), self.threads))

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
    ``threads`` above 1, a large log is sorted as two halves on two threads
    (:mod:`~svcsim.rules.columnar.event_sort`).
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
    case, act, t, block_end = sorted_events(events, case_all, act_all, t_all, as_of, wanted, len(raw_ids), act_names, threads)
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


def _known_unique_dtype(categories: pd.Index) -> pd.CategoricalDtype:
    """The categorical dtype over ``categories``, known to be distinct.

    pandas checks that they are distinct: for the categories of the log's own
    categorical ``case_id`` (the usual case, and the benchmark's) the answer
    is cached on the index and this costs nothing; ids made here (factorised
    from a text column, or extended by the cases table) are hashed once,
    about 0.3 s for 1.1 million ids, less than the run-to-run noise of the
    4.3-4.9 s that check takes on such a 1M-ticket log.
    """
    return pd.CategoricalDtype(categories, ordered=False)

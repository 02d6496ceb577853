"""An event log as sorted integer arrays, the form the vectorised engine works on.

Events after ``as_of`` are dropped; the rest are sorted by case, then time,
then narration order (``seq`` if present, else row order), so each case is a
contiguous block and a *position* in the arrays says both which case and
which moment. Case attributes are aligned to integer case codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from svcsim.errors import InputError
from svcsim.eventlog.log import EventLog

__all__ = ["PreparedLog", "prepare"]


@dataclass(frozen=True)
class PreparedLog:
    """Sorted event arrays and the aligned cases table of one log at one ``as_of``."""

    case: np.ndarray  # int64 case code per event
    act: np.ndarray  # int32 activity code per event
    t: np.ndarray  # int64 UTC epoch ns per event
    case_ids: pd.Index  # case code -> case id
    act_names: tuple[str, ...]  # activity code -> name
    cases: pd.DataFrame  # row i describes case code i
    as_of: int  # UTC epoch ns
    block_end: np.ndarray  # per case code: one past the position of its last event

    @property
    def n_cases(self) -> int:
        return len(self.case_ids)

    def codes(self, names: Iterable[str]) -> np.ndarray:
        """Activity codes of ``names`` (names absent from the log are skipped)."""
        index = {n: i for i, n in enumerate(self.act_names)}
        return np.array(sorted(index[n] for n in set(names) if n in index), dtype=np.int32)

    def lookup(self, names: Iterable[str], value: int = 1, table: np.ndarray | None = None) -> np.ndarray:
        """An activity-code table with ``value`` at the codes of ``names`` (for one-pass classification)."""
        out = np.zeros(len(self.act_names) + 1, dtype=np.int8) if table is None else table
        out[self.codes(names)] = value
        return out

    def positions(self, names: Iterable[str]) -> np.ndarray:
        """Sorted positions of the events whose activity is one of ``names``."""
        return np.flatnonzero(self.lookup(names)[self.act].astype(bool))

    def has_event(self, names: Iterable[str]) -> np.ndarray:
        """Per case code: whether any of ``names`` happened (up to ``as_of``)."""
        out = np.zeros(self.n_cases, dtype=bool)
        out[self.case[self.positions(names)]] = True
        return out

    def case_column(self, name: str, *, source: str, where: str) -> pd.Series:
        if name not in self.cases.columns:
            raise InputError(
                f"reads the case field '{name}', which the log does not have", file=source, where=where,
                expected=f"one of {sorted(map(str, self.cases.columns))}",
            )
        return self.cases[name]


def prepare(log: EventLog, as_of: int | None) -> PreparedLog:
    """Sort and encode ``log`` for evaluation at ``as_of`` (UTC epoch ns; None = the last event)."""
    events = log.events
    t_all = events["timestamp"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    if as_of is None:
        as_of = int(t_all.max()) if len(t_all) else 0
    keep = t_all <= as_of
    cid = events["case_id"]
    if isinstance(cid.dtype, pd.CategoricalDtype):
        case_all = cid.cat.codes.to_numpy().astype(np.int64)
        case_ids = pd.Index(cid.cat.categories.astype(str))
    else:
        codes, uniques = pd.factorize(cid, sort=False)
        case_all, case_ids = codes.astype(np.int64), pd.Index(np.asarray(uniques, dtype=object).astype(str))
    # cases known only to the cases table still get codes, so invalid cases with no events are seen
    extra = pd.Index(log.cases["case_id"].astype(str)).difference(case_ids)
    if len(extra):
        case_ids = case_ids.append(extra)
    act_cat = events["activity"].astype("category") if not isinstance(events["activity"].dtype, pd.CategoricalDtype) else events["activity"]
    act_all = act_cat.cat.codes.to_numpy().astype(np.int32)
    act_names = tuple(map(str, act_cat.cat.categories))

    case, act, t = case_all[keep], act_all[keep], t_all[keep]
    seq = None
    if "seq" in events.columns:
        seq = pd.to_numeric(events["seq"], errors="coerce").fillna(0).to_numpy()[keep]
    order = _sort_order(case, t, seq)
    case, act, t = case[order], act[order], t[order]
    block_end = np.searchsorted(case, np.arange(len(case_ids)), side="right")
    cases = log.cases.assign(case_id=log.cases["case_id"].astype(str)).set_index("case_id").reindex(case_ids)
    return PreparedLog(
        case=case, act=act, t=t, case_ids=case_ids, act_names=act_names, cases=cases,
        as_of=int(as_of), block_end=block_end,
    )


def _sort_order(case: np.ndarray, t: np.ndarray, seq: np.ndarray | None) -> np.ndarray:
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
    if (c_max - c_min + 1) * span >= 2**62 or t_max - t_min >= 2**62:
        return np.lexsort((seq, t, case) if seq is not None else (t, case))
    coarse = (case - c_min) * span + (t - t_min) // 10**9
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

"""The result table: every rule's rows written once into the final columns, then one DataFrame.

:class:`TableBuilder` takes each rule's :class:`~svcsim.rules.results.ResultRows`
as the rule finishes, copies them straight into preallocated columns (text as
codes into one shared label list, constants broadcast) and drops the rule's
own arrays, so the rows never exist twice; :meth:`TableBuilder.frame` sorts
the rows in rule order and makes the categoricals once. :func:`to_frame` does
the same for a list of finished parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from svcsim.rules.columnar.packing import packed_keys
from svcsim.rules.columnar.sorting import is_sorted, lexsort_order
from svcsim.rules.results import _UTC, STATUSES, ResultRows

__all__ = ["TableBuilder", "to_frame"]


def to_frame(
    parts: list[ResultRows], case_ids: pd.Index, rule_order: list[str], case_dtype: pd.CategoricalDtype | None = None,
    *, kinds: Sequence[str],
) -> pd.DataFrame:
    """Concatenate the rows of all rules into the result DataFrame, ordered by rule, case, cycle, repeat.

    The order is that of a stable sort of the concatenated parts by (rule,
    case, cycle, repeat). The parts are spent (see :class:`TableBuilder`).
    ``kinds`` are the categories of the ``kind`` column (the registered rule kinds).
    """
    table = TableBuilder(rule_order, len(case_ids), kinds=kinds)
    table.add_all(parts)
    return table.frame(case_ids, case_dtype)


class TableBuilder:
    """The result table, filled one :class:`ResultRows` at a time straight into the columns of the final table.

    Every column is an array with room for ``capacity`` rows, made of zeros,
    which take no memory until written: room left unused costs nothing, and
    a part that is a constant 0 (no pauses, say) is not written at all. A
    part's rows go after the rows added before (room is doubled, by a copy,
    when it runs out), and its own arrays are dropped as they are copied (the
    part is spent), so the rows never exist twice over, as parts and as the
    table. Text columns are stored as codes into labels shared by all parts;
    when :meth:`add_all` fills an empty table, straight as the codes of the
    final categoricals instead (all labels are known then), so that
    :meth:`frame` need not translate them. Related cases are stored one up
    (0: none), so the parts without any are not written.

    :meth:`frame` puts the rows in the result's order, the stable sort by
    (rule, case, cycle, repeat): parts out of rule order are moved (check
    adds them in rule order), and a rule whose rows are out of order (extra
    rows such as not_applicable ones come last) is sorted within its range.
    """

    def __init__(self, rule_order: list[str], n_cases: int, capacity: int = 0, *, kinds: Sequence[str]) -> None:
        self.rule_order = list(rule_order)
        self.kinds = list(kinds)  # the categories of the kind column
        self._position = {rid: i for i, rid in enumerate(self.rule_order)}
        self._dtypes = {
            "case": _code_dtype(n_cases), "status": np.int8, "related_case": _code_dtype(n_cases + 2),
            "target_reason": np.int32, "reason": np.int32,
            **{name: np.int64 for name in ("cycle", "repeat", "start", "stop", "due", "elapsed", "business_elapsed", "paused", "target", "level")},
        }
        self._columns = {name: np.zeros(capacity, dtype=dtype) for name, dtype in self._dtypes.items()}
        self.n = 0
        self._segments: list[tuple[int, int, int, str, str, str]] = []  # rule position, rows lo:hi, group, kind, basis
        self._labels: dict[str, int] = {}
        self._used: dict[str, set[int]] = {"target_reason": set(), "reason": set()}
        self._final: dict[str, list[str]] = {}  # text column -> its final categories, when codes are written as theirs

    def add(self, rows: ResultRows) -> None:
        """Append ``rows`` (of a rule in ``rule_order``: KeyError otherwise), spending them."""
        placed = self._place(rows)
        if placed is not None:
            for name in self._columns:
                self._write(name, [placed])

    def add_all(self, parts: list[ResultRows], threads: int = 1) -> None:
        """Append ``parts`` in order, as :meth:`add` would one by one, the columns copied on ``threads`` threads.

        Room for all of them is made at once, then each thread fills whole
        columns (numpy's copies release the GIL; the pages of the new room
        are first touched on both cores at once). Into an empty table, text
        codes go in as those of the final categoricals.
        """
        if not self.n and not self._labels and not self._final:
            self._final = {name: _final_categories(parts, name) for name in self._used}
            for name, kept in self._final.items():
                self._columns[name] = np.zeros(len(self._columns[name]), dtype=_code_dtype(len(kept)))
        self._reserve(self.n + sum(len(rows) for rows in parts))
        placed = [found for found in map(self._place, parts) if found is not None]
        if threads <= 1:
            for name in self._columns:
                self._write(name, placed)
            return
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="svcsim-table") as pool:
            list(pool.map(lambda name: self._write(name, placed), list(self._columns)))

    def _place(self, rows: ResultRows) -> tuple[ResultRows, int, int] | None:
        """Room and a segment for ``rows``, their text codes made the table's; None for no rows."""
        n = len(rows)
        if not n:
            return None
        position = self._position[rows.rule_id]
        lo, hi = self.n, self.n + n
        self._reserve(hi)
        for name in self._used:
            codes = rows.release(name)
            setattr(rows, name, self._final_codes(rows, name, codes) if self._final else self._shared_codes(rows, name, codes))
        self._segments.append((position, lo, hi, rows.group, rows.kind, rows.basis))
        self.n = hi
        return rows, lo, hi

    def _write(self, name: str, placed: list[tuple[ResultRows, int, int]]) -> None:
        """Copy column ``name`` of each placed part into its room, spending it (zeros are there already)."""
        out = self._columns[name]
        up = _STORED_UP.get(name, 0)
        for rows, lo, hi in placed:
            values = rows.release(name)
            if _is_constant(values):
                if values[0] + up != 0:
                    out[lo:hi] = values[0] + up
            elif up:
                np.add(values, up, out=out[lo:hi], casting="unsafe")
            else:
                out[lo:hi] = values

    def _reserve(self, n: int) -> None:
        """Room for ``n`` rows in every column (at least double the room, when it grows)."""
        room = len(self._columns["case"])
        if n <= room:
            return
        room = max(n, 2 * room, 1024)
        for name, old in self._columns.items():
            new = np.zeros(room, dtype=old.dtype)
            new[:self.n] = old[:self.n]
            self._columns[name] = new

    def _shared_codes(self, rows: ResultRows, name: str, codes: np.ndarray) -> np.ndarray:
        """``codes`` into ``rows.labels`` as codes into the labels of the table (-1 stays -1)."""
        remap = np.array([self._labels.setdefault(text, len(self._labels)) for text in rows.labels] + [-1], dtype=np.int32)
        self._used[name].update(int(remap[c]) for c in _codes_used(codes, len(rows.labels)))
        if _is_constant(codes):
            return np.broadcast_to(remap[codes[:1]], codes.shape)
        return remap[codes]

    def _final_codes(self, rows: ResultRows, name: str, codes: np.ndarray) -> np.ndarray:
        """``codes`` into ``rows.labels`` as codes into the final categories of column ``name`` (-1 stays -1)."""
        rank = {text: r for r, text in enumerate(self._final[name])}
        remap = np.array([rank.get(text, -1) for text in rows.labels] + [-1], dtype=self._columns[name].dtype)
        if _is_constant(codes):
            return np.broadcast_to(remap[codes[:1]], codes.shape)
        return remap[codes]

    def frame(self, case_ids: pd.Index, case_dtype: pd.CategoricalDtype | None = None) -> pd.DataFrame:
        """The result table (ids of ``case_ids``; ``case_dtype``, if given, the categorical dtype over them)."""
        if not self.n:
            return _empty_frame(self.rule_order, self.kinds)
        columns = {name: values[:self.n] for name, values in self._columns.items()}
        segments = self._segments
        if any(a[0] > b[0] for a, b in zip(segments, segments[1:], strict=False)):  # parts out of rule order
            segments = sorted(segments, key=lambda seg: seg[0])  # stable: parts of a rule keep their order
            moved = np.concatenate([np.arange(lo, hi) for _, lo, hi, *_ in segments])
            columns = {name: values[moved] for name, values in columns.items()}
        n_per = [hi - lo for _, lo, hi, *_ in segments]
        rule_of = [seg[0] for seg in segments]
        for lo, hi, local in _order_within_rules(rule_of, n_per, columns["case"], columns["cycle"], columns["repeat"]):
            for values in columns.values():
                values[lo:hi] = values[lo:hi][local]

        def per_part(labels: list, categories: list[str] | None = None) -> pd.Categorical:
            return _per_part_categorical(labels, n_per, categories)

        def times(name: str) -> pd.Series:
            return pd.Series(columns[name], dtype=_UTC, copy=False)  # int64 epoch ns read as UTC instants, no copy

        def spans(name: str) -> pd.Series:
            return pd.Series(columns[name].view("timedelta64[ns]"), copy=False)

        return pd.DataFrame(
            {
                "rule_id": pd.Categorical.from_codes(_repeat_codes(rule_of, n_per, len(self.rule_order)), categories=self.rule_order),
                "rule_group": per_part([seg[3] for seg in segments]),
                "kind": per_part([seg[4] for seg in segments], self.kinds),
                "case_id": _case_column(columns["case"], case_ids, case_dtype),
                "cycle": columns["cycle"],
                "repeat": columns["repeat"],
                "status": pd.Categorical.from_codes(columns["status"], categories=list(STATUSES)),
                "start": times("start"),
                "stop": times("stop"),
                "due": times("due"),
                "elapsed": spans("elapsed"),
                "business_elapsed": spans("business_elapsed"),
                "paused": spans("paused"),
                "target": spans("target"),
                "target_reason": self._text_column("target_reason", columns["target_reason"]),
                "basis": per_part([seg[5] for seg in segments], ["wall", "calendar"]),
                "level": columns["level"],
                "reason": self._text_column("reason", columns["reason"]),
                "related_case_id": _related_ids(columns["related_case"], case_ids),
            },
            copy=False,
        )

    def _text_column(self, name: str, codes: np.ndarray) -> pd.Categorical:
        """Shared label codes as a categorical over the labels that occur, sorted (as ``pd.Categorical`` of the texts)."""
        if name in self._final:
            kept = self._final[name]
            categories = pd.Index(kept, dtype="str") if kept else pd.Index([], dtype=object)
            return pd.Categorical.from_codes(codes, categories=categories, validate=False)
        labels = list(self._labels)
        kept = sorted(labels[c] for c in self._used[name])
        if not kept:
            return pd.Categorical.from_codes(np.full(len(codes), -1, dtype=np.int8), categories=pd.Index([], dtype=object))
        rank = {text: r for r, text in enumerate(kept)}
        remap = np.array([rank.get(text, -1) for text in labels] + [-1], dtype=_code_dtype(len(kept)))  # code -1 picks the trailing -1
        return pd.Categorical.from_codes(remap[codes], categories=pd.Index(kept, dtype="str"))


#: columns stored this much above their values (so that the common value, -1 for none, is stored as 0)
_STORED_UP = {"related_case": 1}


def _final_categories(parts: list[ResultRows], name: str) -> list[str]:
    """The labels the text column ``name`` of ``parts`` uses, sorted (as ``pd.Categorical`` of the texts orders them)."""
    used: set[str] = set()
    for rows in parts:
        used.update(rows.labels[c] for c in _codes_used(getattr(rows, name), len(rows.labels)))
    return sorted(used)


def _repeat_codes(codes: list[int], n_per: list[int], n_categories: int) -> np.ndarray:
    """Each code repeated over its part's rows, in the dtype pandas keeps codes of ``n_categories`` in."""
    out = np.empty(sum(n_per), dtype=_code_dtype(n_categories))
    lo = 0
    for code, n in zip(codes, n_per, strict=True):
        out[lo:lo + n] = code
        lo += n
    return out


def _per_part_categorical(labels: list[str], n_per: list[int], categories: list[str] | None = None) -> pd.Categorical:
    """One label per part, repeated over its rows, as a categorical built from codes.

    The categories are ``categories`` if given, else the distinct labels
    sorted, as ``pd.Categorical`` of the labels would make them.
    """
    cats = list(categories) if categories is not None else sorted(set(labels))
    index = {c: i for i, c in enumerate(cats)}
    codes = _repeat_codes([index.get(label, -1) for label in labels], n_per, len(cats))
    return pd.Categorical.from_codes(codes, categories=pd.Index(cats, dtype="str") if cats else pd.Index([], dtype=object))


def _is_constant(values: np.ndarray) -> bool:
    """Whether ``values`` is one value broadcast (a default column :meth:`ResultRows.empty` made)."""
    return values.ndim == 1 and len(values) > 0 and values.strides[0] == 0


def _codes_used(codes: np.ndarray, n_labels: int) -> np.ndarray:
    """The distinct codes >= 0 among ``codes`` (codes into ``n_labels`` labels, -1 where absent)."""
    if not len(codes) or not n_labels:
        return np.empty(0, dtype=np.intp)
    if _is_constant(codes):
        return codes[:1][codes[:1] >= 0]
    return np.flatnonzero(np.bincount(codes + 1, minlength=n_labels + 1)[1:])


def _code_dtype(n: int) -> type:
    """The integer dtype pandas keeps the codes of ``n`` categories in (so ``from_codes`` does not copy them)."""
    for dtype in (np.int8, np.int16, np.int32):
        if n < np.iinfo(dtype).max:
            return dtype
    return np.int64


def _case_column(case: np.ndarray, case_ids: pd.Index, dtype: pd.CategoricalDtype | None) -> pd.Categorical | np.ndarray:
    """Case ids as a categorical over ``case_ids`` (``dtype``, when given, is that dtype), or objects if not distinct."""
    if dtype is not None:
        return pd.Categorical.from_codes(case, dtype=dtype)
    if case_ids.is_unique:
        return pd.Categorical.from_codes(case, categories=case_ids)
    return np.asarray(case_ids, dtype=object)[case]


def _order_within_rules(rule_of: list[int], n_per: list[int], case: np.ndarray, cycle: np.ndarray, repeat: np.ndarray) -> list[tuple[int, int, np.ndarray]]:
    """Per rule whose rows are out of (case, cycle, repeat) order: its row range and the stable sort of it.

    A rule's parts are each in order (an evaluator emits cases in order), so
    its rows are usually a merge of sorted runs, found without sorting; other
    rows get a full stable sort.
    """
    bounds = np.concatenate(([0], np.cumsum(n_per))).tolist()
    out: list[tuple[int, int, np.ndarray]] = []
    i = 0
    while i < len(rule_of):
        j = i
        while j + 1 < len(rule_of) and rule_of[j + 1] == rule_of[i]:
            j += 1
        lo, hi = bounds[i], bounds[j + 1]
        keys = (case[lo:hi], cycle[lo:hi], repeat[lo:hi])
        if not is_sorted(*keys):
            runs = [(bounds[k] - lo, bounds[k + 1] - lo) for k in range(i, j + 1)]
            local = _merge_runs(keys, runs)
            out.append((lo, hi, lexsort_order(keys) if local is None else local))
        i = j + 1
    return out


def _merge_runs(keys: tuple[np.ndarray, ...], runs: list[tuple[int, int]]) -> np.ndarray | None:
    """The stable sort of rows made of runs that are each sorted by ``keys``; None if it cannot merge."""
    packed = packed_keys(keys)
    if packed is None or not all(is_sorted(packed[a:b]) for a, b in runs):
        return None
    a, b = runs[0]
    acc_key, acc = packed[a:b], np.arange(a, b)
    for a, b in runs[1:]:
        key = packed[a:b]
        dest = np.searchsorted(acc_key, key, side="right") + np.arange(len(key))  # ties: earlier runs first
        n = len(acc) + len(key)
        theirs = np.zeros(n, dtype=bool)
        theirs[dest] = True
        merged, merged_key = np.empty(n, dtype=np.intp), np.empty(n, dtype=np.int64)
        merged[theirs], merged_key[theirs] = np.arange(a, b), key
        merged[~theirs], merged_key[~theirs] = acc, acc_key
        acc, acc_key = merged, merged_key
    return acc


def _related_ids(related: np.ndarray, case_ids: pd.Index) -> pd.Series | np.ndarray:
    """Case ids of the related cases (codes stored one up: missing where 0), as a ``str`` column.

    One take from the ids' own Arrow strings, code -1 (none) giving a missing
    value: no object array, and no per-row lookup of the mostly missing rows.
    """
    used = related > 0  # stored one up: 0 is none
    if not used.any():
        return np.full(len(related), None, dtype=object)
    text = pd.StringDtype(storage="pyarrow", na_value=np.nan)
    codes = np.subtract(related, 1, dtype=np.int64)  # -1: none
    if case_ids.dtype == text:
        ids = case_ids.array
    else:  # only the ids that occur are made text
        ids = pd.array([str(v) for v in case_ids.take(codes[used])], dtype=text)
        codes[used] = np.arange(len(ids))
    return pd.Series(ids.take(codes, allow_fill=True), copy=False)


def _empty_frame(rule_order: list[str], kinds: list[str]) -> pd.DataFrame:
    empty = ResultRows.empty("", "", "wall")
    return pd.DataFrame(
        {
            "rule_id": pd.Categorical([], categories=rule_order),
            "rule_group": pd.Categorical([]),
            "kind": pd.Categorical([], categories=kinds),
            "case_id": pd.Series([], dtype=object),
            "cycle": empty.cycle,
            "repeat": empty.repeat,
            "status": pd.Categorical([], categories=list(STATUSES)),
            **{c: pd.Series([], dtype="datetime64[ns, UTC]") for c in ("start", "stop", "due")},
            **{c: pd.Series([], dtype="timedelta64[ns]") for c in ("elapsed", "business_elapsed", "paused", "target")},
            "target_reason": pd.Categorical([]),
            "basis": pd.Categorical([], categories=["wall", "calendar"]),
            "level": empty.level,
            "reason": pd.Categorical([]),
            "related_case_id": pd.Series([], dtype=object),
        }
    )

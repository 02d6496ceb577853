"""The result table: one row per case, rule and cycle, with a documented column set.

Rule evaluators return :class:`Rows` of plain numpy arrays (int64 ns for times
and durations, ``NAT`` when absent, status codes); :func:`to_frame` turns the
concatenation into one DataFrame with categoricals and tz-aware timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from svcsim.rules.sorting import is_sorted, lexsort_order

__all__ = ["STATUSES", "RESULT_COLUMNS", "Rows", "to_frame", "NAT", "status_code"]

NAT = np.iinfo(np.int64).min
STATUSES: tuple[str, ...] = (
    "met",
    "breached",
    "running",
    "at_risk",
    "breached_open",
    "pending",
    "held",
    "failed",
    "not_applicable",
    "invalid",
)
_CODE = {s: i for i, s in enumerate(STATUSES)}
_UTC = pd.DatetimeTZDtype("ns", "UTC")


def status_code(name: str) -> int:
    return _CODE[name]


@dataclass
class Rows:
    """Result rows of one rule as parallel arrays (see ``docs/reference/rules.md`` for the columns).

    The two text columns are int32 codes into ``labels`` (-1 where absent), so
    no rule builds an object array: set them with :meth:`set_target_reason`
    and :meth:`set_reason`.
    """

    rule_id: str
    kind: str
    basis: str
    group: str  # the rule that produced the row (a ladder's id for its milestones)
    case: np.ndarray  # case code
    cycle: np.ndarray
    repeat: np.ndarray
    status: np.ndarray  # index into STATUSES
    start: np.ndarray
    stop: np.ndarray
    due: np.ndarray
    elapsed: np.ndarray  # wall-clock ns from start to stop (or as_of)
    business_elapsed: np.ndarray  # service-calendar ns, NAT for wall-basis rules
    paused: np.ndarray  # ns held, on the rule's basis
    target: np.ndarray  # ns
    target_reason: np.ndarray  # int32 code into labels: "default" or the special target's reason
    level: np.ndarray  # escalation level (ladders), 1 for a duration breach
    reason: np.ndarray  # int32 code into labels: why not_applicable / invalid / failed
    related_case: np.ndarray  # case code of the repeat (recurrence), -1 otherwise
    labels: list[str] = field(default_factory=list)  # the texts of target_reason and reason

    @classmethod
    def empty(cls, rule_id: str, kind: str, basis: str, n: int = 0, group: str | None = None) -> Rows:
        """``n`` rows of defaults; the arrays are read-only broadcasts until :meth:`put` (or assignment) replaces them."""

        def const(value: int, dtype: type) -> np.ndarray:
            return np.broadcast_to(np.array(value, dtype=dtype), (n,))

        nat = const(NAT, np.int64)
        return cls(
            rule_id=rule_id, kind=kind, basis=basis, group=group or rule_id, case=np.zeros(n, np.int64),
            cycle=const(1, np.int64), repeat=const(1, np.int64), status=const(0, np.int8),
            start=nat, stop=nat, due=nat, elapsed=nat,
            business_elapsed=nat, paused=const(0, np.int64), target=nat,
            target_reason=const(-1, np.int32), level=const(0, np.int64),
            reason=const(-1, np.int32), related_case=const(-1, np.int64),
        )

    def put(self, name: str, where: np.ndarray | slice, value: object) -> None:
        """``self.<name>[where] = value``, first making the column a writable array of its own."""
        values = getattr(self, name)
        if not values.flags.writeable:
            values = np.array(values)
            setattr(self, name, values)
        values[where] = value

    def __len__(self) -> int:
        return len(self.case)

    def label(self, text: str) -> int:
        """The code of ``text`` in ``labels`` (added if new)."""
        try:
            return self.labels.index(text)
        except ValueError:
            self.labels.append(text)
            return len(self.labels) - 1

    def set_target_reason(self, where: np.ndarray | slice, text: str) -> None:
        self.put("target_reason", where, self.label(text))

    def set_reason(self, where: np.ndarray | slice, text: str) -> None:
        self.put("reason", where, self.label(text))

    def _arrays(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "labels"}

    def concat(self, other: Rows) -> Rows:
        """These rows followed by ``other``'s (same rule)."""
        labels = list(self.labels)
        remap = np.array([_index_of(labels, text) for text in other.labels] + [-1], dtype=np.int32)
        theirs = other._arrays()
        theirs["target_reason"] = remap[other.target_reason]  # code -1 picks the trailing -1
        theirs["reason"] = remap[other.reason]
        out = {k: (np.concatenate((v, theirs[k])) if isinstance(v, np.ndarray) else v) for k, v in self._arrays().items()}
        return Rows(**out, labels=labels)

    def take(self, index: np.ndarray) -> Rows:
        out = {k: (v[index] if isinstance(v, np.ndarray) else v) for k, v in self._arrays().items()}
        return Rows(**out, labels=list(self.labels))


def _index_of(labels: list[str], text: str) -> int:
    try:
        return labels.index(text)
    except ValueError:
        labels.append(text)
        return len(labels) - 1


RESULT_COLUMNS: tuple[str, ...] = (
    "rule_id", "rule_group", "kind", "case_id", "cycle", "repeat", "status", "start", "stop", "due",
    "elapsed", "business_elapsed", "paused", "target", "target_reason", "basis", "level",
    "reason", "related_case_id",
)


def to_frame(parts: list[Rows], case_ids: pd.Index, rule_order: list[str], case_dtype: pd.CategoricalDtype | None = None) -> pd.DataFrame:
    """Concatenate the rows of all rules into the result DataFrame, ordered by rule, case, cycle, repeat.

    The order is that of a stable sort of the concatenated parts by (rule,
    case, cycle, repeat). Only the rules whose parts are not already in that
    order are sorted (evaluators emit cases in order; extra rows such as
    not_applicable ones come last). Every column is built from numpy arrays:
    text columns from integer codes, the frame without a consolidating copy.
    """
    parts = [p for p in parts if len(p)]
    if not parts:
        return _empty_frame(rule_order)
    position = {rid: i for i, rid in enumerate(rule_order)}
    rule_of = [position[p.rule_id] for p in parts]  # KeyError as before for an unknown id
    by_rule = sorted(range(len(parts)), key=lambda i: rule_of[i])  # stable: parts of a rule keep their order
    parts = [parts[i] for i in by_rule]
    rule_of = [rule_of[i] for i in by_rule]
    n_per = [len(p) for p in parts]

    def cat(name: str) -> np.ndarray:
        return np.concatenate([getattr(p, name) for p in parts])

    case = cat("case")
    cycle, repeat = cat("cycle"), cat("repeat")
    reorder = _order_within_rules(rule_of, n_per, case, cycle, repeat)

    def take(values: np.ndarray) -> np.ndarray:
        """``values`` (a fresh array) with each out-of-order rule's rows sorted, in place."""
        for lo, hi, local in reorder:
            values[lo:hi] = values[lo:hi][local]
        return values

    def times(name: str) -> pd.Series:
        return pd.Series(take(cat(name)), dtype=_UTC, copy=False)  # int64 epoch ns read as UTC instants, no copy

    def spans(name: str) -> pd.Series:
        return pd.Series(take(cat(name)).view("timedelta64[ns]"), copy=False)

    labels, remaps = _merged_labels(parts)

    def texts(name: str) -> pd.Categorical:
        codes = np.concatenate([remap[getattr(p, name)] for p, remap in zip(parts, remaps, strict=True)])
        return _coded_categorical(take(codes), labels)

    rule_idx = np.repeat(np.array(rule_of, dtype=np.int64), n_per)  # already in order: rules are grouped
    case = take(case)
    frame = pd.DataFrame(
        {
            "rule_id": pd.Categorical.from_codes(rule_idx, categories=rule_order),
            "rule_group": _label_column([p.group for p in parts], n_per),
            "kind": _label_column([p.kind for p in parts], n_per, ["duration", "ladder", "recurrence"]),
            "case_id": _case_column(case, case_ids, case_dtype),
            "cycle": take(cycle),
            "repeat": take(repeat),
            "status": pd.Categorical.from_codes(take(cat("status")).astype(np.int8, copy=False), categories=list(STATUSES)),
            "start": times("start"),
            "stop": times("stop"),
            "due": times("due"),
            "elapsed": spans("elapsed"),
            "business_elapsed": spans("business_elapsed"),
            "paused": spans("paused"),
            "target": spans("target"),
            "target_reason": texts("target_reason"),
            "basis": _label_column([p.basis for p in parts], n_per, ["wall", "calendar"]),
            "level": take(cat("level")),
            "reason": texts("reason"),
            "related_case_id": _related_ids(take(cat("related_case")), case_ids),
        },
        copy=False,
    )
    return frame


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
    packed = _packed(keys)
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


def _packed(keys: tuple[np.ndarray, ...]) -> np.ndarray | None:
    """The keys packed into one int64 per row with the same order, or None if they need more than 63 bits."""
    shifted, total = [], 0
    for key in keys:
        low, high = int(key.min()), int(key.max())
        bits = (high - low).bit_length()
        shifted.append((key.astype(np.int64) - low, bits))
        total += bits
    if total > 63:
        return None
    out = np.zeros(len(keys[0]), dtype=np.int64)
    for key, bits in shifted:
        out <<= bits
        out |= key
    return out


def _label_column(labels: list[str], n_per: list[int], categories: list[str] | None = None) -> pd.Categorical:
    """One label per part, repeated over its rows, as a categorical built from integer codes.

    The categories are ``categories`` if given, else the distinct labels
    sorted, as ``pd.Categorical`` of the labels would make them.
    """
    cats = list(categories) if categories is not None else sorted(set(labels))
    index = {c: i for i, c in enumerate(cats)}
    codes = np.repeat(np.array([index.get(label, -1) for label in labels], dtype=np.int8), n_per)
    return pd.Categorical.from_codes(codes, categories=pd.Index(cats, dtype="str") if cats else pd.Index([], dtype=object))


def _merged_labels(parts: list[Rows]) -> tuple[list[str], list[np.ndarray]]:
    """All parts' text labels in one list, and per part the map of its codes to it (code -1 stays -1)."""
    index: dict[str, int] = {}
    remaps: list[np.ndarray] = []
    for part in parts:
        codes = [index.setdefault(text, len(index)) for text in part.labels]
        remaps.append(np.array([*codes, -1], dtype=np.int32))  # code -1 indexes the trailing -1
    return list(index), remaps


def _coded_categorical(codes: np.ndarray, labels: list[str]) -> pd.Categorical:
    """Codes into ``labels`` (-1 where absent) as a categorical, like ``pd.Categorical`` of the texts.

    The categories are the labels that occur, sorted.
    """
    present = codes >= 0
    used = np.bincount(codes[present], minlength=len(labels)) > 0 if len(labels) else np.zeros(0, dtype=bool)
    kept = sorted(labels[i] for i in np.flatnonzero(used))
    if not kept:
        return pd.Categorical.from_codes(np.full(len(codes), -1, dtype=np.int8), categories=pd.Index([], dtype=object))
    rank = {text: r for r, text in enumerate(kept)}
    remap = np.array([rank.get(text, -1) for text in labels] + [-1], dtype=np.int32)
    return pd.Categorical.from_codes(remap[codes], categories=pd.Index(kept, dtype="str"))


def _related_ids(related: np.ndarray, case_ids: pd.Index) -> pd.Series | np.ndarray:
    """Case ids of the related cases (missing where the code is -1), as a ``str`` column.

    Built with an Arrow ``take`` of the few ids that occur, not through an
    object array of millions of mostly missing values.
    """
    used = related >= 0
    if not used.any():
        return np.full(len(related), None, dtype=object)
    text = pd.StringDtype(storage="pyarrow", na_value=np.nan)
    if case_ids.dtype == text:  # take straight from the ids' Arrow array, -1 giving a missing value
        return pd.Series(pd.api.extensions.take(case_ids.array, related, allow_fill=True), dtype=text, copy=False)
    import pyarrow as pa
    import pyarrow.compute as pc

    values, codes = np.unique(related[used], return_inverse=True)
    index = np.full(len(related), 0, dtype=np.int64)
    index[used] = codes.ravel()
    texts = pa.array([str(v) for v in case_ids.take(values)], type=pa.large_string())
    out = pc.take(texts, pa.array(index, mask=~used))
    return pd.Series(out, dtype=pd.StringDtype(storage="pyarrow", na_value=np.nan))


def _empty_frame(rule_order: list[str]) -> pd.DataFrame:
    empty = Rows.empty("", "duration", "wall")
    return pd.DataFrame(
        {
            "rule_id": pd.Categorical([], categories=rule_order),
            "rule_group": pd.Categorical([]),
            "kind": pd.Categorical([], categories=["duration", "ladder", "recurrence"]),
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

"""The result table: one row per case, rule and cycle, with a documented column set.

Rule evaluators return :class:`Rows` of plain numpy arrays (int64 ns for times
and durations, ``NAT`` when absent, status codes); :func:`to_frame` turns the
concatenation into one DataFrame with categoricals and tz-aware timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

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


def status_code(name: str) -> int:
    return _CODE[name]


@dataclass
class Rows:
    """Result rows of one rule as parallel arrays (see ``docs/reference/rules.md`` for the columns)."""

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
    target_reason: np.ndarray  # object: "default" or the special target's reason
    level: np.ndarray  # escalation level (ladders), 1 for a duration breach
    reason: np.ndarray  # object: why not_applicable / invalid / failed
    related_case: np.ndarray  # case code of the repeat (recurrence), -1 otherwise

    @classmethod
    def empty(cls, rule_id: str, kind: str, basis: str, n: int = 0, group: str | None = None) -> Rows:
        nat = np.full(n, NAT, dtype=np.int64)
        return cls(
            rule_id=rule_id, kind=kind, basis=basis, group=group or rule_id, case=np.zeros(n, np.int64),
            cycle=np.ones(n, np.int64), repeat=np.ones(n, np.int64), status=np.zeros(n, np.int8),
            start=nat.copy(), stop=nat.copy(), due=nat.copy(), elapsed=nat.copy(),
            business_elapsed=nat.copy(), paused=np.zeros(n, np.int64), target=nat.copy(),
            target_reason=np.full(n, None, dtype=object), level=np.zeros(n, np.int64),
            reason=np.full(n, None, dtype=object), related_case=np.full(n, -1, np.int64),
        )

    def __len__(self) -> int:
        return len(self.case)

    def concat(self, other: Rows) -> Rows:
        """These rows followed by ``other``'s (same rule)."""
        arrays = {f.name: getattr(self, f.name) for f in fields(self)}
        return Rows(**{k: (np.concatenate((v, getattr(other, k))) if isinstance(v, np.ndarray) else v) for k, v in arrays.items()})

    def take(self, index: np.ndarray) -> Rows:
        arrays = {f.name: getattr(self, f.name) for f in fields(self)}
        return Rows(**{k: (v[index] if isinstance(v, np.ndarray) else v) for k, v in arrays.items()})


RESULT_COLUMNS: tuple[str, ...] = (
    "rule_id", "rule_group", "kind", "case_id", "cycle", "repeat", "status", "start", "stop", "due",
    "elapsed", "business_elapsed", "paused", "target", "target_reason", "basis", "level",
    "reason", "related_case_id",
)


def to_frame(parts: list[Rows], case_ids: pd.Index, rule_order: list[str]) -> pd.DataFrame:
    """Concatenate the rows of all rules into the result DataFrame, ordered by rule, case, cycle, repeat."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return _empty_frame(rule_order)

    def cat(name: str) -> np.ndarray:
        return np.concatenate([getattr(p, name) for p in parts])

    n_per = [len(p) for p in parts]
    rule_idx = np.repeat([rule_order.index(p.rule_id) for p in parts], n_per)
    case = cat("case")
    cycle, repeat = cat("cycle"), cat("repeat")
    order = slice(None) if _is_sorted(rule_idx, case, cycle, repeat) else np.lexsort((repeat, cycle, case, rule_idx))

    def times(name: str) -> pd.Series:
        return pd.Series(pd.to_datetime(cat(name)[order].view("datetime64[ns]"), utc=True))

    def spans(name: str) -> pd.Series:
        return pd.Series(cat(name)[order].view("timedelta64[ns]"))

    status = cat("status")[order].astype(np.int8)
    related = cat("related_case")[order]
    frame = pd.DataFrame(
        {
            "rule_id": pd.Categorical.from_codes(rule_idx[order], categories=rule_order),
            "rule_group": _label_column([p.group for p in parts], n_per, order),
            "kind": _label_column([p.kind for p in parts], n_per, order, ["duration", "ladder", "recurrence"]),
            "case_id": pd.Categorical.from_codes(case[order], categories=case_ids) if case_ids.is_unique else np.asarray(case_ids, dtype=object)[case[order]],
            "cycle": cycle[order],
            "repeat": repeat[order],
            "status": pd.Categorical.from_codes(status, categories=list(STATUSES)),
            "start": times("start"),
            "stop": times("stop"),
            "due": times("due"),
            "elapsed": spans("elapsed"),
            "business_elapsed": spans("business_elapsed"),
            "paused": spans("paused"),
            "target": spans("target"),
            "target_reason": _text_categorical(cat("target_reason")[order]),
            "basis": _label_column([p.basis for p in parts], n_per, order, ["wall", "calendar"]),
            "level": cat("level")[order],
            "reason": _text_categorical(cat("reason")[order]),
            "related_case_id": _related_ids(related, case_ids),
        }
    )
    return frame


def _is_sorted(*keys: np.ndarray) -> bool:
    """Whether the rows are already in lexicographic order of ``keys`` (then the stable sort is the identity)."""
    undecided = np.ones(max(len(keys[0]) - 1, 0), dtype=bool)  # pairs equal on all keys so far
    for key in keys:
        step = np.diff(key)
        if (undecided & (step < 0)).any():
            return False
        undecided &= step == 0
    return True


def _label_column(labels: list[str], n_per: list[int], order: np.ndarray, categories: list[str] | None = None) -> pd.Categorical:
    """One label per part, repeated over its rows, as a categorical built from integer codes.

    The categories are ``categories`` if given, else the distinct labels
    sorted, as ``pd.Categorical`` of the labels would make them.
    """
    cats = list(categories) if categories is not None else sorted(set(labels))
    index = {c: i for i, c in enumerate(cats)}
    codes = np.repeat(np.array([index.get(label, -1) for label in labels], dtype=np.int64), n_per)[order]
    return pd.Categorical.from_codes(codes, categories=pd.Index(cats, dtype="str") if cats else pd.Index([], dtype=object))


def _text_categorical(values: np.ndarray) -> pd.Categorical:
    """An object array of text (None where absent) as a categorical, like ``pd.Categorical(values)``.

    Factorised by hashing (cheap: few distinct values), then the categories
    sorted and the codes remapped; absent values get code -1.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if not len(uniques):
        return pd.Categorical.from_codes(codes, categories=pd.Index([], dtype=object))
    labels = [str(u) for u in uniques]
    rank = np.argsort(np.array(labels, dtype=object), kind="stable")
    remap = np.empty(len(labels), dtype=np.int64)
    remap[rank] = np.arange(len(labels))
    codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
    return pd.Categorical.from_codes(codes, categories=pd.Index([labels[i] for i in rank], dtype="str"))


def _related_ids(related: np.ndarray, case_ids: pd.Index) -> pd.Series | np.ndarray:
    """Case ids of the related cases (missing where the code is -1), as a ``str`` column.

    Built with an Arrow ``take`` of the few ids that occur, not through an
    object array of millions of mostly missing values.
    """
    ids = np.asarray(case_ids, dtype=object)
    used = related >= 0
    if not used.any():
        return np.full(len(related), None, dtype=object)
    import pyarrow as pa
    import pyarrow.compute as pc

    values, codes = np.unique(related[used], return_inverse=True)
    index = np.full(len(related), 0, dtype=np.int64)
    index[used] = codes.ravel()
    texts = pa.array([str(v) for v in ids[values]], type=pa.large_string())
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

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
    order = np.lexsort((cat("repeat"), cat("cycle"), case, rule_idx))

    def times(name: str) -> pd.Series:
        return pd.Series(pd.to_datetime(cat(name)[order].view("datetime64[ns]"), utc=True))

    def spans(name: str) -> pd.Series:
        return pd.Series(cat(name)[order].view("timedelta64[ns]"))

    ids = np.asarray(case_ids, dtype=object)
    related = cat("related_case")[order]
    rel = np.where(related >= 0, ids[np.maximum(related, 0)], None)
    frame = pd.DataFrame(
        {
            "rule_id": pd.Categorical.from_codes(rule_idx[order], categories=rule_order),
            "rule_group": pd.Categorical(np.repeat([p.group for p in parts], n_per)[order]),
            "kind": pd.Categorical(np.repeat([p.kind for p in parts], n_per)[order], categories=["duration", "ladder", "recurrence"]),
            "case_id": pd.Categorical.from_codes(case[order], categories=case_ids) if case_ids.is_unique else ids[case[order]],
            "cycle": cat("cycle")[order],
            "repeat": cat("repeat")[order],
            "status": pd.Categorical.from_codes(cat("status")[order].astype(np.int8), categories=list(STATUSES)),
            "start": times("start"),
            "stop": times("stop"),
            "due": times("due"),
            "elapsed": spans("elapsed"),
            "business_elapsed": spans("business_elapsed"),
            "paused": spans("paused"),
            "target": spans("target"),
            "target_reason": pd.Categorical(cat("target_reason")[order]),
            "basis": pd.Categorical(np.repeat([p.basis for p in parts], n_per)[order], categories=["wall", "calendar"]),
            "level": cat("level")[order],
            "reason": pd.Categorical(cat("reason")[order]),
            "related_case_id": rel,
        }
    )
    return frame


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

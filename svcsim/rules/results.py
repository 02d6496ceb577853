"""The result table: one row per case, rule and cycle, with a documented column set.

Rule evaluators return :class:`ResultRows` of plain numpy arrays (int64 ns for times
and durations, ``NAT`` when absent, status codes; a column that is one value
throughout is that value broadcast). :mod:`svcsim.rules.columnar.table` copies each
rule's rows into the final columns as they come and makes one DataFrame with
categoricals and tz-aware timestamps of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from svcsim.eventlog.time import NAT_NS

__all__ = ["STATUSES", "GOOD_STATUSES", "BAD_STATUSES", "DECIDED_STATUSES", "RESULT_COLUMNS", "ResultRows", "NAT",
           "status_code"]

NAT = NAT_NS  # the one sentinel, from svcsim.eventlog.time
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
#: The statuses that decide a target: attainment is good over decided. Open breaches are decided
#: (the target is already missed); running, at-risk and pending rows are not yet, and
#: not_applicable and invalid rows never are.
GOOD_STATUSES: tuple[str, ...] = ("met", "held")
BAD_STATUSES: tuple[str, ...] = ("breached", "breached_open", "failed")
DECIDED_STATUSES: tuple[str, ...] = GOOD_STATUSES + BAD_STATUSES
_CODE = {s: i for i, s in enumerate(STATUSES)}
_UTC = pd.DatetimeTZDtype("ns", "UTC")
_SPENT = np.empty(0, dtype=np.int64)


def status_code(name: str) -> int:
    return _CODE[name]


@dataclass
class ResultRows:
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
    def empty(cls, rule_id: str, kind: str, basis: str, n: int = 0, group: str | None = None) -> ResultRows:
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

    @classmethod
    def for_cases(cls, cases: np.ndarray, status: str, like: ResultRows) -> ResultRows:
        """One row per case code of ``cases`` with ``status``, for the rule (and kind, basis, group) of ``like``."""
        rows = cls.empty(like.rule_id, like.kind, like.basis, len(cases), group=like.group)
        rows.case = cases
        rows.put("status", slice(None), status_code(status))
        return rows

    def put(self, name: str, where: np.ndarray | slice, value: object) -> None:
        """``self.<name>[where] = value``, first making the column a writable array of its own.

        A single value put on every row stays one value broadcast (no memory per row).
        """
        values = getattr(self, name)
        if isinstance(where, slice) and where == slice(None) and np.ndim(value) == 0:
            setattr(self, name, np.broadcast_to(np.array(value, dtype=values.dtype), values.shape))
            return
        if not values.flags.writeable:
            values = np.array(values)
            setattr(self, name, values)
        values[where] = value

    def __len__(self) -> int:
        return len(self.case)

    def release(self, name: str) -> np.ndarray:
        """Column ``name``, which these rows then no longer hold (a spent column reads as an empty array)."""
        values = getattr(self, name)
        setattr(self, name, _SPENT)
        return values

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

    def mark_beyond(self, beyond: np.ndarray, reason: str) -> None:
        """Rows whose deadline falls after their calendar's years: ``invalid`` with ``reason``, no due time, level 0.

        One such row is judged on its own; the rest of the check goes on (issue 21).
        """
        if not beyond.any():
            return
        self.put("status", beyond, status_code("invalid"))
        self.set_reason(beyond, reason)
        self.put("due", beyond, NAT)
        self.put("level", beyond, 0)

    def _arrays(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "labels"}

    def concat(self, other: ResultRows) -> ResultRows:
        """These rows followed by ``other``'s (same rule)."""
        labels = list(self.labels)
        remap = np.array([_index_of(labels, text) for text in other.labels] + [-1], dtype=np.int32)
        theirs = other._arrays()
        theirs["target_reason"] = remap[other.target_reason]  # code -1 picks the trailing -1
        theirs["reason"] = remap[other.reason]
        out = {k: (np.concatenate((v, theirs[k])) if isinstance(v, np.ndarray) else v) for k, v in self._arrays().items()}
        return ResultRows(**out, labels=labels)

    def take(self, index: np.ndarray) -> ResultRows:
        out = {k: (v[index] if isinstance(v, np.ndarray) else v) for k, v in self._arrays().items()}
        return ResultRows(**out, labels=list(self.labels))


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

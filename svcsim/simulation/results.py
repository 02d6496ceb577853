"""From the recorder to the event log and the utilisation table, after the run.

The events become the canonical :class:`~svcsim.EventLog` (categorical case
ids, activities and resources; UTC timestamps; ``seq`` the order of
narration; ``reason`` where a fact has one). The case book becomes the cases
table. Utilisation per role is the busy time in the busy records, clipped to
the horizon, over the on-duty time of the role's roster in the horizon; work
finished after a shift ends counts as busy, so it can exceed 1 slightly.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from svcsim.eventlog import EventLog
from svcsim.processes.cases import ITEM, CaseBook
from svcsim.processes.recorder import ACTIVITY_ORDER, Recorder
from svcsim.scenario.model import CALL_KINDS
from svcsim.simulation.clock import SimClock

__all__ = ["busy_table", "case_names", "event_log", "utilisation"]

_CHANNEL = {"question": "phone", "field": "phone", "complaint": "phone", "sale": "phone",
            "carry_in": "carry_in", "mail_in": "mail_in"}


def case_names(book: CaseBook, digits: np.ndarray | None = None) -> np.ndarray:
    """Case ids: ``T0000001`` for tickets, ``I0000001`` for items (one numbering)."""
    digits = _digits(len(book.case_type)) if digits is None else digits
    names = np.char.add("T", digits).astype(object)
    items = np.flatnonzero(np.array(book.case_type) == ITEM)
    names[items] = np.char.add("I", digits[items]).astype(object)
    return names


def _digits(n: int) -> np.ndarray:
    """The numbers ``0..n-1`` written with 7 digits (vectorised)."""
    if n == 0:
        return np.empty(0, dtype="<U7")
    return np.char.zfill(np.arange(n).astype(str), 7)


def _categorical(codes: np.ndarray, names: list[str] | tuple[str, ...] | np.ndarray) -> pd.Categorical:
    return pd.Categorical.from_codes(codes.astype(np.int32), categories=pd.Index(names, dtype=object))


def _coded(codes: list[int], labels: list[str]) -> pd.Categorical:
    """A categorical from integer codes (``-1`` or out of range: missing)."""
    values = np.array(codes, dtype=np.int32)
    values[(values < 0) | (values >= len(labels))] = -1
    return pd.Categorical.from_codes(values, categories=pd.Index(labels, dtype=object))


def event_log(rec: Recorder, book: CaseBook, clock: SimClock, zones: list[str]) -> EventLog:
    """The run's event log in the canonical shape."""
    n = len(rec.events)
    flat = np.fromiter(itertools.chain.from_iterable(rec.events), dtype=float, count=4 * n).reshape(n, 4)
    ts = clock.ns(flat[:, 2])
    order = np.argsort(ts, kind="stable")
    digits = _digits(len(book.case_type))
    names = case_names(book, digits)
    reason = np.full(n, None, dtype=object)
    for index, text in rec.reasons.items():
        reason[index] = text
    events = pd.DataFrame({
        "case_id": _categorical(flat[order, 0], names),
        "activity": _categorical(flat[order, 1], ACTIVITY_ORDER),
        "timestamp": pd.DatetimeIndex(ts[order].view("M8[ns]")).tz_localize("UTC"),
        "resource": _categorical(flat[order, 3], rec.resource_names),
        "seq": np.arange(n, dtype=np.int64),
        "reason": reason[order],
    })
    channels = sorted(set(_CHANNEL.values()))
    kind_to_channel = [channels.index(_CHANNEL[k]) for k in CALL_KINDS]
    kind = np.array(book.kind, dtype=np.int64)
    parent = np.array(book.parent, dtype=np.int64)
    parent_id = np.full(len(parent), None, dtype=object)
    has_parent = parent >= 0
    parent_id[has_parent] = names[parent[has_parent]]
    cases = pd.DataFrame({
        "case_id": pd.Series(names, dtype=object),
        "case_type": pd.Series(np.where(np.array(book.case_type) == ITEM, "item", "ticket"), dtype=object),
        "channel": _coded([kind_to_channel[k] if k >= 0 else -1 for k in kind.tolist()], channels),
        "zone": _coded(book.zone, zones),
        "fault": _coded(book.fault, ["software", "hardware"]),
        "warranty": _coded(book.warranty, ["out", "in"]),
        "device_id": pd.Series(np.char.add("D", digits[np.array(book.device, dtype=np.int64)]), dtype=object),
        "priority": np.array(book.priority, dtype=np.int64),
        "parent_id": pd.Series(parent_id, dtype=object),
        "kind": _coded(book.kind, list(CALL_KINDS)),
    })
    return EventLog.from_frames(events, cases)


def utilisation(rec: Recorder, clock: SimClock, duty: dict[str, list[tuple[float, float]]],
                staff: dict[str, int]) -> pd.DataFrame:
    """Busy and on-duty minutes per role within the horizon, and their ratio."""
    horizon = clock.horizon
    n = len(rec.busy)
    busy = np.fromiter(itertools.chain.from_iterable(rec.busy), dtype=float, count=3 * n).reshape(n, 3)
    spent = np.clip(np.minimum(busy[:, 2], horizon) - np.maximum(busy[:, 1], 0.0), 0.0, None)
    per_resource = np.bincount(busy[:, 0].astype(np.int64), weights=spent, minlength=len(rec.resource_roles))
    busy_by_role: dict[str, float] = dict.fromkeys(duty, 0.0)
    for role, minutes in zip(rec.resource_roles, per_resource.tolist(), strict=True):
        if role in busy_by_role:
            busy_by_role[role] += minutes
    rows = []
    for role, intervals in duty.items():
        on_duty = staff[role] * sum(max(0.0, min(off, horizon) - on) for on, off in intervals)
        busy = busy_by_role[role]
        rows.append({"role": role, "staff": staff[role], "busy_minutes": busy, "on_duty_minutes": on_duty,
                     "utilisation": busy / on_duty if on_duty > 0 else float("nan")})
    return pd.DataFrame(rows)


def busy_table(rec: Recorder) -> pd.DataFrame:
    """The busy records: who (resource, role) was occupied from ``start`` to ``end`` (simulation minutes)."""
    n = len(rec.busy)
    busy = np.fromiter(itertools.chain.from_iterable(rec.busy), dtype=float, count=3 * n).reshape(n, 3)
    codes = busy[:, 0].astype(np.int64)
    return pd.DataFrame({
        "resource": _categorical(codes, rec.resource_names),
        "role": pd.Categorical(np.array(rec.resource_roles, dtype=object)[codes]) if n else pd.Categorical([]),
        "start": busy[:, 1],
        "end": busy[:, 2],
    })

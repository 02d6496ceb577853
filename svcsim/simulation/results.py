"""From the recorder to the event log, the busy records and the stock table, after the run.

The events become the canonical :class:`~svcsim.EventLog` (categorical case
ids, activities and resources; UTC timestamps; ``seq`` the order of
narration; ``reason`` where a fact has one; ``part``, the SKU, on the spares
events). The case book becomes the cases table (items carry their ``part``
and ``item_kind``; with an installed base every device case its ``model``
and ``batch``). The stock table has one row per part: demands and fill
rate counted from the log, end levels read from the store. Utilisation per
role is computed from the busy records by :mod:`svcsim.simulation.utilisation`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from svcsim.des.cases import ITEM, ITEM_KINDS, CaseBook
from svcsim.des.recorder import ACTIVITY_ORDER, BUSY_WIDTH, EVENT_WIDTH, Recorder
from svcsim.eventlog import EventLog
from svcsim.metrics.fill import fill_rate
from svcsim.processes.spares import DEAD_REASON, TRACE_COLUMNS, SparesStore
from svcsim.scenario.model import CALL_KINDS
from svcsim.simulation.clock import SimClock

__all__ = ["busy_table", "case_names", "event_log", "stock_table", "stock_trace"]

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


def _coded(codes: list[int] | np.ndarray, labels: list[str]) -> pd.Categorical:
    """A categorical from integer codes (``-1`` or out of range: missing)."""
    values = np.array(codes, dtype=np.int32)
    values[(values < 0) | (values >= len(labels))] = -1
    return pd.Categorical.from_codes(values, categories=pd.Index(labels, dtype=object))


def _by_index(n: int, values: dict[int, int]) -> list[int]:
    """A code per row from a sparse ``{row: code}`` (``-1`` elsewhere)."""
    codes = np.full(n, -1, dtype=np.int32)
    if values:
        codes[np.fromiter(values.keys(), dtype=np.int64, count=len(values))] = np.fromiter(
            values.values(), dtype=np.int32, count=len(values))
    return codes  # type: ignore[return-value]


def event_log(rec: Recorder, book: CaseBook, clock: SimClock, zones: list[str],
              skus: list[str] | None = None, batches: list[tuple[str, str]] | None = None) -> EventLog:
    """The run's event log in the canonical shape (``skus``: the part names, by index).

    ``batches``: the installed base's ``(model, batch)`` by batch index; the
    cases then get ``model`` and ``batch`` columns (none without it).
    """
    skus = [] if skus is None else list(skus)
    n = rec.n_events
    flat = np.array(rec.events, dtype=float).reshape(n, EVENT_WIDTH)
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
        "part": _coded(_by_index(n, rec.parts)[order], skus),
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
        "part": _coded(_by_index(len(names), book.item_part), skus),
        "item_kind": _coded(_by_index(len(names), book.item_kind), list(ITEM_KINDS)),
    })
    if batches is not None:
        _add_batches(cases, book, batches)
    return EventLog.from_frames(events, cases)


def _add_batches(cases: pd.DataFrame, book: CaseBook, batches: list[tuple[str, str]]) -> None:
    """The ``model`` and ``batch`` case columns from the book's batch indices (missing: no device)."""
    codes = np.asarray(_by_index(len(cases), book.batch), dtype=np.int32)
    models = list(dict.fromkeys(m for m, _ in batches))
    model_of = np.array([models.index(m) for m, _ in batches] + [-1], dtype=np.int32)
    cases["model"] = _coded(model_of[codes], models)
    cases["batch"] = _coded(codes, [b for _, b in batches])


def busy_table(rec: Recorder) -> pd.DataFrame:
    """The busy records: who (resource, role) was occupied from ``start`` to ``end`` (simulation minutes)."""
    n = rec.n_busy
    busy = np.array(rec.busy, dtype=float).reshape(n, BUSY_WIDTH)
    codes = busy[:, 0].astype(np.int64)
    return pd.DataFrame({
        "resource": _categorical(codes, rec.resource_names),
        "role": pd.Categorical(np.array(rec.resource_roles, dtype=object)[codes]) if n else pd.Categorical([]),
        "start": busy[:, 1],
        "end": busy[:, 2],
    })


def stock_table(log: EventLog, store: SparesStore, unit_cost: list[float]) -> pd.DataFrame:
    """One row per part: demands, how many were met from the shelf at once, DOA, scrapped, end levels.

    ``demands`` counts ``part_requested`` (a request after a dead spare is a
    demand too), ``backordered`` the ``waiting_parts`` among them,
    ``fill_rate`` the share issued from stock at once (NaN without demand;
    1 for an unlimited store), ``doa`` the requests with the reason "dead on
    arrival", ``scrapped`` the items the supplier scrapped, ``new_buys`` the
    new units received in place of scrapped ones. ``on_hand_end`` (missing
    for an unlimited store) and ``at_vendor_end`` are the levels at the horizon.
    """
    skus = store.skus
    events = log.events
    part = events["part"]
    known = part.notna().to_numpy()
    activity = events["activity"].astype(object).to_numpy()[known]
    codes = part.cat.codes.to_numpy()[known]
    reason = events["reason"].to_numpy()[known]
    n = len(skus)

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(codes[mask], minlength=n)

    demands = count(activity == "part_requested")
    backordered = count(activity == "waiting_parts")
    doa = count((activity == "part_requested") & (reason == DEAD_REASON))
    cases = log.cases
    scrapped_ids = events.loc[events["activity"] == "scrapped", "case_id"].astype(object)
    scrapped_parts = cases.loc[cases["case_id"].isin(scrapped_ids), "part"].cat.codes.to_numpy()
    scrapped = np.bincount(scrapped_parts[scrapped_parts >= 0], minlength=n)
    at_once = demands - backordered
    fill = fill_rate(at_once, backordered)
    unlimited = store.unlimited
    return pd.DataFrame({
        "sku": pd.Series(skus, dtype=object),
        "base_stock": pd.array([pd.NA if unlimited else b for b in store.base_stock], dtype="Int64"),
        "unit_cost": np.asarray(unit_cost, dtype=float),
        "demands": demands.astype(np.int64),
        "issued_from_stock_at_once": at_once.astype(np.int64),
        "backordered": backordered.astype(np.int64),
        "fill_rate": fill,
        "dead_spares": doa.astype(np.int64),
        "scrapped": scrapped.astype(np.int64),
        "new_buys": np.asarray(store.new_buys, dtype=np.int64),
        "on_hand_end": pd.array([pd.NA if unlimited else h for h in store.on_hand], dtype="Int64"),
        "at_vendor_end": np.asarray(store.at_vendor, dtype=np.int64),
    })


def stock_trace(store: SparesStore) -> pd.DataFrame | None:
    """The store's levels after each change (``None`` when not traced); ``sku`` by name."""
    if store.trace is None:
        return None
    frame = pd.DataFrame(store.trace, columns=list(TRACE_COLUMNS))
    frame["sku"] = pd.Categorical.from_codes(frame["sku"].to_numpy(np.int32),
                                             categories=pd.Index(store.skus, dtype=object))
    frame["base_stock"] = np.asarray(store.base_stock, dtype=np.int64)[frame["sku"].cat.codes.to_numpy()]
    return frame

"""Callers: non-stationary Poisson arrivals, drawn before the run, and repeat-fault calls.

Every call's arrival minute and attributes (kind, zone, fault, patience,
handle time, branch chances) are drawn up front, each from its own named
stream, so the same seed gives the same calls whatever the staffing. The
arrival process then releases them into the operators' queue at their
minute. A fix that fails brings a new call about the same device after a
delay (:func:`repeat_call`). With an installed base
(:mod:`svcsim.scenario.installed_base`), :func:`draw_installed_base` gives
each call's device a batch and draws the extra calls of batches whose fault
rate a quality event raised, on streams of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import numpy as np

from svcsim.des.cases import HARDWARE, KIND_CODES, N_CHANCES, SOFTWARE, TICKET, CaseBook
from svcsim.des.recorder import CODE, Recorder
from svcsim.streams import Streams, family_name

__all__ = ["CallPlan", "draw_calls", "draw_installed_base", "arrivals", "repeat_call", "N_CHANCES"]

_RECEIVED = CODE["call_received"]
_JOB_KINDS = (KIND_CODES["field"], KIND_CODES["carry_in"], KIND_CODES["mail_in"])


class CallPlan:
    """Arrival minutes of the calls drawn before the run (case numbers ``first``..``first + n - 1``)."""

    def __init__(self, minutes: np.ndarray, first: int = 0) -> None:
        self.minutes = minutes
        self.first = first


def _poisson_minutes(rates_per_hour: np.ndarray, generator: np.random.Generator) -> np.ndarray:
    """Arrival minutes of a Poisson process with a rate constant within each hour.

    Unit-rate exponential gaps are mapped through the cumulative intensity
    (time change), drawn in batches of 4096 until the horizon is passed.
    """
    cumulative = np.concatenate([[0.0], np.cumsum(rates_per_hour)])
    total = cumulative[-1]
    chunks, reached = [], 0.0
    while reached <= total:
        gaps = generator.standard_exponential(4096)
        points = reached + np.cumsum(gaps)
        chunks.append(points)
        reached = points[-1]
    points = np.concatenate(chunks) if chunks else np.empty(0)
    points = points[points < total]
    hour = np.searchsorted(cumulative, points, side="right") - 1
    rate = np.maximum(rates_per_hour[hour], 1e-300)
    return (hour + (points - cumulative[hour]) / rate) * 60.0


def draw_calls(book: CaseBook, streams: Streams, rates_per_hour: np.ndarray, *, mix: np.ndarray,
               zones: np.ndarray, p_software: float, p_urgent: float, p_warranty: float,
               handle: Any, patience: Any) -> CallPlan:
    """Draw every call of the horizon into ``book``; ``mix``/``zones`` are shares, dists frozen."""
    minutes = _poisson_minutes(rates_per_hour, streams.rng("arrivals"))
    n = len(minutes)
    kind = np.searchsorted(np.cumsum(mix) / mix.sum(), streams.rng("kinds").random(n), side="right")
    zone = np.searchsorted(np.cumsum(zones) / zones.sum(), streams.rng("zones").random(n), side="right")
    fault = np.where(streams.rng("faults").random(n) < p_software, SOFTWARE, HARDWARE)
    chance = streams.rng("branching").random((n, N_CHANCES))
    priority = np.where(chance[:, 3] < p_urgent, 1, 2)
    warranty = (chance[:, 4] < p_warranty).astype(int)
    hand = _draw(handle, n, streams.rng("handle"))
    wait = np.full(n, np.inf) if patience is None else _draw(patience, n, streams.rng("patience"))
    deadline = minutes + wait
    book.case_type.extend([TICKET] * n)
    book.kind.extend(np.minimum(kind, len(mix) - 1).tolist())
    book.zone.extend(np.minimum(zone, len(zones) - 1).tolist())
    book.fault.extend(fault.tolist())
    book.warranty.extend(warranty.tolist())
    book.device.extend(range(len(book.device), len(book.device) + n))
    book.priority.extend(priority.tolist())
    book.parent.extend([-1] * n)
    book.deadline.extend(deadline.tolist())
    book.handle.extend(hand.tolist())
    for j, column in enumerate(book.chance):
        column.extend(chance[:, j].tolist())
    return CallPlan(minutes)


def draw_installed_base(book: CaseBook, streams: Streams, plan: CallPlan, rates_per_hour: np.ndarray, *,
                        shares: np.ndarray, multipliers: np.ndarray, mix: np.ndarray, zones: np.ndarray,
                        p_software: float, p_urgent: float, p_warranty: float, handle: Any,
                        patience: Any) -> CallPlan | None:
    """Give the drawn calls' devices a batch; draw the extra calls of batches with a raised fault rate.

    ``shares[b]`` is batch ``b``'s share of the installed base,
    ``multipliers[b, day]`` its fault-rate multiplier on each day. Every call
    but a sale is about a device; its batch is drawn by share (stream
    ``batches``), so the calls themselves do not move. A batch whose
    multiplier is ``m > 1`` brings extra calls at ``m - 1`` times its share of
    the device calls' rate, hour by hour; they are drawn after the calls of
    ``plan`` (case numbers follow), on the sub-streams of ``batch_calls``,
    with the kind mix of device calls (no sales). Returns their plan, or
    ``None`` when no batch has extra calls.
    """
    sale = KIND_CODES["sale"]
    n = len(plan.minutes)
    cumulative = np.cumsum(shares) / shares.sum()
    batch = np.minimum(np.searchsorted(cumulative, streams.rng("batches").random(n), side="right"), len(shares) - 1)
    device_calls = np.flatnonzero(np.array(book.kind[plan.first:plan.first + n]) != sale)
    book.batch.update(zip((device_calls + plan.first).tolist(), batch[device_calls].tolist(), strict=True))
    excess = shares[:, None] * (multipliers - 1.0)  # [batch, day]
    if not excess.any():
        return None
    device_mix = mix.astype(float).copy()
    device_mix[sale] = 0.0
    if device_mix.sum() <= 0:
        return None
    days = len(rates_per_hour) // 24
    per_hour = np.repeat(excess[:, :days].sum(axis=0), 24)
    rates = rates_per_hour * (device_mix.sum() / mix.sum()) * per_hour
    minutes = _poisson_minutes(rates, streams.rng("batch_calls", 1))
    k = len(minutes)
    day = np.minimum((minutes // 1440).astype(np.int64), days - 1)
    weights = excess[:, day].T  # [call, batch]
    cumulative = np.cumsum(weights, axis=1) / weights.sum(axis=1, keepdims=True)
    pick = streams.rng("batch_calls", 2).random(k)
    extra_batch = np.minimum((cumulative < pick[:, None]).sum(axis=1), len(shares) - 1)
    kind = np.searchsorted(np.cumsum(device_mix) / device_mix.sum(), streams.rng("batch_calls", 3).random(k),
                           side="right")
    zone = np.searchsorted(np.cumsum(zones) / zones.sum(), streams.rng("batch_calls", 4).random(k), side="right")
    fault = np.where(streams.rng("batch_calls", 5).random(k) < p_software, SOFTWARE, HARDWARE)
    chance = streams.rng("batch_calls", 6).random((k, N_CHANCES))
    hand = _draw(handle, k, streams.rng("batch_calls", 7))
    wait = np.full(k, np.inf) if patience is None else _draw(patience, k, streams.rng("batch_calls", 8))
    first = len(book)
    book.case_type.extend([TICKET] * k)
    book.kind.extend(np.minimum(kind, len(mix) - 1).tolist())
    book.zone.extend(np.minimum(zone, len(zones) - 1).tolist())
    book.fault.extend(fault.tolist())
    book.warranty.extend((chance[:, 4] < p_warranty).astype(int).tolist())
    book.device.extend(range(len(book.device), len(book.device) + k))
    book.priority.extend(np.where(chance[:, 3] < p_urgent, 1, 2).tolist())
    book.parent.extend([-1] * k)
    book.deadline.extend((minutes + wait).tolist())
    book.handle.extend(hand.tolist())
    for j, column in enumerate(book.chance):
        column.extend(chance[:, j].tolist())
    book.batch.update(zip(range(first, first + k), extra_batch.tolist(), strict=True))
    return CallPlan(minutes, first=first)


def _draw(dist: Any, n: int, generator: np.random.Generator) -> np.ndarray:
    if family_name(dist) == "expon" and not dist.args and not dist.kwds.get("loc"):
        return generator.exponential(float(dist.kwds.get("scale", 1.0)), n)
    return np.asarray(dist.rvs(size=n, random_state=generator), dtype=float).reshape(n)


def arrivals(env: Any, plan: CallPlan, queue: Any, recorder: Recorder) -> Generator[Any, Any, None]:
    """Release the drawn calls into the operators' queue at their minutes."""
    timeout, narrate = env.timeout, recorder.events.extend
    idle, waiting = queue.idle, queue.queue.append  # queue.put, inlined: the hot path
    now = env.now
    for case, minute in enumerate(plan.minutes.tolist(), start=plan.first):
        yield timeout(minute - now)
        now = env.now
        narrate((case, _RECEIVED, now, -1))
        if idle:
            idle.popleft().succeed(case)
        else:
            waiting(case)


def repeat_call(env: Any, book: CaseBook, parent: int, delay: float, patience: float,
                handle: float, chance: tuple[float, ...], queue: Any,
                recorder: Recorder, next_open: Callable[[float], float] | None = None,
                ) -> Generator[Any, Any, None]:
    """The same fault comes back on the same device ``delay`` minutes later; the customer calls.

    The customer calls when the center is next open (``next_open``, the
    first open minute from a minute; none: at once): a fault that comes back
    at night is reported in the morning, as the first calls of the day are,
    not to an empty phone queue. The repeat is a job of the parent's channel
    (field, carry-in or mail-in; a field job when the parent came through
    technical support) on the parent's device and fault, free of charge (in
    warranty), linked by ``parent``.
    """
    yield env.timeout(delay)
    if next_open is not None:
        opening = next_open(env.now)
        if opening == float("inf"):  # the center does not open again in this horizon
            return
        if opening > env.now:
            yield env.timeout(opening - env.now)
    now = env.now
    kind = book.kind[parent] if book.kind[parent] in _JOB_KINDS else KIND_CODES["field"]
    case = book.add(case_type=TICKET, kind=kind, zone=book.zone[parent],
                    fault=book.fault[parent], warranty=1, device=book.device[parent],
                    priority=book.priority[parent], parent=parent, deadline=now + patience,
                    handle=handle, chance=chance)
    if parent in book.batch:  # the same device, so the same batch
        book.batch[case] = book.batch[parent]
    recorder.event(case, _RECEIVED, now, -1)
    queue.put(case)

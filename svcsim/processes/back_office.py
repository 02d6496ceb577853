"""The spares administrators' desk: warranty checks, quotes, packing for the courier, follow-ups.

Every piece of the administrators' work is a task on one desk
(:attr:`BackOffice.desk`) that the administrators on duty pull from, the
task due first taken first (:class:`Desk`); each task takes an
administrator's time in their shift, so an overloaded or absent
administrator is late, and a second one catches up:

* **a customer's unit** received at the repair point is checked for
  warranty (proof and date of purchase) or, out of warranty, quoted with
  the shipping and insurance charge (``warranty_checked``); a declined
  quote sends it back unrepaired (``closed``, reason ``quote declined``,
  after ``unit_shipped``), an accepted one makes it a paid repair, which
  the customer may later ask to cancel
  (:mod:`svcsim.processes.cancellations`); then it goes to the bench;
* **an item for the supplier** (a defective part, a dead spare, a
  customer's unit the bench could not repair, a DOA unit, whose proof of
  purchase is checked first) is packed and handed to the courier's next
  pickup (``sent_to_vendor``, :mod:`svcsim.processes.vendor`);
* **a unit going back to its customer** (repaired on the bench or by the
  supplier, or declined) is packed and handed to the courier
  (``unit_shipped``); then the satisfaction callback is due (a unit
  going back unrepaired is ``closed`` with its reason instead);
* **a follow-up** of an item at the supplier falls due (a follow-up whose
  item is back by the time it is taken costs nothing).

The courier calls once a service day at the pickup time, for the supplier
and for customers alike; whatever is packed after it leaves with the next.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Generator
from typing import Any

from svcsim.des.cases import DOA_UNIT, CaseBook
from svcsim.des.pool import WorkPool
from svcsim.des.recorder import CODE, Recorder
from svcsim.processes.spares import SparesStore
from svcsim.processes.vendor import VendorLoop

__all__ = ["BackOffice", "Desk", "CHECK", "PACK_OUT", "PACK_BACK", "FOLLOW_UP"]

_CHECKED, _SHIPPED, _CLOSED = CODE["warranty_checked"], CODE["unit_shipped"], CODE["closed"]
_ITEM = CODE["item_received"]
#: The kinds of task on the desk: ``(kind, case, detail)``.
CHECK, PACK_OUT, PACK_BACK, FOLLOW_UP = 0, 1, 2, 3


class Desk(WorkPool):
    """The desk, worked to deadlines: the task due first is taken first (ties: first come).

    A check is due at once (the bench waits for it), a parcel at the
    courier's next pickup, a follow-up at its target (3, 7 or 15 days after
    sending, :data:`svcsim.processes.vendor.FOLLOW_UP_TARGET_DAYS`): so
    parcels go before follow-ups until the follow-ups grow late, and an
    overloaded administrator misses both.
    """

    def __init__(self) -> None:
        super().__init__()
        self.heap: list[tuple[float, int, tuple[int, int, int]]] = []
        self._seq = 0

    def put(self, item: tuple[int, int, int], due: float = 0.0) -> None:
        """New work due at minute ``due``: to the longest-idle administrator on duty, else on the desk."""
        if self.idle:
            self.idle.popleft().succeed(item)
        else:
            self._seq += 1
            heapq.heappush(self.heap, (due, self._seq, item))

    def take(self) -> tuple[int, int, int] | None:
        """The task due first, or ``None``."""
        return heapq.heappop(self.heap)[2] if self.heap else None


class BackOffice:
    """The administrators' desk and what each task does.

    ``next_pickup(minute)`` is the courier's next call; ``check_time``,
    ``pack_time`` and ``follow_up_time`` draw an administrator's minutes;
    ``p_declined`` is the chance an out-of-warranty customer declines the
    quote (compared with the call's own branch chance, so the same call
    decides the same way under any staffing). ``to_bench(case)`` passes a
    checked unit on, ``paid(case)`` reports an accepted quote,
    ``shipped(case)`` a repaired unit on its way back to its customer.
    """

    def __init__(self, env: Any, book: CaseBook, recorder: Recorder, store: SparesStore, *, resource: int,
                 next_pickup: Callable[[float], float], check_time: Callable[[], float],
                 pack_time: Callable[[], float], follow_up_time: Callable[[], float], p_declined: float,
                 to_bench: Callable[[int], None], paid: Callable[[int], None],
                 shipped: Callable[[int], None]) -> None:
        self.env, self.book, self.recorder, self.store = env, book, recorder, store
        self.resource, self.next_pickup = resource, next_pickup
        self.check_time, self.pack_time, self.follow_up_time = check_time, pack_time, follow_up_time
        self.p_declined, self.to_bench, self.paid, self.shipped = p_declined, to_bench, paid, shipped
        self.desk = Desk()
        self.vendor: VendorLoop | None = None
        self.unrepaired: dict[int, str] = {}

    # -- work arriving at the desk -----------------------------------------------------
    def unit_received(self, case: int) -> None:
        """A customer's unit is at the repair point (``unit_received`` narrated): check its warranty."""
        self.desk.put((CHECK, case, 0), self.env.now)

    def item_received(self, item: int, sku: int) -> None:
        """An item for the supplier reached the administrators: narrate ``item_received``, pack it."""
        self.recorder.event(item, _ITEM, self.env.now, self.resource)
        if sku >= 0:
            self.store.received(sku)
        self.desk.put((PACK_OUT, item, sku), self.next_pickup(self.env.now))

    def ship_back(self, case: int) -> None:
        """A unit is ready to go back to its customer: pack it."""
        self.desk.put((PACK_BACK, case, 0), self.next_pickup(self.env.now))

    def return_unrepaired(self, case: int, reason: str) -> None:
        """A unit goes back to its customer unrepaired (a declined quote, a cancelled repair): pack it."""
        self.unrepaired[case] = reason
        self.desk.put((PACK_BACK, case, 0), self.next_pickup(self.env.now))

    def follow_up_due(self, task: tuple[int, int, int], target: float) -> None:
        """A follow-up of an item at the supplier falls due; ``target`` is the minute it must be done by."""
        self.desk.put(task, target)

    # -- an administrator's work ---------------------------------------------------------
    def serve(self, me: int) -> Callable[[tuple[int, int, int]], Generator[Any, Any, None]]:
        """The work of administrator ``me`` on one task of the desk."""
        env, rec = self.env, self.recorder

        def work(task: tuple[int, int, int]) -> Generator[Any, Any, None]:
            kind, case, detail = task
            if kind == FOLLOW_UP and (self.vendor is None or case not in self.vendor.out):
                return  # back already: nothing to follow up
            start = env.now
            if kind == CHECK or (kind == PACK_OUT and self.book.item_kind.get(case) == DOA_UNIT):
                yield env.timeout(self.check_time())
            if kind in (PACK_OUT, PACK_BACK):
                yield env.timeout(self.pack_time())
            elif kind == FOLLOW_UP:
                yield env.timeout(self.follow_up_time())
            rec.worked(me, start, env.now)
            if kind == CHECK:
                self._checked(case, me)
            elif kind == PACK_OUT:
                self._courier(lambda: self.vendor.send(case, detail, me) if self.vendor is not None else None)
            elif kind == PACK_BACK:
                self._courier(lambda: self._shipped(case, me))
            else:
                rec.event(case, detail, env.now, me)

        return work

    def _checked(self, case: int, me: int) -> None:
        book, now = self.book, self.env.now
        if book.warranty[case]:
            self.recorder.note(case, _CHECKED, now, me, "in warranty")
        elif book.chance[1][case] < self.p_declined:
            self.recorder.note(case, _CHECKED, now, me, "quote declined")
            self.return_unrepaired(case, "quote declined")
            return
        else:
            self.recorder.note(case, _CHECKED, now, me, "quote accepted")
            self.paid(case)
        self.to_bench(case)

    def _courier(self, handover: Callable[[], object]) -> None:
        """Leave the packed parcel for the courier's next pickup (none left in the horizon: it waits)."""
        pickup = self.next_pickup(self.env.now)
        if pickup < float("inf"):
            self.env.timeout(pickup - self.env.now).callbacks.append(lambda _: handover())

    def _shipped(self, case: int, me: int) -> None:
        now = self.env.now
        self.recorder.event(case, _SHIPPED, now, me)
        reason = self.unrepaired.pop(case, None)
        if reason is not None:
            self.recorder.note(case, _CLOSED, now, me, reason)
        else:
            self.shipped(case)

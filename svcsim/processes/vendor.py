"""The vendor repair loop: items shipped to the supplier, followed up, returned or scrapped.

Every defective part taken out in a repair and every spare dead on arrival
is an *item* case. Once the spares administrator has it (``item_received``,
see :mod:`svcsim.processes.aftercare`), it leaves on the supplier's next
pickup (``sent_to_vendor``) and stays at the supplier for the part's
turnaround time (heavy-tailed: some items are out longer than 30 days).
The supplier then scraps it with the part's scrap share (``scrapped``; a
new buy with a lead time replaces the unit in stock) or sends it back
(``returned_from_vendor``), and the unit goes back to the store, to the
oldest backorder first.

While an item is out, the administrators follow it up: confirm receipt
with the supplier (``vendor_confirmed``), tell the user (``user_informed``),
contact the user again (``user_contacted``). Each follow-up becomes due a
set time after sending, joins the administrators' work queue, and takes an
administrator's time on their shift; a follow-up whose item is back by the
time it is taken is dropped. An overloaded or absent administrator is late,
and the 3, 7 and 15-day milestones of the ``vendor`` rule are missed.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from typing import Any

from svcsim.des.cases import CaseBook
from svcsim.des.pool import WorkPool
from svcsim.des.recorder import CODE, Recorder
from svcsim.processes.spares import SparesStore

__all__ = ["FOLLOW_UPS", "VendorLoop"]

_SENT, _RETURNED, _SCRAPPED = CODE["sent_to_vendor"], CODE["returned_from_vendor"], CODE["scrapped"]
#: The administrator's follow-ups, in order.
FOLLOW_UPS: tuple[int, ...] = (CODE["vendor_confirmed"], CODE["user_informed"], CODE["user_contacted"])


class VendorLoop:
    """Items between the spares administrator and the supplier.

    ``resource`` is the administrator who receives and ships items (``-1``:
    none); ``next_pickup(minute)`` the courier's next call; ``turnaround[sku]``
    and ``new_buy[sku]`` draw minutes; ``scrap`` draws uniform numbers
    compared with ``scrap_share[sku]``; ``follow_up_after`` are the minutes
    after sending when each follow-up of :data:`FOLLOW_UPS` is due; ``work``
    draws an administrator's minutes per follow-up. Administrators pull
    follow-ups from :attr:`pool` with :meth:`serve`.
    """

    def __init__(self, env: Any, book: CaseBook, recorder: Recorder, store: SparesStore, *, resource: int,
                 next_pickup: Callable[[float], float], turnaround: Sequence[Callable[[], float]],
                 scrap: Callable[[], float], scrap_share: Sequence[float],
                 new_buy: Sequence[Callable[[], float]], follow_up_after: Sequence[float],
                 work: Callable[[], float]) -> None:
        self.env, self.book, self.recorder, self.store = env, book, recorder, store
        self.resource, self.next_pickup = resource, next_pickup
        self.turnaround, self.scrap, self.scrap_share, self.new_buy = turnaround, scrap, scrap_share, new_buy
        self.follow_up_after, self.work = tuple(follow_up_after), work
        self.pool = WorkPool()
        self.out: set[int] = set()

    def receive(self, item: int, sku: int) -> None:
        """The administrator has the item (``item_received`` narrated): ship it on the next pickup."""
        self.store.received(sku)
        pickup = self.next_pickup(self.env.now)
        if pickup == float("inf"):
            return  # no pickup left in the horizon: the item waits at the administrator's
        self.env.timeout(pickup - self.env.now).callbacks.append(lambda _: self._send(item, sku))

    def _send(self, item: int, sku: int) -> None:
        env = self.env
        self.recorder.event(item, _SENT, env.now, self.resource)
        self.store.sent(sku)
        self.out.add(item)
        env.timeout(self.turnaround[sku]()).callbacks.append(lambda _: self._back(item, sku))
        if self.follow_up_after:
            env.timeout(self.follow_up_after[0]).callbacks.append(lambda _: self._due(item, 0))

    def _due(self, item: int, step: int) -> None:
        """Follow-up ``step`` of ``item`` is due: queue it, and wait for the next (while the item is out)."""
        if item not in self.out:
            return
        self.pool.put((item, FOLLOW_UPS[step]))
        if step + 1 < len(self.follow_up_after):
            gap = self.follow_up_after[step + 1] - self.follow_up_after[step]
            self.env.timeout(max(gap, 0.0)).callbacks.append(lambda _: self._due(item, step + 1))

    def _back(self, item: int, sku: int) -> None:
        env = self.env
        self.out.discard(item)
        if self.scrap() < self.scrap_share[sku]:
            self.recorder.event(item, _SCRAPPED, env.now, self.resource)
            self.store.scrap(sku)
            env.timeout(self.new_buy[sku]()).callbacks.append(lambda _: self.store.bought(sku))
        else:
            self.recorder.event(item, _RETURNED, env.now, self.resource)
            self.store.returned(sku)

    def serve(self, me: int) -> Callable[[tuple[int, int]], Generator[Any, Any, None]]:
        """The work of administrator ``me`` on one follow-up."""

        def follow_up(task: tuple[int, int]) -> Generator[Any, Any, None]:
            item, activity = task
            if item not in self.out:
                return  # back already: nothing to follow up
            env = self.env
            start = env.now
            yield env.timeout(self.work())
            self.recorder.event(item, activity, env.now, me)
            self.recorder.worked(me, start, env.now)

        return follow_up

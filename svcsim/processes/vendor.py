"""The vendor repair loop: items at the supplier, followed up, returned, scrapped, exchanged or refunded.

An *item* is a defective part taken out in a repair, a spare that proved
dead when fitted, a customer's unit the bench could not repair in house, or
a DOA unit (a new product dead at first use). The spares administrators
receive it (``item_received``), pack it and hand it to the supplier's
courier (:mod:`svcsim.processes.back_office`); from the pickup
(``sent_to_vendor``) it stays at the supplier for its turnaround time
(heavy-tailed: some items are out longer than 30 days). Then:

* a part is scrapped with its scrap share (``scrapped``; a new buy with a
  lead time replaces the unit in stock) or sent back
  (``returned_from_vendor``) to the store, to the oldest backorder first;
* a customer's unit comes back repaired or exchanged
  (``returned_from_vendor``) and is shipped back to its customer;
* a DOA unit comes back too; if it is still out 30 days after sending,
  purchasing takes it up and the customer's unit is exchanged
  (``exchanged``) or refunded (``refunded``), and a late return from the
  supplier changes nothing more.

While an item is out, its follow-ups fall due a set time after sending
(confirm receipt, tell the user, contact the user again): each becomes work
for the administrators, handed to their desk with its target (3, 7 and 15
days after sending, :data:`FOLLOW_UP_TARGET_DAYS`) as its deadline, and is
done when one of them gets to it; a follow-up whose item is back by then
is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from typing import Any

from svcsim.des.cases import CUSTOMER_UNIT, DOA_UNIT, CaseBook
from svcsim.des.pool import WorkPool
from svcsim.des.recorder import CODE, Recorder
from svcsim.processes.spares import SparesStore

__all__ = ["FOLLOW_UPS", "FOLLOW_UP_TARGET_DAYS", "DOA_DEADLINE_MINUTES", "VendorLoop"]

_SENT, _RETURNED, _SCRAPPED = CODE["sent_to_vendor"], CODE["returned_from_vendor"], CODE["scrapped"]
_EXCHANGED, _REFUNDED = CODE["exchanged"], CODE["refunded"]
#: The administrator's follow-ups, in order.
FOLLOW_UPS: tuple[int, ...] = (CODE["vendor_confirmed"], CODE["user_informed"], CODE["user_contacted"])
#: The days after sending by which the administrators work to have each follow-up done (the document's targets).
FOLLOW_UP_TARGET_DAYS: tuple[float, ...] = (3.0, 7.0, 15.0)
#: A DOA unit still at the supplier this long after sending goes to purchasing (30 days).
DOA_DEADLINE_MINUTES = 30 * 1440.0


class VendorLoop:
    """Items between the spares administrators and the supplier, and purchasing's part in it.

    ``turnaround[sku]`` and ``new_buy[sku]`` draw minutes for parts,
    ``unit_turnaround`` for customers' and DOA units; ``scrap`` draws
    uniform numbers compared with ``scrap_share[sku]``;
    ``follow_up_after`` are the minutes after sending when each follow-up
    of :data:`FOLLOW_UPS` falls due, and ``follow_up_due(task)`` hands one
    to the administrators' desk. ``unit_back(item)`` is called when a
    customer's unit comes back. Purchasing staff pull DOA units from
    :attr:`purchasing` with :meth:`purchase`; ``purchasing_time`` draws
    their minutes, ``exchange`` uniform numbers compared with
    ``p_exchange``.
    """

    def __init__(self, env: Any, book: CaseBook, recorder: Recorder, store: SparesStore, *,
                 turnaround: Sequence[Callable[[], float]], unit_turnaround: Callable[[], float],
                 scrap: Callable[[], float], scrap_share: Sequence[float],
                 new_buy: Sequence[Callable[[], float]], follow_up_after: Sequence[float],
                 follow_up_due: Callable[[tuple[int, int, int], float], None], unit_back: Callable[[int], None],
                 purchasing_time: Callable[[], float], exchange: Callable[[], float], p_exchange: float,
                 follow_up_code: int) -> None:
        self.env, self.book, self.recorder, self.store = env, book, recorder, store
        self.turnaround, self.unit_turnaround = turnaround, unit_turnaround
        self.scrap, self.scrap_share, self.new_buy = scrap, scrap_share, new_buy
        self.follow_up_after, self.follow_up_due = tuple(follow_up_after), follow_up_due
        self.unit_back = unit_back
        self.purchasing_time, self.exchange, self.p_exchange = purchasing_time, exchange, p_exchange
        self.follow_up_code = follow_up_code
        self.purchasing = WorkPool()
        self.out: set[int] = set()

    def send(self, item: int, sku: int, resource: int) -> None:
        """The courier takes the packed item (``sent_to_vendor``): it is at the supplier for its turnaround."""
        env = self.env
        self.recorder.event(item, _SENT, env.now, resource)
        self.out.add(item)
        if sku >= 0:
            self.store.sent(sku)
            turnaround = self.turnaround[sku]()
        else:
            turnaround = self.unit_turnaround()
        env.timeout(turnaround).callbacks.append(lambda _: self._back(item, sku))
        if self.follow_up_after:
            sent = env.now
            env.timeout(self.follow_up_after[0]).callbacks.append(lambda _: self._due(item, 0, sent))
        if self.book.item_kind.get(item) == DOA_UNIT:
            env.timeout(DOA_DEADLINE_MINUTES).callbacks.append(lambda _: self._overdue(item))

    def _due(self, item: int, step: int, sent: float) -> None:
        """Follow-up ``step`` of ``item`` falls due: to the desk, and wait for the next (while the item is out)."""
        if item not in self.out:
            return
        self.follow_up_due((self.follow_up_code, item, FOLLOW_UPS[step]), sent + 1440.0 * FOLLOW_UP_TARGET_DAYS[step])
        if step + 1 < len(self.follow_up_after):
            gap = self.follow_up_after[step + 1] - self.follow_up_after[step]
            self.env.timeout(max(gap, 0.0)).callbacks.append(lambda _: self._due(item, step + 1, sent))

    def _back(self, item: int, sku: int) -> None:
        if item not in self.out:
            return  # a DOA unit purchasing has already exchanged or refunded
        env = self.env
        self.out.discard(item)
        if sku < 0:  # a customer's or a DOA unit: repaired or exchanged by the supplier
            self.recorder.event(item, _RETURNED, env.now, -1)
            if self.book.item_kind.get(item) == CUSTOMER_UNIT:
                self.unit_back(item)
        elif self.scrap() < self.scrap_share[sku]:
            self.recorder.event(item, _SCRAPPED, env.now, -1)
            self.store.scrap(sku)
            env.timeout(self.new_buy[sku]()).callbacks.append(lambda _: self.store.bought(sku))
        else:
            self.recorder.event(item, _RETURNED, env.now, -1)
            self.store.returned(sku)

    def _overdue(self, item: int) -> None:
        """A DOA unit 30 days at the supplier: purchasing takes it up."""
        if item in self.out:
            self.purchasing.put(item)

    def purchase(self, me: int) -> Callable[[int], Generator[Any, Any, None]]:
        """The work of purchasing officer ``me`` on one overdue DOA unit: exchanged or refunded."""

        def settle(item: int) -> Generator[Any, Any, None]:
            if item not in self.out:
                return  # the supplier sent it back meanwhile
            env = self.env
            start = env.now
            yield env.timeout(self.purchasing_time())
            self.recorder.worked(me, start, env.now)
            if item not in self.out:
                return
            self.out.discard(item)
            self.recorder.event(item, _EXCHANGED if self.exchange() < self.p_exchange else _REFUNDED, env.now, me)

        return settle

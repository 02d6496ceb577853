"""Bench engineers: carried-in and mailed-in units, tested, repaired, or sent on to the supplier.

After the ticket is logged the customer brings the unit in (a carry-in
delay) or mails it (a transit time); it is received at the repair point
when the center is next open (``unit_received``) and the spares
administrators check its warranty or quote it
(:mod:`svcsim.processes.back_office`). A bench engineer on duty then takes
units in order: fault test; a share of units (by fault kind) cannot be
repaired in house and go to the supplier as a ``customer_unit`` item (the
ticket narrates ``repair_started``: from then on the customer cannot
cancel); the others are repaired (``repair_started``; a hardware fault may
need a part) and pass the post-repair test (``repaired``), and the
administrators pack them for the courier back to the customer
(``unit_shipped``). A bench job is never dispatched. A unit whose part is
out of stock waits (``waiting_parts``) and the engineer moves on to the
next unit; when the part comes in (``parts_received``) the unit joins the
back of the queue and the engineer who takes it fits the part
(``part_issued``), repairs and tests it. A unit whose paid repair the
customer cancelled before it started goes back unrepaired.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from svcsim.des.cases import CUSTOMER_UNIT, SOFTWARE, CaseBook
from svcsim.des.pool import WorkPool
from svcsim.des.recorder import CODE, Recorder
from svcsim.processes.back_office import BackOffice
from svcsim.processes.cancellations import Cancellations
from svcsim.processes.spares import SparesStore, fit

__all__ = ["BenchShop"]

_RECEIVED, _REPAIRED, _STARTED = CODE["unit_received"], CODE["repaired"], CODE["repair_started"]


class BenchShop:
    """The repair point: units on their way in, a queue of units, the bench engineers' work.

    ``to_supplier`` draws uniform numbers compared with ``p_to_supplier``
    (software, hardware): the chance a tested unit must go to the supplier.
    ``done(case, sku, resource)`` is called when a unit is repaired.
    """

    def __init__(self, env: Any, book: CaseBook, recorder: Recorder, store: SparesStore, office: BackOffice,
                 cancellations: Cancellations, *, next_open: Callable[[float], float],
                 carry_in_delay: Callable[[], float], mail_transit: Callable[[], float],
                 test: Callable[[], float], repair: Callable[[], float], part_needed: Callable[[], float],
                 p_part: float, to_supplier: Callable[[], float], p_to_supplier: tuple[float, float],
                 done: Callable[[int, int, int], None], dead_back: Callable[[int, int, int], None],
                 mail_kind: int) -> None:
        self.env, self.book, self.recorder, self.store = env, book, recorder, store
        self.office, self.cancellations = office, cancellations
        self.next_open, self.carry_in_delay, self.mail_transit = next_open, carry_in_delay, mail_transit
        self.test, self.repair, self.part_needed, self.p_part = test, repair, part_needed, p_part
        self.to_supplier, self.p_to_supplier = to_supplier, p_to_supplier
        self.done, self.dead_back, self.mail_kind = done, dead_back, mail_kind
        self.pool = WorkPool()
        self.parts_in: dict[int, int] = {}

    def unit_on_its_way(self, case: int) -> None:
        """The ticket is logged: the unit will come in."""
        delay = self.mail_transit() if self.book.kind[case] == self.mail_kind else self.carry_in_delay()
        self.env.process(self._arrive(case, delay))

    def _arrive(self, case: int, delay: float) -> Generator[Any, Any, None]:
        env = self.env
        yield env.timeout(delay)
        opening = self.next_open(env.now)
        if opening > env.now:
            yield env.timeout(opening - env.now)
        self.recorder.event(case, _RECEIVED, env.now, -1)
        self.office.unit_received(case)

    def serve(self, me: int) -> Callable[[int], Generator[Any, Any, None]]:
        """The work of bench engineer ``me`` on one unit."""

        def repair_unit(case: int) -> Generator[Any, Any, None]:
            env, rec, store, cancelled = self.env, self.recorder, self.store, self.cancellations.cancelled
            start = env.now
            sku = self.parts_in.pop(case, -1)
            if sku >= 0:  # back from waiting for parts: the unit was reserved for it
                store.hand_over(case, sku, me)
            else:
                if case in cancelled:
                    self.office.return_unrepaired(case, "cancelled")
                    return
                yield env.timeout(self.test())
                if case in cancelled:  # cancelled during the fault test: the repair had not started
                    rec.worked(me, start, env.now)
                    self.office.return_unrepaired(case, "cancelled")
                    return
                rec.event(case, _STARTED, env.now, me)
                self.cancellations.started(case)
                software = self.book.fault[case] == SOFTWARE
                if self.to_supplier() < self.p_to_supplier[0 if software else 1]:
                    rec.worked(me, start, env.now)
                    item = self.book.add_item(case, -1, CUSTOMER_UNIT)
                    self.office.item_received(item, -1)
                    return
                if not software and self.part_needed() < self.p_part:
                    sku = store.pick()
                    if not store.request(case, sku, me, self._resume):
                        rec.worked(me, start, env.now)
                        return
            if sku >= 0 and not fit(store, case, sku, me, self._resume, self.dead_back):
                rec.worked(me, start, env.now)
                return
            yield env.timeout(self.repair())
            yield env.timeout(self.test())
            rec.event(case, _REPAIRED, env.now, me)
            rec.worked(me, start, env.now)
            self.done(case, sku, me)
            self.office.ship_back(case)

        return repair_unit

    def checked(self, case: int) -> None:
        """The administrators checked the unit's warranty (or its quote was accepted): it joins the bench queue."""
        self.pool.put(case)

    def _resume(self, case: int, sku: int) -> None:
        """The part came in (``parts_received`` narrated): the unit goes back in the queue."""
        self.parts_in[case] = sku
        self.pool.put(case)

"""Bench engineers: carried-in and mailed-in units, tested, repaired and shipped back.

After the ticket is logged the customer brings the unit in (a carry-in
delay) or mails it (a transit time); it is received at the repair point
when the center is next open (``unit_received``). A bench engineer on duty
takes units in order of arrival: fault test, repair (a hardware fault may
need a part), post-repair test -> ``repaired`` -> ``unit_shipped``. A bench
job is never dispatched. A unit whose part is out of stock waits
(``waiting_parts``) and the engineer moves on to the next unit; when the
part comes in (``parts_received``) the unit joins the back of the queue and
the engineer who takes it fits the part (``part_issued``), repairs and
tests it.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from svcsim.des.cases import HARDWARE, CaseBook
from svcsim.des.pool import WorkPool
from svcsim.des.recorder import CODE, Recorder
from svcsim.processes.spares import SparesStore, fit

__all__ = ["BenchShop"]

_RECEIVED, _REPAIRED, _SHIPPED = CODE["unit_received"], CODE["repaired"], CODE["unit_shipped"]


class BenchShop:
    """The repair point: units on their way in, a queue of units, the bench engineers' work."""

    def __init__(self, env: Any, book: CaseBook, recorder: Recorder, store: SparesStore, *,
                 next_open: Callable[[float], float], carry_in_delay: Callable[[], float],
                 mail_transit: Callable[[], float], test: Callable[[], float],
                 repair: Callable[[], float], part_needed: Callable[[], float], p_part: float,
                 done: Callable[[int, int, int, bool], None], doa_back: Callable[[int, int, int], None],
                 mail_kind: int) -> None:
        self.env, self.book, self.recorder, self.store = env, book, recorder, store
        self.next_open, self.carry_in_delay, self.mail_transit = next_open, carry_in_delay, mail_transit
        self.test, self.repair, self.part_needed, self.p_part = test, repair, part_needed, p_part
        self.done, self.doa_back, self.mail_kind = done, doa_back, mail_kind
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
        self.pool.put(case)

    def serve(self, me: int) -> Callable[[int], Generator[Any, Any, None]]:
        """The work of bench engineer ``me`` on one unit."""

        def repair_unit(case: int) -> Generator[Any, Any, None]:
            env, rec, store = self.env, self.recorder, self.store
            start = env.now
            sku = self.parts_in.pop(case, -1)
            if sku >= 0:  # back from waiting for parts: the unit was reserved for it
                store.hand_over(case, sku, me)
            else:
                yield env.timeout(self.test())
                if self.book.fault[case] == HARDWARE and self.part_needed() < self.p_part:
                    sku = store.pick()
                    if not store.request(case, sku, me, self._resume):
                        rec.worked(me, start, env.now)
                        return
            if sku >= 0 and not fit(store, case, sku, me, self._resume, self.doa_back):
                rec.worked(me, start, env.now)
                return
            yield env.timeout(self.repair())
            yield env.timeout(self.test())
            rec.event(case, _REPAIRED, env.now, me)
            rec.event(case, _SHIPPED, env.now, me)
            rec.worked(me, start, env.now)
            self.done(case, sku, me, False)

        return repair_unit

    def _resume(self, case: int, sku: int) -> None:
        """The part came in (``parts_received`` narrated): the unit goes back in the queue."""
        self.parts_in[case] = sku
        self.pool.put(case)

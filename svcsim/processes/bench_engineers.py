"""Bench engineers: carried-in and mailed-in units, tested, repaired and shipped back.

After the ticket is logged the customer brings the unit in (a carry-in
delay) or mails it (a transit time); it is received at the repair point
when the center is next open (``unit_received``). A bench engineer on duty
takes units in order of arrival: fault test, repair (a hardware fault may
need a part), post-repair test -> ``repaired`` -> ``unit_shipped``. A bench
job is never dispatched.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from svcsim.processes.cases import HARDWARE, CaseBook
from svcsim.processes.pool import WorkPool
from svcsim.processes.recorder import CODE, Recorder
from svcsim.processes.spares import SparesStore

__all__ = ["BenchShop"]

_RECEIVED, _REPAIRED, _SHIPPED = CODE["unit_received"], CODE["repaired"], CODE["unit_shipped"]


class BenchShop:
    """The repair point: units on their way in, a queue of units, the bench engineers' work."""

    def __init__(self, env: Any, book: CaseBook, recorder: Recorder, store: SparesStore, *,
                 next_open: Callable[[float], float], carry_in_delay: Callable[[], float],
                 mail_transit: Callable[[], float], test: Callable[[], float],
                 repair: Callable[[], float], part_needed: Callable[[], float], p_part: float,
                 done: Callable[[int, bool, int, bool], None], mail_kind: int) -> None:
        self.env, self.book, self.recorder, self.store = env, book, recorder, store
        self.next_open, self.carry_in_delay, self.mail_transit = next_open, carry_in_delay, mail_transit
        self.test, self.repair, self.part_needed, self.p_part = test, repair, part_needed, p_part
        self.done, self.mail_kind = done, mail_kind
        self.pool = WorkPool()

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
            env, rec = self.env, self.recorder
            start = env.now
            yield env.timeout(self.test())
            part = False
            if self.book.fault[case] == HARDWARE:
                part = self.part_needed() < self.p_part
                if part:
                    yield from self.store.issue(case, me)
            yield env.timeout(self.repair())
            yield env.timeout(self.test())
            rec.event(case, _REPAIRED, env.now, me)
            rec.event(case, _SHIPPED, env.now, me)
            rec.worked(me, start, env.now)
            self.done(case, part, me, False)

        return repair_unit

"""After a repair: the repeat-fault loop, bad parts to the spares administrator, the callback.

A fix fails with the scenario's chance for its fault kind; the same fault
then comes back on the same device after a delay, as a new call
(:func:`svcsim.processes.callers.repeat_call`), so the 72-hour and 7-day rules
have something to judge. A replaced part is defective: a field engineer
carries it and hands it in when back at the center
(:meth:`Aftercare.hand_in`, narrating ``bad_part_returned``); a bench
engineer hands it over after the ``bad_part_return`` delay. Either way it
reaches the spares administrator when the center is open and becomes an
item (``item_received``, kind ``defective``) on the administrators' desk
(:mod:`svcsim.processes.back_office`) and in the vendor loop. A spare that proves dead when fitted goes
the same way as an item of kind ``dead_spare``. Every repaired field ticket waits for its
satisfaction callback; a bench ticket waits for it once its unit is shipped.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from svcsim.des.cases import DEAD_SPARE, DEFECTIVE, N_CHANCES, SOFTWARE, CaseBook
from svcsim.des.recorder import CODE, Recorder
from svcsim.processes.back_office import BackOffice
from svcsim.processes.callers import repeat_call
from svcsim.processes.spares import SparesStore

__all__ = ["Aftercare"]

_BAD_PART = CODE["bad_part_returned"]


class Aftercare:
    """What follows every repair (field or bench), and where dead spares go."""

    def __init__(self, env: Any, book: CaseBook, recorder: Recorder, *, post_callback: Callable[[int], None],
                 calls: Any, store: SparesStore, office: BackOffice, next_open: Callable[[float], float],
                 fails: Callable[[], float], p_fail: tuple[float, float], repeat_delay: Callable[[], float],
                 repeat_patience: Callable[[], float], repeat_handle: Callable[[], float],
                 repeat_chance: Callable[[], float], bad_part_delay: Callable[[], float]) -> None:
        self.env, self.book, self.recorder = env, book, recorder
        self.post_callback, self.calls, self.store, self.office = post_callback, calls, store, office
        self.next_open = next_open
        self.fails, self.p_fail, self.repeat_delay = fails, p_fail, repeat_delay
        self.repeat_patience, self.repeat_handle, self.repeat_chance = repeat_patience, repeat_handle, repeat_chance
        self.bad_part_delay = bad_part_delay

    def done(self, case: int, sku: int, resource: int, on_site: bool) -> None:
        """A repair finished on ``case`` (``sku``: the part replaced, ``-1`` none); ``on_site`` for a field visit."""
        self.fixed(case, sku, resource, on_site)
        self.post_callback(case)

    def fixed(self, case: int, sku: int, resource: int, on_site: bool) -> None:
        """A repair finished on ``case``: the fault may come back; a replaced part goes back. No callback yet."""
        p_fail = self.p_fail[0] if self.book.fault[case] == SOFTWARE else self.p_fail[1]
        if self.fails() < p_fail:
            chance = tuple(self.repeat_chance() for _ in range(N_CHANCES))
            self.env.process(repeat_call(
                self.env, self.book, case, self.repeat_delay(), self.repeat_patience(),
                self.repeat_handle(), chance, self.calls, self.recorder, self.next_open))
        if sku >= 0:
            self.store.defective_out(sku)
            if not on_site:  # a field engineer carries it back (hand_in)
                self.env.process(self._hand_back(case, sku, resource, False, DEFECTIVE, self.bad_part_delay()))

    def dead_spare(self, case: int, sku: int, resource: int) -> None:
        """A spare issued to ``case`` on the bench proved dead (the store already counts it out): back to the administrator."""
        self.env.process(self._hand_back(case, sku, resource, False, DEAD_SPARE, self.bad_part_delay()))

    def hand_in(self, case: int, sku: int, resource: int, kind: int) -> None:
        """A field engineer back at the center hands in a bad part (or a dead spare) of ``case``."""
        self.env.process(self._hand_back(case, sku, resource, kind == DEFECTIVE, kind, 0.0))

    def _hand_back(self, case: int, sku: int, resource: int, narrate: bool, kind: int,
                   delay: float) -> Generator[Any, Any, None]:
        env = self.env
        if delay > 0:
            yield env.timeout(delay)
        opening = self.next_open(env.now)
        if opening == float("inf"):
            return  # still with the engineer at the horizon: in transit
        if opening > env.now:
            yield env.timeout(opening - env.now)
        if narrate:
            self.recorder.part(case, _BAD_PART, env.now, resource, sku)
        self.office.item_received(self.book.add_item(case, sku, kind), sku)

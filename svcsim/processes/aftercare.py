"""After a repair: the repeat-fault loop, bad parts to the spares administrator, the callback.

A fix fails with the scenario's chance for its fault kind; the same fault
then comes back on the same device after a delay, as a new call
(:func:`svcsim.processes.callers.repeat_call`), so the 72-hour and 7-day rules
have something to judge. A replaced part is defective: a field engineer
carries it and hands it in when back at the center
(:meth:`Aftercare.hand_in`, narrating ``bad_part_returned``); a bench
engineer hands it over after the ``bad_part_return`` delay. Either way it
reaches the spares administrator when the center is open and becomes an
item (``item_received``, kind ``defective``) in the vendor loop
(:mod:`svcsim.processes.vendor`). A spare dead on arrival goes the same way
as an item of kind ``doa``. Every repaired ticket waits for its
satisfaction callback.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from svcsim.des.cases import DEFECTIVE, DOA, N_CHANCES, SOFTWARE, CaseBook
from svcsim.des.recorder import CODE, Recorder
from svcsim.processes.callers import repeat_call
from svcsim.processes.spares import SparesStore
from svcsim.processes.vendor import VendorLoop

__all__ = ["Aftercare"]

_BAD_PART, _ITEM = CODE["bad_part_returned"], CODE["item_received"]


class Aftercare:
    """What follows every repair (field or bench), and where dead spares go."""

    def __init__(self, env: Any, book: CaseBook, recorder: Recorder, *, post_callback: Callable[[int], None],
                 calls: Any, store: SparesStore, vendor: VendorLoop, next_open: Callable[[float], float],
                 fails: Callable[[], float], p_fail: tuple[float, float], repeat_delay: Callable[[], float],
                 repeat_patience: Callable[[], float], repeat_handle: Callable[[], float],
                 repeat_chance: Callable[[], float], bad_part_delay: Callable[[], float]) -> None:
        self.env, self.book, self.recorder = env, book, recorder
        self.post_callback, self.calls, self.store, self.vendor = post_callback, calls, store, vendor
        self.next_open = next_open
        self.fails, self.p_fail, self.repeat_delay = fails, p_fail, repeat_delay
        self.repeat_patience, self.repeat_handle, self.repeat_chance = repeat_patience, repeat_handle, repeat_chance
        self.bad_part_delay = bad_part_delay

    def done(self, case: int, sku: int, resource: int, on_site: bool) -> None:
        """A repair finished on ``case`` (``sku``: the part replaced, ``-1`` none); ``on_site`` for a field visit."""
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
        self.post_callback(case)

    def dead_on_arrival(self, case: int, sku: int, resource: int) -> None:
        """A spare issued to ``case`` on the bench was dead (the store already counts it out): back to the administrator."""
        self.env.process(self._hand_back(case, sku, resource, False, DOA, self.bad_part_delay()))

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
        item = self.book.add_item(case, sku, kind)
        self.recorder.event(item, _ITEM, env.now, self.vendor.resource)
        self.vendor.receive(item, sku)

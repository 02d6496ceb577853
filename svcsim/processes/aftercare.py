"""After a repair: the repeat-fault loop, bad parts to the spares administrator, the callback.

A fix fails with the scenario's chance for its fault kind; the same fault
then comes back on the same device after a delay, as a new call
(:func:`svcsim.processes.callers.repeat_call`), so the 72-hour and 7-day rules
have something to judge. A replaced part is defective: the field engineer
hands it to the spares administrator (``bad_part_returned``) when the center
is next open after a delay, and it becomes an item (``item_received``) that
goes to the supplier on the next daily pickup (``sent_to_vendor``). The
rest of the vendor loop is not modelled yet: items stay open after that.
Every repaired ticket waits for its satisfaction callback.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from svcsim.processes.callers import repeat_call
from svcsim.processes.cases import N_CHANCES, SOFTWARE, CaseBook
from svcsim.processes.recorder import CODE, Recorder

__all__ = ["Aftercare", "SparesAdmin"]

_BAD_PART, _ITEM, _SENT = CODE["bad_part_returned"], CODE["item_received"], CODE["sent_to_vendor"]


class SparesAdmin:
    """The spares administrator's part of the vendor loop: receive items, ship on pickup days."""

    def __init__(self, env: Any, recorder: Recorder, resource: int, next_pickup: Callable[[float], float]) -> None:
        self.env, self.recorder, self.resource, self.next_pickup = env, recorder, resource, next_pickup

    def ship(self, item: int) -> Generator[Any, Any, None]:
        env = self.env
        pickup = self.next_pickup(env.now)
        if pickup == float("inf"):
            return
        yield env.timeout(pickup - env.now)
        self.recorder.event(item, _SENT, env.now, self.resource)


class Aftercare:
    """What follows every repair (field or bench)."""

    def __init__(self, env: Any, book: CaseBook, recorder: Recorder, *, post_callback: Callable[[int], None],
                 calls: Any, admin: SparesAdmin, next_open: Callable[[float], float],
                 fails: Callable[[], float], p_fail: tuple[float, float], repeat_delay: Callable[[], float],
                 repeat_patience: Callable[[], float], repeat_handle: Callable[[], float],
                 repeat_chance: Callable[[], float], bad_part_delay: Callable[[], float]) -> None:
        self.env, self.book, self.recorder = env, book, recorder
        self.post_callback, self.calls, self.admin, self.next_open = post_callback, calls, admin, next_open
        self.fails, self.p_fail, self.repeat_delay = fails, p_fail, repeat_delay
        self.repeat_patience, self.repeat_handle, self.repeat_chance = repeat_patience, repeat_handle, repeat_chance
        self.bad_part_delay = bad_part_delay

    def done(self, case: int, part_replaced: bool, resource: int, on_site: bool) -> None:
        """A repair finished on ``case``; ``on_site`` for a field visit, else a bench repair."""
        p_fail = self.p_fail[0] if self.book.fault[case] == SOFTWARE else self.p_fail[1]
        if self.fails() < p_fail:
            chance = tuple(self.repeat_chance() for _ in range(N_CHANCES))
            self.env.process(repeat_call(
                self.env, self.book, case, self.repeat_delay(), self.repeat_patience(),
                self.repeat_handle(), chance, self.calls, self.recorder))
        if part_replaced:
            self.env.process(self._bad_part(case, resource, on_site))
        self.post_callback(case)

    def _bad_part(self, case: int, resource: int, on_site: bool) -> Generator[Any, Any, None]:
        env = self.env
        yield env.timeout(self.bad_part_delay())
        opening = self.next_open(env.now)
        if opening == float("inf"):
            return
        if opening > env.now:
            yield env.timeout(opening - env.now)
        if on_site:
            self.recorder.event(case, _BAD_PART, env.now, resource)
        item = self.book.add_item(case)
        self.recorder.event(item, _ITEM, env.now, self.admin.resource)
        env.process(self.admin.ship(item))

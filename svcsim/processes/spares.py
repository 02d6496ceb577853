"""The spares store: base stock per part, issue, backorders first come first served, DOA.

A :class:`SparesStore` keeps, for every part (SKU, by index), where each unit
the store owns is. A unit is always in exactly one place:

* ``on_hand``: on the shelf;
* ``issued``: off the shelf for a job (reserved for a revisit, or in the
  engineer's hand) and not yet installed;
* ``in_transit``: a defective part taken out in a repair, or a spare dead on
  arrival, on its way back to the spares administrator;
* ``at_admin``: received by the administrator, waiting for the courier;
* ``at_vendor``: at the supplier;
* ``scrapped``: scrapped by the supplier, a new buy on order to replace it.

A repair that needs a part swaps a good unit for the broken one, so the
units move round this loop and their number never changes: **on hand +
issued + in transit + at admin + at vendor + scrapped - owed = base stock**
at every event (``owed`` is only used by the Palm validation case, whose
demands send a unit into resupply at once even when they must wait: a
one-for-one reorder; in the full model it stays 0). On hand is never negative.

The store narrates ``part_requested``, then ``part_issued`` when a unit is on
the shelf, else ``waiting_parts``: the job joins the part's backorders. A
unit coming back to stock (from the supplier, or a new buy) goes to the
oldest backorder first (``parts_received``) and the job's ``resume`` is
called, else to the shelf. A ``"unlimited"`` store always has the part
(the shelf is never counted); the loop after the shelf is kept the same.

The engineer's processes use :func:`fit` to test an issued spare: a spare
that proves dead when fitted (``dead_share``; the store's own stock, not the
source document's DOA unit) goes back like a defective part, and the job
asks for another (``part_requested`` with reason ``"spare dead when fitted"``).
"""

from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from svcsim.des.cases import DEFECTIVE, HARDWARE, KIND_CODES, N_CHANCES, TICKET, CaseBook
from svcsim.des.recorder import CODE, Recorder

__all__ = ["DEAD_REASON", "TRACE_COLUMNS", "Resume", "SparesStore", "UnlimitedStore", "fit", "palm_demand"]

_REQUESTED, _ISSUED = CODE["part_requested"], CODE["part_issued"]
_WAITING, _RECEIVED = CODE["waiting_parts"], CODE["parts_received"]
DEAD_REASON = "spare dead when fitted"
#: Called when a backordered job gets its unit: ``resume(case, sku)``.
Resume = Callable[[int, int], None]
#: Columns of a stock trace row.
TRACE_COLUMNS = ("minute", "sku", "on_hand", "issued", "in_transit", "at_admin", "at_vendor", "scrapped",
                 "owed", "backorders")


class SparesStore:
    """The store of every part: stock levels, backorders, and the units out in the loop.

    ``skus`` names the parts; ``base_stock[i]`` is how many units of part
    ``i`` the store owns; ``shares`` the parts' demand shares, ``pick`` a
    sampler of uniform numbers choosing the part a repair needs;
    ``dead`` a sampler of uniform numbers deciding, with ``dead_share``,
    whether an issued spare proves dead when fitted. ``trace=True`` keeps a row of every
    part's levels after each change (:data:`TRACE_COLUMNS`), for the tests.
    """

    def __init__(self, env: Any, recorder: Recorder, *, skus: Sequence[str], base_stock: Sequence[int],
                 unlimited: bool = False, shares: Sequence[float] | None = None,
                 pick: Callable[[], float] | None = None, dead: Callable[[], float] | None = None,
                 dead_share: float = 0.0, trace: bool = False) -> None:
        n = len(skus)
        self.env, self.recorder = env, recorder
        self.skus = list(skus)
        self.base_stock = [int(s) for s in base_stock]
        self.unlimited = unlimited
        self.on_hand = list(self.base_stock)
        self.issued, self.in_transit, self.at_admin = [0] * n, [0] * n, [0] * n
        self.at_vendor, self.scrapped, self.owed = [0] * n, [0] * n, [0] * n
        self.new_buys = [0] * n
        self.backorders: list[deque[tuple[int, Resume]]] = [deque() for _ in range(n)]
        weights = [1.0] * n if shares is None else [float(w) for w in shares]
        total, running = sum(weights), 0.0
        self._cumulative = []
        for w in weights:
            running += w / total
            self._cumulative.append(running)
        self._pick, self._dead, self.dead_share = pick, dead, float(dead_share)
        self.trace: list[tuple[float, int, int, int, int, int, int, int, int, int]] | None = [] if trace else None
        if trace:
            for sku in range(n):
                self._note(sku)

    # -- choices ---------------------------------------------------------------------
    def pick(self) -> int:
        """The part a repair needs, drawn by demand share."""
        if len(self._cumulative) == 1 or self._pick is None:
            return 0
        return min(bisect.bisect_right(self._cumulative, self._pick()), len(self._cumulative) - 1)

    def dead_when_fitted(self) -> bool:
        """Does the spare just issued prove dead when fitted?"""
        return self.dead_share > 0.0 and self._dead is not None and self._dead() < self.dead_share

    # -- the shelf -------------------------------------------------------------------
    def request(self, case: int, sku: int, resource: int, resume: Resume, reason: str | None = None) -> bool:
        """A job asks for a unit of ``sku``: issued now (True) or backordered (False, ``resume`` later)."""
        now = self.env.now
        rec = self.recorder
        rec.part(case, _REQUESTED, now, resource, sku, reason)
        if self.unlimited:
            self.issued[sku] += 1
            rec.part(case, _ISSUED, now, resource, sku)
            return True
        if self.on_hand[sku] > 0:
            self.on_hand[sku] -= 1
            self.issued[sku] += 1
            rec.part(case, _ISSUED, now, resource, sku)
            self._note(sku)
            return True
        rec.part(case, _WAITING, now, resource, sku)
        self.backorders[sku].append((case, resume))
        self._note(sku)
        return False

    def hand_over(self, case: int, sku: int, resource: int) -> None:
        """The unit reserved for a backordered job reaches it (``part_issued``)."""
        self.recorder.part(case, _ISSUED, self.env.now, resource, sku)

    def _restock(self, sku: int) -> None:
        """A unit comes back to the store: to the oldest backorder, else to the shelf."""
        waiting = self.backorders[sku]
        if waiting and not self.unlimited:
            case, resume = waiting.popleft()
            self.issued[sku] += 1
            self.recorder.part(case, _RECEIVED, self.env.now, -1, sku)
            self._note(sku)
            resume(case, sku)
            return
        if not self.unlimited:
            self.on_hand[sku] += 1
        self._note(sku)

    # -- the loop after the shelf ------------------------------------------------------
    def defective_out(self, sku: int) -> None:
        """An issued unit leaves the job: installed (the broken part it replaced goes back) or dead when fitted."""
        self.issued[sku] -= 1
        self.in_transit[sku] += 1
        self._note(sku)

    def advance(self, sku: int) -> None:
        """Palm case: a backordered demand sends its unit into resupply at once."""
        self.at_vendor[sku] += 1
        self.owed[sku] += 1
        self._note(sku)

    def settle(self, sku: int) -> None:
        """Palm case: a backordered demand whose unit is already in resupply gets its spare."""
        self.issued[sku] -= 1
        self.owed[sku] -= 1
        self._note(sku)

    def received(self, sku: int) -> None:
        """The spares administrator received a defective unit (``item_received``)."""
        self.in_transit[sku] -= 1
        self.at_admin[sku] += 1
        self._note(sku)

    def sent(self, sku: int) -> None:
        """The courier took it to the supplier (``sent_to_vendor``)."""
        self.at_admin[sku] -= 1
        self.at_vendor[sku] += 1
        self._note(sku)

    def returned(self, sku: int) -> None:
        """The supplier sent it back repaired (``returned_from_vendor``)."""
        self.at_vendor[sku] -= 1
        self._restock(sku)

    def scrap(self, sku: int) -> None:
        """The supplier scrapped it (``scrapped``): a new buy is on order."""
        self.at_vendor[sku] -= 1
        self.scrapped[sku] += 1
        self._note(sku)

    def bought(self, sku: int) -> None:
        """A new buy replacing a scrapped unit arrived."""
        self.scrapped[sku] -= 1
        self.new_buys[sku] += 1
        self._restock(sku)

    # -- the trace ---------------------------------------------------------------------
    def _note(self, sku: int) -> None:
        if self.trace is not None:
            self.trace.append((self.env.now, sku, self.on_hand[sku], self.issued[sku], self.in_transit[sku],
                               self.at_admin[sku], self.at_vendor[sku], self.scrapped[sku], self.owed[sku],
                               len(self.backorders[sku])))


class UnlimitedStore(SparesStore):
    """A store that always has the part: requested and issued at the same minute (one generic part)."""

    def __init__(self, env: Any, recorder: Recorder, skus: Sequence[str] = ("generic",), **options: Any) -> None:
        options.setdefault("base_stock", [0] * len(skus))
        super().__init__(env, recorder, skus=skus, unlimited=True, **options)


def fit(store: SparesStore, case: int, sku: int, resource: int, resume: Resume,
        doa_back: Callable[[int, int, int], None]) -> bool:
    """Test the unit of ``sku`` just issued to ``case``; replace dead ones. False: the job now waits.

    A dead unit goes back to the administrator (``doa_back(case, sku, resource)``)
    and another is requested with the reason ``"spare dead when fitted"``.
    """
    while store.dead_when_fitted():
        store.defective_out(sku)
        doa_back(case, sku, resource)
        if not store.request(case, sku, resource, resume, DEAD_REASON):
            return False
    return True


def palm_demand(env: Any, store: SparesStore, recorder: Recorder, book: CaseBook, *, gap: Callable[[], float],
                resupply: Callable[[], float]) -> Any:
    """The Palm validation case: Poisson demands for part 0, each sending a unit into resupply at once.

    Each demand is a ticket (``part_requested``, then ``part_issued`` or
    ``waiting_parts``); its broken unit is an item sent to the supplier at
    the same minute (``item_received``, ``sent_to_vendor``) and back after a
    ``resupply`` time (``returned_from_vendor``), with unlimited resupply
    capacity. ``gap`` draws the minutes between demands.
    """
    item_code, sent_code, back_code = CODE["item_received"], CODE["sent_to_vendor"], CODE["returned_from_vendor"]
    field, ones = KIND_CODES["field"], (1.0,) * N_CHANCES

    def resume(case: int, sku: int) -> None:
        store.hand_over(case, sku, -1)
        store.settle(sku)

    def back(item: int) -> None:
        recorder.event(item, back_code, env.now, -1)
        store.returned(0)

    while True:
        yield env.timeout(gap())
        now = env.now
        case = book.add(case_type=TICKET, kind=field, zone=0, fault=HARDWARE, warranty=1, device=len(book),
                        priority=2, parent=-1, deadline=now, handle=0.0, chance=ones)
        item = book.add_item(case, 0, DEFECTIVE)
        recorder.event(item, item_code, now, -1)
        recorder.event(item, sent_code, now, -1)
        if store.request(case, 0, -1, resume):
            store.defective_out(0)
            store.received(0)
            store.sent(0)
        else:
            store.advance(0)
        env.timeout(resupply()).callbacks.append(lambda _, item=item: back(item))

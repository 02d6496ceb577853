"""Named random streams: one seed in, one independent stream per source of randomness.

Each source has an id fixed forever in :data:`STREAM_IDS`; its generator is
``numpy.random.default_rng([stream_id, replication, seed])`` (numpy's rule
for parallel streams: distinct entropy tuples, independent streams). Because
arrivals draw only from ``arrivals`` and the per-call attributes from their
own streams, two staffing plans run with the same seed see the same calls
(common random numbers). Never renumber a stream: that changes every run.

Draws come in batches (:class:`Sampler`), as a per-draw scipy call is far
too slow for the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["STREAM_IDS", "BATCH", "rng", "family_name", "Sampler", "Streams"]

#: Stream ids, fixed forever. Append new sources; never reuse or renumber.
STREAM_IDS: dict[str, int] = {
    "arrivals": 1,          # call arrival instants
    "kinds": 2,             # the kind of each call (demand mix)
    "patience": 3,          # each caller's patience
    "handle": 4,            # operator handle time of each call
    "branching": 5,         # per-call chances: solved by phone, warranty, quote, complaint, urgent
    "zones": 6,             # the zone of each call
    "faults": 7,            # software or hardware fault of each call
    "tech_support": 8,      # technical support handle times and outcomes
    "dispatch": 9,          # dispatch times
    "travel": 10,           # drive times (one sub-stream per pair of places, svcsim.processes.travel)
    "diagnosis": 11,        # on-site diagnosis times
    "repair": 12,           # repair and software-fix times
    "parts": 13,            # whether a repair needs a part
    "bench": 14,            # bench test and repair times
    "repeat_faults": 15,    # whether a fix fails, and the delay until the fault comes back
    "callback": 16,         # satisfaction callback times
    "complaints": 17,       # major complaint meeting times
    "units": 18,            # carry-in delays and mail transit times
    "bad_parts": 19,        # time to hand a bad part back to the spares administrator
    "repeat_calls": 20,     # patience and handle time of repeat-fault calls
    "part_sku": 21,         # which part (SKU) a repair that needs a part draws
    "doa": 22,              # whether an issued spare proves dead when fitted
    "vendor_turnaround": 23,  # supplier turnaround per item (one sub-stream per SKU); single_part resupply
    "scrap": 24,            # whether the supplier scraps an item
    "new_buys": 25,         # lead time of a new buy replacing a scrapped unit (one sub-stream per SKU)
    "admin_work": 26,       # the spares administrator's time per follow-up
    "part_demand": 27,      # single_part: Poisson demand instants
    "paperwork": 28,        # a field engineer's paperwork after each job
    "customer_delay": 29,   # whether a customer is not ready when the engineer arrives, and for how long
    "van_stock": 30,        # whether the part a field repair needs is in the engineer's van
    "appointments": 31,     # whether a field ticket's customer asks for a later visit, and how much later
    # 32-39 are left for the installed base and the quality loop
    "batches": 32,          # the production batch of each call's device (installed base)
    "batch_calls": 33,      # extra calls of batches with a raised fault rate (one sub-stream per attribute)
    "batch_analysis": 34,   # technical support's time analysing a flagged batch
    "back_office": 40,      # the spares administrators' warranty checks and packing times
    "unit_turnaround": 41,  # supplier turnaround of a customer's or DOA unit
    "unit_fate": 42,        # whether a tested unit must go to the supplier
    "doa_units": 43,        # whether a product sold is dead at first use, and when it is first used
    "purchasing": 44,       # purchasing's time on an overdue DOA unit, and exchange or refund
    "cancellations": 45,    # whether a paid repair's customer asks to cancel, and when
    "satisfaction": 46,     # each case's answer at the satisfaction callback (by case number)
    "backtest_cycle_times": 47,  # the backtest's naive baseline: training cycle times drawn for held-out cases
}

#: Values drawn per refill of a :class:`Sampler`.
BATCH = 1024


def rng(name: str, seed: int, replication: int, sub: int = 0) -> np.random.Generator:
    """The generator of stream ``name`` (``sub`` separates samplers sharing one stream id)."""
    key = [STREAM_IDS[name], replication, seed] if sub == 0 else [STREAM_IDS[name], replication, seed, sub]
    return np.random.default_rng(key)


class Sampler:
    """Draws one value at a time from a batch-refilled buffer: ``sampler()``.

    ``fill(n)`` returns ``n`` fresh values; they are handed out in order.
    """

    __slots__ = ("_fill", "_buffer")

    def __init__(self, fill: Callable[[int], np.ndarray]) -> None:
        self._fill = fill
        self._buffer: list[float] = []

    def __call__(self) -> float:
        buffer = self._buffer
        if not buffer:
            buffer.extend(self._fill(BATCH)[::-1].tolist())
        return buffer.pop()


class Streams:
    """The streams of one run (a seed and a replication), and samplers over them."""

    def __init__(self, seed: int, replication: int) -> None:
        self.seed = int(seed)
        self.replication = int(replication)
        self._subs: dict[str, int] = {}

    def rng(self, name: str, sub: int = 0) -> np.random.Generator:
        """A fresh generator of stream ``name``."""
        return rng(name, self.seed, self.replication, sub)

    def sampler(self, name: str, dist: Any) -> Sampler:
        """A sampler of a frozen distribution (scipy's, or :class:`svcsim.scenario.distribution.Frozen`), on stream ``name``.

        The n-th sampler made on one stream name uses sub-stream n, so the
        travel samplers of each zone are independent; make them in a fixed
        order (the simulation does).
        """
        sub = self._subs.get(name, 0)
        self._subs[name] = sub + 1
        generator = self.rng(name, sub)
        family = family_name(dist)
        if family == "expon" and not dist.kwds.get("loc") and not dist.args:
            scale = float(dist.kwds.get("scale", 1.0))
            return Sampler(lambda n: generator.exponential(scale, n))
        return Sampler(lambda n: np.asarray(dist.rvs(size=n, random_state=generator), dtype=float))

    def uniform(self, name: str) -> Sampler:
        """A sampler of uniform [0, 1) numbers on stream ``name`` (for chances)."""
        sub = self._subs.get(name, 0)
        self._subs[name] = sub + 1
        generator = self.rng(name, sub)
        return Sampler(generator.random)


def family_name(dist: Any) -> str | None:
    """The family of a frozen distribution: ``Frozen.family``, else scipy's ``dist.dist.name`` (None if neither)."""
    if hasattr(type(dist), "family"):  # a Frozen: asking for .dist would import scipy
        return dist.family
    return getattr(getattr(dist, "dist", None), "name", None)

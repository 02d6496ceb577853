"""The recorder: where processes narrate facts, as flat rows of numbers.

An event is ``case, activity, minute, resource``: integer case number,
integer activity code (an index into :data:`ACTIVITY_ORDER`, the names of
:mod:`svcsim.eventlog.vocabulary`), simulation minute, integer resource code
(``-1`` for none). A few events carry a reason (a quote declined, a major
complaint, a spare dead on arrival); the spares events carry the part (an
index into the run's SKU list). Busy records ``(resource, start, end)`` say when a worker was
occupied; utilisation per role is computed from them afterwards
(:mod:`svcsim.simulation.results`). Nothing is summed here.

Both are kept flat, not as lists of tuples: an event is four numbers in a
row of :attr:`Recorder.events`, a busy record three in :attr:`Recorder.busy`.
A year of baseline narrates some 230,000 events and 120,000 busy records;
a stored tuple is an object the cyclic garbage collector tracks, and so many
of them made it collect young objects about ten times as often and walk the
whole heap three times a run. Numbers are not tracked, so a flat list costs
it nothing (and ``list.extend`` of a short tuple is as cheap as an append;
an ``array('d')`` was measured ten times slower to extend).
"""

from __future__ import annotations

from svcsim.eventlog.vocabulary import ACTIVITIES

__all__ = ["ACTIVITY_ORDER", "BUSY_WIDTH", "CODE", "EVENT_WIDTH", "Recorder"]

#: Activity names in code order.
ACTIVITY_ORDER: tuple[str, ...] = tuple(a.name for a in ACTIVITIES)
#: Activity code by name.
CODE: dict[str, int] = {name: i for i, name in enumerate(ACTIVITY_ORDER)}


#: Numbers per event in :attr:`Recorder.events` (case, activity, minute, resource) and per busy record in
#: :attr:`Recorder.busy` (resource, start, end).
EVENT_WIDTH, BUSY_WIDTH = 4, 3


class Recorder:
    """Collects events, reasons, busy records and the names of resources.

    A hot loop may narrate with ``recorder.events.extend((case, activity,
    minute, resource))`` and ``recorder.busy.extend((resource, start, end))``
    directly, as :meth:`event` and :meth:`worked` do.
    """

    def __init__(self) -> None:
        self.events: list[float] = []
        self.reasons: dict[int, str] = {}
        self.parts: dict[int, int] = {}
        self.busy: list[float] = []
        self.resource_names: list[str] = []
        self.resource_roles: list[str] = []

    def resource(self, name: str, role: str) -> int:
        """Register a worker (or team) and return its resource code."""
        self.resource_names.append(name)
        self.resource_roles.append(role)
        return len(self.resource_names) - 1

    @property
    def n_events(self) -> int:
        """How many events were narrated."""
        return len(self.events) // EVENT_WIDTH

    @property
    def n_busy(self) -> int:
        """How many busy records were made."""
        return len(self.busy) // BUSY_WIDTH

    def event(self, case: int, activity: int, minute: float, resource: int = -1) -> None:
        """Narrate one fact."""
        self.events.extend((case, activity, minute, resource))

    def note(self, case: int, activity: int, minute: float, resource: int, reason: str) -> None:
        """Narrate one fact that has a reason."""
        self.reasons[self.n_events] = reason
        self.events.extend((case, activity, minute, resource))

    def part(self, case: int, activity: int, minute: float, resource: int, sku: int,
             reason: str | None = None) -> None:
        """Narrate one fact about a spare part ``sku`` (with a reason if given)."""
        index = self.n_events
        self.parts[index] = sku
        if reason is not None:
            self.reasons[index] = reason
        self.events.extend((case, activity, minute, resource))

    def worked(self, resource: int, start: float, end: float) -> None:
        """Record that ``resource`` was busy from ``start`` to ``end``."""
        self.busy.extend((resource, start, end))

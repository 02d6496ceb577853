"""The recorder: where processes narrate facts, as flat tuples.

An event is ``(case, activity, minute, resource)``: integer case number,
integer activity code (an index into :data:`ACTIVITY_ORDER`, the names of
:mod:`svcsim.eventlog.vocabulary`), simulation minute, integer resource code
(``-1`` for none). A few events carry a reason (a quote declined, a major
complaint, a spare dead on arrival); the spares events carry the part (an
index into the run's SKU list). Busy records ``(resource, start, end)`` say when a worker was
occupied; utilisation per role is computed from them afterwards
(:mod:`svcsim.simulation.results`). Nothing is summed here.
"""

from __future__ import annotations

from svcsim.eventlog.vocabulary import ACTIVITIES

__all__ = ["ACTIVITY_ORDER", "CODE", "Recorder"]

#: Activity names in code order.
ACTIVITY_ORDER: tuple[str, ...] = tuple(a.name for a in ACTIVITIES)
#: Activity code by name.
CODE: dict[str, int] = {name: i for i, name in enumerate(ACTIVITY_ORDER)}


class Recorder:
    """Collects events, reasons, busy records and the names of resources."""

    def __init__(self) -> None:
        self.events: list[tuple[int, int, float, int]] = []
        self.reasons: dict[int, str] = {}
        self.parts: dict[int, int] = {}
        self.busy: list[tuple[int, float, float]] = []
        self.resource_names: list[str] = []
        self.resource_roles: list[str] = []

    def resource(self, name: str, role: str) -> int:
        """Register a worker (or team) and return its resource code."""
        self.resource_names.append(name)
        self.resource_roles.append(role)
        return len(self.resource_names) - 1

    def event(self, case: int, activity: int, minute: float, resource: int = -1) -> None:
        """Narrate one fact."""
        self.events.append((case, activity, minute, resource))

    def note(self, case: int, activity: int, minute: float, resource: int, reason: str) -> None:
        """Narrate one fact that has a reason."""
        self.reasons[len(self.events)] = reason
        self.events.append((case, activity, minute, resource))

    def part(self, case: int, activity: int, minute: float, resource: int, sku: int,
             reason: str | None = None) -> None:
        """Narrate one fact about a spare part ``sku`` (with a reason if given)."""
        index = len(self.events)
        self.parts[index] = sku
        if reason is not None:
            self.reasons[index] = reason
        self.events.append((case, activity, minute, resource))

    def worked(self, resource: int, start: float, end: float) -> None:
        """Record that ``resource`` was busy from ``start`` to ``end``."""
        self.busy.append((resource, start, end))

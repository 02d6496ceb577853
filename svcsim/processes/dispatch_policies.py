"""Dispatch policies: in which order tickets are taken, and which engineer gets one.

A policy is two small registered objects, chosen by name in the scenario
(``staffing.dispatch_policy`` and ``staffing.field_engineers.assignment``):

- a :class:`TicketOrder` sorts the tickets waiting for dispatch
  (``fifo``: oldest first; ``priority``: urgent first, then oldest;
  ``nearest``: urgent first, then the zone nearest the center, then oldest);
- an :class:`Assignment` picks, for one ticket, the engineer among those
  who may take it (on duty, of its zone or shared, with room on their list),
  or none, and the ticket waits:
  ``when_free`` only an engineer with nothing to do (the longest idle; the
  pooled queue of queueing theory: dispatch waits, travel starts at once);
  ``shortest_queue`` the engineer with the fewest jobs in hand and ahead;
  ``earliest_arrival`` the engineer expected on site first (their list's
  expected end, then the mean drive from where it leaves them).

A new policy is a class with a ``name`` and one method, and one line in
:data:`TICKET_ORDERS` or :data:`ASSIGNMENTS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import ClassVar, Protocol

from svcsim.des.cases import Job
from svcsim.processes.engineer import FieldEngineer


class DispatchBoard(Protocol):
    """What a policy may ask the board (:class:`svcsim.processes.dispatchers.DispatchBoard`)."""

    def zone_distance(self, zone: int) -> float:
        """The mean drive from the center to a site in ``zone``."""
        ...

    def expected_arrival(self, engineer: FieldEngineer, job: Job, now: float) -> float:
        """When ``engineer`` is expected on site for ``job`` if it went to the end of their list."""
        ...

__all__ = ["TicketOrder", "Assignment", "TICKET_ORDERS", "ASSIGNMENTS", "Fifo", "Priority", "Nearest",
           "WhenFree", "ShortestQueue", "EarliestArrival"]


class TicketOrder(Protocol):
    """The order in which a dispatcher looks at the waiting tickets."""

    name: ClassVar[str]

    def sorted(self, jobs: Sequence[Job], board: DispatchBoard) -> Sequence[Job]:
        """``jobs`` in the order to consider them."""
        ...


class Assignment(Protocol):
    """Who gets a ticket, among the engineers who may take it."""

    name: ClassVar[str]
    #: Whether a busy engineer may be given work (else only an engineer with nothing to do).
    queues: ClassVar[bool]

    def choose(self, job: Job, engineers: Sequence[FieldEngineer], board: DispatchBoard,
               now: float) -> FieldEngineer | None:
        """The engineer to give ``job`` to (``engineers`` is never empty), or ``None`` to keep it waiting."""
        ...


class Fifo:
    """Oldest ticket first."""

    name: ClassVar[str] = "fifo"

    def sorted(self, jobs: Sequence[Job], board: DispatchBoard) -> Sequence[Job]:
        return jobs  # the board keeps them in the order they came


#: ``(priority, logged)`` of a job (1 is urgent): the sort key of :class:`Priority`, in C.
_URGENT_THEN_OLDEST = attrgetter("priority", "logged")


class Priority:
    """Urgent tickets first, then the oldest."""

    name: ClassVar[str] = "priority"

    def sorted(self, jobs: Sequence[Job], board: DispatchBoard) -> Sequence[Job]:
        return sorted(jobs, key=_URGENT_THEN_OLDEST)


class Nearest:
    """Urgent first, then the zone with the shortest mean drive from the center, then the oldest."""

    name: ClassVar[str] = "nearest"

    def sorted(self, jobs: Sequence[Job], board: DispatchBoard) -> Sequence[Job]:
        return sorted(jobs, key=lambda j: (j.priority, board.zone_distance(j.zone), j.logged))


class WhenFree:
    """Only an engineer with nothing to do, the longest idle (their own zone's before shared ones)."""

    name: ClassVar[str] = "when_free"
    queues: ClassVar[bool] = False

    def choose(self, job: Job, engineers: Sequence[FieldEngineer], board: DispatchBoard,
               now: float) -> FieldEngineer | None:
        return min(engineers, key=lambda e: (e.home != job.zone, e.idle_since))


class ShortestQueue:
    """The engineer with the fewest jobs in hand and ahead; ties: the longest idle, then the first."""

    name: ClassVar[str] = "shortest_queue"
    queues: ClassVar[bool] = True

    def choose(self, job: Job, engineers: Sequence[FieldEngineer], board: DispatchBoard,
               now: float) -> FieldEngineer | None:
        return min(engineers, key=lambda e: (e.load(), e.idle_since))


class EarliestArrival:
    """The engineer expected on site first: when their list is expected done, plus the mean drive from there.

    Ties (an engineer whose job in hand is overdue is expected free now) go
    to the engineer with less work, then to the longest idle.
    """

    name: ClassVar[str] = "earliest_arrival"
    queues: ClassVar[bool] = True

    def choose(self, job: Job, engineers: Sequence[FieldEngineer], board: DispatchBoard,
               now: float) -> FieldEngineer | None:
        return min(engineers, key=lambda e: (board.expected_arrival(e, job, now), e.load(), e.idle_since))


#: Ticket orders by name.
TICKET_ORDERS: dict[str, type[TicketOrder]] = {cls.name: cls for cls in (Fifo, Priority, Nearest)}
#: Assignments by name.
ASSIGNMENTS: dict[str, type[Assignment]] = {cls.name: cls for cls in (WhenFree, ShortestQueue, EarliestArrival)}

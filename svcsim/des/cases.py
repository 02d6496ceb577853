"""The case book: the attributes of every case, in columns, and jobs in flight.

Calls drawn before the run (:mod:`svcsim.processes.callers`) fill the columns
at once; a repeat-fault call and a defective-part item are appended when
they happen. Case numbers are row numbers. The simulation turns the columns
into the cases table of the event log at the end.
"""

from __future__ import annotations

__all__ = ["N_CHANCES", "CaseBook", "Job", "KIND_CODES", "TICKET", "ITEM", "SOFTWARE", "HARDWARE",
           "DEFECTIVE", "DEAD_SPARE", "CUSTOMER_UNIT", "DOA_UNIT", "ITEM_KINDS"]

from svcsim.scenario.model import CALL_KINDS

#: Branch chances per call: solved by phone, quote declined, major complaint, urgent, in warranty.
N_CHANCES = 5
KIND_CODES: dict[str, int] = {kind: i for i, kind in enumerate(CALL_KINDS)}
TICKET, ITEM = 0, 1
SOFTWARE, HARDWARE = 0, 1
#: What an item is: a defective part taken out in a repair; a spare that proved dead when fitted
#: (the store's own stock, not the document's DOA); a customer's unit the bench could not repair
#: in house; a new product dead at first use (the document's DOA unit).
DEFECTIVE, DEAD_SPARE, CUSTOMER_UNIT, DOA_UNIT = 0, 1, 2, 3
ITEM_KINDS: tuple[str, ...] = ("defective", "dead_spare", "customer_unit", "doa_unit")


class CaseBook:
    """Per-case columns (plain lists, indexed by case number).

    ``deadline`` is arrival plus patience (the minute the caller hangs up),
    ``handle`` the operator's handle time, ``chance`` one column per branch
    of uniform numbers deciding each call's branches (solved by phone, quote
    declined, major complaint, urgent, in warranty), drawn before the run so
    that the same call takes the same branches under any staffing.
    ``item_part`` and ``item_kind`` hold the SKU index and the kind
    (one of :data:`ITEM_KINDS`) of each item case, by case number.
    ``batch`` holds the installed-base batch index of a case's device, by
    case number (empty without an installed base; sale calls have none).
    """

    def __init__(self) -> None:
        self.case_type: list[int] = []
        self.kind: list[int] = []
        self.zone: list[int] = []
        self.fault: list[int] = []
        self.warranty: list[int] = []
        self.device: list[int] = []
        self.priority: list[int] = []
        self.parent: list[int] = []
        self.deadline: list[float] = []
        self.handle: list[float] = []
        self.chance: tuple[list[float], ...] = tuple([] for _ in range(N_CHANCES))
        self.item_part: dict[int, int] = {}
        self.item_kind: dict[int, int] = {}
        self.batch: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self.kind)

    def add(self, *, case_type: int, kind: int, zone: int, fault: int, warranty: int, device: int,
            priority: int, parent: int, deadline: float, handle: float,
            chance: tuple[float, ...]) -> int:
        """Append one case; returns its number."""
        self.case_type.append(case_type)
        self.kind.append(kind)
        self.zone.append(zone)
        self.fault.append(fault)
        self.warranty.append(warranty)
        self.device.append(device)
        self.priority.append(priority)
        self.parent.append(parent)
        self.deadline.append(deadline)
        self.handle.append(handle)
        for column, value in zip(self.chance, chance, strict=True):
            column.append(value)
        return len(self.kind) - 1

    def add_item(self, parent: int, sku: int = -1, kind: int = DEFECTIVE) -> int:
        """An item of ``kind`` (a part ``sku``, or ``-1`` for a whole unit) coming from case ``parent``: a new item case."""
        item = self.add(case_type=ITEM, kind=-1, zone=self.zone[parent], fault=HARDWARE,
                        warranty=self.warranty[parent], device=self.device[parent], priority=0,
                        parent=parent, deadline=0.0, handle=0.0,
                        chance=(1.0,) * N_CHANCES)
        if sku >= 0:
            self.item_part[item] = sku
        self.item_kind[item] = kind
        if parent in self.batch:
            self.batch[item] = self.batch[parent]
        return item


class Job:
    """A piece of work waiting for a dispatcher and an engineer.

    ``meeting`` marks a major complaint: it takes an engineer's time with the
    supervisor and the sales lead instead of a site visit. ``zone`` is the
    zone index of the site (``-1``: any engineer will do). ``part`` is the
    SKU reserved for a revisit after waiting for parts (``-1``: a first visit).
    ``sent`` turns true when a dispatcher has narrated ``dispatched``: an
    engineer does not start a job on their list before that. ``assigned``
    is when it went on the list it is on.
    """

    __slots__ = ("case", "zone", "priority", "meeting", "logged", "part", "sent", "assigned")

    def __init__(self, case: int, zone: int, priority: int, logged: float, meeting: bool = False,
                 part: int = -1) -> None:
        self.case = case
        self.zone = zone
        self.priority = priority
        self.logged = logged
        self.meeting = meeting
        self.part = part
        self.sent = False
        self.assigned = 0.0

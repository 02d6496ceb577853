"""Who works and when: roles, their shift groups, and how field engineers get work.

Part of the scenario (:mod:`svcsim.scenario.model` re-exports every name);
reference: ``docs/reference/scenario.md``, section ``[staffing]``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from svcsim.scenario.frozen import Frozen as _Frozen
from svcsim.scenario.frozen import hours_ok as _hours_ok

__all__ = ["ASSIGNMENTS", "TICKET_ORDERS", "Shift", "Group", "Role", "FieldEngineers", "Staffing"]


class Shift(_Frozen):
    """When one role is on duty: hours of the day, on service days or every day.

    A worker busy at the end of a shift finishes the job in hand, then goes
    off duty; nobody starts a job outside a shift.
    """

    hours: list[str] = Field(default_factory=lambda: ["08:30-17:30"])
    days: Literal["service", "every"] = "service"

    @field_validator("hours")
    @classmethod
    def _hours(cls, value: list[str]) -> list[str]:
        return _hours_ok(value, "hours")




class Group(_Frozen):
    """One shift group of a role: a name, how many, their shift; for field engineers, optionally a home zone.

    ``zone`` ties the group's field engineers to one zone of
    ``demand.zones`` (absent: the role's ``shared`` rule applies to them).
    """

    name: str = Field(min_length=1)
    count: int = Field(ge=0, le=10_000)
    shift: Shift = Field(default_factory=Shift)
    zone: str | None = None


class Role(_Frozen):
    """A number of people in one role and their shift; or several shift groups.

    With ``groups`` the role is staffed as those groups (each its own count,
    hours and days) and ``count`` is their total: a file gives ``groups`` or
    ``count`` and ``shift``, and a sweep changes a group's count, e.g.
    ``staffing.field_engineers.groups.1.count``.
    """

    count: int = Field(1, ge=0, le=10_000)
    shift: Shift = Field(default_factory=Shift)
    groups: list[Group] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _count_of_groups(cls, data: object) -> object:
        if not isinstance(data, dict) or not data.get("groups"):
            return data
        groups = data["groups"]
        if not isinstance(groups, list):
            return data
        counts = [g.get("count") if isinstance(g, dict) else getattr(g, "count", None) for g in groups]
        if not all(isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in counts):
            return data  # the group's own validation names the bad count
        total = sum(counts)
        if "count" in data and data["count"] != total:
            raise ValueError(f"count = {data['count']!r} with groups of {total} in all; "
                             "expected the count of each group only (the role's count is their sum)")
        return {**data, "count": total}

    @field_validator("groups")
    @classmethod
    def _names(cls, value: list[Group]) -> list[Group]:
        names = [g.name for g in value]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"group {twice[0]!r} is named twice; expected one entry per group name")
        return value

    def shift_groups(self) -> list[Group]:
        """The role's groups; a role without groups is one group named after nothing (``""``)."""
        return list(self.groups) if self.groups else [Group.model_construct(name="", count=self.count,
                                                                           shift=self.shift, zone=None)]


#: How a dispatcher chooses the engineer for a ticket (:mod:`svcsim.processes.dispatch_policies`).
ASSIGNMENTS: tuple[str, ...] = ("when_free", "shortest_queue", "earliest_arrival")
#: In which order a dispatcher takes the waiting tickets (:mod:`svcsim.processes.dispatch_policies`).
TICKET_ORDERS: tuple[str, ...] = ("fifo", "priority", "nearest")


class FieldEngineers(Role):
    """Field engineers: shared by all zones, or split across zones by demand share; and how they get work.

    With ``shared = false`` each engineer has a home zone and only takes jobs
    there; the count is split by the demand's zone shares (largest
    remainder, at least one per zone with demand when there are enough).

    ``assignment`` is how a dispatcher picks the engineer for a ticket
    (``when_free`` is kept for the pooled queue of queueing theory; the
    factories :func:`svcsim.scenarios.mmc` use it):
    ``when_free`` sends a ticket only to an engineer with nothing to do (the
    pooled queue of queueing theory); ``shortest_queue`` and
    ``earliest_arrival`` put it on the list of an engineer on duty who may
    be busy, the one with the fewest jobs or the one who can be on site
    first. ``max_assigned`` caps the jobs waiting on one engineer's list
    behind the one in hand (an engineer with nothing to do always takes one).
    ``queue_after_minutes`` keeps a ticket for an engineer with nothing to
    do for that long after it was logged (wall minutes) before it may go on
    a busy engineer's list: a dispatcher weighing the 20-minute arrival
    (which counts from dispatch) against the 4-hour dispatch target.
    ``overtime_minutes``: an engineer starts the next job on their list only
    if it is expected done (mean drive and on-site time) by the end of the
    shift plus this many minutes; else it waits for their next shift (the
    job in hand is always finished).
    ``reassign_after_minutes``: an engineer with nothing to do and no ticket
    on the board for them takes over a job that has waited that long on a
    busy engineer's list, if they can be there first (``reassigned``;
    ``None``: never).
    ``back_to_center`` is when an engineer drives back to the center (where
    they hand in bad parts): ``"when_idle"``, as soon as their list is
    empty, or only at the ``"end_of_shift"``, waiting at the last site
    meanwhile (with ``when_free`` this is the pooled queue of queueing
    theory, every visit one drive).
    """

    count: int = Field(4, ge=0, le=10_000)
    shared: bool = True
    assignment: Literal["when_free", "shortest_queue", "earliest_arrival"] = "earliest_arrival"
    max_assigned: int = Field(2, ge=0, le=1000)
    queue_after_minutes: float = Field(60.0, ge=0, le=525_600)
    overtime_minutes: float = Field(30.0, ge=0)
    reassign_after_minutes: float | None = Field(None, ge=0)
    back_to_center: Literal["when_idle", "end_of_shift"] = "end_of_shift"


class Staffing(_Frozen):
    """Who works, how many, when; and how dispatchers choose among waiting tickets."""

    operators: Role = Field(default_factory=lambda: Role(count=2))
    tech_support: Role = Field(default_factory=lambda: Role(count=1))
    dispatchers: Role = Field(default_factory=lambda: Role(count=1))
    field_engineers: FieldEngineers = Field(default_factory=FieldEngineers)
    bench_engineers: Role = Field(default_factory=lambda: Role(count=1))
    supervisor: Role = Field(default_factory=lambda: Role(count=1))
    sales_lead: Role = Field(default_factory=lambda: Role(count=1))
    dispatch_policy: Literal["fifo", "priority", "nearest"] = "priority"
    """The order dispatchers take waiting tickets in (see :data:`TICKET_ORDERS`)."""

"""One field engineer as the dispatchers see them: where they are, the job in hand, their list.

The state is kept by the engineer's process (:mod:`svcsim.processes.field_engineers`)
and read by the dispatch board and its policies
(:mod:`svcsim.processes.dispatchers`, :mod:`svcsim.processes.dispatch_policies`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from svcsim.des.cases import Job
from svcsim.des.pool import Duty

__all__ = ["FieldEngineer"]

_INF = float("inf")


class FieldEngineer:
    """One field engineer: who, their home zone (``-1``: shared), their roster, where they are and their list.

    ``place`` is where the engineer is (or is driving to); ``in_hand`` the
    job being driven to or worked on; ``jobs`` the list behind it;
    ``carrying`` the bad parts and dead spares to hand in at the center, as
    ``(case, sku, kind)``; ``shift_off`` and ``next_on`` the end of the
    current on-duty interval and the start of the next.
    """

    def __init__(self, resource: int, home: int, duty: Duty, center: int) -> None:
        self.resource = resource
        self.home = home
        self.duty = duty
        self.place = center
        self.in_hand: Job | None = None
        self.in_hand_end = 0.0
        self.back_at = 0.0
        self.jobs: deque[Job] = deque()
        self.carrying: list[tuple[int, int, int]] = []
        self.wake: Any = None
        self.idle_since = 0.0
        self.shift_off = -_INF
        self.next_on = _INF

    def load(self) -> int:
        """Jobs in hand and on the list."""
        return len(self.jobs) + (self.in_hand is not None)

    def notify(self) -> None:
        """A dispatcher sent a job on this engineer's list: wake them if they wait for one."""
        wake, self.wake = self.wake, None
        if wake is not None:
            wake.succeed(True)

    def off_duty(self) -> None:
        """The end of the shift: an engineer waiting for work goes off duty."""
        wake, self.wake = self.wake, None
        if wake is not None:
            wake.succeed(None)

    def free_from(self, now: float, center: int) -> tuple[float, int]:
        """When and where the job in hand is expected to leave this engineer (now and here if none)."""
        if self.in_hand is not None:
            return max(now, self.in_hand_end), center if self.in_hand.meeting else self.in_hand.zone
        return max(now, self.back_at), self.place

    def expected_free(self, now: float, job_end: Callable[[Job, int, float], tuple[float, int]],
                      center: int) -> tuple[float, int]:
        """When this engineer's list is expected done, and where it leaves them (a dispatcher's estimate).

        ``job_end(job, place, start)`` is when a job is expected done if its
        drive starts at ``start`` from ``place``, and where it leaves them.
        """
        free, place = self.free_from(now, center)
        for job in self.jobs:
            free, place = job_end(job, place, free)
        return free, place

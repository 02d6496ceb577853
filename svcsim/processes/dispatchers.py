"""Dispatchers: match undispatched tickets to free engineers, and call customers back.

The :class:`DispatchBoard` is what a dispatcher sees: the tickets waiting
for dispatch, which field engineers are free and on duty (by home zone, or
shared), and the completed tickets waiting for their satisfaction callback.
A dispatcher takes the first waiting ticket, by the scenario's policy
(``fifo``: oldest first; ``priority``: urgent first, then oldest;
``nearest``: urgent first, then the zone with the shortest mean travel, then
oldest), that a free engineer can take (one of its zone, or a shared one), reserves that engineer,
spends the dispatch time and narrates ``dispatched``; the engineer is busy
from the reservation. A major complaint needs any free engineer and no
dispatch time. With nothing to dispatch, the dispatcher makes the oldest
pending callback (``callback_made``, then ``closed``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator, Sequence
from typing import Any

from svcsim.des.cases import Job
from svcsim.des.pool import Duty
from svcsim.des.recorder import CODE, Recorder

__all__ = ["DispatchBoard", "dispatcher"]

_DISPATCHED, _CALLBACK, _CLOSED = CODE["dispatched"], CODE["callback_made"], CODE["closed"]
SHARED = -1


class DispatchBoard:
    """Undispatched jobs, free engineers, pending callbacks and idle dispatchers."""

    def __init__(self, policy: str, travel_minutes: Sequence[float] = ()) -> None:
        self.policy = policy
        self.travel_minutes = list(travel_minutes)  # mean travel per zone index, for ``nearest``
        self.waiting: list[Job] = []
        self.free: dict[int, list[Any]] = {}
        self.callbacks: deque[int] = deque()
        self.idle: deque[Any] = deque()

    # -- what changes the board ----------------------------------------------------
    def post(self, job: Job) -> None:
        """A logged ticket (or a major complaint) waits for dispatch."""
        self.waiting.append(job)
        self.poke()

    def engineer_free(self, engineer: Any) -> None:
        """An engineer on duty has nothing to do."""
        self.free.setdefault(engineer.home, []).append(engineer)
        self.poke()

    def post_callback(self, case: int) -> None:
        """A completed ticket waits for its satisfaction callback."""
        self.callbacks.append(case)
        self.poke()

    def engineers_off(self) -> None:
        """End of the engineers' shift: every free engineer goes off duty."""
        for engineers in self.free.values():
            while engineers:
                engineers.pop(0).wake.succeed(None)

    def release_idle(self) -> None:
        """End of the dispatchers' shift: idle dispatchers go off duty."""
        while self.idle:
            self.idle.popleft().succeed(None)

    def poke(self) -> None:
        """Wake an idle dispatcher if there is something to do."""
        if self.idle and (self.callbacks or self.match() is not None):
            self.idle.popleft().succeed(True)

    # -- the policy ----------------------------------------------------------------
    def match(self) -> tuple[Job, Any] | None:
        """The job to dispatch next and the engineer to send, or ``None``."""
        if not self.waiting or not any(self.free.values()):
            return None
        jobs = self.waiting
        if self.policy == "priority":
            jobs = sorted(jobs, key=lambda j: (j.priority, j.logged))
        elif self.policy == "nearest":
            jobs = sorted(jobs, key=self._nearness)
        for job in jobs:
            if job.meeting:
                for home in sorted(self.free):
                    if self.free[home]:
                        return job, self.free[home][0]
                continue
            for home in (job.zone, SHARED):
                engineers = self.free.get(home)
                if engineers:
                    return job, engineers[0]
        return None

    def _nearness(self, job: Job) -> tuple[int, float, float]:
        travel = self.travel_minutes[job.zone] if 0 <= job.zone < len(self.travel_minutes) else 0.0
        return job.priority, travel, job.logged

    def assign(self, job: Job, engineer: Any) -> None:
        """Take the job off the board and the engineer off the free list."""
        self.waiting.remove(job)
        self.free[engineer.home].remove(engineer)


def dispatcher(env: Any, me: int, duty: Duty, board: DispatchBoard, recorder: Recorder,
               dispatch_time: Callable[[], float], callback_time: Callable[[], float]) -> Generator[Any, Any, None]:
    """One dispatcher's working life."""
    for on, off in duty:
        if env.now < on:
            yield env.timeout(on - env.now)
        while env.now < off:
            found = board.match()
            if found is not None:
                job, engineer = found
                board.assign(job, engineer)
                engineer.reserved = start = env.now
                if not job.meeting:
                    yield env.timeout(dispatch_time())
                    recorder.worked(me, start, env.now)
                    recorder.event(job.case, _DISPATCHED, env.now, me)
                engineer.wake.succeed(job)
            elif board.callbacks:
                case = board.callbacks.popleft()
                start = env.now
                yield env.timeout(callback_time())
                recorder.worked(me, start, env.now)
                recorder.event(case, _CALLBACK, env.now, me)
                recorder.event(case, _CLOSED, env.now, me)
            else:
                event = env.event()
                board.idle.append(event)
                yield event

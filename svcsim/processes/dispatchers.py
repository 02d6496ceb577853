"""Dispatchers: assign logged tickets to field engineers, and call customers back.

The :class:`DispatchBoard` is what a dispatcher sees: the tickets waiting
for dispatch, every field engineer on duty with the job in hand, the jobs
on their list and where that list is expected to leave them, and the
completed tickets waiting for their satisfaction callback. A dispatcher
takes the first waiting ticket, in the policy's ticket order, that the
policy's assignment gives to an engineer (one of its zone or a shared one,
on duty, with room on their list: :mod:`svcsim.processes.dispatch_policies`),
puts it on that engineer's list, spends the dispatch time and narrates
``dispatched``; the engineer works their list in order. A major complaint
goes to any engineer and takes no dispatch time. With nothing to dispatch,
the dispatcher makes the oldest pending callback (``callback_made``, then
``closed``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator
from typing import Any

from svcsim.des.cases import Job
from svcsim.des.pool import Duty
from svcsim.des.recorder import CODE, Recorder
from svcsim.processes.dispatch_policies import Assignment, TicketOrder
from svcsim.processes.engineer import FieldEngineer
from svcsim.processes.travel import Travel

__all__ = ["DispatchBoard", "dispatcher", "SHARED"]

_DISPATCHED, _CALLBACK, _CLOSED = CODE["dispatched"], CODE["callback_made"], CODE["closed"]
#: The home of an engineer who takes jobs in every zone.
SHARED = -1


class DispatchBoard:
    """Undispatched jobs, the engineers on duty and their lists, pending callbacks, idle dispatchers.

    ``onsite_minutes(job)`` is the time a dispatcher expects a job to take
    on site (the mean of diagnosis and repair, or of the meeting), used with
    the travel means for an engineer's expected arrival.
    """

    def __init__(self, env: Any, order: TicketOrder, assignment: Assignment, *, max_assigned: int,
                 queue_after: float, overtime: float, travel: Travel,
                 onsite_minutes: Callable[[Job], float], reassign_after: float | None = None) -> None:
        self.env, self.overtime, self.reassign_after = env, overtime, reassign_after
        self.order, self.assignment, self.max_assigned = order, assignment, max_assigned
        self.queue_after = queue_after if assignment.queues else 0.0
        self.travel, self.onsite_minutes = travel, onsite_minutes
        self.waiting: list[Job] = []
        self.on_duty: list[FieldEngineer] = []
        self.callbacks: deque[int] = deque()
        self.idle: deque[Any] = deque()
        self._expected: dict[int, tuple[float, int]] = {}
        #: Cases whose customer cancelled the paid repair before it started.
        self.cancelled: set[int] = set()
        #: An upper bound on any job's expected minutes (the longest mean drive in the worst traffic, the longest stay).
        self.longest_job = travel.longest_mean() + max(onsite_minutes(Job(-1, 0, 0, 0.0, meeting=m)) for m in (False, True))

    # -- what changes the board ----------------------------------------------------
    def post(self, job: Job) -> None:
        """A logged ticket (or a major complaint) waits for dispatch."""
        if job.case in self.cancelled:
            return
        self.waiting.append(job)
        if self.queue_after > 0:  # look again when it may go on a busy engineer's list
            due = job.logged + self.queue_after - self.env.now
            if due > 0:
                self.env.timeout(due).callbacks.append(self._look_again)
        self.poke()

    def withdraw(self, case: int) -> None:
        """The customer cancelled ``case`` before its repair started: off the board if it waits there.

        A job already on an engineer's list is dropped by the engineer
        (:mod:`svcsim.processes.field_engineers`); one held for a later
        appointment is dropped when it is posted.
        """
        self.cancelled.add(case)
        self.waiting = [job for job in self.waiting if job.case != case]

    def _look_again(self, _: Any) -> None:
        self.poke()

    def post_callback(self, case: int) -> None:
        """A completed ticket waits for its satisfaction callback."""
        self.callbacks.append(case)
        self.poke()

    def engineer_on(self, engineer: FieldEngineer) -> None:
        """An engineer's shift began: they may be given work."""
        self.on_duty.append(engineer)
        self.poke()

    def engineers_off(self, engineers: list[FieldEngineer]) -> None:
        """End of a shift group's shift: its engineers are given no more work; the idle go off duty."""
        leaving = {id(e) for e in engineers}
        self.on_duty = [e for e in self.on_duty if id(e) not in leaving]
        for engineer in engineers:
            engineer.off_duty()

    def release_idle(self) -> None:
        """End of the dispatchers' shift: idle dispatchers go off duty."""
        while self.idle:
            self.idle.popleft().succeed(None)

    def poke(self) -> None:
        """Wake an idle dispatcher if there is something to do."""
        if self.idle and (self.callbacks or self.match(self.env.now) is not None):
            self.idle.popleft().succeed(True)

    # -- the policy ----------------------------------------------------------------
    def match(self, now: float) -> tuple[Job, FieldEngineer] | None:
        """The job to dispatch next and the engineer to give it to, or ``None``.

        With no engineer free, only a ticket waiting ``queue_after`` may go
        (on a busy engineer's list), so the others are not even sorted.
        """
        waiting = self.waiting
        if not waiting:
            return None
        free: list[FieldEngineer] = []
        busy: list[FieldEngineer] = []
        queues, max_assigned = self.assignment.queues, self.max_assigned
        for e in self.on_duty:
            if e.in_hand is None and not e.jobs:
                free.append(e)
            elif queues and len(e.jobs) < max_assigned:
                busy.append(e)
        if not free and not busy:
            return None
        queue_from = now - self.queue_after
        if not free:
            waiting = [job for job in waiting if job.logged <= queue_from]
            if not waiting:
                return None
        self._expected = {}  # each engineer's expected free time and place, once per look at the board
        tried: set[tuple[int, bool, bool]] = set()  # who may take a job depends on these only
        timed = self.overtime < float("inf")
        try:
            for job in self.order.sorted(waiting, self):
                may_queue = bool(busy) and job.logged <= queue_from
                kind = (job.zone, job.meeting, may_queue)
                if kind in tried:
                    continue
                tried.add(kind)
                ready = free + busy if may_queue else free
                zone = job.zone
                able = ready if job.meeting else [e for e in ready if e.home == zone or e.home == SHARED]
                if timed and able:
                    able = [e for e in able if self._in_time(e, job, now)]
                if able:
                    engineer = self.assignment.choose(job, able, self, now)
                    if engineer is not None:
                        return job, engineer
            return None
        finally:
            self._expected = {}

    def _expected_free(self, engineer: FieldEngineer, now: float) -> tuple[float, int]:
        key = id(engineer)
        known = self._expected.get(key)
        if known is None:
            known = self._expected[key] = engineer.expected_free(now, self.expected_job_end, self.travel.center)
        return known

    def _in_time(self, engineer: FieldEngineer, job: Job, now: float) -> bool:
        """Whether ``engineer`` is expected to get ``job`` done in this shift (with the overtime allowed)."""
        known = self._expected.get(id(engineer))
        free, place = known if known is not None else self._expected_free(engineer, now)
        limit = engineer.shift_off + self.overtime
        if limit - free >= self.longest_job:  # any job fits: no need to look at this one
            return True
        return self.expected_job_end(job, place, free)[0] <= limit

    def assign(self, job: Job, engineer: FieldEngineer) -> None:
        """Take the job off the board and put it on the engineer's list."""
        self.waiting.remove(job)
        job.assigned = self.env.now
        engineer.jobs.append(job)

    def fallen_behind(self, engineer: FieldEngineer, now: float) -> Job | None:
        """A job to move to ``engineer`` (free, on duty): waiting ``reassign_after`` on a busy list, reached sooner.

        The oldest on any list (not the job in hand) that ``engineer`` may
        take and is expected to reach before its own engineer would; it is
        moved to ``engineer``'s list (``reassigned`` narrated by the caller).
        """
        if self.reassign_after is None or self.waiting and self.match(now) is not None:
            return None
        due = now - self.reassign_after
        best: tuple[float, Job, FieldEngineer] | None = None
        for other in self.on_duty:
            if other is engineer:
                continue
            ahead, place = other.free_from(now, self.travel.center)
            for job in other.jobs:
                if job.sent and not job.meeting and job.assigned <= due and (
                        engineer.home in (job.zone, SHARED)) and (best is None or job.assigned < best[0]):
                    theirs = ahead + self.travel.mean(place, job.zone, now)
                    mine = now + self.travel.mean(engineer.place, job.zone, now)
                    if mine < theirs and self._in_time(engineer, job, now):
                        best = (job.assigned, job, other)
                ahead, place = self.expected_job_end(job, place, ahead)
        if best is None:
            return None
        _, job, other = best
        other.jobs.remove(job)
        job.assigned = now
        engineer.jobs.append(job)
        return job

    # -- what a dispatcher expects -------------------------------------------------
    def zone_distance(self, zone: int) -> float:
        """The mean drive from the center to a site in ``zone``, off-peak (for ``nearest``)."""
        center = self.travel.center
        return self.travel.mean(center, zone, 0.0) if 0 <= zone < center else 0.0

    def expected_arrival(self, engineer: FieldEngineer, job: Job, now: float) -> float:
        """When ``engineer`` is expected on site for ``job`` if it went to the end of their list."""
        free, place = self._expected_free(engineer, now)
        destination = self.travel.center if job.meeting else job.zone
        if free > engineer.shift_off:  # their shift ends first: from the center at their next shift
            free, place = max(free, engineer.next_on), self.travel.center
        return free + self.travel.mean(place, destination, free)

    def expected_job_end(self, job: Job, place: int, start: float) -> tuple[float, int]:
        """When ``job`` is expected done if its drive starts at ``start`` from ``place``, and where."""
        destination = self.travel.center if job.meeting else job.zone
        return start + self.travel.mean(place, destination, start) + self.onsite_minutes(job), destination


def dispatcher(env: Any, me: int, duty: Duty, board: DispatchBoard, recorder: Recorder,
               dispatch_time: Callable[[], float], callback_time: Callable[[], float]) -> Generator[Any, Any, None]:
    """One dispatcher's working life."""
    for on, off in duty:
        if env.now < on:
            yield env.timeout(on - env.now)
        while env.now < off:
            found = board.match(env.now)
            if found is not None:
                job, engineer = found
                board.assign(job, engineer)
                if not job.meeting:
                    start = env.now
                    yield env.timeout(dispatch_time())
                    recorder.worked(me, start, env.now)
                    recorder.event(job.case, _DISPATCHED, env.now, me)
                job.sent = True
                engineer.notify()
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



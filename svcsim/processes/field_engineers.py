"""Field engineers: a list of jobs, a route from site to site, repairs; and major complaint meetings.

An engineer starts each shift at the center and works the jobs dispatchers
put on their list, in order, one at a time: drive from where they are to
the site (:mod:`svcsim.processes.travel`) -> ``arrived_on_site`` -> a share
of customers are not ready (``customer_delay``, a wait, ``customer_ready``)
-> diagnosis -> ``repair_started`` -> a software fix, or a hardware repair that may need a part
from the store (in the van, or else fetched: a drive to the center and back,
the engineer's time and the customer's wait) -> ``completed`` -> the paperwork (the repair form, reporting
to the dispatcher). The engineer then stays at that site for the next job
on the list. With an empty list they drive back to the center, at once
(``back_to_center = "when_idle"``; a drive is never turned round: work
given meanwhile starts from the center) or at the end of the shift; there
they hand in the bad parts and dead spares they carry, so a bad part's
``bad_part_returned`` comes from the route, not from a random delay.

A part out of stock (``waiting_parts``) ends the visit; when the part comes
in (``parts_received``) the job goes back to the dispatchers as a revisit
with the unit reserved: ``dispatched`` -> ``arrived_on_site`` ->
``part_issued`` -> repair -> ``completed``. A spare that proves dead when
fitted is carried back and another is requested
(:func:`svcsim.processes.spares.fit`). A job whose customer cancelled it
before the repair started is dropped: not started if it is on the list, the
drive wasted if the engineer was on the way, the visit ended after the
diagnosis if they were on site (:mod:`svcsim.processes.cancellations`).

Overtime rule: an engineer never starts a drive to a job outside their
shift, nor one not expected done by the end of the shift plus the
scenario's ``overtime_minutes``, but finishes the job in hand (its
paperwork included) and then drives back to the center, after the shift's
end if need be; jobs left on their list wait for the next shift. A major complaint is a meeting at the
center: the engineer drives there and meets with a supervisor and a sales
lead; if those are off duty, the engineer waits for their next shift.
Busy time is every drive and every minute at a site or in a meeting.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import simpy

from svcsim.des.cases import DEAD_SPARE, DEFECTIVE, SOFTWARE, CaseBook, Job
from svcsim.des.recorder import CODE, Recorder
from svcsim.processes.dispatchers import DispatchBoard
from svcsim.processes.engineer import FieldEngineer
from svcsim.processes.spares import SparesStore, fit
from svcsim.processes.travel import Travel

__all__ = ["FieldCrew", "FieldDraws", "ComplaintTeam"]

_ARRIVED, _COMPLETED, _CLOSED = CODE["arrived_on_site"], CODE["completed"], CODE["closed"]
_DELAY, _READY, _REASSIGNED = CODE["customer_delay"], CODE["customer_ready"], CODE["reassigned"]
_STARTED = CODE["repair_started"]
_INF = float("inf")


@dataclass(frozen=True)
class FieldDraws:
    """The random numbers a field visit takes: minutes of each step, uniform numbers for each chance."""

    diagnosis: Callable[[], float]
    repair: Callable[[], float]
    software_fix: Callable[[], float]
    paperwork: Callable[[], float]
    customer_delay: Callable[[], float]
    not_ready: Callable[[], float]
    part_needed: Callable[[], float]
    in_van: Callable[[], float]
    meeting: Callable[[], float]


@dataclass(frozen=True)
class ComplaintTeam:
    """Who meets on a major complaint besides the engineer, and when they are all on duty.

    ``supervisors`` and ``sales_leads`` hold the free members' resource codes
    (``None``: the center has nobody in that role); ``on_duty(t)`` is the
    first minute from ``t`` when both are on duty.
    """

    supervisors: simpy.Store | None
    sales_leads: simpy.Store | None
    on_duty: Callable[[float], float]


class FieldCrew:
    """What every field engineer does, with the collaborators they need.

    ``done(case, sku, resource, on_site)`` is the aftercare (repeat fault,
    callback; ``sku`` the part replaced, ``-1`` none); ``hand_in(case, sku,
    resource, kind)`` takes a bad part (or a dead spare) at the center;
    ``started(case)`` hears of each ``repair_started`` (a paid repair cannot
    be cancelled from then on, :mod:`svcsim.processes.cancellations`).
    """

    def __init__(self, env: Any, book: CaseBook, recorder: Recorder, board: DispatchBoard,
                 store: SparesStore, travel: Travel, draws: FieldDraws, team: ComplaintTeam, *,
                 p_part: float, p_in_van: float, p_not_ready: float, back_when_idle: bool, overtime: float, done: Callable[[int, int, int, bool], None],
                 hand_in: Callable[[int, int, int, int], None], started: Callable[[int], None]) -> None:
        self.env, self.book, self.recorder, self.board, self.store = env, book, recorder, board, store
        self.travel, self.draws, self.team = travel, draws, team
        self.p_part, self.p_in_van, self.p_not_ready = p_part, p_in_van, p_not_ready
        self.back_when_idle = back_when_idle
        self.overtime = overtime
        self.done, self.hand_in, self.started = done, hand_in, started
        self.waiting_since: dict[int, float] = {}

    def engineer(self, me: FieldEngineer) -> Generator[Any, Any, None]:
        """One engineer's working life: each shift, the list; between jobs, back to the center."""
        env, board, center = self.env, self.board, self.travel.center
        duty = me.duty
        for i, (on, off) in enumerate(duty):
            if env.now < on:
                yield env.timeout(on - env.now)
            me.shift_off, me.next_on = off, duty[i + 1][0] if i + 1 < len(duty) else _INF
            if env.now >= off:
                continue
            board.engineer_on(me)
            while env.now < off:
                job = me.jobs[0] if me.jobs and me.jobs[0].sent else None
                if job is not None and self.overtime < _INF and board.expected_job_end(
                        job, me.place, env.now)[0] > off + self.overtime:
                    break  # no time left in this shift for it: it waits for the next one
                if job is not None:
                    me.jobs.popleft()
                    if job.case in board.cancelled:  # the customer cancelled: the engineer does not go
                        continue
                    yield from self._job(me, job)
                    board.poke()
                    continue
                if self.back_when_idle and not me.jobs and me.place != center:
                    yield from self._drive_back(me)
                    continue
                moved = board.fallen_behind(me, env.now) if not me.jobs else None
                if moved is not None:
                    self.recorder.note(moved.case, _REASSIGNED, env.now, me.resource, "engineer fell behind")
                    continue
                me.wake = env.event()
                me.idle_since = env.now
                board.poke()
                if (yield me.wake) is None:  # the shift ended while waiting
                    break
            if me.place != center:  # overtime: back to the center after the job in hand
                yield from self._drive_back(me)

    # -- one job -------------------------------------------------------------------
    def _job(self, me: FieldEngineer, job: Job) -> Generator[Any, Any, None]:
        destination = self.travel.center if job.meeting else job.zone
        me.in_hand = job
        me.in_hand_end = self.board.expected_job_end(job, me.place, self.env.now)[0]
        if job.part >= 0 and self.p_in_van < 1:  # a revisit: collect the reserved part at the center first
            yield from self._drive(me, self.travel.center)
        yield from self._drive(me, destination)
        if job.case in self.board.cancelled:  # cancelled while the engineer drove there: turned back
            me.in_hand = None
            return
        if job.meeting:
            yield from self._meeting(me, job)
        else:
            yield from self._visit(me, job)
        me.in_hand = None

    def _drive(self, me: FieldEngineer, destination: int) -> Generator[Any, Any, None]:
        env = self.env
        start = env.now
        minutes = self.travel.drive(me.place, destination, start)
        me.place = destination
        if minutes > 0:
            yield env.timeout(minutes)
            self.recorder.worked(me.resource, start, env.now)

    def _drive_back(self, me: FieldEngineer) -> Generator[Any, Any, None]:
        """Back to the center; there the bad parts and dead spares are handed in."""
        env = self.env
        me.back_at = env.now + self.travel.mean(me.place, self.travel.center, env.now)
        yield from self._drive(me, self.travel.center)
        me.back_at = env.now
        carrying, me.carrying = me.carrying, []
        for case, sku, kind in carrying:
            self.hand_in(case, sku, me.resource, kind)

    def _visit(self, me: FieldEngineer, job: Job) -> Generator[Any, Any, None]:
        env, rec, draws, case, res, store = self.env, self.recorder, self.draws, job.case, me.resource, self.store
        since = start = env.now
        rec.event(case, _ARRIVED, start, res)
        if self.p_not_ready > 0 and draws.not_ready() < self.p_not_ready:
            rec.event(case, _DELAY, env.now, res)
            yield env.timeout(draws.customer_delay())
            rec.event(case, _READY, env.now, res)
        sku = job.part
        if sku >= 0:  # a revisit: the part was reserved for this job
            store.hand_over(case, sku, res)
        else:
            yield env.timeout(draws.diagnosis())
            if case in self.board.cancelled:  # cancelled during the diagnosis, before the repair started
                rec.worked(res, since, env.now)
                return
            rec.event(case, _STARTED, env.now, res)
            self.started(case)
            if self.book.fault[case] == SOFTWARE:
                yield env.timeout(draws.software_fix())
            elif draws.part_needed() < self.p_part:
                sku = store.pick()
                if self.p_in_van < 1 and draws.in_van() >= self.p_in_van:  # not in the van: fetch it
                    rec.worked(res, since, env.now)
                    yield from self._drive(me, self.travel.center)
                    if not store.request(case, sku, res, self._revisit):
                        self._leave(me, job, env.now)
                        return
                    yield from self._drive(me, job.zone)
                    since = env.now
                elif not store.request(case, sku, res, self._revisit):
                    self._leave(me, job, since)
                    return
        if sku >= 0:
            if not fit(store, case, sku, res, self._revisit, self._carry_dead(me)):
                self._leave(me, job, since)
                return
            yield env.timeout(draws.repair())
        elif self.book.fault[case] != SOFTWARE:
            yield env.timeout(draws.repair())
        rec.event(case, _COMPLETED, env.now, res)
        if sku >= 0:
            me.carrying.append((case, sku, DEFECTIVE))
        self.done(case, sku, res, True)
        paperwork = draws.paperwork()
        if paperwork > 0:
            yield env.timeout(paperwork)
        rec.worked(res, since, env.now)

    def _carry_dead(self, me: FieldEngineer) -> Callable[[int, int, int], None]:
        def carry(case: int, sku: int, resource: int) -> None:
            me.carrying.append((case, sku, DEAD_SPARE))
        return carry

    def _leave(self, me: FieldEngineer, job: Job, since: float) -> None:
        """No part in stock: the visit ends, the job waits for the part (``waiting_parts`` narrated)."""
        self.waiting_since.setdefault(job.case, job.logged)
        if self.env.now > since:
            self.recorder.worked(me.resource, since, self.env.now)

    def _revisit(self, case: int, sku: int) -> None:
        """The part came in (``parts_received`` narrated): the job goes back to the dispatchers."""
        logged = self.waiting_since.pop(case, self.env.now)
        self.board.post(Job(case, self.book.zone[case], self.book.priority[case], logged, part=sku))

    def _meeting(self, me: FieldEngineer, job: Job) -> Generator[Any, Any, None]:
        env, rec, team = self.env, self.recorder, self.team
        members = []
        arrived = env.now
        for store in (team.supervisors, team.sales_leads):
            if store is not None:  # a center without that role meets without it
                members.append((store, (yield store.get())))
        ready = team.on_duty(env.now)
        if ready == _INF:  # the team is never on duty again in this horizon
            for store, res in members:
                yield store.put(res)
            return
        if ready > env.now:  # the team is off duty: the engineer waits for the next shift
            yield env.timeout(ready - env.now)
        start = env.now
        yield env.timeout(self.draws.meeting())
        for _, res in members:
            rec.worked(res, start, env.now)
        rec.worked(me.resource, arrived, env.now)
        rec.note(job.case, _CLOSED, env.now, me.resource, "major complaint: team meeting")
        for store, res in members:
            yield store.put(res)

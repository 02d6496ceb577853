"""Field engineers: travel to the site, diagnose, repair; and major complaint meetings.

An engineer on duty waits on the dispatch board. A dispatched job is a
visit: travel (by the site's zone) -> ``arrived_on_site`` -> diagnosis -> a
software fix, or a hardware repair that may need a part from the store ->
``completed``. A part out of stock (``waiting_parts``) ends the visit: the
engineer leaves and is free again; when the part comes in
(``parts_received``) the job goes back on the dispatch board as a revisit
with the unit reserved: ``dispatched`` -> ``arrived_on_site`` ->
``part_issued`` -> repair -> ``completed``. A spare dead on arrival is
handed back and another is requested (:func:`svcsim.processes.spares.fit`).
The engineer is busy from the moment the dispatcher reserved them until
completion (or until the visit ends waiting for parts); a visit running at
the end of the shift is finished, then the engineer goes off duty. A major
complaint takes the engineer's time together with a supervisor and a sales
lead (the team), then the complaint is ``closed``; if they are off duty when
the engineer is free, the engineer waits for their next shift.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import simpy

from svcsim.des.cases import SOFTWARE, CaseBook, Job
from svcsim.des.pool import Duty
from svcsim.des.recorder import CODE, Recorder
from svcsim.processes.dispatchers import DispatchBoard
from svcsim.processes.spares import SparesStore, fit

__all__ = ["FieldEngineer", "FieldCrew"]

_ARRIVED, _COMPLETED, _CLOSED = CODE["arrived_on_site"], CODE["completed"], CODE["closed"]


class FieldEngineer:
    """One field engineer: a resource code, a home zone (``-1``: shared) and a duty roster."""

    def __init__(self, resource: int, home: int, duty: Duty) -> None:
        self.resource = resource
        self.home = home
        self.duty = duty
        self.wake: Any = None
        self.reserved = 0.0


class FieldCrew:
    """What every field engineer does, with the collaborators they need.

    ``travel[zone]``, ``diagnosis``, ``repair``, ``software_fix``,
    ``meeting`` draw minutes; ``part_needed`` draws a uniform number;
    ``team_on_duty(t)`` is the first minute from ``t`` when the supervisor and
    the sales lead are both on duty (a meeting never starts outside their shifts);
    ``done(case, sku, resource, on_site)`` is the aftercare (repeat fault,
    bad part, callback; ``sku`` the part replaced, ``-1`` none) and
    ``doa_back(case, sku, resource)`` takes a dead spare back.
    """

    def __init__(self, env: Any, book: CaseBook, recorder: Recorder, board: DispatchBoard,
                 store: SparesStore, *, travel: list[Callable[[], float]], diagnosis: Callable[[], float],
                 repair: Callable[[], float], software_fix: Callable[[], float],
                 meeting: Callable[[], float], part_needed: Callable[[], float], p_part: float,
                 supervisors: simpy.Store | None, sales_leads: simpy.Store | None,
                 team_on_duty: Callable[[float], float],
                 done: Callable[[int, int, int, bool], None],
                 doa_back: Callable[[int, int, int], None]) -> None:
        self.env, self.book, self.recorder, self.board, self.store = env, book, recorder, board, store
        self.travel, self.diagnosis, self.repair, self.software_fix = travel, diagnosis, repair, software_fix
        self.meeting, self.part_needed, self.p_part = meeting, part_needed, p_part
        self.supervisors, self.sales_leads, self.done = supervisors, sales_leads, done
        self.team_on_duty = team_on_duty
        self.doa_back = doa_back
        self.waiting_since: dict[int, float] = {}

    def engineer(self, me: FieldEngineer) -> Generator[Any, Any, None]:
        """One engineer's working life: free on the board in each shift, then a job."""
        env = self.env
        for on, off in me.duty:
            if env.now < on:
                yield env.timeout(on - env.now)
            while env.now < off:
                me.wake = env.event()
                self.board.engineer_free(me)
                job = yield me.wake
                if job is None:
                    continue
                if job.meeting:
                    yield from self._meeting(me, job)
                else:
                    yield from self._visit(me, job)

    def _visit(self, me: FieldEngineer, job: Job) -> Generator[Any, Any, None]:
        env, rec, case, res, store = self.env, self.recorder, job.case, me.resource, self.store
        yield env.timeout(self.travel[job.zone]())
        rec.event(case, _ARRIVED, env.now, res)
        sku = job.part
        if sku >= 0:  # a revisit: the part was reserved for this job
            store.hand_over(case, sku, res)
        else:
            yield env.timeout(self.diagnosis())
            if self.book.fault[case] == SOFTWARE:
                yield env.timeout(self.software_fix())
            elif self.part_needed() < self.p_part:
                sku = store.pick()
                if not store.request(case, sku, res, self._revisit):
                    self._leave(me, job)
                    return
        if sku >= 0:
            if not fit(store, case, sku, res, self._revisit, self.doa_back):
                self._leave(me, job)
                return
            yield env.timeout(self.repair())
        elif self.book.fault[case] != SOFTWARE:
            yield env.timeout(self.repair())
        rec.event(case, _COMPLETED, env.now, res)
        rec.worked(res, me.reserved, env.now)
        self.done(case, sku, res, True)

    def _leave(self, me: FieldEngineer, job: Job) -> None:
        """No part in stock: the visit ends, the job waits for the part (``waiting_parts`` narrated)."""
        self.waiting_since.setdefault(job.case, job.logged)
        self.recorder.worked(me.resource, me.reserved, self.env.now)

    def _revisit(self, case: int, sku: int) -> None:
        """The part came in (``parts_received`` narrated): the job goes back on the dispatch board."""
        logged = self.waiting_since.pop(case, self.env.now)
        self.board.post(Job(case, self.book.zone[case], self.book.priority[case], logged, part=sku))

    def _meeting(self, me: FieldEngineer, job: Job) -> Generator[Any, Any, None]:
        env, rec = self.env, self.recorder
        team = []
        for members in (self.supervisors, self.sales_leads):
            if members is not None:  # a center without that role meets without it
                team.append((members, (yield members.get())))
        ready = self.team_on_duty(env.now)
        if ready == float("inf"):  # the team is never on duty again in this horizon
            for members, res in team:
                yield members.put(res)
            return
        if ready > env.now:  # the team is off duty: the engineer waits for the next shift
            yield env.timeout(ready - env.now)
        start = env.now
        yield env.timeout(self.meeting())
        for _, res in team:
            rec.worked(res, start, env.now)
        rec.worked(me.resource, me.reserved, env.now)
        rec.note(job.case, _CLOSED, env.now, me.resource, "major complaint: team meeting")
        for members, res in team:
            yield members.put(res)

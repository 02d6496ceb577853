"""Field engineers: travel to the site, diagnose, repair; and major complaint meetings.

An engineer on duty waits on the dispatch board. A dispatched job is a
visit: travel (by the site's zone) -> ``arrived_on_site`` -> diagnosis -> a
software fix, or a hardware repair that may need a part from the store ->
``completed``. The engineer is busy from the moment the dispatcher reserved
them until completion; a visit running at the end of the shift is finished,
then the engineer goes off duty. A major complaint takes the engineer's time
together with a supervisor and a sales lead (the team), then the complaint
is ``closed``; if they are off duty when the engineer is free, the engineer
waits for their next shift.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import simpy

from svcsim.processes.cases import SOFTWARE, CaseBook, Job
from svcsim.processes.dispatchers import DispatchBoard
from svcsim.processes.pool import Duty
from svcsim.processes.recorder import CODE, Recorder
from svcsim.processes.spares import SparesStore

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
    ``done(case, part_replaced, resource, on_site)`` is the aftercare
    (repeat fault, bad part, callback).
    """

    def __init__(self, env: Any, book: CaseBook, recorder: Recorder, board: DispatchBoard,
                 store: SparesStore, *, travel: list[Callable[[], float]], diagnosis: Callable[[], float],
                 repair: Callable[[], float], software_fix: Callable[[], float],
                 meeting: Callable[[], float], part_needed: Callable[[], float], p_part: float,
                 supervisors: simpy.Store | None, sales_leads: simpy.Store | None,
                 team_on_duty: Callable[[float], float],
                 done: Callable[[int, bool, int, bool], None]) -> None:
        self.env, self.book, self.recorder, self.board, self.store = env, book, recorder, board, store
        self.travel, self.diagnosis, self.repair, self.software_fix = travel, diagnosis, repair, software_fix
        self.meeting, self.part_needed, self.p_part = meeting, part_needed, p_part
        self.supervisors, self.sales_leads, self.done = supervisors, sales_leads, done
        self.team_on_duty = team_on_duty

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
        env, rec, case, res = self.env, self.recorder, job.case, me.resource
        yield env.timeout(self.travel[job.zone]())
        rec.event(case, _ARRIVED, env.now, res)
        yield env.timeout(self.diagnosis())
        part = False
        if self.book.fault[case] == SOFTWARE:
            yield env.timeout(self.software_fix())
        else:
            part = self.part_needed() < self.p_part
            if part:
                yield from self.store.issue(case, res)
            yield env.timeout(self.repair())
        rec.event(case, _COMPLETED, env.now, res)
        rec.worked(res, me.reserved, env.now)
        self.done(case, part, res, True)

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

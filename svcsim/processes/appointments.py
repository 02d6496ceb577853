"""Appointments: a share of customers ask for a visit later than as soon as possible.

When a field ticket is logged, its customer asks for an appointment with
the scenario's chance: the ticket is held (``customer_delay``, reason
``appointment``) until the appointment, at the same time of day a whole
number of days later (the scenario's ``appointment_days`` drawn and
rounded up, at least one) or the next minute the center is open after
it, then ``customer_ready`` and it goes to the dispatchers. The default rules hold the 4-hour dispatch clock
meanwhile (``pause``/``resume`` of ``dispatch-4h``), and complete-6h has
its 8-hour special case for a customer reason. A major complaint or a
revisit after waiting for parts is never held.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from typing import Any

from svcsim.des.cases import Job
from svcsim.des.recorder import CODE, Recorder

__all__ = ["Appointments"]

_DELAY, _READY = CODE["customer_delay"], CODE["customer_ready"]
APPOINTMENT_REASON = "appointment"


class Appointments:
    """Between logging and the dispatch board: hold the tickets whose customers asked for a later visit.

    ``post(job)`` is the dispatch board's; ``chance()`` and ``lead()`` draw
    a uniform number and a lead time in days; ``next_open(t)`` is the
    first minute from ``t`` when the center is open.
    """

    def __init__(self, env: Any, recorder: Recorder, *, post: Callable[[Job], None], p_appointment: float,
                 chance: Callable[[], float], lead: Callable[[], float],
                 next_open: Callable[[float], float]) -> None:
        self.env, self.recorder, self.post = env, recorder, post
        self.p_appointment, self.chance, self.lead, self.next_open = p_appointment, chance, lead, next_open

    def logged(self, job: Job) -> None:
        """A field ticket (or a major complaint) was logged: to the board now, or at its appointment."""
        if job.meeting or self.p_appointment <= 0 or self.chance() >= self.p_appointment:
            self.post(job)
            return
        self.env.process(self._held(job))

    def _held(self, job: Job) -> Generator[Any, Any, None]:
        env = self.env
        self.recorder.note(job.case, _DELAY, env.now, -1, APPOINTMENT_REASON)
        days = max(1, math.ceil(self.lead()))
        at = self.next_open(env.now + 1440.0 * days)
        if at == float("inf"):
            return  # the appointment is past the horizon: held at the end
        yield env.timeout(at - env.now)
        self.recorder.event(job.case, _READY, env.now, -1)
        job.logged = env.now  # the dispatchers' clock for holding and ordering starts at the appointment
        self.post(job)

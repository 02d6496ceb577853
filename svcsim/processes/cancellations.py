"""Customers who ask to cancel a paid repair: accepted before the work started, refused after.

A customer who accepted a quote for a paid repair (an out-of-warranty
field job logged by an operator, or a unit whose quote the spares
administrator agreed with the customer) asks, with the scenario's chance,
to cancel it some time later. The source document forbids cancelling once
the repair is done or parts are requested, so: if the engineer has already
narrated ``repair_started`` (the repair begins, before any part is
requested) the request is refused (``cancel_refused``) and the repair goes
on; otherwise it is accepted (``cancelled``) and the job is withdrawn: a
field job is ``closed`` (reason ``cancelled``) and dropped by the dispatchers or the engineer at their next look
at it (an engineer already driving there turns back; one diagnosing stops
before the repair), a unit goes back to its customer unrepaired. The
request is taken on the phone and costs no one's time in the model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from svcsim.des.cases import KIND_CODES, CaseBook
from svcsim.des.recorder import CODE, Recorder

__all__ = ["Cancellations"]

_CANCELLED, _REFUSED, _CLOSED = CODE["cancelled"], CODE["cancel_refused"], CODE["closed"]
_FIELD = KIND_CODES["field"]


class Cancellations:
    """Paid repairs, whether their work has started, and the cancellations accepted.

    ``chance`` draws uniform numbers compared with ``p_request``; ``delay``
    the minutes from the accepted quote to the request. ``withdraw(case)``
    is called for an accepted cancellation. The engines of the field and
    the bench call :meth:`started` when they narrate ``repair_started``,
    and look at :attr:`cancelled` before each step of a job.
    """

    def __init__(self, env: Any, book: CaseBook, recorder: Recorder, *, p_request: float, chance: Callable[[], float],
                 delay: Callable[[], float], withdraw: Callable[[int], None]) -> None:
        self.env, self.book, self.recorder = env, book, recorder
        self.p_request, self.chance, self.delay, self.withdraw = p_request, chance, delay, withdraw
        self.begun: set[int] = set()
        self.cancelled: set[int] = set()

    def quote_accepted(self, case: int) -> None:
        """A paid repair was agreed on ``case``: its customer may ask to cancel it later."""
        if self.p_request > 0 and self.chance() < self.p_request:
            self.env.timeout(self.delay()).callbacks.append(lambda _: self._asked(case))

    def started(self, case: int) -> None:
        """The repair of ``case`` started (``repair_started``): a cancellation is refused from now on."""
        self.begun.add(case)

    def _asked(self, case: int) -> None:
        now = self.env.now
        if case in self.begun:
            self.recorder.event(case, _REFUSED, now, -1)
            return
        self.recorder.event(case, _CANCELLED, now, -1)
        self.cancelled.add(case)
        self.withdraw(case)
        if self.book.kind[case] == _FIELD:  # a unit is closed once it is back with its customer
            self.recorder.note(case, _CLOSED, now, -1, "cancelled")

"""Technical support: the second line behind the phone operators.

An escalated question waits for a technical support engineer on duty, who
calls the customer back, solves a share of them on the phone
(``resolved_by_phone``) and logs the rest as field tickets
(``ticket_logged``), which go to the dispatch board.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from svcsim.des.cases import CaseBook, Job
from svcsim.des.recorder import CODE, Recorder

__all__ = ["TechSupport"]

_RESOLVED, _LOGGED = CODE["resolved_by_phone"], CODE["ticket_logged"]


class TechSupport:
    """Second-line work: time per question, the chance of solving it, where tickets go."""

    def __init__(self, env: Any, book: CaseBook, recorder: Recorder, *, time: Callable[[], float],
                 chance: Callable[[], float], p_solves: float, dispatch: Callable[[Job], None]) -> None:
        self.env, self.book, self.recorder = env, book, recorder
        self.time, self.chance, self.p_solves, self.dispatch = time, chance, p_solves, dispatch

    def serve(self, me: int) -> Callable[[int], Generator[Any, Any, None]]:
        """The work of technical support engineer ``me`` on one question."""

        def answer(case: int) -> Generator[Any, Any, None]:
            env, rec = self.env, self.recorder
            start = env.now
            yield env.timeout(self.time())
            rec.worked(me, start, env.now)
            if self.chance() < self.p_solves:
                rec.event(case, _RESOLVED, env.now, me)
            else:
                rec.event(case, _LOGGED, env.now, me)
                book = self.book
                self.dispatch(Job(case, book.zone[case], book.priority[case], env.now))

        return answer

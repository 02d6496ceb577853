"""Technical support: the second line behind the phone operators.

An escalated question waits for a technical support engineer on duty, who
calls the customer back, solves a share of them on the phone
(``resolved_by_phone``) and logs the rest as field tickets
(``ticket_logged``), which go to the dispatch board. A batch flagged for
too many fault reports is analysed in the same queue
(:mod:`svcsim.processes.batch_watch`).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from svcsim.des.cases import CaseBook, Job
from svcsim.des.recorder import CODE, Recorder
from svcsim.processes.batch_watch import BatchAnalysis

__all__ = ["TechSupport"]

_RESOLVED, _LOGGED = CODE["resolved_by_phone"], CODE["ticket_logged"]


class TechSupport:
    """Second-line work: time per question, the chance of solving it, where tickets go."""

    def __init__(self, env: Any, book: CaseBook, recorder: Recorder, *, time: Callable[[], float],
                 chance: Callable[[], float], p_solves: float, dispatch: Callable[[Job], None],
                 analysis_time: Callable[[], float] | None = None) -> None:
        self.env, self.book, self.recorder = env, book, recorder
        self.time, self.chance, self.p_solves, self.dispatch = time, chance, p_solves, dispatch
        self.analysis_time = analysis_time

    def serve(self, me: int) -> Callable[[int | BatchAnalysis], Generator[Any, Any, None]]:
        """The work of technical support engineer ``me`` on one question."""

        def answer(case: int | BatchAnalysis) -> Generator[Any, Any, None]:
            env, rec = self.env, self.recorder
            start = env.now
            if isinstance(case, BatchAnalysis):  # a flagged batch: analysed, reported to purchasing and management
                case.started, case.resource = start, me
                yield env.timeout(self.analysis_time() if self.analysis_time is not None else 0.0)
                rec.worked(me, start, env.now)
                case.done = env.now
                return
            yield env.timeout(self.time())
            rec.worked(me, start, env.now)
            if self.chance() < self.p_solves:
                rec.event(case, _RESOLVED, env.now, me)
            else:
                rec.event(case, _LOGGED, env.now, me)
                book = self.book
                self.dispatch(Job(case, book.zone[case], book.priority[case], env.now))

        return answer

"""Phone operators: answer calls in order, lose callers who run out of patience.

Abandonment is lazy: each caller's patience is drawn at arrival, and an
operator taking the next call first drops (and narrates ``call_abandoned``
at their hang-up minute) the callers whose patience ran out. That is exactly
first-come-first-served with impatient callers (M/M/c+M), at no cost for
callers who never wait.

After the handle time the operator settles the call: a question solved on
the phone (``resolved_by_phone``) or escalated to technical support; a
field job checked for warranty (out of warranty: a quote, which may be
declined -> ``closed``) and logged (``ticket_logged``); a carry-in or
mail-in job logged (its unit's warranty is checked by the spares
administrators when it comes in); a complaint settled, or a major one
handed to a team; a sale made.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from svcsim.des.cases import KIND_CODES, CaseBook, Job
from svcsim.des.pool import Duty, WorkPool
from svcsim.des.recorder import CODE, Recorder

__all__ = ["CallQueue", "Operators"]

_ANSWERED, _ABANDONED = CODE["call_answered"], CODE["call_abandoned"]
_RESOLVED, _LOGGED, _CLOSED = CODE["resolved_by_phone"], CODE["ticket_logged"], CODE["closed"]
_QUESTION, _FIELD = KIND_CODES["question"], KIND_CODES["field"]
_CARRY, _MAIL = KIND_CODES["carry_in"], KIND_CODES["mail_in"]
_COMPLAINT, _SALE = KIND_CODES["complaint"], KIND_CODES["sale"]


class CallQueue(WorkPool):
    """Callers on hold, first come first served, with lazy abandonment."""

    def __init__(self, env: Any, book: CaseBook, recorder: Recorder) -> None:
        super().__init__()
        self.env = env
        self.deadline = book.deadline
        self.events = recorder.events

    def take(self, now: float | None = None) -> Any:
        """The longest-waiting caller still on hold at ``now`` (default: the clock), or ``None``."""
        queue, deadline = self.queue, self.deadline
        if now is None:
            now = self.env.now
        while queue:
            case = queue.popleft()
            if deadline[case] >= now:
                return case
            self.events.extend((case, _ABANDONED, deadline[case], -1))
        return None

    def flush(self, horizon: float) -> None:
        """At the horizon: callers whose patience ran out by then hung up; the rest are open."""
        for case in self.queue:
            if self.deadline[case] <= horizon:
                self.events.extend((case, _ABANDONED, self.deadline[case], -1))
        self.queue.clear()


class Operators:
    """The phone operators and where they send each call.

    ``escalate(case)`` passes a question to technical support, ``dispatch(job)``
    puts a logged field job or a major complaint on the dispatch board,
    ``bench(case)`` starts a carried-in or mailed-in unit on its way,
    ``paid(case)`` reports a field job whose quote the customer accepted,
    ``sold(case)`` a product sold.
    """

    def __init__(self, env: Any, book: CaseBook, recorder: Recorder, queue: CallQueue, *,
                 p_solved: float, p_quote_declined: float, p_major: float,
                 escalate: Callable[[int], None], dispatch: Callable[[Job], None],
                 bench: Callable[[int], None], paid: Callable[[int], None],
                 sold: Callable[[int], None]) -> None:
        self.env, self.book, self.recorder, self.queue = env, book, recorder, queue
        self.p_solved, self.p_declined, self.p_major = p_solved, p_quote_declined, p_major
        self.escalate, self.dispatch, self.bench = escalate, dispatch, bench
        self.paid, self.sold = paid, sold

    def operator(self, me: int, duty: Duty) -> Generator[Any, Any, None]:
        """One operator's working life: pull calls in each shift, handle, settle.

        The loop is the model's hot path (every call passes through it), so
        it keeps the simulation clock in a local and settles a solved
        question inline.
        """
        env, queue = self.env, self.queue
        take, idle, narrate = queue.take, queue.idle, self.recorder.events.extend
        worked, handle, timeout, settle = self.recorder.busy.extend, self.book.handle, env.timeout, self.settle
        kind, solve_chance, p_solved = self.book.kind, self.book.chance[0], self.p_solved
        for on, off in duty:
            now = env.now
            if now < on:
                yield timeout(on - now)
                now = env.now
            while now < off:
                case = take(now)
                if case is None:
                    event = env.event()
                    idle.append(event)
                    case = yield event
                    now = env.now
                    if case is None:
                        continue
                narrate((case, _ANSWERED, now, me))
                yield timeout(handle[case])
                end = env.now
                worked((me, now, end))
                if kind[case] == _QUESTION and solve_chance[case] < p_solved:
                    narrate((case, _RESOLVED, end, me))
                else:
                    settle(case, me)
                now = end

    def settle(self, case: int, me: int) -> None:
        """Narrate how the call ended and pass any work on."""
        book, now, events = self.book, self.env.now, self.recorder.events
        kind, chance = book.kind[case], book.chance
        if kind == _QUESTION:
            if chance[0][case] < self.p_solved:
                events.extend((case, _RESOLVED, now, me))
            else:
                self.escalate(case)
        elif kind == _FIELD:
            if not book.warranty[case]:
                if chance[1][case] < self.p_declined:
                    self.recorder.note(case, _CLOSED, now, me, "quote declined")
                    return
                self.paid(case)
            events.extend((case, _LOGGED, now, me))
            self.dispatch(Job(case, book.zone[case], book.priority[case], now))
        elif kind in (_CARRY, _MAIL):  # the spares administrators check the unit's warranty when it comes in
            events.extend((case, _LOGGED, now, me))
            self.bench(case)
        elif kind == _COMPLAINT:
            if chance[2][case] < self.p_major:
                self.dispatch(Job(case, -1, 0, now, meeting=True))
            else:
                self.recorder.note(case, _RESOLVED, now, me, "complaint settled")
        else:  # a sale
            self.recorder.note(case, _RESOLVED, now, me, "sale")
            self.sold(case)



"""Work pools and shifts: long-lived workers pulling work, the fast SimPy idiom.

A :class:`WorkPool` is work waiting for any worker of one role. A worker
with nothing to do leaves a SimPy event in ``idle``; ``put`` hands new work
straight to the longest-idle worker, otherwise queues it. No process per job,
no resource request: one event per hand-over.

Shifts: a worker pulls work only inside its on-duty intervals. At the end of
a shift :func:`shift_ends` wakes the idle workers with ``None`` and they go
off duty; a worker busy at the end of a shift finishes the job in hand,
then goes off duty. Nobody starts a job outside a shift.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator, Iterable
from typing import Any

__all__ = ["WorkPool", "worker", "shift_ends", "Duty"]

#: On-duty intervals ``[(on, off), ...]`` in simulation minutes, sorted, disjoint.
Duty = list[tuple[float, float]]


class WorkPool:
    """Work waiting for one role; idle on-duty workers waiting for work."""

    def __init__(self) -> None:
        self.queue: deque[Any] = deque()
        self.idle: deque[Any] = deque()

    def put(self, item: Any) -> None:
        """New work: to the longest-idle worker on duty, else to the back of the queue."""
        if self.idle:
            self.idle.popleft().succeed(item)
        else:
            self.queue.append(item)

    def take(self) -> Any:
        """The next queued item, or ``None``."""
        return self.queue.popleft() if self.queue else None

    def release_idle(self) -> None:
        """End of a shift: every idle worker is woken with ``None`` and goes off duty."""
        idle = self.idle
        while idle:
            idle.popleft().succeed(None)


def worker(env: Any, duty: Duty, pool: WorkPool,
           serve: Callable[[Any], Generator[Any, Any, None]]) -> Generator[Any, Any, None]:
    """One worker: in each on-duty interval, take work from ``pool`` and ``serve`` it."""
    for on, off in duty:
        if env.now < on:
            yield env.timeout(on - env.now)
        while env.now < off:
            item = pool.take()
            if item is None:
                event = env.event()
                pool.idle.append(event)
                item = yield event
                if item is None:  # woken at the end of the shift
                    continue
            yield from serve(item)


def shift_ends(env: Any, offs: Iterable[float], release: Callable[[], None]) -> Generator[Any, Any, None]:
    """At each end of a shift, send the idle workers of a role off duty."""
    for off in offs:
        if off > env.now:
            yield env.timeout(off - env.now)
        release()

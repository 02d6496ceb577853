"""The spares store, behind the interface the spares issue will fill.

Here a job that needs a part gets it at once from an unlimited store. A
store with stock levels, backorders and DOA will implement the same
:class:`SparesStore` protocol: ``issue`` is a generator the engineer's process
runs (``yield from store.issue(...)``), narrating ``part_requested``,
``waiting_parts``/``parts_received`` if it must wait, and ``part_issued``.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, Protocol

from svcsim.processes.recorder import CODE, Recorder

__all__ = ["SparesStore", "UnlimitedStore"]

_REQUESTED, _ISSUED = CODE["part_requested"], CODE["part_issued"]


class SparesStore(Protocol):
    """Issues a spare part for a job."""

    def issue(self, case: int, resource: int) -> Generator[Any, Any, None]:
        """Run by the engineer's process; returns when the part is in hand."""
        ...


class UnlimitedStore:
    """A store that always has the part: requested and issued at the same minute."""

    def __init__(self, env: Any, recorder: Recorder) -> None:
        self.env = env
        self.recorder = recorder

    def issue(self, case: int, resource: int) -> Generator[Any, Any, None]:
        now = self.env.now
        self.recorder.event(case, _REQUESTED, now, resource)
        self.recorder.event(case, _ISSUED, now, resource)
        return
        yield  # a generator, like a store that makes the engineer wait

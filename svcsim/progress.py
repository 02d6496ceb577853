"""A progress bar on standard error for the long commands (simulate, replicate, compare, sweep).

On a terminal it redraws one line (``[#####.....] 12/28 days  3.1s``); when
standard error is a file or a pipe (CI logs, ``2> run.log``) it writes only
the finished line, so a log holds one line per bar, not a carriage-return
smear of every step.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

__all__ = ["progress_bar"]

WIDTH = 30


def progress_bar(unit: str, *, stream: TextIO | None = None) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback drawing ``done``/``total`` ``unit`` and the time since it was made."""
    out = sys.stderr if stream is None else stream
    live = bool(getattr(out, "isatty", lambda: False)())
    start = time.perf_counter()

    def show(done: int, total: int) -> None:
        finished = done >= total
        if not (live or finished):
            return
        filled = WIDTH * min(done, total) // max(total, 1)
        elapsed = time.perf_counter() - start
        line = f"[{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total} {unit}  {elapsed:5.1f}s"
        out.write(("\r" if live else "") + line + ("\n" if finished else ""))
        out.flush()

    return show

"""How fast is business time, against a per-minute lookup table written by hand?

Usage::

    python benchmarks/calendar_bench.py [--intervals 1000000] [--repeat 5] [--seed 0]

In one process, on the default service calendar (China, Monday to Friday
08:30-12:00 and 13:00-17:30, public holidays and make-up days from the
``holidays`` package):

- **baseline**: business minutes between two columns of instants from a
  table of cumulative open minutes, one entry per minute of the covered
  period, indexed by ``(t - t0) // 1 min``: two array lookups and a
  subtraction per interval. It is the fastest way to get the answer (at
  minute resolution, for a 2-year span, with a 1M-entry table built
  beforehand and not timed): the least a calendar has to do.
- ``ServiceCalendar.business_ns``: the same answer, exact to the
  nanosecond, from the calendar's interval tables;
- ``ServiceCalendar.deadline_ns``: the deadline 6 service hours after each start;
- ``ServiceCalendar.day_end_ns``: the end of each start's service day.

Before timing, the three are checked against each other: the calendar's
business minutes equal the baseline's on every interval (starts and ends
on whole minutes), and ``business(start, deadline) == 6 h`` wherever the
start is open. Times are medians of ``--repeat`` runs after a garbage
collection. The last line printed is JSON with ``intervals``,
``baseline_s``, ``business_s``, ``deadline_s``, ``day_end_s`` and each
one's ratio to the baseline.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time

import numpy as np
import pandas as pd

from svcsim.calendar import ServiceCalendar

NS_PER_MIN = 60 * 10**9
SPAN = (pd.Timestamp("2025-01-01", tz="Asia/Shanghai"), pd.Timestamp("2026-12-01", tz="Asia/Shanghai"))


def minute_table(calendar: ServiceCalendar, first_ns: int, minutes: int) -> np.ndarray:
    """Cumulative open minutes before each minute of ``[first, first + minutes]``."""
    instants = first_ns + np.arange(minutes, dtype=np.int64) * NS_PER_MIN
    open_minute = calendar.is_open_ns(instants).astype(np.int64)
    table = np.zeros(minutes + 1, dtype=np.int64)
    np.cumsum(open_minute, out=table[1:])
    return table


def baseline_minutes(table: np.ndarray, first_ns: int, start_ns: np.ndarray, end_ns: np.ndarray) -> np.ndarray:
    """Business minutes in ``[start, end)`` by two lookups in the per-minute table."""
    return table[(end_ns - first_ns) // NS_PER_MIN] - table[(start_ns - first_ns) // NS_PER_MIN]


def draw_intervals(n: int, seed: int, first_ns: int, minutes: int) -> tuple[np.ndarray, np.ndarray]:
    """Starts anywhere in the span on whole minutes; ends 0 to 10 days later, inside the span."""
    rng = np.random.default_rng(seed)
    start = rng.integers(0, minutes - 10 * 1440, n)
    end = start + rng.integers(0, 10 * 1440, n)
    return first_ns + start * NS_PER_MIN, first_ns + end * NS_PER_MIN


def timed(function, repeat: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        gc.collect()
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intervals", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    calendar = ServiceCalendar.build()
    first_ns, last_ns = (int(t.value) for t in SPAN)
    minutes = (last_ns - first_ns) // NS_PER_MIN
    table = minute_table(calendar, first_ns, minutes)
    start, end = draw_intervals(args.intervals, args.seed, first_ns, minutes)
    six_hours = np.full(args.intervals, 6 * 60 * NS_PER_MIN, dtype=np.int64)

    expected = baseline_minutes(table, first_ns, start, end)
    business = calendar.business_ns(start, end)
    mismatches = int((business != expected * NS_PER_MIN).sum())
    deadline = calendar.deadline_ns(start, six_hours)
    opened = calendar.is_open_ns(start)
    deadline_errors = int((calendar.business_ns(start[opened], deadline[opened]) != six_hours[opened]).sum())
    if mismatches or deadline_errors:
        print(f"business-time mismatches: {mismatches}, deadline errors: {deadline_errors}")
        return 1

    figures = {
        "baseline_s": timed(lambda: baseline_minutes(table, first_ns, start, end), args.repeat),
        "business_s": timed(lambda: calendar.business_ns(start, end), args.repeat),
        "deadline_s": timed(lambda: calendar.deadline_ns(start, six_hours), args.repeat),
        "day_end_s": timed(lambda: calendar.day_end_ns(start), args.repeat),
    }
    base = figures["baseline_s"]
    print(f"{args.intervals:,} intervals, {pd.Timestamp(first_ns, tz='UTC'):%Y-%m-%d} to "
          f"{pd.Timestamp(last_ns, tz='UTC'):%Y-%m-%d}, median of {args.repeat}")
    for name, seconds in figures.items():
        print(f"  {name[:-2]:10s} {seconds * 1000:9.1f} ms  {seconds / base:6.1f}x baseline")
    result = {"intervals": args.intervals, "repeat": args.repeat, "seed": args.seed, **figures,
              **{f"{name[:-2]}_ratio": seconds / base for name, seconds in figures.items() if name != "baseline_s"}}
    print(json.dumps({k: round(v, 5) if isinstance(v, float) else v for k, v in result.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How much faster are replications on 2 local workers, and on a 2-worker Dask cluster, than serially?

Usage::

    python benchmarks/replications_bench.py [--replications 8] [--days 28] [--repeat 3] [--scenario baseline]

Times ``svcsim.replicate(scenario, replications=8, days=28)`` (one month of
``baseline`` per replication, metrics extracted, no cache):

(a) serially in this process;
(b) with ``jobs=2``: a local process pool, created inside the timed call
    (as a user would run it);
(c) on a Dask ``LocalCluster`` of 2 worker processes with one thread each,
    through ``client.get_executor()``. The cluster is started, and each worker
    has run one replication (imports, parsed rules), before timing: a cluster
    is a long-lived service, its start-up is not part of a study. Timed
    twice: with Dask's statistical profiler off
    (``distributed.worker.profile.enabled: false``, the setting
    docs/explanation/simulation-practice.md recommends for svcsim's pure-Python
    tasks, and the one the goal is judged on) and with Dask's defaults
    (``dask_default_s``), which samples every task's stack every 10 ms.

Goals: (b) at least 1.8x faster than (a), (c) at least 1.6x. Each figure is
the median of ``--repeat`` runs after a garbage collection. The machine's
load matters, so the script first measures what two processes can gain at
all on it right now: a pure-Python loop run twice in one process against once
in each of two processes (``machine_speedup``; about 2.0 on an idle
two-core machine). Compare figures only from the same quiet machine. The
last line printed is one JSON object; the exit status is 0 when both goals
are met.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import time
from concurrent.futures import ProcessPoolExecutor

from svcsim.replications import replicate

POOL_GOAL, DASK_GOAL = 1.8, 1.6


def _median_seconds(repeat: int, call) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _burn(_: int) -> float:
    total = 0
    for i in range(5_000_000):
        total += i
    return float(total)


def machine_speedup() -> float:
    """How much faster two CPU-bound processes finish two loops than one process does (2.0: two free cores)."""
    start = time.perf_counter()
    _burn(0)
    _burn(1)
    one = time.perf_counter() - start
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_burn, [0, 1]))  # start the workers
        start = time.perf_counter()
        list(pool.map(_burn, [0, 1]))
        two = time.perf_counter() - start
    return one / two


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--replications", type=int, default=8)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-dask", dest="dask", action="store_false", help="skip the Dask cluster")
    args = parser.parse_args()
    from svcsim.scenario import load_scenario

    scenario = load_scenario(args.scenario)
    common = {"replications": args.replications, "days": args.days, "seed": 0}
    replicate(scenario, replications=1, days=args.days)  # warm this process: imports, parsed rules
    before = machine_speedup()
    print(f"machine: two processes run a CPU loop {before:.2f}x faster than one (2.0 = two free cores)")

    serial = _median_seconds(args.repeat, lambda: replicate(scenario, **common))
    print(f"serial:            {serial:7.2f} s  ({args.replications} x {args.days} days of {scenario.name})")
    pool = _median_seconds(args.repeat, lambda: replicate(scenario, jobs=2, **common))
    print(f"2 local workers:   {pool:7.2f} s  speed-up {serial / pool:.2f}x (goal {POOL_GOAL}x)")
    dask = dask_default = None
    if args.dask:
        import dask as dask_config
        from distributed import Client, LocalCluster

        timings = {}
        for profiler in (False, True):
            with dask_config.config.set({"distributed.worker.profile.enabled": profiler}), \
                    LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster, \
                    Client(cluster) as client:
                executor = client.get_executor()
                client.run(_warm_worker, args.scenario, args.days)  # every worker: imports, rules, calendars
                timings[profiler] = _median_seconds(args.repeat, lambda: replicate(scenario, executor=executor, **common))  # noqa: B023
        dask, dask_default = timings[False], timings[True]
        print(f"2 Dask workers:    {dask:7.2f} s  speed-up {serial / dask:.2f}x (goal {DASK_GOAL}x; profiler off)")
        print(f"  Dask defaults:   {dask_default:7.2f} s  speed-up {serial / dask_default:.2f}x (profiler on)")
    after = machine_speedup()
    print(f"machine afterwards: {after:.2f}x")
    record = {
        "scenario": scenario.name, "replications": args.replications, "days": args.days, "repeat": args.repeat,
        "serial_s": round(serial, 3), "pool_s": round(pool, 3), "pool_speedup": round(serial / pool, 3),
        "dask_s": None if dask is None else round(dask, 3),
        "dask_speedup": None if dask is None else round(serial / dask, 3),
        "dask_default_s": None if dask_default is None else round(dask_default, 3),
        "dask_default_speedup": None if dask_default is None else round(serial / dask_default, 3),
        "machine_speedup_before": round(before, 3), "machine_speedup_after": round(after, 3),
        "pool_goal": POOL_GOAL, "dask_goal": DASK_GOAL, "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()], "python": platform.python_version(),
    }
    met = serial / pool >= POOL_GOAL and (dask is None or serial / dask >= DASK_GOAL)
    record["goals_met"] = met
    print(json.dumps(record))
    return 0 if met else 1


def _warm_worker(scenario: str, days: int) -> None:
    """Run one replication in a worker, so that timing starts with every worker warm (as the serial run is)."""
    from svcsim import replicate as warm

    warm(scenario, replications=1, days=days, seed=99)


if __name__ == "__main__":
    raise SystemExit(main())

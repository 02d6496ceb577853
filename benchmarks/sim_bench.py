"""How fast is the simulator, against a bare SimPy M/M/c with the same number of calls?

Usage::

    python benchmarks/sim_bench.py [--quick] [--calls 200000] [--baseline-days 365] [--repeat 1] [--seed 0]

In one process:

(a) ``svcsim.simulate(mmc(9, 1, 10))`` for about ``--calls`` calls (the horizon
    is the number of days that gives that many calls on average), event log
    built, against a bare SimPy M/M/c (a process per customer and a
    ``simpy.Resource``, exponential gaps and service drawn with numpy up
    front, waits appended to a list) run on exactly as many calls as svcsim
    simulated. Goal: svcsim at most 1.0x bare SimPy's time.
(b) One simulated year of ``baseline``: calls per second of wall time, and its
    time relative to the bare SimPy M/M/c with the same number of calls.
    Goal: at most 5x.
(c) The same baseline year with its spares store on (``store = "base_stock"``,
    as shipped: stock levels, backorders, revisits) against parts off
    (``store = "unlimited"``: every part issued at once; the vendor loop and
    DOA still run), same seed. The two are run alternately ``--repeat``
    times each (so a change of machine load hits both alike); the ratio is
    of their median wall times (the median CPU times' ratio is printed too).
    Goal: at most 1.3x.

Times are the median of ``--repeat`` runs, each after a garbage collection.
``--quick``: 50,000 calls and 120 baseline days (fixed costs weigh more in
small runs, so its ratios are a little worse). The last line printed is one
JSON object with ``mmc_ratio``, ``baseline_ratio``, ``baseline_calls``,
``baseline_s``, ``parts_on_s``, ``parts_off_s``, ``parts_ratio`` (and more);
the exit status is 0 when all three goals are met, 1 if not.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import platform
import statistics
import time

import numpy as np
import simpy

from svcsim.scenario import load_scenario, with_changes
from svcsim.scenarios import mmc
from svcsim.simulation import simulate

MMC_GOAL, BASELINE_GOAL, PARTS_GOAL = 1.0, 5.0, 1.3


def bare_mmc(n_calls: int, arrival_rate: float = 9.0, service_rate: float = 1.0, servers: int = 10,
             seed: int = 0) -> list[float]:
    """A textbook SimPy M/M/c: one process per customer and a Resource. Rates per hour, minutes."""
    rng = np.random.default_rng(seed)
    gaps = rng.exponential(60.0 / arrival_rate, n_calls).tolist()
    service = rng.exponential(60.0 / service_rate, n_calls).tolist()
    env = simpy.Environment()
    desk = simpy.Resource(env, servers)
    waits: list[float] = []

    def customer(i: int):  # noqa: ANN202
        arrived = env.now
        with desk.request() as request:
            yield request
            waits.append(env.now - arrived)
            yield env.timeout(service[i])

    def source():  # noqa: ANN202
        for i in range(n_calls):
            yield env.timeout(gaps[i])
            env.process(customer(i))

    env.process(source())
    env.run()
    return waits


def timed(function, repeat: int):  # noqa: ANN001, ANN201
    """Median wall time of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def calls_in(run) -> int:  # noqa: ANN001
    return int((run.events["activity"] == "call_received").sum())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="50,000 calls and 120 baseline days")
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--baseline-days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.quick:
        args.calls, args.baseline_days = 50_000, 120

    days = math.ceil(args.calls / (9.0 * 24))
    scenario = mmc(9.0, 1.0, 10, days=days)
    simulate(mmc(9.0, 1.0, 10, days=1))  # warm imports and caches
    svcsim_s, run = timed(lambda: simulate(scenario, seed=args.seed), args.repeat)
    n_mmc = calls_in(run)
    bare_s, _ = timed(lambda: bare_mmc(n_mmc, seed=args.seed), args.repeat)
    mmc_ratio = svcsim_s / bare_s
    print(f"(a) mmc(9, 1, 10), {days} days: {n_mmc:,} calls, {len(run.events):,} events")
    print(f"    svcsim (event log built) {svcsim_s:7.2f} s   bare SimPy {bare_s:7.2f} s   "
          f"ratio {mmc_ratio:.2f} (goal <= {MMC_GOAL})")

    base_s, base_run = timed(lambda: simulate("baseline", seed=args.seed, days=args.baseline_days, warmup_days=0), args.repeat)
    n_base = calls_in(base_run)
    bare_base_s, _ = timed(lambda: bare_mmc(n_base, seed=args.seed), args.repeat)
    baseline_ratio = base_s / bare_base_s
    print(f"(b) baseline, {args.baseline_days} days: {n_base:,} calls, {len(base_run.events):,} events, "
          f"{base_run.log.n_cases:,} cases")
    print(f"    svcsim {base_s:7.2f} s ({n_base / base_s:,.0f} calls/s)   bare SimPy M/M/c on {n_base:,} calls "
          f"{bare_base_s:6.2f} s   ratio {baseline_ratio:.2f} (goal <= {BASELINE_GOAL})")
    baseline = load_scenario("baseline")
    parts_off = with_changes(baseline, {"spares.store": "unlimited"})
    walls: dict[str, list[float]] = {"on": [], "off": []}
    cpus: dict[str, list[float]] = {"on": [], "off": []}
    runs = {}
    for _ in range(args.repeat):
        for key, scenario in (("on", baseline), ("off", parts_off)):
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            runs[key] = simulate(scenario, seed=args.seed, days=args.baseline_days, warmup_days=0)
            walls[key].append(time.perf_counter() - wall)
            cpus[key].append(time.process_time() - cpu)
    on_s, off_s = statistics.median(walls["on"]), statistics.median(walls["off"])
    parts_ratio = on_s / off_s
    cpu_ratio = statistics.median(cpus["on"]) / statistics.median(cpus["off"])
    waited = int((runs["on"].events["activity"] == "waiting_parts").sum())
    print(f"(c) baseline, {args.baseline_days} days, parts on (base stock): {on_s:7.2f} s, "
          f"{len(runs['on'].events):,} events, {waited:,} waits for parts")
    print(f"    parts off (unlimited store): {off_s:7.2f} s, {len(runs['off'].events):,} events   "
          f"ratio {parts_ratio:.2f} (goal <= {PARTS_GOAL}; CPU time ratio {cpu_ratio:.2f})")
    ok = mmc_ratio <= MMC_GOAL and baseline_ratio <= BASELINE_GOAL and parts_ratio <= PARTS_GOAL
    print(json.dumps({
        "mmc_calls": n_mmc, "mmc_s": round(svcsim_s, 3), "bare_mmc_s": round(bare_s, 3),
        "mmc_ratio": round(mmc_ratio, 3), "baseline_days": args.baseline_days, "baseline_calls": n_base,
        "baseline_s": round(base_s, 3), "baseline_calls_per_s": round(n_base / base_s, 1),
        "bare_baseline_s": round(bare_base_s, 3), "baseline_ratio": round(baseline_ratio, 3),
        "parts_on_s": round(on_s, 3), "parts_off_s": round(off_s, 3), "parts_ratio": round(parts_ratio, 3),
        "parts_cpu_ratio": round(cpu_ratio, 3),
        "parts_waits": waited,
        "goals_met": ok, "python": platform.python_version(), "simpy": simpy.__version__,
    }))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""How fast is batch-fault detection? Against a plain pandas count of faults per batch and month.

In one process: generate the synthetic log of ``rules_bench.py`` (1,000,000
tickets by default, with its ``model`` and ``batch`` case columns), then
time, alternately and after a garbage collection each, ``--repeat`` times:

1. **baseline**: plain pandas, the least a batch report must do: the first
   event of each case (``np.minimum.at`` on the ``case_id`` codes), the fault
   reports (tickets without a parent) with their batch, and a
   ``groupby([batch, month]).size()`` in the center's zone;
2. **detector**: :func:`svcsim.metrics.batches.batch_flags` on the same log
   with the installed base given (daily counts, the Poisson CUSUM of every
   batch, the evidence and the part of each flag).

It prints both medians and their ratio (the goal: at most 2). The
thresholds are cached by (mean, shift, ARL) once computed; the first
detector run, which computes them, is timed too and printed apart.

    python benchmarks/batches_bench.py                 # 1,000,000 tickets, median of 5
    python benchmarks/batches_bench.py --tickets 100000 --repeat 3
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from svcsim.metrics.batches import batch_flags

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import BATCHES, ZONE, synthetic_log  # noqa: E402

GOAL_RATIO = 2.0


def baseline(log) -> pd.Series:  # noqa: ANN001
    """Faults (tickets without a parent) per batch and local calendar month: a plain pandas groupby count.

    The first event of each case is found the fast way, as in
    ``rules_bench.py``'s baseline (``np.minimum.at`` on the ``case_id``
    codes; a pandas ``groupby(...).min()`` is about 8x slower on 8.6 million
    events), then the cases are matched to those codes and counted with
    ``groupby([batch, month]).size()``.
    """
    events, cases = log.events, log.cases
    case = events["case_id"]
    first = np.full(len(case.cat.categories), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, case.cat.codes.to_numpy(), events["timestamp"].array.asi8)
    code = pd.Index(case.cat.categories).get_indexer(cases["case_id"])
    fault = (cases["case_type"] == "ticket").to_numpy() & cases["parent_id"].isna().to_numpy()
    when = pd.DatetimeIndex(first[code[fault]].view("M8[ns]")).tz_localize("UTC").tz_convert(ZONE)
    month = when.year.to_numpy() * 12 + when.month.to_numpy() - 1
    batch = cases["batch"].to_numpy()[fault]
    return pd.DataFrame({"batch": batch, "month": month}).groupby(["batch", "month"], observed=True).size()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    log = synthetic_log(args.tickets, seed=args.seed)
    print(f"synthetic log: {args.tickets:,} tickets, {len(log.events):,} events, {len(log.cases):,} cases "
          f"({time.perf_counter() - began:.1f} s)")
    units = {batch: share for (_, batch), share in BATCHES.items()}
    gc.collect()
    t0 = time.perf_counter()
    check = batch_flags(log, installed_base=units, zone=ZONE)
    first_run = time.perf_counter() - t0
    base_times, detector_times = [], []
    for _ in range(args.repeat):
        gc.collect()
        t0 = time.perf_counter()
        counts = baseline(log)
        base_times.append(time.perf_counter() - t0)
        gc.collect()
        t0 = time.perf_counter()
        check = batch_flags(log, installed_base=units, zone=ZONE)
        detector_times.append(time.perf_counter() - t0)
    base, detector = statistics.median(base_times), statistics.median(detector_times)
    ratio = statistics.median(d / b for d, b in zip(detector_times, base_times, strict=True))
    print(f"baseline (groupby count per batch and month): {base:.3f} s median of {args.repeat} "
          f"({int(counts.sum()):,} faults)")
    print(f"detector (batch_flags): {detector:.3f} s median of {args.repeat}; first run, thresholds computed: "
          f"{first_run:.3f} s; {len(check.flags)} flags over {len(check.batches)} batches")
    print(f"ratio detector / baseline: {ratio:.2f} (median of the {args.repeat} paired ratios; goal <= {GOAL_RATIO})")
    return 0 if ratio <= GOAL_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())

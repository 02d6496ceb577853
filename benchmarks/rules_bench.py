"""How fast is the rule engine, against a hand-written baseline and the per-case oracle?

Usage::

    python benchmarks/rules_bench.py [--tickets 1000000] [--oracle-tickets 50000]
                                     [--repeat 5] [--seed 0] [--quick]

In one process: generate a synthetic log (``benchmarks/synthetic.py``), then
time (median of ``--repeat`` runs; the baseline's runs and the engine's are
taken in turn, baseline then engine, and the ratio is of those two medians;
the engine's first run in the process, which loads the compiled kernels, is
timed apart as ``engine_first_s`` and left out of the median, as the
baseline's runs alone come before its timed ones)

- the **baseline**: hand-written numpy on the same log, the first timestamp per
  (case, activity) pivoted to a cases x activities matrix with
  ``np.minimum.at`` on the categoricals' integer codes, then one 4-hour
  wall-clock verdict ``dispatched - ticket_logged <= 4 h``;
- the **engine**: ``svcsim.check(log, as_of=...)`` with the whole default rule set,
  as a user runs it (rules evaluated on as many threads as ``check`` picks,
  ``engine_threads``), and again held to one thread (``engine_1thread_s``);
- the **oracle**: ``svcsim.rules.oracle.check_oracle`` on the first
  ``--oracle-tickets`` tickets and their items (run once: it is slow), and the
  engine on that same slice.

Goals (the issue): engine <= 4x baseline; oracle >= 25x slower per ticket than
the engine on the full log; peak RSS < 3 GiB at 1M tickets. Memory is measured
without tracemalloc (which would slow the engine several times over): the peak
resident set size from ``getrusage(RUSAGE_SELF).ru_maxrss``, and the peak of
the engine phase alone by resetting the kernel's high-water mark (``5`` to
``/proc/self/clear_refs``, Linux) just before it and reading ``ru_maxrss``
(which follows that mark, like ``VmHWM``) after.

The last line printed is one JSON object (``tickets``, ``events``,
``engine_s``, ``baseline_s``, ``ratio_to_baseline``, ``oracle_ratio``,
``peak_mib`` and more); the exit status is 0 when every goal is met, 1 when
one is missed and 2 when the engine or the oracle could not be run.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import resource
import statistics
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

try:
    from svcsim.eventlog.log import EventLog
except ImportError:  # pragma: no cover - a message, not a traceback
    sys.exit("svcsim is not importable: run `pip install -e '.[test]'` in the repository first")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import END, ZONE, synthetic_log  # noqa: E402

GOAL_RATIO_TO_BASELINE = 4.0
GOAL_ORACLE_RATIO = 25.0
GOAL_PEAK_MIB = 3 * 1024
FOUR_HOURS_NS = 4 * 3600 * 10**9
MISSING = np.iinfo(np.int64).max


# -- the baseline ----------------------------------------------------------------
def first_times(log: EventLog) -> tuple[np.ndarray, pd.Index]:
    """First timestamp (int64 ns, UTC) per case and activity: a cases x activities matrix.

    Rows follow the case categories (``pd.factorize`` order if ``case_id`` is
    not categorical), columns the activity categories; ``MISSING`` where a case
    has no such event.
    """
    events = log.events
    case = events["case_id"]
    if isinstance(case.dtype, pd.CategoricalDtype):
        case_code, n_cases = case.cat.codes.to_numpy(), len(case.cat.categories)
    else:
        case_code, uniques = pd.factorize(case)
        n_cases = len(uniques)
    activity = events["activity"].cat
    n_act = len(activity.categories)
    flat = case_code.astype(np.int64) * n_act + activity.codes.to_numpy()
    first = np.full(n_cases * n_act, MISSING, dtype=np.int64)
    np.minimum.at(first, flat, events["timestamp"].array.asi8)
    return first.reshape(n_cases, n_act), activity.categories


def baseline(log: EventLog) -> dict[str, int]:
    """The pivot and one verdict: ``dispatched - ticket_logged <= 4 h`` on the wall clock."""
    first, activities = first_times(log)
    logged = first[:, activities.get_loc("ticket_logged")]
    dispatched = first[:, activities.get_loc("dispatched")]
    has_logged, has_dispatched = logged != MISSING, dispatched != MISSING
    both = has_logged & has_dispatched
    met = both & (dispatched - logged <= FOUR_HOURS_NS)
    return {
        "met": int(met.sum()),
        "breached": int((both & ~met).sum()),
        "not_dispatched": int((has_logged & ~has_dispatched).sum()),
    }


# -- measuring -------------------------------------------------------------------
def progress(message: str) -> None:
    """A progress line on stderr (stdout keeps the table and the JSON line)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def timed_pairs(first: Callable[[], object], second: Callable[[], object], repeat: int,
                labels: tuple[str, str]) -> tuple[list[float], list[float], object]:
    """Wall times of ``repeat`` runs of ``first`` and ``second`` taken in turn (first, second, first, ...).

    On a shared machine whose speed drifts, runs taken in turn see the same
    conditions, so the ratio of their medians is not skewed by a slow spell
    that fell on one of them only. Returns both lists of times and the last
    result of ``second``.
    """
    a_times, b_times, result = [], [], None
    for run in range(1, repeat + 1):
        for fn, times, label in ((first, a_times, labels[0]), (second, b_times, labels[1])):
            result = None  # free the previous run's result: peak memory is one run's
            gc.collect()
            t0 = time.perf_counter()
            value = fn()
            times.append(time.perf_counter() - t0)
            if fn is second:
                result = value
            del value
            progress(f"{label}, run {run}/{repeat}: {times[-1]:.3f} s")
    return a_times, b_times, result


def timed(fn: Callable[[], object], repeat: int, label: str) -> tuple[float, object]:
    """Median wall time of ``repeat`` calls (after a collection each), and the last result."""
    times, result = [], None
    for run in range(1, repeat + 1):
        result = None  # free the previous run's result: peak memory is one run's
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
        progress(f"{label}, run {run}/{repeat}: {times[-1]:.3f} s")
    return statistics.median(times), result


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far (or since the last reset), MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 2**20  # KiB on Linux


def current_rss_mib() -> float | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark (Linux >= 4.0); False where that is not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


# -- the slice for the oracle ---------------------------------------------------
def ticket_slice(log: EventLog, tickets: int) -> EventLog:
    """The first ``tickets`` tickets (by case id) with their events and their items."""
    cases = log.cases
    ticket_ids = np.sort(cases.loc[cases["case_type"] == "ticket", "case_id"].to_numpy(dtype=object))
    chosen = pd.Index(ticket_ids[:tickets])
    keep = cases["case_id"].isin(chosen) | (
        (cases["case_type"] == "item") & cases["parent_id"].astype(object).isin(chosen)
    )
    sub_cases = cases.loc[keep.to_numpy()].reset_index(drop=True)
    events = log.events
    sub_events = events.loc[events["case_id"].isin(sub_cases["case_id"]).to_numpy()].reset_index(drop=True)
    if isinstance(sub_events["case_id"].dtype, pd.CategoricalDtype):
        sub_events["case_id"] = sub_events["case_id"].cat.remove_unused_categories()
    return EventLog.from_frames(sub_events, sub_cases, source="benchmarks.rules_bench slice")


def status_mismatches(engine: pd.DataFrame, oracle: pd.DataFrame) -> int | None:
    """Rows whose status differs between the engine and the oracle (None if not comparable)."""
    keys = [c for c in ("rule_id", "case_id", "cycle", "repeat") if c in engine and c in oracle]
    if "case_id" not in keys or "status" not in engine or "status" not in oracle:
        return None
    left = engine[[*keys, "status"]].astype(str)
    right = oracle[[*keys, "status"]].astype(str)
    merged = left.merge(right, on=keys, how="outer", suffixes=("_engine", "_oracle"), indicator=True)
    return int(((merged["_merge"] != "both") | (merged["status_engine"] != merged["status_oracle"])).sum())


# -- the run ---------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=None, help="tickets to generate (default 1,000,000)")
    parser.add_argument("--oracle-tickets", type=int, default=None, help="tickets in the oracle slice (default 50,000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing; the median is reported")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="100,000 tickets and a 5,000-ticket oracle slice")
    args = parser.parse_args(argv)
    tickets = args.tickets or (100_000 if args.quick else 1_000_000)
    oracle_tickets = min(args.oracle_tickets or (5_000 if args.quick else 50_000), tickets)
    repeat = max(1, args.repeat)
    as_of = pd.Timestamp(END, tz=ZONE).tz_convert("UTC")

    out: dict[str, object] = {"tickets": tickets, "seed": args.seed, "repeat": repeat}
    rows: list[tuple[str, str]] = []

    progress(f"generating {tickets:,} tickets (seed {args.seed})")
    t0 = time.perf_counter()
    log = synthetic_log(tickets, seed=args.seed)
    out["generate_s"] = round(time.perf_counter() - t0, 3)
    out["events"] = len(log.events)
    out["items"] = int((log.cases["case_type"] == "item").sum())
    rows += [("synthetic log", f"{tickets:,} tickets, {out['items']:,} items, {len(log.events):,} events"),
             ("  generated in", f"{out['generate_s']:.2f} s")]

    baseline_s, verdict = timed(lambda: baseline(log), repeat, "baseline")
    out["baseline_s"] = round(baseline_s, 4)
    rows += [("baseline (numpy pivot + 4 h)", f"{baseline_s:.3f} s"),
             ("  dispatch within 4 h (wall)", ", ".join(f"{k} {v:,}" for k, v in verdict.items()))]
    gc.collect()
    out["peak_before_engine_mib"] = round(peak_rss_mib(), 1)
    rss = current_rss_mib()
    out["rss_before_engine_mib"] = None if rss is None else round(rss, 1)

    out["python"] = platform.python_version()
    out["numpy"], out["pandas"] = np.__version__, pd.__version__
    notes: list[str] = []
    try:
        status = _engine_part(log, as_of, repeat, oracle_tickets, tickets, out, rows, notes)
    except Exception as error:  # the figures so far still matter; the last line stays JSON
        traceback.print_exc()
        out["error"] = f"{type(error).__name__}: {error}"
        rows.append(("engine", f"FAILED: {out['error']}"))
        status = 2

    _print_table(rows)
    for note in notes:
        print(note, end="\n\n")
    print(json.dumps(out))
    return status


def _find_engine() -> tuple:
    """``(check, load_rules, check_oracle)``; a part not written yet is None."""
    try:
        from svcsim import check
    except ImportError:
        try:  # before the top-level re-export exists
            from svcsim.rules import check
        except ImportError:
            check = None
    try:
        from svcsim.rules import load_rules
        from svcsim.rules.oracle import check_oracle
    except ImportError:
        load_rules = check_oracle = None
    return check, load_rules, check_oracle


def _engine_part(log, as_of, repeat, oracle_tickets, tickets, out, rows, notes) -> int:
    """Time the engine, the oracle and the engine on the slice; fill ``out``, ``rows``, ``notes``."""
    check, load_rules, check_oracle = _find_engine()
    if check is None:
        out.update(engine_s=None, ratio_to_baseline=None, oracle_ratio=None,
                   peak_mib=out["peak_before_engine_mib"], goal_met=None,
                   error="svcsim.check is not available yet: the engine was not run")
        rows.append(("engine", "NOT RUN: svcsim.check is not available yet"))
        return 2

    engine_phase_reset = reset_peak_rss()
    # The first check in a process loads the compiled kernels and touches memory the process never had:
    # timed on its own and reported, then the timed pairs measure the steady state, as the baseline's
    # (warmed by its runs alone) is.
    gc.collect()
    t0 = time.perf_counter()
    first = check(log, as_of=as_of)
    out["engine_first_s"] = round(time.perf_counter() - t0, 4)
    del first
    progress(f"engine, first run in the process (not in the median): {out['engine_first_s']:.3f} s")
    base_times, engine_times, result = timed_pairs(lambda: baseline(log), lambda: check(log, as_of=as_of), repeat,
                                                   ("baseline (in turn with the engine)", "engine"))
    engine_peak = peak_rss_mib()
    engine_s = statistics.median(engine_times)
    out["baseline_alone_s"] = out["baseline_s"]
    out["baseline_s"] = round(statistics.median(base_times), 4)
    out["engine_s"] = round(engine_s, 4)
    out["ratio_to_baseline"] = round(engine_s / out["baseline_s"], 2)
    out["ratio_range"] = [round(min(e / b for b, e in zip(base_times, engine_times, strict=True)), 2),
                          round(max(e / b for b, e in zip(base_times, engine_times, strict=True)), 2)]
    out["engine_peak_mib"] = round(engine_peak, 1) if engine_phase_reset else None
    out["peak_mib"] = round(max(engine_peak, out["peak_before_engine_mib"]), 1)
    out["peak_method"] = "getrusage ru_maxrss" + (" + clear_refs/VmHWM per phase" if engine_phase_reset else "")
    results = result.results
    out["result_rows"] = len(results)
    rows += [("engine (default rules)", f"{engine_s:.3f} s  = {out['ratio_to_baseline']:.2f}x baseline "
              f"{out['baseline_s']:.3f} s (runs in turn; run ratios {out['ratio_range'][0]:.2f}-{out['ratio_range'][1]:.2f})"),
             ("  first run in the process", f"{out['engine_first_s']:.3f} s (loads the compiled kernels; not in the median)"),
             ("  result rows", f"{len(results):,}"),
             ("peak RSS (process)", f"{out['peak_mib']:,.0f} MiB"),
             ("  engine phase peak", "n/a" if out["engine_peak_mib"] is None else f"{out['engine_peak_mib']:,.0f} MiB"),
             ("  before the engine", f"{out['peak_before_engine_mib']:,.0f} MiB peak (generation, baseline)")]
    notes.append(_statuses_by_rule(results))
    del result, results
    gc.collect()
    threads = _engine_threads(len(log.events))
    out["engine_threads"] = threads
    if threads is not None and threads > 1:  # the same engine held to one thread, for comparison
        one_s, _ = timed(lambda: check(log, as_of=as_of, threads=1), repeat, "engine, one thread")
        out["engine_1thread_s"] = round(one_s, 4)
        out["ratio_1thread"] = round(one_s / out["baseline_s"], 2)
        rows.append(("  held to one thread", f"{one_s:.3f} s  = {out['ratio_1thread']:.2f}x baseline ({threads} threads above)"))
        gc.collect()
    phases = _engine_phases(log, as_of)
    out["engine_phases_s"] = phases
    if phases:
        rows.append(("  phases (one more run)", ", ".join(f"{k} {v:.2f}" for k, v in phases.items()) + " s"))
    gc.collect()

    if check_oracle is None:
        out["oracle_ratio"] = None
        out["error"] = "svcsim.rules.oracle.check_oracle is not available yet: the oracle was not run"
        rows.append(("oracle", "NOT RUN: svcsim.rules.oracle.check_oracle is not available yet"))
        return 2

    part = ticket_slice(log, oracle_tickets)
    rules = load_rules(None)
    progress(f"oracle on {oracle_tickets:,} tickets ({part.n_cases:,} cases, {len(part.events):,} events)")
    t0 = time.perf_counter()
    oracle_rows = check_oracle(part, rules, as_of)
    oracle_s = time.perf_counter() - t0
    progress(f"oracle: {oracle_s:.2f} s")
    engine_slice_s, slice_result = timed(lambda: check(part, as_of=as_of), repeat, "engine on the slice")
    out["oracle_tickets"] = oracle_tickets
    out["oracle_s"] = round(oracle_s, 3)
    out["oracle_ratio"] = round((oracle_s / oracle_tickets) / (engine_s / tickets), 1)
    out["engine_slice_s"] = round(engine_slice_s, 4)
    out["oracle_ratio_same_slice"] = round(oracle_s / engine_slice_s, 1)
    try:
        out["slice_status_mismatches"] = status_mismatches(slice_result.results, oracle_rows)
    except Exception as error:  # a comparison that cannot be made is reported, not fatal
        out["slice_status_mismatches"] = f"not comparable: {error}"
    rows += [(f"oracle ({oracle_tickets:,}-ticket slice)", f"{oracle_s:.2f} s, {len(part.events):,} events"),
             ("  engine on the slice", f"{engine_slice_s:.3f} s"),
             ("  oracle / engine per ticket", f"{out['oracle_ratio']:.1f}x (engine on the full log), "
                                              f"{out['oracle_ratio_same_slice']:.1f}x (same slice)"),
             ("  status mismatches on the slice", str(out["slice_status_mismatches"]))]

    goals = {
        "ratio_to_baseline<=4": out["ratio_to_baseline"] <= GOAL_RATIO_TO_BASELINE,
        "oracle_ratio>=25": out["oracle_ratio"] >= GOAL_ORACLE_RATIO,
        "peak_mib<3072": out["peak_mib"] < GOAL_PEAK_MIB,
    }
    out["goals"] = goals
    out["goal_met"] = all(goals.values())
    rows.append(("goals", ", ".join(f"{k} {'met' if v else 'MISSED'}" for k, v in goals.items())))
    return 0 if out["goal_met"] else 1


def _engine_threads(n_events: int) -> int | None:
    """How many threads ``check`` uses on ``n_events`` here (None: an engine without the setting)."""
    try:
        from svcsim.rules.engine import default_threads
    except ImportError:
        return None
    return default_threads(n_events)


def _engine_phases(log, as_of) -> dict[str, float] | None:  # noqa: ANN001
    """Wall time of each phase of one more ``check`` (load_rules, prepare, rules, result frame, summary, escalations).

    The rules phase includes writing the rows into the result table (on
    threads, as ``check`` does: all rules first, the prepared log freed, then
    the table), and the result frame phase is putting them in order and
    making the DataFrame.

    Uses the engine's internals; None when they are not there (the figure is
    only a breakdown, the timing above is the measurement).
    """
    try:
        from svcsim.rules import engine
    except ImportError:
        return None
    needed = ("load_rules", "to_as_of_ns", "prepare", "evaluate_all", "to_frame", "summarise", "escalations")
    if not all(hasattr(engine, name) for name in needed):
        return None
    phases: dict[str, float] = {}
    t0 = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal t0
        now = time.perf_counter()
        phases[name] = round(now - t0, 4)
        t0 = now

    try:
        rules = engine.load_rules(None)
        lap("load_rules")
        wanted = engine._activities(rules) if hasattr(engine, "_activities") else None
        threads = _engine_threads(len(log.events))  # as check picks them; None for an engine without threads
        on_threads = {"threads": threads} if threads else {}
        prepared = engine.prepare(log, engine.to_as_of_ns(as_of), wanted, **on_threads) if wanted is not None else engine.prepare(log, engine.to_as_of_ns(as_of))
        lap("prepare")
        if threads and threads > 1 and hasattr(engine, "evaluated_parts"):  # as check does on threads
            parts = engine.evaluated_parts(rules, prepared, threads)
            case_ids, case_dtype, as_of_ns, n_cases = prepared.case_ids, prepared.case_dtype, prepared.as_of, prepared.n_cases
            del prepared  # freed before the table is made
            table = engine._table(rules, n_cases) if hasattr(engine, "_table") else engine.TableBuilder(rules.ids(), n_cases)
            table.add_all(parts, threads=threads)
            del parts
            lap("rules")
            results = table.frame(case_ids, case_dtype)
            del table
        elif hasattr(engine, "evaluate_into"):  # rows go into the table rule by rule
            table = engine.evaluate_into(rules, prepared, **on_threads)
            lap("rules")
            case_ids, case_dtype, as_of_ns = prepared.case_ids, prepared.case_dtype, prepared.as_of
            del prepared  # the sorted events are freed before the table is put in order
            results = table.frame(case_ids, case_dtype)
            del table
        else:
            parts = engine.evaluate_all(rules, prepared)
            lap("rules")
            extra = (prepared.case_dtype,) if hasattr(prepared, "case_dtype") else ()
            as_of_ns = prepared.as_of
            kinds = {"kinds": engine.KIND_NAMES} if hasattr(engine, "KIND_NAMES") else {}
            results = engine.to_frame(parts, prepared.case_ids, rules.ids(), *extra, **kinds)
            del parts
        lap("result_frame")
        engine.summarise(results, rules)
        lap("summary")
        engine.escalations(results, pd.Timestamp(as_of_ns, unit="ns", tz="UTC"))
        lap("escalations")
    except Exception as error:  # a breakdown that cannot be made is reported, not fatal
        progress(f"phase breakdown not available: {type(error).__name__}: {error}")
        return None
    progress("engine phases: " + ", ".join(f"{k} {v:.3f} s" for k, v in phases.items()))
    return phases


def _statuses_by_rule(results: pd.DataFrame) -> str:
    """The engine's result rows per rule and status (statuses that occur), as text."""
    if "rule_id" not in results or "status" not in results:
        return "(no rule_id / status columns in the results)"
    table = pd.crosstab(results["rule_id"].astype(str), results["status"].astype(str))
    table = table.loc[:, table.sum() > 0]
    return "engine results on the full log, rows per rule and status:\n" + table.to_string()


def _print_table(rows: list[tuple[str, str]]) -> None:
    width = max(len(name) for name, _ in rows)
    print()
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print()


if __name__ == "__main__":
    sys.exit(main())

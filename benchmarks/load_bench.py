"""Loading and validating a live export through a mapping, against plain pandas.read_csv.

Writes the synthetic log (``benchmarks/synthetic.py``) as a ticketing
system would export it (its own column names and status words, day-first
local timestamps without offset, case attributes on every row), then times
in the same run, each in a fresh child process so that peak memory is its
own (median of ``--repeat``):

- the baseline: ``pandas.read_csv`` of the file, all columns as text;
- ``svcsim.load_events`` of the file through its mapping (read, both stages
  of validation, the case table, the EventLog).

    python benchmarks/load_bench.py [--tickets 1000000] [--repeat 3]

The last line printed is JSON with ``rows``, ``read_csv_s``, ``load_s``,
``ratio``, ``rows_per_s``, ``read_csv_peak_mib``, ``load_peak_mib``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

WORDS = {
    "call_received": "Call In", "call_answered": "Call Answered", "ticket_logged": "Logged", "dispatched": "Assigned",
    "arrived_on_site": "On Site", "part_requested": "Part Requested", "part_issued": "Part Issued",
    "waiting_parts": "Waiting Parts", "parts_received": "Parts In", "customer_delay": "Customer Hold",
    "customer_ready": "Customer Ready", "completed": "Done", "bad_part_returned": "Bad Part Back",
    "callback_made": "Callback", "closed": "Closed", "unit_received": "Unit In", "repaired": "Repaired",
    "unit_shipped": "Unit Out", "item_received": "Item In", "sent_to_vendor": "To Vendor",
    "vendor_confirmed": "Vendor Confirmed", "user_informed": "User Informed", "user_contacted": "User Contacted",
    "returned_from_vendor": "Back From Vendor", "scrapped": "Scrapped",
}

MAPPING = """
[columns]
case_id = "Ticket"
activity = "Status"
timestamp = "Updated"
[timestamps]
format = "%d/%m/%Y %H:%M:%S"
timezone = "Asia/Shanghai"
[case_attributes]
case_type = "Type"
zone = "Area"
fault = "Fault"
device_id = "Device"
[activities.map]
""" + "\n".join(f'"{w}" = "{a}"' for a, w in WORDS.items()) + "\n"


def write_export(tickets: int, folder: Path) -> tuple[Path, Path, int]:
    from synthetic import synthetic_log

    log = synthetic_log(tickets, seed=0)
    flat = log.to_flat()
    out = flat[["case_id", "activity", "timestamp", "case_type", "zone", "fault", "device_id"]].copy()
    out["activity"] = out["activity"].astype(str).map(WORDS)
    out["timestamp"] = out["timestamp"].dt.tz_convert("Asia/Shanghai").dt.strftime("%d/%m/%Y %H:%M:%S")
    out.columns = ["Ticket", "Status", "Updated", "Type", "Area", "Fault", "Device"]
    path = folder / "export.csv"
    out.to_csv(path, index=False)
    mapping = folder / "mapping.toml"
    mapping.write_text(MAPPING)
    return path, mapping, len(out)


def _read_csv(path: str, queue: mp.Queue) -> None:
    import pandas as pd

    start = time.perf_counter()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    seconds = time.perf_counter() - start
    queue.put((seconds, len(frame), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def _load(path: str, mapping: str, queue: mp.Queue) -> None:
    from svcsim.live import load_events

    start = time.perf_counter()
    log, report = load_events(path, mapping, as_of="2030-01-01T00:00:00+00:00")
    seconds = time.perf_counter() - start
    assert report.rows_read == report.rows_kept + report.rows_quarantined
    queue.put((seconds, report.rows_read, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, report.to_json()))


def in_child(target, *args) -> tuple:  # noqa: ANN001
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        path, mapping, rows = write_export(args.tickets, Path(tmp))
        print(f"wrote {rows:,} rows ({path.stat().st_size / 2**20:,.0f} MiB) in {time.perf_counter() - start:.1f} s")
        base, load = [], []
        for _ in range(args.repeat):  # interleaved, so a noisy neighbour hits both
            base.append(in_child(_read_csv, str(path)))
            load.append(in_child(_load, str(path), str(mapping)))
    read_s = statistics.median(b[0] for b in base)
    load_s = statistics.median(x[0] for x in load)
    figures = {
        "tickets": args.tickets, "rows": rows, "read_csv_s": round(read_s, 2), "load_s": round(load_s, 2),
        "ratio": round(load_s / read_s, 2), "rows_per_s": round(rows / load_s),
        "read_csv_peak_mib": round(max(b[2] for b in base)), "load_peak_mib": round(max(x[2] for x in load)),
        "goal_met": load_s / read_s <= 3.0, "validation": load[-1][3],
    }
    print(f"pandas.read_csv   {read_s:8.2f} s  peak {figures['read_csv_peak_mib']:>6} MiB")
    print(f"svcsim.load_events {load_s:7.2f} s  peak {figures['load_peak_mib']:>6} MiB  ({figures['rows_per_s']:,} rows/s)")
    print(f"ratio {figures['ratio']} (goal <= 3.0)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

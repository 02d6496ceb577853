"""How big and how fast is the manager's report?

```
python benchmarks/report_bench.py            # a one-year baseline run, a 20-point sweep, 5 repeats
python benchmarks/report_bench.py --quick    # a 28-day run and a 20-point sweep of 1-day runs, 3 repeats
```

In one process, it prints:

1. **one-year run**: ``simulate("baseline", days=365, stock_trace=True)`` and
   ``run.check()`` once (the run itself, timed as the baseline), then the
   report beyond it, the median of ``--repeat`` builds: ``report_data(run,
   check=result)`` (the report's tables) and ``write_report`` (figures, page,
   atomic write). The ratio is report / run.
2. **20-point sweep**: ``sweep("tiny", {staffing.field_engineers.count: 1..20},
   replications=2, days=7, warmup=0)`` (cached in a temporary folder), its
   report written; the page's size in MB (10^6 bytes) and its figures.
3. **opening it**: headless Chromium (Debian's ``chromium`` through
   Playwright, offline), the load event's time from navigation start
   (``performance`` navigation timing, ``loadEventEnd``), median of
   ``--repeat`` fresh pages, against a blank page opened the same way in
   the same run.

The thresholds of issue 20 are printed beside the figures: report of a
one-year run under 3 s beyond the run, sweep page under 1.5 MB and its load
under 1 s. Compare figures only between runs on one machine.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the checkout's svcsim


def _median(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _load_ms(page: Path, repeat: int, chromium: str) -> float:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for _ in range(repeat):
            context = browser.new_context(offline=True)
            tab = context.new_page()
            tab.goto(page.resolve().as_uri(), wait_until="load")
            times.append(tab.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd"))
            context.close()
        browser.close()
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 28-day run and 1-day sweep runs instead")
    parser.add_argument("--repeat", type=int, help="repeats of each timed step (default 5, --quick 3)")
    args = parser.parse_args()
    repeat = args.repeat or (3 if args.quick else 5)

    import svcsim
    from svcsim.report import report_data, write_report

    folder = Path(tempfile.mkdtemp(prefix="svcsim-report-bench-"))
    days = 28 if args.quick else 365
    start = time.perf_counter()
    run = svcsim.simulate("baseline", days=days, stock_trace=True)
    result = run.check()
    run_s = time.perf_counter() - start
    data = report_data(run, check=result)
    tables_s = _median(lambda: report_data(run, check=result), repeat)
    write_s = _median(lambda: write_report(data, folder / "run.html"), repeat)
    print(f"baseline, {days} days (+{run.warmup_days} warm-up), seed 0: {len(run.events):,} events, "
          f"{len(run.busy):,} busy records, {len(run.stock_trace):,} stock changes")
    print(f"  the run itself (simulate + check), once:  {run_s:8.2f} s")
    print(f"  report tables (report_data), median:      {tables_s:8.2f} s")
    print(f"  page drawn and written, median:           {write_s:8.2f} s")
    print(f"  report beyond the run:                    {tables_s + write_s:8.2f} s  "
          f"({(tables_s + write_s) / run_s:.1%} of the run; issue 20: under 3 s)")
    print(f"  page size:                                {(folder / 'run.html').stat().st_size / 1e6:8.3f} MB")

    sweep_days = 1 if args.quick else 7
    result = svcsim.sweep("tiny", {"staffing.field_engineers.count": list(range(1, 21))}, replications=2,
                          days=sweep_days, warmup=0, jobs=2, cache=folder / "cache")
    page = folder / "sweep.html"
    svcsim.report(result, page, require={"arrive-20min": 80})
    figures = page.read_text().count("<figure")
    size = page.stat().st_size / 1e6
    print(f"sweep of tiny, 20 points x 2 replications x {sweep_days} days: {figures} figures")
    print(f"  page size:                                {size:8.3f} MB  (issue 20: under 1.5 MB)")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("  opening it: skipped, no chromium on this machine (apt-get install chromium)")
        return 0
    blank = folder / "blank.html"
    blank.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'><title>blank</title></head><body></body></html>")
    blank_ms = _load_ms(blank, repeat, chromium)
    sweep_ms = _load_ms(page, repeat, chromium)
    print(f"  load event, headless Chromium, median:    {sweep_ms:8.0f} ms  (a blank page: {blank_ms:.0f} ms; "
          f"issue 20: under 1,000 ms)")
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How fast does the command line start and run, against the work it does?

```
python benchmarks/cli_bench.py              # 5 runs of each, medians
python benchmarks/cli_bench.py --repeat 9
```

Every figure is the wall time of a fresh Python process started from the
repository root (so the checkout's ``svcsim`` is the one imported), the
median of ``--repeat`` runs:

1. **import floor**: ``python -c "import numpy, pandas, simpy"``, the libraries a run cannot do without;
2. **help**: ``python -m svcsim.cli --help`` and ``python -m svcsim.cli run --help``;
3. **run**: ``python -m svcsim.cli run --quiet`` (baseline, its 28 days, seed 0), output discarded;
4. **simulation plus judging alone**: a fresh process imports ``svcsim.scenario``
   and ``svcsim.simulation`` and loads the baseline scenario (untimed), then
   times only ``run = simulate(scenario, seed=0)`` and ``run.check()`` with
   ``time.perf_counter`` and prints that. The first call of each numba kernel
   loads it from numba's cache inside ``check()``, so that is included, as the
   CLI pays it too; whatever ``simulate`` or ``check`` import on first use is
   included likewise. The same process's whole wall time is reported as
   **the same work as a script** (start-up and imports included).

The ratios printed are run / (simulation plus judging alone) and run / (the
same work as a script). Compare figures only between runs on one machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ALONE = """
import time
from svcsim.scenario import load_scenario
from svcsim.simulation import simulate
scenario = load_scenario("baseline")
start = time.perf_counter()
run = simulate(scenario, seed=0)
run.check()
print(time.perf_counter() - start)
"""


def _wall(args: list[str]) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stderr}")
    return seconds, proc.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each command (default 5); medians are shown")
    repeat = parser.parse_args().repeat

    _wall(["-m", "svcsim.cli", "run", "--quiet"])  # once untimed: numba's cache and the OS file cache warm
    figures: dict[str, list[float]] = {name: [] for name in
                                       ("floor", "help", "run_help", "run", "alone", "script")}
    for _ in range(repeat):  # interleaved, so a passing load on the machine touches every figure alike
        figures["floor"].append(_wall(["-c", "import numpy, pandas, simpy"])[0])
        figures["help"].append(_wall(["-m", "svcsim.cli", "--help"])[0])
        figures["run_help"].append(_wall(["-m", "svcsim.cli", "run", "--help"])[0])
        figures["run"].append(_wall(["-m", "svcsim.cli", "run", "--quiet"])[0])
        seconds, out = _wall(["-c", ALONE])
        figures["script"].append(seconds)
        figures["alone"].append(float(out.strip().splitlines()[-1]))
    med = {name: statistics.median(values) for name, values in figures.items()}
    rows = [
        ("import floor: python -c 'import numpy, pandas, simpy'", "floor"),
        ("svcsim --help", "help"),
        ("svcsim run --help", "run_help"),
        ("svcsim run --quiet (baseline, 28 days)", "run"),
        ("simulation plus judging alone (simulate + check, in process)", "alone"),
        ("the same work as a script (fresh process, wall)", "script"),
    ]
    print(f"median of {repeat} runs, seconds (min-max)")
    for label, name in rows:
        print(f"  {label:<64s} {med[name]:6.3f}  ({min(figures[name]):.3f}-{max(figures[name]):.3f})")
    print(f"  run / simulation plus judging alone: {med['run'] / med['alone']:.2f}x")
    print(f"  run / the same work as a script:     {med['run'] / med['script']:.2f}x")
    print(f"  run - floor - simulation plus judging: {med['run'] - med['floor'] - med['alone']:.3f} s")


if __name__ == "__main__":
    main()

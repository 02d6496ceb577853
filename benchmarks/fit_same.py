"""Does a change to the fitter leave every fitted value as it was? Fit a few logs and compare the text.

Usage::

    python benchmarks/fit_same.py --save DIR     # before the change: write the answers
    python benchmarks/fit_same.py --check DIR    # after it: fit again, compare, exit 1 on any difference

The logs: ``simulate("baseline", seed=3, days=28)`` (fitted whole and with
``until`` at day 21, and with the ``kind`` column dropped so that kinds are
read from the paths), ``simulate("tiny", seed=3, days=35)``, the UCI
excerpt of tests/fixtures through examples/uci-incident-log/mapping-fit.toml
on its template, and a 20,000-ticket synthetic log of
``benchmarks/synthetic.py`` (repeats, vendor items, stalled tickets). Each
is fitted with the default ``bootstrap=200``, seed 0; what is compared is
``Fitted.toml()`` and ``FitReport.to_json()`` (the report holds no
timings), character for character.
"""

from __future__ import annotations

import argparse
import difflib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

import svcsim  # noqa: E402


def cases() -> dict:
    """Name -> a function returning the Fitted."""
    from synthetic import synthetic_log

    def baseline():  # noqa: ANN202
        return svcsim.simulate("baseline", seed=3, days=28).log

    uci = ROOT / "examples/uci-incident-log"

    def dropped_kind():  # noqa: ANN202
        log = baseline()
        return svcsim.EventLog.from_frames(log.events, log.cases.drop(columns=["kind"]))

    def until_day_21():  # noqa: ANN202
        log = baseline()
        return svcsim.fit(log, "baseline", until=log.events["timestamp"].min().normalize() + pd.Timedelta(days=21))

    return {
        "baseline-28": lambda: svcsim.fit(baseline(), "baseline"),
        "baseline-28-until-21": until_day_21,
        "baseline-28-no-kind": lambda: svcsim.fit(dropped_kind(), "baseline"),
        "tiny-35": lambda: svcsim.fit(svcsim.simulate("tiny", seed=3, days=35).log, "tiny"),
        "uci-excerpt": lambda: svcsim.fit(ROOT / "tests/fixtures/uci/incident_event_log_excerpt.csv",
                                          uci / "service_desk.toml", mapping=uci / "mapping-fit.toml"),
        "synthetic-20000": lambda: svcsim.fit(synthetic_log(20_000, seed=0), "baseline"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--check", type=Path)
    parser.add_argument("--only", nargs="*", help="case names")
    args = parser.parse_args(argv)
    differ = 0
    for name, make in cases().items():
        if args.only and name not in args.only:
            continue
        began = time.perf_counter()
        fitted = make()
        took = time.perf_counter() - began
        texts = {"toml": fitted.toml(), "json": fitted.report.to_json()}
        for ext, text in texts.items():
            path = (args.save or args.check) / f"{name}.{ext}"
            if args.save:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
                continue
            before = path.read_text()
            if before != text:
                differ += 1
                print(f"{name}.{ext}: DIFFERS")
                sys.stdout.writelines(list(difflib.unified_diff(before.splitlines(True), text.splitlines(True),
                                                                "before", "after", n=1))[:60])
        print(f"{name}: {'saved' if args.save else 'compared'} ({took:.1f} s with the log's making)")
    if args.check:
        print("same answers" if not differ else f"{differ} text(s) differ")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())

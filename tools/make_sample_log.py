"""Write the bundled sample log, ``svcsim/data/sample_log.csv``.

The sample is synthetic (``benchmarks/synthetic.py``): two months of a small
center, about 300 tickets and their vendor items, in the canonical flat CSV
shape with local (+08:00) timestamps. It exists so that ``svcsim check`` runs
on a fresh install with no data of one's own. Re-run this script to remake it:

    python tools/make_sample_log.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import synthetic_log  # noqa: E402

OUT = ROOT / "svcsim" / "data" / "sample_log.csv"


def main() -> None:
    log = synthetic_log(300, seed=7, start="2026-08-31")
    flat = log.to_flat().sort_values(["timestamp", "case_id"], kind="stable")
    flat["timestamp"] = flat["timestamp"].dt.tz_convert("Asia/Shanghai").map(lambda t: t.isoformat())
    flat["case_id"] = flat["case_id"].astype(str)
    flat.to_csv(OUT, index=False)
    print(f"wrote {OUT}: {len(flat)} events, {flat['case_id'].nunique()} cases")


if __name__ == "__main__":
    main()

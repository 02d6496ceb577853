"""The planner against theory: Erlang C's minimum c on M/M/c, Palm's minimum stock on one part.

Usage::

    python experiments/plan_theory.py [--out docs/explanation/tables] [--seed 0]

Where theory is exact the planner must return theory's answer. Each case
is chosen so that the answer and its neighbour one unit below differ by at
least 2 points (here 9 to 27 points), with the requirement's threshold
half-way between them, so the sequential check can decide both:

* ``mmc``: an "answered within t minutes" rule (a duration rule from
  ``call_received`` to ``call_answered`` on wall-clock time, in a small
  rules file), a minimum attainment; the planner's operators against
  :func:`svcsim.analytic.min_servers` (Erlang C). 5-day runs, no warm-up
  (the queue starts empty; at these loads it fills within minutes).
* ``single_part``: a minimum fill rate; the planner's stock against
  :func:`svcsim.analytic.min_stock` (Palm). One year a replication.

Each case runs twice: once from the analytic warm start and once from the
scenario's own value (above or below the answer), so the search, not only
the formula, has to find it. Writes ``plan_theory.csv`` and
``plan_theory.md`` to ``--out`` and prints the table, the command and its
run time. The tests (``tests/planning/test_plan_theory.py``) run the same
cases from this module.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from anywhere: this checkout's svcsim, not an installed one
    sys.path.insert(0, str(ROOT))

from svcsim.analytic import erlang_c, min_servers, min_stock, palm  # noqa: E402
from svcsim.planning import plan  # noqa: E402
from svcsim.scenarios import mmc, single_part  # noqa: E402

#: (arrival rate /h, service rate /h, answer within minutes, minimum attainment %, operators in the scenario)
MMC_CASES = [
    (4.0, 1.0, 3, 81.0, 10),
    (8.0, 2.0, 2, 62.0, 4),
    (10.0, 1.0, 5, 83.0, 17),
    (6.0, 2.0, 1, 85.0, 4),
    (2.0, 1.0, 10, 75.0, 7),
    (12.0, 3.0, 2, 83.0, 5),
]
#: (demand /day, mean resupply days, minimum fill rate, stock in the scenario)
PALM_CASES = [
    (2.0, 5.0, 0.745, 17),
    (0.5, 10.0, 0.81, 5),
    (4.0, 2.0, 0.77, 15),
    (1.0, 3.0, 0.73, 2),
    (0.2, 10.0, 0.54, 7),
    (3.0, 4.0, 0.73, 12),
]
MMC_DAYS = 5
PALM_DAYS = 1095  # three years: the store starts full (cold), and the first weeks flatter the fill rate
BATCH = 5
MAX_REPLICATIONS = 30


def answer_rules(minutes: float, folder: Path) -> Path:
    """A rules file with one rule, ``answer``: a call answered within ``minutes`` of being received."""
    path = folder / f"answer-{minutes:g}min.toml"
    path.write_text('version = 1\n\n[[rules]]\nid = "answer"\nkind = "duration"\n'
                    f'title = "Call answered within {minutes:g} minutes"\n'
                    'start = "call_received"\nstop = "call_answered"\n'
                    f'target = "{minutes:g}min"\nbasis = "wall"\n', encoding="utf-8")
    return path


def plan_mmc(case: tuple, start: str, folder: Path, seed: int = 0):  # noqa: ANN201
    """The planner's result on one M/M/c case."""
    lam, mu, minutes, target, servers = case
    return plan(mmc(lam, mu, servers, days=MMC_DAYS), levers={"staffing.operators.count": (1, 40)},
                requirements={"answer": target}, rules=answer_rules(minutes, folder), start=start, seed=seed,
                batch=BATCH, max_replications=MAX_REPLICATIONS)


def plan_palm(case: tuple, start: str, seed: int = 0):  # noqa: ANN201
    """The planner's result on one Palm case."""
    lam, resupply_days, fill, stock = case
    return plan(single_part(lam, resupply_days, stock, days=PALM_DAYS), levers={"stock": (0, 80)},
                requirements={"fill:part": fill}, start=start, seed=seed, batch=BATCH,
                max_replications=MAX_REPLICATIONS)


def theory_mmc(case: tuple) -> tuple[int, float, float]:
    """Erlang C's minimum c and the service level (%) at c and c - 1."""
    lam, mu, minutes, target, _ = case
    c = int(min_servers(lam, mu, target / 100.0, t=minutes / 60.0).servers)
    at = [100.0 * float(erlang_c(lam, mu, k).service_level(minutes / 60.0)) for k in (c, c - 1)]
    return c, at[0], at[1]


def theory_palm(case: tuple) -> tuple[int, float, float]:
    """Palm's minimum stock and the fill rate at S and S - 1."""
    lam, resupply_days, fill, _ = case
    s = int(min_stock(lam, resupply_days, fill))
    return s, float(palm(lam, resupply_days, s).fill_rate), float(palm(lam, resupply_days, s - 1).fill_rate)


def run(seed: int = 0) -> pd.DataFrame:
    """Every case from both starts: theory's answer, the planner's, and what it cost."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for case in MMC_CASES:
            answer, at, below = theory_mmc(case)
            for start in ("warm", "scenario"):
                began = time.perf_counter()
                result = plan_mmc(case, start, Path(tmp), seed)
                rows.append(_row("mmc", f"lambda={case[0]:g}/h mu={case[1]:g}/h within {case[2]:g} min",
                                 f">= {case[3]:g}%", answer, at, below, case[4], start, result, began))
        for case in PALM_CASES:
            answer, at, below = theory_palm(case)
            for start in ("warm", "scenario"):
                began = time.perf_counter()
                result = plan_palm(case, start, seed)
                rows.append(_row("single_part", f"lambda={case[0]:g}/day T={case[1]:g} days", f">= {case[2]:g}",
                                 answer, 100 * at, 100 * below, case[3], start, result, began))
    return pd.DataFrame(rows)


def _row(model: str, case: str, requirement: str, answer: int, at: float, below: float, scenario_value: int,
         start: str, result, began: float) -> dict:  # noqa: ANN001
    verdict = result.check.verdicts[0] if result.check is not None else None
    return {"model": model, "case": case, "requirement": requirement, "theory": answer,
            "theory_at_answer_pts": round(at, 1), "theory_one_fewer_pts": round(below, 1),
            "start": start, "start_value": result.warm_point[0] if start == "warm" else scenario_value,
            "planner": None if result.point is None else result.point[0],
            "agrees": result.point is not None and result.point[0] == answer,
            "sim_mean_at_plan": None if verdict is None else round(result.requirements[0].points(verdict.mean), 1),
            "replications": result.replications, "candidates": len(result.candidates),
            "seconds": round(time.perf_counter() - began, 1)}


def _markdown(table: pd.DataFrame) -> str:
    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "explanation" / "tables"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    table = run(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "plan_theory.csv", index=False)
    elapsed = time.perf_counter() - began
    command = "python experiments/plan_theory.py" + (f" --seed {args.seed}" if args.seed else "")
    text = (f"Planner against theory ({command}; {elapsed:.0f} s on this machine). "
            f"{int(table['agrees'].sum())} of {len(table)} runs agree.\n\n" + _markdown(table) + "\n")
    (out / "plan_theory.md").write_text(text, encoding="utf-8")
    print(text)
    return 0 if table["agrees"].all() else 1


if __name__ == "__main__":
    raise SystemExit(main())

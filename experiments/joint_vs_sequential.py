"""Joint against sequential planning: is staffing and stock planned together cheaper than one after the other?

Usage::

    python experiments/joint_vs_sequential.py [--staff staffing.field_engineers.count=8:13]
        [--stock spares.parts.MB-100.base_stock=0:90 ...] [--require arrive-20min=80 --require fill:MB-100=0.5 ...]
        [--jobs 2] [--cache DIR] [--out docs/explanation/tables] [--figure docs/explanation/figures/joint-vs-sequential.png]

    # every role and every part at the planner's default bounds (the full study; hours on 2 shared cores):
    python experiments/joint_vs_sequential.py --all-levers --jobs 2

Three plans of ``baseline`` for the same requirements, each by
:func:`svcsim.plan` (mode 1, default batch 5, at most 40 replications,
seed 0, 95 % confidence, baseline's 28 judged days after its 150-day
warm-up):

* **joint**: the staff levers and the stock levers searched together;
* **staff first**: the staff levers planned with the store issuing every
  part at once (``spares.store = "unlimited"``, so for the rule
  requirements only: there is no fill rate), then, with the staff fixed
  there, the stock levers planned for every requirement;
* **stock first** (the reverse order): the stock levers planned with the
  staff at their upper bounds (as near "unlimited staff" as the bounds
  allow), then, with the stock fixed there, the staff levers.

Each plan's yearly cost is that of the levers it sets (heads at 120,000 a
year, stock at 25 % of the unit cost), so the three compare. A sequential
plan whose second stage finds no plan within the bounds is reported so:
that is one way sequential planning fails. Writes
``joint_vs_sequential.{csv,md}`` (per plan: lever values, staff cost,
stock cost, total, the replications simulated and the status; with
``--cache`` the three plans share it, so a candidate an earlier plan
simulated is read back and a later plan simulates fewer) and a bar
figure of the costs, and prints the table with the command and its run
time. The default lever set is small so that the study runs in a session
on the shared machine; ``--all-levers`` is the full one.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # this checkout's svcsim, not an installed one
    sys.path.insert(0, str(ROOT))

import svcsim  # noqa: E402
from svcsim.planning.levers import catalogue, resolve_levers  # noqa: E402
from svcsim.scenario import with_changes  # noqa: E402

STAFF = {"staffing.field_engineers.count": (8, 13)}
STOCK = {"spares.parts.MB-100.base_stock": (0, 90)}
REQUIRE = {"arrive-20min": 80.0, "complete-6h": 93.0, "fill:MB-100": 0.5}
OPTIONS = {"batch": 5, "max_replications": 40, "confidence": 0.95, "seed": 0}


def _bounds(items: list[str]) -> dict[str, tuple[int, int]]:
    out = {}
    for item in items:
        path, _, text = item.partition("=")
        low, _, high = text.partition(":")
        out[path] = (int(low), int(high))
    return out


def _plan(scenario, levers, require, jobs, cache):  # noqa: ANN001, ANN202
    return svcsim.plan(scenario, levers=levers, requirements=require, jobs=jobs, cache=cache, **OPTIONS)


def compare(staff: dict, stock: dict, require: dict, jobs: int, cache: str | None) -> pd.DataFrame:
    """The three plans of the module docstring, one row each."""
    baseline = svcsim.load_scenario("baseline")
    prices = catalogue(baseline)
    rows = []

    def row(name: str, values: dict[str, int], status: str, replications: int, seconds: float) -> None:
        staff_cost = sum(prices[p].cost_per_unit_year * v for p, v in values.items() if p in staff)
        stock_cost = sum(prices[p].cost_per_unit_year * v for p, v in values.items() if p in stock)
        rows.append({"plan": name, **{prices[p].name: v for p, v in values.items()}, "status": status,
                     "staff_cost": staff_cost, "stock_cost": round(stock_cost, 1),
                     "cost_per_year": round(staff_cost + stock_cost, 1), "replications_simulated": replications,
                     "seconds": round(seconds, 0)})

    def values_of(result) -> dict[str, int]:  # noqa: ANN001
        return {lv.path: v for lv, v in zip(result.levers, result.point, strict=True)}

    began = time.perf_counter()
    joint = _plan(baseline, {**staff, **stock}, require, jobs, cache)
    row("joint", values_of(joint) if joint.found else {}, joint.status, joint.replications,
        time.perf_counter() - began)

    began = time.perf_counter()
    rules_only = {k: v for k, v in require.items() if not k.startswith("fill:")}  # no stock, no fill rate
    first = _plan(with_changes(baseline, {"spares.store": "unlimited"}), staff, rules_only, jobs, cache)
    used = first.replications
    if first.found:
        fixed = values_of(first)
        second = _plan(with_changes(baseline, fixed), stock, require, jobs, cache)
        used += second.replications
        row("staff first", {**fixed, **(values_of(second) if second.found else {})},
            second.status if second.found else "no plan at stage 2", used, time.perf_counter() - began)
    else:
        row("staff first", {}, "no plan at stage 1", used, time.perf_counter() - began)

    began = time.perf_counter()
    top = {lv.path: lv.high for lv in resolve_levers(baseline, staff)}
    first = _plan(with_changes(baseline, top), stock, require, jobs, cache)
    used = first.replications
    if first.found:
        fixed = values_of(first)
        second = _plan(with_changes(baseline, fixed), staff, require, jobs, cache)
        used += second.replications
        row("stock first", {**fixed, **(values_of(second) if second.found else {})},
            second.status if second.found else "no plan at stage 2", used, time.perf_counter() - began)
    else:
        row("stock first", {}, "no plan at stage 1", used, time.perf_counter() - began)
    return pd.DataFrame(rows)


def figure(table: pd.DataFrame, path: Path) -> None:
    """Stacked bars: each plan's yearly staff and stock cost."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    ax.bar(table["plan"], table["staff_cost"], label="staff")
    ax.bar(table["plan"], table["stock_cost"], bottom=table["staff_cost"], label="stock holding")
    for x, total in enumerate(table["cost_per_year"]):
        ax.annotate(f"{total:,.0f}", (x, total), ha="center", va="bottom", fontsize=9)
    low = 0.9 * float(table["staff_cost"].min()) if len(table) else 0.0
    ax.set_ylim(low, 1.04 * float(table["cost_per_year"].max()))
    ax.set_ylabel("yearly cost of the planned levers")
    ax.set_title("baseline: joint against sequential planning (axis cut)")
    ax.legend(loc="lower right")
    fig.subplots_adjust(left=0.17, right=0.98, top=0.9, bottom=0.1)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _markdown(table: pd.DataFrame) -> str:
    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join("" if pd.isna(v) else str(v) for v in r) + " |" for r in table.itertuples(index=False)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", action="append", default=[], metavar="PATH=LOW:HIGH")
    parser.add_argument("--stock", action="append", default=[], metavar="PATH=LOW:HIGH")
    parser.add_argument("--require", action="append", default=[], metavar="RULE=PCT")
    parser.add_argument("--all-levers", action="store_true", help="every staffed role and part, default bounds")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--cache", help="replication cache folder (an interrupted study resumes)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "explanation" / "tables"))
    parser.add_argument("--figure", default=str(ROOT / "docs" / "explanation" / "figures" / "joint-vs-sequential.png"))
    args = parser.parse_args(argv)
    if args.all_levers:
        levers = resolve_levers(svcsim.load_scenario("baseline"))
        staff = {lv.path: (lv.low, lv.high) for lv in levers if lv.kind == "staff"}
        stock = {lv.path: (lv.low, lv.high) for lv in levers if lv.kind == "stock"}
    else:
        staff, stock = _bounds(args.staff) or STAFF, _bounds(args.stock) or STOCK
    require = {k: float(v) for k, _, v in (r.partition("=") for r in args.require)} or REQUIRE
    began = time.perf_counter()
    table = compare(staff, stock, require, args.jobs, args.cache)
    elapsed = time.perf_counter() - began
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "joint_vs_sequential.csv", index=False)
    figure(table, Path(args.figure))
    command = "python " + " ".join(["experiments/joint_vs_sequential.py", *(argv if argv is not None else sys.argv[1:])])
    levers_text = ", ".join(f"{p} {lo}..{hi}" for p, (lo, hi) in {**staff, **stock}.items())
    text = (f"Joint against sequential planning (`{command}`; {elapsed:.0f} s on this shared machine). "
            f"baseline, levers {levers_text}; requirements "
            + ", ".join(f"{k} >= {v:g}" + ("" if k.startswith("fill:") else "%") for k, v in require.items())
            + "; batch 5, at most 40 replications, seed 0, confidence 0.95.\n\n" + _markdown(table) + "\n")
    (out / "joint_vs_sequential.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Technical support analyses a flagged batch: the same detector as the KPI, their time, once a month at most."""

from __future__ import annotations

from svcsim import load_scenario, simulate, with_changes
from svcsim.metrics import batch_flags

BASE = load_scenario("baseline")
BATCHES = [{"model": "A", "batch": "A-1", "units": 3000}, {"model": "A", "batch": "A-2", "units": 1000},
           {"model": "B", "batch": "B-1", "units": 800}]


def _with(multiplier: float | None):
    events = [] if multiplier is None else [{"batch": "A-2", "from_date": "2025-03-10",
                                             "fault_rate_multiplier": multiplier}]
    return with_changes(BASE, {"installed_base": {"batches": BATCHES, "quality_events": events}})


def test_a_bad_batch_is_analysed_after_the_detector_flags_it_and_costs_technical_support_time():
    bad, good = simulate(_with(3.0), seed=1), simulate(_with(None), seed=1)
    analyses = bad.batch_analyses
    assert len(analyses) >= 1 and set(analyses["batch"]) == {"A-2"}
    first = analyses.iloc[0]
    flags = batch_flags(bad.log, installed_base={b["batch"]: b["units"] for b in BATCHES})
    kpi_first = flags.flags[flags.flags["batch"] == "A-2"]["flagged_on"].min()
    assert first["flagged"].date() >= kpi_first  # flagged at the end of the KPI's flag day, not before
    assert (analyses["done"] > analyses["started"]).all() and (analyses["started"] >= analyses["flagged"]).all()
    gaps = analyses["flagged"].diff().dropna()
    assert (gaps.dt.days >= 28).all()  # the same problem is not analysed again within four weeks
    assert good.batch_analyses.empty
    # the analyses are technical support's time: against the same run with instant analyses, the busy minutes
    # grow by about the analyses' own minutes
    instant = simulate(with_changes(_with(3.0), {"times.batch_analysis": {"dist": "uniform", "loc": 0.0, "scale": 0.01}}),
                       seed=1)
    busy = [r.utilisation.set_index("role").loc["tech_support", "busy_minutes"] for r in (bad, instant)]
    spent = float(((analyses["done"] - analyses["started"]).dt.total_seconds() / 60).sum())
    assert abs((busy[0] - busy[1]) - spent) <= 0.2 * spent + 30, (busy, spent)


def test_without_an_installed_base_there_is_nothing_to_watch():
    run = simulate(BASE, seed=1, days=7)
    assert run.batch_analyses.empty

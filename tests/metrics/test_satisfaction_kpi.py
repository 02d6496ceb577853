"""The satisfaction KPI: satisfied answers over answers by month, from a run, a hand-made log and a live export."""

from __future__ import annotations

import math

from metriclogs import center_story

from svcsim import load_events, simulate
from svcsim.metrics import monthly_kpis


def _rows(kpis, kpi="satisfaction_rate"):
    rows = kpis[kpis["kpi"] == kpi].set_index("month")
    return {m: (int(r["numerator"]), int(r["denominator"]), r["flag"]) for m, r in rows.iterrows()}


def test_answers_count_in_the_month_of_the_case_and_any_no_flags_the_month():
    """T1 said yes (January), T4 said no (February); March has no answer: no rate, no flag."""
    kpis = monthly_kpis(center_story())
    got = _rows(kpis)
    assert got["2026-01"][:2] == (1, 1) and not got["2026-01"][2]
    assert got["2026-02"][:2] == (0, 1) and got["2026-02"][2]
    march = kpis[(kpis["kpi"] == "satisfaction_rate") & (kpis["month"] == "2026-03")].iloc[0]
    assert math.isnan(march["value"]) and march["denominator"] == 0


def test_a_run_counts_every_callback_answer():
    run = simulate("baseline", seed=2, days=21)
    kpis = monthly_kpis(run.log)
    rows = kpis[kpis["kpi"] == "satisfaction_rate"]
    calls = run.events[run.events["activity"] == "callback_made"]
    assert int(rows["denominator"].sum()) == calls["case_id"].nunique()
    assert int(rows["numerator"].sum()) == int((calls["reason"].astype(str) == "satisfied").sum())


MAPPING = """
[columns]
case_id = "Ticket"
activity = "Status"
timestamp = "Updated"
[timestamps]
format = "%Y-%m-%d %H:%M"
timezone = "Asia/Shanghai"
[activities.map]
"Logged" = "ticket_logged"
"Closed" = "completed"
"Called back" = "callback_made"
[case_attributes]
satisfied = "Survey"
[case_constants]
case_type = "ticket"
"""


def test_a_live_export_maps_its_survey_column(tmp_path):
    """An export whose Survey column says Yes/No/blank/'n.a.': two of three answers satisfied, two not counted."""
    rows = [("T1", "Logged", "2026-04-01 09:00", ""), ("T1", "Closed", "2026-04-01 12:00", ""),
            ("T1", "Called back", "2026-04-02 10:00", "Yes"),
            ("T2", "Logged", "2026-04-03 09:00", ""), ("T2", "Called back", "2026-04-04 10:00", "No"),
            ("T3", "Logged", "2026-04-05 09:00", "yes"), ("T3", "Called back", "2026-04-06 10:00", "yes"),
            ("T4", "Logged", "2026-04-07 09:00", ""), ("T5", "Logged", "2026-04-08 09:00", "n.a.")]
    text = "Ticket,Status,Updated,Survey\n" + "\n".join(",".join(r) for r in rows) + "\n"
    (tmp_path / "export.csv").write_text(text, encoding="utf-8")
    (tmp_path / "mapping.toml").write_text(MAPPING, encoding="utf-8")
    log, _ = load_events(tmp_path / "export.csv", tmp_path / "mapping.toml")
    got = _rows(monthly_kpis(log))
    assert got["2026-04"][:2] == (2, 3) and got["2026-04"][2]

"""The data behind each section of the manager's report, and the report's command-line mistakes.

Golden tests on hand-made tables (busy time, stock levels, vendor ageing,
attainment against a requirement), then the report's tables checked against
the tables the commands wrote (one computation, not two), the sections a
result without parts or vendor items leaves out, and a page that cannot be
written: one line, exit status 2, the ``--out`` tables already there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import svcsim
from svcsim.cli import main
from svcsim.report import attainment
from svcsim.report.busy import busy_by_day, busy_by_hour, hourly_busy
from svcsim.report.single import stock_levels, vendor_ageing
from tests.reports import made_reports


def test_busy_time_is_split_exactly_at_the_hours():
    """Golden: one operator busy 00:30-01:30 and two 01:00-02:00 on day 1 -> 0.5, 2.5 hours' worth, then none."""
    busy = pd.DataFrame({"role": ["operators"] * 3, "start": [30.0, 60.0, 60.0], "end": [90.0, 120.0, 120.0]})
    hourly = hourly_busy(busy, days=1)
    assert hourly["busy_staff"].round(6).tolist()[:3] == [0.5, 2.5, 0.0]
    assert hourly["busy_staff"].sum() == pytest.approx(3.0)  # 180 busy minutes = 3 staff-hours
    assert busy_by_day(hourly)["busy_staff"].tolist() == pytest.approx([3.0 / 24])
    by_hour = busy_by_hour(hourly, start_hour=8)  # the run started at 08:00 local
    assert by_hour.set_index("hour_of_day").loc[[8, 9], "busy_staff"].tolist() == pytest.approx([0.5, 2.5])


def test_queue_lengths_are_the_waits_of_a_hand_made_log_hour_by_hour():
    """Golden: a caller on hold 00:10-00:40 (and one answered at once), a ticket waiting 00:30-02:30 and one
    never dispatched from 23:00 (the units' tickets do not wait for dispatch), a unit 30 min at the desk then an hour on the bench -> 0.5 on hold in hour 0,
    0.5, 1, 0.5 waiting for dispatch in hours 0-2, 1 from 23:00 to the end of the second day."""
    from svcsim.report.queues import (
        hourly_queues,
        queue_peaks,
        queues_by_day,
        queues_by_hour,
        waiting_intervals,
    )

    start = pd.Timestamp("2026-03-02 00:00", tz="UTC")
    day = 24 * 60
    rows = [("C1", "call_received", 10), ("C1", "call_answered", 40),
            ("C2", "call_received", 60), ("C2", "call_answered", 60),
            ("C1", "ticket_logged", 30), ("C1", "dispatched", 150),
            ("T2", "ticket_logged", 23 * 60), ("U1", "ticket_logged", 0), ("U2", "ticket_logged", 0),
            ("U1", "unit_received", day + 240), ("U1", "warranty_checked", day + 270), ("U1", "repair_started", day + 330)]
    events = pd.DataFrame({"case_id": [r[0] for r in rows], "activity": [r[1] for r in rows],
                           "timestamp": [start + pd.Timedelta(minutes=r[2]) for r in rows]})
    cases = pd.DataFrame({"case_id": ["C1", "T2", "U1", "U2"], "kind": ["field", "field", "carry_in", "mail_in"]})
    intervals = waiting_intervals(events, start, start + pd.Timedelta(days=2), cases)  # U1, U2: to the bench
    assert intervals.groupby("queue").size().to_dict() == {"on_hold": 1, "dispatch": 2, "admin_desk": 1, "bench": 1}
    hourly = hourly_queues(intervals, days=2).set_index(["queue", "hour"])["waiting"]
    assert hourly.loc["on_hold"].iloc[:2].tolist() == pytest.approx([0.5, 0.0])
    assert hourly.loc["dispatch"].iloc[:4].tolist() == pytest.approx([0.5, 1.0, 0.5, 0.0])
    assert hourly.loc["dispatch"].iloc[23:].tolist() == pytest.approx([1.0] * 25)  # still waiting at the end
    assert hourly.loc[("admin_desk", 28)] == pytest.approx(0.5) and hourly.loc[("bench", 29)] == pytest.approx(0.5)
    assert hourly.loc[("bench", 28)] == pytest.approx(0.5)
    by_day = queues_by_day(hourly_queues(intervals, days=2)).set_index(["queue", "day"])["waiting"]
    assert by_day.loc[("dispatch", 1)] == pytest.approx(3.0 / 24) and by_day.loc[("dispatch", 2)] == pytest.approx(1.0)
    by_hour = queues_by_hour(hourly_queues(intervals, days=2), start_hour=8).set_index(["queue", "hour_of_day"])["waiting"]
    assert by_hour.loc[("on_hold", 8)] == pytest.approx(0.25)  # 0.5 on day 1, none on day 2, at local 08:00
    peaks = queue_peaks(queues_by_hour(hourly_queues(intervals, days=2), start_hour=0)).set_index("queue")
    assert peaks.loc["dispatch", "busiest_hour"] == 1 and peaks.loc["dispatch", "busiest_waiting"] == pytest.approx(1.0)


def test_stock_levels_are_the_last_change_before_each_days_end():
    """Golden: 4 on hand until minute 2000 (then 3), one at the vendor from minute 100 -> days 0, 1, 2."""
    trace = pd.DataFrame({"minute": [0.0, 100.0, 2000.0], "sku": ["P1"] * 3, "on_hand": [4, 4, 3], "at_vendor": [0, 1, 1]})
    levels = stock_levels(trace, days=2)
    assert levels[["day", "on_hand", "at_vendor"]].values.tolist() == [[0, 4, 0], [1, 4, 1], [2, 3, 1]]
    assert stock_levels(None, days=2).empty


def test_vendor_ageing_reads_the_all_parts_row():
    """Golden: the ALL row's past_* columns, in ladder order."""
    stock = pd.DataFrame({"part": ["P1", "ALL"], "past_vendor_3d": [2, 5], "past_vendor_7d": [1, 3], "at_vendor": [2, 6]})
    ageing = vendor_ageing(stock)
    assert ageing.values.tolist() == [["vendor_3d", 5], ["vendor_7d", 3]]


def test_a_single_run_is_green_or_red_on_its_attainment_and_not_yet_due_is_named():
    """Golden: 95 % against 90 required is met, 80 % against 90 is not, a rule with nothing due says so."""
    summary = pd.DataFrame({"rule_id": ["a", "b", "c"], "title": ["A", "B", "C"], "attainment_pct": [95.0, 80.0, np.nan],
                            "decided": [20, 10, 0], "verdict": ["", "", "not yet due"]})
    table = attainment.from_single(summary, {"a": 90, "b": 90, "c": 90})
    assert table["meets"].tolist() == ["True", "False", ""]
    assert table["verdict"].tolist() == ["", "", "not yet due"]
    assert table["due"].tolist() == [20, 10, 0]


def test_replications_are_judged_on_the_whole_interval():
    """Golden: an interval above the requirement is green, below it red, across it unsure."""
    rows = []
    for rule, (low, mean, high) in {"a": (91, 93, 95), "b": (80, 83, 86), "c": (85, 90, 95)}.items():
        rows += [{"kind": "attainment_pct", "subject": rule, "n": 5, "mean": mean, "ci_low": low, "ci_high": high},
                 {"kind": "due_count", "subject": rule, "n": 5, "mean": 40.0, "ci_low": 30.0, "ci_high": 50.0}]
    rows.append({"kind": "due_count", "subject": "d", "n": 5, "mean": 0.0, "ci_low": 0.0, "ci_high": 0.0})
    table = attainment.from_replications(pd.DataFrame(rows), {}, {"a": 90, "b": 90, "c": 90})
    assert table.set_index("rule_id")["meets"].to_dict() == {"a": "True", "b": "False", "c": "unsure", "d": ""}
    assert table.set_index("rule_id").loc["d", "verdict"] == "not yet due"


def test_a_requirement_on_an_unknown_target_or_out_of_range_is_refused():
    with pytest.raises(svcsim.InputError, match="no such target"):
        attainment.check_requirements({"nope": 90}, ["a"])
    with pytest.raises(svcsim.InputError, match="0 to 100"):
        attainment.check_requirements({"a": 120}, ["a"])


def test_a_plan_reports_its_levers_requirements_and_marginal_value_as_plan_json_has_them():
    """Golden, fixed seed: the one-part Palm case from a stock of 9 plans 5 (fill 0.817 >= 0.73; Palm: 0.815), and 4 would fail.

    The fill is the selection step's, on its fresh replications (issue 18); before it the screen's 0.878.

    The page's tables are plan.json's levers and requirements and the planner's marginal table, unchanged.
    """
    from svcsim.scenarios import single_part

    result = svcsim.plan(single_part(1.0, 3.0, 9), requirements={"fill:part": 0.73}, start="scenario")
    data = svcsim.report.report_data(result)
    assert data.kind == "plan"
    levers = data.tables["plan_levers.csv"]
    assert levers[["start", "plan", "cost_per_unit_year"]].values.tolist() == [[9, 5, 25.0]]
    requirement = data.tables["plan_requirements.csv"].iloc[0]
    assert (requirement["requirement"], requirement["threshold"], requirement["plan_status"]) == ("fill:part", 0.73, "met")
    assert requirement["plan_mean"] == pytest.approx(0.8173, abs=5e-4) and bool(requirement["binding"])
    marginal = data.tables["marginal.csv"]
    assert marginal[["change", "value", "cost_change_per_year", "fill:part:status"]].values.tolist() == [
        [1, 6, 25.0, "met"], [-1, 4, -25.0, "failed"]]
    record = result.to_dict()
    assert data.tables["plan_requirements.csv"].to_dict(orient="records")[0]["plan_low"] == record["requirements"][0]["plan_low"]
    assert data.headline["Cost per year"] == "plan 125 (-100); scenario 225"
    assert data.headline["Binding"] == "fill:part"
    assert data.headline["Replications"].startswith(f"{record['replications_at_plan']} at the plan")


def test_the_plan_commands_report_tables_are_plan_json_s(tmp_path):
    """plan_levers.csv and plan_requirements.csv, written beside plan.json, hold its levers and requirements."""
    import json

    out = made_reports()["plan"][1]
    record = json.loads((out / "plan.json").read_text())
    levers = pd.read_csv(out / "plan_levers.csv")
    assert levers["plan"].tolist() == [lever["plan"] for lever in record["levers"]]
    requirements = pd.read_csv(out / "plan_requirements.csv")
    assert requirements["plan_mean"].tolist() == pytest.approx([r["plan_mean"] for r in record["requirements"]])
    assert requirements["binding"].tolist() == [r["binding"] for r in record["requirements"]]
    assert pd.read_csv(out / "marginal.csv")["cost_change_per_year"].tolist() == [
        r["cost_change_per_year"] for r in record["marginal"]]


def test_the_report_tables_are_the_commands_tables_not_a_second_computation():
    """attainment.csv repeats summary.csv; difference.csv repeats comparison.csv; sweep.csv repeats summary.csv."""
    made = made_reports()
    run_out, cmp_out, sweep_out = made["run"][1], made["compare"][1], made["sweep"][1]
    summary = pd.read_csv(run_out / "summary.csv").set_index("rule_id")
    shown = pd.read_csv(run_out / "attainment.csv").set_index("rule_id")
    pd.testing.assert_series_equal(shown["attainment_pct"], summary["attainment_pct"], check_names=False)
    assert (shown.loc["arrive-20min", "required_pct"], shown.loc["dispatch-4h", "required_pct"]) == (80.0, 95.0)
    comparison = pd.read_csv(cmp_out / "comparison.csv")
    comparison = comparison[comparison["kind"] == "attainment_pct"].set_index("subject")
    difference = pd.read_csv(cmp_out / "difference.csv").set_index("rule_id")
    for column in ("mean_a", "mean_b", "difference", "ci_low", "ci_high"):
        pd.testing.assert_series_equal(difference[column], comparison[column], check_names=False)
    swept = pd.read_csv(sweep_out / "sweep.csv")
    written = pd.read_csv(sweep_out / "summary.csv")
    written = written[written["kind"] == "attainment_pct"].reset_index(drop=True)
    assert swept["mean"].tolist() == pytest.approx(written["mean"].tolist(), nan_ok=True)
    validation = pd.read_csv(made["check"][1] / "validation.csv").set_index("what")["rows"]
    assert validation["rows read"] == validation["rows kept"] + validation["rows quarantined"]


def test_a_run_without_parts_or_vendor_items_leaves_those_sections_out_and_says_why(tmp_path):
    """An M/M/c center needs no spare part and sends nothing to a vendor: both sections give their reason."""
    run = svcsim.simulate(svcsim.scenarios.mmc(arrival_rate=0.5, service_rate=0.2, servers=3), days=2)
    data = svcsim.report.report_data(run)
    assert "spare part" in data.omitted["Stock per part"]
    assert "vendor" in data.omitted["Vendor ageing"]
    assert data.tables["stock_levels.csv"].empty and data.tables["vendor_ageing.csv"].empty
    page = svcsim.report(run, tmp_path / "mmc.html").read_text()
    assert data.omitted["Stock per part"] in page and "<script" not in page


def test_svcsim_report_stays_callable_and_refuses_what_it_cannot_report(tmp_path):
    import svcsim.report.data  # noqa: F401 (importing a submodule must not hide the function)

    assert callable(svcsim.report)
    with pytest.raises(TypeError, match="report\\(\\): result must be one of"):
        svcsim.report(42, tmp_path / "r.html")


def test_a_report_path_that_is_a_directory_is_one_line_after_the_tables_are_written(tmp_path, capsys):
    out = tmp_path / "out"
    status = main(["run", "tiny", "--days", "1", "--quiet", "--out", str(out), "--report", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and "--report" in err and "is a directory" in err
    assert (out / "summary.csv").exists() and (out / "attainment.csv").exists()


def test_a_report_in_a_folder_that_cannot_exist_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    status = main(["check", "--report", str(blocker / "report.html")])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1 and "--report" in err


def test_a_malformed_requirement_is_refused_before_any_work(capsys):
    status = main(["run", "tiny", "--days", "1", "--quiet", "--require", "arrive-20min"])
    captured = capsys.readouterr()
    assert status == 2 and "--require" in captured.err and captured.out == ""


def test_the_how_to_s_python_example_runs(tmp_path, monkeypatch, capsys):
    """docs/howto/report.md's example, as written, in a scratch folder."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "howto" / "report.md").read_text(encoding="utf-8")
    example = text.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    exec(compile(example, "docs/howto/report.md", "exec"), {})
    assert (tmp_path / "run.html").stat().st_size > 10_000
    assert "attainment.csv" in capsys.readouterr().out


def test_a_plan_that_finds_nothing_still_reports_and_a_bad_report_path_is_one_line_after_plan_json(tmp_path, capsys):
    """No plan within 1..2 engineers reaches 99.9 %: exit 1, the page says why it has no marginal table;
    a report path that is a directory: one line, exit 2, plan.json already written."""
    argv = ["plan", "tiny", "--lever", "staffing.field_engineers.count=1:2", "--batch", "3", "--replications-max", "6",
            "--quiet", "--require", "arrive-20min=99.9"]
    assert main([*argv, "--out", str(tmp_path / "out"), "--report", str(tmp_path / "plan.html")]) == 1
    page = (tmp_path / "plan.html").read_text()
    assert "There is no plan" in page and "at the upper bounds" in page
    assert (tmp_path / "out" / "plan_requirements.csv").is_file()
    capsys.readouterr()
    assert main([*argv, "--out", str(tmp_path / "again"), "--report", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--report" in err and "is a directory" in err
    assert (tmp_path / "again" / "plan.json").is_file()

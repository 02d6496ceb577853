"""`svcsim check` shows the monthly KPIs (and why some are skipped); `svcsim run` shows the stock results."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from metriclogs import center_story

import svcsim
from svcsim.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_check_prints_the_monthly_kpis_and_writes_kpis_csv(tmp_path, capsys):
    log_dir = svcsim.write_log(center_story(), tmp_path / "log")
    out = tmp_path / "out"
    assert main(["check", str(log_dir), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Monthly KPIs (calendar months in Asia/Shanghai" in text
    assert "2026-01*" in text and "fixes held" in text and "DOA rate" in text and "slow-moving" in text
    skipped = [line for line in text.splitlines() if "skipped" in line.lower()]
    assert [line.split(":")[0].strip() for line in skipped] == ["skipped 1 KPI (batch_flags"]  # the story has no batches
    kpis = pd.read_csv(out / "kpis.csv")
    assert set(kpis["kpi"]) >= {"returns", "repair_success_rate", "dead_spare_rate", "part_usage", "slow_moving_skus"}
    assert "kpis.csv" in text


def test_check_on_the_uci_export_says_what_it_skipped_and_why(capsys):
    args = ["check", str(ROOT / "tests" / "fixtures" / "uci" / "incident_event_log_excerpt.csv"),
            "--mapping", str(ROOT / "examples" / "uci-incident-log" / "mapping.toml"),
            "--rules", str(ROOT / "examples" / "uci-incident-log" / "rules.toml"),
            "--as-of", "2017-03-01T00:00:00+00:00"]
    assert main(args) == 0
    text = capsys.readouterr().out
    lines = [line for line in text.splitlines() if line.strip().startswith("skipped ")]
    assert len(lines) == 1  # one summary line (issue 23), every KPI in it (batch_flags too: no batches)
    assert lines[0].strip().startswith("skipped 17 KPIs (")
    assert "part_usage, slow_moving_stock, slow_moving_skus: no part_issued event recorded; no part column in the events table" in lines[0] \
        or "part_usage" in lines[0] and "no part_issued event recorded; no part column in the events table" in lines[0]


def test_run_prints_the_stock_results_after_utilisation(tmp_path, capsys):
    assert main(["run", "tiny", "--days", "3", "--seed", "4", "--quiet", "--out", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert text.index("Utilisation (busy time over on-duty time, over the 3 judged days)") < text.index(
        "Stock (requests and jobs over the 3 judged days;")  # every count says its window (issue 23)
    assert "past 30d" in text and "jobs waited" in text
    kpis = pd.read_csv(tmp_path / "kpis.csv")
    assert "returns" in set(kpis["kpi"])

"""``svcsim backtest``: its table and files on success, one line and exit status 2 on a user's mistake."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import svcsim
from svcsim.cli import main


@pytest.fixture(scope="module")
def log_dir(tmp_path_factory):
    """A 21-day run of tiny written as a canonical log (events.parquet and cases.parquet)."""
    folder = tmp_path_factory.mktemp("log")
    svcsim.write_log(svcsim.simulate(svcsim.with_changes("tiny", {"horizon_days": 21}), seed=4).log, folder)
    return folder


def test_backtest_prints_the_distances_and_the_verdicts_and_writes_its_files(log_dir, tmp_path, capsys):
    out = tmp_path / "bt"
    code = main(["backtest", str(log_dir), "--train-until", "2025-03-17", "--template", "tiny", "--replications", "3",
                 "--warmup-days", "3", "--quiet", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Distances from the real held-out log" in captured.out and "replay last weeks" in captured.out
    assert "dispatch-4h" in captured.out and "not carried over" in captured.out
    for name in ("backtest.json", "distances.csv", "replications.csv", "weeks.csv"):
        assert (out / name).exists(), name
    assert json.loads((out / "backtest.json").read_text())["replications"] == 3
    weeks = pd.read_csv(out / "weeks.csv")
    assert {"rule_id", "week", "real_pct", "sim_low_pct", "sim_high_pct", "verdict", "replay_pct"} <= set(weeks.columns)


def test_the_help_names_the_files_out_writes(capsys):
    with pytest.raises(SystemExit):
        main(["backtest", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "backtest.json, distances.csv, replications.csv and weeks.csv" in text


@pytest.mark.parametrize(("extra", "words"), [
    (["--train-until", "2024-01-01"], "--train-until 2024-01-01 is outside the log"),
    (["--train-until", "2025-06-01"], "--train-until 2025-06-01 is outside the log"),
    (["--train-until", "2025-03-17", "--template", "no-such-center"], "no scenario named 'no-such-center'"),
    (["--train-until", "soon"], "is not a date"),
    (["--train-share", "1.5"], "--train-share 1.5"),
    (["--train-until", "2025-03-17", "--replications", "0"], "--replications 0"),
])
def test_a_users_mistake_is_one_line_and_exit_status_2(log_dir, capsys, extra, words):
    code = main(["backtest", str(log_dir), "--quiet", *extra])
    err = capsys.readouterr().err
    assert code == 2 and words in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_log_with_no_case_after_the_split_is_exit_status_2(tmp_path, capsys):
    """Two tickets that started before the split and only closed after it: nothing to compare."""
    events = pd.DataFrame({"case_id": ["a", "a", "b", "b"], "activity": ["ticket_logged", "closed"] * 2,
                           "timestamp": pd.to_datetime(["2025-03-03 09:00", "2025-03-12 10:00", "2025-03-04 09:00",
                                                        "2025-03-13 10:00"]).tz_localize("Asia/Shanghai")})
    svcsim.write_log(svcsim.EventLog.from_frames(events), tmp_path)
    code = main(["backtest", str(tmp_path), "--train-until", "2025-03-08", "--template", "tiny", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "no case starts between --train-until 2025-03-08" in err
    assert len(err.strip().splitlines()) == 1


def test_a_missing_split_option_is_refused_by_the_parser(log_dir, capsys):
    with pytest.raises(SystemExit) as info:
        main(["backtest", str(log_dir)])
    assert info.value.code == 2 and "--train-until" in capsys.readouterr().err


def test_an_export_is_read_through_its_mapping_and_judged_by_its_own_rules(capsys):
    """The UCI excerpt through its mapping: the held-out part is judged by the UCI rules file.

    The simulated center narrates svcsim's activities, not the incident states
    those rules read, so every rule-week has no verdict: the distances are
    what a backtest of this log can say until a rules file reads both.
    """
    root = Path(__file__).resolve().parents[2]
    code = main(["backtest", str(root / "tests/fixtures/uci/incident_event_log_excerpt.csv"),
                 "--mapping", str(root / "examples/uci-incident-log/mapping.toml"),
                 "--rules", str(root / "examples/uci-incident-log/rules.toml"),
                 "--train-until", "2016-03-01", "--template", "tiny", "--replications", "2", "--warmup-days", "2",
                 "--quiet"])
    out = capsys.readouterr().out
    assert code == 0
    assert "fitted on the 63 cases that started before 2016-03-01" in out and "1 case started" in out
    assert "resolve" in out and "replay baseline: none (training has no whole week)" in out

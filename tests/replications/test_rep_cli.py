"""The replication commands: tables with confidence intervals, files with --out, one-line errors."""

from __future__ import annotations

import re
from importlib import resources

import pandas as pd
import pytest
from rephelpers import DAYS

from svcsim.cli import main

QUICK = ["--days", str(DAYS), "--replications", "2", "--quiet"]


def test_run_with_replications_prints_the_intervals_and_writes_them(tmp_path, capsys):
    assert main(["run", "tiny", *QUICK, "--cache", str(tmp_path / "cache"), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "2 replications of 2 days" in out and "95% CI" in out and "utilisation % field_engineers" in out
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert {"metric", "mean", "ci_low", "ci_high", "half_width", "n"} <= set(summary.columns)
    assert len(pd.read_csv(tmp_path / "replications.csv")) == 2 * len(summary)
    assert main(["run", "tiny", *QUICK, "--cache", str(tmp_path / "cache")]) == 0
    assert "0 simulated, 2 from the cache" in capsys.readouterr().out


def test_compare_two_plans(tmp_path, capsys):
    text = resources.files("svcsim.scenarios").joinpath("tiny.toml").read_text("utf-8")
    plan_b = tmp_path / "more_engineers.toml"
    plan_b.write_text(re.sub(r"(\[staffing\.field_engineers\]\ncount = )\d+", r"\g<1>5", text))
    assert main(["compare", "tiny", str(plan_b), *QUICK, "--no-cache", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "B - A" in out and "var. reduction" in out
    table = pd.read_csv(tmp_path / "comparison.csv").set_index("metric")
    assert table.loc["utilisation_pct:field_engineers", "difference"] < 0
    assert table.loc["calls", "difference"] == 0, "common random numbers: the same calls"


def test_sweep_writes_tables_and_the_attainment_figure(tmp_path, capsys):
    args = ["sweep", "tiny", "--set", "staffing.field_engineers.count=2,4", *QUICK, "--no-cache", "--out", str(tmp_path),
            "--plot", "arrive-20min,complete-6h"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "arrive-20min" in out and "+-" in out
    results = pd.read_csv(tmp_path / "results.csv")
    assert sorted(results["staffing.field_engineers.count"].unique()) == [2, 4]
    assert (tmp_path / "attainment.png").stat().st_size > 10_000


@pytest.mark.parametrize("args", [
    ["sweep", "tiny", "--set", "staffing.nobody=1,2"],
    ["sweep", "tiny", "--set", "staffing.field_engineers.count=-1"],
    ["sweep", "tiny", "--set", "staffing.field_engineers.count"],
    ["sweep", "tiny"],
    ["run", "tiny", "--replications", "2", "--warmup-days", "-1"],  # the warm-up comes before the horizon: any length >= 0
    ["compare", "tiny", "no-such-plan"],
])
def test_mistakes_are_one_line_and_exit_2(args, capsys):
    assert main([*args, *QUICK, "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("svcsim: error: ") and err.count("\n") == 1, err

"""The command line: the README's main command, output files, one-line errors with exit 2."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

from svcsim.cli import main


def test_help_lists_the_commands(capsys):
    assert main([]) == 0
    assert "check" in capsys.readouterr().out


def test_check_on_the_bundled_sample(capsys, tmp_path):
    """`svcsim check` with no log judges the sample and writes the three tables."""
    assert main(["check", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "dispatch-4h" in out and "Escalations" in out
    results = pd.read_parquet(tmp_path / "results.parquet")
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert set(summary["rule_id"]) >= {"dispatch-4h", "vendor-30d", "software-72h"}
    assert len(results) == summary["rows"].sum()
    assert (tmp_path / "escalations.csv").exists()


def test_user_mistakes_are_one_line_and_exit_2(tmp_path):
    """No traceback for a missing file, a bad rules file, or a naive --as-of."""
    bad_rules = tmp_path / "rules.toml"
    bad_rules.write_text('[[rules]]\nid = "x"\nkind = "duration"\nstart = "ticket_logged"\nstop = "dispatched"\ntarget = "soon"\n')
    for args in (["check", str(tmp_path / "missing.csv")], ["check", "--rules", str(bad_rules)], ["check", "--as-of", "2026-10-01"]):
        proc = subprocess.run([sys.executable, "-m", "svcsim.cli", *args], capture_output=True, text=True)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("svcsim: error: "), proc.stderr
        assert "Traceback" not in proc.stderr

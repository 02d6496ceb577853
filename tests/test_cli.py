"""The command line: the README's main command, output files, one-line errors with exit 2."""

from __future__ import annotations

import re
import subprocess
import sys

import pandas as pd
import pytest

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


HEAVY = ("pandas", "scipy", "numba", "simpy", "svcsim.simulation")
COMMANDS = ([], ["check"], ["run"], ["scenario"], ["scenario", "list"], ["scenario", "show"], ["scenario", "schema"],
            ["compare"], ["sweep"], ["batches"], ["backtest"])


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "svcsim")
def test_help_loads_nothing_heavy(command):
    """`svcsim --help` and every `svcsim CMD --help` answer without pandas, scipy, numba or the simulator."""
    script = ("import sys\nfrom svcsim.cli import main\n"
              f"try:\n    main({[*command, '--help']!r})\nexcept SystemExit:\n    pass\n"
              f"print(sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "usage: svcsim" in proc.stdout
    assert proc.stderr.strip().splitlines()[-1] == "[]", proc.stderr


@pytest.fixture
def no_work(monkeypatch):
    """Any simulation, replication, comparison, sweep or log read fails the test: the arguments must be refused first."""
    import svcsim.eventlog.io
    import svcsim.replications
    import svcsim.simulation

    def forbidden(*args, **kwargs):
        raise AssertionError("work started before the arguments were checked")

    for module, name in ((svcsim.simulation, "simulate"), (svcsim.replications, "replicate"),
                         (svcsim.replications, "compare"), (svcsim.replications, "sweep"), (svcsim.eventlog.io, "read_log")):
        monkeypatch.setattr(module, name, forbidden)


@pytest.mark.parametrize(("args", "option"), [
    (["run", "tiny", "--days", "0"], "--days"),
    (["run", "tiny", "--replications", "0"], "--replications"),
    (["run", "tiny", "--jobs", "0"], "--jobs"),
    (["run", "tiny", "--seed", "-1"], "--seed"),
    (["run", "tiny", "--replication", "-2"], "--replication"),
    (["run", "tiny", "--out", "{file}"], "--out"),
    (["run", "tiny", "--out", "{file}/below"], "--out"),
    (["run", "tiny", "--replications", "2", "--seed", "-1"], "--seed"),
    (["run", "tiny", "--replications", "2", "--warmup", "-1"], "--warmup"),
    (["run", "tiny", "--replications", "2", "--out", "{file}"], "--out"),
    (["check", "--top", "0"], "--top"),
    (["check", "--out", "{file}"], "--out"),
    (["check", "--as-of", "2026-10-01"], "as_of"),
    (["check", "--as-of", "soon"], "as_of"),
    (["compare", "tiny", "tiny", "--replications", "0"], "--replications"),
    (["compare", "tiny", "tiny", "--jobs", "0"], "--jobs"),
    (["compare", "tiny", "tiny", "--days", "0"], "--days"),
    (["compare", "tiny", "tiny", "--out", "{file}"], "--out"),
    (["compare", "tiny", "tiny", "--cache", "{file}"], "--cache"),
    (["sweep", "tiny"], "--set"),
    (["sweep", "tiny", "--set", "staffing.field_engineers.count"], "--set"),
    (["sweep", "tiny", "--set", "staffing.field_engineers.count=1,2", "--plot", "no-such-target"], "--plot"),
    (["sweep", "tiny", "--set", "staffing.field_engineers.count=1,2", "--metric", "happiness"], "--metric"),
    (["sweep", "tiny", "--set", "staffing.field_engineers.count=1,2", "--seed", "-3"], "--seed"),
    (["sweep", "tiny", "--set", "staffing.field_engineers.count=1,2", "--out", "{file}"], "--out"),
])
def test_arguments_are_checked_before_any_work(args, option, tmp_path, capsys, no_work):
    """Each bad argument is one line naming the option, exit 2, before anything is simulated or read."""
    a_file = tmp_path / "a_file.txt"
    a_file.write_text("not a folder\n")
    argv = [arg.replace("{file}", str(a_file)) for arg in args]
    assert main([*argv, "--quiet"] if argv[0] != "check" else argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("svcsim: error: ") and err.count("\n") == 1, err
    assert option in err, err


def test_an_unwritable_out_folder_is_refused(tmp_path, capsys, no_work, monkeypatch):
    """An --out folder under a parent this user may not write into is refused up front."""
    import os

    locked = tmp_path / "locked"
    locked.mkdir()
    monkeypatch.setattr(os, "access", lambda path, mode: os.fspath(path) != str(locked))
    assert main(["run", "tiny", "--quiet", "--out", str(locked / "new")]) == 2
    assert "not writable" in capsys.readouterr().err


def test_an_out_folder_that_does_not_exist_yet_is_made(tmp_path, capsys):
    """A missing --out folder (and its parents) is created after the work."""
    out = tmp_path / "a" / "b"
    assert main(["check", "--out", str(out), "--top", "1"]) == 0
    assert (out / "summary.csv").exists()


def test_the_targets_table_says_what_its_columns_mean(capsys):
    """Issue 23: a one-line legend under the targets table, in the words of sla-semantics."""
    from svcsim.cli import main

    assert main(["run", "tiny", "--days", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.strip().startswith("rule "))
    legend = next(line for line in lines[header:] if line.startswith("(met/held:"))
    for column in ("met/held", "missed", "open missed", "at risk", "n/a", "invalid"):
        assert f"{column}:" in legend


def test_compare_prints_the_asked_for_metrics_first_and_stars_clear_differences(tmp_path, capsys):
    """Issue 23: --metric (repeatable) brings its rows first; '*' marks an interval that excludes zero."""
    from svcsim.cli import main

    fewer = tmp_path / "fewer.toml"
    fewer.write_text('extends = "tiny"\n[staffing.field_engineers]\ncount = 1\n', encoding="utf-8")
    assert main(["compare", "tiny", str(fewer), "--replications", "4", "--days", "5", "--quiet", "--no-cache",
                 "--metric", "utilisation_pct", "--metric", "arrive-20min"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.strip().startswith("metric"))
    rows = lines[header + 1:]
    first_other = next(i for i, line in enumerate(rows) if "utilisation %" not in line)
    assert first_other >= 5 and "arrive-20min" in rows[first_other]  # utilisation rows, then arrive-20min's
    engineers = next(line for line in rows if "utilisation % field_engineers" in line)
    assert engineers.rstrip().split()[-3] == "*" or " * " in engineers, engineers
    assert any(line.startswith("*: the interval excludes zero") for line in lines)


def test_compare_refuses_an_unknown_metric_before_any_work(capsys):
    from svcsim.cli import main

    assert main(["compare", "tiny", "tiny", "--metric", "nonsense", "--no-cache"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "--metric 'nonsense'" in err and "arrive-20min" in err


def test_sweep_draws_the_metric_it_is_asked_for_and_its_help_lists_the_kinds(tmp_path, capsys):
    """Issue 23 point 4: `sweep --metric K` plots K, and every kind --help names is accepted."""
    from svcsim.cli import main
    from svcsim.replications.summary import METRIC_RANGES

    with pytest.raises(SystemExit):
        main(["sweep", "--help"])
    helptext = " ".join(capsys.readouterr().out.split())
    for kind in METRIC_RANGES:
        assert kind.split(".")[0] in helptext, kind
    assert main(["sweep", "tiny", "--set", "staffing.field_engineers.count=2,3", "--replications", "2", "--days", "2",
                 "--metric", "utilisation_pct", "--quiet", "--no-cache", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "utilisation_pct.png").stat().st_size > 5000 and not (tmp_path / "attainment.png").exists()


def test_an_interval_clipped_to_its_range_is_marked(capsys):
    """Issue 23: a t interval past 100 % is cut at 100 and says so (^)."""
    from svcsim.cli import main

    assert main(["run", "tiny", "--replications", "3", "--days", "3", "--quiet", "--no-cache"]) == 0
    out = capsys.readouterr().out
    clipped = [line for line in out.splitlines() if line.rstrip().endswith("]^") or "]^ " in line]
    assert clipped and all("100.00]^" in line or re.search(r"\[0\.0+,", line) for line in clipped)  # at a bound, at the unit's precision
    assert "^: clipped to the metric's range" in out


def test_one_precision_per_unit(capsys):
    """Issue 23: percentages with 2 decimals, hours with 3, mean counts with 1, the fill rate as a percentage."""
    from svcsim.cli.tables import _number

    assert [_number(71.0166, "attainment_pct"), _number(0.60833, "clock_mean_h"), _number(86.0, "calls"),
            _number(0.9123, "stock.fill_rate"), _number(1234.56, "stock.demands")] == \
        ["71.02", "0.608", "86.0", "91.23", "1,234.6"]
    assert main(["compare", "tiny", "tiny", "--replications", "2", "--days", "2", "--quiet", "--no-cache"]) == 0
    lines = capsys.readouterr().out.splitlines()
    hours = next(line for line in lines if "clock mean h dispatch-4h" in line)
    assert re.search(r"dispatch-4h\s+\d+\.\d{3}\s", hours)
    fill = next(line for line in lines if "fill rate % generic" in line)
    assert re.search(r"generic\s+100\.00\s", fill)

"""The fitted scenario as a file, the report, the command, and what bad input gets.

A fitted scenario must load and run with ``svcsim run`` as it is; every
user mistake (a template that does not exist, an ``--until`` outside the
log, an activity without timestamps) is one line and exit status 2; a log
too short for a parameter says which and keeps the template's value.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import svcsim
from svcsim.cli import main
from svcsim.fitting.observe import observe, ticket_kinds
from tests.fitting.scenarios import simulated


@pytest.fixture(scope="module")
def log_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fit") / "tiny-log"
    svcsim.write_log(simulated("tiny", 28).log, path)
    return path


def test_fitted_toml_loads_to_the_same_scenario_and_runs(tmp_path, log_dir, capsys):
    """``svcsim fit`` writes fitted.toml and fit.json; ``svcsim run fitted.toml`` takes the file as it is."""
    assert main(["fit", str(log_dir), "--template", "tiny", "--bootstrap", "0", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "times.handle" in printed and "fitted.toml" in printed
    fitted = svcsim.load_scenario(tmp_path / "fitted.toml")
    again = svcsim.fit(log_dir, "tiny", bootstrap=0)
    assert fitted == again.scenario
    report = json.loads((tmp_path / "fit.json").read_text())
    assert {p["source"] for p in report["parameters"]} == {"log", "template"}
    assert all(p["source"] == "log" or p["note"] for p in report["parameters"])  # a template value says why
    assert main(["run", str(tmp_path / "fitted.toml"), "--days", "2", "--warmup-days", "0", "--quiet"]) == 0


def test_public_api_fit_reads_an_event_log_and_a_path(log_dir):
    """``svcsim.fit`` takes an EventLog or its path, and gives the same scenario."""
    assert svcsim.fit(svcsim.read_log(log_dir), "tiny", bootstrap=0).scenario == svcsim.fit(
        log_dir, "tiny", bootstrap=0).scenario


def test_kinds_inferred_from_paths_without_a_kind_column():
    """A live log has no ``kind``: it is read from each case's path, and agrees with the simulator's on every decided case."""
    log = simulated("tiny", 28).log
    truth = log.cases.set_index(log.cases["case_id"].astype(str))["kind"].astype(object)
    inferred = ticket_kinds(observe(svcsim.EventLog.from_frames(log.events, log.cases.drop(columns=["kind"]))))
    decided = inferred.dropna()
    assert len(decided) > 0.9 * len(inferred)
    assert (decided == truth.reindex(decided.index)).all()


def test_short_log_keeps_the_template_and_says_which(log_dir):
    """Two days of tiny are too few for the supplier's turnaround: the warning names it and its value is the template's."""
    log = svcsim.read_log(log_dir)
    until = log.events["timestamp"].min() + pd.Timedelta(days=2)
    fit = svcsim.fit(log, "tiny", until=until, bootstrap=0)
    rows = {p.path: p for p in fit.report.parameters}
    assert rows["spares.parts.generic.turnaround"].source == "template"
    assert any(w.startswith("spares.parts.generic.turnaround:") and "template" in w for w in fit.report.warnings)
    assert fit.scenario.spares.parts[0].turnaround == svcsim.load_scenario("tiny").spares.parts[0].turnaround


@pytest.mark.parametrize(("extra", "expected"), [
    (["--template", "no-such-center"], "no scenario named 'no-such-center'"),
    (["--until", "2031-01-01T00:00:00+08:00"], "is outside the log"),
    (["--until", "2025-03-05"], "has no time zone"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, log_dir, capsys, extra, expected):
    assert main(["fit", str(log_dir), "--out", str(tmp_path), *extra]) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1


def test_an_activity_without_timestamps_is_named(tmp_path, capsys):
    """An export whose 'Done' rows have no timestamp at all: the fit names the activity, exit 2."""
    (tmp_path / "m.toml").write_text(
        '[columns]\ncase_id = "Ticket"\nactivity = "Status"\ntimestamp = "Updated"\n'
        '[timestamps]\ntimezone = "Asia/Shanghai"\n'
        '[activities.map]\n"Logged" = "ticket_logged"\n"Done" = "completed"\n'
        '[case_constants]\ncase_type = "ticket"\n')
    rows = [(f"T{i}", "Logged", f"2025-03-03T{9 + i % 8:02d}:00:00") for i in range(20)]
    rows += [(f"T{i}", "Done", "") for i in range(20)]
    pd.DataFrame(rows, columns=["Ticket", "Status", "Updated"]).to_csv(tmp_path / "export.csv", index=False)
    assert main(["fit", str(tmp_path / "export.csv"), "--mapping", str(tmp_path / "m.toml"),
                 "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "'Done'" in err and "no timestamps" in err and err.count("\n") == 1


def test_help_names_the_files_written(capsys):
    with pytest.raises(SystemExit):
        main(["fit", "--help"])
    out = capsys.readouterr().out
    assert "fitted.toml" in out and "fit.json" in out

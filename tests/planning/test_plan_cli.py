"""``svcsim plan`` on the small ``tiny`` scenario: a plan, its files, no plan, and mistakes.

Runs are a week of ``tiny`` with few replications: seconds each.
"""

from __future__ import annotations

import json

import pytest

from svcsim import load_scenario
from svcsim.cli import main

TINY = ["tiny", "--lever", "staffing.field_engineers.count=1:5", "--batch", "3", "--replications-max", "9", "--quiet",
        "--no-cache"]


def test_plan_writes_a_scenario_that_runs_and_a_json_of_its_verdicts(tmp_path, capsys):
    """plan.toml is the scenario with the chosen count; plan.json has cost, verdicts, binding, seed."""
    status = main(["plan", *TINY, "--require", "dispatch-4h=90", "--out", str(tmp_path)])
    printed = capsys.readouterr().out
    assert status == 0
    assert "requirement" in printed and "cost / year" in printed
    planned = load_scenario(tmp_path / "plan.toml")
    record = json.loads((tmp_path / "plan.json").read_text())
    chosen = {lever["lever"]: lever["plan"] for lever in record["levers"]}
    assert planned.staffing.field_engineers.count == chosen["staffing.field_engineers.count"]
    assert planned.model_dump(exclude={"staffing"}) == load_scenario("tiny").model_dump(exclude={"staffing"})
    assert record["found"] and record["seed"] == 0 and record["replications_simulated"] > 0
    requirement = record["requirements"][0]
    assert requirement["requirement"] == "dispatch-4h" and requirement["plan_status"] == "met"
    assert requirement["plan_low"] >= 90
    assert record["cost_per_year"] == 120_000 * chosen["staffing.field_engineers.count"]
    assert (tmp_path / "marginal.csv").is_file() and (tmp_path / "candidates.csv").is_file()
    assert main(["run", str(tmp_path / "plan.toml"), "--quiet"]) == 0


def test_an_unreachable_requirement_is_named_with_what_the_bounds_reach(capsys):
    """Exit 1, and the message names the requirement and its attainment at the upper bounds."""
    status = main(["plan", "tiny", "--lever", "staffing.field_engineers.count=1:2", "--batch", "3",
                   "--replications-max", "6", "--quiet", "--no-cache", "--require", "arrive-20min=99.9"])
    err = capsys.readouterr().err
    assert status == 1
    assert "arrive-20min >= 99.9%" in err and "at the upper bounds" in err


@pytest.mark.parametrize(("args", "named"), [
    (["--require", "arrive-2h=90"], "unknown rule id 'arrive-2h'"),
    (["--require", "arrive-20min=90", "--lever", "times.handle=1:3"], "not a count"),
    (["--require", "arrive-20min=90", "--lever", "staffing.field_engineers.count=6:2"], "wrong way round"),
    (["--require", "arrive-20min=190"], "minimum attainment in %"),
    (["--require-fill", "nope=0.9"], "unknown part 'nope'"),
    (["--require", "arrive-20min"], "RULE=PCT"),
])
def test_mistakes_are_one_line_and_exit_2(args, named, capsys):
    """A user's mistake in the plan's arguments: one line naming it, exit status 2, nothing simulated."""
    assert main(["plan", "tiny", "--quiet", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert named in err and len(err.splitlines()) == 1


def test_the_same_plan_run_again_on_its_cache_simulates_nothing(tmp_path, capsys):
    """--cache DIR keeps every replication: the second run reads them all back and prints the same plan."""
    args = ["plan", "tiny", "--lever", "staffing.field_engineers.count=2:4", "--batch", "3", "--replications-max", "6",
            "--quiet", "--require", "dispatch-4h=90", "--cache", str(tmp_path / "cache")]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert main(args) == 0
    second = capsys.readouterr().out
    assert " 0 replications of 7 days" in second and " 0 from the cache" in first
    assert first.split("\n", 1)[1] == second.split("\n", 1)[1]  # everything after the first line is the same

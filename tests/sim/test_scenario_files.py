"""Scenario files a newcomer writes: an editable copy by `scenario init`, `extends`, the defaults warning."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from svcsim.cli import main
from svcsim.errors import InputError, InputWarning
from svcsim.scenario import load_scenario
from svcsim.simulation import simulate


def test_init_writes_a_copy_that_runs_to_identical_results(tmp_path, capsys):
    path = tmp_path / "center.toml"
    assert main(["scenario", "init", "baseline", str(path)]) == 0
    assert "svcsim run" in capsys.readouterr().out
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# A copy of svcsim's built-in scenario 'baseline'") and "[staffing.field_engineers]" in text
    copy, built_in = simulate(load_scenario(path), seed=2, days=5), simulate("baseline", seed=2, days=5)
    pd.testing.assert_frame_equal(copy.events, built_in.events)
    assert main(["scenario", "init", "baseline", str(path)]) == 2  # never overwritten without --force
    assert "exists" in capsys.readouterr().err
    assert main(["scenario", "init", "mmc", str(tmp_path / "m.toml")]) == 2
    assert "factories" in capsys.readouterr().err


def test_a_file_that_extends_baseline_carries_only_what_differs(tmp_path):
    path = tmp_path / "ten.toml"
    path.write_text('extends = "baseline"\n[staffing.field_engineers]\ncount = 10\n'
                    '[times]\nrepair = { dist = "expon", scale = 30 }\n', encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)  # an extending file leaves nothing to the defaults
        ten = load_scenario(path)
    base = load_scenario("baseline")
    assert ten.name == "ten" and ten.staffing.field_engineers.count == 10
    assert ten.staffing.field_engineers.assignment == base.staffing.field_engineers.assignment
    assert ten.times.repair.dist == "expon" and ten.times.repair.params == {"scale": 30}  # replaced, not merged
    assert ten.demand == base.demand and ten.spares == base.spares


def test_extends_follows_a_chain_of_files_and_merges_groups_over_a_count(tmp_path):
    (tmp_path / "mid.toml").write_text('extends = "baseline"\nname = "mid"\n[staffing.operators]\ncount = 4\n',
                                       encoding="utf-8")
    top = tmp_path / "top.toml"
    top.write_text('extends = "mid.toml"\n[staffing.field_engineers]\n'
                   'groups = [{ name = "day", count = 8 }, { name = "late", count = 3, '
                   'shift = { hours = ["12:00-21:00"] } }]\n', encoding="utf-8")
    scenario = load_scenario(top)
    assert scenario.staffing.operators.count == 4 and scenario.staffing.field_engineers.count == 11
    assert [g.name for g in scenario.staffing.field_engineers.groups] == ["day", "late"]


def test_extends_in_a_circle_or_to_nothing_is_one_clear_error(tmp_path):
    (tmp_path / "a.toml").write_text('extends = "b.toml"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('extends = "a.toml"\n', encoding="utf-8")
    with pytest.raises(InputError, match="extends this file again"):
        load_scenario(tmp_path / "a.toml")
    (tmp_path / "c.toml").write_text('extends = "nowhere"\n', encoding="utf-8")
    with pytest.raises(InputError, match="no scenario named 'nowhere'"):
        load_scenario(tmp_path / "c.toml")


def test_a_file_without_extends_that_leaves_sections_out_is_warned_by_name(tmp_path, capsys):
    path = tmp_path / "bare.toml"
    path.write_text("[staffing.field_engineers]\ncount = 10\n", encoding="utf-8")
    with pytest.warns(InputWarning, match=r"\[calendar\], \[demand\], \[times\], \[probabilities\], \[spares\]"):
        load_scenario(path)
    assert main(["run", str(path), "--days", "1", "--quiet"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("svcsim: warning: ") and 'extends = "baseline"' in err and "Traceback" not in err


def test_init_of_a_scenario_that_relies_on_the_defaults_says_so_and_loads_without_a_warning(tmp_path):
    path = tmp_path / "small.toml"
    assert main(["scenario", "init", "tiny", str(path)]) == 0
    assert 'extends = "defaults"' in path.read_text(encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)
        copy = load_scenario(path)
    pd.testing.assert_frame_equal(simulate(copy, seed=1, days=3).events, simulate("tiny", seed=1, days=3).events)

"""The catalogue lists every built-in scenario, files and factories, one line each; `svcsim scenario list` prints it."""

from __future__ import annotations

import inspect

import svcsim.scenarios
from svcsim.cli import main
from svcsim.scenario import builtin_names, load_scenario
from svcsim.scenario.model import Scenario, SinglePart
from svcsim.scenarios import catalogue


def test_the_catalogue_has_every_toml_file_and_every_factory():
    entries = {entry.name: entry for entry in catalogue()}
    files = {name for name, entry in entries.items() if entry.kind == "file"}
    factories = {name for name, entry in entries.items() if entry.kind == "factory"}
    assert files == set(builtin_names())
    assert {"mmc", "single_part"} <= factories
    # every public function of the module that makes a scenario is listed
    makers = {name for name in svcsim.scenarios.__all__
              if inspect.isfunction(getattr(svcsim.scenarios, name))
              and inspect.signature(getattr(svcsim.scenarios, name)).return_annotation in
              ("Scenario", "SinglePart", Scenario, SinglePart)}
    assert makers == factories
    for entry in entries.values():
        assert entry.description and "\n" not in entry.description


def test_a_file_entry_carries_the_file_s_description():
    entry = next(e for e in catalogue() if e.name == "tiny")
    assert entry.description == load_scenario("tiny").description


def test_a_factory_s_usage_names_its_parameters():
    for entry in (e for e in catalogue() if e.kind == "factory"):
        parameters = inspect.signature(getattr(svcsim.scenarios, entry.name)).parameters
        assert entry.usage.startswith(f"{entry.name}(")
        assert all(name in entry.usage for name in parameters)


def test_scenario_list_prints_the_catalogue(capsys):
    assert main(["scenario", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == [entry.name for entry in catalogue()]
    assert "factory: svcsim.scenarios.single_part(" in lines[-1]

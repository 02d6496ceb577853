"""Every example in the simulator's docs runs and prints what the page says."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ["docs/tutorial/first-run.md", "docs/reference/scenario.md", "docs/howto/stagger-shifts.md"]
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


@pytest.mark.parametrize("path", DOCS)
def test_documentation_examples(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    blocks = re.findall(r"```pycon\n(.*?)```", text, flags=re.DOTALL)
    assert blocks, f"no examples in {path}"
    test = doctest.DocTestParser().get_doctest("\n".join(blocks), {}, path, path, 0)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_reference_lists_every_scenario_field():
    """docs/reference/scenario.md names every field of every scenario section."""
    from svcsim.scenario import model

    text = (ROOT / "docs/reference/scenario.md").read_text(encoding="utf-8")
    from svcsim.scenario import installed_base

    for cls in (model.Scenario, model.Calendar, model.Demand, model.Shift, model.FieldEngineers,
                model.Staffing, model.Times, model.Probabilities, model.Spares,
                installed_base.InstalledBase, installed_base.Batch, installed_base.QualityEvent):
        for name in cls.model_fields:
            assert f"`{name}`" in text, f"{cls.__name__}.{name} is not documented"


def test_the_stagger_shifts_scenario_block_loads(tmp_path):
    """The TOML of docs/howto/stagger-shifts.md is a scenario as written."""
    from svcsim.scenario import load_scenario

    text = (ROOT / "docs/howto/stagger-shifts.md").read_text(encoding="utf-8")
    block = re.findall(r"```toml\n(.*?)```", text, flags=re.DOTALL)[0]
    path = tmp_path / "center.toml"
    path.write_text('name = "center"\n' + block, encoding="utf-8")
    scenario = load_scenario(path)
    assert [g.count for g in scenario.staffing.field_engineers.groups] == [8, 3]
    assert scenario.staffing.dispatchers.count == 2


def test_the_installed_base_block_loads(tmp_path):
    """The TOML of the [installed_base] section of docs/reference/scenario.md is a scenario as written."""
    from svcsim.scenario import load_scenario

    text = (ROOT / "docs/reference/scenario.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```toml\n(.*?)```", text, flags=re.DOTALL) if "[installed_base]" in b)
    path = tmp_path / "center.toml"
    path.write_text('extends = "baseline"\n' + block, encoding="utf-8")
    base = load_scenario(path).installed_base
    assert base.by_batch() == pytest.approx({"A-1": 3000 / 4800, "A-2": 1000 / 4800, "B-1": 800 / 4800})
    assert base.quality_events[0].fault_rate_multiplier == 3.0

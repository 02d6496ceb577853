"""The planner's reference runs its example and lists every ``[plan]`` field."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "reference" / "plan.md"


def test_reference_example_prints_what_the_page_says():
    text = PAGE.read_text(encoding="utf-8")
    blocks = re.findall(r"```pycon\n(.*?)```", text, flags=re.DOTALL)
    assert blocks
    test = doctest.DocTestParser().get_doctest("\n".join(blocks), {}, str(PAGE), str(PAGE), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_reference_lists_every_plan_field_and_its_example_loads(tmp_path):
    from svcsim.scenario import load_scenario
    from svcsim.scenario.plan_settings import PlanSettings

    text = PAGE.read_text(encoding="utf-8")
    for name in PlanSettings.model_fields:
        assert f"`{name}`" in text, f"[plan] {name} is not documented"
    block = re.findall(r"```toml\n(.*?)```", text, flags=re.DOTALL)[0]
    path = tmp_path / "center.toml"
    path.write_text('extends = "baseline"\n' + block, encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.plan.staff_cost_per_year["field_engineers.late"] == 165000.0
    assert scenario.plan.require_fill == {"MB-100": 0.95}


def test_the_howto_plan_section_loads(tmp_path):
    """The how-to's [plan] block is a scenario as written, with its requirements and bounds."""
    from svcsim.scenario import load_scenario

    text = (ROOT / "docs" / "howto" / "plan-staffing-and-stock.md").read_text(encoding="utf-8")
    block = re.findall(r"```toml\n(.*?)```", text, flags=re.DOTALL)[0]
    path = tmp_path / "center.toml"
    path.write_text(block, encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.plan.require == {"arrive-20min": 80.0}
    assert scenario.plan.levers["spares.parts.PSU-350.base_stock"] == [40, 70]

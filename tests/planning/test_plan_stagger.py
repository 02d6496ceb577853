"""``plan(..., shifts="stagger")``: the operators start as the integer program's shift groups.

Opt-in only: without it the planner is what it was (the other planning
tests keep that). On M/M/c the hourly needs are flat, so the MILP gives one
round-the-clock group of Erlang C's minimum, and the planner, starting
there, keeps it (one fewer fails).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from svcsim.analytic import min_servers
from svcsim.errors import InputError
from svcsim.planning import plan
from svcsim.scenario import load_scenario, with_changes
from svcsim.scenarios import mmc

SCRIPT = Path(__file__).resolve().parents[2] / "experiments" / "plan_theory.py"
FAST = {"batch": 5, "max_replications": 30}


def _answer_rules(minutes: float, folder: Path) -> Path:
    spec = importlib.util.spec_from_file_location("plan_theory", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["plan_theory"] = module
    spec.loader.exec_module(module)
    return module.answer_rules(minutes, folder)


def test_stagger_on_mmc_starts_and_ends_at_erlang_c(tmp_path):
    """6 calls/h, 30-minute calls, 85 % within 1 minute: one 24-hour group of Erlang C's minimum, kept."""
    answer = int(min_servers(6.0, 2.0, 0.85, t=1 / 60).servers)
    result = plan(mmc(6.0, 2.0, 4, days=5), levers=None, requirements={"answer": 85.0},
                  rules=_answer_rules(1, tmp_path), shifts="stagger", **FAST)
    paths = [lever.path for lever in result.levers]
    assert "staffing.operators.groups.h00.count" in paths and "staffing.operators.count" not in paths
    index = paths.index("staffing.operators.groups.h00.count")
    assert result.warm_point[index] == answer and result.warm_sources[index].startswith("MILP cover")
    assert result.status == "feasible" and result.point[index] == answer
    assert result.extra["shifts"]["groups"] == [
        {"name": "h00", "count": answer, "shift": {"hours": ["00:00-24:00"], "days": "every"}}]
    written = result.write(tmp_path / "out")
    assert json.loads((tmp_path / "out" / "plan.json").read_text())["shifts"]["servers_per_hour"] == [answer] * 24
    assert [p.name for p in written][0] == "plan.toml"
    assert load_scenario(tmp_path / "out" / "plan.toml").staffing.operators.groups[0].count == answer


def test_plan_section_can_ask_for_it(tmp_path):
    """``[plan] shifts = "stagger"`` does what the argument does; the argument "keep" overrides it."""
    scenario = with_changes(mmc(6.0, 2.0, 4, days=5), {"plan": {"shifts": "stagger", "fix": ["spares.administrators.count",
                                                                                            "spares.purchasing.count"]}})
    rules = _answer_rules(1, tmp_path)
    staggered = plan(scenario, requirements={"answer": 85.0}, rules=rules, **FAST)
    kept = plan(scenario, requirements={"answer": 85.0}, rules=rules, shifts="keep", **FAST)
    assert [lv.path for lv in staggered.levers] == ["staffing.operators.groups.h00.count"]
    assert [lv.path for lv in kept.levers] == ["staffing.operators.count"]
    assert staggered.point == kept.point


def test_mistakes_are_one_line_errors(tmp_path):
    """No answered-within requirement, the operators' count named as a lever, an unknown mode, a bad shift."""
    rules = _answer_rules(1, tmp_path)
    scenario = mmc(6.0, 2.0, 4, days=5)
    with pytest.raises(InputError, match="answered-within"):
        plan("tiny", requirements={"dispatch-4h": 90.0}, shifts="stagger", **FAST)
    with pytest.raises(InputError, match="staffing.operators.count"):
        plan(scenario, levers={"staffing.operators.count": (1, 9)}, requirements={"answer": 85.0}, rules=rules,
             shifts="stagger", **FAST)
    with pytest.raises(InputError, match="shifts"):
        plan(scenario, requirements={"answer": 85.0}, rules=rules, shifts="staggered", **FAST)
    silent = with_changes(scenario, {"demand.calls_per_day": dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat",
                                                                             "sun"), 0.0)})
    with pytest.raises(InputError, match="no operator in any hour"):
        plan(silent, requirements={"answer": 85.0}, rules=rules, shifts="stagger", **FAST)
    with pytest.raises(InputError, match="06:30"):
        plan(scenario, requirements={"answer": 85.0}, rules=rules, shifts="stagger", shift_options=["06:30-14:00"],
             **FAST)
    with pytest.raises(InputError, match="shift_options|shift options"):
        plan(scenario, requirements={"answer": 85.0}, rules=rules, shift_options=["06:00-14:00"], **FAST)


def test_the_command_takes_stagger_shifts(tmp_path, capsys):
    """``svcsim plan --stagger-shifts`` prints the groups it started from."""
    from svcsim.cli import main

    toml = tmp_path / "mmc.toml"
    from svcsim.planning.toml_out import scenario_toml

    toml.write_text(scenario_toml(mmc(6.0, 2.0, 4, days=5), "mmc"), encoding="utf-8")
    code = main(["plan", str(toml), "--require", "answer=85", "--rules", str(_answer_rules(1, tmp_path)),
                 "--stagger-shifts", "--fix", "spares.administrators.count", "--fix", "spares.purchasing.count",
                 "--batch", "5", "--replications-max", "30", "--no-cache", "--quiet"])
    out = capsys.readouterr().out
    assert code == 0
    assert "integer program's shift groups: h00" in out


def test_named_levers_get_the_operator_groups_added(tmp_path):
    """The groups' names come from the MILP, so naming other levers still plans the operators per group."""
    result = plan(mmc(6.0, 2.0, 4, days=5), levers={"spares.purchasing.count": (1, 2)}, requirements={"answer": 85.0},
                  rules=_answer_rules(1, tmp_path), shifts="stagger", **FAST)
    assert [lv.path for lv in result.levers] == ["spares.purchasing.count", "staffing.operators.groups.h00.count"]


def test_erlang_a_when_callers_hang_up_and_shift_options_past_midnight(tmp_path):
    """mmc_abandon's exponential patience gives Erlang A needs; two 12-hour options, one past midnight, cover the day."""
    from svcsim.planning.requirements import resolve_requirements
    from svcsim.planning.stagger import stagger
    from svcsim.rules.load import load_rules
    from svcsim.scenarios import mmc_abandon

    scenario = mmc_abandon(6.0, 2.0, 4, 6.0, days=5)
    rules = load_rules(_answer_rules(1, tmp_path))
    wanted = resolve_requirements(scenario, list(rules.ids()), {"answer": 85.0}, None)
    found = stagger(scenario, wanted, rules, ["08:00-20:00", "20:00-08:00"])
    need = int(min_servers(6.0, 2.0, 0.85, t=1 / 60, model="erlang_a", abandon_rate=6.0).servers)
    assert "Erlang A" in found.source and found.servers_per_hour == (need,) * 24
    assert [(g["name"], g["count"], g["shift"]["hours"]) for g in found.groups] == [
        ("h08", need, ["08:00-20:00"]), ("h20", need, ["00:00-08:00", "20:00-24:00"])]
    assert found.scenario.staffing.operators.count == 2 * need


def test_a_shift_option_without_stagger_shifts_is_a_user_mistake(tmp_path, capsys):
    """``--shift-option`` alone chooses nothing: exit status 2 and one line saying what to add."""
    from svcsim.cli import main

    code = main(["plan", "tiny", "--require", "dispatch-4h=90", "--shift-option", "06:00-14:00", "--no-cache",
                 "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert "--stagger-shifts" in err and len(err.strip().splitlines()) == 1

"""An interrupted plan resumes from the replication cache: the same answer, only the rest simulated."""

from __future__ import annotations

import pytest

import svcsim
from svcsim.scenarios import single_part

FAST = {"batch": 3, "max_replications": 9}


class Interrupted(Exception):
    """What the test raises from the progress callback: the user's Ctrl-C, half-way."""


def _part():  # noqa: ANN202
    return single_part(1.0, 3.0, 9, days=200)


def test_an_interrupted_plan_resumes_with_the_same_answer_and_fewer_new_replications(tmp_path):
    """Stopped after 12 replications, run again on the same cache: same plan, those 12 read back."""
    clean = svcsim.plan(_part(), requirements={"fill:part": 0.73}, start="scenario", **FAST)
    assert clean.replications > 12

    def stop_after_twelve(simulated: int) -> None:
        if simulated >= 12:
            raise Interrupted

    with pytest.raises(Interrupted):
        svcsim.plan(_part(), requirements={"fill:part": 0.73}, start="scenario", cache=tmp_path,
                    progress=stop_after_twelve, **FAST)
    resumed = svcsim.plan(_part(), requirements={"fill:part": 0.73}, start="scenario", cache=tmp_path, **FAST)

    assert resumed.point == clean.point and resumed.status == clean.status
    assert resumed.candidates.equals(clean.candidates)
    assert resumed.replications < clean.replications
    assert resumed.extra["replications_from_cache"] >= 12
    assert resumed.replications + resumed.extra["replications_from_cache"] == clean.replications


def test_a_finished_plan_run_again_simulates_nothing(tmp_path):
    """Every replication of a finished plan is on disk: the second run reads them all."""
    first = svcsim.plan(_part(), requirements={"fill:part": 0.73}, cache=tmp_path, **FAST)
    again = svcsim.plan(_part(), requirements={"fill:part": 0.73}, cache=tmp_path, **FAST)
    assert again.replications == 0 and again.extra["replications_from_cache"] == first.replications
    assert again.point == first.point


def test_other_requirements_or_rules_do_not_read_the_wrong_numbers(tmp_path):
    """A cached replication holds the requirements it was run for; a plan wanting another simulates it."""
    svcsim.plan(_part(), requirements={"fill:part": 0.73}, cache=tmp_path, **FAST)
    scenario = svcsim.load_scenario("tiny")
    tiny = svcsim.plan(scenario, levers={"staffing.field_engineers.count": (2, 4)},
                       requirements={"dispatch-4h": 90.0}, cache=tmp_path, **FAST)
    assert tiny.extra["replications_from_cache"] == 0 and tiny.replications > 0

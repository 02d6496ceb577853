"""Metrics read the CheckResult they are given instead of judging the log again (data flows one way).

Given ``result=`` (``svcsim.check`` of the same log and rules), the repair
success rate, the vendor milestones and the monthly KPIs are the same as
from the bare log, and the rule engine is not run a second time.
"""

from __future__ import annotations

import pandas as pd
import pytest
from metriclogs import center_story

import svcsim.metrics._verdicts as verdicts_module
from svcsim import simulate
from svcsim.metrics import kpi_availability, monthly_kpis, stock_results
from svcsim.rules import check, load_rules

AS_OF = "2026-04-15T12:00:00+08:00"


def _logs():
    run = simulate("tiny", seed=3, days=30)
    return [(center_story(), load_rules(None), pd.Timestamp(AS_OF)), (run.log, run.rules(), run.end)]


@pytest.fixture(scope="module", params=[0, 1], ids=["center story", "a tiny run"])
def judged(request):
    log, rules, as_of = _logs()[request.param]
    return log, rules, as_of, check(log, rules, as_of=as_of)


def _no_second_check(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("check() was called again although a CheckResult was given")
    monkeypatch.setattr(verdicts_module, "check", refuse)


def test_monthly_kpis_from_a_result_equal_those_from_the_bare_log(judged, monkeypatch):
    log, rules, as_of, result = judged
    bare = monthly_kpis(log, as_of=as_of, rules=rules, slow_days=30)
    _no_second_check(monkeypatch)
    given = monthly_kpis(log, as_of=as_of, rules=rules, slow_days=30, result=result)
    pd.testing.assert_frame_equal(given, bare)
    assert given.attrs == bare.attrs
    assert not given.loc[given["kpi"] == "repair_success_rate"].empty


def test_stock_results_from_a_result_equal_those_from_the_bare_log(judged, monkeypatch):
    log, rules, as_of, result = judged
    bare = stock_results(log, as_of=as_of, rules=rules)
    _no_second_check(monkeypatch)
    given = stock_results(log, result=result)  # as_of and rules are the result's
    pd.testing.assert_frame_equal(given, bare)
    assert given.attrs == bare.attrs
    assert "vendor_milestones" not in given.attrs["skipped"]


def test_kpi_availability_reads_the_result_too(judged, monkeypatch):
    log, rules, _as_of, result = judged
    bare = kpi_availability(log, rules=rules)
    _no_second_check(monkeypatch)
    pd.testing.assert_frame_equal(kpi_availability(log, rules=rules, result=result), bare)


def test_a_result_judged_at_another_moment_is_refused():
    log, rules, as_of = _logs()[0]
    result = check(log, rules, as_of=as_of)
    with pytest.raises(ValueError, match="judged as of"):
        monthly_kpis(log, as_of="2026-04-01T00:00:00+08:00", rules=rules, result=result)


def test_fix_rules_and_the_vendor_ladder_are_found_by_what_they_say_not_by_their_ids():
    """Renamed built-in rules still make the repair success rate and the vendor milestones."""
    from dataclasses import replace

    from svcsim.metrics.repairs import fix_rules
    from svcsim.metrics.stock import vendor_ladder

    rules = load_rules(None)
    renamed = replace(rules, rules=tuple(r.model_copy(update={"id": f"my-{r.id}"}) for r in rules.rules))
    chosen, why = fix_rules(renamed)
    assert why is None and {r.id for r in chosen.rules} == {"my-software-72h", "my-hardware-7d"}
    assert vendor_ladder(renamed).id == "my-vendor"

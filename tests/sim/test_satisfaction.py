"""The customers' answers at the satisfaction callback: what they say follows what they lived through.

Every callback carries an answer; a dissatisfied one names the targets the
ticket missed (as the rules judge them) and a repeat fault; with no chance of
dissatisfaction everyone is satisfied; and fewer field engineers, who miss
more targets, leave fewer customers satisfied, by a margin a manager would see.
"""

from __future__ import annotations

import numpy as np
import pytest

from svcsim import load_scenario, simulate, with_changes
from svcsim.simulation.satisfaction import CUSTOMER_TARGETS

BASE = load_scenario("baseline")


@pytest.fixture(scope="module")
def run():
    return simulate(BASE, seed=3, days=21)


def test_every_callback_carries_an_answer_that_matches_the_cases_table(run):
    ev = run.events
    calls = ev[ev["activity"] == "callback_made"]
    assert len(calls) > 500 and calls["reason"].notna().all()
    said = calls.assign(case_id=calls["case_id"].astype(str)).set_index("case_id")["reason"].astype(str)
    satisfied = run.cases.assign(case_id=run.cases["case_id"].astype(str)).set_index("case_id")["satisfied"]
    assert ((said == "satisfied") == satisfied.reindex(said.index).astype(bool)).all()
    assert satisfied.drop(said.index).isna().all()  # no callback, no answer
    assert 0.8 < float((said == "satisfied").mean()) < 0.99


def test_a_dissatisfied_customer_names_only_targets_the_ticket_missed(run):
    verdicts = run.check().results
    breached = verdicts[verdicts["status"].astype(str) == "breached"]
    missed = breached.groupby(breached["case_id"].astype(str), observed=True)["rule_id"].agg(lambda s: set(map(str, s)))
    ev = run.events
    unhappy = ev[(ev["activity"] == "callback_made") & ev["reason"].astype(str).str.startswith("dissatisfied")]
    assert len(unhappy) >= 20
    parents = run.cases.assign(case_id=run.cases["case_id"].astype(str)).set_index("case_id")["parent_id"]
    for case, reason in zip(unhappy["case_id"].astype(str), unhappy["reason"].astype(str), strict=True):
        named = reason.removeprefix("dissatisfied: ")
        for part in named.split("; "):
            if part.startswith("missed "):
                rules = set(part.removeprefix("missed ").split(", "))
                assert rules <= set(CUSTOMER_TARGETS) and rules <= missed.get(case, set()), (case, reason)
            elif part == "repeat fault":
                assert isinstance(parents[case], str), (case, reason)
            else:
                assert part == "no stated reason", reason


def test_with_no_chance_of_dissatisfaction_everyone_is_satisfied():
    calm = with_changes(BASE, {"probabilities.dissatisfied": 0.0, "probabilities.dissatisfied_per_missed_target": 0.0,
                               "probabilities.dissatisfied_repeat_fault": 0.0})
    run = simulate(calm, seed=3, days=7)
    calls = run.events[run.events["activity"] == "callback_made"]
    assert len(calls) > 100 and calls["reason"].isna().all() and "satisfied" not in run.cases.columns


def test_fewer_field_engineers_leave_fewer_customers_satisfied():
    """Three engineers fewer (11 -> 8), the same calls: satisfaction falls by at least 10 points on every seed."""
    drops = []
    for seed in (1, 2, 3):
        shares = [float(simulate(with_changes(BASE, {"staffing.field_engineers.count": n}), seed=seed, days=21)
                        .cases["satisfied"].mean()) for n in (11, 8)]
        drops.append(100.0 * (shares[0] - shares[1]))
    assert min(drops) >= 10.0, drops
    assert np.mean(drops) < 40.0, drops

"""Invariants of the model on small random scenarios (hypothesis).

- every call ends in at most one outcome (abandoned, solved by phone, logged,
  closed), and a call with no outcome is still open at the horizon;
- per case, events are in causal order: received <= answered,
  ticket_logged <= dispatched <= arrived_on_site <= completed <= callback;
- nobody holds two jobs at once (busy records of a worker never overlap);
- nobody starts work outside their shift (a job running at the end of a
  shift is finished, so it may end after it).
"""

from __future__ import annotations

import bisect

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from simhelpers import first_times

from svcsim.scenario import load_scenario, with_changes
from svcsim.simulation import simulate

TINY = load_scenario("tiny")


@st.composite
def scenarios(draw):
    changes = {
        "staffing.operators": draw(st.integers(1, 3)),
        "staffing.tech_support": draw(st.integers(0, 2)),
        "staffing.dispatchers": draw(st.integers(1, 2)),
        "staffing.field_engineers.count": draw(st.integers(1, 5)),
        "staffing.field_engineers.shared": draw(st.booleans()),
        "staffing.bench_engineers": draw(st.integers(0, 2)),
        "staffing.dispatch_policy": draw(st.sampled_from(["fifo", "priority", "nearest"])),
        "demand.calls_per_day": dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), draw(st.floats(5, 60))),
        "probabilities.fix_fails_software": draw(st.floats(0, 0.5)),
        "probabilities.part_needed": draw(st.floats(0, 1)),
    }
    if draw(st.booleans()):
        changes["staffing.supervisor.shift"] = {"hours": ["10:00-15:00"], "days": "service"}
        changes["probabilities.major_complaint"] = 1.0
    if draw(st.booleans()):
        changes["staffing.operators.shift"] = {"hours": ["09:00-12:00", "13:00-16:00"], "days": "service"}
    return with_changes(TINY, changes), draw(st.integers(0, 2**16)), draw(st.integers(1, 4))


OUTCOMES = ("call_abandoned", "resolved_by_phone", "ticket_logged")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_invariants_hold(case):
    scenario, seed, days = case
    run = simulate(scenario, seed=seed, days=days)
    events = run.events
    tickets = set(run.cases.loc[run.cases["case_type"] == "ticket", "case_id"])
    ev = events[events["case_id"].astype(str).isin(tickets)]
    counts = ev.groupby([ev["case_id"].astype(str), ev["activity"].astype(str)]).size().unstack(fill_value=0)
    for column in (*OUTCOMES, "call_answered", "closed", "dispatched", "completed"):
        if column not in counts:
            counts[column] = 0
    closed_on_phone = counts["closed"] * (counts["ticket_logged"] == 0)
    outcomes = counts["call_abandoned"] + counts["resolved_by_phone"] + counts["ticket_logged"] + closed_on_phone
    assert (outcomes <= 1).all()
    assert (counts["call_answered"] <= 1).all() and (counts["dispatched"] <= 1).all()
    assert ((counts["call_abandoned"] == 0) | (counts["call_answered"] == 0)).all()

    times = first_times(ev)
    chain = ["call_received", "call_answered", "ticket_logged", "dispatched", "arrived_on_site", "completed",
             "callback_made"]
    present = [c for c in chain if c in times]
    for earlier, later in zip(present, present[1:], strict=False):
        both = times[earlier].notna() & times[later].notna()
        assert (times.loc[both, earlier] <= times.loc[both, later]).all(), (earlier, later)
    for later in present[1:]:
        assert (times[later].isna() | times["call_received"].notna()).all()

    busy = run.busy.sort_values(["resource", "start"])
    for _, jobs in busy.groupby("resource", observed=True):
        start, end = jobs["start"].to_numpy(), jobs["end"].to_numpy()
        assert (start[1:] >= end[:-1] - 1e-9).all(), "a worker held two jobs at once"
    # the overtime rule: outside a shift only the job in hand is finished, then a field
    # engineer drives back to the center, so work starting off duty follows on without a gap
    ends = {(r, round(e, 6)) for r, e in zip(busy["resource"], busy["end"], strict=True)}
    for role, jobs in busy.groupby("role", observed=True):
        duty = run.duty[str(role)]
        ons = [on for on, _ in duty]
        for resource, start in zip(jobs["resource"], jobs["start"].to_numpy(), strict=True):
            i = bisect.bisect_right(ons, start) - 1
            on_duty = i >= 0 and duty[i][0] <= start < duty[i][1] + 1e-9
            assert on_duty or (resource, round(start, 6)) in ends, (role, start)
    assert np.isfinite(run.utilisation["busy_minutes"]).all()


def test_when_calls_stop_every_case_reaches_its_end():
    """Calls on Monday only, a week to drain: every call has exactly one outcome, every
    logged job is completed or shipped and called back, every bad part is sent to the supplier."""
    quiet = dict.fromkeys(("tue", "wed", "thu", "fri", "sat", "sun"), 0.0)
    scenario = with_changes(TINY, {
        "demand.calls_per_day": {"mon": 40.0, **quiet},
        "staffing.tech_support": 2, "staffing.bench_engineers": 2,
        "probabilities.fix_fails_software": 0.0, "probabilities.fix_fails_hardware": 0.0,
    })
    run = simulate(scenario, seed=4, days=7)
    ev = run.events.assign(case_id=run.events["case_id"].astype(str), activity=run.events["activity"].astype(str))
    counts = ev.groupby(["case_id", "activity"]).size().unstack(fill_value=0)
    cases = run.cases.set_index("case_id")
    tickets = counts.loc[cases.loc[counts.index, "case_type"].eq("ticket").to_numpy()]
    logged = tickets["ticket_logged"]
    closed_on_phone = tickets["closed"] * (logged == 0)
    outcomes = tickets["call_abandoned"] + tickets["resolved_by_phone"] + logged + closed_on_phone
    assert (outcomes == 1).all()
    jobs = tickets[logged == 1]
    finished = jobs["completed"] + jobs.get("unit_shipped", 0)
    assert (finished == 1).all() and (jobs["callback_made"] == 1).all() and (jobs["closed"] == 1).all()
    items = counts.loc[cases.loc[counts.index, "case_type"].eq("item").to_numpy()]
    assert len(items) > 0 and (items["sent_to_vendor"] == 1).all()

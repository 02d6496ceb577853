"""The simulated center keeps the rule it is judged by: a paid repair is never cancelled once started.

The processes accept a customer's cancellation before ``repair_started`` and
refuse it after (``svcsim/processes/cancellations.py``); the rule engine,
reading only the log, must then find no ``paid-no-cancel`` breach, a
not-applicable row for each accepted cancellation, and the refusals among
the met cases.
"""

from __future__ import annotations

import pytest

from svcsim.simulation import simulate


@pytest.fixture(scope="module")
def run():
    return simulate("baseline", seed=3, days=60)  # 26 refusals and 5 accepted cancellations when written


def test_no_simulated_paid_repair_is_cancelled_once_started(run):
    results = run.check().results
    rows = results[results["rule_id"] == "paid-no-cancel"]
    status = rows.set_index(rows["case_id"].astype(str))["status"].astype(str)
    events = run.events.assign(activity=run.events["activity"].astype(str), case_id=run.events["case_id"].astype(str))
    cancelled = set(events.loc[events["activity"] == "cancelled", "case_id"])
    refused = set(events.loc[events["activity"] == "cancel_refused", "case_id"])
    assert cancelled and refused  # the run has both stories, so the checks below have something to hold
    assert (status == "breached").sum() == 0
    assert set(status.index[status == "not_applicable"]) == cancelled
    assert refused <= set(status.index[status == "met"])


def test_a_runs_summary_counts_the_prohibition_as_due(run):
    """No deadline to wait for: the run's horizon summary gives an attainment, not 'not yet due'."""
    row = run.check().summary.set_index("rule_id").loc["paid-no-cancel"]
    assert row["not_yet_due"] == 0 and row["decided"] == row["met"] > 0 and row["attainment_pct"] == 100.0

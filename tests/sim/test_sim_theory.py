"""Agreement with queueing theory, measured from the event log only.

`mmc` must agree with Erlang C (probability of waiting, mean wait) and
`mmc_abandon` with Erlang A (probability of abandoning) within 99% confidence
intervals over independent replications, at several loads. Waits are
`call_received` -> `call_answered`; calls of the first and last day are left
out (the queue starts empty; the horizon cuts calls short). The field
engineers under the ``when_free`` assignment are the same pooled queue
(`ticket_logged` -> `dispatched`), once the operators, dispatchers and
drives take next to no time.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from simhelpers import first_times, hours

from svcsim.analytic import erlang_a, erlang_c
from svcsim.scenario import with_changes
from svcsim.scenarios import mmc, mmc_abandon
from svcsim.simulation import simulate

REPLICATIONS = 12
DAYS = 30
Z99 = 2.576


def _steady_calls(run):
    times = first_times(run.events)
    start = run.start + np.timedelta64(1, "D")
    end = run.end - np.timedelta64(1, "D")
    received = times["call_received"]
    return times[(received >= start) & (received < end)]


def _within(values: list[float], expected: float) -> tuple[bool, str]:
    mean = float(np.mean(values))
    half = Z99 * float(np.std(values, ddof=1)) / math.sqrt(len(values))
    return abs(mean - expected) <= half, f"simulated {mean:.4f} +- {half:.4f}, theory {expected:.4f}"


@pytest.mark.parametrize(("lam", "mu", "c"), [(2.0, 1.0, 3), (4.0, 1.0, 5), (8.0, 2.0, 5)])
def test_mmc_agrees_with_erlang_c(lam, mu, c):
    """P(wait > 0) and E[wait] of answered calls match Erlang C."""
    theory = erlang_c(lam, mu, c)
    p_wait, mean_wait = [], []
    for rep in range(REPLICATIONS):
        calls = _steady_calls(simulate(mmc(lam, mu, c, days=DAYS), seed=7, replication=rep))
        wait = hours(calls["call_answered"] - calls["call_received"]).dropna()
        p_wait.append(float((wait > 0).mean()))
        mean_wait.append(float(wait.mean()))
    ok, text = _within(p_wait, theory.p_wait)
    assert ok, "P(wait): " + text
    ok, text = _within(mean_wait, theory.mean_wait)
    assert ok, "E[wait] (h): " + text


@pytest.mark.parametrize(("lam", "mu", "c", "theta"), [(4.0, 1.0, 4, 2.0), (9.0, 1.0, 10, 0.5), (6.0, 1.0, 5, 6.0)])
def test_mmc_abandon_agrees_with_erlang_a(lam, mu, c, theta):
    """The share of callers who hang up matches Erlang A."""
    theory = erlang_a(lam, mu, c, theta)
    shares = []
    for rep in range(REPLICATIONS):
        calls = _steady_calls(simulate(mmc_abandon(lam, mu, c, theta, days=DAYS), seed=11, replication=rep))
        shares.append(float(calls["call_abandoned"].notna().mean()))
    ok, text = _within(shares, theory.p_abandon)
    assert ok, "P(abandon): " + text


def _field_mmc(lam: float, mu: float, c: int):  # noqa: ANN202
    """Field tickets at ``lam`` an hour onto ``c`` shared engineers, ``when_free``, exponential jobs of mean 1/``mu`` h.

    Operators, dispatchers and drives take a second or less, so the dispatch
    wait is the M/M/c queue's wait (Burke: the operators' departures are Poisson).
    """
    quick = {"dist": "expon", "scale": 0.01}
    always = {"hours": ["00:00-24:00"], "days": "every"}
    return with_changes(mmc(lam, 6000.0, 40, days=DAYS), {
        "demand.mix": {"field": 1.0}, "demand.zones": {"city": 1.0},
        "probabilities.in_warranty": 1.0, "probabilities.software_fault": 1.0, "probabilities.urgent": 0.0,
        "probabilities.fix_fails_software": 0.0, "probabilities.fix_fails_hardware": 0.0,
        "staffing.dispatchers": {"count": 20, "shift": always},
        "staffing.field_engineers": {"count": c, "shift": always, "shared": True, "assignment": "when_free",
                                     "overtime_minutes": float("inf")},
        "staffing.dispatch_policy": "fifo",
        "times.dispatch": quick, "times.callback": quick, "times.software_fix": quick,
        "times.travel": {"city": quick}, "times.diagnosis": {"dist": "expon", "scale": 60.0 / mu},
    })


@pytest.mark.parametrize(("lam", "mu", "c"), [(2.0, 1.0, 3), (4.0, 1.0, 5)])
def test_when_free_field_engineers_agree_with_erlang_c(lam, mu, c):
    """P(wait) and E[wait] from logging to dispatch match Erlang C (the wait includes ~1 s of dispatch)."""
    theory = erlang_c(lam, mu, c)
    p_wait, mean_wait = [], []
    for rep in range(REPLICATIONS):
        run = simulate(_field_mmc(lam, mu, c), seed=5, replication=rep)
        times = first_times(run.events)
        logged = times["ticket_logged"]
        steady = times[(logged >= run.start + np.timedelta64(1, "D")) & (logged < run.end - np.timedelta64(1, "D"))]
        wait = hours(steady["dispatched"] - steady["ticket_logged"]).dropna()
        p_wait.append(float((wait > 0.01).mean()))  # more than the dispatcher's second: an engineer was busy
        mean_wait.append(float(wait.mean()))
    ok, text = _within(p_wait, theory.p_wait)
    assert ok, "P(wait): " + text
    ok, text = _within(mean_wait, theory.mean_wait)
    assert ok, "E[wait] (h): " + text


def test_the_whole_log_is_accounted_for():
    """Every mmc call is answered and solved, abandoned, or still open at the horizon."""
    run = simulate(mmc_abandon(6.0, 1.0, 5, 6.0, days=3), seed=1)
    times = first_times(run.events)
    answered, abandoned = times["call_answered"].notna(), times["call_abandoned"].notna()
    assert not (answered & abandoned).any()
    assert (times["resolved_by_phone"].notna() <= answered).all()

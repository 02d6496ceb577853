"""Parameter recovery: simulate a known scenario, fit it from its own log, hold the estimates to the truth.

Three centers (baseline, tiny, and ``east``, which differs in volume, hour
profile, mix and times). The fit must give the daily volume within 5 %,
each hour's share of the calls within 1 point, the routing shares (mix,
zones, and the chances drawn for every call) within 2 points and the
medians of the times within 10 %. Chances decided on a few hundred cases
(part needed, in the van, solved by technical support...) have a sampling
error near 2 points at these lengths, so they are held to their own
interval instead.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import svcsim
from svcsim.fitting.families import fit_duration
from tests.fitting.scenarios import scenario, simulated

#: name -> days simulated (enough calls for the 1-point hour shares: ~5,000+ calls)
RUNS = {"baseline": 42, "tiny": 280, "east": 56}

#: The times whose pairs measure the drawn time itself (docs/reference/fit-log.md).
#: Left out: times.dispatch (the hold for a free engineer is not narrated: biased up), the carry-in delay and
#: mail transit (they include the wait for the center to open), times.warranty_check (the administrator's packing
#: for the supplier ends at no narrated event, so its queue correction starts too early: +14 % in tiny), and the
#: times that need the censored fit.
TIMES = ("times.handle", "times.diagnosis", "times.software_fix", "times.repair", "times.callback",
         "times.bench_test")

SHARES = ("probabilities.solved_by_phone", "probabilities.software_fault", "probabilities.urgent",
          "probabilities.in_warranty", "probabilities.part_needed", "probabilities.part_in_van")


@pytest.fixture(scope="module", params=sorted(RUNS))
def fitted(request: pytest.FixtureRequest) -> tuple[svcsim.Scenario, svcsim.Run, object]:
    name = request.param
    run = simulated(name, RUNS[name])
    return scenario(name), run, svcsim.fit(run.log, scenario(name), bootstrap=0)


def _rows(fit: object) -> dict[str, object]:
    return {p.path: p for p in fit.report.parameters}


def test_daily_volume_within_5_percent(fitted):
    """The mean calls of a working day, fitted, is within 5 % of the scenario's."""
    truth, _, fit = fitted
    days = [d for d, v in truth.demand.calls_per_day.items() if v > 0]
    expected = np.mean([truth.demand.calls_per_day[d] for d in days])
    got = np.mean([fit.scenario.demand.calls_per_day[d] for d in days])
    assert abs(got / expected - 1) < 0.05, (got, expected)
    assert all(fit.scenario.demand.calls_per_day[d] == 0 for d in truth.demand.calls_per_day if d not in days)


def test_each_hour_share_within_one_point(fitted):
    """Every hour's share of a day's calls is within 1 percentage point of the scenario's profile."""
    truth, _, fit = fitted
    want = np.asarray(truth.demand.hourly_profile) / sum(truth.demand.hourly_profile)
    got = np.asarray(fit.scenario.demand.hourly_profile) / sum(fit.scenario.demand.hourly_profile)
    assert np.max(np.abs(got - want)) < 0.01, np.round(100 * (got - want), 2)


def test_routing_shares_within_two_points(fitted):
    """The mix, the zones and the branch chances are within 2 points of the scenario's."""
    truth, _, fit = fitted
    for kind, share in truth.demand.mix.items():
        want = share / sum(truth.demand.mix.values())
        assert abs(fit.scenario.demand.mix[kind] - want) < 0.02, (kind, fit.scenario.demand.mix[kind], want)
    for zone, share in truth.demand.zones.items():
        want = share / sum(truth.demand.zones.values())
        assert abs(fit.scenario.demand.zones[zone] - want) < 0.02, (zone, fit.scenario.demand.zones[zone], want)
    for name in ("software_fault", "urgent", "in_warranty"):  # drawn for every call: thousands of trials
        assert abs(getattr(fit.scenario.probabilities, name) - getattr(truth.probabilities, name)) < 0.02, name


def test_branch_chances_inside_their_intervals(fitted):
    """Chances decided on fewer cases (hundreds) are held to their Wilson interval: 95 %, widened to 3 sigma."""
    truth, _, fit = fitted
    rows = _rows(fit)
    for path in SHARES:
        row = rows[path]
        want = getattr(truth.probabilities, path.split(".")[1])
        assert row.source == "log", row
        lo, hi = row.interval
        half = (hi - lo) / 2 * 3 / 1.96
        assert row.estimate - half <= want <= row.estimate + half, (row, want)


def test_time_medians_within_10_percent(fitted):
    """Each time measured by a pair of events has its median within 10 % of the scenario's."""
    truth, _, fit = fitted
    for path in TIMES:
        name = path.split(".")[1]
        want = getattr(truth.times, name).frozen().ppf(0.5)
        got = getattr(fit.scenario.times, name).frozen().ppf(0.5)
        assert abs(got / want - 1) < 0.10, (path, got, want)
    for row in fit.report.parameters:  # the drives from the center, on 60+ first visits (median's error ~5 % or less)
        if row.path.startswith("times.travel_between.center.") and row.source == "log" and row.cases >= 60:
            zone = row.path.rsplit(".", 1)[1]
            want = truth.times.travel_between["center"][zone].frozen().ppf(0.5)
            got = fit.scenario.times.travel_between["center"][zone].frozen().ppf(0.5)
            assert abs(got / want - 1) < 0.10, (row.path, got, want)


def test_staffing_counts_are_the_scenario_s(fitted):
    """Every role with resources in the log gets the scenario's head count."""
    truth, _, fit = fitted
    for role in ("operators", "dispatchers", "field_engineers", "bench_engineers"):
        assert getattr(fit.scenario.staffing, role).count == getattr(truth.staffing, role).count, role


def test_open_cases_are_censored_not_dropped():
    """Cut at 10:00 on a working day: calls in hand then are censored handle times, and nothing later is read."""
    run = simulated("tiny", RUNS["tiny"])
    until = pd.Timestamp("2025-03-19T10:00:00+08:00")   # a Wednesday, the center open
    fit = svcsim.fit(run.log, "tiny", until=until, bootstrap=0)
    assert fit.report.log_end == until.tz_convert("UTC").isoformat()
    assert fit.report.events == int((run.log.events["timestamp"] < until).sum())
    rows = {p.path: p for p in fit.report.parameters}
    counts = {path: re.search(r"(\d+) censored", row.note) for path, row in rows.items() if row.source == "log"}
    censored = {path: int(found.group(1)) for path, found in counts.items() if found}
    assert censored["times.handle"] >= 1 or censored["times.repair"] + censored["times.diagnosis"] >= 1, censored
    assert sum(censored.values()) >= 5, censored


def test_censored_times_recovered():
    """Patience (answered callers censored) and the supplier turnaround (items still out) need the censored fit."""
    if fit_duration(np.array([1.0, 2.0, 3.0, 4.0] * 10), np.r_[np.zeros(36, bool), np.ones(4, bool)],
                    bootstrap=0).fallback_reason == "placeholder":
        pytest.skip("families.fit_duration is still the uncensored placeholder (issue 19: the censored fit lands there)")
    truth = scenario("baseline")
    fit = svcsim.fit(simulated("baseline", RUNS["baseline"]).log, truth, bootstrap=0)
    got, want = fit.scenario.patience.frozen().ppf(0.5), truth.patience.frozen().ppf(0.5)
    assert abs(got / want - 1) < 0.15, (got, want)

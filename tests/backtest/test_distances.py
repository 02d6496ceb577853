"""The three distances of a backtest: hand-computed on tiny logs, and equal to log-distance-measures' own.

Each is an earth mover's distance in hours between two histograms, after
Chapela-Campa et al. (BPM 2023); svcsim writes them with scipy, and the
package that defines them (an optional extra, ``svcsim[compare]``) is the
oracle here.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from bthelpers import ZONE, log_of, package_frame
from hypothesis import given, settings
from hypothesis import strategies as st

from svcsim.backtesting.distances import (
    case_arrival_distance,
    circadian_event_distance,
    cycle_time_distance,
    cycle_times_hours,
)
from svcsim.eventlog import EventLog


def test_cycle_time_distance_by_hand():
    """Cycle times 1 h and 3 h against 2 h and 2 h: bins 0, 2 against 1, 1 from the shortest: each moves 1 h."""
    a = log_of({"a1": ["2025-03-03 09:00", "2025-03-03 10:00"], "a2": ["2025-03-03 09:00", "2025-03-03 12:00"]})
    b = log_of({"b1": ["2025-03-04 09:00", "2025-03-04 11:00"], "b2": ["2025-03-05 13:00", "2025-03-05 15:00"]})
    assert sorted(cycle_times_hours(a)) == [1.0, 3.0]
    assert cycle_time_distance(a, b) == pytest.approx(1.0)
    assert cycle_time_distance(a, a) == 0.0


def test_cycle_time_bins_are_whole_hours_from_the_shortest():
    """1.5 h against 3.2 h: bins 0 and floor(1.7) = 1, so 1 h apart, not 1.7 h; with 30-minute bins, 3 bins = 1.5 h."""
    a = log_of({"a": ["2025-03-03 09:00", "2025-03-03 10:30"]})
    b = log_of({"b": ["2025-03-03 09:00", "2025-03-03 12:12"]})
    assert cycle_time_distance(a, b) == pytest.approx(1.0)
    assert cycle_time_distance(a, b, bin_hours=0.5) == pytest.approx(1.5)


def test_circadian_distance_by_hand():
    """Monday events at 9:10 and 9:50 against one at 11:00: 2 h that weekday, 0 on the six empty ones: 2/7.

    A Tuesday event in one log only costs the widest gap, 23 h: (2 + 23) / 7.
    """
    a = log_of({"a": ["2025-03-03 09:10", "2025-03-03 09:50"]})
    b = log_of({"b": ["2025-03-03 11:00"]})
    assert circadian_event_distance(a, b, zone=ZONE) == pytest.approx(2 / 7)
    a2 = log_of({"a": ["2025-03-03 09:10", "2025-03-03 09:50"], "x": ["2025-03-04 10:00"]})
    assert circadian_event_distance(a2, b, zone=ZONE) == pytest.approx(25 / 7)


def test_circadian_distance_reads_the_centers_hours():
    """09:00 in Shanghai is 01:00 UTC: the same two logs are 0 apart in either zone, but the hours are local."""
    a = log_of({"a": ["2025-03-03 09:00"]})
    b = log_of({"b": ["2025-03-10 09:30"]})
    assert circadian_event_distance(a, b, zone=ZONE) == 0.0
    late = log_of({"c": ["2025-03-03 23:30"]})  # Monday 23:30 local is Monday 15:30 UTC
    assert circadian_event_distance(a, late, zone=ZONE) == pytest.approx(14 / 7)
    assert circadian_event_distance(a, late, zone="UTC") == pytest.approx(14 / 7)


def test_case_arrival_distance_by_hand():
    """Arrivals 08:30 and 10:10 against 09:05 and 09:55, hours since 08:00: bins 0, 2 against 1, 1: 1 h."""
    a = log_of({"a1": ["2025-03-03 08:30", "2025-03-03 12:00"], "a2": ["2025-03-03 10:10"]})
    b = log_of({"b1": ["2025-03-03 09:05"], "b2": ["2025-03-03 09:55", "2025-03-04 09:00"]})
    assert case_arrival_distance(a, b) == pytest.approx(1.0)


def test_an_empty_log_has_no_distance():
    """Nothing to compare is NaN, never 0."""
    a = log_of({"a": ["2025-03-03 08:30"]})
    empty = EventLog.from_frames(a.events.iloc[:0])
    assert math.isnan(cycle_time_distance(a, empty))
    assert math.isnan(circadian_event_distance(empty, a, zone=ZONE))
    assert math.isnan(case_arrival_distance(a, empty))


# -- against the package ---------------------------------------------------------
def _package():
    return pytest.importorskip("log_distance_measures", reason="log-distance-measures is not installed "
                               "(pip install 'svcsim[compare]'); it is the oracle of these tests")


def _random_log(seed: int, n_cases: int, prefix: str) -> EventLog:
    """Cases starting over two weeks, each with 1-5 events spread over up to three days (minute precision)."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2025-03-03 00:00", tz=ZONE)
    rows = []
    for i in range(n_cases):
        first = start + pd.Timedelta(minutes=int(rng.integers(0, 14 * 1440)))
        offsets = np.sort(rng.integers(0, 3 * 1440, size=int(rng.integers(1, 6))))
        offsets[0] = 0
        rows += [(f"{prefix}{i}", "noted", first + pd.Timedelta(minutes=int(m))) for m in offsets]
    return EventLog.from_frames(pd.DataFrame(rows, columns=["case_id", "activity", "timestamp"]))


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31), n_a=st.integers(1, 40), n_b=st.integers(1, 40))
def test_the_distances_are_the_packages(seed, n_a, n_b):
    """On random small logs, each distance equals log-distance-measures' (Wasserstein variant, hour bins)."""
    _package()
    from log_distance_measures.case_arrival_distribution import case_arrival_distribution_distance
    from log_distance_measures.circadian_event_distribution import (
        circadian_event_distribution_distance,
    )
    from log_distance_measures.config import EventLogIDs
    from log_distance_measures.cycle_time_distribution import cycle_time_distribution_distance

    a, b = _random_log(seed, n_a, "a"), _random_log(seed + 1, n_b, "b")
    ids = EventLogIDs()
    pa, pb = package_frame(a), package_frame(b)
    assert cycle_time_distance(a, b) == pytest.approx(
        cycle_time_distribution_distance(pa, ids, pb, ids, bin_size=dt.timedelta(hours=1)), abs=1e-9)
    assert circadian_event_distance(a, b, zone=ZONE) == pytest.approx(
        circadian_event_distribution_distance(pa, ids, pb, ids), abs=1e-9)
    assert case_arrival_distance(a, b) == pytest.approx(case_arrival_distribution_distance(pa, ids, pb, ids), abs=1e-9)


def test_the_distances_are_the_packages_on_a_simulated_log():
    """Two replications of the tiny center, a week each: the package agrees on all three."""
    _package()
    from log_distance_measures.case_arrival_distribution import case_arrival_distribution_distance
    from log_distance_measures.circadian_event_distribution import (
        circadian_event_distribution_distance,
    )
    from log_distance_measures.config import EventLogIDs
    from log_distance_measures.cycle_time_distribution import cycle_time_distribution_distance

    import svcsim

    a, b = (svcsim.simulate("tiny", seed=3, replication=r).log for r in (0, 1))
    ids = EventLogIDs()
    pa, pb = package_frame(a), package_frame(b)
    assert cycle_time_distance(a, b) == pytest.approx(
        cycle_time_distribution_distance(pa, ids, pb, ids, bin_size=dt.timedelta(hours=1)), abs=1e-9)
    assert circadian_event_distance(a, b, zone=ZONE) == pytest.approx(
        circadian_event_distribution_distance(pa, ids, pb, ids), abs=1e-9)
    assert case_arrival_distance(a, b) == pytest.approx(case_arrival_distribution_distance(pa, ids, pb, ids), abs=1e-9)
    assert cycle_time_distance(a, b) > 0


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**31), n_a=st.integers(1, 30), n_b=st.integers(1, 30))
def test_each_distance_is_zero_to_itself_symmetric_and_not_negative(seed, n_a, n_b):
    a, b = _random_log(seed, n_a, "a"), _random_log(seed + 1, n_b, "b")
    for distance in (cycle_time_distance, case_arrival_distance,
                     lambda x, y: circadian_event_distance(x, y, zone=ZONE)):
        assert distance(a, a) == 0.0
        assert distance(a, b) == pytest.approx(distance(b, a)) and distance(a, b) >= 0

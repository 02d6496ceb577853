"""min_servers finds the smallest staffing; square-root staffing lands near it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svcsim.analytic import erlang_a, erlang_c, min_servers, square_root_staffing


def test_published_example_needs_fourteen_agents():
    """100 calls per 30 min, 3-min handle time, 80 % in 20 s: 13 agents give 0.7956,
    14 give 0.88835, so 14 are needed."""
    r = min_servers(100 / 30, 1 / 3, 0.8, t=20 / 60)
    assert r.servers == 14
    assert r.achieved == pytest.approx(erlang_c(100 / 30, 1 / 3, 14).service_level(1 / 3))
    assert erlang_c(100 / 30, 1 / 3, 13).service_level(1 / 3) < 0.8


def test_shrinkage_turns_servers_into_headcount():
    """Headcount is servers / (1 - shrinkage) rounded up, and exact divisions are not
    pushed up by rounding error (21 / (1 - 0.3) is 30.000000000000004 in floats)."""
    r = min_servers(100 / 30, 1 / 3, 0.8, t=20 / 60, shrinkage=0.3)
    assert (r.servers, r.headcount) == (14, 20)
    r = min_servers(19.0, 1.0, 0.5, t=0.1, shrinkage=0.3)
    assert 21 / (1 - 0.3) > 30
    assert (r.servers, r.headcount) == (21, 30)


@pytest.mark.parametrize(
    ("kwargs", "check"),
    [
        ({"target": 0.5 / 60, "metric": "mean_wait"}, lambda r: r.mean_wait <= 0.5 / 60),
        ({"target": 0.2, "metric": "p_wait"}, lambda r: r.p_wait <= 0.2),
    ],
)
def test_erlang_c_other_targets(kwargs, check):
    """For mean-wait and P(wait) targets the answer meets the target and one server
    fewer does not."""
    r = min_servers(100 / 30, 1 / 3, **kwargs)
    assert check(erlang_c(100 / 30, 1 / 3, r.servers))
    assert not check(erlang_c(100 / 30, 1 / 3, r.servers - 1))


@pytest.mark.parametrize(
    ("metric", "target", "t", "check"),
    [
        ("service_level", 0.8, 1 / 3, lambda r: r.service_level(1 / 3) >= 0.8),
        ("p_abandon", 0.03, None, lambda r: r.p_abandon <= 0.03),
        ("mean_wait", 0.1, None, lambda r: r.mean_wait <= 0.1),
    ],
)
def test_erlang_a_targets(metric, target, t, check):
    """Erlang A staffing for service-level, abandonment and mean-wait targets is the
    smallest that meets them."""
    r = min_servers(100 / 30, 1 / 3, target, t=t, model="erlang_a", abandon_rate=0.5,
                    metric=metric)
    assert check(erlang_a(100 / 30, 1 / 3, r.servers, 0.5))
    assert not check(erlang_a(100 / 30, 1 / 3, r.servers - 1, 0.5))


def test_abandonment_needs_fewer_agents_than_infinite_patience():
    """Callers who hang up shorten the queue: Erlang A never asks for more agents
    than Erlang C for the same service-level target."""
    c = min_servers(200.0, 10.0, 0.9, t=0.005).servers
    a = min_servers(200.0, 10.0, 0.9, t=0.005, model="erlang_a", abandon_rate=20.0).servers
    assert a <= c


def test_max_occupancy_can_bind():
    """A cap on occupancy adds servers when the service target alone would run the
    agents hotter than the cap."""
    free = min_servers(1000.0, 1.0, 0.5, t=0.01)
    capped = min_servers(1000.0, 1.0, 0.5, t=0.01, max_occupancy=0.9)
    assert free.occupancy > 0.9
    assert capped.servers == int(np.ceil(1000 / 0.9))
    assert capped.occupancy <= 0.9


def test_arrays_give_one_answer_per_element():
    """Array arguments broadcast: each element is searched on its own."""
    r = min_servers(np.array([10.0, 20.0, 30.0]), 1.0, 0.8, t=0.1)
    assert r.servers.tolist() == [min_servers(x, 1.0, 0.8, t=0.1).servers
                                  for x in (10.0, 20.0, 30.0)]


def test_inconsistent_arguments_are_refused():
    """Erlang A without an abandon rate, a service level without t, and an
    abandonment target for Erlang C are errors."""
    with pytest.raises(ValueError, match="abandon_rate"):
        min_servers(1.0, 1.0, 0.8, t=1.0, model="erlang_a")
    with pytest.raises(ValueError, match="t:"):
        min_servers(1.0, 1.0, 0.8)
    with pytest.raises(ValueError, match="p_abandon"):
        min_servers(1.0, 1.0, 0.1, metric="p_abandon")


@pytest.mark.parametrize("a", [10.0, 100.0, 1000.0, 5000.0])
def test_square_root_staffing_is_a_close_warm_start(a):
    """Halfin-Whitt's c = a + beta sqrt(a) lands within two servers of the exact
    Erlang C answer for 80 % in a sixth of a handle time."""
    approx = square_root_staffing(a, 1.0, 0.8, 1 / 6)
    exact = min_servers(a, 1.0, 0.8, t=1 / 6)
    assert abs(approx.servers - exact.servers) <= 2
    assert approx.beta > 0


@settings(max_examples=30, deadline=None)
@given(
    a=st.floats(0.1, 300.0),
    target=st.floats(0.05, 0.99),
    t=st.floats(0.0, 1.0),
    theta=st.one_of(st.none(), st.floats(0.05, 5.0)),
)
def test_min_servers_is_the_smallest_that_meets_the_target(a, target, t, theta):
    """The returned c meets the service-level target and c - 1 does not (Erlang C
    below the stability bound counts as not meeting it)."""
    if theta is None:
        r = min_servers(a, 1.0, target, t=t)
        sl = erlang_c(a, 1.0, [r.servers - 1, r.servers]).service_level(t)
    else:
        r = min_servers(a, 1.0, target, t=t, model="erlang_a", abandon_rate=theta)
        sl = erlang_a(a, 1.0, [max(r.servers - 1, 0), r.servers], theta).service_level(t)
    assert sl[1] >= target
    assert r.servers == 0 or sl[0] < target

"""Erlang B and C against published numbers and exact rational arithmetic."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svcsim.analytic import erlang_b, erlang_c


def exact_erlang_b(a: Fraction, c: int) -> Fraction:
    """B(c, a) = (a^c/c!) / sum_{n<=c} a^n/n!, in exact rationals."""
    term = Fraction(1)
    total = Fraction(1)
    for n in range(1, c + 1):
        term = term * a / n
        total += term
    return term / total


def exact_erlang_c(a: Fraction, c: int) -> Fraction:
    """C = c B / (c - a (1 - B)), in exact rationals."""
    b = exact_erlang_b(a, c)
    return c * b / (c - a * (1 - b))


def test_published_erlang_c_example():
    """100 calls per 30 min, 3-min handle time, 14 agents, 20 s target (R ErlangC,
    pyworkforce): P(wait) = 0.17413 and service level = 0.88835 to 5 decimals."""
    r = erlang_c(100 / 30, 1 / 3, 14)
    assert round(r.p_wait, 5) == 0.17413
    assert round(r.service_level(20 / 60), 5) == 0.88835
    assert abs(r.p_wait - 0.17413) / 0.17413 < 3e-5  # the published value is rounded
    assert abs(r.service_level(20 / 60) - 0.88835) / 0.88835 < 1e-5


def test_published_erlang_b_example():
    """B(17 servers, 10 erlangs) = 0.0129489 (published to 7 decimals)."""
    assert round(erlang_b(10.0, 17), 7) == 0.0129489


@pytest.mark.parametrize(
    ("a", "c"),
    [(Fraction(10), 17), (Fraction(1, 3), 1), (Fraction(95), 100), (Fraction(480), 500),
     (Fraction(300), 250), (Fraction(1020), 1000), (Fraction(7, 2), 40)],
)
def test_erlang_b_matches_exact_rationals(a, c):
    """Erlang B agrees with exact rational arithmetic to 1e-12 relative, hundreds of
    servers included (no factorial overflow)."""
    assert erlang_b(float(a), c) == pytest.approx(float(exact_erlang_b(a, c)), rel=1e-12)


@pytest.mark.parametrize(("a", "c"), [(Fraction(10), 14), (Fraction(95), 100),
                                      (Fraction(480), 500), (Fraction(990), 1000)])
def test_erlang_c_matches_exact_rationals(a, c):
    """Erlang C's P(wait) and mean wait agree with exact rationals to 1e-12 relative."""
    mu = 0.5
    r = erlang_c(float(a) * mu, mu, c)
    exact = exact_erlang_c(a, c)
    assert r.p_wait == pytest.approx(float(exact), rel=1e-12)
    assert r.mean_wait == pytest.approx(float(exact) / (c * mu - float(a) * mu), rel=1e-12)


def test_unstable_erlang_c_never_serves_in_time():
    """With a >= c there is no steady state: every arrival waits, the mean wait is
    infinite and no finite service-level target is met."""
    r = erlang_c(12.0, 1.0, [12, 11])
    assert not r.stable.any()
    assert (r.p_wait == 1).all()
    assert np.isinf(r.mean_wait).all()
    assert (r.service_level(100.0) == 0).all()


def test_broadcasting_returns_arrays_and_scalars_stay_scalars():
    """Array arguments broadcast element by element; scalar arguments give floats."""
    loads = np.array([[1.0], [5.0]])
    servers = np.array([2, 8, 20])
    b = erlang_b(loads, servers)
    assert b.shape == (2, 3)
    for i in range(2):
        for j in range(3):
            assert b[i, j] == erlang_b(float(loads[i, 0]), int(servers[j]))
    assert isinstance(erlang_b(3.0, 4), float)
    assert isinstance(erlang_c(3.0, 1.0, 4).service_level(0.5), float)


def test_bad_arguments_are_named():
    """A negative load or fractional servers raises ValueError naming the argument."""
    with pytest.raises(ValueError, match="offered_load"):
        erlang_b(-1.0, 3)
    with pytest.raises(ValueError, match="servers"):
        erlang_b(1.0, 2.5)
    with pytest.raises(ValueError, match="service_rate"):
        erlang_c(1.0, 0.0, 3)


@settings(max_examples=60, deadline=None)
@given(a=st.floats(0.0, 300.0), c=st.integers(0, 400))
def test_erlang_b_is_a_probability_decreasing_in_servers(a, c):
    """B is in [0, 1] and does not increase when a server is added."""
    b0, b1 = erlang_b(a, [c, c + 1])
    assert 0.0 <= b1 <= b0 <= 1.0


@settings(max_examples=60, deadline=None)
@given(a=st.floats(0.01, 300.0), extra=st.integers(1, 50), t=st.floats(0.0, 5.0))
def test_erlang_c_monotone_in_servers(a, extra, t):
    """Adding a server lowers P(wait) and the mean wait and raises the service level;
    P(wait) >= B and every probability is in [0, 1]."""
    c = int(np.floor(a)) + extra
    r = erlang_c(a, 1.0, [c, c + 1])
    assert 0.0 <= r.p_wait[1] <= r.p_wait[0] <= 1.0
    assert r.mean_wait[1] <= r.mean_wait[0]
    sl = r.service_level(t)
    assert 0.0 <= sl[0] <= sl[1] <= 1.0
    assert r.p_wait[0] >= erlang_b(a, c) * (1 - 1e-12)

"""Erlang A: identities, limits, a brute-force chain and reference values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm
from scipy.stats import poisson

from svcsim.analytic import SERVICE_LEVEL_DEFINITIONS, erlang_a, erlang_c

SERVED, ANSWERED_OR_ABANDONED = SERVICE_LEVEL_DEFINITIONS


def brute_force(lam, mu, c, theta, t, n_max=150):
    """An independent Erlang A: the birth-death generator truncated at ``n_max`` and
    solved densely for pi; the wait of a customer who finds j waiting from the
    matrix exponential of an absorbing chain whose state is the number still
    ahead of them (0..n_max-c), plus "served" and "abandoned"."""
    n = np.arange(n_max + 1)
    q = np.diag(np.full(n_max, lam), 1)
    q += np.diag((np.minimum(n, c) * mu + np.maximum(n - c, 0) * theta)[1:], -1)
    q -= np.diag(q.sum(axis=1))
    system = np.vstack([q.T[:-1], np.ones(n_max + 1)])
    rhs = np.zeros(n_max + 1)
    rhs[-1] = 1.0
    pi = np.linalg.solve(system, rhs)
    p_wait = pi[c:].sum()
    queue = (np.maximum(n - c, 0) * pi).sum()
    k = n_max - c + 1  # transient states: 0..n_max-c customers ahead
    served, abandoned = k, k + 1
    g = np.zeros((k + 2, k + 2))
    for ahead in range(k):
        g[ahead, ahead - 1 if ahead else served] = c * mu + ahead * theta
        g[ahead, abandoned] = theta
        g[ahead, ahead] = -(c * mu + ahead * theta + theta)
    p = expm(g * t)
    served_within = 1.0 - p_wait + pi[c:] @ p[:k, served]
    within = served_within + pi[c:] @ p[:k, abandoned]
    return p_wait, theta * queue / lam, queue / lam, served_within, within


@pytest.mark.parametrize(
    ("lam", "mu", "c", "theta", "t"),
    [(10.0, 1.0, 12, 0.5, 0.2), (5.0, 1.0, 3, 2.0, 0.5), (3.0, 1.0, 4, 0.1, 1.0),
     (8.0, 2.0, 3, 0.7, 0.3), (2.0, 1.0, 0, 1.5, 0.4)],
)
def test_agrees_with_truncated_birth_death_chain(lam, mu, c, theta, t):
    """P(wait), P(abandon), the mean wait and both service levels agree with a dense
    solution of the truncated chain to 1e-9 relative."""
    r = erlang_a(lam, mu, c, theta)
    want = brute_force(lam, mu, c, theta, t)
    got = (r.p_wait, r.p_abandon, r.mean_wait, r.service_level(t, SERVED),
           r.service_level(t, ANSWERED_OR_ABANDONED))
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-14)


@pytest.mark.parametrize(("a", "c"), [(10.0, 12), (3.0, 1), (95.0, 100), (480.0, 500),
                                      (1020.0, 1000), (2000.0, 2100)])
def test_abandon_rate_equal_to_service_rate_is_poisson(a, c):
    """With theta = mu every customer in system leaves at rate mu, the number in
    system is Poisson(a), so P(wait) = P(Poisson(a) >= c) (exact to 1e-12, large
    systems included)."""
    r = erlang_a(a * 0.25, 0.25, c, 0.25)
    assert r.p_wait == pytest.approx(poisson.sf(c - 1, a), rel=1e-12)
    # and the queue is E[(N - c)+] of that Poisson
    n = np.arange(0, int(a + 40 * np.sqrt(a) + 50))
    queue = np.sum(np.maximum(n - c, 0) * poisson.pmf(n, a))
    assert r.mean_wait == pytest.approx(queue / (a * 0.25), rel=1e-9)


@pytest.mark.parametrize("theta", [1e-4, 1e-7, 1e-10])
def test_tends_to_erlang_c_as_patience_grows(theta):
    """As theta -> 0 Erlang A tends to Erlang C, error O(theta): P(wait), mean wait
    and both service levels."""
    lam, mu, c, t = 100 / 30, 1 / 3, 14, 1 / 3
    a, ec = erlang_a(lam, mu, c, theta), erlang_c(lam, mu, c)
    tol = 10 * theta
    assert a.p_wait == pytest.approx(ec.p_wait, rel=tol)
    assert a.mean_wait == pytest.approx(ec.mean_wait, rel=tol)
    for definition in SERVICE_LEVEL_DEFINITIONS:
        assert a.service_level(t, definition) == pytest.approx(ec.service_level(t), rel=tol)


def test_zero_abandon_rate_is_erlang_c():
    """theta = 0 is Erlang C exactly; nobody abandons."""
    a, ec = erlang_a(9.0, 1.0, 10, 0.0), erlang_c(9.0, 1.0, 10)
    assert (a.p_wait, a.mean_wait, a.p_abandon) == (ec.p_wait, ec.mean_wait, 0.0)
    assert a.service_level(0.3) == ec.service_level(0.3)


@pytest.mark.parametrize(
    ("args", "want"),
    [
        # 50-digit values computed once with mpmath: R = sum_{n<c} pi_n/pi_c and
        # A = sum_j t_j summed term by term to 1e-45
        ((480.0, 1.0, 500, 0.5), (0.210562103022321, 0.0031783328767686369)),
        ((520.0, 1.0, 500, 0.2), (0.98250383224588316, 0.038889124534714603)),
        ((950.0, 1.0, 1000, 2.0), (0.048799040661396048, 0.0010989194654659119)),
        ((10.0, 1.0, 12, 0.3), (0.36678404510907027, 0.030004508742634649)),
    ],
)
def test_large_systems_against_high_precision_values(args, want):
    """Hundreds of servers, under and over load: P(wait) and P(abandon) within 1e-12
    of 50-digit values."""
    r = erlang_a(*args)
    assert r.p_wait == pytest.approx(want[0], rel=1e-12)
    assert r.p_abandon == pytest.approx(want[1], rel=1e-12)


def test_service_levels_at_zero_and_forever():
    """At t = 0 both service levels are 1 - P(wait); as t grows "served within t"
    tends to 1 - P(abandon) and "answered or abandoned within t" to 1."""
    r = erlang_a(12.0, 1.0, 11, 0.4)
    for definition in SERVICE_LEVEL_DEFINITIONS:
        assert r.service_level(0.0, definition) == pytest.approx(1 - r.p_wait, rel=1e-12)
    assert r.service_level(200.0, SERVED) == pytest.approx(1 - r.p_abandon, rel=1e-12)
    assert r.service_level(200.0, ANSWERED_OR_ABANDONED) == pytest.approx(1.0, rel=1e-12)


def test_unknown_definition_is_refused():
    """Only the two documented service-level definitions are accepted."""
    with pytest.raises(ValueError, match="definition"):
        erlang_a(1.0, 1.0, 2, 1.0).service_level(0.1, "answered within t")


@settings(max_examples=40, deadline=None)
@given(
    a=st.floats(0.05, 200.0),
    c=st.integers(1, 220),
    theta=st.floats(1e-3, 5.0),
    t=st.floats(0.0, 3.0),
)
def test_probabilities_in_range_and_monotone_in_servers(a, c, theta, t):
    """Every probability is in [0, 1]; adding a server lowers P(wait), P(abandon) and
    the mean wait and raises both service levels; served-within-t never exceeds
    answered-or-abandoned-within-t; P(abandon) = theta * mean wait."""
    r = erlang_a(a, 1.0, [c, c + 1], theta)
    for field in (r.p_wait, r.p_abandon, r.occupancy):
        assert ((field >= 0) & (field <= 1)).all()
    tol = 1e-12
    assert r.p_wait[1] <= r.p_wait[0] + tol
    assert r.p_abandon[1] <= r.p_abandon[0] + tol
    assert r.mean_wait[1] <= r.mean_wait[0] * (1 + tol) + tol
    served, within = r.service_level(t, SERVED), r.service_level(t, ANSWERED_OR_ABANDONED)
    assert served[0] <= served[1] + tol
    assert within[0] <= within[1] + tol
    assert (served <= within + tol).all()
    # Little's law for abandonment; atol covers subnormal values (below ~2e-308), which carry fewer digits
    np.testing.assert_allclose(r.p_abandon, theta * r.mean_wait, rtol=1e-12, atol=1e-300)


def test_arrays_match_scalar_calls():
    """Broadcast arguments give, element by element, the scalar answers."""
    servers = np.array([0, 5, 12, 30])
    r = erlang_a(10.0, 1.0, servers, np.array([[0.2], [0.0]]))
    assert r.p_wait.shape == (2, 4)
    for i, theta in enumerate((0.2, 0.0)):
        for j, c in enumerate(servers):
            one = erlang_a(10.0, 1.0, int(c), theta)
            assert r.p_wait[i, j] == pytest.approx(one.p_wait, rel=1e-14)
            assert r.service_level(0.1)[i, j] == pytest.approx(one.service_level(0.1), rel=1e-14)


def test_no_servers_means_everyone_abandons():
    """With c = 0 every caller waits and abandons, after 1/theta on average."""
    r = erlang_a(4.0, 1.0, 0, 0.5)
    assert (r.p_wait, r.p_abandon, r.mean_wait) == pytest.approx((1.0, 1.0, 2.0))
    assert r.service_level(1.0, SERVED) == 0.0

"""Vendor ageing: lambda E[(R - d)+] against closed forms."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from svcsim.analytic import vendor_aging

DAYS = np.array([0.0, 3.0, 7.0, 15.0, 30.0, 60.0])


def test_exponential_turnaround():
    """Exponential with mean tau: lambda tau exp(-d / tau)."""
    got = vendor_aging(2.0, stats.expon(scale=10.0), DAYS)
    np.testing.assert_allclose(got, 2.0 * 10.0 * np.exp(-DAYS / 10.0), rtol=1e-9)


def test_deterministic_turnaround():
    """Always D days: lambda (D - d)+."""
    got = vendor_aging(1.5, stats.randint(30, 31), DAYS)
    np.testing.assert_allclose(got, 1.5 * np.maximum(30.0 - DAYS, 0.0), rtol=1e-12)


def test_uniform_turnaround():
    """Uniform on [10, 30]: 20 - d below 10, (30 - d)^2 / 40 between, 0 above."""
    want = np.where(DAYS < 10, 20 - DAYS, np.where(DAYS < 30, (30 - DAYS) ** 2 / 40, 0.0))
    np.testing.assert_allclose(vendor_aging(1.0, stats.uniform(10, 20), DAYS), want,
                               rtol=1e-9, atol=1e-12)


def test_gamma_and_lognormal_turnarounds():
    """Gamma(k, s): k s Q(k+1, d/s) - d Q(k, d/s); lognormal(sigma, e^mu):
    e^(mu + sigma^2/2) Phi(d1) - d Phi(d1 - sigma), d1 = (mu + sigma^2 - ln d)/sigma."""
    k, s = 3.0, 4.0
    d = DAYS[1:]
    want = k * s * stats.gamma.sf(d, k + 1, scale=s) - d * stats.gamma.sf(d, k, scale=s)
    np.testing.assert_allclose(vendor_aging(1.0, stats.gamma(k, scale=s), d), want, rtol=1e-9)
    mu, sigma = np.log(8.0), 0.9
    d1 = (mu + sigma**2 - np.log(d)) / sigma
    want = np.exp(mu + sigma**2 / 2) * stats.norm.cdf(d1) - d * stats.norm.cdf(d1 - sigma)
    got = vendor_aging(1.0, stats.lognorm(sigma, scale=np.exp(mu)), d)
    np.testing.assert_allclose(got, want, rtol=1e-9)


def test_age_zero_is_the_whole_pipeline():
    """At d = 0 the count is Palm's pipeline lambda E[R]; a scalar day gives a float."""
    got = vendor_aging(0.7, stats.weibull_min(1.5, scale=12.0), 0.0)
    assert isinstance(got, float)
    assert got == pytest.approx(0.7 * stats.weibull_min(1.5, scale=12.0).mean(), rel=1e-9)


def test_not_a_distribution_is_refused():
    """A bare number is not a turnaround distribution."""
    with pytest.raises(ValueError, match="turnaround"):
        vendor_aging(1.0, 30.0, DAYS)


@settings(max_examples=25, deadline=None)
@given(shape=st.floats(0.3, 5.0), scale=st.floats(0.5, 40.0), d=st.floats(0.0, 100.0))
def test_count_falls_with_age(shape, scale, d):
    """Older lists are shorter: the count is non-negative and falls as d grows."""
    dist = stats.gamma(shape, scale=scale)
    a, b = vendor_aging(1.0, dist, [d, d + 1.0])
    assert 0.0 <= b <= a + 1e-12


def test_empirical_turnaround_from_observed_days():
    """An empirical distribution (rv_discrete of observed turnarounds, not on the
    integers) sums (r - d)+ over its points: half at 2.5 and half at 7.5 days give
    0.5 * 0.3 + 0.5 * 5.3 = 2.8 at d = 2.2."""
    dist = stats.rv_discrete(values=([2.5, 7.5], [0.5, 0.5]))
    got = vendor_aging(1.0, dist, [0.0, 2.2, 7.5])
    np.testing.assert_allclose(got, [5.0, 2.8, 0.0], rtol=1e-12, atol=1e-15)

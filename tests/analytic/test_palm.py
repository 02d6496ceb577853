"""Palm's theorem: identities, direct sums, high-precision values, properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import poisson

from svcsim.analytic import min_stock, palm


def direct_sums(m: float, s: int):
    """EBO, VBO and on hand by summing (x - S)+ and (S - x)+ against scipy's pmf."""
    x = np.arange(0, int(m + 40 * np.sqrt(m) + s + 60))
    p = poisson.pmf(x, m)
    back = np.maximum(x - s, 0)
    ebo = np.sum(back * p)
    return ebo, np.sum(back**2 * p) - ebo**2, np.sum(np.maximum(s - x, 0) * p)


@pytest.mark.parametrize("m", [0.01, 0.7, 5.0, 37.3, 400.0])
def test_agrees_with_direct_summation(m):
    """EBO, backorder variance and stock on hand equal direct sums over the Poisson
    pmf (1e-9 relative) for stocks below, at and above the pipeline."""
    for s in sorted({0, 1, 2, int(m), int(m) + 1, int(m + 3 * np.sqrt(m)) + 1}):
        r = palm(m, 1.0, s)
        ebo, vbo, on_hand = direct_sums(m, s)
        assert r.expected_backorders == pytest.approx(ebo, rel=1e-9, abs=1e-300)
        assert r.backorder_variance == pytest.approx(vbo, rel=1e-9, abs=1e-300)
        assert r.expected_on_hand == pytest.approx(on_hand, rel=1e-9, abs=1e-300)


@pytest.mark.parametrize(
    ("m", "s", "ebo", "vbo"),
    [  # 50-digit values computed once with mpmath by summing the Poisson tail
        (5000.0, 5100, 2.5470896256960138, 138.95836765193383),
        (5000.0, 4950, 59.945001244019899, 3214.269733492802),
        (250.5, 300, 0.0055463070250758822, 0.049788730017485213),
        (0.05, 3, 2.5273283932069484e-7, 2.5781274134995951e-7),
    ],
)
def test_large_pipelines_against_high_precision_values(m, s, ebo, vbo):
    """Pipelines of thousands and far tails keep 1e-12 relative accuracy."""
    r = palm(m, 1.0, s)
    assert r.expected_backorders == pytest.approx(ebo, rel=1e-12)
    assert r.backorder_variance == pytest.approx(vbo, rel=1e-12)


def test_fill_rate_is_poisson_cdf_at_stock_minus_one():
    """Palm: the fill rate is P(Poisson(m) <= S - 1) and the ready rate P(... <= S)."""
    stock = np.arange(0, 15)
    r = palm(0.4, 12.5, stock)
    np.testing.assert_allclose(r.fill_rate, poisson.cdf(stock - 1, 5.0), rtol=1e-12)
    np.testing.assert_allclose(r.ready_rate, poisson.cdf(stock, 5.0), rtol=1e-12)


def test_one_more_spare_removes_the_chance_of_a_stockout():
    """EBO(S) - EBO(S+1) = P(X > S) = 1 - fill rate(S+1): each extra spare cuts
    backorders by the probability that it would be in use."""
    stock = np.arange(0, 25)
    r = palm(2.0, 4.0, stock)
    drops = r.expected_backorders[:-1] - r.expected_backorders[1:]
    np.testing.assert_allclose(drops, 1.0 - r.fill_rate[1:], rtol=1e-10)


def test_on_hand_minus_backorders_is_stock_minus_pipeline():
    """Conservation: on hand - backorders = S - m, for every stock."""
    r = palm(1.5, 3.0, np.arange(0, 20))
    np.testing.assert_allclose(r.expected_on_hand - r.expected_backorders,
                               np.arange(0, 20) - 4.5, atol=1e-12)


def test_no_stock_means_every_unit_in_resupply_is_a_backorder():
    """S = 0: EBO = VBO = m (the pipeline itself), fill rate 0."""
    r = palm(0.3, 10.0, 0)
    assert (r.expected_backorders, r.backorder_variance, r.fill_rate) == pytest.approx(
        (3.0, 3.0, 0.0)
    )


def test_min_stock_is_the_smallest_meeting_the_fill_rate():
    """min_stock returns S with fill(S) >= target > fill(S - 1)."""
    for m, target in [(5.0, 0.95), (0.2, 0.9), (300.0, 0.99), (12.0, 0.5)]:
        s = min_stock(m, 1.0, target)
        assert palm(m, 1.0, s).fill_rate >= target
        assert s == 0 or palm(m, 1.0, s - 1).fill_rate < target
    assert min_stock(0.0, 5.0, 0.99) == 0
    np.testing.assert_array_equal(min_stock([5.0, 0.2], 1.0, 0.9), [9, 2])


@settings(max_examples=50, deadline=None)
@given(m=st.floats(0.0, 500.0), s=st.integers(0, 700))
def test_properties(m, s):
    """Rates are probabilities; adding a spare lowers EBO, raises fill and ready
    rates; fill <= ready; every measure is non-negative."""
    r = palm(m, 1.0, [s, s + 1])
    for rate in (r.fill_rate, r.ready_rate):
        assert ((rate >= 0) & (rate <= 1)).all()
    assert (r.fill_rate <= r.ready_rate + 1e-15).all()
    assert r.expected_backorders[1] <= r.expected_backorders[0]
    assert r.fill_rate[1] >= r.fill_rate[0]
    assert (r.backorder_variance >= 0).all() and (r.expected_on_hand >= 0).all()

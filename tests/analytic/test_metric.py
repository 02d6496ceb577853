"""METRIC and VARI-METRIC against Palm and the two-moment decomposition."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom, poisson

from svcsim.analytic import metric, palm, vari_metric

RATES = np.array([0.1, 0.2, 0.05])


def decomposition(rates, ship, t0, s0, base):
    """The base pipeline of Graves' decomposition by brute-force convolution: units
    in transit (Poisson(lambda_j O_j)) plus base j's binomial share of the depot's
    (X0 - s0)+ backorders. Returns the mean, variance and EBO at ``base`` stock."""
    lam0 = rates.sum()
    x = np.arange(0, 400)
    depot = poisson.pmf(x + s0, lam0 * t0)  # P(B0 = x) for x >= 1
    depot[0] = poisson.cdf(s0, lam0 * t0)
    out = []
    for j, lam in enumerate(rates):
        share = np.array([np.sum(depot * binom.pmf(k, x, lam / lam0)) for k in range(120)])
        pipe = np.convolve(share, poisson.pmf(np.arange(120), lam * ship))[:120]
        k = np.arange(120)
        mean = np.sum(k * pipe)
        out.append((mean, np.sum(k * k * pipe) - mean**2,
                    np.sum(np.maximum(k - base[j], 0) * pipe)))
    return np.array(out)


def test_ample_depot_stock_reduces_to_palm_at_each_base():
    """With a depot that never runs out, each base is a Palm system with pipeline
    lambda_j O_j, under METRIC and VARI-METRIC alike."""
    for model in (metric, vari_metric):
        r = model(RATES, 4.0, 30.0, depot_stock=60, base_stocks=[1, 2, 0])
        want = palm(RATES, 4.0, [1, 2, 0]).expected_backorders
        np.testing.assert_allclose(r.expected_backorders, want, rtol=1e-9)
        assert r.depot_delay < 1e-12


def test_depot_delay_is_littles_law():
    """The mean depot delay is EBO_0 / lambda_0, and the base pipeline mean is
    lambda_j (O_j + delay)."""
    r = metric(RATES, 4.0, 30.0, depot_stock=5, base_stocks=1)
    ebo0 = palm(RATES.sum(), 30.0, 5).expected_backorders
    assert r.depot_backorders == pytest.approx(ebo0, rel=1e-12)
    assert r.depot_delay == pytest.approx(ebo0 / RATES.sum(), rel=1e-12)
    np.testing.assert_allclose(r.pipeline_mean, RATES * (4.0 + r.depot_delay), rtol=1e-12)


def test_vari_metric_matches_the_two_moments_of_the_decomposition():
    """VARI-METRIC's base pipeline mean and variance equal those of Poisson transit
    plus a binomial share of depot backorders (1e-9), and its EBO is closer to the
    decomposition's than METRIC's, which ignores the extra variance."""
    base = [1, 1, 0]
    exact = decomposition(RATES, 4.0, 30.0, 3, base)
    v = vari_metric(RATES, 4.0, 30.0, depot_stock=3, base_stocks=base)
    m = metric(RATES, 4.0, 30.0, depot_stock=3, base_stocks=base)
    np.testing.assert_allclose(v.pipeline_mean, exact[:, 0], rtol=1e-9)
    np.testing.assert_allclose(v.pipeline_variance, exact[:, 1], rtol=1e-9)
    assert (v.pipeline_variance > v.pipeline_mean).all()
    err_v = np.abs(v.expected_backorders - exact[:, 2])
    err_m = np.abs(m.expected_backorders - exact[:, 2])
    assert (err_v[:2] < err_m[:2]).all()  # the third base holds no stock: EBO = mean
    assert err_v[2] == pytest.approx(err_m[2], abs=1e-12)


def test_no_depot_stock_keeps_the_pipeline_poisson():
    """With s0 = 0 every depot order is a backorder, the thinned stream is Poisson,
    and VARI-METRIC equals METRIC."""
    v = vari_metric(RATES, 4.0, 30.0, depot_stock=0, base_stocks=2)
    m = metric(RATES, 4.0, 30.0, depot_stock=0, base_stocks=2)
    np.testing.assert_allclose(v.pipeline_variance, v.pipeline_mean, rtol=1e-12)
    np.testing.assert_allclose(v.expected_backorders, m.expected_backorders, rtol=1e-12)


def test_base_repair_sends_less_to_the_depot():
    """A share repaired at the base leaves the depot demand at (1 - r) lambda and puts
    r lambda R_j into the base pipeline."""
    r = metric(RATES, 4.0, 30.0, depot_stock=2, base_stocks=1, base_repair_fraction=0.4,
               base_repair_times=2.0)
    assert r.depot_demand_rate == pytest.approx(0.6 * RATES.sum())
    want = RATES * (0.4 * 2.0 + 0.6 * (4.0 + r.depot_delay))
    np.testing.assert_allclose(r.pipeline_mean, want, rtol=1e-12)
    with pytest.raises(ValueError, match="base_repair_times"):
        metric(RATES, 4.0, 30.0, 2, 1, base_repair_fraction=0.4)


def test_more_stock_anywhere_means_fewer_base_backorders():
    """Raising the depot stock or a base stock never raises any base's backorders."""
    for model in (metric, vari_metric):
        ref = model(RATES, 4.0, 30.0, 2, [1, 1, 1]).expected_backorders
        assert (model(RATES, 4.0, 30.0, 3, [1, 1, 1]).expected_backorders <= ref).all()
        assert (model(RATES, 4.0, 30.0, 2, [2, 1, 1]).expected_backorders <= ref).all()

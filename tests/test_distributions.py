"""The families numpy draws in place of scipy.stats give scipy's values bit for bit, and the same verdicts.

``svcsim.scenario.distribution`` draws ``expon``, ``lognorm`` and ``uniform``
with numpy so a run need not import scipy.stats; these property tests hold
every draw, every mean and every accept/refuse decision equal to scipy's.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from svcsim.scenario.distribution import Dist, Frozen, freeze
from svcsim.streams import Streams

positive = st.floats(min_value=1e-6, max_value=1e6, allow_nan=False, allow_infinity=False)
location = st.floats(min_value=0.0, max_value=1e6, allow_nan=False, allow_infinity=False)
whole = st.integers(min_value=1, max_value=1000)
shape = st.floats(min_value=1e-3, max_value=5.0) | st.integers(min_value=1, max_value=3)


def params_of(family: str) -> st.SearchStrategy[dict]:
    base = st.fixed_dictionaries({}, optional={"scale": positive | whole, "loc": location | st.just(0)})
    if family == "lognorm":
        return st.builds(lambda b, s: {**b, "s": s}, base, shape)
    return base


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@pytest.mark.parametrize("family", ["expon", "lognorm", "uniform"])
@settings(max_examples=150, deadline=None)
@given(data=st.data(), seed=st.integers(min_value=0, max_value=2**32 - 1), n=st.integers(min_value=1, max_value=2000))
def test_draws_and_means_equal_scipy_bit_for_bit(family, data, seed, n):
    """`rvs(n, random_state=generator)` and `mean()` are scipy's, byte for byte, and leave the generator where scipy does."""
    params = data.draw(params_of(family))
    ours, theirs = freeze(family, **params), getattr(scipy.stats, family)(**params)
    assert isinstance(ours, Frozen)
    g1, g2 = np.random.default_rng(seed), np.random.default_rng(seed)
    assert _same(np.asarray(ours.rvs(size=n, random_state=g1)), np.asarray(theirs.rvs(size=n, random_state=g2)))
    assert g1.bit_generator.state == g2.bit_generator.state
    assert _same(np.asarray(ours.mean()), np.asarray(theirs.mean()))
    assert ours.ppf(0.3) == theirs.ppf(0.3)  # everything else is scipy's own


@pytest.mark.parametrize("family", ["expon", "lognorm", "uniform"])
@settings(max_examples=100, deadline=None)
@given(data=st.data(), seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_a_sampler_draws_what_it_drew_from_scipy(family, data, seed):
    """The streams' samplers hand out the same numbers for a Frozen as for the scipy distribution."""
    params = data.draw(params_of(family))
    a = Streams(seed, 0).sampler("handle", freeze(family, **params))
    b = Streams(seed, 0).sampler("handle", getattr(scipy.stats, family)(**params))
    assert [a() for _ in range(1100)] == [b() for _ in range(1100)]


any_number = (st.floats(allow_nan=True, allow_infinity=True) | st.integers(min_value=-5, max_value=5)
              | st.booleans() | st.text(max_size=2))
keys = st.sampled_from(["s", "loc", "scale", "c", "a"])


@settings(max_examples=400, deadline=None)
@given(family=st.sampled_from(["expon", "lognorm", "uniform"]), params=st.dictionaries(keys, any_number, max_size=4))
def test_scenario_checks_give_the_verdicts_scipy_gives(family, params):
    """A distribution is accepted or refused, with the same message, as the check by scipy alone decides."""
    def verdict(check):
        try:
            check()
        except ValueError as exc:
            return str(exc)
        return "accepted"

    ours = verdict(lambda: Dist(dist=family, **params))
    probe = Dist.model_construct(dist=family, **params)
    theirs = verdict(probe._freezes_with_scipy)
    if ours != "accepted":
        assert "validation error" in ours and theirs != "accepted" and theirs in ours
    else:
        assert theirs == "accepted"


def test_other_families_stay_scipy():
    assert not isinstance(freeze("gamma", a=2.0, scale=3.0), Frozen)
    assert not isinstance(Dist(dist="triang", c=0.5, scale=10).frozen(), Frozen)
    assert isinstance(Dist(dist="lognorm", s=0.5, scale=30).frozen(), Frozen)


def test_a_frozen_pickles():
    import pickle

    frozen = freeze("lognorm", s=0.5, scale=30.0)
    again = pickle.loads(pickle.dumps(frozen))
    assert again.kwds == frozen.kwds and again.mean() == frozen.mean()

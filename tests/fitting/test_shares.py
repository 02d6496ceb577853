"""The Wilson interval every share of the fit carries: it holds the share, stays in [0, 1], and is exact at the ends."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from svcsim.fitting.shares import wilson


@given(st.integers(1, 100_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_holds_the_share_inside_zero_one(kn):
    k, n = kn
    low, high = wilson(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0
    assert k > 0 or low == 0.0
    assert k < n or high == 1.0


def test_wilson_narrows_with_more_trials():
    """Ten times the trials, the same share: the interval is about sqrt(10) times narrower."""
    small, large = wilson(30, 100), wilson(300, 1000)
    ratio = (small[1] - small[0]) / (large[1] - large[0])
    assert 2.8 < ratio < 3.4

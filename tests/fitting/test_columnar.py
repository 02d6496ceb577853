"""The fit's fast paths give what the slow expressions they replaced gave, bit for bit.

The Kaplan-Meier estimate is held to ``scipy.stats.ecdf``; a case-id
categorical made from the distinct values to the row-by-row
``pd.Categorical(column.astype(str).astype(object))``. Whole fits are
compared before and after a change by ``benchmarks/fit_same.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import CensoredData, ecdf

from svcsim.fitting.goodness import kaplan_meier
from svcsim.fitting.observe import text_categorical

values = st.lists(st.tuples(st.integers(1, 40).map(lambda v: v / 4), st.booleans()), min_size=1, max_size=60)


@settings(max_examples=200, deadline=None)
@given(values)
def test_kaplan_meier_is_scipy_ecdf_to_the_bit(pairs):
    """Ties, censored values at an event's time, no censoring at all: the same steps and probabilities."""
    x = np.array([v for v, _ in pairs])
    c = np.array([f for _, f in pairs])
    obs, cens = x[~c], x[c]
    if not len(obs):
        return
    want = ecdf(CensoredData(uncensored=obs, right=cens) if len(cens) else obs).cdf
    got = kaplan_meier(obs, cens)
    assert np.array_equal(got.times, np.asarray(want.quantiles, float))
    assert np.array_equal(got.cdf, np.asarray(want.probabilities, float))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["c10", "c2", "C1", "é", "a b", "z", "10"]), min_size=1, max_size=30), st.booleans())
def test_text_categorical_is_the_row_by_row_categorical(ids, as_category):
    """Same categories (sorted texts present) and codes, from a text column or a categorical with unused categories."""
    column = pd.Series(ids, dtype="category") if as_category else pd.Series(ids, dtype="str")
    if as_category:
        column = column.cat.add_categories(["unused"])
    want = pd.Categorical(column.astype(str).astype(object))
    got = text_categorical(column)
    assert list(got.categories) == list(want.categories)
    assert np.array_equal(got.codes, want.codes)

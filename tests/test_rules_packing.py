"""The one key-packing helper: several integer columns as one int64 that orders and compares as the rows do."""

from __future__ import annotations

import numpy as np
import pytest

from svcsim.rules.columnar.packing import packed_keys


def test_packed_keys_order_and_equal_as_the_rows_do():
    """Sorting the keys is a lexicographic sort of the rows; equal keys are equal rows."""
    rng = np.random.default_rng(14)
    for _ in range(50):
        n = int(rng.integers(0, 300))
        cols = [rng.integers(int(lo), int(lo) + int(rng.integers(1, 9)), n) for lo in rng.integers(-5, 5, 3)]
        key = packed_keys(cols)
        rows = list(zip(*(c.tolist() for c in cols), strict=True))
        assert key.dtype == np.int64 and len(key) == n
        assert np.array_equal(np.argsort(key, kind="stable"), np.lexsort(cols[::-1]))
        assert len(np.unique(key)) == len(set(rows))


def test_given_sizes_are_a_mixed_radix_number_and_powers_of_two_are_bit_fields():
    a, b, c = np.array([0, 3, 2]), np.array([4, 0, 9]), np.array([1, 1, 0])
    assert packed_keys((a, b, c), sizes=(4, 10, 2)).tolist() == [(x * 10 + y) * 2 + z for x, y, z in zip(a, b, c, strict=True)]
    assert packed_keys((a, c), sizes=(4, 2)).tolist() == [(x << 1) | z for x, z in zip(a, c, strict=True)]
    assert packed_keys((a, b), sizes=(4, 10)).tolist() == packed_keys((a, b)).tolist()  # b's minimum is 0 and a's range is 0..3


def test_a_key_that_would_overflow_is_none():
    wide = np.array([0, 2**40], dtype=np.int64)
    assert packed_keys((wide, wide)) is None
    assert packed_keys((wide,), sizes=(2**63,)) is not None
    assert packed_keys((wide, wide), sizes=(2**32, 2**31)) is not None
    assert packed_keys((wide, wide), sizes=(2**32, 2**32)) is None


@pytest.mark.parametrize("n", [0, 1])
def test_no_or_one_row(n):
    assert len(packed_keys((np.zeros(n, np.int32), np.zeros(n, np.int8)))) == n

"""Argument checks and output shaping shared by the analytic functions (private).

Every public function takes scalars or numpy-broadcastable arrays. A bad value
raises ``ValueError`` naming the argument and what was expected; results come
back as Python floats (ints) when every argument was a scalar, else as numpy
arrays of the broadcast shape.
"""

from __future__ import annotations

import numpy as np

__all__ = ["counts", "nonnegative", "positive", "probability", "scalar_out", "all_scalar"]


def _floats(name: str, value) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: expected a number or an array of numbers, got {value!r}") from exc
    if np.isnan(arr).any():
        raise ValueError(f"{name}: expected numbers, got NaN")
    return arr


def nonnegative(name: str, value, *, finite: bool = True) -> np.ndarray:
    """``value`` as a float array, checked ``>= 0`` (and finite unless told)."""
    arr = _floats(name, value)
    if (arr < 0).any() or (finite and not np.isfinite(arr).all()):
        raise ValueError(f"{name}: expected finite values >= 0, got {value!r}")
    return arr


def positive(name: str, value) -> np.ndarray:
    """``value`` as a float array, checked finite and ``> 0``."""
    arr = _floats(name, value)
    if (arr <= 0).any() or not np.isfinite(arr).all():
        raise ValueError(f"{name}: expected finite values > 0, got {value!r}")
    return arr


def probability(name: str, value, *, low_open: bool = False, high_open: bool = False) -> np.ndarray:
    """``value`` as a float array in ``[0, 1]`` (ends excluded when told)."""
    arr = _floats(name, value)
    bad = (arr < 0) | (arr > 1) | ((arr == 0) & low_open) | ((arr == 1) & high_open)
    if bad.any():
        lo = "(0" if low_open else "[0"
        hi = "1)" if high_open else "1]"
        raise ValueError(f"{name}: expected values in {lo}, {hi}, got {value!r}")
    return arr


def counts(name: str, value) -> np.ndarray:
    """``value`` as an int64 array of whole numbers ``>= 0``."""
    arr = _floats(name, value)
    if (arr < 0).any() or not np.isfinite(arr).all() or (arr != np.floor(arr)).any():
        raise ValueError(f"{name}: expected whole numbers >= 0, got {value!r}")
    return arr.astype(np.int64)


def all_scalar(*values) -> bool:
    """True when every argument is a scalar (0-d)."""
    return all(np.ndim(v) == 0 for v in values)


def scalar_out(arr: np.ndarray, scalar: bool):
    """A Python scalar when ``scalar``, else the array itself."""
    if not scalar:
        return arr
    value = np.asarray(arr).reshape(())
    return value.item()

"""Moments as the engines hold them: UTC epoch nanoseconds in int64, with one sentinel for "none".

The rule engine, the calendar kernels and the live loader all compute on
int64 nanoseconds since the Unix epoch (UTC). :data:`NAT_NS` is the one
value that means "no moment" there (pandas' own NaT, ``int64`` minimum);
:func:`to_as_of_ns` turns a user's ``as_of`` into that form.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from svcsim.errors import InputError

__all__ = ["NAT_NS", "to_as_of_ns"]

#: "No moment" in an int64 nanosecond column (pandas' NaT value).
NAT_NS: int = int(np.iinfo(np.int64).min)


def to_as_of_ns(as_of: datetime | pd.Timestamp | str | None) -> int | None:
    """An aware moment (or ISO text with an offset) as UTC epoch ns; None stays None."""
    if as_of is None:
        return None
    try:
        stamp = pd.Timestamp(as_of)
    except (ValueError, TypeError):
        raise InputError(f"{as_of!r} is not a date-time", field="as_of", expected="ISO 8601 with an offset, e.g. 2026-03-31T18:00:00+08:00") from None
    if stamp.tzinfo is None:
        raise InputError(f"{as_of!r} has no time zone", field="as_of", expected="a time-zone-aware moment, e.g. 2026-03-31T18:00:00+08:00 (no zone is assumed)")
    return int(stamp.tz_convert("UTC").value)

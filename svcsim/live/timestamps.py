"""Reading a column of timestamps: format, offsets, the stated zone, and what goes wrong.

Timestamps with an offset are instants. Timestamps without one are local
times in the mapping's stated zone; with no zone stated they are an error
(``TS_NAIVE``): no zone is ever assumed. Local times a daylight-saving change
skips or repeats are refused rather than guessed. Offsets that differ from
the rest of the source (or from the stated zone) are flagged but kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from svcsim.live.mapping import TimestampSpec

__all__ = ["ParsedTimes", "parse_times"]

_OFFSET = r"(Z|[+-]\d{2}:?\d{2})$"


@dataclass(frozen=True)
class ParsedTimes:
    """UTC epoch ns per row (NaT where unusable) and a problem code per row (None when fine)."""

    ns: np.ndarray
    code: np.ndarray  # object: None or a TS_* code that quarantines the row
    mixed: np.ndarray  # bool: TS_MIXED_OFFSETS (kept)


def parse_times(values: pd.Series, spec: TimestampSpec) -> ParsedTimes:
    """Parse one column of timestamps (text, or already date-times) under ``spec``."""
    n = len(values)
    code = np.full(n, None, dtype=object)
    mixed = np.zeros(n, dtype=bool)
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = values
        if stamps.dt.tz is None:
            return _localised(stamps, spec, code, mixed)
        ns = stamps.dt.tz_convert("UTC").dt.as_unit("ns").to_numpy(dtype="datetime64[ns]").view(np.int64)
        code[values.isna().to_numpy()] = "TS_NULL"
        return ParsedTimes(ns, code, mixed)

    if not pd.api.types.is_string_dtype(values.dtype):
        values = values.astype("string")
    arrow = pa.array(values, from_pandas=True)  # zero-copy for pandas' Arrow-backed strings
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    arrow = pc.utf8_trim_whitespace(arrow)
    arrow = pc.if_else(pc.equal(arrow, ""), pa.scalar(None, arrow.type), arrow)
    null = arrow.is_null().to_numpy(zero_copy_only=False)
    code[null] = "TS_NULL"
    has_offset = pc.fill_null(pc.match_substring_regex(arrow, _OFFSET), False).to_numpy(zero_copy_only=False)
    ns = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)

    if has_offset.any():
        idx = np.flatnonzero(has_offset)
        text = pd.Series(arrow.take(pa.array(idx)).to_pylist(), dtype="string")
        fmt = "ISO8601" if spec.format is None else spec.format
        aware = pd.to_datetime(text, format=fmt, utc=True, errors="coerce")
        ok = aware.notna().to_numpy()
        ns[idx[ok]] = aware[ok].dt.as_unit("ns").to_numpy(dtype="datetime64[ns]").view(np.int64)
        code[idx[~ok]] = "TS_UNPARSEABLE"
        offset = text[ok].str.extract(_OFFSET, expand=False)
        mixed[idx[ok]] = _odd_offsets(offset, aware[ok], spec.timezone)

    naive = ~has_offset & ~null
    if naive.any():
        idx = np.flatnonzero(naive)
        local = _parse_local(arrow.filter(pa.array(naive)), spec.format)
        bad = local.isna().to_numpy()
        code[idx[bad]] = "TS_UNPARSEABLE"
        if spec.timezone is None:
            code[idx[~bad]] = "TS_NAIVE"
        else:
            parsed = _localised(local[~bad], spec, np.full((~bad).sum(), None, dtype=object), np.zeros((~bad).sum(), bool))
            ns[idx[~bad]] = parsed.ns
            code[idx[~bad]] = parsed.code
    return ParsedTimes(ns, code, mixed)


def _parse_local(text: pa.Array, fmt: str | None) -> pd.Series:
    """Local date-times from Arrow text; unreadable values become NaT.

    With an explicit format, pyarrow's strptime does the work (several times
    faster than pandas' per-value parser on large exports, same results).
    """
    if fmt is None:
        return pd.to_datetime(pd.Series(text.to_pylist(), dtype="string"), format="ISO8601", errors="coerce")
    parsed = pc.strptime(text, format=fmt, unit="ns", error_is_null=True)
    return pd.Series(parsed.to_numpy(zero_copy_only=False)).astype("datetime64[ns]")


def _localised(local: pd.Series, spec: TimestampSpec, code: np.ndarray, mixed: np.ndarray) -> ParsedTimes:
    ns = np.full(len(local), np.iinfo(np.int64).min, dtype=np.int64)
    if spec.timezone is None:
        code[local.notna().to_numpy()] = "TS_NAIVE"
        code[local.isna().to_numpy()] = "TS_NULL"
        return ParsedTimes(ns, code, mixed)
    zoned = local.dt.tz_localize(spec.timezone, ambiguous="NaT", nonexistent="NaT")
    ok = zoned.notna().to_numpy()
    ns[ok] = zoned[ok].dt.tz_convert("UTC").dt.as_unit("ns").to_numpy(dtype="datetime64[ns]").view(np.int64)
    lost = ~ok & local.notna().to_numpy()
    if lost.any():
        # tell a skipped local time from a repeated one
        skipped = local[lost].dt.tz_localize(spec.timezone, ambiguous="NaT", nonexistent="shift_forward").notna().to_numpy()
        idx = np.flatnonzero(lost)
        code[idx[skipped]] = "TS_NONEXISTENT"
        code[idx[~skipped]] = "TS_AMBIGUOUS"
    code[local.isna().to_numpy()] = "TS_NULL"
    return ParsedTimes(ns, code, mixed)


def _odd_offsets(offsets: pd.Series, aware: pd.Series, zone: str | None) -> np.ndarray:
    """Rows whose written offset differs from the stated zone's, or from the source's usual one.

    Offsets are compared as minutes east of UTC (``Z``, ``+08:00`` and ``+0800`` alike).
    """
    if len(aware) == 0:
        return np.zeros(0, dtype=bool)
    written = _offset_minutes(offsets)
    if zone is not None:
        utc = aware.dt.tz_convert("UTC").dt.tz_localize(None)
        local = aware.dt.tz_convert(zone).dt.tz_localize(None)
        expected = ((local - utc).dt.total_seconds() // 60).to_numpy(dtype=np.int64)
        return written != expected
    values, counts = np.unique(written, return_counts=True)
    return written != values[np.argmax(counts)]


def _offset_minutes(offsets: pd.Series) -> np.ndarray:
    """``Z`` / ``+HH:MM`` / ``+HHMM`` as minutes east of UTC."""
    text = offsets.astype("string").str.replace("Z", "+00:00", regex=False).str.replace(":", "", regex=False)
    sign = np.where(text.str.startswith("-").to_numpy(dtype=bool), -1, 1)
    hours = text.str.slice(1, 3).astype(int).to_numpy()
    minutes = text.str.slice(3, 5).astype(int).to_numpy()
    return (sign * (60 * hours + minutes)).astype(np.int64)

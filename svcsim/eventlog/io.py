"""Reading and writing event logs in the canonical shape, as CSV or Parquet.

A *flat* file (``.csv`` or ``.parquet``) has one row per event with the case
attributes repeated on each row; a *directory* holds ``events.parquet`` and
``cases.parquet`` (or the same names in ``.csv``). Timestamps in a CSV must
carry their UTC offset (``2026-01-05T08:30:00+08:00``): no zone is assumed.
Files in other shapes (a live export with its own column names and status
words) go through a mapping instead: that is the loader's job, not this one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from svcsim.arguments import path_like
from svcsim.csvheader import check_unique_header
from svcsim.errors import InputError
from svcsim.eventlog.log import EventLog

__all__ = ["read_log", "write_log"]

_OFFSET_AT_END = r"(?:Z|[+-]\d{2}:?\d{2})$"


def read_log(path: str | Path) -> EventLog:
    """Read a canonical event log from a flat CSV/Parquet file or a directory of two tables."""
    path_like(path, "path", function="read_log", what="an event log file or directory")
    path = Path(path)
    if not path.exists():
        raise InputError("no such file or directory", file=path, expected="an event log (.csv, .parquet, or a directory)")
    if path.is_dir():
        return _read_directory(path)
    frame = _read_table(path)
    return EventLog.from_flat(frame, source=str(path))


def write_log(log: EventLog, path: str | Path) -> Path:
    """Write ``log``: a ``.csv`` or ``.parquet`` path gets the flat table, any other path a directory of two Parquet tables."""
    path = Path(path)
    if path.suffix == ".csv":
        path.parent.mkdir(parents=True, exist_ok=True)
        flat = log.to_flat()
        flat["timestamp"] = flat["timestamp"].map(pd.Timestamp.isoformat)
        flat.to_csv(path, index=False)
    elif path.suffix == ".parquet":
        path.parent.mkdir(parents=True, exist_ok=True)
        log.to_flat().to_parquet(path, index=False)
    else:
        path.mkdir(parents=True, exist_ok=True)
        log.events.to_parquet(path / "events.parquet", index=False)
        log.cases.to_parquet(path / "cases.parquet", index=False)
    return path


def _read_directory(path: Path) -> EventLog:
    for suffix in (".parquet", ".csv"):
        events_path = path / f"events{suffix}"
        if events_path.exists():
            events = _read_table(events_path)
            cases_path = path / f"cases{suffix}"
            cases = _read_table(cases_path, timestamps=False) if cases_path.exists() else None
            return EventLog.from_frames(events, cases, source=str(events_path))
    raise InputError("directory has no events.parquet or events.csv", file=path, expected="a canonical event log directory")


def _read_table(path: Path, *, timestamps: bool = True) -> pd.DataFrame:
    try:
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path)
        elif path.suffix == ".csv":
            check_unique_header(path, file=path)
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        else:
            raise InputError(f"unknown file type {path.suffix!r}", file=path, expected="a .csv or .parquet file")
    except InputError:
        raise
    except (OSError, ValueError) as exc:  # pyarrow and the csv parser raise these on damaged files
        raise InputError(f"cannot be read ({type(exc).__name__}: {str(exc).strip()})", file=path, expected="a readable CSV or Parquet file") from None
    if timestamps and "timestamp" in frame.columns and not pd.api.types.is_datetime64_any_dtype(frame["timestamp"]):
        frame["timestamp"] = _parse_timestamps(frame["timestamp"], path)
    return frame


def _parse_timestamps(text: pd.Series, path: Path) -> pd.Series:
    """ISO 8601 text with an offset -> UTC timestamps; the first bad row is an error."""
    text = text.astype("string").str.strip()
    present = text.notna().to_numpy()
    has_offset = text.str.contains(_OFFSET_AT_END, regex=True).fillna(False).to_numpy(dtype=bool)
    naive = present & ~has_offset
    if naive.any():
        row = int(np.flatnonzero(naive)[0]) + 1
        raise InputError(
            f"{text.iloc[row - 1]!r} has no UTC offset ({int(naive.sum())} such row(s))",
            file=path, field="timestamp", row=row,
            expected="ISO 8601 with an offset, e.g. 2026-01-05T08:30:00+08:00 (no zone is assumed)",
        )
    parsed = pd.to_datetime(text, utc=True, errors="coerce", format="ISO8601")
    bad = present & parsed.isna().to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0]) + 1
        raise InputError(
            f"{text.iloc[row - 1]!r} is not a date-time ({int(bad.sum())} such row(s))",
            file=path, field="timestamp", row=row, expected="ISO 8601 with an offset, e.g. 2026-01-05T08:30:00+08:00",
        )
    return parsed

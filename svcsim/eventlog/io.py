"""Reading and writing event logs in the canonical shape, as CSV or Parquet.

A *flat* file (``.csv`` or ``.parquet``) has one row per event with the case
attributes repeated on each row; a *directory* holds ``events.parquet`` and
``cases.parquet`` (or the same names in ``.csv``). Timestamps in a CSV must
carry their UTC offset (``2026-01-05T08:30:00+08:00``): no zone is assumed.
Files in other shapes (a live export with its own column names and status
words) go through a mapping instead: that is the loader's job, not this one.

A flat CSV may also come compressed, as ``.csv.gz`` or as the one ``.csv``
in a ``.zip``; it is expanded in memory, never on disk. Every file is held to
the limits of :mod:`svcsim.eventlog.limits`, as a live export is: the
expanded size (of a compressed CSV, or the uncompressed size a Parquet file
declares), the longest line and cell of a CSV, the number of columns.
"""

from __future__ import annotations

import codecs
import gzip
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from svcsim.arguments import of_kind, path_like
from svcsim.csvheader import check_unique_header, read_header
from svcsim.errors import InputError
from svcsim.eventlog.limits import (
    DEFAULT_LIMITS,
    Limits,
    check_columns,
    check_declared,
    check_fields,
    check_lines,
    fields_bounded_by_lines,
    read_bounded,
)
from svcsim.eventlog.log import EventLog

__all__ = ["read_log", "undecodable", "write_log"]

_OFFSET_AT_END = r"(?:Z|[+-]\d{2}:?\d{2})$"


def read_log(path: str | Path, *, limits: Limits | None = None) -> EventLog:
    """Read a canonical event log from a flat CSV (also ``.csv.gz``, ``.zip``) or Parquet file, or a directory of two tables.

    ``limits``: the most the file may hold (:class:`svcsim.eventlog.limits.Limits`;
    None: the defaults); going past one is an :class:`InputError` naming the
    limit and the ``svcsim check`` option that raises it.
    """
    path_like(path, "path", function="read_log", what="an event log file or directory")
    if limits is not None:
        of_kind(limits, "limits", (Limits,), function="read_log", expected="a svcsim.eventlog.limits.Limits or None")
    limits = DEFAULT_LIMITS if limits is None else limits
    path = Path(path)
    if not path.exists():
        raise InputError("no such file or directory", file=path, expected="an event log (.csv, .csv.gz, .zip, .parquet, or a directory)")
    if path.is_dir():
        return _read_directory(path, limits)
    frame = _read_table(path, limits)
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


def _read_directory(path: Path, limits: Limits) -> EventLog:
    for suffix in (".parquet", ".csv"):
        events_path = path / f"events{suffix}"
        if events_path.exists():
            events = _read_table(events_path, limits)
            cases_path = path / f"cases{suffix}"
            cases = _read_table(cases_path, limits, timestamps=False) if cases_path.exists() else None
            return EventLog.from_frames(events, cases, source=str(events_path))
    raise InputError("directory has no events.parquet or events.csv", file=path, expected="a canonical event log directory")


def _read_table(path: Path, limits: Limits, *, timestamps: bool = True) -> pd.DataFrame:
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            frame = _parquet(path, limits)
        elif suffix == ".csv":
            frame = _csv(path, str(path), limits)
        elif suffix == ".gz" and path.stem.lower().endswith(".csv"):
            with gzip.open(path) as handle:
                frame = _csv(read_bounded(handle, limits, file=path), str(path), limits)
        elif suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                member = _only_csv(archive, path)
                label = f"{path}:{member}"
                check_declared(archive.getinfo(member).file_size, limits, file=label)
                with archive.open(member) as handle:  # read by name into memory: nothing is written to disk
                    frame = _csv(read_bounded(handle, limits, file=label), label, limits)
        else:
            raise InputError(f"unknown file type {path.suffix!r}", file=path, expected="a .csv, .csv.gz, .zip or .parquet file")
    except InputError:
        raise
    except (OSError, EOFError, ValueError, zipfile.BadZipFile) as exc:  # pyarrow, gzip, zipfile and the csv parser raise these on damaged files
        raise InputError(f"cannot be read ({type(exc).__name__}: {str(exc).strip()})", file=path, expected="a readable CSV or Parquet file") from None
    if timestamps and "timestamp" in frame.columns and not pd.api.types.is_datetime64_any_dtype(frame["timestamp"]):
        frame["timestamp"] = _parse_timestamps(frame["timestamp"], path)
    return frame


def undecodable(source: Path | bytes, *, file: str | Path, encoding: str = "utf-8", expected: str) -> InputError:
    """The error for a CSV that does not decode: its first bad byte by line and column (bytes from the line's start).

    Called once the reader has failed, so the file is read again only then; a
    CSV that decodes gives a generic error (the reader's failure was another).
    """
    data = source.read_bytes() if isinstance(source, Path) else source
    codec = "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
    try:
        data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return InputError(f"line {line:,}, column {column:,}: byte 0x{data[exc.start]:02x} is not valid {encoding}",
                          file=file, expected=expected)
    return InputError(f"cannot be decoded as {encoding}", file=file, expected=expected)


def _csv(source: Path | bytes, label: str, limits: Limits) -> pd.DataFrame:
    """A canonical CSV as text columns, after the line, column and cell limits."""
    lines = check_lines(source, limits, file=label)
    raw = source
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    check_columns(read_header(source), limits, file=label)
    check_unique_header(source, file=label)
    try:
        frame = pd.read_csv(source, dtype=str, keep_default_na=False, na_values=[""])
    except UnicodeDecodeError:
        raise undecodable(raw, file=label, expected="a canonical log saved as UTF-8 (re-save it as UTF-8)") from None
    if not fields_bounded_by_lines(lines, len(frame), limits):
        check_fields(frame, limits, file=label)
    return frame


def _parquet(path: Path, limits: Limits) -> pd.DataFrame:
    """A Parquet table, after its declared column count and uncompressed size are checked against ``limits``."""
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    check_columns([""] * meta.num_columns, limits, file=path)
    check_declared(sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups)), limits, file=path)
    return pd.read_parquet(path)


def _only_csv(archive: zipfile.ZipFile, path: Path) -> str:
    names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
    if len(names) != 1:
        raise InputError(f"the archive holds {len(names)} CSV files", file=path, expected="a .zip with one .csv: the flat event log")
    return names[0]


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

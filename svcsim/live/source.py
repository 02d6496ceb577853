"""Reading a live export (CSV, CSV inside a .zip, Parquet, Excel) as text columns with row numbers."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pandas as pd

from svcsim.csvheader import numbered_names, read_header, repeated_names
from svcsim.errors import InputError
from svcsim.eventlog.io import undecodable
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
from svcsim.live.mapping import SourceSpec

__all__ = ["read_source"]


def read_source(path: Path, spec: SourceSpec, limits: Limits = DEFAULT_LIMITS) -> tuple[pd.DataFrame, str]:
    """The file's table (cells as text, missing markers as empty) and a label naming it.

    A compressed file is expanded in memory, never on disk, and never past
    ``limits`` (:mod:`svcsim.eventlog.limits`).
    """
    if not path.is_file():
        raise InputError("no such file", file=path, expected="an export (.csv, .csv.gz, .zip with a .csv, .parquet, .xlsx)")
    suffix = path.suffix.lower()
    try:
        if suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                member = spec.member or _only_csv(archive, path)
                if member not in archive.namelist():
                    raise InputError(f"no member {member!r} in the archive", file=path, field="source.member", expected=f"one of {archive.namelist()[:5]}")
                label = f"{path}:{member}"
                check_declared(archive.getinfo(member).file_size, limits, file=label)
                with archive.open(member) as handle:
                    return _csv(read_bounded(handle, limits, file=label), spec, label, limits), label
        if suffix == ".gz":
            with gzip.open(path) as handle:
                return _csv(read_bounded(handle, limits, file=path), spec, str(path), limits), str(path)
        if suffix in (".csv", ".txt", ".tsv"):
            return _csv(path, spec, str(path), limits), str(path)
        if suffix == ".parquet":
            frame = pd.read_parquet(path)
            return _text(frame, spec), str(path)
        if suffix in (".xlsx", ".xlsm", ".xls"):
            label = f"{path}[{spec.sheet}]"
            frame = _excel(path, spec, label)
            return _text(frame, spec), label
    except InputError:
        raise
    except (OSError, EOFError, ValueError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise InputError(f"cannot be read ({type(exc).__name__}: {str(exc).strip()})", file=path, expected="a readable export") from None
    raise InputError(f"unknown file type {suffix!r}", file=path, expected="a .csv, .csv.gz, .zip, .parquet or .xlsx file")


def _only_csv(archive: zipfile.ZipFile, path: Path) -> str:
    names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
    if len(names) != 1:
        raise InputError(f"the archive holds {len(names)} CSV files", file=path, field="source.member", expected="a 'member' naming the one to read")
    return names[0]


def _csv(source: Path | bytes, spec: SourceSpec, label: str, limits: Limits) -> pd.DataFrame:
    lines = check_lines(source, limits, file=label)
    raw = source
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    header = read_header(source, delimiter=spec.delimiter, encoding=spec.encoding)
    check_columns(header, limits, file=label)
    names = numbered_names(header, file=label)
    try:
        frame = pd.read_csv(
            source, dtype=str, keep_default_na=False, na_values=spec.missing, sep=spec.delimiter,
            encoding=spec.encoding, **({} if names is None else {"header": 0, "names": names}),
        )
    except UnicodeDecodeError:
        raise undecodable(raw, file=label, encoding=spec.encoding,
                          expected=f"an export saved as {spec.encoding}, or the file's encoding in the mapping's source.encoding") from None
    if not fields_bounded_by_lines(lines, len(frame), limits):
        check_fields(frame, limits, file=label)
    frame.attrs["repeated_columns"] = repeated_names(header)
    return frame


def _excel(path: Path, spec: SourceSpec, label: str) -> pd.DataFrame:
    header = pd.read_excel(path, sheet_name=spec.sheet, header=None, nrows=1, dtype=str)
    first = ["" if pd.isna(v) else str(v) for v in header.iloc[0]] if len(header) else []
    names = numbered_names(first, file=label)
    frame = pd.read_excel(path, sheet_name=spec.sheet, dtype=str)
    if names is not None and len(names) == frame.shape[1]:
        frame.columns = names
    frame.attrs["repeated_columns"] = repeated_names(first)
    return frame


def _text(frame: pd.DataFrame, spec: SourceSpec) -> pd.DataFrame:
    """Cells as text except real date-times, which are kept as they are; missing markers as empty."""
    out = {}
    for column in frame.columns:
        col = frame[column]
        if pd.api.types.is_datetime64_any_dtype(col):
            out[column] = col
        else:
            text = col.astype("string")
            out[column] = text.mask(text.isin(spec.missing))
    result = pd.DataFrame(out)
    result.attrs.update(frame.attrs)
    return result

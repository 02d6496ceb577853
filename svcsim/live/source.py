"""Reading a live export (CSV, CSV inside a .zip, Parquet, Excel) as text columns with row numbers."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from svcsim.csvheader import numbered_names, read_header, repeated_names
from svcsim.errors import InputError
from svcsim.live.mapping import SourceSpec

__all__ = ["read_source"]


def read_source(path: Path, spec: SourceSpec) -> tuple[pd.DataFrame, str]:
    """The file's table (cells as text, missing markers as empty) and a label naming it."""
    if not path.is_file():
        raise InputError("no such file", file=path, expected="an export (.csv, .zip with a .csv, .parquet, .xlsx)")
    suffix = path.suffix.lower()
    try:
        if suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                member = spec.member or _only_csv(archive, path)
                if member not in archive.namelist():
                    raise InputError(f"no member {member!r} in the archive", file=path, field="source.member", expected=f"one of {archive.namelist()[:5]}")
                label = f"{path}:{member}"
                with archive.open(member) as handle:
                    return _csv(io.BytesIO(handle.read()), spec, label), label
        if suffix in (".csv", ".txt", ".tsv"):
            return _csv(path, spec, str(path)), str(path)
        if suffix == ".parquet":
            frame = pd.read_parquet(path)
            return _text(frame, spec), str(path)
        if suffix in (".xlsx", ".xlsm", ".xls"):
            label = f"{path}[{spec.sheet}]"
            frame = _excel(path, spec, label)
            return _text(frame, spec), label
    except InputError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise InputError(f"cannot be read ({type(exc).__name__}: {exc})", file=path, expected="a readable export") from None
    raise InputError(f"unknown file type {suffix!r}", file=path, expected="a .csv, .zip, .parquet or .xlsx file")


def _only_csv(archive: zipfile.ZipFile, path: Path) -> str:
    names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
    if len(names) != 1:
        raise InputError(f"the archive holds {len(names)} CSV files", file=path, field="source.member", expected="a 'member' naming the one to read")
    return names[0]


def _csv(source, spec: SourceSpec, label: str) -> pd.DataFrame:  # noqa: ANN001 (a path or a binary file)
    header = read_header(source, delimiter=spec.delimiter, encoding=spec.encoding)
    names = numbered_names(header, file=label)
    frame = pd.read_csv(
        source, dtype=str, keep_default_na=False, na_values=spec.missing, sep=spec.delimiter,
        encoding=spec.encoding, **({} if names is None else {"header": 0, "names": names}),
    )
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

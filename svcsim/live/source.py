"""Reading a live export (CSV, CSV inside a .zip, Parquet, Excel) as text columns with row numbers."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

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
                with archive.open(member) as handle:
                    return _csv(handle, spec), f"{path}:{member}"
        if suffix in (".csv", ".txt", ".tsv"):
            return _csv(path, spec), str(path)
        if suffix == ".parquet":
            frame = pd.read_parquet(path)
            return _text(frame, spec), str(path)
        if suffix in (".xlsx", ".xlsm", ".xls"):
            frame = pd.read_excel(path, sheet_name=spec.sheet, dtype=str)
            return _text(frame, spec), f"{path}[{spec.sheet}]"
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


def _csv(source, spec: SourceSpec) -> pd.DataFrame:  # noqa: ANN001 (a path or an open binary file)
    return pd.read_csv(
        source, dtype=str, keep_default_na=False, na_values=spec.missing, sep=spec.delimiter,
        encoding=spec.encoding,
    )


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
    return pd.DataFrame(out)

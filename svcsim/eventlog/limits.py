"""What one file may make us do: the limits, checked before memory runs out.

An event log is data from somewhere else, so its size is not trusted: the
same limits hold for a live export read through a mapping
(:mod:`svcsim.live.source`) and for a canonical log (:mod:`svcsim.eventlog.io`).
They live here, below both, because ``eventlog`` sits under ``live``. Each limit
has a default generous for a real ticketing export and a ``svcsim check``
option to raise it; going past one is an :class:`~svcsim.errors.InputError`
naming the file, what is too big, the limit and the option.

- ``max_expanded_bytes`` (4 GiB, ``--max-expanded-gib``): what a ``.zip``
  member or a ``.gz`` file may expand to (for a Parquet file: the uncompressed size
  its metadata declares). The declared size is checked first;
  the reading itself stops at the limit too, since a declared size can lie.
  Nothing is ever extracted to disk: a member is read into memory by name.
- ``max_line_bytes`` (1 MiB, ``--max-line-mib``): one physical line of a CSV.
- ``max_field_chars`` (1 Mi characters, ``--max-field-mib``): one cell, also
  one quoted over several lines.
- ``max_columns`` (2,000, ``--max-columns``): columns in the header (or
  the Parquet schema).

The defaults are listed in ``docs/reference/errors.md`` (a test keeps them in
step).
"""

from __future__ import annotations

import mmap
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from svcsim.errors import InputError

__all__ = ["DEFAULT_LIMITS", "Limits", "check_columns", "check_declared", "check_fields", "check_lines", "fields_bounded_by_lines", "read_bounded"]

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB
_CHUNK = 16 * MIB


@dataclass(frozen=True)
class Limits:
    """The most one export may hold; see the module docstring for each."""

    max_expanded_bytes: int = 4 * GIB
    max_line_bytes: int = 1 * MIB
    max_field_chars: int = 1 * MIB
    max_columns: int = 2000


DEFAULT_LIMITS = Limits()


def _size(n: int) -> str:
    for unit, size in (("GiB", GIB), ("MiB", MIB), ("KiB", KIB)):
        if n >= size:
            return f"{n / size:g} {unit}"
    return f"{n} bytes"


def _too_big(file: str | Path, what: str, limit: str, option: str) -> InputError:
    return InputError(f"{what} (the limit is {limit})", file=file, field=option,
                      expected=f"a smaller file, or a higher limit: svcsim check {option} N")


def check_declared(size: int, limits: Limits, *, file: str | Path) -> None:
    """Refuse a compressed member whose declared expanded size is over the limit."""
    if size > limits.max_expanded_bytes:
        raise _too_big(file, f"it would expand to {_size(size)}", _size(limits.max_expanded_bytes), "--max-expanded-gib")


def read_bounded(handle: IO[bytes], limits: Limits, *, file: str | Path) -> bytes:
    """All of a decompressing stream, stopping with an error once it passes ``max_expanded_bytes``."""
    limit = limits.max_expanded_bytes
    parts, total = [], 0
    while True:
        chunk = handle.read(min(_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(parts)
        total += len(chunk)
        if total > limit:
            raise _too_big(file, f"it expands beyond {_size(limit)}", _size(limit), "--max-expanded-gib")
        parts.append(chunk)


def check_columns(header: list[str], limits: Limits, *, file: str | Path) -> None:
    """Refuse a header with more columns than ``max_columns``."""
    if len(header) > limits.max_columns:
        raise _too_big(file, f"the header has {len(header):,} columns", f"{limits.max_columns:,}", "--max-columns")


def check_lines(data: bytes | Path, limits: Limits, *, file: str | Path) -> int | None:
    """Refuse a file with a line longer than ``max_line_bytes``; the number of lines (None: not counted).

    Cheap, because a line over the limit ``L`` holds a whole block of ``B =
    (L + 1) // 2`` aligned bytes with no line break: one ``find`` per block,
    which stops at the block's first break, and an exact measure only around
    a block without one. A small file (not over the limit as a whole) is not
    scanned.
    """
    size = data.stat().st_size if isinstance(data, Path) else len(data)
    if size <= limits.max_line_bytes:
        return None
    if isinstance(data, bytes):
        return _scan(data, size, limits, file)
    with data.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        return _scan(mapped, size, limits, file)


def _scan(data: bytes | mmap.mmap, size: int, limits: Limits, file: str | Path) -> int:
    most = limits.max_line_bytes
    block = max(1, (most + 1) // 2)
    for start in range(0, size, block):
        stop = min(start + block, size)
        if data.find(b"\n", start, stop) >= 0 or data.find(b"\r", start, stop) >= 0:
            continue
        first = max(data.rfind(b"\n", 0, start), data.rfind(b"\r", 0, start)) + 1
        ends = [e for e in (data.find(b"\n", stop), data.find(b"\r", stop)) if e >= 0]
        length = (min(ends) if ends else size) - first
        if length > most:
            line = _newlines(data, first) + 1
            raise _too_big(file, f"line {line:,} is {_size(length)} long", _size(most), "--max-line-mib")
    return _newlines(data, size) + (0 if data[size - 1:size] == b"\n" else 1)


def _newlines(data: bytes | mmap.mmap, stop: int) -> int:
    return int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8, count=stop) == 10))


def fields_bounded_by_lines(lines: int | None, records: int, limits: Limits) -> bool:
    """True when no cell can be over ``max_field_chars``: every record is one line, no line over the limit."""
    return limits.max_line_bytes <= limits.max_field_chars and (lines is None or lines == records + 1)


def check_fields(frame: pd.DataFrame, limits: Limits, *, file: str | Path) -> None:
    """Refuse a cell longer than ``max_field_chars``."""
    for column in frame.columns:
        col = frame[column]
        if not (pd.api.types.is_object_dtype(col) or pd.api.types.is_string_dtype(col)):
            continue
        lengths = col.str.len()
        longest = lengths.max()
        if pd.notna(longest) and longest > limits.max_field_chars:
            row = int(np.flatnonzero((lengths > limits.max_field_chars).fillna(False).to_numpy(dtype=bool))[0]) + 1
            raise InputError(f"a cell of column {column!r} is {int(longest):,} characters long "
                             f"(the limit is {limits.max_field_chars:,})", file=file, field="--max-field-mib", row=row,
                             expected="a smaller file, or a higher limit: svcsim check --max-field-mib N")

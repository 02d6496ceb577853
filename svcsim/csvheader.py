"""Headers that name a column twice: found before pandas reads the file, never renamed silently.

``pandas.read_csv`` and ``read_excel`` rename a repeated column without a
word (``category``, ``category.1``), so a mapping naming ``category`` would
read one of the two and nobody would know which. Here the header is read on
its own first. A live export keeps every column: each repeat is numbered
(``category#1``, ``category#2``) and the bare name no longer exists, so a
mapping must say which one it means (:func:`numbered_names`). Files that must
already be in a fixed shape (a canonical event log, a closures file) are
refused outright (:func:`check_unique_header`).
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path
from typing import IO

from svcsim.errors import InputError

__all__ = ["check_unique_header", "numbered_names", "read_header", "repeated_names"]


def repeated_names(names: list[str]) -> dict[str, list[int]]:
    """Each name given more than once, with its 1-based column positions."""
    where: dict[str, list[int]] = {}
    for position, name in enumerate(names, start=1):
        where.setdefault(name, []).append(position)
    return {name: spots for name, spots in where.items() if len(spots) > 1}


def numbered_names(names: list[str], *, file: str | Path) -> list[str] | None:
    """The header with every repeated name numbered (``name#1``, ``name#2``...); None when none repeats."""
    repeated = repeated_names(names)
    if not repeated:
        return None
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in repeated:
            seen[name] = seen.get(name, 0) + 1
            out.append(f"{name}#{seen[name]}")
        else:
            out.append(name)
    clash = repeated_names(out)
    if clash:
        name = next(iter(clash))
        raise InputError(f"the header repeats column names and also has a column named {name!r}",
                         file=file, where="header", field=name,
                         expected="distinct column names, or repeats without a column named like 'name#1'")
    return out


def read_header(source: Path | IO[bytes], *, delimiter: str = ",", encoding: str = "utf-8") -> list[str]:
    """The names on the first line of a CSV file (``[]`` if it cannot be read: the reader says why).

    ``source`` is a path or a seekable binary file, left at its start.
    """
    try:
        codecs.lookup(encoding)
    except LookupError:
        return []
    if isinstance(source, Path):
        with source.open("rb") as handle:
            return _first_row(handle, delimiter, encoding)
    try:
        return _first_row(source, delimiter, encoding)
    finally:
        source.seek(0)


def check_unique_header(source: Path | IO[bytes], *, file: str | Path, delimiter: str = ",",
                        encoding: str = "utf-8") -> None:
    """Raise :class:`InputError` naming ``file`` and the column when the header repeats a name."""
    repeated = repeated_names(read_header(source, delimiter=delimiter, encoding=encoding))
    if repeated:
        name, spots = next(iter(repeated.items()))
        raise InputError(f"the header names column {name!r} {len(spots)} times "
                         f"(columns {' and '.join(map(str, spots))})",
                         file=file, where="header", field=name,
                         expected="one column per name: rename or drop the repeats")


def _first_row(handle: IO[bytes], delimiter: str, encoding: str) -> list[str]:
    if encoding.replace("-", "").replace("_", "").lower() == "utf8":
        encoding = "utf-8-sig"  # as pandas does, a byte-order mark is not part of the first name
    text = io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="")
    try:
        return next(csv.reader(text, delimiter=delimiter), [])
    except csv.Error:
        return []
    finally:
        text.detach()

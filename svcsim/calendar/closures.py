"""The user's closures file: site closures and extra working days.

One row per date::

    date,kind,hours,note
    2026-03-02,closed,,stocktaking
    2026-03-08,open,09:00-12:00;13:00-17:00,launch weekend

``kind`` is ``closed`` (no service that day, whatever the week or the public
calendar says) or ``open`` (service that day with ``hours``, or the make-up
day hours when ``hours`` is empty). ``hours`` and ``note`` are optional
columns. Rows are numbered from 1 for the first data row.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from svcsim.calendar.hours import Intervals, parse_intervals
from svcsim.csvheader import check_unique_header
from svcsim.errors import InputError

__all__ = ["Closure", "read_closures", "CLOSURE_COLUMNS"]

#: Columns of a closures file: required first, then optional.
CLOSURE_COLUMNS: tuple[str, ...] = ("date", "kind", "hours", "note")
_REQUIRED = ("date", "kind")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_KINDS = ("closed", "open")


@dataclass(frozen=True)
class Closure:
    """One row of a closures file: a date ``closed`` or ``open`` (with its hours)."""

    date: dt.date
    kind: str
    hours: Intervals | None
    note: str
    row: int


def _load(source: str | Path | pd.DataFrame) -> tuple[pd.DataFrame, str | None]:
    if isinstance(source, pd.DataFrame):
        return source.astype(object).where(source.notna(), ""), None
    path = Path(source)
    try:
        check_unique_header(path, file=path)
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except FileNotFoundError:
        raise InputError("closures file not found", file=path) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise InputError(
            f"cannot read the closures file ({error})".replace("\n", " "), file=path,
            expected="a CSV file with columns date,kind[,hours][,note]",
        ) from None
    return frame, str(path)


def _cell_text(value: object) -> str:
    """A cell as text; dates given as date or midnight Timestamp objects become YYYY-MM-DD."""
    if isinstance(value, dt.datetime) and value.time() == dt.time() and value.tzinfo is None:
        return value.date().isoformat()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value).strip()


def _parse_date(text: str, *, file: str | None, row: int) -> dt.date:
    try:
        if _DATE.match(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise InputError(
        f"{text!r} is not a valid date", file=file, field="date", row=row,
        expected="a date as YYYY-MM-DD",
    )


def read_closures(
    source: str | Path | pd.DataFrame, *, years: tuple[int, int]
) -> list[Closure]:
    """Read and check a closures CSV (or DataFrame); dates must lie in ``years``."""
    frame, file = _load(source)
    columns = [str(c).strip() for c in frame.columns]
    unknown = [c for c in columns if c not in CLOSURE_COLUMNS]
    missing = [c for c in _REQUIRED if c not in columns]
    if unknown or missing:
        problem = (f"unknown column {unknown[0]!r}" if unknown
                   else f"missing column {missing[0]!r}")
        raise InputError(problem, file=file, expected="columns date,kind[,hours][,note]")
    frame = frame.set_axis(columns, axis=1)
    closures: list[Closure] = []
    seen: dict[dt.date, int] = {}
    for row, record in enumerate(frame.to_dict("records"), start=1):
        text = {key: _cell_text(value) for key, value in record.items()}
        date = _parse_date(text["date"], file=file, row=row)
        if not years[0] <= date.year <= years[1]:
            raise InputError(
                f"date {date.isoformat()} is outside the calendar's years "
                f"{years[0]}-{years[1]}", file=file, field="date", row=row,
                expected=f"a date in {years[0]}-{years[1]}, or a calendar whose years include "
                f"{date.year}",
            )
        if date in seen:
            raise InputError(
                f"date {date.isoformat()} is listed twice (also on row {seen[date]})",
                file=file, field="date", row=row, expected="each date at most once",
            )
        seen[date] = row
        kind = text["kind"].lower()
        if kind not in _KINDS:
            raise InputError(
                f"unknown kind {text['kind']!r}", file=file, field="kind", row=row,
                expected='"closed" or "open"',
            )
        hours_text = text.get("hours", "")
        hours = None
        if hours_text:
            if kind == "closed":
                raise InputError(
                    "a closed date cannot have hours", file=file, field="hours", row=row,
                    expected='no hours on a "closed" row',
                )
            try:
                hours = parse_intervals(hours_text.split(";"), field="hours", row=row)
            except InputError as error:
                raise error.located(file) if file else error from None
        closures.append(Closure(date, kind, hours, text.get("note", ""), row))
    return closures

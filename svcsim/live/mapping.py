"""The mapping file: how a ticketing system's export becomes the canonical event log.

A mapping (TOML) names the source columns for case, activity and timestamp
and the case attributes; maps the system's status words to activities
(several to one), turns status intervals ("Awaiting ...") into pause and
resume events; states the timestamp format and the source's time zone; and
sets the policies for duplicates, unknown activities, out-of-order events and
attributes that change between rows. See ``docs/reference/mapping.md``.
"""

from __future__ import annotations

import codecs
import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationError,
    field_validator,
    model_validator,
)

from svcsim.calendar.config import check_timezone
from svcsim.errors import InputError
from svcsim.eventlog.log import CASE_ATTRIBUTES
from svcsim.textfiles import read_user_text

__all__ = ["Mapping", "load_mapping", "canonical_mapping"]


def _as_list(value: object) -> object:
    return [value] if isinstance(value, str) else value


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceSpec(_Closed):
    """How to read the file."""

    member: str | None = None  # the CSV inside a .zip (default: its only .csv)
    sheet: str | int = 0  # Excel sheet
    missing: Annotated[list[str], BeforeValidator(_as_list)] = [""]  # cells meaning "no value", e.g. "?"
    encoding: str = "utf-8"  # any codec Python knows; UTF-8 accepts a byte-order mark
    delimiter: str = ","  # one character

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError(f"unknown encoding {value!r}; expected a codec name such as 'utf-8', "
                             "'latin-1', 'cp1252' or 'gb18030'") from None
        return value

    @field_validator("delimiter")
    @classmethod
    def _one_character(cls, value: str) -> str:
        if len(value) != 1:
            raise ValueError(f"the delimiter {value!r} is {len(value)} characters; expected exactly one, "
                             "such as ',' ';' or '\\t'")
        return value


class ColumnsSpec(_Closed):
    """Source column names of the event fields."""

    case_id: str
    activity: str
    timestamp: str
    resource: str | None = None
    seq: str | None = None  # order of narration, e.g. an update counter
    event_id: str | None = None


class TimestampSpec(_Closed):
    """How timestamps are written."""

    format: str | None = None  # strptime format, e.g. "%d/%m/%Y %H:%M"; None: ISO 8601
    timezone: str | None = None  # the zone of timestamps written without an offset

    @model_validator(mode="after")
    def _zone(self) -> TimestampSpec:
        if self.timezone is not None:
            try:
                check_timezone(self.timezone)
            except InputError as exc:
                raise ValueError(exc.problem + "; expected " + (exc.expected or "")) from None
        return self


class IntervalSpec(_Closed):
    """A run of rows in one of ``states`` becomes ``pause`` at its first row and ``resume`` at the next row in another state."""

    states: Annotated[list[str], BeforeValidator(_as_list)]
    pause: str
    resume: str


class ActivitySpec(_Closed):
    """Source values -> activities; what to do with values the map does not know."""

    map: dict[str, str] = {}
    unknown: Literal["quarantine", "keep"] = "quarantine"
    intervals: list[IntervalSpec] = []


class PolicySpec(_Closed):
    """What to do with rows that are readable but suspicious."""

    duplicates: Literal["quarantine", "keep"] = "quarantine"
    out_of_order: Literal["keep", "quarantine"] = "keep"
    attribute_conflicts: Literal["last", "first"] = "last"


class Mapping(_Closed):
    """A whole mapping file."""

    version: Literal[1] = 1
    source: SourceSpec = SourceSpec()
    columns: ColumnsSpec
    timestamps: TimestampSpec = TimestampSpec()
    activities: ActivitySpec = ActivitySpec()
    case_attributes: dict[str, str] = {}  # case field -> source column
    case_constants: dict[str, str | int | float | bool] = {}  # case field -> the same value for every case
    case_events: dict[str, str] = {}  # activity -> source column holding its time (one event per case)
    policies: PolicySpec = PolicySpec()
    path: str = "<mapping>"

    def source_columns(self) -> list[str]:
        """Every source column the mapping reads."""
        c = self.columns
        named = [c.case_id, c.activity, c.timestamp, c.resource, c.seq, c.event_id]
        return list(dict.fromkeys([n for n in named if n] + list(self.case_attributes.values()) + list(self.case_events.values())))


def load_mapping(path: str | Path) -> Mapping:
    """Read and validate a mapping file; a mistake is one InputError naming the file and the field."""
    path = Path(path)
    text = read_user_text(path, what="a mapping file (TOML)")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML ({exc})", file=path, expected="a TOML mapping file") from None
    try:
        return Mapping.model_validate({**raw, "path": str(path)})
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or None
        if err["type"] == "missing":
            raise InputError("is missing", file=path, field=field, expected="a value (see docs/reference/mapping.md)") from None
        if err["type"] == "extra_forbidden":
            raise InputError("is not a known field", file=path, field=field, expected="only the fields of docs/reference/mapping.md") from None
        raise InputError(err["msg"].removeprefix("Value error, "), file=path, field=field) from None


def canonical_mapping(columns: list[str], source: str) -> Mapping:
    """The identity mapping for a file already in the canonical shape."""
    optional = {k: k for k in ("resource", "seq", "event_id") if k in columns}
    return Mapping(
        columns=ColumnsSpec(case_id="case_id", activity="activity", timestamp="timestamp", **optional),
        case_attributes={c: c for c in CASE_ATTRIBUTES if c in columns and c != "invalid_reason"},
        path=source,
    )

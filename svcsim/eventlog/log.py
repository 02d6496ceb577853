"""The event log: one shape for simulated and live data.

An :class:`EventLog` is two tables. ``events`` has one row per fact
(``case_id``, ``activity``, ``timestamp`` in UTC, optional ``resource``,
``event_id``, ``seq`` and attribute columns such as ``reason`` or ``part``).
``cases`` has one row per case with its attributes (``case_type``, ``zone``,
``fault``, ``device_id``...). The rule engine and the metrics read nothing
else, which is what lets one engine judge a simulation and a live export.

Events of one case that share a timestamp keep their order by ``seq`` when
the column is present, else by their row order: the order of narration.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from svcsim.errors import InputError

__all__ = [
    "EventLog",
    "REQUIRED_EVENT_COLUMNS",
    "OPTIONAL_EVENT_COLUMNS",
    "CASE_ATTRIBUTES",
]

REQUIRED_EVENT_COLUMNS: tuple[str, ...] = ("case_id", "activity", "timestamp")
#: In a flat file, the prefix of a case attribute outside :data:`CASE_ATTRIBUTES`.
CASE_PREFIX = "case:"
OPTIONAL_EVENT_COLUMNS: tuple[str, ...] = ("resource", "event_id", "seq")
#: Case attributes of DESIGN, in display order. ``invalid_reason`` is set by a
#: loader for a case that lost rows to quarantine; the rules then report the
#: case ``invalid`` rather than judge what is left of it.
CASE_ATTRIBUTES: tuple[str, ...] = (
    "case_type",
    "channel",
    "zone",
    "fault",
    "warranty",
    "device_id",
    "priority",
    "parent_id",
    "invalid_reason",
)


@dataclass(frozen=True, eq=False)
class EventLog:
    """Events and cases of a service center, simulated or live.

    Build one with :meth:`from_frames` (two tables) or :meth:`from_flat` (one
    table with case attributes repeated on each row); both check the shape
    and normalise it (timestamps to UTC, activities categorical). Read and
    write files with :func:`svcsim.eventlog.read_log` and
    :func:`svcsim.eventlog.write_log`.
    """

    events: pd.DataFrame
    cases: pd.DataFrame

    # -- construction -------------------------------------------------------
    @classmethod
    def from_frames(
        cls,
        events: pd.DataFrame,
        cases: pd.DataFrame | None = None,
        *,
        source: str | None = None,
    ) -> EventLog:
        """Check and normalise an events table and (optionally) a cases table.

        ``source`` names the file the tables came from, for error messages.
        Cases that appear in ``events`` but not in ``cases`` are added with
        empty attributes; case ids that are not strings are turned into strings.
        """
        events = _normalised_events(events, source)
        cases = _normalised_cases(events, cases, source)
        return cls(events=events, cases=cases)

    @classmethod
    def from_flat(cls, frame: pd.DataFrame, *, source: str | None = None) -> EventLog:
        """Split one table whose case attributes repeat on each row into events and cases.

        The columns of :data:`CASE_ATTRIBUTES` are case attributes, and so is
        any column named ``case:<name>`` (the process-mining convention; the
        prefix is dropped), which lets a case attribute share its name with an
        event attribute (``part``: the spare an event is about, and the part
        an item case is). Every other column is an event attribute.
        A case attribute must not disagree between the rows of one case (empty
        cells are ignored); a disagreement is an :class:`~svcsim.errors.InputError`.
        """
        _require_columns(frame, REQUIRED_EVENT_COLUMNS, source)
        prefixed = {c: c[len(CASE_PREFIX):] for c in frame.columns
                    if isinstance(c, str) and c.startswith(CASE_PREFIX) and c[len(CASE_PREFIX):] not in CASE_ATTRIBUTES}
        attrs = [c for c in CASE_ATTRIBUTES if c in frame.columns] + list(prefixed)
        events = frame.drop(columns=attrs)
        if attrs:
            grouped = frame[["case_id", *attrs]].groupby("case_id", sort=False, observed=True)
            counts = grouped.nunique(dropna=True)
            conflicts = counts[(counts > 1).any(axis=1)]
            if len(conflicts):
                case = conflicts.index[0]
                column = next(c for c in attrs if conflicts.loc[case, c] > 1)
                values = sorted(map(str, frame.loc[frame["case_id"] == case, column].dropna().unique()))
                raise InputError(
                    f"case {case!r} has different values {values} on different rows "
                    f"({len(conflicts)} case(s) disagree)",
                    file=source, field=column, expected="one value per case",
                )
            cases = grouped.first().reset_index().rename(columns=prefixed)
        else:
            cases = None
        return cls.from_frames(events, cases, source=source)

    # -- views --------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.events)

    @property
    def n_cases(self) -> int:
        """Number of cases (rows of the cases table)."""
        return len(self.cases)

    def to_flat(self) -> pd.DataFrame:
        """One table: each event with its case's attributes (the canonical flat file layout).

        Case attributes outside :data:`CASE_ATTRIBUTES` are written as
        ``case:<name>``, so :meth:`from_flat` reads them back as case
        attributes even where an event column has the same name.
        """
        attrs = self.cases.loc[:, self.cases.columns.notna()]
        attrs = attrs.loc[:, [c for c in attrs.columns if c == "case_id" or attrs[c].notna().any()]]
        attrs = attrs.rename(columns={c: f"{CASE_PREFIX}{c}" for c in attrs.columns
                                      if c != "case_id" and c not in CASE_ATTRIBUTES})
        return self.events.merge(attrs, on="case_id", how="left", validate="many_to_one")

    def to_pm4py(self) -> pd.DataFrame:
        """The flat table with the column names process-mining tools (pm4py) expect."""
        return self.to_flat().rename(
            columns={
                "case_id": "case:concept:name",
                "activity": "concept:name",
                "timestamp": "time:timestamp",
                "resource": "org:resource",
            }
        )

    def activities(self) -> list[str]:
        """The activities that occur in the log, sorted."""
        return sorted(map(str, self.events["activity"].dropna().unique()))


# -- shape checks ------------------------------------------------------------
def _require_columns(frame: pd.DataFrame, columns: tuple[str, ...], source: str | None) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            f"missing column(s) {missing}; found {list(map(str, frame.columns))[:12]}",
            file=source, field=missing[0], expected=f"the columns {list(columns)}",
        )


def _first_bad_row(mask: np.ndarray) -> int:
    """1-based data row number of the first True in ``mask``."""
    return int(np.flatnonzero(mask)[0]) + 1


def _normalised_events(events: pd.DataFrame, source: str | None) -> pd.DataFrame:
    _require_columns(events, REQUIRED_EVENT_COLUMNS, source)
    events = events.reset_index(drop=True)
    for column in ("case_id", "activity"):
        null = events[column].isna().to_numpy()
        if null.any():
            raise InputError(
                f"{int(null.sum())} empty value(s)", file=source, field=column,
                row=_first_bad_row(null), expected="a value on every row",
            )
    ts = events["timestamp"]
    if ts.dtype == object and pd.api.types.infer_dtype(ts, skipna=True) == "datetime":
        aware = ts.map(lambda v: v is None or pd.isna(v) or getattr(v, "tzinfo", None) is not None)
        if aware.all():  # aware moments in several zones: one instant each, so convert
            ts = pd.to_datetime(ts, utc=True)
        else:
            raise InputError(
                "some timestamps have no time zone", file=source, field="timestamp",
                row=_first_bad_row(~aware.to_numpy(dtype=bool)),
                expected="time-zone-aware timestamps (state the zone; none is assumed)",
            )
    if not isinstance(ts.dtype, pd.DatetimeTZDtype):
        if pd.api.types.is_datetime64_dtype(ts.dtype):
            raise InputError(
                "timestamps have no time zone", file=source, field="timestamp",
                expected="time-zone-aware timestamps (state the zone; none is assumed)",
            )
        raise InputError(
            f"timestamps are of type {ts.dtype}, not date-times", file=source, field="timestamp",
            expected="time-zone-aware date-times",
        )
    null = ts.isna().to_numpy()
    if null.any():
        raise InputError(
            f"{int(null.sum())} empty timestamp(s)", file=source, field="timestamp",
            row=_first_bad_row(null), expected="a timestamp on every row",
        )
    out = events.copy(deep=False)
    out["timestamp"] = ts.dt.tz_convert("UTC").astype("datetime64[ns, UTC]")
    if "seq" in out.columns and not pd.api.types.is_numeric_dtype(out["seq"].dtype):
        out["seq"] = _numeric_seq(out["seq"], source)
    cid = out["case_id"]
    if isinstance(cid.dtype, pd.CategoricalDtype):
        out["case_id"] = _text_categories(cid)
    elif not pd.api.types.is_string_dtype(cid.dtype):
        out["case_id"] = cid.astype(str)
    if not isinstance(out["activity"].dtype, pd.CategoricalDtype):
        out["activity"] = out["activity"].astype(str).astype("category")
    return out


def _numeric_seq(seq: pd.Series, source: str | None) -> pd.Series:
    """``seq`` as numbers (empty cells stay empty); a value that is not a number names its row."""
    numbers = pd.to_numeric(seq, errors="coerce")
    bad = numbers.isna().to_numpy() & seq.notna().to_numpy()
    if bad.any():
        row = _first_bad_row(bad)
        raise InputError(
            f"{seq.iloc[row - 1]!r} is not a number ({int(bad.sum())} such row(s))", file=source, field="seq",
            row=row, expected="a number giving the order of narration within a case, or an empty cell",
        )
    return numbers


def _text_categories(case_id: pd.Series) -> pd.Series:
    """A categorical of case ids with text categories (pandas' ``str``), made once here, not at every check.

    Categories that are other objects are turned into their text; if two
    become the same text (``1`` and ``"1"``), the values are re-encoded.
    """
    categories = case_id.cat.categories
    if _is_text(categories.dtype):
        return case_id
    texts = categories.astype(str)
    if not texts.is_unique:
        return case_id.astype(str).astype("category")
    dtype = pd.CategoricalDtype(texts, ordered=case_id.cat.ordered)
    return pd.Series(pd.Categorical.from_codes(case_id.cat.codes.to_numpy(), dtype=dtype), index=case_id.index, name=case_id.name)


def _is_text(dtype: object) -> bool:
    """Whether ``dtype`` is a pandas text dtype (``str`` or ``string``), not plain objects."""
    return isinstance(dtype, pd.StringDtype)


def _event_case_ids(case_id: pd.Series) -> pd.Index:
    """The distinct case ids of the events, in order of first appearance."""
    if isinstance(case_id.dtype, pd.CategoricalDtype):
        return case_id.cat.categories.take(pd.unique(case_id.cat.codes.to_numpy()))
    return pd.Index(pd.unique(case_id))


def _normalised_cases(events: pd.DataFrame, cases: pd.DataFrame | None, source: str | None) -> pd.DataFrame:
    event_ids = _event_case_ids(events["case_id"])
    if cases is None:
        cases = pd.DataFrame({"case_id": event_ids.astype(str)})
    else:
        _require_columns(cases, ("case_id",), source)
        cases = cases.reset_index(drop=True).copy()
        null = cases["case_id"].isna().to_numpy()
        if null.any():
            raise InputError(
                "empty case id in the cases table", file=source, field="case_id",
                row=_first_bad_row(null), expected="a case id on every row",
            )
        cases["case_id"] = cases["case_id"].astype(str)
        dup = cases["case_id"].duplicated().to_numpy()
        if dup.any():
            raise InputError(
                f"case {cases['case_id'][dup].iloc[0]!r} appears twice in the cases table",
                file=source, field="case_id", row=_first_bad_row(dup), expected="one row per case",
            )
        known = pd.Index(cases["case_id"])
        categories = events["case_id"].cat.categories if isinstance(events["case_id"].dtype, pd.CategoricalDtype) else None
        if categories is not None and categories.equals(known):  # a simulated log: the cases are its categories
            missing = known[:0]
        else:
            missing = event_ids.difference(known)
        if len(missing):
            cases = pd.concat([cases, pd.DataFrame({"case_id": missing.astype(str)})], ignore_index=True)
    for column in CASE_ATTRIBUTES:
        if column not in cases.columns:
            cases[column] = pd.Series(pd.NA, index=cases.index, dtype="object")
    if "case_type" in cases.columns:
        bad = cases["case_type"].notna() & ~cases["case_type"].isin(["ticket", "item"])
        if bad.any():
            raise InputError(
                f"case type {cases['case_type'][bad].iloc[0]!r}", file=source, field="case_type",
                row=_first_bad_row(bad.to_numpy()), expected="'ticket' or 'item'",
            )
    ordered = ["case_id", *CASE_ATTRIBUTES]
    return cases[ordered + [c for c in cases.columns if c not in ordered]]

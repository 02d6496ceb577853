"""``load_events``: a live export in, the canonical log and a validation report out.

Validation runs in two stages so one bad cell cannot cause a cascade of
false findings. Stage 1 checks each row on its own (case id, activity,
timestamp, future); rows that fail are quarantined. Stage 2 looks across the
rows that passed (exact duplicates, order within a case, attributes that
change between rows). Every source row ends kept or quarantined, and a case
that lost a row (other than an exact copy) is marked invalid, so the rules
report it ``invalid`` instead of judging what is left.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from svcsim.arguments import of_kind, path_like
from svcsim.errors import InputError
from svcsim.eventlog.limits import DEFAULT_LIMITS, Limits
from svcsim.eventlog.log import EventLog
from svcsim.eventlog.time import NAT_NS as NAT
from svcsim.eventlog.time import to_as_of_ns
from svcsim.eventlog.vocabulary import ACTIVITY_NAMES
from svcsim.live.case_events import case_events
from svcsim.live.mapping import Mapping, canonical_mapping, load_mapping
from svcsim.live.report import HARMLESS, ISSUE_COLUMNS, ValidationReport
from svcsim.live.screen import (
    known_activities,
    outside_calendars,
    rule_calendars,
    unknown_activity_warning,
)
from svcsim.live.source import read_source
from svcsim.live.timestamps import parse_times
from svcsim.rules.ruleset import RuleSet

__all__ = ["load_events"]



class _Issues:
    """Collects findings as column arrays, one batch per check."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(self, rows: np.ndarray, case: np.ndarray, column: str, code: str, message: np.ndarray | str, action: str) -> None:
        if len(rows):
            self.parts.append(pd.DataFrame({"source_row": rows, "case_id": case, "column": column, "code": code, "message": message, "action": action}))

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in ISSUE_COLUMNS}).astype({"source_row": np.int64})
        return pd.concat(self.parts, ignore_index=True).sort_values(["source_row", "code"], kind="stable").reset_index(drop=True)


def load_events(
    path: str | Path,
    mapping: Mapping | str | Path | None = None,
    *,
    as_of: datetime | pd.Timestamp | str | None = None,
    rules: RuleSet | None = None,
    limits: Limits | None = None,
) -> tuple[EventLog, ValidationReport]:
    """Load an export through a mapping (None: a file already in the canonical shape).

    ``as_of`` is the moment of the export: later timestamps are quarantined as
    ``TS_FUTURE``. None means now. ``rules``, the rules the log is for: rows
    dated outside the years their calendars cover are quarantined
    (``TS_OUTSIDE_CALENDAR``) and rows whose activity no rule knows are
    counted and warned about (``ACTIVITY_NOT_JUDGED``). ``limits``, the most
    the file may hold (:class:`svcsim.eventlog.limits.Limits`; None: the defaults).
    """
    path_like(path, "path", function="load_events", what="an export file")
    if not isinstance(mapping, Mapping):
        path_like(mapping, "mapping", function="load_events", what="a Mapping or a mapping file", none=True)
    if rules is not None:
        of_kind(rules, "rules", (RuleSet,), function="load_events", expected="a RuleSet or None",
                hint="; load one with svcsim.load_rules(path)")
    path = Path(path)
    if mapping is not None and not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    spec = mapping.source if mapping is not None else canonical_mapping([], "").source
    if limits is not None:
        of_kind(limits, "limits", (Limits,), function="load_events", expected="a svcsim.eventlog.limits.Limits or None")
    raw, label = read_source(path, spec, DEFAULT_LIMITS if limits is None else limits)
    if mapping is None:
        mapping = canonical_mapping(list(map(str, raw.columns)), str(path))
    missing = [c for c in mapping.source_columns() if c not in raw.columns]
    repeated = raw.attrs.get("repeated_columns", {})
    ambiguous = [c for c in missing if c in repeated]
    if ambiguous:
        name, spots = ambiguous[0], repeated[ambiguous[0]]
        numbered = [f"{name}#{k}" for k in range(1, len(spots) + 1)]
        raise InputError(
            f"[COLUMN_AMBIGUOUS] the export's header names {name!r} {len(spots)} times "
            f"(columns {' and '.join(map(str, spots))}), so it is read as {' and '.join(map(repr, numbered))}",
            file=mapping.path, field=_field_of(mapping, name), expected=f"one of {numbered}",
        )
    if missing:
        raise InputError(
            f"[COLUMN_MISSING] the export has no column {missing[0]!r} (found {list(map(str, raw.columns))[:12]})",
            file=mapping.path, field=_field_of(mapping, missing[0]), expected=f"a column of {label}",
        )
    as_of_ns = to_as_of_ns(as_of) if as_of is not None else pd.Timestamp.now(tz="UTC").value
    return _validate(raw.reset_index(drop=True), mapping, label, as_of_ns, rules)


def _field_of(mapping: Mapping, column: str) -> str:
    for name, value in mapping.columns.model_dump().items():
        if value == column:
            return f"columns.{name}"
    for name, value in mapping.case_attributes.items():
        if value == column:
            return f"case_attributes.{name}"
    return next(f"case_events.{k}" for k, v in mapping.case_events.items() if v == column)


def _validate(raw: pd.DataFrame, mapping: Mapping, label: str, as_of_ns: int, rules: RuleSet | None) -> tuple[EventLog, ValidationReport]:
    n = len(raw)
    rows = np.arange(1, n + 1)
    issues = _Issues()
    cols = mapping.columns
    quarantine = np.full(n, None, dtype=object)  # first quarantining code per row
    repaired = np.zeros(n, dtype=bool)

    case_code, case_ids = _case_codes(raw[cols.case_id])
    case_of = np.append(np.asarray(case_ids, dtype=object), None)  # code -1 -> None

    def flag(mask: np.ndarray, column: str, code: str, message, action: str, *, quarantines: bool) -> None:  # noqa: ANN001
        idx = np.flatnonzero(mask)
        issues.add(rows[idx], case_of[case_code[idx]], column, code, message if isinstance(message, str) else message[idx], action)
        if quarantines:
            first = idx[pd.isna(quarantine[idx])]
            quarantine[first] = code

    # -- stage 1: each row on its own -----------------------------------------
    flag(case_code < 0, cols.case_id, "CASE_ID_NULL", "no case id", "quarantined", quarantines=True)

    activity, act_code, act_repaired = _map_activities(raw[cols.activity], mapping)
    value_text = raw[cols.activity]
    flag(act_code == "ACTIVITY_NULL", cols.activity, "ACTIVITY_NULL", "no activity", "quarantined", quarantines=True)
    unknown = act_code == "UNKNOWN_ACTIVITY"
    keep_unknown = mapping.activities.unknown == "keep"
    flag(unknown, cols.activity, "UNKNOWN_ACTIVITY", _texts("unknown activity {!r}", value_text, unknown),
         "kept as written" if keep_unknown else "quarantined", quarantines=not keep_unknown)
    flag(act_repaired, cols.activity, "ACTIVITY_NORMALISED", _texts("{!r} read as {!r}", value_text, act_repaired, activity),
         "kept, repaired", quarantines=False)
    repaired |= act_repaired

    times = parse_times(raw[cols.timestamp], mapping.timestamps)
    ts_text = raw[cols.timestamp]
    for code in ("TS_NULL", "TS_UNPARSEABLE", "TS_NAIVE", "TS_NONEXISTENT", "TS_AMBIGUOUS"):
        mask = times.code == code
        if mask.any():
            flag(mask, cols.timestamp, code, _texts("{!r}", ts_text, mask), "quarantined", quarantines=True)
    if (times.code == "TS_NAIVE").all() and n:
        raise InputError(
            "[TS_NAIVE] the export's timestamps have no offset and the mapping states no time zone",
            file=mapping.path, field="timestamps.timezone", expected='the zone the export was written in, e.g. "Asia/Shanghai" (none is assumed)',
        )
    flag(times.mixed, cols.timestamp, "TS_MIXED_OFFSETS", _texts("{!r}", ts_text, times.mixed), "kept; converted to UTC", quarantines=False)
    future = (times.ns != NAT) & (times.ns > as_of_ns)
    flag(future, cols.timestamp, "TS_FUTURE", _texts("{!r} is after as_of", ts_text, future), "quarantined", quarantines=True)
    calendars = rule_calendars(rules) if rules is not None else {}
    for outside, why in outside_calendars(times.ns, calendars):
        template = "{!r} is " + why.replace("{", "{{").replace("}", "}}")
        flag(outside, cols.timestamp, "TS_OUTSIDE_CALENDAR", _texts(template, ts_text, outside), "quarantined", quarantines=True)

    # -- stage 2: across the rows that passed -----------------------------------
    ok = pd.isna(quarantine)
    dup = _exact_duplicates(raw, ok, case_code, times.ns, np.asarray(activity.codes))
    keep_dups = mapping.policies.duplicates == "keep"
    flag(dup, "*", "DUPLICATE", "an exact copy of an earlier row", "kept" if keep_dups else "quarantined", quarantines=not keep_dups)
    ok &= ~dup | keep_dups

    seq = pd.to_numeric(raw[cols.seq], errors="coerce").to_numpy() if cols.seq else rows.astype(float)
    order = np.lexsort((rows, seq, case_code))
    order = order[ok[order]]
    t_sorted = times.ns[order]
    c_sorted = case_code[order]
    new_case = np.r_[True, c_sorted[1:] != c_sorted[:-1]] if len(order) else np.zeros(0, bool)
    back = _goes_back(t_sorted, new_case)
    ooo = np.zeros(n, dtype=bool)
    ooo[order[back]] = True
    q_ooo = mapping.policies.out_of_order == "quarantine"
    flag(ooo, cols.timestamp, "OUT_OF_ORDER", "earlier than an event narrated before it in the same case",
         "quarantined" if q_ooo else "kept; ordered by time", quarantines=q_ooo)
    if q_ooo:
        ok &= ~ooo

    kept = np.flatnonzero(ok)
    cases, attr_issues = _case_table(raw, mapping, kept, case_code, case_ids, seq, rows)
    for part in attr_issues:
        issues.parts.append(part)
    invalid = _invalid_cases(quarantine, case_code, case_ids)
    cases["invalid_reason"] = cases["case_id"].map(invalid)

    events = pd.DataFrame({
        "case_id": pd.Categorical.from_codes(case_code[kept], categories=case_ids),
        "activity": activity[kept],
        "timestamp": pd.to_datetime(times.ns[kept], unit="ns", utc=True),
        "source_row": rows[kept],
    })
    if cols.resource:
        events["resource"] = raw[cols.resource].to_numpy()[kept]
    if cols.seq:
        events["seq"] = seq[kept]
    if cols.event_id:
        events["event_id"] = raw[cols.event_id].to_numpy()[kept]
    warnings = _interval_warnings(mapping, rules)
    if rules is not None:
        judged = known_activities(rules) | {s for i in mapping.activities.intervals for s in i.states}
        names = np.asarray(activity.categories, dtype=object)
        not_judged = np.zeros(n, dtype=bool)
        not_judged[kept] = ~np.isin(names, sorted(judged))[np.asarray(activity.codes)[kept]]
        if not_judged.any():
            flag(not_judged, cols.activity, "ACTIVITY_NOT_JUDGED", _texts("{!r} read as {!r}, known to no rule", value_text, not_judged, activity),
                 "kept", quarantines=False)
            counts = pd.Series(np.asarray(activity)[not_judged]).value_counts().to_dict()
            mapped_from: dict[str, list[str]] = {}
            for value, target in mapping.activities.map.items():
                mapped_from.setdefault(target, []).append(value)
            warnings.append(unknown_activity_warning(counts, mapped_from))
    openings, closings = case_events(raw, mapping, kept, case_code, case_ids, issues, rows, calendars, events)
    derived = _interval_events(events, mapping) + closings
    n_derived = sum(len(d) for d in [*derived, *openings])
    if derived or openings:
        events = pd.concat([*openings, events, *derived], ignore_index=True)
    # invalid cases with no kept row still get a cases row, so the rules can report them
    lost = pd.DataFrame({"case_id": sorted(set(invalid) - set(cases["case_id"]))})
    if len(lost):
        lost["invalid_reason"] = lost["case_id"].map(invalid)
        cases = pd.concat([cases, lost], ignore_index=True)
    log = EventLog.from_frames(events, cases, source=label)

    q_idx = np.flatnonzero(~ok)
    quarantined = raw.iloc[q_idx].assign(source_row=rows[q_idx], code=quarantine[q_idx])
    quarantined.loc[pd.isna(quarantined["code"]), "code"] = "DUPLICATE"
    report = ValidationReport(
        source=label, rows_read=n, rows_kept=int(ok.sum()), rows_quarantined=int((~ok).sum()),
        rows_repaired=int((repaired & ok).sum()), events_derived=n_derived,
        issues=issues.frame(), quarantined=quarantined.reset_index(drop=True), warnings=tuple(warnings),
    )
    assert report.rows_kept + report.rows_quarantined == report.rows_read
    return log, report


def _texts(template: str, values: pd.Series, mask: np.ndarray, other: np.ndarray | None = None) -> np.ndarray:
    """Messages for the flagged rows only (formatting every row of a large export would be waste)."""
    out = np.full(len(values), "", dtype=object)
    idx = np.flatnonzero(mask)
    picked = values.iloc[idx].tolist()
    for i, value in zip(idx, picked, strict=True):
        value = "" if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) else value
        out[i] = template.format(value) if other is None else template.format(value, other[i])
    return out


def _case_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Case ids trimmed of spaces, as integer codes (-1: none) and the ids they stand for."""
    codes, ids = _encoded(values, trim=True)
    return codes, pd.Index(ids, dtype=object)


def _map_activities(values: pd.Series, mapping: Mapping) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Activity per row, a problem code per row, and whether the match needed normalising."""
    known_targets = set(mapping.activities.map.values()) | ACTIVITY_NAMES
    exact = dict(mapping.activities.map)
    loose = {k.strip().casefold(): v for k, v in exact.items()}
    loose.update({a.casefold(): a for a in known_targets if a.casefold() not in loose})
    codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
    act_u, code_u, rep_u = [], [], []
    for value in uniques:
        value = str(value)
        if not value.strip() and value not in exact:  # an empty cell, even where `missing` does not list ""
            act_u.append(None), code_u.append("ACTIVITY_NULL"), rep_u.append(False)
        elif value in exact:
            act_u.append(exact[value]), code_u.append(None), rep_u.append(False)
        elif value in known_targets:
            act_u.append(value), code_u.append(None), rep_u.append(False)
        elif value.strip().casefold() in loose:
            act_u.append(loose[value.strip().casefold()]), code_u.append(None), rep_u.append(True)
        else:
            act_u.append(value), code_u.append("UNKNOWN_ACTIVITY"), rep_u.append(False)
    act_u.append(None), code_u.append("ACTIVITY_NULL"), rep_u.append(False)  # index -1: missing
    pick = np.where(codes < 0, len(uniques), codes)
    names = list(dict.fromkeys(a for a in act_u if a is not None))
    act_codes = np.array([names.index(a) if a is not None else -1 for a in act_u], dtype=np.int64)
    activity = pd.Categorical.from_codes(act_codes[pick], categories=names)
    return (activity, np.array(code_u, dtype=object)[pick], np.array(rep_u, dtype=bool)[pick])


def _goes_back(t: np.ndarray, new_case: np.ndarray) -> np.ndarray:
    """Per row (sorted by case, then narration): earlier than the latest time narrated before it in its case."""
    if not len(t):
        return np.zeros(0, dtype=bool)
    group = np.cumsum(new_case) - 1
    running = pd.Series(t).groupby(group).cummax().to_numpy()
    previous = np.r_[NAT, running[:-1]]
    previous[new_case] = NAT
    return t < previous


def _case_table(raw, mapping: Mapping, kept, case_code, case_ids, seq, rows):  # noqa: ANN001, ANN202
    """One row per case: attributes from the kept rows (first or last non-empty value by narration), constants.

    Each attribute column is dictionary-encoded once; first/last values and
    conflicts (two different non-empty values in one case) are then found with
    array operations on the codes, sorted by case and narration.
    """
    order = kept[np.lexsort((rows[kept], seq[kept], case_code[kept]))]
    case = case_code[order]
    present = np.unique(case)
    ids = np.asarray(case_ids, dtype=object)
    cases = pd.DataFrame({"case_id": ids[present]})
    issues = []
    use_last = mapping.policies.attribute_conflicts == "last"
    for field, column in mapping.case_attributes.items():
        codes, values = _encoded(raw[column])
        codes = codes[order]
        filled = codes >= 0
        sub_case, sub_code, sub_pos = case[filled], codes[filled], order[filled]
        value = np.full(len(present), None, dtype=object)
        if len(sub_case):
            starts = np.flatnonzero(np.r_[True, sub_case[1:] != sub_case[:-1]])
            ends = np.r_[starts[1:], len(sub_case)] - 1
            pick = ends if use_last else starts
            where = np.searchsorted(present, sub_case[starts])
            value[where] = values[sub_code[pick]]
            low = np.minimum.reduceat(sub_code, starts)
            high = np.maximum.reduceat(sub_code, starts)
            bad = np.flatnonzero(low != high)
            if len(bad):
                issues.append(pd.DataFrame({
                    "source_row": rows[sub_pos[starts[bad]]], "case_id": ids[sub_case[starts[bad]]], "column": column,
                    "code": "ATTR_CONFLICT", "message": f"{field} changes between the rows of the case",
                    "action": [f"kept; used the {mapping.policies.attribute_conflicts} value {v!r}" for v in values[sub_code[pick[bad]]]],
                }))
        cases[field] = value
    for field, constant in mapping.case_constants.items():
        cases[field] = constant
    return cases, issues


def _encoded(values: pd.Series, *, trim: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """A column as integer codes (-1: empty) and the distinct values they stand for (Arrow does the work)."""
    if not pd.api.types.is_string_dtype(values.dtype):
        values = values.astype("string")  # e.g. integers from a Parquet file
    array = pa.array(values, from_pandas=True)  # zero-copy for pandas' Arrow-backed strings
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if trim:
        array = pc.utf8_trim_whitespace(array)
        array = pc.if_else(pc.equal(array, ""), pa.scalar(None, array.type), array)
    encoded = array.dictionary_encode()
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    codes = np.where(pd.isna(codes), -1, codes).astype(np.int64)
    return codes, np.asarray(encoded.dictionary.to_pylist(), dtype=object)


def _exact_duplicates(raw: pd.DataFrame, ok: np.ndarray, case_code: np.ndarray, t_ns: np.ndarray, act: np.ndarray) -> np.ndarray:
    """Rows (among ``ok``) that repeat an earlier row exactly, in every column.

    A full copy shares case, time and activity, so those integer columns pick
    the candidates and the full comparison runs on the candidates only.
    """
    dup = np.zeros(len(raw), dtype=bool)
    idx = np.flatnonzero(ok)
    keys = pd.DataFrame({"c": case_code[idx], "t": t_ns[idx], "a": act[idx]})
    candidates = idx[keys.duplicated(keep=False).to_numpy()]
    if len(candidates):
        dup[candidates] = raw.iloc[candidates].duplicated(keep="first").to_numpy()
    return dup


def _invalid_cases(quarantine: np.ndarray, case_code: np.ndarray, case_ids: pd.Index) -> dict[str, str]:
    """Case id -> the codes of its quarantined rows (exact duplicates do not count)."""
    mask = ~pd.isna(quarantine) & (case_code >= 0)
    frame = pd.DataFrame({"case_id": np.asarray(case_ids, dtype=object)[case_code[mask]], "code": quarantine[mask]})
    frame = frame[~frame["code"].isin(HARMLESS)].drop_duplicates().sort_values(["case_id", "code"], kind="stable")
    return frame.groupby("case_id", sort=False)["code"].agg(",".join).to_dict()  # each case's codes once, sorted


def _interval_events(events: pd.DataFrame, mapping: Mapping) -> list[pd.DataFrame]:
    """Status intervals: a pause where a run of the states begins, a resume where it ends."""
    out = []
    if not mapping.activities.intervals or events.empty:
        return out
    ordered = events.sort_values(["case_id", "timestamp", "source_row"], kind="stable")
    case = ordered["case_id"].to_numpy()
    first = np.r_[True, case[1:] != case[:-1]]
    for interval in mapping.activities.intervals:
        inside = ordered["activity"].isin(interval.states).to_numpy()
        before = np.r_[False, inside[:-1]]
        before[first] = False
        for mask, activity in ((inside & ~before, interval.pause), (~inside & before, interval.resume)):
            part = ordered.loc[mask, ["case_id", "timestamp", "source_row"]].assign(activity=activity)
            out.append(part)
    return out


def _interval_warnings(mapping: Mapping, rules: RuleSet | None) -> list[str]:
    """An interval state the map never produces (nor the vocabulary, nor the rules) can match no row."""
    produced = set(mapping.activities.map.values()) | ACTIVITY_NAMES
    if rules is not None:
        produced |= known_activities(rules)
    out = []
    for k, interval in enumerate(mapping.activities.intervals):
        for state in interval.states:
            if state not in produced and mapping.activities.unknown == "quarantine":
                out.append(f"{mapping.path}: field 'activities.intervals.{k}.states': {state!r} is not an activity "
                           "the map produces, so no row can enter that interval (map a status to it)")
    return out

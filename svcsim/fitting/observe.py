"""What a fit reads from a log: its events in case order, each resource's role, and where the log ends.

:class:`Observed` is the log as the fitters see it: events before
``until`` (all of them without it), sorted by case, time and narration
order, with a ``role`` per event (the scenario's staffing role of its
resource) and a ``pos`` (the row's place in that order), and the cases
table. Its ``end`` is the moment observation stops: ``until``, else the
last event. A case still open then is right-censored, never dropped.

A resource's role is read from its name (``operator 4``, ``field
engineer 2``: the simulator's names, and most exports') and else from the
activities it narrates most (``call_answered`` -> operators,
``arrived_on_site`` -> field engineers...). Live logs have no ``kind``
column on cases; :func:`ticket_kinds` infers the call kind from the path
the case took and uses ``kind`` only when it is there.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from svcsim.errors import InputError

__all__ = ["Observed", "observe", "ticket_kinds", "ticket_rows", "ROLE_PATHS", "local_days", "local_wall_ns"]

#: Role -> the scenario field of its head count.
ROLE_PATHS: dict[str, str] = {
    "operators": "staffing.operators", "tech_support": "staffing.tech_support",
    "dispatchers": "staffing.dispatchers", "field_engineers": "staffing.field_engineers",
    "bench_engineers": "staffing.bench_engineers", "administrators": "spares.administrators",
}

#: Words in a resource's name that say its role (first match wins; checked in this order).
_NAME_WORDS: tuple[tuple[str, str], ...] = (
    ("tech", "tech_support"), ("support", "tech_support"), ("operator", "operators"), ("dispatch", "dispatchers"),
    ("field", "field_engineers"), ("bench", "bench_engineers"), ("admin", "administrators"),
)

#: Activities that say the role of the resource narrating them (when its name does not).
_ROLE_ACTIVITIES: dict[str, str] = {
    "call_answered": "operators", "dispatched": "dispatchers", "callback_made": "dispatchers",
    "arrived_on_site": "field_engineers", "repaired": "bench_engineers",
    "sent_to_vendor": "administrators", "warranty_checked": "administrators", "item_received": "administrators",
}


@dataclass(frozen=True)
class Observed:
    """A log cut at ``end``, sorted, with roles: what every fitter reads."""

    events: pd.DataFrame     # case_id, activity (str), timestamp, resource (str or None), role, pos, reason, part
    cases: pd.DataFrame      # indexed by case_id
    start: pd.Timestamp
    end: pd.Timestamp
    timezone: str = "UTC"    # the zone of local days (the template's)
    missing: frozenset[str] = frozenset()   # of resource, reason, part: the columns the log does not have (all None)

    def has(self, column: str) -> bool:
        """Whether the cases table has ``column`` with at least one value."""
        return column in self.cases.columns and bool(self.cases[column].notna().any())

    @cached_property
    def case_names(self) -> pd.Index:
        """The events' case ids (plain strings, sorted): ``case_names[code]`` is the case of code ``code``."""
        return pd.Index(self.events["case_id"].cat.categories, dtype=object)

    @cached_property
    def case_code(self) -> np.ndarray:
        """Per row of ``cases``, its code in the events (-1: a case with no event before the end)."""
        return self.case_names.get_indexer(self.cases.index)

    @cached_property
    def codes(self) -> np.ndarray:
        """Each event's case code (int64; the events are sorted by it)."""
        return self.events["case_id"].cat.codes.to_numpy().astype(np.int64)

    def case_text(self, column: str) -> pd.Series:
        """``cases[column].astype(str).str.lower()`` (all "" without the column), computed once per column."""
        cache = self._texts
        if column not in cache:
            if column not in self.cases:
                cache[column] = pd.Series("", index=self.cases.index)
            elif isinstance(self.cases[column].dtype, pd.CategoricalDtype):   # per category, then by code
                values = self.cases[column]
                names = pd.Series(values.cat.categories, dtype=object).astype(str).str.lower().to_numpy(dtype=object)
                codes = values.cat.codes.to_numpy()
                texts = np.append(names, np.nan)[codes]   # code -1: NaN, as astype(str) leaves a missing value
                cache[column] = pd.Series(texts, index=self.cases.index, dtype=object)
            else:
                cache[column] = self.cases[column].astype(str).str.lower()
        return cache[column]

    @cached_property
    def _texts(self) -> dict[str, pd.Series]:
        return {}

    def case_is(self, column: str, value: str) -> np.ndarray:
        """``(cases[column].astype(str) == value).to_numpy()``, per category for a categorical column; kept, read-only."""
        kept = self.kept("case is")
        if (column, value) not in kept:
            values = self.cases[column]
            if isinstance(values.dtype, pd.CategoricalDtype):
                said = (pd.Series(values.cat.categories, dtype=object).astype(str) == value).to_numpy()
                rows = np.append(said, False)[values.cat.codes.to_numpy()]   # code -1 (missing): False
            else:
                rows = (values.astype(str) == value).to_numpy()
            rows.flags.writeable = False
            kept[(column, value)] = rows
        return kept[(column, value)]

    def kept(self, what: str) -> dict[Any, Any]:
        """A dict a fitter keeps what it worked out in, for the rest of this fit (one per ``what``)."""
        return self._kept.setdefault(what, {})

    @cached_property
    def _kept(self) -> dict[str, dict[Any, Any]]:
        return {}

    @cached_property
    def _activity_codes(self) -> tuple[np.ndarray, pd.Index]:
        activity = self.events["activity"].cat
        return activity.codes.to_numpy(), pd.Index(activity.categories, dtype=object)

    @cached_property
    def case_time_keys(self) -> tuple[np.ndarray, np.ndarray]:
        """``(keys, stamps)``: each event's ``case code * (len(stamps) + 2) + rank of its time + 1`` (ascending), and the distinct times."""
        t = self.events["t"].to_numpy()
        stamps = np.unique(t)
        return self.codes * (len(stamps) + 2) + np.searchsorted(stamps, t) + 1, stamps

    def codes_of(self, ids: Any) -> np.ndarray:
        """The case codes of ``ids`` (case id texts; -1: no such case among the events)."""
        return self.case_names.get_indexer(pd.Index(ids, dtype=object))

    def having(self, mask: np.ndarray) -> np.ndarray:
        """Per case code, whether any event under ``mask`` is the case's (a set of cases as a mask)."""
        out = np.zeros(len(self.case_names), bool)
        out[self.codes[np.asarray(mask, bool)]] = True
        return out

    def mask_of_rows(self, rows: Any) -> np.ndarray:
        """Per case code, whether its row of ``cases`` is among ``rows`` (a mask over the rows; no string lookup)."""
        return self.mask_of_codes(self.case_code[np.asarray(rows, bool)])

    def mask_of_codes(self, codes: np.ndarray) -> np.ndarray:
        """Per case code, whether it is among ``codes`` (-1: none, left out)."""
        out = np.zeros(len(self.case_names), bool)
        out[codes[codes >= 0]] = True
        return out

    def role_is(self, role: str) -> np.ndarray:
        """Whether each event's role is ``role`` (read-only, kept)."""
        if role not in self._role_masks:
            mask = (self.events["role"] == role).to_numpy()
            mask.flags.writeable = False
            self._role_masks[role] = mask
        return self._role_masks[role]

    def reason_has(self, pattern: str) -> np.ndarray:
        """``events.reason.astype(str).str.lower().str.contains(pattern)``, worked out once per distinct reason."""
        codes, uniques = self._reasons
        said = pd.Series(uniques, dtype=object).astype(str).str.lower().str.contains(pattern).to_numpy(dtype=bool)
        return said[codes]

    @cached_property
    def _reasons(self) -> tuple[np.ndarray, np.ndarray]:
        """Each event's reason as a code into the distinct reasons; a missing one (None, as observe leaves it) last."""
        if "reason" not in self.events or "reason" in self.missing:
            return np.zeros(len(self.events), np.int64), np.array([None], dtype=object)
        codes, uniques = pd.factorize(self.events["reason"].to_numpy(dtype=object), use_na_sentinel=True)
        codes = np.where(codes < 0, len(uniques), codes)
        return codes, np.asarray([*uniques, None], dtype=object)

    def activity_is(self, *names: str) -> np.ndarray:
        """Whether each event is one of the activities ``names``, by their codes (read-only, kept)."""
        key = frozenset(names)
        cache = self._activity_masks
        if key not in cache:   # kept: the fitters ask for the same few activities again and again
            codes, categories = self._activity_codes
            wanted = categories.get_indexer(pd.Index(list(names), dtype=object))
            table = np.zeros(len(categories) + 1, bool)   # the last entry: a missing activity (code -1)
            table[wanted[wanted >= 0]] = True
            cache[key] = table[codes]
            cache[key].flags.writeable = False
        return cache[key]

    @cached_property
    def _activity_masks(self) -> dict[frozenset[str], np.ndarray]:
        return {}

    @cached_property
    def _role_masks(self) -> dict[str, np.ndarray]:
        return {}


def observe(log: Any, until: Any = None, timezone: str = "UTC") -> Observed:
    """The log as the fitters read it; ``until`` (UTC-aware) keeps the events before it."""
    events = log.events
    if len(events) == 0:
        raise InputError("the log has no events", field="events", expected="a log with events to fit")
    first, last = events["timestamp"].min(), events["timestamp"].max()
    end = last
    if until is not None:
        end = _timestamp(until)
        if not first < end <= last:
            raise InputError(f"--until {end.isoformat()} is outside the log, which runs from {first.isoformat()} "
                             f"to {last.isoformat()}", field="until", expected="a moment inside the log")
        events = events[events["timestamp"] < end]
    n = len(events)
    # case ids and activities as categoricals of plain Python strings: isin / merges on arrow strings loop in Python
    case, activity = text_categorical(events["case_id"]), text_categorical(events["activity"])
    t = _ns(events["timestamp"])
    keys = (t, case.codes)
    if "seq" in events:
        keys = (events["seq"].to_numpy(), *keys)
    order = np.lexsort(keys)   # by case, time, narration order; stable, as a stable sort_values on them
    data: dict[str, Any] = {"case_id": pd.Categorical.from_codes(case.codes[order], dtype=case.dtype),
                            "activity": pd.Categorical.from_codes(activity.codes[order], dtype=activity.dtype),
                            "timestamp": events["timestamp"].array.take(order)}
    for column in ("resource", "seq", "reason", "part"):
        if column in events:
            if column == "seq":
                data[column] = events[column].array.take(order)
                continue
            values = events[column].to_numpy(dtype=object)[order]
            values[pd.isna(values)] = None
            data[column] = values
    for column in ("resource", "reason", "part"):
        if column not in events:
            data[column] = np.full(n, None, dtype=object)
    frame = pd.DataFrame(data)
    frame["pos"] = np.arange(n, dtype=np.int64)
    if "resource" in events:
        resource_codes, resource_names = pd.factorize(frame["resource"].to_numpy(), use_na_sentinel=True)
    else:
        resource_codes, resource_names = np.full(n, -1, dtype=np.int64), np.empty(0, dtype=object)
    frame["role"] = _roles(frame, resource_codes, resource_names)
    frame["t"] = t[order]
    code = frame["case_id"].cat.codes.to_numpy()
    frame["last"] = np.r_[code[1:] != code[:-1], True]   # the case's last event (rows are sorted by case)
    frame["prev_t"] = _previous_of_resource(frame, resource_codes)
    cases = log.cases.copy()
    cases["case_id"] = cases["case_id"].astype(str).astype(object)
    cases = cases.drop_duplicates("case_id").set_index("case_id")
    for column in cases.columns:   # arrow-backed text is slow to compare element by element
        if pd.api.types.is_string_dtype(cases[column]) and not isinstance(cases[column].dtype, pd.CategoricalDtype):
            cases[column] = cases[column].astype(object)
    return Observed(frame, cases, first, end, timezone,
                    frozenset(c for c in ("resource", "reason", "part") if c not in events))


def text_categorical(column: pd.Series) -> pd.Categorical:
    """``pd.Categorical(column.astype(str).astype(object))``, from the distinct values instead of every row.

    The categories are the distinct texts present, sorted (as that
    expression gives); converting and sorting them costs by the number of
    distinct values, not of rows. A column whose texts would merge two
    values (``1`` and ``"1"``) or that holds a missing value takes the
    expression as it is.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.array.codes.astype(np.int64)
        used = np.bincount(codes[codes >= 0], minlength=len(column.cat.categories)) > 0
        renumber = np.cumsum(used) - 1
        codes, values = np.where(codes >= 0, renumber[np.maximum(codes, 0)], -1), column.cat.categories[used]
    else:
        codes, values = pd.factorize(column.to_numpy(), use_na_sentinel=True)
    texts = pd.Index(values)
    text = isinstance(texts.dtype, pd.StringDtype)   # distinct texts already: no check that str() merges none
    names = np.asarray(texts if text else texts.astype(str), dtype=object)
    if (codes < 0).any() or (not text and len(set(names)) != len(names)):
        return pd.Categorical(column.astype(str).astype(object))
    import pyarrow as pa
    import pyarrow.compute as pc

    # arrow sorts UTF-8 bytewise, which is Python's order of str (by code point)
    rank_of = np.asarray(pc.sort_indices(pa.array(names, pa.string())), dtype=np.int64)
    rank = np.empty(len(names), dtype=np.int64)
    rank[rank_of] = np.arange(len(names))
    return pd.Categorical.from_codes(rank[codes], categories=pd.Index(names[rank_of], dtype=object))


_DAY_NS = 86_400_000_000_000


def local_wall_ns(stamps: pd.Series, zone: str) -> np.ndarray:
    """The local wall-clock time in ``zone`` of tz-aware ``stamps``, as int64 ns since 1970-01-01 00:00 local.

    ``wall // day`` is the local date's day number and ``wall % day // hour``
    the local hour, without a Python date per row.
    """
    return stamps.dt.tz_convert(zone).dt.tz_localize(None).to_numpy().astype("datetime64[ns]").astype(np.int64)


def local_days(ns: np.ndarray, zone: str) -> np.ndarray:
    """The local date in ``zone`` of UTC nanoseconds ``ns``, as a day number (equal numbers: the same date)."""
    stamps = pd.Series(pd.to_datetime(np.asarray(ns, dtype=np.int64), utc=True))
    return local_wall_ns(stamps, zone) // _DAY_NS


def _ns(stamps: pd.Series) -> np.ndarray:
    """UTC nanoseconds of a tz-aware timestamp column (int64 min: NaT)."""
    array = stamps.array
    ticks = np.asarray(array.asi8, dtype=np.int64)   # UTC ticks of the column's unit
    per_ns = {"s": 1_000_000_000, "ms": 1_000_000, "us": 1_000, "ns": 1}[array.unit]
    if per_ns == 1:
        return ticks.copy()
    nat = np.iinfo(np.int64).min
    return np.where(ticks == nat, nat, ticks * per_ns)


def _previous_of_resource(frame: pd.DataFrame, resource_codes: np.ndarray) -> np.ndarray:
    """Each event's resource's previous event, in UTC ns (int64 min: none, or no resource)."""
    none = np.iinfo(np.int64).min
    out = np.full(len(frame), none, dtype=np.int64)
    has = resource_codes >= 0
    if not has.any():
        return out
    codes = resource_codes[has]
    t, pos = frame["t"].to_numpy()[has], np.flatnonzero(has)
    order = np.lexsort((pos, t, codes))
    same = np.r_[False, codes[order][1:] == codes[order][:-1]]
    prev = np.where(same, np.r_[none, t[order][:-1]], none)
    out[pos[order]] = prev
    return out


def _timestamp(value: Any) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise InputError(f"--until {value!r} is not a date", field="until",
                         expected="a moment with its offset, e.g. 2025-03-24T00:00:00+08:00") from None
    if stamp.tzinfo is None:
        raise InputError(f"--until {value!r} has no time zone", field="until",
                         expected="a moment with its offset, e.g. 2025-03-24T00:00:00+08:00 (no zone is assumed)")
    return stamp.tz_convert("UTC")


def _roles(frame: pd.DataFrame, resource_codes: np.ndarray, names: np.ndarray) -> pd.Categorical:
    """Each event's role: its resource's, by name, else by the activities that resource narrates.

    Worked out per distinct resource (``names``, with each event's code into
    them); a categorical of the roles present, sorted, as
    ``pd.Categorical`` of the per-event roles gives.
    """
    role: dict[str, str | None] = {}
    for name in names:
        lower = str(name).lower()
        role[name] = next((r for word, r in _NAME_WORDS if word in lower), None)
    unknown = [n for n, r in role.items() if r is None]
    if unknown:
        said = frame[frame["resource"].isin(unknown) & frame["activity"].isin(list(_ROLE_ACTIVITIES))]
        if len(said):
            top = said.groupby(["resource", "activity"]).size().reset_index(name="n").sort_values("n")
            for row in top.itertuples():  # the most frequent telling activity wins (last written)
                role[row.resource] = _ROLE_ACTIVITIES[row.activity]
    roles = sorted({r for r in role.values() if r is not None})
    code_of = {r: i for i, r in enumerate(roles)}
    table = np.array([*(code_of.get(role[name], -1) for name in names), -1], dtype=np.int64)  # last: no resource
    return pd.Categorical.from_codes(table[resource_codes], categories=pd.Index(roles, dtype=object))


def ticket_rows(obs: Observed) -> np.ndarray:
    """Which rows of the cases table are tickets (all, without a ``case_type``): the index of :func:`ticket_kinds`."""
    cases = obs.cases
    if "case_type" not in cases:
        return np.ones(len(cases), bool)
    return obs.case_is("case_type", "ticket")


def ticket_kinds(obs: Observed) -> pd.Series:
    """The call kind of each ticket case (question, field, carry_in, mail_in, complaint, sale), or None when the log cannot tell.

    ``kind`` on the cases table is used when present. Else, from the path:
    a ``unit_received``, or a carry-in / mail-in ``channel`` -> that
    channel; ``reason`` "sale" -> sale; a complaint reason, or a
    ``dispatched`` with no ``ticket_logged`` (a major complaint's meeting)
    -> complaint; an operator's ``resolved_by_phone``, or any event by
    technical support -> question; an operator's ``ticket_logged`` or
    ``quote declined`` -> field. A call abandoned or still with the
    operator at the end tells nothing.
    """
    cases = obs.cases
    rows = ticket_rows(obs)
    tickets = cases.index[rows]
    if "kind" in cases.columns and cases["kind"].notna().any():
        kind = cases["kind"][rows]
        return kind.astype(object).where(kind.notna(), None)
    having, act = obs.having, obs.activity_is
    by_operator = obs.role_is("operators")
    sale = having(obs.reason_has("sale"))
    complaint = having(obs.reason_has("complaint")) | (having(act("dispatched")) & ~having(act("ticket_logged")))
    question = having(act("resolved_by_phone") & by_operator & ~obs.reason_has("sale|complaint"))
    question |= having(obs.role_is("tech_support"))
    field = having((act("ticket_logged") | obs.reason_has("quote declined")) & by_operator)
    units = having(act("unit_received"))
    code = obs.case_code[rows]

    def of_tickets(members: np.ndarray) -> np.ndarray:
        return np.where(code >= 0, members[np.maximum(code, 0)], False)

    channel = cases["channel"][rows].astype(str) if "channel" in cases else pd.Series("", index=tickets)
    kinds = pd.Series(None, index=tickets, dtype=object)
    for name, members in (("field", field), ("question", question), ("complaint", complaint), ("sale", sale)):
        kinds[of_tickets(members)] = name
    logged = of_tickets(having(act("ticket_logged")) | units)
    for name in ("carry_in", "mail_in"):  # a channel counts once the call got past the operator (else an abandoned call would)
        kinds[(channel == name).to_numpy() & logged] = name
    walk = of_tickets(units) & ~channel.isin(["carry_in", "mail_in"]).to_numpy()
    kinds[walk] = "carry_in"
    return kinds

"""Which pair of narrated events measures which scenario time, and the measuring.

Each :class:`Pair` is one row of the table in docs/reference/fit-log.md:
the scenario field, the events that start and stop its clock, and how the
gap between them becomes one observation of the time the model draws.

* Each stop event is paired with the **latest start event before it** in
  the same case, and each start with at most one stop (the first).
* ``end_role``: the stop must be narrated by that role (a question's
  ``resolved_by_phone`` by an operator measures the handle time, by
  technical support not).
* ``same_resource``: start and stop by the same resource.
* ``queue``: the gap includes a wait in a queue, so the service is taken to
  start at ``max(start event, the stop's resource's previous event)``: the
  resource was busy with its previous piece of work until then. A service
  so measured that starts and stops on different local days is left out:
  the resource was off shift in between.
* ``pure``: pairs with another event of the case strictly between them are
  left out (a part fetched from the center, a wait for parts).
* A start with no stop, in a case with no later event at all, is a case
  still open at the end of the log: a right-censored observation of
  ``end - start``. A start followed by other events but no stop took
  another path and tells nothing about this time. Two exceptions: a
  ``queue`` time has no censored observations (a case still waiting may
  still be in the queue, its service not begun: the wait bounds nothing),
  and a time in minutes open since an earlier local day than the end's is
  left out (the resource was off shift in between, as for observed ones).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from svcsim.fitting.observe import Observed, local_days

__all__ = ["Pair", "PAIRS", "Sample", "measure", "patience_sample", "repeat_sample", "case_mask"]

_NS_PER = {"minutes": 60e9, "days": 86_400e9}


@dataclass(frozen=True)
class Pair:
    """One scenario time and the events that measure it."""

    path: str
    start: tuple[str, ...]
    stop: tuple[str, ...]
    unit: str = "minutes"
    end_role: str | None = None
    same_resource: bool = False
    queue: bool = False
    pure: bool = False
    cases: str | None = None        # a filter of case_mask() by name
    held_for: str | None = None     # the role the work waits for too (dispatch waits for a field engineer)
    note: str = ""


#: The table: scenario time <- (start events, stop events). Order is the report's.
PAIRS: tuple[Pair, ...] = (
    Pair("times.handle", ("call_answered",), ("ticket_logged", "resolved_by_phone", "closed"), end_role="operators",
         same_resource=True, note="the operator's answer to how the call ended (an escalated question's end is not narrated)"),
    Pair("times.tech_support", ("call_answered",), ("resolved_by_phone", "ticket_logged"), end_role="tech_support",
         queue=True, note="escalation = answer + the fitted median handle time; queue: after technical support's previous event"),
    Pair("times.dispatch", ("ticket_logged", "parts_received"), ("dispatched",), end_role="dispatchers", queue=True,
         held_for="field_engineers",
         note="queue: after the dispatcher's previous event and after the engineer who got the job was last seen "
              "(the ticket waits for a free engineer too)"),
    Pair("times.customer_delay", ("customer_delay",), ("customer_ready",), end_role="field_engineers"),
    Pair("times.diagnosis", ("arrived_on_site", "customer_ready"), ("repair_started",), end_role="field_engineers",
         pure=True),
    Pair("times.software_fix", ("repair_started",), ("completed",), end_role="field_engineers", pure=True,
         cases="software"),
    Pair("times.repair", ("repair_started", "arrived_on_site", "customer_ready"), ("completed",),
         end_role="field_engineers", pure=True, cases="hardware",
         note="a part from the van is issued at repair_started; a part fetched from the center puts events inside: left out"),
    Pair("times.callback", ("completed", "unit_shipped"), ("callback_made",), end_role="dispatchers", queue=True,
         note="queue: after the dispatcher's previous event"),
    Pair("times.bench_test", ("warranty_checked",), ("repair_started",), end_role="bench_engineers", queue=True,
         note="queue: after the bench engineer's previous event"),
    Pair("times.bench_repair", ("repair_started",), ("repaired",), end_role="bench_engineers", pure=True,
         note="repair + post-repair test: the fitted bench_test is subtracted by moments (mean and variance)"),
    Pair("times.warranty_check", ("unit_received",), ("warranty_checked",), end_role="administrators", queue=True,
         note="queue: after the administrator's previous event"),
    Pair("times.carry_in_delay", ("ticket_logged",), ("unit_received",), cases="carry_in",
         note="includes the wait for the center to open: units are received in service hours"),
    Pair("times.mail_transit", ("ticket_logged",), ("unit_received",), cases="mail_in",
         note="includes the wait for the center to open"),
    Pair("spares.unit_turnaround", ("sent_to_vendor",), ("returned_from_vendor", "scrapped"), unit="days",
         cases="unit_items"),
)

#: Per part (``{sku}``): the supplier's turnaround of the store's defective parts.
PART_TURNAROUND = Pair("spares.parts.{sku}.turnaround", ("sent_to_vendor",), ("returned_from_vendor", "scrapped"),
                       unit="days", cases="part_items")


@dataclass(frozen=True)
class Sample:
    """Observations of one time (in its unit), which are censored, and what they rest on."""

    values: np.ndarray
    censored: np.ndarray
    cases: int
    events: int

    @property
    def n_observed(self) -> int:
        return int((~self.censored).sum())


def case_mask(obs: Observed, name: str | None) -> np.ndarray | None:
    """Per case code of the events, whether a pair named ``cases=name`` is measured on it (None: all)."""
    rows = _case_rows(obs, name)
    return None if rows is None else obs.mask_of_rows(rows)


def _case_rows(obs: Observed, name: str | None) -> np.ndarray | None:
    """Which rows of the cases table :func:`case_mask` keeps (worked out once per name and fit)."""
    if name is None:
        return None
    kept = obs.kept("case rows")
    if name not in kept:
        kept[name] = _rows_of(obs, name)
        kept[name].flags.writeable = False
    return kept[name]


def _rows_of(obs: Observed, name: str) -> np.ndarray:
    cases = obs.cases
    col = obs.case_text
    if name in ("software", "hardware"):
        return (col("fault") == name).to_numpy()
    if name in ("carry_in", "mail_in"):
        kind = col("kind") if "kind" in cases else col("channel")
        return ((kind == name) | ((col("channel") == name) & (col("case_type") == "ticket"))).to_numpy()
    items = (col("case_type") == "item").to_numpy()
    unit = col("item_kind").isin(["customer_unit", "doa_unit"]) if "item_kind" in cases else pd.Series(False, index=cases.index)
    no_part = ~cases["part"].notna() if "part" in cases else pd.Series(True, index=cases.index)
    is_unit = (unit | ("item_kind" not in cases and no_part)).to_numpy()
    return items & (is_unit if name == "unit_items" else ~is_unit)


def measure(obs: Observed, pair: Pair, *, only: np.ndarray | None = None,
            start_offset_minutes: float = 0.0) -> Sample:
    """The observations of ``pair`` in ``obs`` (``only``: a mask per case code, as :func:`case_mask` gives;
    ``start_offset_minutes`` added to each start).

    On event positions (the events are sorted by case, time and narration):
    a stop's start is the latest start before it in its case (a
    ``searchsorted`` of the stops among the starts), and a start stopped
    twice counts once, at its first stop.
    """
    ev, codes = obs.events, obs.codes
    is_start, is_stop = obs.activity_is(*pair.start), obs.activity_is(*pair.stop)
    if only is not None:
        mine = only[codes]
        is_start, is_stop = is_start & mine, is_stop & mine
    if pair.end_role is not None:
        is_stop = is_stop & obs.role_is(pair.end_role)
    if not is_start.any():
        return Sample(np.empty(0), np.empty(0, bool), 0, 0)
    start_pos, stop_pos = np.flatnonzero(is_start), np.flatnonzero(is_stop)
    before = np.searchsorted(start_pos, stop_pos, side="left") - 1
    hit = before >= 0
    hit[hit] = codes[start_pos[before[hit]]] == codes[stop_pos[hit]]
    stop_at, start_at = stop_pos[hit], start_pos[before[hit]]
    stopped = np.zeros(len(ev), bool)
    stopped[start_at] = True
    first = np.r_[True, start_at[1:] != start_at[:-1]][:len(start_at)]   # stops ascend, so a start's stops are adjacent
    stop_at, start_at = stop_at[first], start_at[first]
    stamps = ev["timestamp"]
    if pair.same_resource:
        resource = ev["resource"].to_numpy(dtype=object)
        same = (pd.Series(resource[stop_at], dtype=object) == pd.Series(resource[start_at], dtype=object)).to_numpy()
        stop_at, start_at = stop_at[same], start_at[same]
    offset = pd.Timedelta(minutes=start_offset_minutes)
    stop_ts = stamps.iloc[stop_at].reset_index(drop=True)
    begin = stamps.iloc[start_at].reset_index(drop=True) + offset
    t = ev["t"].to_numpy()
    if pair.queue and len(stop_at):
        prev = ev["prev_t"].to_numpy()[stop_at]
        begin_ns = _ns(begin)
        begin = pd.Series(pd.to_datetime(np.maximum(prev, begin_ns), utc=True))
        same_day = local_days(_ns(begin), obs.timezone) == local_days(t[stop_at], obs.timezone)
        stop_at, start_at = stop_at[same_day], start_at[same_day]   # across a night the resource was off shift
        stop_ts, begin = stop_ts[same_day].reset_index(drop=True), begin[same_day].reset_index(drop=True)
    if pair.held_for is not None and len(stop_at):
        seen = _held_until(obs, stop_at, pair.held_for)
        begin_ns = _ns(begin)
        later = np.where(np.isnan(seen), -np.inf, seen) > begin_ns
        begin = pd.Series(pd.to_datetime(np.where(later, seen, begin_ns).astype(np.int64), utc=True))
    if pair.pure and len(stop_at):
        keep = _events_inside(obs, codes[stop_at], t[start_at], t[stop_at]) == 0
        stop_at, start_at = stop_at[keep], start_at[keep]
        stop_ts, begin = stop_ts[keep].reset_index(drop=True), begin[keep].reset_index(drop=True)
    ns = _NS_PER[pair.unit]
    observed = ((stop_ts - begin).dt.total_seconds().to_numpy() * 1e9) / ns
    # open at the end: a start that is its case's last event, never stopped
    open_at = start_pos[~stopped[start_pos] & ev["last"].to_numpy()[start_pos]]
    if pair.queue:
        open_at = open_at[:0]   # still waiting may mean still in the queue: no bound on the service time
    elif pair.unit == "minutes" and len(open_at):
        last_day = local_days(np.array([(obs.end - pd.Timedelta(1, "ns")).value]), obs.timezone)[0]
        open_at = open_at[local_days(t[open_at], obs.timezone) == last_day]  # a night in between: off shift
    open_ts = stamps.iloc[open_at].reset_index(drop=True)
    censored_values = ((obs.end - (open_ts + offset)).dt.total_seconds().to_numpy() * 1e9) / ns
    values = np.concatenate([observed, censored_values])
    censored = np.concatenate([np.zeros(len(observed), bool), np.ones(len(censored_values), bool)])
    keep = values > 0
    n_cases = len(np.union1d(codes[stop_at], codes[open_at]))
    return Sample(values[keep], censored[keep], n_cases, 2 * len(stop_at) + len(open_at))


def _held_until(obs: Observed, stop_at: np.ndarray, role: str) -> np.ndarray:
    """Per stop (an event position): when the ``role`` resource of the case's next such event was last seen before the stop (ns; NaN if never).

    A ticket dispatched to an engineer waited for that engineer until then:
    the engineer's previous event (the end of the previous job). An
    engineer last seen on an earlier local day started the day free.
    (The result is float, as the merge it replaced gave: ns rounded to a
    float64, within 128 ns.)
    """
    codes, t = obs.codes, obs.events["t"].to_numpy()
    worker = np.flatnonzero(obs.role_is(role))
    out = np.full(len(stop_at), np.nan)
    if not len(worker):
        return out
    resource, _ = pd.factorize(obs.events["resource"].to_numpy(dtype=object))
    after = np.searchsorted(worker, stop_at, side="right")   # the case's next event by the role, after the stop
    has = after < len(worker)
    has[has] = codes[worker[after[has]]] == codes[stop_at[has]]
    rows = np.flatnonzero(has)
    who = resource[worker[after[rows]]]
    rows, who = rows[who >= 0], who[who >= 0]
    if not len(rows):
        return out
    # that resource's latest event by the role strictly before the stop: keys resource * n + rank of time
    w_res, w_t = resource[worker], t[worker]
    times = np.unique(w_t)
    n = len(times) + 1
    keys = w_res.astype(np.int64) * n + np.searchsorted(times, w_t)
    order = np.argsort(keys, kind="stable")
    keys, w_res, w_t = keys[order], w_res[order], w_t[order]
    query = t[stop_at[rows]]
    found = np.searchsorted(keys, who.astype(np.int64) * n + np.searchsorted(times, query, side="left"), side="left") - 1
    ok = found >= 0
    ok[ok] = w_res[found[ok]] == who[ok]
    rows, found, query = rows[ok], found[ok], query[ok]
    same = local_days(w_t[found], obs.timezone) == local_days(query, obs.timezone)
    out[rows[same]] = w_t[found[same]]
    return out


def _ns(stamps: pd.Series) -> np.ndarray:
    """UTC nanoseconds of a tz-aware timestamp column."""
    return stamps.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().astype("datetime64[ns]").astype(np.int64)


def _events_inside(obs: Observed, case_code: np.ndarray, since_ns: np.ndarray, until_ns: np.ndarray) -> np.ndarray:
    """How many events of each case fall strictly between ``since_ns`` and ``until_ns``."""
    keys, stamps = obs.case_time_keys
    n = len(stamps) + 2

    def key(ts: np.ndarray) -> np.ndarray:
        return case_code * n + np.searchsorted(stamps, ts) + 1

    return np.searchsorted(keys, key(until_ns), side="left") - np.searchsorted(keys, key(since_ns), side="right")


def patience_sample(obs: Observed) -> Sample:
    """A caller's patience: ``call_received`` -> ``call_abandoned`` observed; answered (or on hold at the end): censored.

    Each case's first of each of the three events, by case code; in case order.
    """
    stamps, codes = obs.events["timestamp"], obs.codes

    def first_at(activity: str) -> np.ndarray:
        at = np.flatnonzero(obs.activity_is(activity))
        at = at[np.r_[True, codes[at][1:] != codes[at][:-1]][:len(at)]]
        out = np.full(len(obs.case_names), -1)
        out[codes[at]] = at
        return out

    received = np.flatnonzero(obs.activity_is("call_received"))
    received = received[np.r_[True, codes[received][1:] != codes[received][:-1]][:len(received)]]
    abandoned, answered = first_at("call_abandoned")[codes[received]], first_at("call_answered")[codes[received]]

    def at(positions: np.ndarray) -> pd.Series:
        return stamps.iloc[np.maximum(positions, 0)].reset_index(drop=True).where(pd.Series(positions >= 0))

    start = stamps.iloc[received].reset_index(drop=True)
    stop = at(abandoned)
    censored = stop.isna()
    stop = stop.fillna(at(answered)).fillna(obs.end)
    values = (stop - start).dt.total_seconds().to_numpy() / 60.0
    c = censored.to_numpy()
    keep = values > 0   # answered at once: tells only that patience > 0
    return Sample(values[keep], c[keep], int(keep.sum()), int(keep.sum()) * 2)


def repeat_sample(obs: Observed) -> tuple[Sample, pd.DataFrame]:
    """The repeat delay (parent's last repair -> the repeat's ``call_received``) and the repairs a repeat could follow.

    Returns the sample and a table of repairs: case_id, fault, repaired (timestamp), repeated (bool).
    On case codes: a repair is its case's last ``completed`` / ``repaired``
    (the events are sorted by case and time), a call its case's first
    ``call_received``; the repeats in the cases table's order.
    """
    ev, cases = obs.events, obs.cases
    codes, t = obs.codes, obs.events["t"].to_numpy()
    fixed = obs.activity_is("completed", "repaired")
    done_code, done_t = _last_per_case(codes[fixed], t[fixed])
    done_at = np.full(len(obs.case_names), _NONE)
    done_at[done_code] = done_t
    called = obs.activity_is("call_received")
    call_code, call_t = codes[called], t[called]
    first = np.r_[True, call_code[1:] != call_code[:-1]][:len(call_code)]
    received_at = np.full(len(obs.case_names), _NONE)
    received_at[call_code[first]] = call_t[first]
    child = cases["parent_id"].notna().to_numpy().copy() if "parent_id" in cases else np.zeros(len(cases), bool)
    if "case_type" in cases:
        child &= (cases["case_type"].astype(object) == "ticket").to_numpy()
    child_code = obs.case_code[child]
    parent_code = obs.codes_of(cases["parent_id"].to_numpy()[child].astype(object).astype(str)
                               if child.any() else np.empty(0, object))
    ok = (parent_code >= 0) & (child_code >= 0)
    ok[ok] = (done_at[parent_code[ok]] != _NONE) & (received_at[child_code[ok]] != _NONE)
    delay = received_at[child_code[ok]] - done_at[parent_code[ok]]
    values = pd.to_timedelta(delay, unit="ns").total_seconds().to_numpy() / 60.0
    keep = values > 0
    repaired = (pd.DatetimeIndex(done_t.view("datetime64[ns]")).tz_localize("UTC")
                .as_unit(ev["timestamp"].dt.unit).tz_convert(ev["timestamp"].dt.tz))
    repairs = pd.DataFrame({"case_id": pd.Series(obs.case_names[done_code].to_numpy(dtype=object), dtype=object),
                            "repaired": repaired})
    if "fault" in cases:
        row = np.full(len(obs.case_names), -1)
        mine = obs.case_code >= 0
        row[obs.case_code[mine]] = np.flatnonzero(mine)
        at = row[done_code]
        fault = np.full(len(at), "nan", dtype=object)
        fault[at >= 0] = cases["fault"].iloc[at[at >= 0]].astype(str).to_numpy(dtype=object)
        repairs["fault"] = pd.Series(fault, dtype=object)
    else:
        repairs["fault"] = "nan"
    repairs["repeated"] = np.isin(done_code, parent_code[ok])
    sample = Sample(values[keep], np.zeros(int(keep.sum()), bool), int(keep.sum()) * 2, int(keep.sum()) * 2)
    return sample, repairs


_NONE = np.iinfo(np.int64).min


def _last_per_case(codes: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each case's code and its latest time, of events sorted by case then time."""
    if not len(codes):
        return codes, t
    last = np.r_[codes[1:] != codes[:-1], True]
    return codes[last], t[last]

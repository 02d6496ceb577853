"""The engine's fast internals agree with the plain numpy they replace, and the result table keeps its shape."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from logs import local, make_log

from svcsim.rules import check, load_rules
from svcsim.rules.columnar.event_sort import _sort_order, _sorted_packed
from svcsim.rules.columnar.prepared import prepare
from svcsim.rules.columnar.sorting import is_sorted, lexsort_order, time_key
from svcsim.rules.columnar.table import _merge_runs, to_frame
from svcsim.rules.engine import _activities, evaluate_all
from svcsim.rules.kinds import KIND_NAMES
from svcsim.rules.results import RESULT_COLUMNS, ResultRows

RESULT_DTYPES = {
    "rule_id": "category", "rule_group": "category", "kind": "category", "case_id": "category",
    "cycle": "int64", "repeat": "int64", "status": "category",
    "start": "datetime64[ns, UTC]", "stop": "datetime64[ns, UTC]", "due": "datetime64[ns, UTC]",
    "elapsed": "timedelta64[ns]", "business_elapsed": "timedelta64[ns]", "paused": "timedelta64[ns]",
    "target": "timedelta64[ns]", "target_reason": "category", "basis": "category", "level": "int64",
    "reason": "category", "related_case_id": "str",
}


@pytest.mark.parametrize("seed", range(40))
def test_lexsort_order_is_numpy_lexsort(seed):
    """Packed-key sorting gives np.lexsort's permutation exactly, ties in row order, whatever the key widths."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 500))
    widths = rng.choice([1, 3, 1000, 2**30, 2**45, 2**61], size=int(rng.integers(1, 4)))
    keys = [rng.integers(-5, int(w), n) for w in widths]
    expected = np.lexsort(tuple(keys[::-1])) if n else np.arange(0)
    assert np.array_equal(lexsort_order(keys), expected)


def test_time_key_keeps_order_and_ties():
    t = np.array([5, 3, 3, 9], dtype=np.int64) * 10**9 + 1_700_000_000 * 10**9
    assert list(time_key(t)) == [2, 0, 0, 6]
    assert list(time_key(t + np.array([0, 0, 1, 0]))) == [2 * 10**9, 0, 1, 6 * 10**9]


@pytest.mark.parametrize("seed", range(30))
def test_event_sort_is_lexsort(seed):
    """Sorting events by case, time, then row: the packed sort equals np.lexsort (ties, sub-seconds, seq)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 300))
    case = rng.integers(0, 15, n).astype(np.int64)
    t = 1_770_000_000 * 10**9 + rng.integers(0, 40, n) * [10**9, 10**6, 1, 250 * 10**6][seed % 4]
    act = rng.integers(0, 27, n).astype(np.int32)
    order = np.lexsort((t, case))
    packed = _sorted_packed(case, act, t)
    if packed is not None:
        *columns, (base, unit, bits), block_end = packed
        assert all(np.array_equal(a, b) for a, b in zip(columns, (case[order], act[order], t[order]), strict=True))
        assert np.all((t - base) % unit == 0) and int(((t - base) // unit).max()).bit_length() <= bits
        assert np.array_equal(block_end, np.cumsum(np.bincount(case, minlength=int(case.max()) + 1)))
    got = _sort_order(case, t, None)
    assert np.array_equal(np.arange(n) if got is None else got, order)
    seq = rng.integers(0, 3, n).astype(float)
    got = _sort_order(case, t, seq)
    assert np.array_equal(np.arange(n) if got is None else got, np.lexsort((seq, t, case)))


def test_merging_sorted_runs_is_a_stable_sort():
    rng = np.random.default_rng(1)
    runs, keys, at = [], [[], [], []], 0
    for size in (40, 7, 25):
        case = np.sort(rng.integers(0, 12, size))
        cycle, repeat = rng.integers(1, 3, size), rng.integers(1, 3, size)
        order = np.lexsort((repeat, cycle, case))
        for column, values in zip(keys, (case, cycle, repeat), strict=True):
            column.append(values[order])
        runs.append((at, at + size))
        at += size
    keys = tuple(np.concatenate(k) for k in keys)
    assert not is_sorted(*keys)
    assert np.array_equal(_merge_runs(keys, runs), lexsort_order(keys))


def test_rows_defaults_are_shared_until_written():
    """Default columns cost nothing until a rule writes one; a write never leaks into another rows object."""
    a, b = ResultRows.empty("r", "duration", "wall", 3), ResultRows.empty("r", "duration", "wall", 3)
    a.put("status", slice(None), 4)
    a.set_reason(np.array([True, False, False]), "why")
    assert list(a.status) == [4, 4, 4] and list(b.status) == [0, 0, 0]
    assert a.labels == ["why"] and list(a.reason) == [0, -1, -1] and list(b.reason) == [-1, -1, -1]


def vendor_and_field_log():
    return make_log(
        [
            ("T1", "call_received", "2026-03-02 08:59"),
            ("T1", "ticket_logged", "2026-03-02 09:00"),
            ("T1", "dispatched", "2026-03-02 10:00"),
            ("T1", "arrived_on_site", "2026-03-02 10:45"),
            ("T1", "completed", "2026-03-02 14:00"),
            ("T1", "closed", "2026-03-02 14:00"),
            ("T2", "ticket_logged", "2026-03-03 09:00"),
            ("T2", "closed", "2026-03-03 09:05"),
            ("I1", "item_received", "2026-03-02 09:00"),
            ("I1", "sent_to_vendor", "2026-03-02 11:00"),
            ("I1", "vendor_confirmed", "2026-03-04 11:00"),
        ],
        {
            "T1": {"case_type": "ticket", "zone": "city", "fault": "software", "device_id": "D1"},
            "T2": {"case_type": "ticket", "zone": "city", "fault": "software", "device_id": "D1", "invalid_reason": "TS_UNPARSEABLE"},
            "I1": {"case_type": "item", "parent_id": "T1"},
        },
    )


def test_the_result_table_keeps_its_columns_and_dtypes():
    """Other code reads these columns: their names, order and dtypes are part of the API."""
    result = check(vendor_and_field_log(), as_of=local("2026-05-01 00:00"))
    frame = result.results
    assert tuple(frame.columns) == RESULT_COLUMNS
    assert {c: str(d) for c, d in frame.dtypes.items()} == RESULT_DTYPES
    for column in ("rule_group", "kind", "case_id", "status", "target_reason", "basis", "reason"):
        assert str(frame[column].cat.categories.dtype) == "str"
    assert list(frame["status"].cat.categories) == ["met", "breached", "running", "at_risk", "breached_open", "pending", "held", "failed", "not_applicable", "invalid"]
    assert list(frame["rule_id"].cat.categories) == load_rules().ids()
    assert "TS_UNPARSEABLE" in set(frame["reason"].astype(str))
    assert frame["case_id"].cat.categories.is_unique


def test_keeping_only_the_rules_activities_changes_nothing():
    """prepare may drop the events no rule reads: the results are those of the full log."""
    log, rules = vendor_and_field_log(), load_rules()
    as_of = int(local("2026-05-01 00:00").tz_convert("UTC").value)
    frames = []
    for activities in (None, _activities(rules)):
        prepared = prepare(log, as_of, activities)
        frames.append(to_frame(evaluate_all(rules, prepared), prepared.case_ids, rules.ids(), prepared.case_dtype, kinds=KIND_NAMES))
    pd.testing.assert_frame_equal(frames[0], frames[1])


def _random_parts(rng: np.random.Generator) -> tuple[list[ResultRows], list[str]]:
    """Rows of a few rules, some in two parts, with shared defaults, written columns and text labels."""
    order = ["b", "a", "c"]
    parts = []
    for rid in ("a", "b", "a", "c"):
        n = int(rng.integers(0 if rid != "b" else 1, 40))  # an empty part is left out
        rows = ResultRows.empty(rid, "duration" if rid != "c" else "recurrence", "wall", n, group="g" + rid)
        rows.case = np.sort(rng.integers(0, 9, n)).astype(np.int64)
        rows.cycle = rng.integers(1, 3, n)
        if rng.random() < 0.5:
            rows.start = rng.integers(0, 10**12, n)
        rows.put("status", rng.random(n) < 0.5, 3)
        rows.set_reason(rng.random(n) < 0.3, f"why {rid}")
        rows.set_target_reason(slice(None), "default")
        if rid == "c":
            rows.related_case = np.where(rng.random(n) < 0.4, rng.integers(0, 9, n), -1)
        parts.append(rows)
    return parts, order


def _plain_frame(parts: list[ResultRows], order: list[str], case_ids: pd.Index) -> pd.DataFrame:
    """What to_frame must give, the slow way: object columns, concatenated, stably sorted."""
    frames = []
    for p in parts:
        n = len(p)
        if not n:
            continue
        text = {k: [p.labels[c] if c >= 0 else None for c in np.broadcast_to(getattr(p, k), (n,))] for k in ("reason", "target_reason")}
        frames.append(pd.DataFrame({
            "rule": [order.index(p.rule_id)] * n, "case_id": [case_ids[c] for c in p.case],
            "cycle": np.broadcast_to(p.cycle, (n,)), "repeat": np.broadcast_to(p.repeat, (n,)),
            "status": np.broadcast_to(p.status, (n,)).astype(int), "start": np.broadcast_to(p.start, (n,)),
            "reason": text["reason"], "target_reason": text["target_reason"], "group": [p.group] * n,
            "related": [case_ids[c] if c >= 0 else None for c in np.broadcast_to(p.related_case, (n,))],
            "case": p.case,
        }))
    plain = pd.concat(frames, ignore_index=True)
    return plain.sort_values(["rule", "case", "cycle", "repeat"], kind="stable").reset_index(drop=True)


def _texts(values: pd.Series) -> list:
    return [None if pd.isna(v) else str(v) for v in values.astype(object)]


@pytest.mark.parametrize("seed", range(20))
def test_the_result_table_is_the_sorted_concatenation_of_the_parts(seed):
    """Columns written once into the final arrays (constants as fills, texts as codes) equal the slow concatenation."""
    rng = np.random.default_rng(seed)
    parts, order = _random_parts(rng)
    case_ids = pd.Index([f"C{i}" for i in range(9)], dtype="str")
    expected = _plain_frame(parts, order, case_ids)
    frame = to_frame(parts, case_ids, order, kinds=KIND_NAMES)
    assert all(len(p.start) == 0 for p in parts)  # the parts are spent
    assert list(frame["rule_id"].astype(str)) == [order[r] for r in expected["rule"]]
    assert list(frame["case_id"].astype(str)) == list(expected["case_id"])
    assert list(frame["cycle"]) == list(expected["cycle"]) and list(frame["repeat"]) == list(expected["repeat"])
    assert list(frame["status"].cat.codes) == list(expected["status"])
    assert list(frame["start"].array.asi8) == list(expected["start"])
    assert list(frame["rule_group"].astype(str)) == list(expected["group"])
    for column in ("reason", "target_reason"):
        got = frame[column]
        assert list(got.cat.categories) == sorted(set(expected[column].dropna()))
        assert _texts(got) == _texts(expected[column])
    assert _texts(frame["related_case_id"]) == _texts(expected["related"])
    assert frame["paused"].dt.total_seconds().eq(0).all() and frame["level"].dtype == np.int64


@pytest.mark.parametrize("seed", range(5))
def test_a_table_built_part_by_part_grows_and_sorts_parts_into_rule_order(seed):
    """Room that runs out is grown, and parts added out of rule order land where the sort puts them."""
    from svcsim.rules.columnar.table import TableBuilder

    case_ids = pd.Index([f"C{i}" for i in range(9)], dtype="str")
    parts, order = _random_parts(np.random.default_rng(seed))
    expected = to_frame(parts, case_ids, order, kinds=KIND_NAMES)
    parts, order = _random_parts(np.random.default_rng(seed))
    table = TableBuilder(order, len(case_ids), capacity=3, kinds=KIND_NAMES)
    for part in sorted(parts, key=lambda p: -order.index(p.rule_id)):  # rules backwards, a rule's parts in order
        table.add(part)
    pd.testing.assert_frame_equal(table.frame(case_ids), expected)


def test_related_ids_are_a_take_with_missing_values():
    """Codes stored one up (0: none) become the ids' text, missing elsewhere, for text and other ids alike."""
    from svcsim.rules.columnar.table import _related_ids

    rng = np.random.default_rng(3)
    related = np.where(rng.random(1000) < 0.1, rng.integers(1, 51, 1000), 0).astype(np.int32)
    for case_ids in (pd.Index([f"T{i:03d}" for i in range(50)], dtype="str"), pd.Index(range(100, 150))):
        got = _related_ids(related, case_ids)
        expected = [str(case_ids[r - 1]) if r else None for r in related]
        assert str(got.dtype) == "str" and got.isna().sum() == int((related == 0).sum())
        assert [None if pd.isna(v) else v for v in got] == expected
    assert _related_ids(np.zeros(3, np.int32), pd.Index(["a"], dtype="str")).tolist() == [None] * 3


def test_number_within_counts_runs():
    from svcsim.rules.clocks import number_within

    rng = np.random.default_rng(5)
    for _ in range(200):
        case = np.sort(rng.integers(0, int(rng.integers(1, 12)), int(rng.integers(0, 30))))
        expected = [sum(1 for j in range(i + 1) if case[j] == case[i]) for i in range(len(case))]
        assert list(number_within(case)) == expected


def test_cases_per_rule_counts_distinct_cases_in_any_order():
    from svcsim.rules.columnar.kernels import counted_by_rule
    from svcsim.rules.engine import _cases_per_rule

    rng = np.random.default_rng(8)
    for _ in range(100):
        n = int(rng.integers(1, 60))
        r = rng.integers(-1, 4, n).astype(np.int8)
        c = rng.integers(-1, 7, n).astype(np.int32)
        s = rng.integers(-1, 3, n).astype(np.int8)
        expected = [len({int(cc) for rr, cc in zip(r, c, strict=True) if rr == k and cc >= 0}) for k in range(4)]
        assert list(_cases_per_rule(r, c, 4, 7)) == expected
        counts = np.zeros((4, 3), dtype=np.int64)
        for rr, ss in zip(r, s, strict=True):
            if rr >= 0 and ss >= 0:
                counts[rr, ss] += 1
        order = np.lexsort((c, r))
        for rows in (order, np.arange(n)):  # in the result's order, and as drawn
            got_counts, got_cases, in_order = counted_by_rule(r[rows], s[rows], c[rows], 4, 3)
            assert np.array_equal(got_counts, counts)
            if rows is order and (r >= 0).all() and (c >= 0).all():
                assert in_order
            if in_order:
                assert list(got_cases) == expected
            if not is_sorted(r[rows], c[rows]):
                assert not in_order


@pytest.mark.parametrize("bounds_dtype", [np.int32, np.int64])
@pytest.mark.parametrize("seed", range(6))
def test_next_repeat_is_the_first_repeat_on_the_key_strictly_after(seed, bounds_dtype):
    """The compiled grouping and search against a brute force, with ties, keyless cases and long groups;
    and the outcome of each fix (:func:`recurrence_outcomes`) from that repeat."""
    from svcsim.rules.columnar.kernels import next_repeat, recurrence_outcomes, repeats_by_key

    rng = np.random.default_rng(seed)
    n_events, n_cases, n_keys = 400, 120, (3, 40)[seed % 2]  # 3 keys: groups far past the insertion sort's 16
    case_of = np.sort(rng.integers(0, n_cases, n_events)).astype(np.int32)
    t = rng.integers(0, 30, n_events) * 10**9  # many equal times
    key_of_case = rng.integers(-1, n_keys, n_cases).astype(bounds_dtype)
    rep_pos = np.flatnonzero(rng.random(n_events) < 0.5)
    fix_case = np.sort(rng.integers(0, n_cases, 200)).astype(np.int32)
    fix_t = rng.integers(0, 31, 200) * 10**9
    bounds, g_t, g_case = repeats_by_key(rep_pos, case_of, t, key_of_case, np.zeros(n_keys + 1, dtype=bounds_dtype))
    rep_t, rep_case = next_repeat(key_of_case[fix_case], fix_t, bounds, g_t, g_case)
    closes = fix_t + rng.integers(0, 10, 200) * 10**9
    as_of = 20 * 10**9
    codes = np.array([0, 1, 2, 3, -1, 7, 8])  # pending, held, failed, not_applicable; no reason, no key, came back
    status, number, stop, elapsed, related, level, reason = recurrence_outcomes(
        fix_case, fix_t, closes, key_of_case, bounds, g_t, g_case, as_of, codes,
    )
    nat = np.iinfo(np.int64).min
    for i in range(200):
        k = key_of_case[fix_case[i]]
        assert number[i] == 1 + sum(fix_case[j] == fix_case[i] for j in range(i))
        later = [p for p in rep_pos if k >= 0 and key_of_case[case_of[p]] == k and t[p] > fix_t[i]]
        if not later:
            assert (rep_t[i], rep_case[i]) == (nat, -1)
        else:
            first = min(later, key=lambda p: (t[p], p))  # earliest, then first in position order
            assert (rep_t[i], rep_case[i]) == (t[first], case_of[first])
        failed = k >= 0 and bool(later) and rep_t[i] < closes[i]
        want = 3 if k < 0 else 2 if failed else 1 if closes[i] <= as_of else 0
        assert (status[i], level[i], reason[i]) == (want, int(failed), 7 if k < 0 else 8 if failed else -1)
        assert (stop[i], related[i]) == ((rep_t[i], rep_case[i]) if failed else (nat, -1))
        assert elapsed[i] == (rep_t[i] if failed else min(as_of, closes[i])) - fix_t[i]


@pytest.mark.parametrize("split", [False, True])
@pytest.mark.parametrize("seed", range(10))
def test_sorting_only_the_kept_events_is_sorting_them(seed, split, monkeypatch):
    """Also with the sort split in two halves by case on two threads (as for large logs)."""
    import svcsim.rules.columnar.event_sort as event_sort

    monkeypatch.setattr(event_sort, "_SPLIT_SORT_EVENTS", 2)
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 300))
    case = rng.integers(0, 15, n).astype(np.int32)
    t = 1_770_000_000 * 10**9 + rng.integers(0, 40, n) * 10**9
    act = rng.integers(0, 27, n).astype(np.int8)
    as_of = int(np.quantile(t, rng.uniform(0.3, 1.0)))
    wanted = np.append(rng.random(27) < 0.7, False)
    keep = (t <= as_of) & wanted[act]
    packed = _sorted_packed(case, act, t, as_of=as_of, wanted=wanted, threads=2 if split else 1)
    order = np.lexsort((t[keep], case[keep]))
    if packed is not None:
        *columns, (base, unit, bits), block_end = packed
        assert np.array_equal(block_end, np.cumsum(np.bincount(case[keep], minlength=int(case[keep].max()) + 1)))
        for got, want in zip(columns, (case[keep][order], act[keep][order], t[keep][order]), strict=True):
            assert np.array_equal(got, want)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("seed", range(5))
def test_grouping_by_code_is_a_stable_argsort(seed, threads, monkeypatch):
    """Also in two halves on two threads (as for large logs)."""
    import svcsim.rules.columnar.event_sort as event_sort

    monkeypatch.setattr(event_sort, "_SPLIT_SORT_EVENTS", 2)
    rng = np.random.default_rng(seed)
    n_codes = int(rng.integers(1, 30))
    codes = rng.integers(0, n_codes, int(rng.integers(0, 500))).astype(np.uint8)
    order, bounds = event_sort.grouped_by_code(codes, n_codes, threads)
    assert np.array_equal(order, np.argsort(codes, kind="stable"))
    assert np.array_equal(bounds, np.concatenate(([0], np.cumsum(np.bincount(codes, minlength=n_codes)))))


@pytest.mark.parametrize("seed", range(10))
def test_escalation_order_and_dedup_match_pandas(seed):
    """The escalation list's sort (level, overdue, both descending, NaT last, stable) and first-per-pair match pandas."""
    from svcsim.rules.engine import _first_per_pair, _worst_first

    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 200))
    overdue = pd.to_timedelta(rng.integers(-5, 5, n), unit="h").to_numpy().copy()
    overdue[rng.random(n) < 0.1] = np.timedelta64("NaT")
    frame = pd.DataFrame({
        "level": rng.integers(0, 4, n), "overdue": overdue,
        "case_id": pd.Categorical(rng.choice(["T1", "T2", "T3", None], n)),
        "rule_group": pd.Categorical(rng.choice(["a", "b"], n)),
    })
    want = frame.sort_values(["level", "overdue"], ascending=[False, False], kind="stable")
    got = frame.take(_worst_first(frame["level"].to_numpy(), frame["overdue"].to_numpy()))
    pd.testing.assert_frame_equal(got, want)
    kept = want.drop_duplicates(["case_id", "rule_group"], keep="first")
    pd.testing.assert_frame_equal(want[_first_per_pair(want["case_id"], want["rule_group"])], kept)
    as_text = want.astype({"case_id": object, "rule_group": object})
    pd.testing.assert_frame_equal(as_text[_first_per_pair(as_text["case_id"], as_text["rule_group"])],
                                  as_text.drop_duplicates(["case_id", "rule_group"], keep="first"))

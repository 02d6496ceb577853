"""Recurrence rules: a fix must hold, with no repeat of the same fault within a window.

Each ``after`` event (a completed fix) in a case where the rule applies opens a
window. The first ``repeat`` event (a new ticket logged) on the same key (for
example device and fault), in any case, strictly after the fix, is looked up.
If it comes before the window closes the fix ``failed``; a repeat exactly at
the window's end counts as held (a boundary value is met). With no repeat, the
fix ``held`` once the window closed by ``as_of``, else it is ``pending``. A fix
whose case lacks a key field is ``not_applicable``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from svcsim.rules.clocks import number_within
from svcsim.rules.duration import applies_per_case
from svcsim.rules.load import RuleSet
from svcsim.rules.prepared import PreparedLog
from svcsim.rules.results import NAT, Rows, status_code
from svcsim.rules.sorting import is_sorted, lexsort_order, time_key
from svcsim.rules.spec import RecurrenceRule

__all__ = ["evaluate_recurrence"]


def evaluate_recurrence(rule: RecurrenceRule, log: PreparedLog, rules: RuleSet) -> Rows:
    """Result rows of one recurrence rule: one per fix event."""
    cal = rules.calendar_for(rule) if rule.basis == "calendar" else None
    where = f"rule '{rule.id}'"
    key_cols = [log.case_column(k, source=rules.source, where=where) for k in rule.key]
    key_code = log._memo.get(("key_codes", tuple(rule.key)))
    if key_code is None:  # shared by the rules that match repeats on the same key
        key_code = log._memo[("key_codes", tuple(rule.key))] = _key_codes(key_cols)

    applies = applies_per_case(rule, log, rules)
    fix = log.positions([rule.after])
    fix_case = log.case[fix]
    inside = applies[fix_case]
    fix, fix_case = fix[inside], fix_case[inside]
    fix_t = log.t[fix]
    window = int(round(rule.window.total_seconds() * 1e9))
    if cal is not None:
        cal.check_covered(fix_t, what=f"fix of rule '{rule.id}'")
        closes = cal.deadline_ns(fix_t, np.full(len(fix_t), window, dtype=np.int64))
    else:
        closes = fix_t + window

    fix_key = key_code[fix_case]
    found = _next_repeat(log, rule, key_code, fix_key, fix_t)
    if found is None:
        rep_t, rep_case = _next_repeat_merged(log, rule, key_code, fix_key, fix_case, fix_t)
    else:
        rep_t, rep_case = found

    status = np.full(len(fix), status_code("pending"), dtype=np.int8)
    failed = (rep_t != NAT) & (rep_t < closes)
    status[closes <= log.as_of] = status_code("held")
    status[failed] = status_code("failed")
    no_key = key_code[fix_case] < 0
    status[no_key] = status_code("not_applicable")

    rows = Rows.empty(rule.id, "recurrence", rule.basis, len(fix))
    rows.case = fix_case
    rows.cycle = number_within(fix_case)
    rows.status = status
    rows.start, rows.due = fix_t, closes
    rows.stop = np.where(failed, rep_t, NAT)
    rows.elapsed = np.where(failed, rep_t - fix_t, np.minimum(log.as_of, closes) - fix_t)
    rows.target = np.broadcast_to(np.int64(window), (len(fix),))
    rows.set_target_reason(slice(None), "window")
    rows.related_case = np.where(failed, rep_case, -1)
    rows.level = failed.view(np.int8)  # 1 for a failed fix; widened in the result table
    rows.set_reason(no_key, f"no {' / '.join(rule.key)} to match repeats on")
    rows.set_reason(failed, "the same fault came back within the window")
    return rows


def _next_repeat(log: PreparedLog, rule: RecurrenceRule, key_code: np.ndarray, fix_key: np.ndarray, fix_t: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Per fix: time and case of the first repeat on its key strictly after it (NaT and -1 if none).

    The repeats, sorted by (key, time) once and shared by the rules that
    match the same key, are searched with one packed int64 (key, time) per
    fix. None when (key, time) does not fit in 63 bits.
    """
    base, unit, t_bits = _time_scale(log)
    k_bits = int(max(int(key_code.max()) if len(key_code) else 0, 0)).bit_length()
    if k_bits + t_bits > 62:
        return None
    memo_key = ("repeats", tuple(rule.key), log.codes(rule.repeat).tobytes())
    table = log._memo.get(memo_key)
    if table is None:
        rep = log.positions(rule.repeat)
        rep_key = key_code[log.case[rep]]
        rep = rep[rep_key >= 0]
        rep_key = rep_key[rep_key >= 0]
        scaled = (log.t[rep] - base) // unit
        order = lexsort_order((rep_key, scaled))  # stable: repeats with equal key and time keep their order
        packed = (rep_key << t_bits) | scaled
        table = log._memo[memo_key] = (packed[order], log.t[rep][order], log.case[rep][order])
    packed_rep, rep_t_sorted, rep_case_sorted = table
    fix_packed = (np.maximum(fix_key, 0) << t_bits) | ((fix_t - base) // unit)
    j = _search_right(packed_rep, fix_packed)  # the first repeat after (key, time)
    jj = np.minimum(j, max(len(packed_rep) - 1, 0))
    if not len(packed_rep):
        return np.full(len(fix_t), NAT, dtype=np.int64), np.full(len(fix_t), -1, dtype=np.int64)
    found = (j < len(packed_rep)) & ((packed_rep[jj] >> t_bits) == fix_key) & (fix_key >= 0)
    return np.where(found, rep_t_sorted[jj], NAT), np.where(found, rep_case_sorted[jj], -1)


def _search_right(sorted_values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """``np.searchsorted(sorted_values, keys, side="right")``, searching the keys in sorted order.

    numpy's search starts each key where the previous one ended when the keys
    ascend, so sorting millions of scattered keys first is several times faster.
    """
    if len(keys) < 1024 or is_sorted(keys):
        return np.searchsorted(sorted_values, keys, side="right")
    order = np.argsort(keys)
    out = np.empty(len(keys), dtype=np.intp)
    out[order] = np.searchsorted(sorted_values, keys[order], side="right")
    return out


def _time_scale(log: PreparedLog) -> tuple[int, int, int]:
    """Event times as ``(t - base) // unit``, exactly: the base, the unit (ns) and the bits they need.

    :func:`~svcsim.rules.prepared.prepare` leaves it in the memo when it sorted by packing times.
    """
    found = log._memo.get("time_scale")
    if found is None:
        if not len(log.t):
            found = (0, 1, 0)
        else:
            base = int(log.t.min())
            d = log.t - base
            unit = next((u for u in (10**9, 10**6, 10**3) if not (d % u).any()), 1)
            found = (base, unit, (int(d.max()) // unit).bit_length())
        log._memo["time_scale"] = found
    return found


def _next_repeat_merged(log: PreparedLog, rule: RecurrenceRule, key_code: np.ndarray, fix_key: np.ndarray, fix_case: np.ndarray, fix_t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_next_repeat` by sorting fixes and repeats together (any key and time range)."""
    rep = log.positions(rule.repeat)
    rep = rep[key_code[log.case[rep]] >= 0]
    # one sequence of fixes and repeats sorted by key, time, and repeats before fixes at equal times
    keys = np.concatenate((fix_key, key_code[log.case[rep]]))
    times = np.concatenate((fix_t, log.t[rep]))
    is_fix = np.concatenate((np.ones(len(fix_t), bool), np.zeros(len(rep), bool)))
    order = lexsort_order((keys, time_key(times), is_fix))
    k_s, t_s, fix_s = keys[order], times[order], is_fix[order]
    idx = np.arange(len(order))
    nxt = np.minimum.accumulate(np.where(~fix_s, idx, len(order))[::-1])[::-1]  # next repeat at or after
    fix_rows = np.flatnonzero(fix_s)
    j = nxt[fix_rows]
    found = (j < len(order)) & (k_s[np.minimum(j, len(order) - 1)] == k_s[fix_rows]) & (k_s[fix_rows] >= 0)
    rep_t = np.where(found, t_s[np.minimum(j, len(order) - 1)], NAT)
    rep_case = np.where(found, np.concatenate((fix_case, log.case[rep]))[order][np.minimum(j, len(order) - 1)], -1)
    back = np.empty(len(fix_t), dtype=np.int64)
    back[order[fix_rows]] = np.arange(len(fix_rows))
    return rep_t[back], rep_case[back]


def _key_codes(columns: list[pd.Series]) -> np.ndarray:
    """Per case: an int64 code equal for equal key tuples, -1 where a key field is missing.

    Each column is factorised to integer codes once (a categorical's own
    codes), and the codes combined arithmetically (refactorised when the
    product of the cardinalities would overflow).
    """
    n = len(columns[0]) if columns else 0
    code = np.zeros(n, dtype=np.int64)
    size = 1
    missing = np.zeros(n, dtype=bool)
    for col in columns:
        if isinstance(col.dtype, pd.CategoricalDtype):
            c, k = col.cat.codes.to_numpy().astype(np.int64), len(col.cat.categories)
        else:
            c, uniques = pd.factorize(col, use_na_sentinel=True)
            c, k = c.astype(np.int64), len(uniques)
        missing |= c < 0
        k = max(k, 1)
        if size > (2**62) // k:
            code, uniques = pd.factorize(code)
            code, size = code.astype(np.int64), max(len(uniques), 1)
        code = code * k + np.maximum(c, 0)
        size *= k
    return np.where(missing, -1, code)


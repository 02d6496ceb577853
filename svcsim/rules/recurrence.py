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
from svcsim.rules.spec import RecurrenceRule

__all__ = ["evaluate_recurrence"]


def evaluate_recurrence(rule: RecurrenceRule, log: PreparedLog, rules: RuleSet) -> Rows:
    """Result rows of one recurrence rule: one per fix event."""
    cal = rules.calendar_for(rule) if rule.basis == "calendar" else None
    where = f"rule '{rule.id}'"
    key_cols = [log.case_column(k, source=rules.source, where=where) for k in rule.key]
    key_code = _key_codes(key_cols)

    applies = applies_per_case(rule, log, rules)
    fix = np.flatnonzero((log.act == _code(log, rule.after)) & applies[log.case]) if rule.after in log.act_names else np.empty(0, np.int64)
    fix_case, fix_t = log.case[fix], log.t[fix]
    window = int(round(rule.window.total_seconds() * 1e9))
    if cal is not None:
        cal.check_covered(fix_t, what=f"fix of rule '{rule.id}'")
        closes = cal.deadline_ns(fix_t, np.full(len(fix_t), window, dtype=np.int64))
    else:
        closes = fix_t + window

    rep = log.positions(rule.repeat)
    rep = rep[key_code[log.case[rep]] >= 0]
    fix_key = key_code[fix_case]
    # one sequence of fixes and repeats sorted by key, time, and repeats before fixes at equal times
    keys = np.concatenate((fix_key, key_code[log.case[rep]]))
    times = np.concatenate((fix_t, log.t[rep]))
    is_fix = np.concatenate((np.ones(len(fix), bool), np.zeros(len(rep), bool)))
    order = np.lexsort((is_fix, times, keys))
    k_s, t_s, fix_s = keys[order], times[order], is_fix[order]
    idx = np.arange(len(order))
    nxt = np.minimum.accumulate(np.where(~fix_s, idx, len(order))[::-1])[::-1]  # next repeat at or after
    fix_rows = np.flatnonzero(fix_s)
    j = nxt[fix_rows]
    found = (j < len(order)) & (k_s[np.minimum(j, len(order) - 1)] == k_s[fix_rows]) & (k_s[fix_rows] >= 0)
    rep_t = np.where(found, t_s[np.minimum(j, len(order) - 1)], NAT)
    rep_case = np.where(found, np.concatenate((fix_case, log.case[rep]))[order][np.minimum(j, len(order) - 1)], -1)
    back = np.empty(len(fix), dtype=np.int64)
    back[order[fix_rows]] = np.arange(len(fix_rows))
    rep_t, rep_case = rep_t[back], rep_case[back]

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
    rows.target = np.full(len(fix), window, dtype=np.int64)
    rows.target_reason[:] = "window"
    rows.related_case = np.where(failed, rep_case, -1)
    rows.level = failed.astype(np.int64)
    rows.reason[no_key] = f"no {' / '.join(rule.key)} to match repeats on"
    rows.reason[failed] = "the same fault came back within the window"
    return rows


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


def _code(log: PreparedLog, name: str) -> int:
    return log.act_names.index(name)

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
    # shared by the rules that match repeats on the same key
    key_code = log.memoized(("key_codes", tuple(rule.key)), lambda: _dense(_key_codes(key_cols)))

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

    from svcsim.rules.kernels import next_repeat  # numba loads on first use

    dense, n_keys = key_code
    bounds, g_t, g_case = _repeats(log, rule, dense, n_keys)
    rep_t, rep_case = next_repeat(dense[fix_case], fix_t, bounds, g_t, g_case)

    status = np.full(len(fix), status_code("pending"), dtype=np.int8)
    failed = (rep_t != NAT) & (rep_t < closes)
    status[closes <= log.as_of] = status_code("held")
    status[failed] = status_code("failed")
    no_key = dense[fix_case] < 0
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


def _repeats(log: PreparedLog, rule: RecurrenceRule, dense: np.ndarray, n_keys: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rule's repeat events grouped by key in time order (:func:`~svcsim.rules.kernels.repeats_by_key`).

    Shared by the rules that match the same repeat events on the same key.
    """
    from svcsim.rules.kernels import repeats_by_key  # numba loads on first use

    memo_key = ("repeats", tuple(rule.key), log.codes(rule.repeat).tobytes())
    return log.memoized(memo_key, lambda: repeats_by_key(log.positions(rule.repeat), log.case, log.t, dense, n_keys))


def _dense(code: np.ndarray) -> tuple[np.ndarray, int]:
    """Key codes renumbered ``0 .. n_keys - 1`` when their range is much wider than the cases (-1 stays)."""
    top = int(code.max()) + 1 if len(code) else 0
    if top <= 4 * len(code) + 1024:
        return code, max(top, 0)
    has = code >= 0
    out = np.full(len(code), -1, dtype=np.int64)
    out[has], uniques = pd.factorize(code[has])
    return out, len(uniques)


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


"""Recurrence rules: a fix must hold, with no repeat of the same fault within a window.

Each ``after`` event (a completed fix) in a case where the rule applies opens a
window. The first ``repeat`` event (a new ticket logged) on the same key (for
example device and fault), in any case, strictly after the fix, is looked up.
If it comes before the window closes the fix ``failed``; a repeat exactly at
the window's end counts as held (a boundary value is met). With no repeat, the
fix ``held`` once the window closed by ``as_of``, else it is ``pending``. A fix
whose case lacks a key field is ``not_applicable``.

:func:`evaluate_recurrence` judges whole columns at once; :func:`recurrence_oracle` restates the same
rule one case at a time in plain Python, for the test oracle
(:mod:`svcsim.rules.oracle`). Both are registered in :mod:`svcsim.rules.kinds`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from svcsim.calendar import ServiceCalendar
from svcsim.rules.casewise import CaseEvents, advanced, applies, result_row
from svcsim.rules.columnar.packing import packed_keys
from svcsim.rules.columnar.prepared import PreparedLog
from svcsim.rules.conditions import applies_per_case
from svcsim.rules.results import NAT, ResultRows, status_code
from svcsim.rules.ruleset import RuleSet
from svcsim.rules.spec import RecurrenceRule, to_ns

__all__ = ["evaluate_recurrence", "recurrence_oracle"]


def evaluate_recurrence(rule: RecurrenceRule, log: PreparedLog, rules: RuleSet) -> list[ResultRows]:
    """Result rows of one recurrence rule (one part): one per fix event."""
    cal = rules.calendar_for(rule) if rule.basis == "calendar" else None
    where = f"rule '{rule.id}'"
    key_cols = [log.case_column(k, source=rules.source, where=where) for k in rule.key]
    # shared by the rules that match repeats on the same key
    key_code = log.memoized(("key_codes", tuple(rule.key)), lambda: _dense(_key_codes(key_cols)))

    applies = applies_per_case(rule, log, rules)
    from svcsim.rules.columnar import kernels  # numba loads on first use

    fix_case, fix_t = kernels.fixes_inside(log.positions(rule.after), log.case, log.t, applies)
    window = to_ns(rule.window)
    if cal is not None:
        cal.check_covered(fix_t, what=f"fix of rule '{rule.id}'")
        closes = cal.deadline_ns(fix_t, np.full(len(fix_t), window, dtype=np.int64), strict=False)
    else:
        closes = fix_t + window

    rows = ResultRows.empty(rule.id, rule.kind, rule.basis, len(fix_t))
    dense, n_keys = key_code
    bounds, g_t, g_case = _repeats(log, rule, dense, n_keys)
    codes = np.array([
        *(status_code(s) for s in ("pending", "held", "failed", "not_applicable")), -1,
        rows.label(f"no {' / '.join(rule.key)} to match repeats on"), rows.label("the same fault came back within the window"),
    ], dtype=np.int64)
    status, number, stop, elapsed, related, level, reason = kernels.recurrence_outcomes(
        fix_case, fix_t, closes, dense, bounds, g_t, g_case, log.as_of, codes,
    )
    rows.case, rows.cycle, rows.status = fix_case, number, status
    rows.start, rows.due, rows.stop, rows.elapsed = fix_t, closes, stop, elapsed
    rows.target = np.broadcast_to(np.int64(window), (len(fix_t),))
    rows.set_target_reason(slice(None), "window")
    rows.related_case, rows.level, rows.reason = related, level, reason
    if cal is not None:
        beyond = closes == NAT  # the window closes after the calendar's years: not judged
        if beyond.any():
            rows.mark_beyond(beyond, cal.beyond_reason)
            rows.put("stop", beyond, NAT)
            rows.put("elapsed", beyond, log.as_of - fix_t[beyond])
            rows.put("related_case", beyond, -1)
    return [rows]


def _repeats(log: PreparedLog, rule: RecurrenceRule, dense: np.ndarray, n_keys: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rule's repeat events grouped by key in time order (:func:`~svcsim.rules.columnar.kernels.repeats_by_key`).

    Shared by the rules that match the same repeat events on the same key.
    """
    from svcsim.rules.columnar.kernels import repeats_by_key  # numba loads on first use

    memo_key = ("repeats", tuple(rule.key), log.codes(rule.repeat).tobytes())
    def compute() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        positions = log.positions(rule.repeat)
        bounds = np.zeros(n_keys + 1, dtype=np.int32 if len(positions) < 2**31 else np.int64)
        return repeats_by_key(positions, log.case, log.t, dense, bounds)

    return log.memoized(memo_key, compute)


def _dense(code: np.ndarray) -> tuple[np.ndarray, int]:
    """Key codes renumbered ``0 .. n_keys - 1`` when their range is much wider than the cases (-1 stays)."""
    top = int(code.max()) + 1 if len(code) else 0
    narrow = np.int32 if max(top, len(code)) < 2**31 else np.int64  # half the bytes of every lookup
    if top <= 4 * len(code) + 1024:
        return code.astype(narrow), max(top, 0)
    has = code >= 0
    out = np.full(len(code), -1, dtype=narrow)
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
        combined = packed_keys((code, np.maximum(c, 0)), sizes=(size, k))
        if combined is None:  # the codes so far renumbered 0, 1, ... make room
            code, uniques = pd.factorize(code)
            code, size = code.astype(np.int64), max(len(uniques), 1)
            combined = packed_keys((code, np.maximum(c, 0)), sizes=(size, k))
        code, size = combined, size * k
    return np.where(missing, -1, code)


# -- the same rule, one case at a time (the test oracle) ------------------------
def recurrence_oracle(rule: RecurrenceRule, cases: list[CaseEvents], cal: ServiceCalendar | None, as_of: int) -> list[list[dict]]:
    """Per case, in order: the rows :func:`evaluate_recurrence` should give, worked out with plain loops."""
    cal = cal if rule.basis == "calendar" else None
    repeats = _repeats_of_cases(rule, cases)
    return [_recurrence_of_case(rule, case, repeats, cal, as_of) for case in cases]


def _recurrence_of_case(rule: RecurrenceRule, case: CaseEvents, repeats_by_key: dict[tuple, list], cal, as_of: int) -> list[dict]:  # noqa: ANN001
    if not applies(rule, case):
        return []
    key = tuple(case.attrs.get(k) for k in rule.key)
    window = to_ns(rule.window)
    out = []
    fixes = [t for t, a in case.events if a in rule.after]
    for number, fix in enumerate(fixes, start=1):
        closes = advanced(cal, rule.basis, fix, window)
        if cal is not None and closes == NAT:  # the window closes after the calendar's years: not judged
            out.append(result_row(rule.id, case, cycle=number, status="invalid", start=fix, elapsed=as_of - fix,
                                  target=window, target_reason="window", reason=cal.beyond_reason))
            continue
        base = {"cycle": number, "start": fix, "due": closes, "target": window, "target_reason": "window"}
        if any(v is None for v in key):
            out.append(result_row(rule.id, case, status="not_applicable", elapsed=min(as_of, closes) - fix,
                            reason=f"no {' / '.join(rule.key)} to match repeats on", **base))
            continue
        repeats = [r for r in repeats_by_key.get(key, []) if r[0] > fix]
        first = min(repeats) if repeats else None
        if first is not None and first[0] < closes:
            out.append(result_row(rule.id, case, status="failed", stop=first[0], elapsed=first[0] - fix, level=1,
                            related_case_id=first[2], reason="the same fault came back within the window", **base))
        else:
            out.append(result_row(rule.id, case, status="held" if closes <= as_of else "pending",
                            elapsed=min(as_of, closes) - fix, **base))
    return out


def _repeats_of_cases(rule: RecurrenceRule, cases: list[CaseEvents]) -> dict[tuple, list]:
    """Every repeat event of every case, grouped by the case's key."""
    grouped: dict[tuple, list] = {}
    for other in cases:
        key = tuple(other.attrs.get(k) for k in rule.key)
        grouped.setdefault(key, []).extend((t, other.order, other.id) for t, a in other.events if a in rule.repeat)
    return grouped

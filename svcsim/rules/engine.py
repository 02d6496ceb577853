"""``check``: judge an event log against rules at an explicit ``as_of``.

The same function serves a simulated run and a live export: it reads only the
:class:`~svcsim.eventlog.EventLog`. Events after ``as_of`` are ignored, open
cases are reported as open (never dropped), and a case a loader marked invalid
(``invalid_reason`` in the cases table) is reported ``invalid`` by every rule it
touches rather than judged on what is left of it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from svcsim.arguments import of_kind, path_like, whole_number
from svcsim.eventlog.log import EventLog
from svcsim.eventlog.time import to_as_of_ns
from svcsim.rules.columnar.packing import packed_keys
from svcsim.rules.columnar.prepared import PreparedLog, prepare
from svcsim.rules.columnar.sorting import is_sorted
from svcsim.rules.columnar.table import TableBuilder, to_frame  # noqa: F401 (to_frame: for callers of evaluate_all)
from svcsim.rules.kinds import KIND_NAMES, kind_of
from svcsim.rules.load import RuleSet, load_rules
from svcsim.rules.results import BAD_STATUSES, GOOD_STATUSES, STATUSES, ResultRows, status_code
from svcsim.rules.spec import RuleSpec

__all__ = ["CheckResult", "check", "summarise", "escalations", "default_threads"]


@dataclass(frozen=True)
class CheckResult:
    """What :func:`check` found: one row per case x rule x cycle, a per-rule summary, an escalation list."""

    results: pd.DataFrame
    summary: pd.DataFrame
    escalations: pd.DataFrame
    as_of: pd.Timestamp
    rules: RuleSet


def check(
    log: EventLog,
    rules: RuleSet | str | Path | None = None,
    as_of: datetime | pd.Timestamp | str | None = None,
    *,
    threads: int | None = None,
) -> CheckResult:
    """Evaluate ``rules`` (a RuleSet, a rules file, or None for the built-in rules) on ``log`` at ``as_of``.

    ``as_of`` must be time-zone aware; None means the last event in the log.
    ``threads``: how many threads sort the events and evaluate rules at once
    (None: one per core, up to 4, for logs of 100,000 events or more, else
    1). The result does not depend on it.
    """
    of_kind(log, "log", (EventLog,), function="check", expected="an EventLog",
            hint="; read one with svcsim.read_log(path) or svcsim.load_events(path, mapping), "
            "or make one from a table with svcsim.EventLog.from_flat(frame)")
    if not isinstance(rules, RuleSet):
        path_like(rules, "rules", function="check", what="a RuleSet or a rules file", none=True)
    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules)
    as_of_ns = to_as_of_ns(as_of)
    threads = default_threads(len(log.events)) if threads is None else whole_number(threads, "threads", function="check", minimum=1)
    prepared = prepare(log, as_of_ns, activities=_activities(ruleset), threads=threads)
    case_ids, case_dtype, stamp = prepared.case_ids, prepared.case_dtype, pd.Timestamp(prepared.as_of, unit="ns", tz="UTC")
    if threads > 1:
        parts = evaluated_parts(ruleset, prepared, threads)
        n_cases = prepared.n_cases
        # the sorted events and every shared intermediate are freed before the table is made: its
        # fresh memory then comes from pages just given back, not from pages the host may have reclaimed
        del prepared
        table = _table(ruleset, n_cases)
        table.add_all(parts, threads=threads)
        del parts
    else:
        table = evaluate_into(ruleset, prepared, threads=threads)
        del prepared  # the sorted events are done with: free them before the table is put in order
    results = table.frame(case_ids, case_dtype)
    del table
    return CheckResult(
        results=results,
        summary=summarise(results, ruleset),
        escalations=escalations(results, stamp),
        as_of=stamp,
        rules=ruleset,
    )


def _activities(ruleset: RuleSet) -> set[str]:
    """Every activity some rule reads (the only events :func:`prepare` needs to keep)."""
    found: set[str] = set()
    for rule in ruleset.rules:
        found |= rule.activities()
    return found


def default_threads(n_events: int) -> int:
    """Threads for evaluating rules: one per usable core, at most 4, for 100,000 events or more; else 1."""
    if n_events < 100_000:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


def evaluate_into(ruleset: RuleSet, log: PreparedLog, threads: int = 1) -> TableBuilder:
    """The result table of every rule, its rows in rule order.

    On one thread each rule's rows are written into the table as soon as
    they are found (room is made for about as many rows as there are events
    and cases; room never written costs no memory, more is made if needed).
    With ``threads`` above 1, that many rules are evaluated at once, those
    reading the most events first (the compiled kernels and numpy's
    large-array loops release the GIL), then all rows are copied into a
    table of their exact size, a column per thread: writing the table while
    rules still ran made the two fight over fresh memory. An error is raised
    for the first failing rule in rule order, as when evaluating one at a
    time.
    """
    if threads <= 1:
        table = _table(ruleset, log.n_cases, capacity=len(log.case) + log.n_cases)
        for part in _each_part(ruleset, log):
            table.add(part)
        return table
    table = _table(ruleset, log.n_cases)
    table.add_all(evaluated_parts(ruleset, log, threads), threads=threads)
    return table


def _table(ruleset: RuleSet, n_cases: int, capacity: int = 0) -> TableBuilder:
    """An empty result table for ``ruleset``'s result ids, its ``kind`` column over the registered kinds."""
    return TableBuilder(ruleset.ids(), n_cases, capacity=capacity, kinds=KIND_NAMES)


def evaluated_parts(ruleset: RuleSet, log: PreparedLog, threads: int) -> list[ResultRows]:
    """The rows of every rule in rule order, ``threads`` rules evaluated at once (see :func:`evaluate_into`)."""
    # the rules reading the most events start first, so no long rule is left running alone at the end
    load = [log.n_events(rule.activities()) for rule in ruleset.rules]
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="svcsim-rule") as pool:
        started = {i: pool.submit(_rule_parts, ruleset.rules[i], ruleset, log) for i in sorted(range(len(load)), key=lambda i: -load[i])}
        try:
            per_rule = [started[i].result() for i in range(len(load))]  # the first failing rule in rule order raises
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)  # rules not started yet are dropped
            raise
    return [part for parts in per_rule for part in parts]


def evaluate_all(ruleset: RuleSet, log: PreparedLog) -> list[ResultRows]:
    """Rows of every rule, with invalid cases marked."""
    return list(_each_part(ruleset, log))


def _each_part(ruleset: RuleSet, log: PreparedLog) -> Iterator[ResultRows]:
    """Rows of every rule in rule order, with invalid cases marked, one part at a time."""
    for rule in ruleset.rules:
        yield from _rule_parts(rule, ruleset, log)


def _rule_parts(rule: RuleSpec, ruleset: RuleSet, log: PreparedLog) -> list[ResultRows]:
    """The rows of one rule, by its kind's evaluator (a ladder: one part per milestone, and one per repeating milestone's repetitions)."""
    out, seen = [], set()
    for part in kind_of(rule).evaluate(rule, log, ruleset):  # a repeating milestone's second part only carries repetitions
        out.append(_mark_invalid(part, rule, log, add_missing=part.rule_id not in seen))
        seen.add(part.rule_id)
    return out


def _mark_invalid(rows: ResultRows, rule: RuleSpec, log: PreparedLog, *, add_missing: bool = True) -> ResultRows:
    """Cases with ``invalid_reason`` get status invalid on every row, and a row where they have none.

    A rule touches an invalid case when the case has any event the rule names,
    or has no events left at all (its every row was quarantined).
    """
    if log.invalid is None:
        return rows
    invalid = log.invalid
    hit = invalid[rows.case]
    if hit.any():
        rows.put("status", hit, status_code("invalid"))
        rows.put("reason", hit, _reason_codes(rows, log)[log.invalid_code[rows.case[hit]]])
    if not add_missing:
        return rows
    touched = log.has_event(rule.activities()) | log.no_events()
    missing = invalid & touched
    missing[rows.case] = False
    extra_cases = np.flatnonzero(missing)
    if not len(extra_cases):
        return rows
    extra = ResultRows.for_cases(extra_cases, "invalid", like=rows)
    extra.put("reason", slice(None), _reason_codes(extra, log)[log.invalid_code[extra_cases]])
    return rows.concat(extra)


def _reason_codes(rows: ResultRows, log: PreparedLog) -> np.ndarray:
    """Per invalid-reason label of ``log``: its code among ``rows``' labels."""
    return np.array([rows.label(text) for text in log.invalid_labels], dtype=np.int32)


def summarise(results: pd.DataFrame, rules: RuleSet) -> pd.DataFrame:
    """Per rule id: counts of each status and attainment % (good / decided; open breaches count as decided).

    Running, at-risk and pending rows are not decided yet and stay out of the
    percentage; so do not_applicable and invalid rows.
    """
    counts, cases = _counts(results, rules)
    good = counts[list(GOOD_STATUSES)].sum(axis=1)
    decided = good + counts[list(BAD_STATUSES)].sum(axis=1)
    summary = counts.copy()
    summary.insert(0, "cases", cases)
    summary.insert(1, "rows", counts.sum(axis=1))
    summary["decided"] = decided
    summary["attainment_pct"] = (100.0 * good / decided.replace(0, np.nan)).round(2)
    titles = rules.titles()
    summary.insert(0, "title", [titles.get(rid, "") for rid in rules.ids()])
    summary.index.name = "rule_id"
    summary.columns.name = None
    return summary.reset_index()


def _counts(results: pd.DataFrame, rules: RuleSet) -> tuple[pd.DataFrame, pd.Series]:
    """Rows per rule id and status (rules x STATUSES, int64), and distinct cases per rule id.

    On the result of :func:`check` (categorical rule_id over the rule ids,
    status over STATUSES, case_id categorical) this counts integer codes in
    one compiled pass; any other frame goes through ``crosstab`` / ``nunique``.
    """
    ids = rules.ids()
    rule, status, case = results["rule_id"], results["status"], results["case_id"]
    coded = (
        isinstance(rule.dtype, pd.CategoricalDtype) and list(rule.cat.categories) == list(ids)
        and isinstance(status.dtype, pd.CategoricalDtype) and list(status.cat.categories) == list(STATUSES)
        and isinstance(case.dtype, pd.CategoricalDtype)
    )
    if not coded:
        counts = pd.crosstab(rule, status, dropna=False).reindex(index=ids, columns=list(STATUSES), fill_value=0)
        cases = results.groupby("rule_id", observed=False)["case_id"].nunique().reindex(ids).fillna(0).astype(np.int64)
        return counts.astype(np.int64), cases
    r, s, c = rule.cat.codes.to_numpy(), status.cat.codes.to_numpy(), case.cat.codes.to_numpy()
    n_rules, n_status = len(ids), len(STATUSES)
    from svcsim.rules.columnar.kernels import counted_by_rule  # numba loads on first use

    table, per_rule, in_order = counted_by_rule(r, s, c, n_rules, n_status)
    counts = pd.DataFrame(table, index=pd.Index(ids, name="rule_id"), columns=pd.Index(list(STATUSES), name="status"))
    if not in_order:
        per_rule = _cases_per_rule(r, c, n_rules, len(case.cat.categories))
    return counts, pd.Series(per_rule.astype(np.int64), index=counts.index)


def _cases_per_rule(r: np.ndarray, c: np.ndarray, n_rules: int, n_cases: int) -> np.ndarray:
    """Distinct case codes per rule code, for rows in any order (codes -1 left out)."""
    keep = (r >= 0) & (c >= 0)
    if not keep.all():
        r, c = r[keep], c[keep]
    if len(r) and is_sorted(r, c):  # one run per (rule, case)
        first = np.concatenate(([True], (np.diff(r) != 0) | (np.diff(c) != 0)))
        return np.bincount(r[first].astype(np.int64), minlength=n_rules)[:n_rules]
    key = np.sort(packed_keys((r, c), sizes=(n_rules, n_cases + 1)))  # rules x cases: far below 2**63
    firsts = key[np.concatenate(([True], key[1:] != key[:-1]))] if len(key) else key
    return np.bincount(firsts // (n_cases + 1), minlength=n_rules)[:n_rules]


def escalations(results: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Open items past due or past a milestone, worst first.

    One row per case and rule (for a ladder: its worst missed milestone),
    ordered by escalation level, then by how long overdue.
    """
    cols = ["case_id", "rule_id", "rule_group", "kind", "level", "start", "due", "target", "target_reason"]
    status = results["status"]
    if isinstance(status.dtype, pd.CategoricalDtype) and "breached_open" in status.cat.categories:
        found = status.cat.codes.to_numpy() == status.cat.categories.get_loc("breached_open")
    else:
        found = (status == "breached_open").to_numpy()
    open_bad = results[cols].take(np.flatnonzero(found))  # only the columns shown are gathered
    if open_bad.empty:
        out = open_bad.copy()
        out["overdue"] = pd.Series([], dtype="timedelta64[ns]")
        return out.reset_index(drop=True)
    frame = open_bad.copy()
    frame["overdue"] = as_of - frame["due"]
    frame = frame.take(_worst_first(frame["level"].to_numpy(), frame["overdue"].to_numpy()))
    return frame[_first_per_pair(frame["case_id"], frame["rule_group"])].reset_index(drop=True)


def _worst_first(level: np.ndarray, overdue: np.ndarray) -> np.ndarray:
    """The order of ``sort_values(["level", "overdue"], ascending=False, kind="stable")``: NaT last, ties as they came."""
    late = overdue.view(np.int64)
    nat = overdue != overdue  # NaT
    late_key = np.where(nat, np.iinfo(np.int64).max, -np.where(nat, 0, late))  # descending, NaT after every time
    return np.lexsort((late_key, -level.astype(np.int64)))  # stable: equal keys keep their order


def _first_per_pair(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Whether each row is the first with its pair of values (``~duplicated(keep="first")``; missing equals missing)."""
    if isinstance(a.dtype, pd.CategoricalDtype) and isinstance(b.dtype, pd.CategoricalDtype):
        codes = (a.cat.codes.to_numpy().astype(np.int64) + 1, b.cat.codes.to_numpy().astype(np.int64) + 1)  # missing: 0
        pair = packed_keys(codes, sizes=(len(a.cat.categories) + 1, len(b.cat.categories) + 1))
        return ~pd.Series(pair).duplicated(keep="first").to_numpy()
    return ~pd.DataFrame({"a": a.to_numpy(), "b": b.to_numpy()}).duplicated(keep="first").to_numpy()
